<?php
/**
 * Activation, versioned schema upgrades and deactivation. Uninstall lives in uninstall.php.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

use Aisle\Plugin\Catalog\CatalogSync;
use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Handoff;
use Aisle\Plugin\Privacy\Retention;

defined( 'ABSPATH' ) || exit;

final class Installer {

	/** Bump when the schema below changes; maybe_upgrade() re-runs dbDelta once. */
	public const DB_VERSION = '3';

	public const DB_VERSION_OPTION = 'aisle_db_version';

	/** Every Action Scheduler hook the plugin schedules (uninstall and deactivation clear them). */
	public const HOOKS = array( 'aisle_sync_batch', 'aisle_sync_finish', 'aisle_sync_delta', 'aisle_license_check', 'aisle_remote_push', 'aisle_channel_reply' );

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
