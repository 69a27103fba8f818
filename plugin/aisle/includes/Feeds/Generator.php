<?php
/**
 * Writes the agent feeds at the end of every full or delta sync, from the Aisle\Catalog the sync
 * just indexed: the extension streams the OpenAI flat feed and the UCP products from the
 * catalog's normalized documents, so no WC_Product is loaded. This class only gathers the store
 * facts the catalog does not hold (countries, refund page, hidden products, GTINs, brands) with a
 * few queries, and then rewrites llms.txt.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class Generator {

	public function __construct( private Config $config, private LlmsTxt $llms ) {}

	public function register(): void {
		add_action( 'aisle_catalog_indexed', array( $this, 'write' ) );
	}

	/** True when some surface reads the files this writes. */
	public function wanted(): bool {
		return $this->config->on( 'openai' ) || $this->config->on( 'ucp' ) || $this->config->on( 'abilities' ) || $this->config->on( 'llms_txt' );
	}

	public function write( $catalog ): void {
		if ( ! $catalog instanceof \Aisle\Catalog || ! method_exists( $catalog, 'writeProductFeed' ) || ! $this->wanted() ) {
			return;
		}
		Storage::ensure_dir();
		$started = microtime( true );
		try {
			$report = $catalog->writeProductFeed( Config::dir(), $this->options() );
			$state  = array(
				'rows'         => (int) $report['rows'],
				'products'     => (int) $report['products'],
				'skipped'      => (array) $report['skipped'],
				'generated_at' => time(),
				'seconds'      => round( microtime( true ) - $started, 3 ),
				'error'        => null,
			);
		} catch ( \Aisle\Exception $e ) {
			$state          = Config::state();
			$state['error'] = $e->reason() . ': ' . $e->getMessage();
		}
		update_option( Config::STATE_OPTION, $state, false );
		$this->llms->refresh();
	}

	/** The options of Aisle\Catalog::writeProductFeed for this store. */
	public function options(): array {
		$countries = WC()->countries;
		$base      = (string) $countries->get_base_country();
		$targets   = array_keys( (array) $countries->get_allowed_countries() );
		$name      = self::store_name();
		$refund    = function_exists( 'wc_get_page_id' ) ? (int) wc_get_page_id( 'refund_returns' ) : 0;
		$brand     = (string) $this->config->settings()->get( 'feeds_brand' );
		$options   = array(
			'seller_name'      => $name,
			'seller_url'       => home_url( '/' ),
			'store_country'    => '' !== $base ? $base : 'US',
			'target_countries' => $targets ? $targets : array( '' !== $base ? $base : 'US' ),
			'brand'            => $name,
			'exclude_ids'      => self::hidden_ids(),
			'extra'            => self::extra( '' !== $brand && taxonomy_exists( $brand ) ? $brand : '' ),
			'utm_source'       => (string) apply_filters( 'aisle_feed_utm_source', 'chatgpt' ),
		);
		if ( $refund > 0 && 'publish' === get_post_status( $refund ) ) {
			$options['return_policy'] = get_permalink( $refund );
		}
		if ( '' !== $brand && ! taxonomy_exists( $brand ) ) {
			// The catalog keys attributes by label: "pa_brand" is stored as "Brand".
			$options['brand_attribute'] = str_starts_with( $brand, 'pa_' ) && function_exists( 'wc_attribute_label' ) ? wc_attribute_label( $brand ) : $brand;
		}
		return $options;
	}

	public static function store_name(): string {
		$settings = get_option( \Aisle\Plugin\Settings::OPTION );
		$name     = is_array( $settings ) ? trim( (string) ( $settings['store_name'] ?? '' ) ) : '';
		return '' !== $name ? $name : wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
	}

	/** Products hidden from the catalog (both visibility terms, as WooCommerce marks "hidden"). */
	public static function hidden_ids(): array {
		global $wpdb;
		return array_map(
			'intval',
			$wpdb->get_col( // phpcs:ignore WordPress.DB
				"SELECT tr.object_id FROM {$wpdb->term_relationships} tr
				JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id AND tt.taxonomy = 'product_visibility'
				JOIN {$wpdb->terms} t ON t.term_id = tt.term_id AND t.slug IN ('exclude-from-catalog', 'exclude-from-search')
				GROUP BY tr.object_id HAVING COUNT(DISTINCT t.slug) = 2"
			)
		);
	}

	/** GTINs (WooCommerce's "GTIN, UPC, EAN or ISBN" field) and, from a brand taxonomy, brands. */
	private static function extra( string $taxonomy ): array {
		global $wpdb;
		$extra = array();
		foreach ( $wpdb->get_results( "SELECT post_id, meta_value FROM {$wpdb->postmeta} WHERE meta_key = '_global_unique_id' AND meta_value <> ''", ARRAY_N ) as $r ) { // phpcs:ignore WordPress.DB
			if ( preg_match( '/^\d{8,14}$/', (string) $r[1] ) ) {
				$extra[ (int) $r[0] ]['gtin'] = (string) $r[1];
			}
		}
		if ( '' !== $taxonomy ) {
			$rows = $wpdb->get_results( $wpdb->prepare( "SELECT tr.object_id, t.name FROM {$wpdb->term_relationships} tr JOIN {$wpdb->term_taxonomy} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id AND tt.taxonomy = %s JOIN {$wpdb->terms} t ON t.term_id = tt.term_id ORDER BY t.name", $taxonomy ), ARRAY_N ); // phpcs:ignore WordPress.DB
			foreach ( $rows as $r ) {
				$extra[ (int) $r[0] ]['brand'] ??= (string) $r[1];
			}
		}
		return $extra;
	}
}
