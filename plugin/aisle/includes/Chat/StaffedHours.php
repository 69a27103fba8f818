<?php
/**
 * When the team answers chats: "always", "never", or entries such as "mon-fri 09:00-17:00; sat
 * 10:00-14:00", read in the store's time zone (Settings → General), so a merchant types the hours
 * on their shop's door. An end before the start runs past midnight ("fri 22:00-02:00").
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

defined( 'ABSPATH' ) || exit;

final class StaffedHours {

	private const DAYS = array( 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun' );

	/**
	 * @return array<int, array{days: int[], from: int, to: int}>|string|null 'always'/'never', the
	 *         ranges (days 1 = Monday … 7, minutes of the day), or null when $spec is not understood.
	 */
	public static function parse( string $spec ) {
		$spec = strtolower( trim( $spec ) );
		if ( '' === $spec || 'always' === $spec ) {
			return 'always';
		}
		if ( 'never' === $spec ) {
			return 'never';
		}
		$ranges = array();
		foreach ( preg_split( '/[;\n]+/', $spec, -1, PREG_SPLIT_NO_EMPTY ) as $entry ) {
			if ( ! preg_match( '/^\s*([a-z,\s-]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/', $entry, $m ) ) {
				return null;
			}
			$days = array();
			foreach ( preg_split( '/\s*,\s*/', trim( $m[1] ) ) as $part ) {
				$ends = array_map( 'trim', explode( '-', $part ) );
				$a    = array_search( $ends[0], self::DAYS, true );
				$b    = array_search( $ends[1] ?? $ends[0], self::DAYS, true );
				if ( false === $a || false === $b || count( $ends ) > 2 ) {
					return null;
				}
				for ( $d = $a; ; $d = ( $d + 1 ) % 7 ) { // "sat-mon" wraps over the week's end.
					$days[] = $d + 1;
					if ( $d === $b ) {
						break;
					}
				}
			}
			$from = 60 * (int) $m[2] + (int) $m[3];
			$to   = 60 * (int) $m[4] + (int) $m[5];
			if ( (int) $m[2] > 24 || (int) $m[4] > 24 || (int) $m[3] > 59 || (int) $m[5] > 59 || $from > 1440 || $to > 1440 || $from === $to ) {
				return null;
			}
			$ranges[] = array( 'days' => array_values( array_unique( $days ) ), 'from' => $from, 'to' => $to );
		}
		return $ranges ?: null;
	}

	/** Whether $at (a Unix time) falls in the staffed hours; a spec that does not parse counts as never. */
	public static function open( string $spec, int $at ): bool {
		$hours = self::parse( $spec );
		if ( is_string( $hours ) ) {
			return 'always' === $hours;
		}
		if ( null === $hours ) {
			return false;
		}
		$local = ( new \DateTimeImmutable( '@' . $at ) )->setTimezone( wp_timezone() );
		$day   = (int) $local->format( 'N' );
		$min   = 60 * (int) $local->format( 'G' ) + (int) $local->format( 'i' );
		$prev  = 1 === $day ? 7 : $day - 1;
		foreach ( $hours as $r ) {
			if ( $r['from'] < $r['to'] ) {
				if ( in_array( $day, $r['days'], true ) && $min >= $r['from'] && $min < $r['to'] ) {
					return true;
				}
			} elseif ( ( in_array( $day, $r['days'], true ) && $min >= $r['from'] ) || ( in_array( $prev, $r['days'], true ) && $min < $r['to'] ) ) {
				return true; // Past midnight: the evening of a listed day, or the small hours after one.
			}
		}
		return false;
	}
}
