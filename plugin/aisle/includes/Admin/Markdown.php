<?php
/**
 * The widget's markdown subset for admin screens (transcripts): **bold**, [text](url) and "- " /
 * "1. " lists, the same as widget.js renders for the shopper. Everything is escaped first; a link
 * survives only to this store's own host, like in the widget. Returns safe HTML.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

defined( 'ABSPATH' ) || exit;

final class Markdown {

	public static function render( string $text ): string {
		$out  = '';
		$list = '';
		foreach ( preg_split( '/\R/u', $text ) as $line ) {
			if ( preg_match( '/^\s*(?:[-*]|(\d+)[.)])\s+(.*)$/u', $line, $m ) ) {
				$tag = '' !== $m[1] ? 'ol' : 'ul';
				if ( $list !== $tag ) {
					$out .= $list ? "</{$list}>" : '';
					$out .= "<{$tag}>";
					$list = $tag;
				}
				$out .= '<li>' . self::inline( $m[2] ) . '</li>';
				continue;
			}
			if ( $list ) {
				$out .= "</{$list}>";
				$list = '';
			}
			if ( '' !== trim( $line ) ) {
				$out .= '<p>' . self::inline( $line ) . '</p>';
			}
		}
		return $out . ( $list ? "</{$list}>" : '' );
	}

	private static function inline( string $text ): string {
		$html = '';
		$last = 0;
		preg_match_all( '/\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/u', $text, $all, PREG_SET_ORDER | PREG_OFFSET_CAPTURE );
		foreach ( $all as $m ) {
			$html .= esc_html( substr( $text, $last, $m[0][1] - $last ) );
			if ( isset( $m[1] ) && '' !== $m[1][0] && -1 !== $m[1][1] ) {
				$html .= '<strong>' . esc_html( $m[1][0] ) . '</strong>';
			} else {
				$url   = self::store_url( $m[3][0] );
				$html .= $url ? '<a href="' . esc_url( $url ) . '">' . esc_html( $m[2][0] ) . '</a>' : esc_html( $m[2][0] );
			}
			$last = $m[0][1] + strlen( $m[0][0] );
		}
		return $html . esc_html( substr( $text, $last ) );
	}

	/** The address if it is an http(s) link to this store, else null. */
	public static function store_url( string $url ): ?string {
		$parts = wp_parse_url( $url );
		$home  = wp_parse_url( home_url(), PHP_URL_HOST );
		if ( ! is_array( $parts ) || ! in_array( $parts['scheme'] ?? '', array( 'http', 'https' ), true ) || ( $parts['host'] ?? '' ) !== $home ) {
			return null;
		}
		return $url;
	}
}
