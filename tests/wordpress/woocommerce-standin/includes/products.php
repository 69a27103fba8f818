<?php
// phpcs:ignoreFile -- test stand-in.
/*
 * Writing products the way WooCommerce's data store leaves them in the database (posts, meta,
 * terms, wc_product_meta_lookup) and firing its hooks. Only what Aisle reads.
 */

/** A minimal product object for hooks that pass one (stock hooks pass WC_Product). */
final class Standin_Product {
	public function __construct( private int $id, private int $parent_id = 0 ) {}
	public function get_id(): int { return $this->id; }
	public function get_parent_id(): int { return $this->parent_id; }
}

/** Registers a global attribute (woocommerce_attribute_taxonomies + pa_* taxonomy). */
function standin_add_attribute( string $name, string $label ): void {
	global $wpdb;
	if ( ! $wpdb->get_var( $wpdb->prepare( "SELECT attribute_id FROM {$wpdb->prefix}woocommerce_attribute_taxonomies WHERE attribute_name = %s", $name ) ) ) {
		$wpdb->insert( $wpdb->prefix . 'woocommerce_attribute_taxonomies', array( 'attribute_name' => $name, 'attribute_label' => $label, 'attribute_type' => 'select', 'attribute_orderby' => 'menu_order', 'attribute_public' => 0 ) );
	}
	register_taxonomy( 'pa_' . $name, array( 'product' ), array( 'hierarchical' => false, 'public' => false ) );
}

function standin_write_lookup( int $id, array $d ): void {
	global $wpdb;
	$wpdb->replace(
		$wpdb->prefix . 'wc_product_meta_lookup',
		array(
			'product_id'     => $id,
			'sku'            => $d['sku'] ?? '',
			'min_price'      => $d['min_price'] ?? ( $d['price'] ?? null ),
			'max_price'      => $d['max_price'] ?? ( $d['price'] ?? null ),
			'onsale'         => ! empty( $d['sale_price'] ) ? 1 : 0,
			'stock_quantity' => $d['stock_quantity'] ?? null,
			'stock_status'   => $d['stock_status'] ?? 'instock',
			'rating_count'   => $d['rating_count'] ?? 0,
			'average_rating' => $d['average_rating'] ?? 0,
			'total_sales'    => $d['total_sales'] ?? 0,
		)
	);
}

/**
 * Creates or updates a simple or variable product, then fires woocommerce_new_product or
 * woocommerce_update_product like WC_Product_Data_Store_CPT.
 * $d: id?, name, description, short_description, sku, regular_price, sale_price, stock_status,
 * stock_quantity, categories[], tags[], attributes[name => values[]] (pa_ if registered),
 * variations[] (sku, regular_price, sale_price, stock_status, attributes[taxonomy => slug]).
 */
function standin_save_product( array $d ): int {
	$is_new = empty( $d['id'] );
	$postarr = array(
		'post_type'    => 'product',
		'post_status'  => $d['status'] ?? 'publish',
		'post_title'   => $d['name'],
		'post_content' => $d['description'] ?? '',
		'post_excerpt' => $d['short_description'] ?? '',
	);
	if ( ! $is_new ) {
		$postarr['ID'] = (int) $d['id'];
	}
	$id    = (int) wp_insert_post( $postarr, true );
	$price = ( $d['sale_price'] ?? '' ) !== '' ? $d['sale_price'] : ( $d['regular_price'] ?? '' );
	update_post_meta( $id, '_sku', $d['sku'] ?? '' );
	update_post_meta( $id, '_regular_price', $d['regular_price'] ?? '' );
	update_post_meta( $id, '_sale_price', $d['sale_price'] ?? '' );
	update_post_meta( $id, '_price', $price );
	update_post_meta( $id, '_stock_status', $d['stock_status'] ?? 'instock' );
	wp_set_object_terms( $id, empty( $d['variations'] ) ? 'simple' : 'variable', 'product_type' );
	wp_set_object_terms( $id, $d['categories'] ?? array(), 'product_cat' );
	wp_set_object_terms( $id, $d['tags'] ?? array(), 'product_tag' );
	$vis = array();
	if ( ! empty( $d['hidden'] ) ) {
		$vis = array( 'exclude-from-catalog', 'exclude-from-search' );
	}
	if ( 'outofstock' === ( $d['stock_status'] ?? '' ) ) {
		$vis[] = 'outofstock';
	}
	wp_set_object_terms( $id, $vis, 'product_visibility' );

	$attr_meta = array();
	foreach ( $d['attributes'] ?? array() as $name => $values ) {
		if ( taxonomy_exists( $name ) ) {
			wp_set_object_terms( $id, $values, $name );
			$attr_meta[ $name ] = array( 'name' => $name, 'value' => '', 'position' => count( $attr_meta ), 'is_visible' => 1, 'is_variation' => ! empty( $d['variations'] ) ? 1 : 0, 'is_taxonomy' => 1 );
		} else {
			$key = sanitize_title( $name );
			$attr_meta[ $key ] = array( 'name' => $name, 'value' => implode( ' | ', $values ), 'position' => count( $attr_meta ), 'is_visible' => 1, 'is_variation' => 0, 'is_taxonomy' => 0 );
		}
	}
	update_post_meta( $id, '_product_attributes', $attr_meta );

	$prices = array();
	foreach ( $d['variations'] ?? array() as $v ) {
		$vid    = (int) wp_insert_post( array( 'post_type' => 'product_variation', 'post_status' => 'publish', 'post_parent' => $id, 'post_title' => $d['name'] ), true );
		$vprice = ( $v['sale_price'] ?? '' ) !== '' ? $v['sale_price'] : $v['regular_price'];
		update_post_meta( $vid, '_sku', $v['sku'] ?? '' );
		update_post_meta( $vid, '_regular_price', $v['regular_price'] );
		update_post_meta( $vid, '_sale_price', $v['sale_price'] ?? '' );
		update_post_meta( $vid, '_price', $vprice );
		foreach ( $v['attributes'] as $tax => $slug ) {
			update_post_meta( $vid, 'attribute_' . $tax, $slug );
		}
		standin_write_lookup( $vid, array( 'sku' => $v['sku'] ?? '', 'price' => $vprice, 'stock_status' => $v['stock_status'] ?? 'instock' ) );
		$prices[] = (float) $vprice;
	}
	standin_write_lookup(
		$id,
		array(
			'sku'            => $d['sku'] ?? '',
			'min_price'      => $prices ? min( $prices ) : ( '' === $price ? null : $price ),
			'max_price'      => $prices ? max( $prices ) : ( '' === $price ? null : $price ),
			'sale_price'     => $d['sale_price'] ?? '',
			'stock_status'   => $d['stock_status'] ?? 'instock',
			'stock_quantity' => $d['stock_quantity'] ?? null,
		)
	);
	do_action( $is_new ? 'woocommerce_new_product' : 'woocommerce_update_product', $id, new Standin_Product( $id ) );
	return $id;
}

