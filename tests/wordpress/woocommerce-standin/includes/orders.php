<?php
// phpcs:ignoreFile -- test stand-in.
/**
 * Orders and the customer session, only the calls Aisle makes: wc_get_order(), the WC_Order
 * getters (HPOS-safe CRUD API, never post meta directly), wc_get_order_status_name(), wc_price(),
 * WC()->session->get/set and the woocommerce_checkout_order_created action. Orders live in an
 * option (standin_orders) because Aisle must never read order storage itself.
 */

class WC_Order_Item_Product {
	public function __construct( private array $item ) {}
	public function get_name() { return $this->item['name']; }
	public function get_quantity() { return (int) $this->item['qty']; }
	public function get_total() { return (string) $this->item['total']; }
}

class WC_Order {
	private array $d;
	public function __construct( array $d ) { $this->d = $d + array( 'meta' => array(), 'items' => array() ); }
	public function get_id() { return (int) $this->d['id']; }
	public function get_order_number() { return (string) $this->d['id']; }
	public function get_status() { return $this->d['status']; }
	public function get_billing_phone() { return (string) ( $this->d['billing_phone'] ?? '' ); }
	public function get_billing_email() { return (string) ( $this->d['billing_email'] ?? '' ); }
	public function get_total() { return (string) $this->d['total']; }
	public function get_currency() { return (string) ( $this->d['currency'] ?? 'USD' ); }
	public function get_shipping_method() { return (string) ( $this->d['shipping_method'] ?? '' ); }
	public function get_items( $types = 'line_item' ) { return array_map( static fn ( $i ) => new WC_Order_Item_Product( $i ), $this->d['items'] ); }
	public function get_meta( $key = '', $single = true, $context = 'view' ) { return $this->d['meta'][ $key ] ?? ''; }
	public function update_meta_data( $key, $value ) { $this->d['meta'][ $key ] = $value; }
	public function save() {
		$all = get_option( 'standin_orders', array() );
		$all[ $this->get_id() ] = $this->d;
		update_option( 'standin_orders', $all, false );
		return $this->get_id();
	}
}

function wc_get_order( $the_order = false ) {
	$all = get_option( 'standin_orders', array() );
	$id  = is_numeric( $the_order ) ? (int) $the_order : 0;
	return isset( $all[ $id ] ) ? new WC_Order( $all[ $id ] ) : false;
}

/** Test helper: creates an order and fires the checkout action real WooCommerce fires. */
function standin_create_order( array $d ): int {
	$all   = get_option( 'standin_orders', array() );
	$d['id'] = $d['id'] ?? ( $all ? max( array_keys( $all ) ) + 1 : 1001 );
	$order = new WC_Order( $d );
	$order->save();
	do_action( 'woocommerce_checkout_order_created', $order );
	return $order->get_id();
}

function wc_get_order_status_name( $status ) {
	$names = array( 'pending' => 'Pending payment', 'processing' => 'Processing', 'on-hold' => 'On hold', 'completed' => 'Completed', 'cancelled' => 'Cancelled', 'refunded' => 'Refunded', 'failed' => 'Failed' );
	$status = str_starts_with( $status, 'wc-' ) ? substr( $status, 3 ) : $status;
	return $names[ $status ] ?? $status;
}

function wc_price( $price, $args = array() ) {
	$currency = $args['currency'] ?? get_woocommerce_currency();
	$symbol   = array( 'USD' => '&#36;', 'EUR' => '&euro;', 'GBP' => '&pound;' )[ $currency ] ?? $currency;
	return '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">' . $symbol . '</span>' . number_format( (float) $price, 2, '.', ',' ) . '</bdi></span>';
}

/** WC_Session_Handler's get/set, kept in a cookie-less per-request array plus an option per visitor id. */
class Standin_Session {
	private array $data = array();
	public function get( $key, $default = null ) { return $this->data[ $key ] ?? $default; }
	public function set( $key, $value ) { $this->data[ $key ] = $value; }
}
