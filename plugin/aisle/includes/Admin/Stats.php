<?php
/**
 * Daily counters for the dashboard (sessions, messages, leads, AI tokens, grounding corrections,
 * chat-assisted orders and their revenue, unanswered questions, chats that needed a person).
 * Aggregates only, no personal data, so they may outlive the 2-day retention of conversations;
 * 90 days are kept.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

defined( 'ABSPATH' ) || exit;

final class Stats {

	public const OPTION = 'aisle_stats';

	/** Revenue is in the store currency's cents; escalated counts chats that needed a person (Chat\Events). */
	public const KEYS = array( 'sessions', 'messages', 'leads', 'tokens', 'grounding', 'orders', 'revenue', 'unanswered', 'escalated' );

	public static function bump( string $key, int $by = 1 ): void {
		$all = get_option( self::OPTION, array() );
		$all = is_array( $all ) ? $all : array();
		$day = gmdate( 'Y-m-d' );
		$all[ $day ][ $key ] = ( $all[ $day ][ $key ] ?? 0 ) + $by;
		if ( count( $all ) > 90 ) {
			ksort( $all );
			$all = array_slice( $all, -90, null, true );
		}
		// Not autoloaded: storefront page views never load it.
		update_option( self::OPTION, $all, false );
	}

	/** @return array<string, array<string, int>> day => key => count for the last $days days (zeros filled in). */
	public static function days( int $days = 14 ): array {
		$all = get_option( self::OPTION, array() );
		$out = array();
		for ( $i = $days - 1; $i >= 0; $i-- ) {
			$day = gmdate( 'Y-m-d', time() - $i * DAY_IN_SECONDS );
			foreach ( self::KEYS as $k ) {
				$out[ $day ][ $k ] = (int) ( $all[ $day ][ $k ] ?? 0 );
			}
		}
		return $out;
	}
}
