<?php
/**
 * The assistant's reply as each channel shows text: WhatsApp has its own *bold* and shows plain
 * links; Messenger and Instagram show plain text only. Product cards become short lines with
 * price, stock and link. Each channel caps one message (WhatsApp 4,096, Messenger 2,000,
 * Instagram 1,000 characters): longer replies are split at sentence boundaries.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

defined( 'ABSPATH' ) || exit;

final class Formatter {

	public const LIMITS = array(
		'whatsapp'  => 4096,
		'messenger' => 2000,
		'instagram' => 1000,
	);

	/** @param array<int, array> $products Answerer::card() shapes. */
	public static function format( string $channel, string $reply, array $products = array() ): string {
		$wa   = 'whatsapp' === $channel;
		$text = str_replace( "\r\n", "\n", $reply );
		// Markdown links: "[name](url)" → "name: url" (no channel renders Markdown links).
		$text = (string) preg_replace( '/\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)/u', '$1: $2', $text );
		// **bold** / __bold__ → WhatsApp *bold*, or plain elsewhere.
		$text = (string) preg_replace( '/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/u', $wa ? '*$2*' : '$2', $text );
		// Headings and list bullets read fine as plain lines.
		$text = (string) preg_replace( '/^#{1,6}\s+/mu', '', $text );
		$text = (string) preg_replace( '/^\s*[-*]\s+/mu', '• ', $text );
		$text = wp_strip_all_tags( $text, false );
		$text = html_entity_decode( $text, ENT_QUOTES | ENT_HTML5, 'UTF-8' );
		$lines = array();
		foreach ( array_slice( $products, 0, 4 ) as $p ) {
			$name  = (string) ( $p['name'] ?? '' );
			$parts = array( $wa ? '*' . $name . '*' : $name );
			if ( '' !== (string) ( $p['price_text'] ?? '' ) ) {
				$parts[] = html_entity_decode( wp_strip_all_tags( (string) $p['price_text'] ), ENT_QUOTES | ENT_HTML5, 'UTF-8' );
			}
			$parts[] = ! empty( $p['in_stock'] ) ? __( 'in stock', 'aisle' ) : __( 'out of stock', 'aisle' );
			$lines[] = '• ' . implode( ' — ', $parts ) . ( '' !== (string) ( $p['url'] ?? '' ) ? "\n" . $p['url'] : '' );
		}
		if ( $lines ) {
			$text = rtrim( $text ) . "\n\n" . implode( "\n", $lines );
		}
		return trim( (string) preg_replace( "/\n{3,}/", "\n\n", $text ) );
	}

	/**
	 * Splits $text into messages of at most $limit characters: at paragraph, then sentence, then
	 * word boundaries; a single word longer than $limit (a huge URL) is cut.
	 *
	 * @return list<string>
	 */
	public static function split( string $text, int $limit ): array {
		$text = trim( $text );
		if ( mb_strlen( $text ) <= $limit ) {
			return '' === $text ? array() : array( $text );
		}
		// Line breaks, then sentence ends (Latin, Arabic, CJK punctuation), are the cut points;
		// each piece remembers what joined it to the one before.
		$pieces = array();
		foreach ( preg_split( '/\n+/u', $text, -1, PREG_SPLIT_NO_EMPTY ) as $line ) {
			$glue = "\n";
			foreach ( preg_split( '/(?<=[.!?؟。！？])\s+/u', trim( $line ), -1, PREG_SPLIT_NO_EMPTY ) as $sentence ) {
				foreach ( self::fit( $sentence, $limit ) as $part ) {
					$pieces[] = array( $glue, $part );
					$glue     = ' ';
				}
			}
		}
		$out = array();
		$cur = '';
		foreach ( $pieces as [ $glue, $part ] ) {
			$joined = '' === $cur ? $part : $cur . $glue . $part;
			if ( mb_strlen( $joined ) <= $limit ) {
				$cur = $joined;
			} else {
				$out[] = $cur;
				$cur   = $part;
			}
		}
		if ( '' !== $cur ) {
			$out[] = $cur;
		}
		return $out;
	}

	/** @return list<string> $piece in parts of at most $limit characters, cut between words where possible. */
	private static function fit( string $piece, int $limit ): array {
		$out = array();
		while ( mb_strlen( $piece ) > $limit ) {
			$cut = mb_strrpos( mb_substr( $piece, 0, $limit + 1 ), ' ' );
			$cut = false === $cut || $cut < $limit / 2 ? $limit : $cut;
			$out[] = rtrim( mb_substr( $piece, 0, $cut ) );
			$piece = ltrim( mb_substr( $piece, $cut ) );
		}
		if ( '' !== $piece ) {
			$out[] = $piece;
		}
		return $out;
	}
}
