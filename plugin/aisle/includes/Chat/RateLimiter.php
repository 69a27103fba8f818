<?php
/**
 * Windowed counters for the public routes, shared by every PHP worker and web node. A window
 * starts at a bucket's first hit (not at clock boundaries), so a burst of $limit + 1 requests is
 * always refused, whenever it starts. Keys hold a hash, never the IP itself.
 *
 * With a persistent object cache (Redis, Memcached): wp_cache_add() + wp_cache_incr() in the
 * cache's own group — atomic in the cache server, no database write per request.
 * Without one: one atomic INSERT … ON DUPLICATE KEY UPDATE on a transient row, so concurrent
 * requests never read-modify-write (get/set_transient lost hits under load: N parallel requests
 * could all read the same count). Its rows carry a _transient_timeout_ row, so WordPress's own
 * expired-transient cleanup removes them.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

defined( 'ABSPATH' ) || exit;

final class RateLimiter {

	private const GROUP = 'aisle_rl';

	/**
	 * Counts one hit. Returns 0 when allowed, else the seconds until the window resets (for the
	 * 429's Retry-After).
	 */
	public static function hit( string $bucket, int $limit, int $window ): int {
		$key    = 'aisle_rl_' . substr( hash( 'sha256', $bucket . '|' . wp_salt( 'nonce' ) ), 0, 32 );
		$now    = time();
		$window = max( 1, $window );
		$state  = wp_using_ext_object_cache() ? self::count_in_cache( $key, $window, $now ) : null;
		// No cache, or it failed in this request (Redis down): the database counts instead.
		list( $count, $reset ) = $state ?? self::count_in_database( $key, $window, $now );
		return $count > $limit ? max( 1, $reset - $now ) : 0;
	}

	/** @return array{0: int, 1: int}|null [count, reset time], null when the cache could not count. */
	private static function count_in_cache( string $key, int $window, int $now ): ?array {
		// add() only creates what is missing, so the first hit of a window sets both; incr() is
		// atomic across workers. The reset time rides beside the counter with the same expiry.
		wp_cache_add( $key . '_t', $now + $window, self::GROUP, $window );
		wp_cache_add( $key, 0, self::GROUP, $window );
		$count = wp_cache_incr( $key, 1, self::GROUP );
		if ( false === $count ) {
			return null;
		}
		$reset = (int) wp_cache_get( $key . '_t', self::GROUP );
		return array( (int) $count, $reset > $now ? $reset : $now + $window );
	}

	/** @return array{0: int, 1: int} [count, reset time] */
	private static function count_in_database( string $key, int $window, int $now ): array {
		global $wpdb;
		$name  = '_transient_' . $key;
		$reset = $now + $window;
		// One statement: "reset:count", a new window when the old one is over (or the row holds
		// anything else), else one more hit. LAST_INSERT_ID(expr) hands this connection the count
		// it wrote, so no other worker's hit can be read or lost in between.
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- an atomic counter; the options API cannot do it.
		$wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'off')
				ON DUPLICATE KEY UPDATE option_value = IF(
					option_value NOT REGEXP '^[0-9]+:[0-9]+$' OR CAST(SUBSTRING_INDEX(option_value, ':', 1) AS UNSIGNED) <= %d,
					CONCAT(%d, ':', LAST_INSERT_ID(1)),
					CONCAT(SUBSTRING_INDEX(option_value, ':', 1), ':', LAST_INSERT_ID(CAST(SUBSTRING_INDEX(option_value, ':', -1) AS UNSIGNED) + 1))
				)",
				$name,
				$reset . ':1',
				$now,
				$reset
			)
		);
		if ( '' !== $wpdb->last_error ) {
			return array( 0, $reset ); // The database is failing too: let the request through rather than refuse every visitor.
		}
		// 1 affected row: a new row (first hit); 2: an existing row was updated.
		$count = 1 === (int) $wpdb->rows_affected ? 1 : (int) $wpdb->get_var( 'SELECT LAST_INSERT_ID()' );
		if ( 1 === $count ) {
			$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %d, 'off') ON DUPLICATE KEY UPDATE option_value = VALUES(option_value)", '_transient_timeout_' . $key, $reset ) );
			return array( 1, $reset );
		}
		$value = (string) $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", $name ) );
		$until = (int) strtok( $value, ':' );
		return array( $count, $until > $now ? $until : $reset );
	}

	/** The client address; behind a trusted proxy, sites filter it (aisle_client_ip). */
	public static function ip(): string {
		$ip = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
		return (string) apply_filters( 'aisle_client_ip', $ip );
	}
}
