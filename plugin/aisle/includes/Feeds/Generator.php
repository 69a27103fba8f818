<?php
/**
 * Writes the agent feeds at the end of every full or delta sync, from the Aisle\Catalog the sync
 * just indexed: the extension streams the OpenAI flat feed and the UCP products from the
 * catalog's normalized documents, so no WC_Product is loaded. This class only gathers the store
 * facts the catalog does not hold (countries, refund page, hidden products, GTINs, brands) with a
 * few queries, and then rewrites llms.txt.
 *
 * Without a catalog at hand (a feed setting changed, the Regenerate button, a feed file missing)
 * the feeds are written from the sync's snapshot file instead (Aisle\ProductFeed::writeFromSnapshot,
 * a product at a time, so memory stays flat at any catalog size): the same files the sync would
 * write. Settings changes and missing files queue one job (REGENERATE_HOOK); the button writes at
 * once. The end of a sync keeps using its catalog: measured in the sync's own process (make
 * bench-feeds), reading back the catalog it already holds is cheaper than decoding and normalizing
 * the file again, and adds as little memory to the sync's peak.
 *
 * Only the files a switched-on surface reads are written (files()): the two gzip feeds are most
 * of a write's time and are served only with the OpenAI feed on. The extension removes the files
 * of a kind not written, so switching a surface back on finds no stale file: its settings change
 * (or the missing file) queues the regeneration that writes it.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class Generator {

	/** The Action Scheduler job that rewrites the feeds from the snapshot. */
	public const REGENERATE_HOOK = 'aisle_feeds_regenerate';

	/** The files of each kind the extension writes (its option 'files'). */
	public const FILES = array(
		'openai' => array( 'openai-feed.jsonl.gz' ),
		'acp'    => array( 'acp-products.jsonl.gz' ),
		'ucp'    => array( 'ucp-products.jsonl', 'ucp-products.idx' ),
	);

	/** Settings the feeds' content depends on: a change rewrites them. */
	private const FEED_SETTINGS = array( 'feeds_openai', 'feeds_ucp', 'feeds_abilities', 'feeds_llms_txt', 'feeds_brand', 'store_name' );

	public function __construct( private Config $config, private LlmsTxt $llms ) {}

	public function register(): void {
		add_action( 'aisle_catalog_indexed', array( $this, 'write' ) );
		add_action( self::REGENERATE_HOOK, array( $this, 'regenerate' ) );
		add_action( 'update_option_' . \Aisle\Plugin\Settings::OPTION, array( $this, 'settings_changed' ), 10, 2 );
		// A surface found its file missing (deleted, or never written while the feeds were off).
		add_action( 'aisle_feed_missing', array( $this, 'queue' ) );
		add_action(
			'admin_init',
			function () {
				if ( ! $this->written() ) {
					$this->queue();
				}
			}
		);
	}

	public static function snapshot(): string {
		return \Aisle\Plugin\Catalog\CatalogSync::snapshot_file();
	}

	/**
	 * The kinds of file the switched-on surfaces read: the OpenAI feed serves both gzip feeds; the
	 * UCP routes, the abilities and llms.txt (its best sellers' prices) look products up.
	 */
	public function files(): array {
		$files = array();
		if ( $this->config->on( 'openai' ) ) {
			array_push( $files, 'openai', 'acp' );
		}
		if ( $this->config->on( 'ucp' ) || $this->config->on( 'abilities' ) || $this->config->on( 'llms_txt' ) ) {
			$files[] = 'ucp';
		}
		return $files;
	}

	/** True when every file the switched-on surfaces read is there (the others are never written). */
	public function written(): bool {
		foreach ( $this->files() as $kind ) {
			foreach ( self::FILES[ $kind ] as $name ) {
				if ( ! is_file( Config::dir() . '/' . $name ) ) {
					return false;
				}
			}
		}
		return true;
	}

	public function settings_changed( $old, $new ): void {
		$old = is_array( $old ) ? $old : array();
		$new = is_array( $new ) ? $new : array();
		foreach ( self::FEED_SETTINGS as $key ) {
			if ( ( $old[ $key ] ?? null ) !== ( $new[ $key ] ?? null ) ) {
				$this->queue();
				return;
			}
		}
	}

	/** Queues one regeneration (none while one waits, or with no snapshot to read yet). */
	public function queue(): void {
		if ( ! function_exists( 'as_enqueue_async_action' ) || ! is_file( self::snapshot() ) || ! $this->wanted() ) {
			return;
		}
		if ( ! as_has_scheduled_action( self::REGENERATE_HOOK, array(), \Aisle\Plugin\Installer::ACTION_GROUP ) ) {
			as_enqueue_async_action( self::REGENERATE_HOOK, array(), \Aisle\Plugin\Installer::ACTION_GROUP );
		}
	}

	/**
	 * Rewrites the feeds from the snapshot; returns the feed state. Skipped while a sync runs: its
	 * end writes them from a newer catalog than the snapshot on disk.
	 */
	public function regenerate(): array {
		$sync = get_option( \Aisle\Plugin\Catalog\CatalogSync::STATE_OPTION );
		$busy = is_array( $sync ) && in_array( $sync['state'] ?? '', array( 'queued', 'running', 'indexing' ), true );
		if ( $busy || ! $this->wanted() || ! is_file( self::snapshot() ) || ! method_exists( \Aisle\ProductFeed::class, 'writeFromSnapshot' ) ) {
			return Config::state();
		}
		Storage::ensure_dir();
		$started = microtime( true );
		try {
			$report = \Aisle\ProductFeed::writeFromSnapshot( self::snapshot(), Config::dir(), $this->options(), array( 'currency' => get_woocommerce_currency() ) );
			$state  = self::state_of( $report, $started, 'snapshot' );
			$state['rejected'] = (int) $report['rejected'];
		} catch ( \Aisle\Exception $e ) {
			$state          = Config::state();
			$state['error'] = $e->reason() . ': ' . $e->getMessage();
		}
		update_option( Config::STATE_OPTION, $state, false );
		$this->llms->refresh();
		return $state;
	}

	private static function state_of( array $report, float $started, string $source ): array {
		return array(
			'rows'         => (int) $report['rows'],
			'products'     => (int) $report['products'],
			'skipped'      => (array) $report['skipped'],
			'files'        => (array) ( $report['files'] ?? array_keys( self::FILES ) ),
			'generated_at' => time(),
			'seconds'      => round( microtime( true ) - $started, 3 ),
			'source'       => $source,
			'error'        => null,
		);
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
			$state  = self::state_of( $report, $started, 'sync' );
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
			'files'            => $this->files(),
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
