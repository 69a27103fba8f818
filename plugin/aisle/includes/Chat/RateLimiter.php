<?php
/**
 * Fixed-window counters for the public routes: the object cache when the site has a persistent
 * one (atomic increments), else transients. Keys hold a hash, never the IP itself.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

defined( 'ABSPATH' ) || exit;

final class RateLimiter {

	private const GROUP = 'aisle_rl';

	/**
	 * Counts one hit. Returns 0 when allowed, else the seconds until the window resets.
	 */
	public static function hit( string $bucket, int $limit, int $window ): int {
		// The window starts at a bucket's first hit (not at clock boundaries), so a burst of
		// $limit + 1 requests is always refused, whenever it starts.
		$key = 'aisle_rl_' . substr( hash( 'sha256', $bucket . '|' . wp_salt( 'nonce' ) ), 0, 32 );
		$now = time();
		if ( wp_using_ext_object_cache() ) {
			wp_cache_add( $key . '_t', $now + $window, self::GROUP, $window );
			wp_cache_add( $key, 0, self::GROUP, $window );
			$count = (int) wp_cache_incr( $key, 1, self::GROUP );
			$reset = (int) wp_cache_get( $key . '_t', self::GROUP ) ?: $now + $window;
		} else {
			$state = get_transient( $key );
			if ( ! is_array( $state ) || $state[1] <= $now ) {
				$state = array( 0, $now + $window );
			}
			++$state[0];
			set_transient( $key, $state, max( 1, $state[1] - $now ) );
			list( $count, $reset ) = $state;
		}
		return $count > $limit ? max( 1, $reset - $now ) : 0;
	}

	/** The client address; behind a trusted proxy, sites filter it (aisle_client_ip). */
	public static function ip(): string {
		$ip = isset( $_SERVER['REMOTE_ADDR'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REMOTE_ADDR'] ) ) : '';
		return (string) apply_filters( 'aisle_client_ip', $ip );
	}
}
