<?php
/**
 * What a full sync of a small store reads for its next SIZE products in a few whole-table
 * passes, instead of batch by batch.
 *
 * WordPress indexes postmeta by post_id alone, so the per-batch postmeta query visits every meta
 * row of the batch's posts (about 36 a product in the bench store) to keep the five or six the
 * catalog needs. One pass over the meta_key index of the whole store visits only the rows of
 * those keys: 0.14 s for a 10,000-product store against 0.55 s in 20 batches (make bench-sync's
 * store). A pass costs what the whole store costs, so it pays only while the window is a good
 * share of the store: the adapter opens one for stores of up to PASS_STORES windows, and bigger
 * stores read batch by batch (with the read-ahead) as before. The variations, the term
 * relationships (and the terms they name) and the lookup table's rows come the same way, from
 * passes that read their tables in key order.
 *
 * The posts themselves are still read a batch at a time (whole rows, with their content), and a
 * batch's entries are dropped once it is built, so the window's memory shrinks as the job goes.
 * A window of 10,000 products takes about 11 MB of PHP memory (the variations and term
 * relationships packed one list or string a product; a row each took 15 MB).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

defined( 'ABSPATH' ) || exit;

final class ReadWindow {

	/** Products a window covers: 20 batches of 500. */
	public const SIZE = 10000;

	/** A pass pays for itself while the store has at most this many windows of products. */
	public const PASS_STORES = 3;

	/** @var array<int, true> Product ids of the window not taken yet. */
	private array $products = array();

	/**
	 * @var array<int, list<int>> parent => its variations as id, menu_order, id, menu_order ...,
	 * in WooCommerce's order (one flat list a product: a fifth of the memory of a row each).
	 */
	private array $variations = array();

	/**
	 * @var array<string, array<int, string>> meta_key => post id => value (the lowest meta_id's).
	 * Keyed by key, not by post: a few large arrays take half the memory of one small array a post.
	 */
	private array $meta = array();

	/** @var array<int, string> product id => its term_taxonomy_ids, comma-separated (a string takes a tenth of a list's memory). */
	private array $relationships = array();

	/** @var array<int, array> The terms the window's relationships name (WooAdapter::terms()), in one name order for every batch. */
	private array $terms = array();

	/** @var array<int, string> post id => its wc_product_meta_lookup row after the id, fields joined by SEP, NULL as NULL. */
	private array $lookup = array();

	/** Between a packed lookup row's fields, and what stands for NULL (neither is in a SKU, a number or a stock status). */
	private const SEP  = "\x1f";
	private const NULL = "\x1e";

	/** The lookup table's columns products() reads, in its order. */
	public const LOOKUP_COLUMNS = 'product_id, sku, stock_quantity, stock_status, rating_count, average_rating, total_sales';

	/**
	 * Reads the window of $ids (product ids in id order, a full sync's next ones) with core's
	 * wpdb connection; null with a database drop-in, or when a pass fails (the batches then
	 * read as before).
	 *
	 * @param int[] $ids
	 */
	public static function read( array $ids ): ?self {
		global $wpdb;
		$dbh = WooAdapter::core_mysqli();
		if ( null === $dbh || ! $ids ) {
			return null;
		}
		$window = new self();
		foreach ( $ids as $id ) {
			$window->products[ (int) $id ] = true;
		}
		$products = $window->products;
		$posts    = $products;
		try {
			// Variations: the type_status_date index holds every published one; the window's kept,
			// in the order variation_rows() gives (menu_order, ID).
			$res = self::pass( $dbh, "SELECT ID, post_parent, menu_order FROM {$wpdb->posts} FORCE INDEX (type_status_date) WHERE post_type = 'product_variation' AND post_status = 'publish' ORDER BY menu_order ASC, ID ASC" );
			while ( $r = $res->fetch_row() ) { // phpcs:ignore
				$parent = (int) $r[1];
				if ( isset( $products[ $parent ] ) ) {
					$window->variations[ $parent ][] = (int) $r[0];
					$window->variations[ $parent ][] = (int) $r[2];
					$posts[ (int) $r[0] ]            = true;
				}
			}
			$res->free();
			// Rows come in meta_key index order, (meta_key, meta_id), or in meta_id order if MySQL
			// scans the table instead: either way a post's first row of a key has the lowest
			// meta_id, the one get_price() reads, so the first one is kept.
			$meta = array();
			$res  = self::pass( $dbh, "SELECT post_id, meta_key, meta_value FROM {$wpdb->postmeta} FORCE INDEX (meta_key) WHERE meta_key IN (" . WooAdapter::PRICE_KEYS . ', ' . WooAdapter::PRODUCT_KEYS . ") OR meta_key LIKE 'attribute\\_%'" );
			while ( $r = $res->fetch_row() ) { // phpcs:ignore
				if ( isset( $posts[ (int) $r[0] ] ) ) {
					$meta[ $r[1] ][ (int) $r[0] ] ??= $r[2];
				}
			}
			$res->free();
			$window->meta = $meta;
			unset( $meta );
			// The relationships' primary key starts with object_id: one range over the window.
			$named = array();
			$res   = self::pass( $dbh, "SELECT object_id, term_taxonomy_id FROM {$wpdb->term_relationships} WHERE object_id BETWEEN " . (int) min( $ids ) . ' AND ' . (int) max( $ids ) );
			while ( $r = $res->fetch_row() ) { // phpcs:ignore
				if ( isset( $products[ (int) $r[0] ] ) ) {
					$window->relationships[ (int) $r[0] ] = isset( $window->relationships[ (int) $r[0] ] ) ? $window->relationships[ (int) $r[0] ] . ',' . $r[1] : (string) $r[1];
					$named[ (int) $r[1] ]                 = true;
				}
			}
			$res->free();
			// The terms they name, once for the window rather than once a batch.
			$window->terms = WooAdapter::terms( array_keys( $named ) );
			// The lookup table's primary key, over the span of the window's posts.
			$res = self::pass( $dbh, 'SELECT ' . self::LOOKUP_COLUMNS . " FROM {$wpdb->prefix}wc_product_meta_lookup WHERE product_id BETWEEN " . (int) min( array_keys( $posts ) ) . ' AND ' . (int) max( array_keys( $posts ) ) );
			while ( $r = $res->fetch_row() ) { // phpcs:ignore
				if ( isset( $posts[ (int) $r[0] ] ) ) {
					$window->lookup[ (int) $r[0] ] = ( $r[1] ?? self::NULL ) . self::SEP . ( $r[2] ?? self::NULL ) . self::SEP . ( $r[3] ?? self::NULL ) . self::SEP
						. ( $r[4] ?? self::NULL ) . self::SEP . ( $r[5] ?? self::NULL ) . self::SEP . ( $r[6] ?? self::NULL );
				}
			}
			$res->free();
		} catch ( \RuntimeException $e ) {
			return null;
		}
		return $window;
	}

	/** One pass's rows, unbuffered: only what the caller keeps takes memory. */
	private static function pass( \mysqli $dbh, string $sql ): \mysqli_result {
		global $wpdb;
		try {
			$res = mysqli_query( $dbh, $sql, MYSQLI_USE_RESULT ); // phpcs:ignore WordPress.DB.RestrictedFunctions
		} catch ( \mysqli_sql_exception $e ) {
			$res = false;
		}
		if ( ! ( $res instanceof \mysqli_result ) ) {
			throw new \RuntimeException( 'A read window pass failed.' );
		}
		++$wpdb->num_queries;
		return $res;
	}

	/** True when the window holds every one of $ids (product ids; a variation id is not one). */
	public function covers( array $ids ): bool {
		foreach ( $ids as $id ) {
			if ( ! isset( $this->products[ $id ] ) ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The batch $ids' reads, as WooAdapter::products() would make them, then forgotten.
	 *
	 * @param int[] $ids Product ids the window covers.
	 * @return array{variations: list<array>, meta: array<int, array<string, string>>, relationships: list<array{0: int, 1: int}>, lookup: array<int, array>, terms: array<int, array>}
	 */
	public function take( array $ids ): array {
		$out = array(
			'variations'    => array(),
			'meta'          => array(),
			'relationships' => array(),
			'lookup'        => array(),
			'terms'         => $this->terms,
		);
		$all = $ids;
		foreach ( $ids as $id ) {
			$v = $this->variations[ $id ] ?? array();
			for ( $i = 0, $n = count( $v ); $i < $n; $i += 2 ) {
				$out['variations'][] = array( $v[ $i ], $id, $v[ $i + 1 ] );
				$all[]               = $v[ $i ];
			}
			if ( isset( $this->relationships[ $id ] ) ) {
				foreach ( explode( ',', $this->relationships[ $id ] ) as $tt ) {
					$out['relationships'][] = array( $id, (int) $tt );
				}
			}
			unset( $this->variations[ $id ], $this->relationships[ $id ], $this->products[ $id ] );
		}
		foreach ( $this->meta as $key => &$values ) {
			foreach ( $all as $id ) {
				if ( isset( $values[ $id ] ) ) {
					$out['meta'][ $id ][ $key ] = $values[ $id ];
					unset( $values[ $id ] );
				}
			}
		}
		unset( $values );
		foreach ( $all as $id ) {
			if ( isset( $this->lookup[ $id ] ) ) {
				$row = explode( self::SEP, $this->lookup[ $id ] );
				foreach ( $row as $i => $field ) {
					if ( self::NULL === $field ) {
						$row[ $i ] = null;
					}
				}
				array_unshift( $row, (string) $id );
				$out['lookup'][ $id ] = $row;
				unset( $this->lookup[ $id ] );
			}
		}
		return $out;
	}
}
