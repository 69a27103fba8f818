<?php
/**
 * The only class that reads WooCommerce. Everything else works on the plain arrays it returns.
 *
 * Products are read in batches with a handful of bulk queries over long-stable tables (posts,
 * postmeta, wc_product_meta_lookup, term relationships, woocommerce_attribute_taxonomies) —
 * never one WC_Product per product. Store facts use WooCommerce's public objects, which are few.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

defined( 'ABSPATH' ) || exit;

final class WooAdapter {

	/** The postmeta keys a product row needs: the prices, and these (a variation's: the prices and attribute_*). */
	public const PRICE_KEYS   = "'_price', '_regular_price', '_sale_price'";
	public const PRODUCT_KEYS = "'_thumbnail_id', '_product_attributes'";

	private ReadAhead $read_ahead;

	/** A full sync's read window (ReadWindow), while one is open. */
	private ?ReadWindow $window = null;

	public function __construct() {
		$this->read_ahead = new ReadAhead();
	}

	/**
	 * Reads the window of a full sync's next products ($ids, in id order) in whole-table passes
	 * (ReadWindow); products() then takes from it what it covers. False when no window opened
	 * (a database drop-in, a failed pass): the batches read as before.
	 *
	 * @param int[] $ids
	 */
	public function open_window( array $ids ): bool {
		$this->window = ReadWindow::read( array_values( array_map( 'intval', $ids ) ) );
		return null !== $this->window;
	}

	/** Builds the WHERE filter that decides which products the assistant may know about. */
	private function filter_sql( array $opts ): string {
		global $wpdb;
		$sql = "p.post_type = 'product' AND p.post_status = 'publish'";
		if ( empty( $opts['include_out_of_stock'] ) ) {
			$sql .= " AND NOT EXISTS (SELECT 1 FROM {$wpdb->prefix}wc_product_meta_lookup l WHERE l.product_id = p.ID AND l.stock_status = 'outofstock')";
		}
		if ( empty( $opts['include_hidden'] ) ) {
			// WooCommerce marks catalog visibility "hidden" with both product_visibility terms.
			$sql .= " AND p.ID NOT IN (SELECT tr.object_id FROM {$wpdb->term_relationships} tr
				JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id AND tt.taxonomy = 'product_visibility'
				JOIN {$wpdb->terms} t ON t.term_id = tt.term_id AND t.slug IN ('exclude-from-catalog', 'exclude-from-search')
				GROUP BY tr.object_id HAVING COUNT(DISTINCT t.slug) = 2)";
		}
		return $sql;
	}

	public function count_products( array $opts ): int {
		global $wpdb;
		return (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->posts} p WHERE " . $this->filter_sql( $opts ) ); // phpcs:ignore WordPress.DB -- static SQL built above.
	}

	/** @return int[] The next $limit product ids after $after_id, in id order (the resume cursor). */
	public function product_ids_after( int $after_id, int $limit, array $opts ): array {
		global $wpdb;
		// The primary key, walked from the cursor: left to itself MySQL picks type_status_date,
		// reads every product row and sorts them, once per batch (quadratic over a full sync).
		$sql = "SELECT p.ID FROM {$wpdb->posts} p FORCE INDEX (PRIMARY) WHERE " . $this->filter_sql( $opts ) . ' AND p.ID > %d ORDER BY p.ID ASC LIMIT %d';
		return array_map( 'intval', $wpdb->get_col( $wpdb->prepare( $sql, $after_id, $limit ) ) ); // phpcs:ignore WordPress.DB
	}

	/** @return int[] Those of $ids that pass the filter today (deltas: the rest leave the index). */
	public function filter_ids( array $ids, array $opts ): array {
		global $wpdb;
		if ( ! $ids ) {
			return array();
		}
		$in = implode( ',', array_map( 'intval', $ids ) );
		return array_map( 'intval', $wpdb->get_col( "SELECT p.ID FROM {$wpdb->posts} p WHERE " . $this->filter_sql( $opts ) . " AND p.ID IN ($in)" ) ); // phpcs:ignore WordPress.DB
	}

	/**
	 * Products as Aisle\Catalog rows (DESIGN.md "A product passed to Catalog::addMany"), each as
	 * the CRUD path reads it (tests/wordpress/AdapterParityTest.php holds the two side by side).
	 *
	 * Seven queries a batch, each on a primary key or the index made for it: posts, variations
	 * (post_parent), wc_product_meta_lookup, a fixed list of postmeta keys (post_id), term
	 * relationships (their primary key, index only) and the few terms they name, image files.
	 *
	 * $read_ahead: the ids the caller will ask for next (a full sync's next batch). Once this
	 * batch's queries are done, the next batch's variations are read and its postmeta query (half
	 * of a batch's database time) is sent on a second connection, so MariaDB works on it on the
	 * other core while PHP builds this batch's rows; the next call with those ids picks it up.
	 *
	 * @param int[] $ids        Product ids (post_type product).
	 * @param int[] $read_ahead Product ids of the next call, or none.
	 * @return array<int, array>
	 */
	public function products( array $ids, array $read_ahead = array() ): array {
		global $wpdb;
		$ids = array_values( array_unique( array_filter( array_map( 'intval', $ids ) ) ) );
		if ( ! $ids ) {
			return array();
		}
		$in = implode( ',', $ids );

		// 1. Posts: the products (whole rows: they seed the post cache get_permalink() reads), then
		// their published variations (only the columns used). Two queries, because an OR across ID
		// and post_parent keeps MySQL from using either index and scans the whole posts table.
		// The variations query forces the post_parent index: with a long IN list MySQL otherwise
		// scans every post, which grows with the store.
		$posts  = array();
		$var    = array();
		$direct = false;
		foreach ( $this->read_ahead->take_posts( $ids ) ?? self::objects( self::posts_sql( $in ) ) as $p ) {
			if ( 'product_variation' === $p->post_type ) {
				$var[ (int) $p->ID ] = array( (int) $p->ID, (int) $p->post_parent, (int) $p->menu_order );
				$direct              = true;
			}
			$posts[] = $p;
		}
		// From the sync's read window when it holds these products; else what the last call read
		// ahead for these ids, unless a variation was passed in directly (its meta is not in that
		// query) or the ids differ (the store changed in between).
		$window = ! $direct && null !== $this->window && $this->window->covers( $ids ) ? $this->window->take( $ids ) : null;
		$ahead  = null === $window ? $this->read_ahead->take( $ids ) : null;
		if ( null !== $ahead && $direct ) {
			$ahead = null;
		}
		foreach ( $window['variations'] ?? ( $ahead ? $ahead['variations'] : self::variation_rows( $in ) ) as $r ) {
			$var[ (int) $r[0] ] = array( (int) $r[0], (int) $r[1], (int) $r[2] );
		}
		if ( $direct ) {
			// Only when a variation id was passed in directly: restore the one (menu_order, ID) order.
			uasort( $var, static fn ( $a, $b ) => array( $a[2], $a[0] ) <=> array( $b[2], $b[0] ) );
		}
		$var_ids = array_keys( $var );
		$all     = $ids;
		foreach ( $var_ids as $vid ) {
			$all[] = $vid;
		}
		// The addresses: from one template when the store's allow it (link_template()); else
		// get_permalink() per product, which looks posts up in the object cache: seeded from this
		// query rather than letting it run one query per product, dropped again below.
		$link   = self::link_template( $posts );
		$seeded = null === $link;
		if ( $seeded ) {
			update_post_cache( $posts );
		}
		$all_in = implode( ',', array_unique( $all ) );
		$var_in = $var_ids ? implode( ',', $var_ids ) : '';

		// 2. The lookup table WooCommerce keeps for exactly this kind of read (primary key).
		$lookup = $window['lookup'] ?? array();
		if ( null === $window ) {
			foreach ( self::rows( 'SELECT ' . ReadWindow::LOOKUP_COLUMNS . " FROM {$wpdb->prefix}wc_product_meta_lookup WHERE product_id IN ($all_in)" ) as $row ) { // phpcs:ignore WordPress.DB
				$lookup[ (int) $row[0] ] = $row;
			}
		}

		// 3. The meta the lookup table does not carry (meta_sql()); of repeated keys the lowest meta_id.
		$meta = $window['meta'] ?? array();
		if ( null === $window ) {
			$first = array();
			$rows  = $ahead ? $ahead['meta']() : null;
			foreach ( $rows ?? self::rows( self::meta_sql( $in, $var_in ) ) as $m ) {
				$pid = (int) $m[0];
				if ( isset( $meta[ $pid ][ $m[1] ] ) ) {
					if ( (int) $m[3] > $first[ $pid . ' ' . $m[1] ] ) {
						continue;
					}
				}
				$meta[ $pid ][ $m[1] ]         = $m[2];
				$first[ $pid . ' ' . $m[1] ] = (int) $m[3];
			}
			unset( $first );
		}

		// 4. Terms: the relationships from their primary key alone (object_id first, no row
		// reads), then the few distinct terms they point at, in name order (as get_the_terms()).
		$rel     = $window['relationships'] ?? self::rows( "SELECT object_id, term_taxonomy_id FROM {$wpdb->term_relationships} WHERE object_id IN ($in)" ); // phpcs:ignore WordPress.DB
		$term_of = $window['terms'] ?? null;
		if ( null === $term_of ) {
			$tt = array();
			foreach ( $rel as $r ) {
				$tt[ (int) $r[1] ] = true;
			}
			$term_of = self::terms( array_keys( $tt ) );
		}
		$terms = array();
		foreach ( $rel as $r ) {
			$t = $term_of[ (int) $r[1] ] ?? null;
			if ( null !== $t ) {
				$terms[ (int) $r[0] ][ $t[0] ][ $t[3] ] = array( $t[1], $t[2] );
			}
		}
		unset( $rel, $term_of );

		// 5. Attribute labels (WooCommerce caches the list).
		$labels = self::attribute_labels();

		// 6. Image URLs from attachment meta, without loading attachment posts one by one.
		$thumb_ids = array();
		foreach ( $ids as $id ) {
			if ( ! empty( $meta[ $id ]['_thumbnail_id'] ) ) {
				$thumb_ids[ (int) $meta[ $id ]['_thumbnail_id'] ] = true;
			}
		}
		$images = array();
		if ( $thumb_ids ) {
			$base = trailingslashit( wp_upload_dir( null, false )['baseurl'] );
			foreach ( self::rows( 'SELECT post_id, meta_value FROM ' . $wpdb->postmeta . " WHERE post_id IN (" . implode( ',', array_keys( $thumb_ids ) ) . ") AND meta_key = '_wp_attached_file'" ) as $f ) { // phpcs:ignore WordPress.DB
				$images[ (int) $f[0] ] = $base . ltrim( $f[1], '/' );
			}
		}

		// Every query of this batch is done: start the next batch's slow one before building rows
		// (of a batch the read window holds, the posts: its other reads are in memory).
		if ( $read_ahead && null !== $this->window && $this->window->covers( $read_ahead ) ) {
			$this->read_ahead->start_posts( $read_ahead );
		} elseif ( $read_ahead ) {
			$this->read_ahead->start( $read_ahead );
		}

		$currency   = get_woocommerce_currency();
		$cached     = self::cache_categories_for_permalinks( $ids );
		$variations = array();
		$products   = array();
		foreach ( $var as $v ) {
			$variations[ $v[1] ][] = $v[0];
		}
		foreach ( $posts as $post ) {
			if ( 'product' !== $post->post_type ) {
				continue;
			}
			$id = (int) $post->ID;
			$l  = $lookup[ $id ] ?? null;
			$m  = $meta[ $id ] ?? array();
			$t  = $terms[ $id ] ?? array();
			foreach ( $t as $tax => $list ) {
				if ( count( $list ) > 1 ) {
					ksort( $t[ $tax ] );
				}
			}

			// Visible attributes, in the product's order; names variations use (their meta key is
			// attribute_ + the sanitized name, or the taxonomy) => the label shown.
			$attributes = array();
			$att_names  = array();
			foreach ( $this->attribute_meta( $m['_product_attributes'] ?? '' ) as $key => $attr ) {
				if ( ! empty( $attr['is_taxonomy'] ) ) {
					$values = array();
					foreach ( $t[ $key ] ?? array() as $term ) {
						$values[] = $term[1];
					}
					$name = $labels[ $key ] ?? $key;
				} else {
					$values = array();
					foreach ( explode( '|', (string) ( $attr['value'] ?? '' ) ) as $value ) {
						$value = trim( $value );
						if ( '' !== $value ) {
							$values[] = $value;
						}
					}
					$name = (string) ( $attr['name'] ?? $key );
				}
				$att_names[ (string) $key ] = $name;
				if ( $values && ! empty( $attr['is_visible'] ) ) {
					$attributes[ $name ] = $values;
				}
			}

			$type = 'simple';
			foreach ( $t['product_type'] ?? array() as $term ) {
				$type = $term[0];
				break;
			}
			$product = array(
				'id'                => $id,
				'name'              => $post->post_title,
				'sku'               => (string) ( $l[1] ?? '' ),
				'type'              => $type,
				'status'            => $post->post_status,
				'permalink'         => null !== $link && 'publish' === $post->post_status && '' !== $post->post_name ? $link[0] . $post->post_name . $link[1] : get_permalink( $post ),
				'price'             => (string) ( $m['_price'] ?? '' ),
				'regular_price'     => (string) ( $m['_regular_price'] ?? '' ),
				'sale_price'        => (string) ( $m['_sale_price'] ?? '' ),
				'currency'          => $currency,
				'stock_status'      => (string) ( $l[3] ?? 'instock' ),
				'stock_quantity'    => isset( $l[2] ) ? (int) $l[2] : null,
				'categories'        => self::names( $t['product_cat'] ?? null ),
				'tags'              => self::names( $t['product_tag'] ?? null ),
				'attributes'        => $attributes,
				'variations'        => array(),
				'short_description' => $post->post_excerpt,
				'description'       => $post->post_content,
				'rating'            => isset( $l[5] ) ? (float) $l[5] : 0.0,
				'review_count'      => (int) ( $l[4] ?? 0 ),
				'total_sales'       => (int) ( $l[6] ?? 0 ),
				'updated_at'        => strtotime( $post->post_modified_gmt . ' UTC' ) ?: 0,
			);
			$thumb = (int) ( $m['_thumbnail_id'] ?? 0 );
			if ( isset( $images[ $thumb ] ) ) {
				$product['image'] = $images[ $thumb ];
			}
			foreach ( $variations[ $id ] ?? array() as $vid ) {
				$vl   = $lookup[ $vid ] ?? null;
				$vm   = $meta[ $vid ] ?? array();
				$found = array();
				foreach ( $vm as $key => $value ) {
					if ( '' !== $value && str_starts_with( $key, 'attribute_' ) ) {
						$tax  = substr( $key, 10 );
						$name = $att_names[ $tax ] ?? ( $labels[ $tax ] ?? $tax );
						// Global attributes store the term slug; show the term name.
						$label = $value;
						foreach ( $t[ $tax ] ?? array() as $term ) {
							if ( $term[0] === $value ) {
								$label = $term[1];
								break;
							}
						}
						$found[ $tax ] = array( $name, (string) $label );
					}
				}
				// In the parent's attribute order, as WooCommerce lists them (the meta rows come
				// in whatever order they were written).
				$vatt = array();
				foreach ( array_keys( $att_names ) as $tax ) {
					if ( isset( $found[ $tax ] ) ) {
						$vatt[ $found[ $tax ][0] ] = $found[ $tax ][1];
						unset( $found[ $tax ] );
					}
				}
				foreach ( $found as $f ) {
					$vatt[ $f[0] ] = $f[1];
				}
				$product['variations'][] = array(
					'id'             => $vid,
					'sku'            => (string) ( $vl[1] ?? '' ),
					'price'          => (string) ( $vm['_price'] ?? '' ),
					'regular_price'  => (string) ( $vm['_regular_price'] ?? '' ),
					'sale_price'     => (string) ( $vm['_sale_price'] ?? '' ),
					'stock_status'   => (string) ( $vl[3] ?? 'instock' ),
					'stock_quantity' => isset( $vl[2] ) ? (int) $vl[2] : null,
					'attributes'     => $vatt,
				);
			}
			$products[] = $product;
		}
		if ( $seeded ) {
			foreach ( $posts as $post ) {
				wp_cache_delete( (int) $post->ID, 'posts' );
			}
		}
		if ( $cached ) {
			foreach ( get_object_taxonomies( 'product' ) as $taxonomy ) {
				wp_cache_delete_multiple( $cached, $taxonomy . '_relationships' );
			}
		}
		return $products;
	}

	/**
	 * The two strings every published product's address has around its slug, or null when
	 * get_permalink() must build each one.
	 *
	 * get_permalink() per product (get_post_types(), the permastruct, the filters) was a third of
	 * a sync's reads (make bench-sync: 1.05 s with it, 0.75 s with the template). With a product
	 * base of the slug alone ("product/%product%", any prefix) and nothing hooked on the way but WooCommerce's own filters, which leave an
	 * address with no % tag as it is, an address is home_url() of the base with the slug put in.
	 * The template comes from WordPress's own functions, and must give get_permalink()'s answer
	 * for the batch's first and last products. Another plugin's filter (a multilingual one, a
	 * custom base), a category or brand in the base, or plain permalinks: null.
	 *
	 * @param object[] $posts The batch's posts (products and variations).
	 * @return array{0: string, 1: string}|null
	 */
	private static function link_template( array $posts ): ?array {
		global $wp_rewrite, $wp_filter;
		$struct = $wp_rewrite instanceof \WP_Rewrite ? (string) $wp_rewrite->get_extra_permastruct( 'product' ) : '';
		if ( 2 !== substr_count( $struct, '%' ) || ! str_contains( $struct, '%product%' ) || has_filter( 'home_url' ) || has_filter( 'user_trailingslashit' ) ) {
			return null;
		}
		foreach ( isset( $wp_filter['post_type_link'] ) ? $wp_filter['post_type_link']->callbacks : array() as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( ! self::is_woocommerce_link_filter( $callback['function'] ) ) {
					return null;
				}
			}
		}
		$probes = array();
		foreach ( $posts as $post ) {
			if ( 'product' === $post->post_type && 'publish' === $post->post_status && '' !== $post->post_name ) {
				$probes[0] ??= $post;
				$probes[1]   = $post;
			}
		}
		if ( ! $probes ) {
			return null;
		}
		$parts = explode( "\x01", home_url( user_trailingslashit( str_replace( '%product%', "\x01", $struct ) ) ) );
		if ( 2 !== count( $parts ) ) {
			return null;
		}
		foreach ( $probes as $post ) {
			if ( get_permalink( $post ) !== $parts[0] . $post->post_name . $parts[1] ) {
				return null;
			}
		}
		return $parts;
	}

	/** WooCommerce's post_type_link filters: each returns a product address with no % tag unchanged. */
	private static function is_woocommerce_link_filter( $fn ): bool {
		if ( 'wc_product_post_type_link' === $fn ) {
			return true;
		}
		return is_array( $fn ) && 2 === count( $fn )
			&& ( array( 'WC_Post_Data', 'variation_post_link' ) === $fn || ( $fn[0] instanceof \WC_Brands && 'post_type_link' === $fn[1] ) );
	}

	/**
	 * WooCommerce puts a product's category in its address when the product base holds
	 * %product_cat% ("Shop base with category"): get_permalink() then reads each product's
	 * categories through get_the_terms(), one query a product (500 a batch) unless they are in
	 * the object cache. So the batch's term relationships are cached in one query, and dropped
	 * again once its rows are built (memory stays flat over a full sync).
	 *
	 * @param int[] $ids
	 * @return int[] The ids whose relationships this put in the cache.
	 */
	private static function cache_categories_for_permalinks( array $ids ): array {
		global $wp_rewrite;
		$struct = $wp_rewrite instanceof \WP_Rewrite ? (string) $wp_rewrite->get_extra_permastruct( 'product' ) : '';
		if ( ! str_contains( $struct, '%product_cat%' ) && ! str_contains( $struct, '%category%' ) ) {
			return array();
		}
		$known = wp_cache_get_multiple( $ids, 'product_cat_relationships' );
		$added = array_values( array_filter( $ids, static fn ( $id ) => false === ( $known[ $id ] ?? false ) ) );
		if ( $added ) {
			update_object_term_cache( $added, 'product' );
		}
		return $added;
	}

	/** Ends a run of read-ahead calls: nothing is kept for a next call, the second connection is closed. */
	public function end_read_ahead(): void {
		$this->window = null;
		$this->read_ahead->release();
	}

	/**
	 * The product terms (categories, tags, types, global attributes) of these term_taxonomy_ids:
	 * tt id => [taxonomy, slug, name, place in name order (as get_the_terms() lists them)].
	 *
	 * @param int[] $tt_ids
	 * @return array<int, array{0: string, 1: string, 2: string, 3: int}>
	 */
	public static function terms( array $tt_ids ): array {
		global $wpdb;
		$term_of = array();
		if ( $tt_ids ) {
			$order = 0;
			foreach ( self::rows( "SELECT tt.term_taxonomy_id, tt.taxonomy, t.name, t.slug FROM {$wpdb->term_taxonomy} tt JOIN {$wpdb->terms} t ON t.term_id = tt.term_id WHERE tt.term_taxonomy_id IN (" . implode( ',', array_map( 'intval', $tt_ids ) ) . ") AND (tt.taxonomy IN ('product_cat', 'product_tag', 'product_type') OR tt.taxonomy LIKE 'pa\\_%') ORDER BY t.name" ) as $t ) { // phpcs:ignore WordPress.DB
				$term_of[ (int) $t[0] ] = array( $t[1], $t[3], $t[2], $order++ );
			}
		}
		return $term_of;
	}

	/** The posts of $in (an id list), whole rows, in the order a batch lists them. */
	public static function posts_sql( string $in ): string {
		global $wpdb;
		return "SELECT * FROM {$wpdb->posts} WHERE ID IN ($in) ORDER BY menu_order ASC, ID ASC";
	}

	/** Published variations of the products in $in (an id list), in the order WooCommerce lists them. */
	public static function variation_rows( string $in ): array {
		global $wpdb;
		// post_parent forced: with a long IN list MySQL otherwise scans every post.
		return self::rows( "SELECT ID, post_parent, menu_order FROM {$wpdb->posts} FORCE INDEX (post_parent) WHERE post_parent IN ($in) AND post_type = 'product_variation' AND post_status = 'publish' ORDER BY menu_order ASC, ID ASC" ); // phpcs:ignore WordPress.DB
	}

	/**
	 * The meta the lookup table does not carry, by post_id (its index) with a fixed key list:
	 * prices, image and attributes for products ($in); prices and attribute_* for variations
	 * ($var_in, may be empty). meta_id too: a variable product keeps one _price row per variation
	 * price, lowest first, and get_price() reads the first (lowest meta_id), so that one is kept.
	 */
	public static function meta_sql( string $in, string $var_in ): string {
		global $wpdb;
		$prices = self::PRICE_KEYS;
		$sql    = "SELECT post_id, meta_key, meta_value, meta_id FROM {$wpdb->postmeta} WHERE post_id IN ($in) AND meta_key IN ($prices, " . self::PRODUCT_KEYS . ')';
		if ( '' !== $var_in ) {
			$sql .= " UNION ALL SELECT post_id, meta_key, meta_value, meta_id FROM {$wpdb->postmeta} WHERE post_id IN ($var_in) AND (meta_key IN ($prices) OR meta_key LIKE 'attribute\\_%')";
		}
		return $sql;
	}

	/** Term names of one product in one taxonomy, already in name order. */
	private static function names( ?array $list ): array {
		$out = array();
		foreach ( $list ?? array() as $term ) {
			$out[] = $term[1];
		}
		return $out;
	}

	/** pa_slug => label, from WooCommerce's cached list of global attributes. */
	private static function attribute_labels(): array {
		$labels = array();
		foreach ( function_exists( 'wc_get_attribute_taxonomies' ) ? wc_get_attribute_taxonomies() : array() as $a ) {
			$labels[ 'pa_' . $a->attribute_name ] = '' !== (string) $a->attribute_label ? (string) $a->attribute_label : (string) $a->attribute_name;
		}
		return $labels;
	}

	/**
	 * Published product ids passing price/stock filters, from wc_product_meta_lookup: the chat's
	 * fallback when no search index exists yet (one query).
	 *
	 * @param array{in_stock?: bool, price_min?: float, price_max?: float} $filters
	 * @return int[]
	 */
	public function candidate_ids( array $filters, int $limit ): array {
		global $wpdb;
		$sql = "SELECT p.ID FROM {$wpdb->posts} p JOIN {$wpdb->prefix}wc_product_meta_lookup l ON l.product_id = p.ID WHERE p.post_type = 'product' AND p.post_status = 'publish'";
		if ( ! empty( $filters['in_stock'] ) ) {
			$sql .= " AND l.stock_status = 'instock'";
		}
		if ( isset( $filters['price_min'] ) ) {
			$sql .= $wpdb->prepare( ' AND l.max_price >= %f', $filters['price_min'] );
		}
		if ( isset( $filters['price_max'] ) ) {
			$sql .= $wpdb->prepare( ' AND l.min_price <= %f', $filters['price_max'] );
		}
		return array_map( 'intval', $wpdb->get_col( $wpdb->prepare( $sql . ' ORDER BY l.total_sales DESC, p.ID DESC LIMIT %d', $limit ) ) ); // phpcs:ignore WordPress.DB
	}

	/** @return string[] Product category names (the built-in answerer's category words). */
	/**
	 * Rows of a bulk read as numeric arrays. With core's wpdb on mysqli the result is fetched
	 * straight from its connection (no per-row objects, no last_result copy); a database drop-in
	 * (HyperDB, LudicrousDB, Query Monitor's logger ...) or a failed query goes through wpdb.
	 */
	public static function rows( string $sql ): array {
		global $wpdb;
		$res = self::direct( $sql );
		if ( null === $res ) {
			return $wpdb->get_results( $sql, ARRAY_N ) ?: array(); // phpcs:ignore WordPress.DB
		}
		$rows = $res->fetch_all( MYSQLI_NUM );
		$res->free();
		return $rows;
	}

	/** Rows as the stdClass objects wpdb returns (what update_post_cache() expects). */
	private static function objects( string $sql ): array {
		global $wpdb;
		$res = self::direct( $sql );
		if ( null === $res ) {
			return $wpdb->get_results( $sql ) ?: array(); // phpcs:ignore WordPress.DB
		}
		$rows = array();
		while ( $o = $res->fetch_object() ) { // phpcs:ignore
			$rows[] = $o;
		}
		$res->free();
		return $rows;
	}

	/** Core's wpdb connection, or null for a database drop-in or while queries are logged. */
	public static function core_mysqli(): ?\mysqli {
		global $wpdb;
		if ( ! ( $wpdb instanceof \wpdb ) || 'wpdb' !== get_class( $wpdb ) || ( defined( 'SAVEQUERIES' ) && SAVEQUERIES ) ) {
			return null;
		}
		return $wpdb->dbh instanceof \mysqli ? $wpdb->dbh : null;
	}

	private static function direct( string $sql ): ?\mysqli_result {
		global $wpdb;
		$dbh = self::core_mysqli();
		if ( null === $dbh ) {
			return null;
		}
		try {
			$res = mysqli_query( $dbh, $sql ); // phpcs:ignore WordPress.DB.RestrictedFunctions
		} catch ( \mysqli_sql_exception $e ) {
			$res = false;
		}
		if ( ! ( $res instanceof \mysqli_result ) ) {
			return null; // wpdb runs it again and reports the error its usual way.
		}
		++$wpdb->num_queries;
		return $res;
	}

	public function category_names(): array {
		$terms = get_terms( array( 'taxonomy' => 'product_cat', 'hide_empty' => false, 'fields' => 'names', 'number' => 500 ) );
		return is_array( $terms ) ? array_map( 'strval', $terms ) : array();
	}

	/** WooCommerce stores _product_attributes serialized (local data it wrote itself). */
	private function attribute_meta( string $raw ): array {
		if ( '' === $raw || ! is_serialized( $raw ) ) {
			return array();
		}
		$value = unserialize( $raw, array( 'allowed_classes' => false ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- no objects allowed.
		return is_array( $value ) ? $value : array();
	}

	/**
	 * Store facts the assistant answers from. Few objects, so WooCommerce's public API.
	 *
	 * @param string[] $coupon_codes Codes the merchant marked shareable.
	 */
	public function store_facts( array $coupon_codes ): array {
		$zones = array();
		$all   = \WC_Shipping_Zones::get_zones();
		$rest  = \WC_Shipping_Zones::get_zone( 0 );
		if ( $rest ) {
			$all[] = array(
				'zone_name'        => __( 'Everywhere else', 'aisle' ),
				'formatted_zone_location' => __( 'Locations not covered by other zones', 'aisle' ),
				'zone_locations'   => array(),
				'shipping_methods' => $rest->get_shipping_methods( true ),
			);
		}
		foreach ( $all as $zone ) {
			$methods = array();
			foreach ( $zone['shipping_methods'] as $method ) {
				if ( 'yes' !== $method->enabled ) {
					continue;
				}
				$methods[] = array(
					'id'           => $method->id,
					'title'        => $method->get_title(),
					'cost'         => (string) $method->get_option( 'cost', '' ),
					'free_minimum' => 'free_shipping' === $method->id ? (string) $method->get_option( 'min_amount', '' ) : '',
				);
			}
			$zones[] = array(
				'name'      => $zone['zone_name'],
				'regions'   => array_map( static fn ( $l ) => array( 'type' => $l->type, 'code' => $l->code ), $zone['zone_locations'] ),
				'summary'   => wp_strip_all_tags( (string) ( $zone['formatted_zone_location'] ?? '' ) ),
				'methods'   => $methods,
			);
		}

		$gateways = array();
		foreach ( WC()->payment_gateways()->payment_gateways() as $gateway ) {
			if ( 'yes' === $gateway->enabled ) {
				$gateways[] = array(
					'id'          => $gateway->id,
					'title'       => wp_strip_all_tags( $gateway->get_title() ),
					'description' => wp_strip_all_tags( $gateway->get_description() ),
				);
			}
		}

		$coupons = array();
		foreach ( $coupon_codes as $code ) {
			$id = wc_get_coupon_id_by_code( $code );
			if ( ! $id ) {
				continue;
			}
			$coupons[] = array(
				'code'           => $code,
				'discount_type'  => (string) get_post_meta( $id, 'discount_type', true ),
				'amount'         => (string) get_post_meta( $id, 'coupon_amount', true ),
				'minimum_amount' => (string) get_post_meta( $id, 'minimum_amount', true ),
				'expires_at'     => (int) get_post_meta( $id, 'date_expires', true ) ?: null,
			);
		}

		$pages = array(
			'refund'   => wc_get_page_id( 'refund_returns' ),
			'terms'    => wc_get_page_id( 'terms' ),
			'privacy'  => (int) get_option( 'wp_page_for_privacy_policy' ),
			'shipping' => (int) apply_filters( 'aisle_shipping_policy_page_id', self::shipping_page_id() ),
		);
		$policies = array();
		foreach ( $pages as $kind => $page_id ) {
			$page = $page_id > 0 ? get_post( $page_id ) : null;
			if ( $page && 'publish' === $page->post_status ) {
				$policies[ $kind ] = array(
					'title' => $page->post_title,
					'url'   => get_permalink( $page ),
					'text'  => trim( html_entity_decode( wp_strip_all_tags( strip_shortcodes( $page->post_content ) ), ENT_QUOTES, 'UTF-8' ) ),
				);
			}
		}

		return array(
			'currency'         => get_woocommerce_currency(),
			'shipping_zones'   => $zones,
			'payment_gateways' => $gateways,
			'coupons'          => $coupons,
			'policies'         => $policies,
		);
	}

	/**
	 * WooCommerce has no shipping-policy page setting; stores usually publish one under a
	 * conventional slug, so look for that (the filter above overrides it).
	 */
	private static function shipping_page_id(): int {
		foreach ( array( 'shipping-policy', 'shipping-and-delivery', 'shipping', 'delivery' ) as $slug ) {
			$page = get_page_by_path( $slug );
			if ( $page && 'publish' === $page->post_status ) {
				return (int) $page->ID;
			}
		}
		return 0;
	}
}
