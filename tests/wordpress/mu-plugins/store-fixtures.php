<?php
/**
 * Test site only (mu-plugin): builds test store content through WooCommerce's own CRUD classes
 * (WC_Product_*, WC_Shipping_Zone, WC_Order), so every hook and table WooCommerce keeps is
 * written by WooCommerce itself.
 */

defined( 'ABSPATH' ) || exit;

/** A global attribute (pa_$slug), created once; registered for the rest of this request too. */
function aisle_test_add_attribute( string $slug, string $label ): int {
	$id = wc_attribute_taxonomy_id_by_name( $slug );
	if ( ! $id ) {
		$id = wc_create_attribute( array( 'name' => $label, 'slug' => $slug, 'type' => 'select', 'order_by' => 'menu_order', 'has_archives' => false ) );
		if ( is_wp_error( $id ) ) {
			throw new RuntimeException( $id->get_error_message() );
		}
	}
	$taxonomy = wc_attribute_taxonomy_name( $slug );
	if ( ! taxonomy_exists( $taxonomy ) ) {
		register_taxonomy( $taxonomy, array( 'product' ), array( 'hierarchical' => false, 'public' => false ) );
	}
	return (int) $id;
}

/** Term ids of $names in $taxonomy, created when missing (by name; slugs for pa_* values). */
function aisle_test_term_ids( array $names, string $taxonomy, bool $by_slug = false ): array {
	$ids = array();
	foreach ( $names as $name ) {
		$term = $by_slug ? get_term_by( 'slug', $name, $taxonomy ) : get_term_by( 'name', $name, $taxonomy );
		if ( ! $term ) {
			$made = wp_insert_term( $by_slug ? ucfirst( $name ) : $name, $taxonomy, $by_slug ? array( 'slug' => $name ) : array() );
			if ( is_wp_error( $made ) ) {
				throw new RuntimeException( "$taxonomy $name: " . $made->get_error_message() );
			}
			$ids[] = (int) $made['term_id'];
		} else {
			$ids[] = (int) $term->term_id;
		}
	}
	return $ids;
}

/**
 * Creates or updates a simple or variable product and returns its id.
 * $d: id?, name, description, short_description, sku, regular_price, sale_price, status,
 * stock_status, stock_quantity, hidden, categories[], tags[], image_id,
 * attributes[name => values[]] (pa_* taxonomies take term slugs; other names are custom),
 * variations[] (sku, regular_price, sale_price, stock_status, attributes[name => slug or value]).
 */
function aisle_test_save_product( array $d ): int {
	$variable = ! empty( $d['variations'] );
	if ( ! empty( $d['id'] ) ) {
		$product = wc_get_product( (int) $d['id'] );
	} else {
		$product = $variable ? new WC_Product_Variable() : new WC_Product_Simple();
	}
	$product->set_name( $d['name'] );
	$product->set_status( $d['status'] ?? 'publish' );
	$product->set_description( $d['description'] ?? '' );
	$product->set_short_description( $d['short_description'] ?? '' );
	$product->set_sku( $d['sku'] ?? '' );
	if ( ! $variable ) {
		$product->set_regular_price( $d['regular_price'] ?? '' );
		$product->set_sale_price( $d['sale_price'] ?? '' );
	}
	if ( isset( $d['stock_quantity'] ) ) {
		$product->set_manage_stock( true );
		$product->set_stock_quantity( (int) $d['stock_quantity'] );
	}
	$product->set_stock_status( $d['stock_status'] ?? 'instock' );
	$product->set_catalog_visibility( ! empty( $d['hidden'] ) ? 'hidden' : 'visible' );
	$product->set_category_ids( aisle_test_term_ids( $d['categories'] ?? array(), 'product_cat' ) );
	$product->set_tag_ids( aisle_test_term_ids( $d['tags'] ?? array(), 'product_tag' ) );
	if ( isset( $d['image_id'] ) ) {
		$product->set_image_id( (int) $d['image_id'] );
	}
	$attributes = array();
	$position   = 0;
	foreach ( $d['attributes'] ?? array() as $name => $values ) {
		$attribute = new WC_Product_Attribute();
		if ( taxonomy_exists( $name ) ) {
			$attribute->set_id( wc_attribute_taxonomy_id_by_name( $name ) );
			$attribute->set_options( aisle_test_term_ids( $values, $name, true ) );
		} else {
			$attribute->set_id( 0 );
			$attribute->set_options( $values );
		}
		$attribute->set_name( $name );
		$attribute->set_position( $position++ );
		$attribute->set_visible( true );
		$attribute->set_variation( $variable );
		$attributes[] = $attribute;
	}
	$product->set_attributes( $attributes );
	$id = (int) $product->save();

	foreach ( $d['variations'] ?? array() as $v ) {
		$variation = new WC_Product_Variation();
		$variation->set_parent_id( $id );
		$variation->set_sku( $v['sku'] ?? '' );
		$variation->set_regular_price( $v['regular_price'] );
		$variation->set_sale_price( $v['sale_price'] ?? '' );
		$variation->set_stock_status( $v['stock_status'] ?? 'instock' );
		$keys = array();
		foreach ( $v['attributes'] as $name => $value ) {
			$keys[ taxonomy_exists( $name ) ? $name : sanitize_title( $name ) ] = $value;
		}
		$variation->set_attributes( $keys );
		$variation->save();
	}
	if ( $variable ) {
		WC_Product_Variable::sync( $id );
	}
	return $id;
}

