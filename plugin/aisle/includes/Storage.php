<?php
/**
 * The plugin's private folder under uploads: the search index and the catalog snapshot.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class Storage {

	public static function dir(): string {
		$uploads = wp_upload_dir( null, false );
		return trailingslashit( $uploads['basedir'] ) . 'aisle';
	}

	/**
	 * Creates the folder with deny rules. Apache reads .htaccess, IIS web.config; nginx needs
	 * a location rule (README), and index.php stops directory listings everywhere.
	 */
	public static function ensure_dir(): string {
		$dir = self::dir();
		if ( ! is_dir( $dir ) ) {
			wp_mkdir_p( $dir );
		}
		$files = array(
			'.htaccess'  => "# Aisle: private data, never served.\n<IfModule mod_authz_core.c>\n\tRequire all denied\n</IfModule>\n<IfModule !mod_authz_core.c>\n\tDeny from all\n</IfModule>\n",
			'web.config' => "<?xml version=\"1.0\"?>\n<configuration><system.webServer><authorization><deny users=\"*\" /></authorization></system.webServer></configuration>\n",
			'index.php'  => "<?php\n// Silence is golden.\n",
		);
		foreach ( $files as $name => $body ) {
			if ( ! file_exists( "$dir/$name" ) ) {
				file_put_contents( "$dir/$name", $body ); // phpcs:ignore WordPress.WP.AlternativeFunctions -- plain local file, before WP_Filesystem may be set up.
			}
		}
		return $dir;
	}

	/** Removes a folder tree this plugin created (uninstall, index swaps). */
	public static function remove_tree( string $path ): void {
		if ( is_link( $path ) || is_file( $path ) ) {
			wp_delete_file( $path );
			return;
		}
		if ( ! is_dir( $path ) ) {
			return;
		}
		foreach ( (array) scandir( $path ) as $entry ) {
			if ( '.' !== $entry && '..' !== $entry ) {
				self::remove_tree( "$path/$entry" );
			}
		}
		rmdir( $path ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}
}
