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

/**
 * A large store from a generated one, in SQL: $copies more copies of every product and
 * variation row WooCommerce wrote (posts, postmeta, term_relationships, wc_product_meta_lookup,
 * wc_product_attributes_lookup). Copy c adds c * offset to each post id (and to a variation's
 * post_parent), appends "-c<c>" to slugs, "-C<c>" to SKUs and rewrites GUIDs; everything else
 * (titles, prices, stock, terms, images, meta order) is the original row's. Term counts are
 * recounted and transients dropped afterwards (aisle_bench_finish_store()).
 *
 * @return array{offset: int, copies: int, posts: int, postmeta: int}
 */
function aisle_bench_clone_store( int $copies ): array {
	global $wpdb;
	$max    = (int) $wpdb->get_var( "SELECT MAX(ID) FROM {$wpdb->posts}" );
	$offset = (int) ( ceil( ( $max + 1 ) / 10000 ) * 10000 );
	$run    = static function ( string $sql ) use ( $wpdb ): int {
		$r = $wpdb->query( $sql ); // phpcs:ignore WordPress.DB
		if ( false === $r ) {
			throw new RuntimeException( 'clone: ' . $wpdb->last_error . ' in ' . substr( $sql, 0, 300 ) );
		}
		return (int) $r;
	};
	// The originals, copied once into temporary tables (same keys): each copy then reads them in
	// primary-key order instead of reading and sorting the table it is writing to.
	$types  = "('product', 'product_variation')";
	$tables = array(
		'posts'    => array( $wpdb->posts, "SELECT * FROM {$wpdb->posts} WHERE post_type IN $types AND ID < $offset" ),
		'postmeta' => array( $wpdb->postmeta, "SELECT m.* FROM {$wpdb->postmeta} m JOIN {$wpdb->posts} p ON p.ID = m.post_id WHERE p.post_type IN $types AND p.ID < $offset" ),
		'rel'      => array( $wpdb->term_relationships, "SELECT r.* FROM {$wpdb->term_relationships} r JOIN {$wpdb->posts} p ON p.ID = r.object_id WHERE p.post_type IN $types AND p.ID < $offset" ),
		'lookup'   => array( "{$wpdb->prefix}wc_product_meta_lookup", "SELECT l.* FROM {$wpdb->prefix}wc_product_meta_lookup l JOIN {$wpdb->posts} p ON p.ID = l.product_id WHERE p.post_type IN $types AND p.ID < $offset" ),
		'attr'     => array( "{$wpdb->prefix}wc_product_attributes_lookup", "SELECT a.* FROM {$wpdb->prefix}wc_product_attributes_lookup a JOIN {$wpdb->posts} p ON p.ID = a.product_or_parent_id WHERE p.post_type IN $types AND p.ID < $offset" ),
	);
	foreach ( $tables as $name => $t ) {
		$run( "CREATE TEMPORARY TABLE aisle_bench_$name LIKE {$t[0]}" );
		$run( "INSERT INTO aisle_bench_$name {$t[1]}" );
	}
	$cols = static function ( string $table ) use ( $wpdb ): array {
		return $wpdb->get_col( "SHOW COLUMNS FROM $table" ); // phpcs:ignore WordPress.DB
	};
	$select = static function ( array $columns, array $override ): string {
		$out = array();
		foreach ( $columns as $c ) {
			$out[] = $override[ $c ] ?? "t.`$c`";
		}
		return implode( ', ', $out );
	};
	$posts_cols  = $cols( $wpdb->posts );
	$meta_cols   = array_values( array_diff( $cols( $wpdb->postmeta ), array( 'meta_id' ) ) );
	$lookup_cols = $cols( "{$wpdb->prefix}wc_product_meta_lookup" );
	$attr_cols   = $cols( "{$wpdb->prefix}wc_product_attributes_lookup" );
	$rel_cols    = $cols( $wpdb->term_relationships );
	$posts       = 0;
	$meta        = 0;
	for ( $c = 1; $c <= $copies; $c++ ) {
		$off = $c * $offset;
		$run( 'START TRANSACTION' );
		$posts += $run(
			"INSERT INTO {$wpdb->posts} (`" . implode( '`, `', $posts_cols ) . '`) SELECT ' . $select(
				$posts_cols,
				array(
					'ID'          => "t.ID + $off",
					'post_name'   => "CONCAT(t.post_name, '-c$c')",
					'post_parent' => "IF(t.post_type = 'product_variation', t.post_parent + $off, t.post_parent)",
					'guid'        => "IF(t.post_type = 'product', REPLACE(t.guid, CONCAT('/', t.post_name, '/'), CONCAT('/', t.post_name, '-c$c/')), REPLACE(t.guid, CONCAT('p=', t.ID), CONCAT('p=', t.ID + $off)))",
				)
			) . " FROM aisle_bench_posts t ORDER BY t.ID"
		);
		$meta += $run(
			"INSERT INTO {$wpdb->postmeta} (`" . implode( '`, `', $meta_cols ) . '`) SELECT ' . $select(
				$meta_cols,
				array(
					'post_id'    => "t.post_id + $off",
					'meta_value' => "IF(t.meta_key = '_sku' AND t.meta_value <> '', CONCAT(t.meta_value, '-C$c'), t.meta_value)",
				)
			) . " FROM aisle_bench_postmeta t ORDER BY t.meta_id" // Meta order matters (_price rows).
		);
		$run( "INSERT INTO {$wpdb->term_relationships} (`" . implode( '`, `', $rel_cols ) . '`) SELECT ' . $select( $rel_cols, array( 'object_id' => "t.object_id + $off" ) ) . " FROM aisle_bench_rel t" );
		$run( "INSERT INTO {$wpdb->prefix}wc_product_meta_lookup (`" . implode( '`, `', $lookup_cols ) . '`) SELECT ' . $select( $lookup_cols, array( 'product_id' => "t.product_id + $off", 'sku' => "IF(t.sku <> '', CONCAT(t.sku, '-C$c'), t.sku)" ) ) . " FROM aisle_bench_lookup t" );
		$run( "INSERT INTO {$wpdb->prefix}wc_product_attributes_lookup (`" . implode( '`, `', $attr_cols ) . '`) SELECT ' . $select( $attr_cols, array( 'product_id' => "t.product_id + $off", 'product_or_parent_id' => "t.product_or_parent_id + $off" ) ) . " FROM aisle_bench_attr t" );
		$run( 'COMMIT' );
	}
	foreach ( array_keys( $tables ) as $name ) {
		$run( "DROP TEMPORARY TABLE aisle_bench_$name" );
	}
	aisle_bench_finish_store();
	return array( 'offset' => $offset, 'copies' => $copies, 'posts' => $posts, 'postmeta' => $meta );
}

