<?php
/**
 * Activation, versioned schema upgrades and deactivation. Uninstall lives in uninstall.php.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

use Aisle\Plugin\Catalog\CatalogSync;
use Aisle\Plugin\Catalog\IndexStore;
use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Handoff;
use Aisle\Plugin\Privacy\Retention;

defined( 'ABSPATH' ) || exit;

final class Installer {

	/** Bump when the schema below changes; maybe_upgrade() re-runs dbDelta once. */
	public const DB_VERSION = '3';

	public const DB_VERSION_OPTION = 'aisle_db_version';

	/** Every Action Scheduler hook the plugin schedules (uninstall and deactivation clear them). */
	public const HOOKS = array( 'aisle_sync_batch', 'aisle_sync_finish', 'aisle_sync_delta', 'aisle_license_check', 'aisle_remote_push', 'aisle_channel_reply', 'aisle_knowledge_extract', 'aisle_knowledge_post', 'aisle_feeds_regenerate' );

	public const ACTION_GROUP = 'aisle';

	public static function table(): string {
		global $wpdb;
		return $wpdb->prefix . 'aisle_catalog_hashes';
	}

	public static function activate(): void {
		self::install_schema();
		Storage::ensure_dir();
	}

	/** Runs on every boot; costs one autoloaded option read when nothing changed. */
	public static function maybe_upgrade(): void {
		if ( get_option( self::DB_VERSION_OPTION ) !== self::DB_VERSION ) {
			self::install_schema();
		}
	}

	private static function install_schema(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$table   = self::table();
		$collate = $wpdb->get_charset_collate();
		// dbDelta's format: two spaces after PRIMARY KEY, one column per line.
		dbDelta(
			"CREATE TABLE {$table} (
  product_id bigint(20) unsigned NOT NULL,
  hash char(64) NOT NULL,
  synced_at int(10) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (product_id)
) {$collate};"
		);
		dbDelta( Conversations::schema( $collate ) );
		Handoff::grant_capability();
		update_option( self::DB_VERSION_OPTION, self::DB_VERSION, true );
	}

	/**
	 * Multisite: a site added to a network where Aisle is network-active gets its tables and
	 * folder at once (else at its first request, through maybe_upgrade()); a deleted site takes
	 * them along — WordPress drops only the tables wpmu_drop_tables lists (it removes the site's
	 * uploads folder, and with it the index, itself).
	 */
	public static function register_network(): void {
		add_action( 'wp_initialize_site', array( self::class, 'initialize_site' ), 200 );
		add_filter( 'wpmu_drop_tables', array( self::class, 'site_tables' ), 10, 2 );
		add_action( 'wp_uninitialize_site', array( self::class, 'remove_site_index' ) );
	}

	/** A deleted site's index folder under AISLE_INDEX_DIR (under uploads it goes with the site's folder). */
	public static function remove_site_index( \WP_Site $site ): void {
		if ( ! defined( 'AISLE_INDEX_DIR' ) ) {
			return;
		}
		switch_to_blog( (int) $site->blog_id );
		try {
			Storage::remove_tree( IndexStore::base() );
		} finally {
			restore_current_blog();
		}
	}

	public static function initialize_site( \WP_Site $site ): void {
		if ( ! function_exists( 'is_plugin_active_for_network' ) ) {
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
		}
		if ( ! is_plugin_active_for_network( plugin_basename( AISLE_FILE ) ) ) {
			return;
		}
		switch_to_blog( (int) $site->blog_id );
		try {
			self::activate();
		} finally {
			restore_current_blog();
		}
	}

	/** @param string[] $tables WordPress's tables of the site being deleted. */
	public static function site_tables( $tables, $site_id ): array {
		switch_to_blog( (int) $site_id );
		try {
			// Every table the schema creates, with that site's prefix: new tables are included as they are added.
			preg_match_all( '/CREATE TABLE (\S+)/', implode( "\n", Conversations::schema( '' ) ), $m );
			foreach ( array_merge( array( self::table() ), $m[1] ) as $table ) {
				$tables[ $table ] = $table;
			}
		} finally {
			restore_current_blog();
		}
		return (array) $tables;
	}

	public static function deactivate(): void {
		if ( function_exists( 'as_unschedule_all_actions' ) ) {
			foreach ( self::HOOKS as $hook ) {
				// Hook only: Action Scheduler then cancels every pending action of the hook, whatever its args.
				as_unschedule_all_actions( $hook );
			}
		}
		wp_clear_scheduled_hook( Retention::HOOK );
		// A lock held by a job that will never run again would block the next sync.
		delete_option( CatalogSync::LOCK_OPTION );
	}
}
