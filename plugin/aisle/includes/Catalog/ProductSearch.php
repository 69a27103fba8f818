<?php
/**
 * Catalog retrieval for the assistant: the extension's search index (Aisle\CatalogIndex) when
 * the catalog has been synced, else a small fallback over WooCommerce's lookup table so a store
 * without an index still gets answers. Results become widget cards via WooAdapter.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

defined( 'ABSPATH' ) || exit;

final class ProductSearch {

	public function __construct( private WooAdapter $adapter ) {}

	/**
	 * @param array{in_stock?: bool, price_min?: float, price_max?: float, category?: string, category_boost?: string, sort?: string, keep_order?: bool} $filters
	 *   'category' filters hard (the shopper said "only in …"); 'category_boost' only ranks that
	 *   category higher; 'sort' => 'price' puts the cheapest first, 'price_desc' the most expensive; in-stock products come before
	 *   out-of-stock ones unless 'keep_order' is set.
	 * @return array<int, array> Full product rows (WooAdapter::products shape), best first.
	 */
	public function search( string $query, int $limit = 5, array $filters = array() ): array {
		$sort = (string) ( $filters['sort'] ?? '' );
		$keep = ! empty( $filters['keep_order'] );
		unset( $filters['sort'], $filters['keep_order'] );
		if ( '' === (string) ( $filters['category_boost'] ?? '' ) ) {
			unset( $filters['category_boost'] );
		}
		// Room to reorder: the cheapest or the in-stock ones may sit just below the first $limit.
		$fetch = '' !== $sort ? max( 30, $limit * 5 ) : ( $keep ? $limit : $limit + 6 );
		$ids   = null;
		$index = IndexStore::open(); // Null (none yet, deleted, damaged): the fallback answers, the node rebuilds after.
		if ( null !== $index ) {
			try {
				$ids = array_map( static fn ( $h ) => (int) $h['id'], $index->search( $query, $fetch, $filters ) );
			} catch ( \Aisle\Exception $e ) {
				$ids = null; // A damaged index: fall back rather than fail the chat.
			}
		}
		if ( null === $ids ) {
			$rows = $this->fallback( $query, $fetch, $filters );
		} else {
			$rows = array();
			foreach ( $this->adapter->products( $ids ) as $p ) {
				$rows[ $p['id'] ] = $p;
			}
			$rows = array_values( array_filter( array_map( static fn ( $id ) => $rows[ $id ] ?? null, $ids ) ) );
		}
		return array_slice( self::order( $rows, $sort, $keep ), 0, $limit );
	}

	/** In-stock before out-of-stock, then cheapest (or most expensive) first when asked, no price last; otherwise the search's order. */
	private static function order( array $rows, string $sort, bool $keep ): array {
		$keyed = array();
		foreach ( array_values( $rows ) as $i => $p ) {
			$price   = self::lowest_price( $p );
			$keyed[] = array(
				$keep ? 0 : ( 'outofstock' === $p['stock_status'] ? 1 : 0 ),
				'price' === $sort ? ( null === $price ? PHP_FLOAT_MAX : $price ) : ( 'price_desc' === $sort ? ( null === $price ? PHP_FLOAT_MAX : -$price ) : 0 ),
				$i,
				$p,
			);
		}
		usort( $keyed, static fn ( $a, $b ) => array( $a[0], $a[1], $a[2] ) <=> array( $b[0], $b[1], $b[2] ) );
		return array_map( static fn ( $k ) => $k[3], $keyed );
	}

	/** The lowest price a product sells at (its variations' for a variable one), null when it has none. */
	public static function lowest_price( array $p ): ?float {
		$prices = self::prices( $p );
		return $prices ? min( $prices ) : null;
	}

	/** @return float[] The prices a product is sold at: its variations' for a variable product, else its own. */
	public static function prices( array $p ): array {
		$out = array();
		foreach ( (array) ( $p['variations'] ?? array() ) as $v ) {
			if ( is_numeric( $v['price'] ?? null ) ) {
				$out[] = (float) $v['price'];
			}
		}
		if ( ! $out && is_numeric( $p['price'] ?? null ) && ( (float) $p['price'] > 0 || is_numeric( $p['regular_price'] ?? null ) ) ) {
			$out[] = (float) $p['price'];
		}
		return $out;
	}

	public function get( int $id ): ?array {
		return $this->adapter->products( array( $id ) )[0] ?? null;
	}

	/** Scores name, SKU, categories, tags and attribute values by query words (small stores only). */
	private function fallback( string $query, int $limit, array $filters ): array {
		$words = array_filter( preg_split( '/[^\p{L}\p{N}]+/u', mb_strtolower( $query ) ), static fn ( $w ) => mb_strlen( $w ) > 1 );
		$ids   = $this->adapter->candidate_ids( $filters, 300 );
		$out   = array();
		foreach ( $this->adapter->products( $ids ) as $p ) {
			if ( ! empty( $filters['category'] ) && ! in_array( mb_strtolower( $filters['category'] ), array_map( 'mb_strtolower', $p['categories'] ), true ) ) {
				continue;
			}
			$hay = mb_strtolower( implode( ' ', array_merge( array( $p['name'], $p['sku'] ), $p['categories'], $p['tags'], ...array_values( array_map( 'array_values', $p['attributes'] ) ) ) ) );
			$score = ! empty( $filters['category_boost'] ) && in_array( mb_strtolower( $filters['category_boost'] ), array_map( 'mb_strtolower', $p['categories'] ), true ) ? 0.5 : 0;
			foreach ( $words as $w ) {
				$w      = rtrim( $w, 's' );
				$score += '' !== $w && str_contains( $hay, $w ) ? 1 : 0;
			}
			if ( $score >= 1 || ! $words ) {
				$out[] = array( $score, $p );
			}
		}
		usort( $out, static fn ( $a, $b ) => $b[0] <=> $a[0] );
		return array_map( static fn ( $x ) => $x[1], array_slice( $out, 0, $limit ) );
	}
}
