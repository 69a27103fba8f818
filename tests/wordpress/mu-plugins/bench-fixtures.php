<?php
/**
 * Test site only (mu-plugin): a large, realistic generated catalog for tests/bench/sync.php,
 * written through WooCommerce's CRUD classes (WC_Product_Simple, WC_Product_Variable,
 * WC_Product_Variation ->save()), so every table and hook WooCommerce keeps is filled by
 * WooCommerce itself. Fast the way an importer is fast: transactions of 100 products, term
 * counting deferred, transients kept in memory while it runs (as on a store with a persistent
 * object cache; WooCommerce clears a dozen transients on every save), several worker
 * processes each writing its own share of the products (aisle_bench_prepare_store() first).
 *
 * Product k (1..n) is deterministic for a seed: ten categories (one or two), tags from a pool
 * of twenty, a global Color attribute (pa_color) and a custom Material; every $variable_every-th
 * is a variable product with four variations over the global Size (pa_size); every 7th on sale;
 * every 10th out of stock; every 3rd manages stock; every 4th has an image (a pool of 20
 * attachments); every 50th is hidden from the catalog; every 97th is a draft.
 */

defined( 'ABSPATH' ) || exit;

const AISLE_BENCH_GENERATOR = 3; // Bump when the generated store changes (cache key).

/** Terms, attributes and images every worker uses; run once, before the workers. */
function aisle_bench_prepare_store(): array {
	aisle_test_add_attribute( 'color', 'Color' );
	aisle_test_add_attribute( 'size', 'Size' );
	$colors = aisle_test_term_ids( array( 'blue', 'red', 'green', 'black', 'white', 'grey' ), 'pa_color', true );
	$sizes  = aisle_test_term_ids( array( 's', 'm', 'l', 'xl' ), 'pa_size', true );
	$cats   = aisle_test_term_ids( array( 'Shoes', 'Shirts', 'Bags', 'Hats', 'Socks', 'Jackets', 'Scarves', 'Belts', 'Gloves', 'Watches' ), 'product_cat' );
	$tags   = array();
	for ( $i = 1; $i <= 20; $i++ ) {
		$tags[] = "tag-$i";
	}
	$tags   = aisle_test_term_ids( $tags, 'product_tag' );
	$images = array();
	for ( $i = 1; $i <= 20; $i++ ) {
		$file = "2026/01/bench-$i.jpg";
		$found = get_posts( array( 'post_type' => 'attachment', 'post_status' => 'inherit', 'meta_key' => '_wp_attached_file', 'meta_value' => $file, 'fields' => 'ids', 'numberposts' => 1 ) ); // phpcs:ignore
		$images[] = $found ? (int) $found[0] : (int) wp_insert_attachment( array( 'post_title' => "Bench image $i", 'post_mime_type' => 'image/jpeg', 'post_status' => 'inherit' ), $file );
	}
	$state = compact( 'colors', 'sizes', 'cats', 'tags', 'images' );
	update_option( 'aisle_bench_store', $state, false );
	return $state;
}

