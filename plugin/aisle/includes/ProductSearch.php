<?php
/**
 * Catalog retrieval for the assistant: the extension's search index (Aisle\CatalogIndex) when
 * the catalog has been synced, else a small fallback over WooCommerce's lookup table so a store
 * without an index still gets answers. Results become widget cards via WooAdapter.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class ProductSearch {

	public function __construct( private WooAdapter $adapter ) {}

	/**
	 * @param array{in_stock?: bool, price_min?: float, price_max?: float, category?: string} $filters
	 * @return array<int, array> Full product rows (WooAdapter::products shape), best first.
	 */
	public function search( string $query, int $limit = 5, array $filters = array() ): array {
		$ids = null;
		$dir = CatalogSync::index_dir();
		if ( class_exists( \Aisle\CatalogIndex::class ) && is_dir( $dir ) ) {
			try {
				$hits = \Aisle\CatalogIndex::open( $dir )->search( $query, $limit, $filters );
				$ids  = array_map( static fn ( $h ) => (int) $h['id'], $hits );
			} catch ( \Aisle\Exception $e ) {
				$ids = null; // A damaged or half-written index: fall back rather than fail the chat.
			}
		}
		if ( null === $ids ) {
			return $this->fallback( $query, $limit, $filters );
		}
		$rows = array();
		foreach ( $this->adapter->products( $ids ) as $p ) {
			$rows[ $p['id'] ] = $p;
		}
		return array_values( array_filter( array_map( static fn ( $id ) => $rows[ $id ] ?? null, $ids ) ) );
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
			$score = 0;
			foreach ( $words as $w ) {
				$w      = rtrim( $w, 's' );
				$score += '' !== $w && str_contains( $hay, $w ) ? 1 : 0;
			}
			if ( $score > 0 || ! $words ) {
				$out[] = array( $score, $p );
			}
		}
		usort( $out, static fn ( $a, $b ) => $b[0] <=> $a[0] );
		return array_map( static fn ( $x ) => $x[1], array_slice( $out, 0, $limit ) );
	}
}
