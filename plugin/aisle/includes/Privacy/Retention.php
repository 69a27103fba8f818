<?php
/**
 * Deletes conversations, messages and leads past their expiry, hourly (WP-Cron). Reads already
 * ignore expired rows, so a late cron run never shows old data; it only frees the space.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Privacy;

use Aisle\Plugin\Chat\Conversations;

defined( 'ABSPATH' ) || exit;

final class Retention {

	public const HOOK = 'aisle_retention_purge';

	public function register(): void {
		add_action( self::HOOK, array( self::class, 'purge' ) );
		// On init, not plugins_loaded: scheduling runs the cron_schedules filter, where other
		// plugins (WooCommerce) translate their schedule names, which WordPress 6.7+ reports
		// as translation loading too early.
		add_action( 'init', array( self::class, 'schedule' ) );
	}

	public static function schedule(): void {
		// Checks the cron option, which WordPress autoloads: no extra query per page.
		if ( ! wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + HOUR_IN_SECONDS, 'hourly', self::HOOK );
		}
	}

	/** @return array<string, int> Rows deleted per table. */
	public static function purge(): array {
		global $wpdb;
		$now = time();
		$out = array();
		foreach ( array( 'messages', 'conversations', 'leads', 'events' ) as $name ) {
			$out[ $name ] = (int) $wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Conversations::table( $name ) . ' WHERE expires_at <= %d', $now ) ); // phpcs:ignore WordPress.DB
		}
		return $out;
	}
}
