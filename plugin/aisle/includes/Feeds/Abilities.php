<?php
/**
 * Read-only shopper abilities for WordPress's Abilities API (6.9+), which MCP adapters expose:
 * aisle/search-products, aisle/get-product, aisle/store-policies. They return what the
 * storefront already shows (UCP product objects from the last sync, policy pages and the store's
 * shipping and payment facts); never a customer, an order or a conversation. Before WordPress
 * 6.9 there is no wp_register_ability and nothing is registered.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

defined( 'ABSPATH' ) || exit;

final class Abilities {

	public const CATEGORY = 'aisle-shopping';

	public function __construct( private Config $config ) {}

	public function register(): void {
		if ( ! function_exists( 'wp_register_ability' ) || ! $this->config->on( 'abilities' ) ) {
			return;
		}
		add_action( 'wp_abilities_api_categories_init', array( $this, 'category' ) );
		add_action( 'wp_abilities_api_init', array( $this, 'abilities' ) );
	}

	public function category(): void {
		wp_register_ability_category( self::CATEGORY, array( 'label' => __( 'Shopping', 'aisle' ), 'description' => __( 'Find products and read the store\'s policies.', 'aisle' ) ) );
	}

	private static function product_schema(): array {
		return array(
			'type'       => 'object',
			'required'   => array( 'id', 'title', 'price_range', 'variants' ),
			'properties' => array(
				'id'          => array( 'type' => 'string' ),
				'title'       => array( 'type' => 'string' ),
				'description' => array( 'type' => 'object' ),
				'url'         => array( 'type' => 'string' ),
				'price_range' => array( 'type' => 'object' ),
				'variants'    => array( 'type' => 'array', 'items' => array( 'type' => 'object' ) ),
			),
		);
	}

	public function abilities(): void {
		$meta = array( 'show_in_rest' => true, 'annotations' => array( 'readonly' => true, 'destructive' => false, 'idempotent' => true ) );
		$open = static fn () => true; // The storefront's own public facts.
		wp_register_ability(
			'aisle/search-products',
			array(
				'label'               => __( 'Search products', 'aisle' ),
				'description'         => __( 'Searches the store\'s catalog (names, descriptions, categories, attributes) and returns matching products with their variants, prices in minor units and availability.', 'aisle' ),
				'category'            => self::CATEGORY,
				'input_schema'        => array(
					'type'                 => 'object',
					'required'             => array( 'query' ),
					'additionalProperties' => false,
					'properties'           => array(
						'query'     => array( 'type' => 'string', 'minLength' => 1, 'maxLength' => 500 ),
						'limit'     => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 20, 'default' => 5 ),
						'max_price' => array( 'type' => 'integer', 'minimum' => 0, 'description' => 'Highest price in minor units.' ),
					),
				),
				'output_schema'       => array(
					'type'       => 'object',
					'required'   => array( 'products' ),
					'properties' => array( 'products' => array( 'type' => 'array', 'items' => self::product_schema() ) ),
				),
				'execute_callback'    => array( $this, 'search' ),
				'permission_callback' => $open,
				'meta'                => $meta,
			)
		);
		wp_register_ability(
			'aisle/get-product',
			array(
				'label'               => __( 'Get product', 'aisle' ),
				'description'         => __( 'Returns one product by its id (or a variant\'s id) with every variant, price and availability.', 'aisle' ),
				'category'            => self::CATEGORY,
				'input_schema'        => array(
					'type'                 => 'object',
					'required'             => array( 'id' ),
					'additionalProperties' => false,
					'properties'           => array( 'id' => array( 'type' => 'integer', 'minimum' => 1 ) ),
				),
				'output_schema'       => self::product_schema(),
				'execute_callback'    => array( $this, 'product' ),
				'permission_callback' => $open,
				'meta'                => $meta,
			)
		);
		wp_register_ability(
			'aisle/store-policies',
			array(
				'label'               => __( 'Store policies', 'aisle' ),
				'description'         => __( 'Returns the store\'s refund, privacy and terms pages, the countries it ships to, its currency and payment methods.', 'aisle' ),
				'category'            => self::CATEGORY,
				'output_schema'       => array(
					'type'       => 'object',
					'required'   => array( 'store', 'currency', 'policies' ),
					'properties' => array(
						'store'     => array( 'type' => 'string' ),
						'currency'  => array( 'type' => 'string' ),
						'ships_to'  => array( 'type' => 'array', 'items' => array( 'type' => 'string' ) ),
						'payments'  => array( 'type' => 'array', 'items' => array( 'type' => 'string' ) ),
						'policies'  => array(
							'type'  => 'array',
							'items' => array( 'type' => 'object', 'properties' => array( 'title' => array( 'type' => 'string' ), 'url' => array( 'type' => 'string' ) ) ),
						),
					),
				),
				'execute_callback'    => array( $this, 'policies' ),
				'permission_callback' => $open,
				'meta'                => $meta,
			)
		);
	}

	private static function ready(): ?\WP_Error {
		if ( ! class_exists( \Aisle\ProductFeed::class ) || ! is_file( Config::dir() . '/ucp-products.idx' ) ) {
			return new \WP_Error( 'aisle_catalog_not_ready', __( 'The catalog is not ready yet.', 'aisle' ) );
		}
		return null;
	}

	public function search( $input ) {
		$not_ready = self::ready();
		if ( $not_ready ) {
			return $not_ready;
		}
		$input   = (array) $input;
		$filters = isset( $input['max_price'] ) ? array( 'price' => array( 'max' => (int) $input['max_price'] ) ) : array();
		try {
			return array( 'products' => Ucp::search( (string) $input['query'], (int) ( $input['limit'] ?? 5 ), $filters, 'mcp' ) );
		} catch ( \Aisle\Exception $e ) {
			return new \WP_Error( 'aisle_search_failed', $e->getMessage() );
		}
	}

	public function product( $input ) {
		$not_ready = self::ready();
		if ( $not_ready ) {
			return $not_ready;
		}
		$id     = (int) ( (array) $input )['id'];
		$parent = (int) wp_get_post_parent_id( $id );
		$found  = Ucp::products( array( 'product_variation' === get_post_type( $id ) && $parent ? $parent : $id ), 'mcp' );
		return $found ? reset( $found ) : new \WP_Error( 'aisle_not_found', __( 'No such product.', 'aisle' ) );
	}

	public function policies(): array {
		$policies = array();
		foreach ( array( 'refund_returns', 'privacy', 'terms' ) as $kind ) {
			$id = match ( $kind ) {
				'refund_returns' => (int) wc_get_page_id( 'refund_returns' ),
				'privacy'        => (int) get_option( 'wp_page_for_privacy_policy' ),
				'terms'          => (int) wc_terms_and_conditions_page_id(),
			};
			if ( $id > 0 && 'publish' === get_post_status( $id ) ) {
				$policies[] = array( 'kind' => $kind, 'title' => get_the_title( $id ), 'url' => get_permalink( $id ) );
			}
		}
		$payments = array();
		foreach ( WC()->payment_gateways() ? WC()->payment_gateways()->get_available_payment_gateways() : array() as $gateway ) {
			$payments[] = wp_strip_all_tags( (string) $gateway->get_title() );
		}
		return array(
			'store'    => Generator::store_name(),
			'currency' => get_woocommerce_currency(),
			'ships_to' => array_keys( (array) WC()->countries->get_shipping_countries() ),
			'payments' => $payments,
			'policies' => $policies,
		);
	}
}
