<?php
/**
 * Universal Commerce Protocol, catalog only: the business profile at /.well-known/ucp and the
 * REST binding under /wp-json/aisle/ucp/v1 (catalog/search, catalog/lookup, catalog/product).
 * Search runs on the Aisle index (Aisle\CatalogIndex), products come from the UCP objects the
 * last sync wrote (Aisle\ProductFeed::lookup): no WC_Product is loaded per result. No checkout
 * capability is advertised: checkout stays on the store. Rate limited per address like the chat.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

use Aisle\Plugin\Catalog\IndexStore;
use Aisle\Plugin\Chat\RateLimiter;

defined( 'ABSPATH' ) || exit;

final class Ucp {

	public const NAMESPACE = 'aisle/ucp/v1';
	private const MAX_LIMIT = 50;

	public function __construct( private Config $config ) {}

	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'routes' ) );
	}

	public static function exponent( string $currency ): int {
		if ( in_array( $currency, array( 'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'UYI', 'VND', 'VUV', 'XAF', 'XOF', 'XPF' ), true ) ) {
			return 0;
		}
		return in_array( $currency, array( 'BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND' ), true ) ? 3 : 2;
	}

	public function profile(): array {
		$v    = Config::UCP_VERSION;
		$caps = array();
		foreach ( array( 'search', 'lookup' ) as $c ) {
			$caps[ 'dev.ucp.shopping.catalog.' . $c ] = array(
				array(
					'version' => $v,
					'spec'    => "https://ucp.dev/$v/specification/shopping/catalog/$c",
					'schema'  => "https://ucp.dev/$v/schemas/shopping/catalog_$c.json",
				),
			);
		}
		return array(
			'ucp' => array(
				'version'          => $v,
				'services'         => array(
					'dev.ucp.shopping' => array(
						array(
							'version'   => $v,
							'spec'      => "https://ucp.dev/$v/specification/overview",
							'transport' => 'rest',
							'schema'    => "https://ucp.dev/$v/services/shopping/rest.openapi.json",
							'endpoint'  => untrailingslashit( Config::ucp_endpoint() ),
						),
					),
				),
				'capabilities'     => $caps,
				'payment_handlers' => new \stdClass(),
			),
		);
	}

	public function routes(): void {
		$public = fn () => $this->config->on( 'ucp' );
		register_rest_route( self::NAMESPACE, '/catalog/search', array( 'methods' => 'POST', 'callback' => array( $this, 'search_route' ), 'permission_callback' => $public ) );
		register_rest_route( self::NAMESPACE, '/catalog/lookup', array( 'methods' => 'POST', 'callback' => array( $this, 'lookup_route' ), 'permission_callback' => $public ) );
		register_rest_route( self::NAMESPACE, '/catalog/product', array( 'methods' => 'POST', 'callback' => array( $this, 'product_route' ), 'permission_callback' => $public ) );
		register_rest_route( self::NAMESPACE, '/catalog/product/(?P<id>\d{1,19})', array( 'methods' => 'GET', 'callback' => array( $this, 'product_route' ), 'permission_callback' => $public ) );
	}

	private function envelope( string $capability ): array {
		return array( 'version' => Config::UCP_VERSION, 'capabilities' => array( 'dev.ucp.shopping.catalog.' . $capability => array( array( 'version' => Config::UCP_VERSION ) ) ) );
	}

	/** A UCP error answer (ucp.status error plus a message). */
	private function error( string $capability, string $code, string $message, int $status ): \WP_REST_Response {
		$envelope           = $this->envelope( $capability );
		$envelope['status'] = 'error';
		return new \WP_REST_Response( array( 'ucp' => $envelope, 'products' => array(), 'messages' => array( array( 'type' => 'error', 'code' => $code, 'content' => $message ) ) ), $status );
	}

	private function limited( string $capability ): ?\WP_REST_Response {
		$retry = RateLimiter::hit( 'ucp_ip:' . RateLimiter::ip(), (int) $this->config->settings()->get( 'rate_limit_reads' ), 60 );
		if ( $retry > 0 ) {
			$r = $this->error( $capability, 'rate_limited', __( 'Too many requests. Try again in a minute.', 'aisle' ), 429 );
			$r->header( 'Retry-After', (string) $retry );
			return $r;
		}
		if ( ! class_exists( \Aisle\ProductFeed::class ) || ! is_file( Config::dir() . '/ucp-products.idx' ) ) {
			do_action( 'aisle_feed_missing' );
			return $this->error( $capability, 'unavailable', __( 'The catalog is not ready yet.', 'aisle' ), 503 );
		}
		return null;
	}

	/** The agent named in links: the UCP-Agent header's product token, else "ucp". */
	private static function agent( \WP_REST_Request $request ): string {
		$header = (string) $request->get_header( 'ucp_agent' );
		if ( preg_match( '/^\s*"?([A-Za-z0-9_-]{1,40})/', $header, $m ) && ! str_starts_with( strtolower( $m[1] ), 'profile' ) ) {
			return strtolower( $m[1] );
		}
		return 'ucp';
	}

	/** @return array<int, array> id => UCP product, for the ids the feed holds, in their order. */
	public static function products( array $ids, string $agent = 'ucp' ): array {
		$out = array();
		foreach ( \Aisle\ProductFeed::lookup( Config::dir(), array_slice( array_values( array_unique( array_map( 'intval', $ids ) ) ), 0, 1000 ) ) as $id => $json ) {
			if ( 'ucp' !== $agent ) {
				$json = str_replace( 'utm_source=ucp&', 'utm_source=' . $agent . '&', $json );
			}
			$p = json_decode( $json, true );
			if ( is_array( $p ) ) {
				$out[ (int) $id ] = $p;
			}
		}
		return $out;
	}

	/** Search on the Aisle index; UCP filters categories and price (minor units) map onto its filters. */
	public static function search( string $query, int $limit, array $filters = array(), string $agent = 'ucp' ): array {
		$f        = array();
		$currency = get_woocommerce_currency();
		$scale    = 10 ** self::exponent( $currency );
		if ( isset( $filters['price']['min'] ) && is_numeric( $filters['price']['min'] ) ) {
			$f['price_min'] = (float) $filters['price']['min'] / $scale;
		}
		if ( isset( $filters['price']['max'] ) && is_numeric( $filters['price']['max'] ) ) {
			$f['price_max'] = (float) $filters['price']['max'] / $scale;
		}
		if ( ! empty( $filters['categories'] ) && is_array( $filters['categories'] ) && is_string( reset( $filters['categories'] ) ) ) {
			$f['category'] = (string) reset( $filters['categories'] );
		}
		// A few more hits than asked: hidden products are in the index when "Include hidden" is on.
		$index = IndexStore::open();
		if ( null === $index ) {
			return array(); // No index on this node right now (it is being rebuilt): nothing found, not an error.
		}
		$hits = $index->search( $query, min( 200, $limit * 2 ), $f );
		return array_slice( array_values( self::products( array_column( $hits, 'id' ), $agent ) ), 0, $limit );
	}

	public function search_route( \WP_REST_Request $request ): \WP_REST_Response {
		$limited = $this->limited( 'search' );
		if ( $limited ) {
			return $limited;
		}
		$body  = (array) $request->get_json_params();
		$query = $body['query'] ?? '';
		if ( ! is_string( $query ) || strlen( $query ) > 500 ) {
			return $this->error( 'search', 'invalid_request', __( 'query must be a string of at most 500 characters.', 'aisle' ), 400 );
		}
		$limit = (int) ( $body['pagination']['limit'] ?? 10 );
		$limit = max( 1, min( self::MAX_LIMIT, $limit ) );
		try {
			$products = self::search( $query, $limit, is_array( $body['filters'] ?? null ) ? $body['filters'] : array(), self::agent( $request ) );
		} catch ( \Aisle\Exception $e ) {
			return $this->error( 'search', 'invalid_request', $e->getMessage(), 'invalid_argument' === $e->reason() ? 400 : 503 );
		}
		return new \WP_REST_Response( array( 'ucp' => $this->envelope( 'search' ), 'products' => $products ) );
	}

	/**
	 * Product and variant ids both resolve; each variant says which request id found it. A
	 * lookup keeps only those variants ($all false), a product's detail keeps every one.
	 */
	private function resolve( array $ids, string $agent, bool $all = false ): array {
		global $wpdb;
		$ints = array_values( array_filter( array_map( 'intval', $ids ) ) );
		if ( ! $ints ) {
			return array();
		}
		$parent = array();
		foreach ( $wpdb->get_results( 'SELECT ID, post_parent FROM ' . $wpdb->posts . " WHERE post_type = 'product_variation' AND ID IN (" . implode( ',', $ints ) . ')', ARRAY_N ) as $r ) { // phpcs:ignore WordPress.DB
			$parent[ (int) $r[0] ] = (int) $r[1];
		}
		$want = array();
		foreach ( $ints as $id ) {
			$want[ $parent[ $id ] ?? $id ][] = $id;
		}
		$products = self::products( array_keys( $want ), $agent );
		$out      = array();
		foreach ( $products as $pid => $p ) {
			foreach ( $p['variants'] as $i => $v ) {
				$inputs = array();
				foreach ( $want[ $pid ] as $asked ) {
					if ( (string) $asked === $v['id'] ) {
						$inputs[] = array( 'id' => (string) $asked, 'match' => 'exact' );
					} elseif ( $asked === $pid && 0 === $i ) {
						$inputs[] = array( 'id' => (string) $asked, 'match' => 'featured' );
					}
				}
				if ( $inputs ) {
					$p['variants'][ $i ]['inputs'] = $inputs;
				} elseif ( ! $all ) {
					unset( $p['variants'][ $i ] );
				}
			}
			$p['variants'] = array_values( $p['variants'] );
			$out[]         = $p;
		}
		return $out;
	}

	public function lookup_route( \WP_REST_Request $request ): \WP_REST_Response {
		$limited = $this->limited( 'lookup' );
		if ( $limited ) {
			return $limited;
		}
		$ids = ( (array) $request->get_json_params() )['ids'] ?? null;
		if ( ! is_array( $ids ) || ! $ids || count( $ids ) > 100 ) {
			return $this->error( 'lookup', 'invalid_request', __( 'ids must be a list of 1 to 100 product or variant ids.', 'aisle' ), 400 );
		}
		return new \WP_REST_Response( array( 'ucp' => $this->envelope( 'lookup' ), 'products' => $this->resolve( $ids, self::agent( $request ) ) ) );
	}

	public function product_route( \WP_REST_Request $request ): \WP_REST_Response {
		$limited = $this->limited( 'lookup' );
		if ( $limited ) {
			return $limited;
		}
		$id = $request['id'] ?? ( (array) $request->get_json_params() )['id'] ?? '';
		if ( ! is_scalar( $id ) || ! ctype_digit( (string) $id ) ) {
			return $this->error( 'lookup', 'invalid_request', __( 'id must be a product or variant id.', 'aisle' ), 400 );
		}
		$found = $this->resolve( array( (int) $id ), self::agent( $request ), true );
		if ( ! $found ) {
			return $this->error( 'lookup', 'not_found', __( 'No such product.', 'aisle' ), 404 );
		}
		return new \WP_REST_Response( array( 'ucp' => $this->envelope( 'lookup' ), 'product' => $found[0] ) );
	}
}