/** Worker $worker of $workers writes products k = worker+1, worker+1+workers, … up to $n. */
function aisle_bench_generate_products( int $n, int $seed = 1, int $variable_every = 5, int $worker = 0, int $workers = 1 ): int {
	global $wpdb;
	$store = get_option( 'aisle_bench_store' );
	if ( ! is_array( $store ) ) {
		throw new RuntimeException( 'aisle_bench_prepare_store() first' );
	}
	$colors = array( 'blue', 'red', 'green', 'black', 'white', 'grey' );
	wp_defer_term_counting( true );
	wp_suspend_cache_invalidation( true );
	wp_using_ext_object_cache( true );
	$made = 0;
	for ( $k = $worker + 1; $k <= $n; $k += $workers ) {
		if ( 0 === $made % 100 ) {
			$wpdb->query( 'START TRANSACTION' );
		}
		mt_srand( $seed * 1000003 + $k );
		$color    = $colors[ $k % 6 ];
		$price    = number_format( 5 + mt_rand( 0, 20000 ) / 100, 2, '.', '' );
		$variable = $variable_every > 0 && 0 === $k % $variable_every;
		$product  = $variable ? new WC_Product_Variable() : new WC_Product_Simple();
		$product->set_name( "Bench product $k (" . ucfirst( $color ) . ')' );
		$product->set_slug( "bench-product-$k" );
		$product->set_status( 0 === $k % 97 ? 'draft' : 'publish' );
		$product->set_description( "<p>A comfortable <strong>$color</strong> item number $k &amp; friends. " . str_repeat( 'Made to last, easy to wash, and ready for every day. ', 1 + $k % 4 ) . '</p>' );
		$product->set_short_description( "Short text $k" );
		$product->set_sku( "BENCH-$k" );
		$cat_ids = array( $store['cats'][ $k % 10 ] );
		if ( 0 === $k % 3 ) {
			$cat_ids[] = $store['cats'][ ( $k + 3 ) % 10 ];
		}
		$product->set_category_ids( $cat_ids );
		$product->set_tag_ids( array_slice( array( $store['tags'][ $k % 20 ], $store['tags'][ ( $k * 7 ) % 20 ], $store['tags'][ ( $k * 13 ) % 20 ] ), 0, 1 + $k % 3 ) );
		if ( 0 === $k % 4 ) {
			$product->set_image_id( $store['images'][ $k % 20 ] );
		}
		if ( 0 === $k % 50 ) {
			$product->set_catalog_visibility( 'hidden' );
		}
		if ( 0 === $k % 3 && ! $variable ) {
			$product->set_manage_stock( true );
			$product->set_stock_quantity( 0 === $k % 10 ? 0 : mt_rand( 1, 80 ) );
		}
		$product->set_stock_status( 0 === $k % 10 ? 'outofstock' : 'instock' );

		$pa_color = new WC_Product_Attribute();
		$pa_color->set_id( wc_attribute_taxonomy_id_by_name( 'pa_color' ) );
		$pa_color->set_name( 'pa_color' );
		$pa_color->set_options( array( $store['colors'][ $k % 6 ] ) );
		$pa_color->set_position( 0 );
		$pa_color->set_visible( true );
		$material = new WC_Product_Attribute();
		$material->set_name( 'Material' );
		$material->set_options( 0 === $k % 2 ? array( 'Cotton', 'Wool' ) : array( 'Linen' ) );
		$material->set_position( 1 );
		$material->set_visible( true );
		$attributes = array( $pa_color, $material );
		if ( $variable ) {
			$size = new WC_Product_Attribute();
			$size->set_id( wc_attribute_taxonomy_id_by_name( 'pa_size' ) );
			$size->set_name( 'pa_size' );
			$size->set_options( $store['sizes'] );
			$size->set_position( 2 );
			$size->set_visible( true );
			$size->set_variation( true );
			$attributes[] = $size;
		} else {
			$product->set_regular_price( $price );
			if ( 0 === $k % 7 ) {
				$product->set_sale_price( number_format( (float) $price * 0.8, 2, '.', '' ) );
			}
		}
		$product->set_attributes( $attributes );
		$id = $product->save();
		if ( $variable ) {
			foreach ( array( 's', 'm', 'l', 'xl' ) as $j => $s ) {
				$variation = new WC_Product_Variation();
				$variation->set_parent_id( $id );
				$variation->set_sku( "BENCH-$k-$s" );
				$regular = number_format( (float) $price + $j, 2, '.', '' );
				$variation->set_regular_price( $regular );
				if ( 0 === $k % 7 ) {
					$variation->set_sale_price( number_format( (float) $regular * 0.8, 2, '.', '' ) );
				}
				$variation->set_stock_status( 0 === ( $k + $j ) % 10 ? 'outofstock' : 'instock' );
				$variation->set_attributes( array( 'pa_size' => $s ) );
				$variation->save();
			}
			WC_Product_Variable::sync( $id );
		}
		++$made;
		if ( 0 === $made % 100 ) {
			$wpdb->query( 'COMMIT' );
			wp_cache_flush();
		}
	}
	$wpdb->query( 'COMMIT' );
	wp_using_ext_object_cache( false );
	wp_suspend_cache_invalidation( false );
	wp_cache_flush();
	return $made;
}

/** After the workers: term counts, and the transients the saves would have cleared. */
function aisle_bench_finish_store(): bool {
	global $wpdb;
	foreach ( array( 'product_cat', 'product_tag', 'product_type', 'product_visibility', 'pa_color', 'pa_size' ) as $taxonomy ) {
		$ids = get_terms( array( 'taxonomy' => $taxonomy, 'hide_empty' => false, 'fields' => 'tt_ids' ) );
		if ( is_array( $ids ) && $ids ) {
			wp_update_term_count_now( $ids, $taxonomy );
		}
	}
	$wpdb->query( "DELETE FROM {$wpdb->options} WHERE option_name LIKE '\\_transient\\_%' OR option_name LIKE '\\_site\\_transient\\_%'" );
	wp_cache_flush();
	return true;
}