/**
 * Checks cloned products against their originals through WooCommerce's CRUD classes: what
 * wc_get_product() reads back for clone id + c * offset must be the original's, but for the
 * suffixed slug and SKUs and the offset ids. @return string[] Differences ('' none).
 */
function aisle_bench_check_clones( array $base_ids, int $offset, int $copies ): array {
	$problems = array();
	$view     = static function ( WC_Product $p, int $off, string $suffix, string $sku_suffix ): array {
		$children = array();
		foreach ( $p->get_children() as $child_id ) {
			$child      = wc_get_product( $child_id );
			$children[] = array( $child_id - $off, $child->get_sku() === '' ? '' : substr( $child->get_sku(), 0, strlen( $child->get_sku() ) - strlen( $sku_suffix ) ), $child->get_price(), $child->get_regular_price(), $child->get_sale_price(), $child->get_stock_status(), $child->get_attributes() );
		}
		$attrs = array();
		foreach ( $p->get_attributes() as $k => $a ) {
			$attrs[ $k ] = array( $a->get_name(), $a->get_options(), $a->get_visible(), $a->get_variation() );
		}
		return array(
			'type'     => $p->get_type(),
			'name'     => $p->get_name(),
			'status'   => $p->get_status(),
			'slug'     => substr( $p->get_slug(), 0, strlen( $p->get_slug() ) - strlen( $suffix ) ),
			'sku'      => substr( $p->get_sku(), 0, strlen( $p->get_sku() ) - strlen( $sku_suffix ) ),
			'price'    => array( $p->get_price(), $p->get_regular_price(), $p->get_sale_price() ),
			'stock'    => array( $p->get_stock_status(), $p->get_manage_stock(), $p->get_stock_quantity() ),
			'terms'    => array( $p->get_category_ids(), $p->get_tag_ids(), $p->get_catalog_visibility() ),
			'image'    => $p->get_image_id(),
			'desc'     => array( $p->get_description(), $p->get_short_description() ),
			'attrs'    => $attrs,
			'children' => $children,
			'url_ok'   => str_contains( get_permalink( $p->get_id() ), $p->get_slug() ),
		);
	};
	foreach ( $base_ids as $id ) {
		$original = wc_get_product( $id );
		if ( ! $original ) {
			$problems[] = "original $id not found";
			continue;
		}
		$want = $view( $original, 0, '', '' );
		foreach ( array_unique( array( 1, $copies ) ) as $c ) {
			$clone = wc_get_product( $id + $c * $offset );
			$got   = $clone ? $view( $clone, $c * $offset, "-c$c", "-C$c" ) : null;
			if ( $got !== $want ) {
				$problems[] = sprintf( 'clone %d of %d reads back as %s, original %s', $id + $c * $offset, $id, wp_json_encode( $got ), wp_json_encode( $want ) );
			} elseif ( $clone->get_sku() !== $original->get_sku() . "-C$c" || $clone->get_slug() !== $original->get_slug() . "-c$c" ) {
				$problems[] = "clone of $id: slug or SKU not unique";
			}
		}
	}
	return $problems;
}
