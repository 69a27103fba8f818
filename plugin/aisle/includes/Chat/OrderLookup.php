<?php
/**
 * Order status for a visitor who knows the order number and the billing phone or email on it.
 * The contact is compared after normalization and in constant time; "no such order" and "does
 * not match" give the same answer; 5 attempts per 10 minutes per IP and per order. The contact
 * itself is never stored or sent to an AI provider (callers pass it from memory only).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

defined( 'ABSPATH' ) || exit;

final class OrderLookup {

	public const ATTEMPTS = 5;
	public const WINDOW   = 600;

	/** Tracking meta written by common shipment-tracking extensions. */
	private const TRACKING_META = array( '_wc_shipment_tracking_items', '_tracking_number', '_aftership_tracking_number' );

	/**
	 * @param string[] $contacts Phone numbers and emails the visitor typed (raw, from the redactor's finds).
	 * @return array{ok: bool, limited?: bool, text: string}
	 */
	public function lookup( string $order_number, array $contacts ): array {
		$ip = RateLimiter::ip();
		if ( RateLimiter::hit( 'order_ip:' . $ip, self::ATTEMPTS, self::WINDOW ) || RateLimiter::hit( 'order_no:' . $order_number, self::ATTEMPTS, self::WINDOW ) ) {
			return array( 'ok' => false, 'limited' => true, 'text' => __( 'Too many order look-ups. Please try again in a few minutes.', 'aisle' ) );
		}
		$order_id = (int) apply_filters( 'aisle_order_id_from_number', (int) $order_number, $order_number );
		$order    = $order_id > 0 && function_exists( 'wc_get_order' ) ? wc_get_order( $order_id ) : false;
		$order    = $order instanceof \WC_Order ? $order : null;
		// Compare against placeholders for an unknown order too, so both paths do the same work.
		$phone = $order ? self::digits( $order->get_billing_phone() ) : str_repeat( '0', 12 );
		$email = $order ? self::email( $order->get_billing_email() ) : 'unknown@invalid.invalid';
		$match = false;
		foreach ( $contacts as $contact ) {
			$match = ( str_contains( $contact, '@' ) ? self::same( $email, self::email( $contact ) ) : self::same_phone( $phone, self::digits( $contact ) ) ) || $match;
		}
		if ( ! $order || ! $match ) {
			return array( 'ok' => false, 'text' => self::no_match() );
		}
		return array( 'ok' => true, 'text' => $this->describe( $order ) );
	}

	public static function no_match(): string {
		return __( 'I could not find an order with that number and contact. Please check both and try again.', 'aisle' );
	}

	private function describe( \WC_Order $order ): string {
		$lines   = array();
		$lines[] = sprintf( /* translators: 1: order number, 2: status */ __( 'Order %1$s is **%2$s**.', 'aisle' ), $order->get_order_number(), wc_get_order_status_name( $order->get_status() ) );
		foreach ( $order->get_items() as $item ) {
			$lines[] = sprintf( '- %s × %d', $item->get_name(), $item->get_quantity() );
		}
		$lines[] = sprintf( /* translators: %s: order total */ __( 'Total: %s', 'aisle' ), Answerer::money( $order->get_total(), $order->get_currency() ) );
		if ( $order->get_shipping_method() ) {
			$lines[] = sprintf( /* translators: %s: shipping method */ __( 'Shipping: %s', 'aisle' ), $order->get_shipping_method() );
		}
		$tracking = $this->tracking( $order );
		if ( $tracking ) {
			$lines[] = sprintf( /* translators: %s: tracking numbers */ __( 'Tracking: %s', 'aisle' ), $tracking );
		}
		return implode( "\n", $lines );
	}

	private function tracking( \WC_Order $order ): string {
		foreach ( self::TRACKING_META as $key ) {
			$value = $order->get_meta( $key );
			if ( is_array( $value ) ) {
				$parts = array();
				foreach ( $value as $t ) {
					if ( is_array( $t ) && ! empty( $t['tracking_number'] ) ) {
						$parts[] = trim( ( $t['tracking_provider'] ?? $t['custom_tracking_provider'] ?? '' ) . ' ' . $t['tracking_number'] );
					}
				}
				if ( $parts ) {
					return sanitize_text_field( implode( ', ', $parts ) );
				}
			} elseif ( is_string( $value ) && '' !== $value ) {
				return sanitize_text_field( $value );
			}
		}
		return '';
	}

	/** Digits only; Arabic-Indic and Persian digits become ASCII. */
	public static function digits( string $phone ): string {
		$phone = strtr( $phone, array( '٠' => '0', '١' => '1', '٢' => '2', '٣' => '3', '٤' => '4', '٥' => '5', '٦' => '6', '٧' => '7', '٨' => '8', '٩' => '9', '۰' => '0', '۱' => '1', '۲' => '2', '۳' => '3', '۴' => '4', '۵' => '5', '۶' => '6', '۷' => '7', '۸' => '8', '۹' => '9' ) );
		return (string) preg_replace( '/\D+/', '', $phone );
	}

	private static function email( string $email ): string {
		return strtolower( trim( $email ) );
	}

	private static function same( string $known, string $given ): bool {
		return hash_equals( hash( 'sha256', $known ), hash( 'sha256', $given ) );
	}

	/**
	 * The same number written locally ("0612 345 678") or internationally ("+33 612 345 678"):
	 * compare the last 9 digits, after checking both have at least 7.
	 */
	private static function same_phone( string $known, string $given ): bool {
		$ok = strlen( $known ) >= 7 && strlen( $given ) >= 7;
		return self::same( substr( $known, -9 ), substr( $given, -9 ) ) && $ok;
	}
}
