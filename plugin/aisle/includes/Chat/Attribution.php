<?php
/**
 * Chat-assisted orders: chat links carry ?aisle_session=<uuid>; the id goes into WooCommerce's
 * own customer session (no cookie of ours) and, at checkout, into order meta through the CRUD
 * API (HPOS-safe).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Admin\Stats;

defined( 'ABSPATH' ) || exit;

final class Attribution {

	public const META = '_aisle_session';

	public function register(): void {
		add_action( 'wp_loaded', array( $this, 'capture' ) );
		add_action( 'woocommerce_checkout_order_created', array( $this, 'tag' ) );
		add_action( 'woocommerce_store_api_checkout_order_processed', array( $this, 'tag' ) );
	}

	public function capture(): void {
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- a tracking id in a link, no action taken.
		$id = isset( $_GET['aisle_session'] ) ? strtolower( sanitize_text_field( wp_unslash( $_GET['aisle_session'] ) ) ) : '';
		if ( '' === $id || ! preg_match( '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/', $id ) ) {
			return;
		}
		if ( ! function_exists( 'WC' ) || ! isset( WC()->session ) || ! WC()->session ) {
			return;
		}
		$session = WC()->session;
		// WooCommerce keeps a guest's session data only once its own session cookie exists, which
		// normally happens at the first cart action. A visitor who followed a product link from the
		// chat has no cart yet: start WooCommerce's session now, or the attribution is lost.
		if ( method_exists( $session, 'has_session' ) && ! $session->has_session() && method_exists( $session, 'set_customer_session_cookie' ) ) {
			$session->set_customer_session_cookie( true );
		}
		$session->set( 'aisle_session', $id );
	}

	public function tag( $order ): void {
		if ( ! $order instanceof \WC_Order || ! function_exists( 'WC' ) || ! isset( WC()->session ) || ! WC()->session ) {
			return;
		}
		$id = (string) WC()->session->get( 'aisle_session', '' );
		if ( '' === $id ) {
			return;
		}
		// The Store API fires its hook again when a shopper retries a failed payment on the same
		// (draft) order: count each order once.
		if ( (string) $order->get_meta( self::META ) === $id ) {
			return;
		}
		$order->update_meta_data( self::META, $id );
		$order->save();
		Stats::bump( 'orders' );
		// In cents of the store currency: the dashboard's chat-assisted revenue.
		Stats::bump( 'revenue', (int) round( (float) $order->get_total() * 100 ) );
	}
}