/** WC_Product_Data_Store_CPT::delete: trash, or delete for good. */
function standin_delete_product( int $id, bool $force = false ): void {
	if ( $force ) {
		do_action( 'woocommerce_before_delete_product', $id );
		wp_delete_post( $id, true );
		global $wpdb;
		$wpdb->delete( $wpdb->prefix . 'wc_product_meta_lookup', array( 'product_id' => $id ) );
		do_action( 'woocommerce_delete_product', $id );
	} else {
		wp_trash_post( $id );
		do_action( 'woocommerce_trash_product', $id );
	}
}

/**
 * A catalog of $n simple products written in bulk (multi-row INSERTs), the way an importer
 * would leave it: no hooks fire. Deterministic content, a few categories and one attribute.
 */
function standin_generate_products( int $n, int $seed = 1 ): void {
	global $wpdb;
	$cats = array();
	foreach ( array( 'Shoes', 'Shirts', 'Bags', 'Hats', 'Socks' ) as $c ) {
		$t      = term_exists( $c, 'product_cat' ) ?: wp_insert_term( $c, 'product_cat' );
		$cats[] = (int) $t['term_taxonomy_id'];
	}
	$simple = term_exists( 'simple', 'product_type' );
	$colors = array( 'Blue', 'Red', 'Green', 'Black', 'White' );
	$now    = gmdate( 'Y-m-d H:i:s' );
	mt_srand( $seed );
	for ( $start = 0; $start < $n; $start += 500 ) {
		$count = min( 500, $n - $start );
		$posts = array();
		for ( $i = 0; $i < $count; $i++ ) {
			$k       = $start + $i + 1;
			$color   = $colors[ $k % 5 ];
			$posts[] = $wpdb->prepare( '(1, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)', $now, $now, "<p>A comfortable <strong>$color</strong> item number $k &amp; friends.</p>", "Demo product $k ($color)", "Short text $k", 'publish', 'open', 'closed', "demo-product-$k", '', '', $now, $now, 'product' );
		}
		$wpdb->query( "INSERT INTO {$wpdb->posts} (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, ping_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_type) VALUES " . implode( ',', $posts ) );
		$first = (int) $wpdb->insert_id; // First id of a multi-row insert.
		$meta  = array();
		$look  = array();
		$rel   = array();
		for ( $i = 0; $i < $count; $i++ ) {
			$id    = $first + $i;
			$k     = $start + $i + 1;
			$price = number_format( 5 + mt_rand( 0, 20000 ) / 100, 2, '.', '' );
			$stock = 0 === $k % 10 ? 'outofstock' : 'instock';
			foreach ( array( '_sku' => "SKU-$k", '_regular_price' => $price, '_sale_price' => '', '_price' => $price, '_stock_status' => $stock, '_product_attributes' => serialize( array( 'material' => array( 'name' => 'Material', 'value' => 'Cotton | Wool', 'position' => 0, 'is_visible' => 1, 'is_variation' => 0, 'is_taxonomy' => 0 ) ) ) ) as $key => $value ) {
				$meta[] = $wpdb->prepare( '(%d, %s, %s)', $id, $key, $value );
			}
			$look[] = $wpdb->prepare( "(%d, %s, %s, %s, 0, %s, 0, 0, 0)", $id, "SKU-$k", $price, $price, $stock );
			$rel[]  = $wpdb->prepare( '(%d, %d)', $id, $cats[ $k % count( $cats ) ] );
			$rel[]  = $wpdb->prepare( '(%d, %d)', $id, (int) $simple['term_taxonomy_id'] );
		}
		$wpdb->query( "INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) VALUES " . implode( ',', $meta ) );
		$wpdb->query( "INSERT INTO {$wpdb->prefix}wc_product_meta_lookup (product_id, sku, min_price, max_price, onsale, stock_status, rating_count, average_rating, total_sales) VALUES " . implode( ',', $look ) );
		$wpdb->query( "INSERT INTO {$wpdb->term_relationships} (object_id, term_taxonomy_id) VALUES " . implode( ',', $rel ) );
	}
	foreach ( array_merge( $cats, array( (int) $simple['term_taxonomy_id'] ) ) as $tt ) {
		$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->term_taxonomy} SET count = (SELECT COUNT(*) FROM {$wpdb->term_relationships} WHERE term_taxonomy_id = %d) WHERE term_taxonomy_id = %d", $tt, $tt ) );
	}
	wp_cache_flush();
}