/** WooCommerce's own delete: to the trash, or for good ($force, variations included). */
function aisle_test_delete_product( int $id, bool $force = false ): void {
	$product = wc_get_product( $id );
	if ( $product ) {
		$product->delete( $force );
	}
}

/**
 * $n generated products through the CRUD classes, in transactions of 200 (what an importer
 * does to go faster; hooks still fire). Deterministic for a $seed: five categories, a custom
 * Material attribute, every tenth out of stock; with $variable_every > 0, every that many-th is
 * a variable product with four Size variations.
 */
function aisle_test_generate_products( int $n, int $seed = 1, int $variable_every = 0 ): int {
	global $wpdb;
	$cats   = aisle_test_term_ids( array( 'Shoes', 'Shirts', 'Bags', 'Hats', 'Socks' ), 'product_cat' );
	$colors = array( 'Blue', 'Red', 'Green', 'Black', 'White' );
	$start  = (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product' AND post_name LIKE 'demo-product-%'" );
	mt_srand( $seed + $start );
	wp_defer_term_counting( true );
	wp_suspend_cache_invalidation( true );
	$material = new WC_Product_Attribute();
	$material->set_name( 'Material' );
	$material->set_options( array( 'Cotton', 'Wool' ) );
	$material->set_visible( true );
	for ( $i = 0; $i < $n; $i++ ) {
		if ( 0 === $i % 200 ) {
			$wpdb->query( 'START TRANSACTION' );
		}
		$k        = $start + $i + 1;
		$color    = $colors[ $k % 5 ];
		$price    = number_format( 5 + mt_rand( 0, 20000 ) / 100, 2, '.', '' );
		$variable = $variable_every > 0 && 0 === $k % $variable_every;
		$product  = $variable ? new WC_Product_Variable() : new WC_Product_Simple();
		$product->set_name( "Demo product $k ($color)" );
		$product->set_slug( "demo-product-$k" );
		$product->set_status( 'publish' );
		$product->set_description( "<p>A comfortable <strong>$color</strong> item number $k &amp; friends.</p>" );
		$product->set_short_description( "Short text $k" );
		$product->set_sku( "SKU-$k" );
		$product->set_category_ids( array( $cats[ $k % count( $cats ) ] ) );
		$product->set_stock_status( 0 === $k % 10 ? 'outofstock' : 'instock' );
		$attributes = array( clone $material );
		if ( $variable ) {
			$size = new WC_Product_Attribute();
			$size->set_name( 'Size' );
			$size->set_options( array( 'S', 'M', 'L', 'XL' ) );
			$size->set_visible( true );
			$size->set_variation( true );
			$attributes[] = $size;
		} else {
			$product->set_regular_price( $price );
		}
		$product->set_attributes( $attributes );
		$id = $product->save();
		if ( $variable ) {
			foreach ( array( 'S', 'M', 'L', 'XL' ) as $j => $s ) {
				$variation = new WC_Product_Variation();
				$variation->set_parent_id( $id );
				$variation->set_sku( "SKU-$k-$s" );
				$variation->set_regular_price( number_format( (float) $price + $j, 2, '.', '' ) );
				$variation->set_attributes( array( 'size' => $s ) );
				$variation->save();
			}
			WC_Product_Variable::sync( $id );
		}
		if ( 199 === $i % 200 || $i === $n - 1 ) {
			$wpdb->query( 'COMMIT' );
			wp_cache_flush();
		}
	}
	wp_suspend_cache_invalidation( false );
	wp_defer_term_counting( false );
	wp_cache_flush();
	return $n;
}

/**
 * Replaces the store's shipping zones and payment gateway settings.
 * $store: zones[] (zone_name, locations[] (type, code), methods[] (id, title, enabled, settings[])),
 * rest_of_world[] (methods for "locations not covered"), gateways[] (id: bacs|cheque|cod,
 * title, description, enabled).
 */
function aisle_test_configure_store( array $store ): void {
	foreach ( WC_Shipping_Zones::get_zones() as $zone ) {
		WC_Shipping_Zones::delete_zone( $zone['id'] );
	}
	$add_methods = static function ( WC_Shipping_Zone $zone, array $methods ): void {
		foreach ( $zone->get_shipping_methods() as $instance_id => $method ) {
			$zone->delete_shipping_method( $instance_id );
		}
		foreach ( $methods as $m ) {
			$instance = $zone->add_shipping_method( $m['id'] );
			update_option( "woocommerce_{$m['id']}_{$instance}_settings", array( 'title' => $m['title'] ) + ( $m['settings'] ?? array() ) );
			if ( 'no' === ( $m['enabled'] ?? 'yes' ) ) {
				global $wpdb;
				$wpdb->update( "{$wpdb->prefix}woocommerce_shipping_zone_methods", array( 'is_enabled' => 0 ), array( 'instance_id' => $instance ) );
			}
		}
	};
	foreach ( $store['zones'] ?? array() as $i => $z ) {
		$zone = new WC_Shipping_Zone();
		$zone->set_zone_name( $z['zone_name'] );
		$zone->set_zone_order( $i );
		foreach ( $z['locations'] ?? array() as $l ) {
			$zone->add_location( $l['code'], $l['type'] );
		}
		$zone->save();
		$add_methods( $zone, $z['methods'] ?? array() );
	}
	$add_methods( WC_Shipping_Zones::get_zone( 0 ), $store['rest_of_world'] ?? array() );
	foreach ( array( 'bacs', 'cheque', 'cod' ) as $id ) {
		update_option( "woocommerce_{$id}_settings", array_merge( (array) get_option( "woocommerce_{$id}_settings", array() ), array( 'enabled' => 'no' ) ) );
	}
	foreach ( $store['gateways'] ?? array() as $g ) {
		update_option(
			"woocommerce_{$g['id']}_settings",
			array_merge( (array) get_option( "woocommerce_{$g['id']}_settings", array() ), array( 'enabled' => $g['enabled'] ?? 'yes', 'title' => $g['title'], 'description' => $g['description'] ?? '' ) )
		);
	}
	WC()->payment_gateways()->init();
	WC_Cache_Helper::get_transient_version( 'shipping', true );
}

/**
 * An order through WooCommerce's order CRUD (HPOS or posts, whichever the store uses); returns
 * its id. $d: status, customer_id, billing_first_name, billing_phone, billing_email,
 * shipping_method (title), items[] (product_id or name, qty, total), meta[key => value].
 */
function aisle_test_create_order( array $d ): int {
	$order = wc_create_order( array( 'customer_id' => (int) ( $d['customer_id'] ?? 0 ) ) );
	foreach ( $d['items'] ?? array() as $item ) {
		if ( ! empty( $item['product_id'] ) ) {
			$order->add_product( wc_get_product( (int) $item['product_id'] ), (int) ( $item['qty'] ?? 1 ) );
			continue;
		}
		$line = new WC_Order_Item_Product();
		$line->set_name( $item['name'] );
		$line->set_quantity( (int) $item['qty'] );
		$line->set_subtotal( (string) $item['total'] );
		$line->set_total( (string) $item['total'] );
		$order->add_item( $line );
	}
	if ( ! empty( $d['shipping_method'] ) ) {
		$ship = new WC_Order_Item_Shipping();
		$ship->set_method_title( $d['shipping_method'] );
		$ship->set_method_id( 'flat_rate' );
		$ship->set_total( '0' );
		$order->add_item( $ship );
	}
	$order->set_billing_first_name( $d['billing_first_name'] ?? 'Test' );
	$order->set_billing_phone( $d['billing_phone'] ?? '' );
	$order->set_billing_email( $d['billing_email'] ?? '' );
	$order->set_payment_method( 'cod' );
	foreach ( $d['meta'] ?? array() as $key => $value ) {
		$order->update_meta_data( $key, $value );
	}
	$order->calculate_totals( false );
	if ( isset( $d['total'] ) ) {
		$order->set_total( (string) $d['total'] );
	}
	$order->set_status( $d['status'] ?? 'pending' );
	return (int) $order->save();
}
