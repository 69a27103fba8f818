<?php
/**
 * The "Aisle" meta box on WooCommerce's order edit screen (HPOS: admin.php?page=wc-orders;
 * posts storage: post.php), added the way WooCommerce documents for both storages: the screen
 * id from wc_get_page_screen_id( 'shop-order' ), add_meta_box on add_meta_boxes. It says
 * whether the order was chat-assisted and links to the conversation while it is kept.
 * Shown only to users who may manage WooCommerce; every value escaped.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Attribution;
use Aisle\Plugin\Chat\Conversations;

defined( 'ABSPATH' ) || exit;

final class OrderAttributionAdmin {

	private const CAP = 'manage_woocommerce';

	public function __construct( private Conversations $conversations ) {}

	public function register(): void {
		add_action( 'add_meta_boxes', array( $this, 'add' ), 10, 2 );
	}

	/**
	 * @param string $screen_id The screen being built.
	 * @param mixed  $object    WP_Post (posts storage) or WC_Order (HPOS).
	 */
	public function add( $screen_id, $object = null ): void {
		if ( ! function_exists( 'wc_get_page_screen_id' ) || ! current_user_can( self::CAP ) ) {
			return;
		}
		$screen = wc_get_page_screen_id( 'shop-order' );
		if ( '' === $screen || $screen !== $screen_id ) {
			return;
		}
		$order = $this->order( $object );
		if ( ! $order || '' === (string) $order->get_meta( Attribution::META ) ) {
			return;
		}
		add_meta_box( 'aisle-order-attribution', __( 'Aisle', 'aisle' ), array( $this, 'render' ), $screen, 'side', 'default' );
	}

	/** @param mixed $object WP_Post or WC_Order, as WooCommerce passes it to the box. */
	public function render( $object ): void {
		$order = $this->order( $object );
		if ( ! $order || ! current_user_can( self::CAP ) ) {
			return;
		}
		$session = (string) $order->get_meta( Attribution::META );
		echo '<div id="aisle-order-attribution-box">';
		echo '<p><strong>' . esc_html__( 'Chat-assisted order', 'aisle' ) . '</strong></p>';
		echo '<p>' . esc_html__( 'The shopper followed a link from the Aisle chat before placing this order.', 'aisle' ) . '</p>';
		$conv = $this->conversations->find( $session );
		if ( $conv ) {
			$url = AdminMenu::url( 'chats', array( 'conversation' => (int) $conv->id ) );
			echo '<p><a class="aisle-order-conversation" href="' . esc_url( $url ) . '">' . esc_html__( 'View the conversation', 'aisle' ) . '</a></p>';
		} else {
			echo '<p>' . esc_html__( 'The conversation is no longer kept (it has passed its retention period).', 'aisle' ) . '</p>';
		}
		echo '<p class="description">' . esc_html(
			sprintf(
				/* translators: %s: the chat session id */
				__( 'Chat session: %s', 'aisle' ),
				$session
			)
		) . '</p></div>';
	}

	/** @param mixed $object */
	private function order( $object ): ?\WC_Order {
		if ( $object instanceof \WC_Order ) {
			return $object;
		}
		if ( $object instanceof \WP_Post ) {
			$order = wc_get_order( $object->ID );
			return $order instanceof \WC_Order ? $order : null;
		}
		return null;
	}
}
