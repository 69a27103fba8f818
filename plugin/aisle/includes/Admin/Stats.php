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
	public const KEYS = array( 'sessions', 'messages', 'leads', 'tokens', 'grounding', 'orders', 'revenue', 'unanswered', 'escalated', 'sessions_whatsapp', 'sessions_messenger', 'sessions_instagram', 'leads_whatsapp', 'leads_messenger', 'leads_instagram' );

	/** Where conversations come from: the widget, or a channel (Channels\Inbox). */
	public const CHANNELS = array( 'web', 'whatsapp', 'messenger', 'instagram' );

	/**
	 * The channel of a conversation from its session id ("wa:…" is WhatsApp; the widget's UUIDs
	 * are web). Only channels are counted apart: web is the rest, so days counted before the
	 * channels existed stay right.
	 */
	public static function channel_of( string $session_id ): string {
		$channel = array_search( strstr( $session_id, ':', true ), \Aisle\Plugin\Channels\Inbox::PREFIX, true );
		return false === $channel ? 'web' : (string) $channel;
	}

	/** $key for the whole site, and $key_<channel> for a channel's conversation. */
	public static function bump_for( string $session_id, string $key ): void {
		self::bump( $key );
		$channel = self::channel_of( $session_id );
		if ( 'web' !== $channel ) {
			self::bump( $key . '_' . $channel );
		}
	}

	/**
	 * Conversations and leads per channel over $days days.
	 *
	 * @return array<string, array{sessions: int, leads: int}>
	 */
	public static function by_channel( int $days ): array {
		$out = array_fill_keys( self::CHANNELS, array( 'sessions' => 0, 'leads' => 0 ) );
		foreach ( self::days( $days ) as $row ) {
			foreach ( array( 'sessions', 'leads' ) as $k ) {
				$rest = $row[ $k ];
				foreach ( array_slice( self::CHANNELS, 1 ) as $c ) {
					$out[ $c ][ $k ] += $row[ $k . '_' . $c ];
					$rest            -= $row[ $k . '_' . $c ];
				}
				$out['web'][ $k ] += max( 0, $rest );
			}
		}
		return $out;
	}

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
