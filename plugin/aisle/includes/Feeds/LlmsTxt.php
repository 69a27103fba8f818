<?php
/**
 * /llms.txt in llmstxt.org's format: an H1 with the store's name, a blockquote summary, then
 * H2 sections of Markdown link lists (categories, best sellers, policies, the public pages the
 * knowledge base holds, agent surfaces). Built after each sync, settings save and knowledge base
 * change and kept as a file, so serving it is one read; at most Config::LLMS_MAX_BYTES (whole lines are dropped from
 * the end of the longest lists first: the summary and policies always fit).
 *
 * The tokenized feed address is never listed here: it is the merchant's secret for the agent's
 * portal. Prices come from the UCP products the last sync wrote, not from WC_Product.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

defined( 'ABSPATH' ) || exit;

final class LlmsTxt {

	public function __construct( private Config $config ) {}

	public static function file(): string {
		return Config::dir() . '/llms.txt';
	}

	/** The cached text, built on first use. */
	public function text(): string {
		$file = self::file();
		if ( ! is_file( $file ) ) {
			$this->refresh();
		}
		$text = is_file( $file ) ? (string) file_get_contents( $file ) : ''; // phpcs:ignore WordPress.WP.AlternativeFunctions
		return '' !== $text ? $text : $this->build();
	}

	public function refresh(): void {
		if ( ! is_dir( Config::dir() ) ) {
			wp_mkdir_p( Config::dir() );
		}
		file_put_contents( self::file() . '.tmp', $this->build() ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		rename( self::file() . '.tmp', self::file() ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}

	public function build(): string {
		$name     = Generator::store_name();
		$currency = get_woocommerce_currency();
		$cats     = self::categories();
		$summary  = array();
		$tagline  = trim( wp_specialchars_decode( (string) get_bloginfo( 'description' ), ENT_QUOTES ) );
		if ( '' !== $tagline ) {
			$summary[] = rtrim( $tagline, '.' ) . '.';
		}
		if ( $cats ) {
			/* translators: %s: comma-separated product categories. */
			$summary[] = sprintf( __( 'Sells %s.', 'aisle' ), implode( ', ', array_slice( array_column( $cats, 'name' ), 0, 8 ) ) );
		}
		/* translators: %s: ISO 4217 currency code. */
		$summary[] = sprintf( __( 'Prices in %s.', 'aisle' ), $currency );
		$ships     = self::ships_to();
		if ( '' !== $ships ) {
			/* translators: %s: countries the store ships to. */
			$summary[] = sprintf( __( 'Ships to %s.', 'aisle' ), $ships );
		}

		$sections = array();
		$lines    = array();
		foreach ( $cats as $c ) {
			/* translators: %d: number of products. */
			$lines[] = self::link( $c['name'], $c['url'], sprintf( _n( '%d product', '%d products', $c['count'], 'aisle' ), $c['count'] ) );
		}
		$sections[ __( 'Categories', 'aisle' ) ] = $lines;
		$lines                                   = array();
		foreach ( self::best_sellers( $currency ) as $p ) {
			$lines[] = self::link( $p['title'], $p['url'], $p['price'] );
		}
		$sections[ __( 'Best sellers', 'aisle' ) ] = $lines;
		$lines                                     = array();
		$policies                                  = self::policy_pages();
		foreach ( $policies as $title => $url ) {
			$lines[] = self::link( $title, $url, '' );
		}
		$sections[ __( 'Policies', 'aisle' ) ] = $lines;
		$lines                                 = array();
		foreach ( self::knowledge_pages( array_values( $policies ) ) as $url => $title ) {
			$lines[] = self::link( $title, $url, '' );
		}
		$sections[ __( 'Pages', 'aisle' ) ] = $lines;
		$lines                              = array();
		if ( $this->config->on( 'ucp' ) ) {
			$lines[] = self::link( __( 'UCP profile', 'aisle' ), Config::ucp_profile_url(), __( 'Universal Commerce Protocol: catalog search and lookup', 'aisle' ) );
		}
		$lines[]                                 = self::link( __( 'Shop', 'aisle' ), function_exists( 'wc_get_page_permalink' ) ? wc_get_page_permalink( 'shop' ) : home_url( '/' ), '' );
		$sections[ __( 'For AI agents', 'aisle' ) ] = $lines;

		return self::fit( '# ' . self::one_line( $name ) . "\n\n> " . self::one_line( implode( ' ', $summary ) ) . "\n", $sections, (int) apply_filters( 'aisle_llms_txt_max_bytes', Config::LLMS_MAX_BYTES ) );
	}

	/** Joins the sections, dropping list lines (longest list first) until it fits in $max bytes. */
	public static function fit( string $head, array $sections, int $max ): string {
		$render = static function () use ( $head, &$sections ): string {
			$out = $head;
			foreach ( $sections as $title => $lines ) {
				if ( $lines ) {
					$out .= "\n## " . $title . "\n\n" . implode( "\n", $lines ) . "\n";
				}
			}
			return $out;
		};
		$text = $render();
		while ( strlen( $text ) > $max ) {
			$longest = null;
			foreach ( $sections as $title => $lines ) {
				if ( null === $longest || count( $lines ) > count( $sections[ $longest ] ) ) {
					$longest = $title;
				}
			}
			if ( null === $longest || ! $sections[ $longest ] ) {
				return substr( $head, 0, $max );
			}
			array_pop( $sections[ $longest ] );
			$text = $render();
		}
		return $text;
	}

	private static function one_line( string $s ): string {
		return trim( preg_replace( '/\s+/u', ' ', wp_strip_all_tags( $s ) ) );
	}

	private static function link( string $title, string $url, string $note ): string {
		$title = str_replace( array( '[', ']' ), array( '(', ')' ), self::one_line( $title ) );
		return '- [' . $title . '](' . esc_url_raw( $url ) . ')' . ( '' !== $note ? ': ' . self::one_line( $note ) : '' );
	}

	/** Top-level product categories with products, largest first. */
	private static function categories(): array {
		$terms = get_terms( array( 'taxonomy' => 'product_cat', 'parent' => 0, 'hide_empty' => true, 'orderby' => 'count', 'order' => 'DESC', 'number' => 20 ) );
		$out   = array();
		foreach ( is_array( $terms ) ? $terms : array() as $t ) {
			if ( 'uncategorized' === $t->slug ) {
				continue;
			}
			$url = get_term_link( $t );
			if ( is_string( $url ) ) {
				$out[] = array( 'name' => $t->name, 'url' => $url, 'count' => (int) $t->count );
			}
		}
		return $out;
	}

	private static function ships_to(): string {
		$countries = WC()->countries;
		$codes     = array_keys( (array) $countries->get_shipping_countries() );
		$all       = count( (array) $countries->get_countries() );
		if ( ! $codes ) {
			return '';
		}
		if ( count( $codes ) >= $all - 5 ) {
			return __( 'most countries', 'aisle' );
		}
		return implode( ', ', array_slice( $codes, 0, 30 ) ) . ( count( $codes ) > 30 ? ', …' : '' );
	}

	/** The ten best-selling products the feed holds (hidden ones never are), priced from it. */
	private static function best_sellers( string $currency ): array {
		global $wpdb;
		$ids = array_map( 'intval', $wpdb->get_col( "SELECT l.product_id FROM {$wpdb->prefix}wc_product_meta_lookup l JOIN {$wpdb->posts} p ON p.ID = l.product_id AND p.post_type = 'product' AND p.post_status = 'publish' WHERE l.total_sales > 0 ORDER BY l.total_sales DESC, l.product_id ASC LIMIT 30" ) ); // phpcs:ignore WordPress.DB
		if ( ! $ids || ! class_exists( \Aisle\ProductFeed::class ) || ! is_file( Config::dir() . '/ucp-products.idx' ) ) {
			return array();
		}
		try {
			$found = \Aisle\ProductFeed::lookup( Config::dir(), $ids );
		} catch ( \Aisle\Exception $e ) {
			return array();
		}
		$out = array();
		foreach ( $found as $json ) {
			$p = json_decode( $json, true );
			if ( ! is_array( $p ) || empty( $p['url'] ) ) {
				continue;
			}
			$min   = (int) $p['price_range']['min']['amount'];
			$exp   = Ucp::exponent( $currency );
			$out[] = array( 'title' => $p['title'], 'url' => $p['url'], 'price' => number_format( $min / ( 10 ** $exp ), $exp, '.', '' ) . ' ' . $currency );
			if ( count( $out ) >= 10 ) {
				break;
			}
		}
		return $out;
	}

	/**
	 * The knowledge base's page and post sources that are switched on and still public now
	 * (published, no password, publicly viewable): uploaded files and the FAQ are never linked.
	 * Permalink => title, by title; the policy pages are listed above already.
	 *
	 * @param string[] $skip Addresses listed elsewhere.
	 */
	private static function knowledge_pages( array $skip ): array {
		$pages = array();
		foreach ( (array) get_option( \Aisle\Plugin\Knowledge\KnowledgeBase::OPTION, array() ) as $id => $s ) {
			if ( ! is_array( $s ) || 'page' !== ( $s['type'] ?? '' ) || empty( $s['enabled'] ) || ! preg_match( '/^page:(\d+)$/', (string) $id, $m ) ) {
				continue;
			}
			$post = get_post( (int) $m[1] );
			if ( ! $post || 'publish' !== $post->post_status || '' !== $post->post_password || ! is_post_publicly_viewable( $post ) ) {
				continue;
			}
			$url = (string) get_permalink( $post );
			if ( '' !== $url && ! in_array( $url, $skip, true ) ) {
				$pages[ $url ] = get_the_title( $post );
			}
		}
		uasort( $pages, 'strnatcasecmp' );
		return $pages;
	}

	/** Refund, shipping, privacy and terms pages that are published. */
	private static function policy_pages(): array {
		$pages = array();
		$ids   = array(
			'refund_returns' => function_exists( 'wc_get_page_id' ) ? (int) wc_get_page_id( 'refund_returns' ) : 0,
			'privacy'        => (int) get_option( 'wp_page_for_privacy_policy' ),
			'terms'          => function_exists( 'wc_terms_and_conditions_page_id' ) ? (int) wc_terms_and_conditions_page_id() : 0,
		);
		$shipping = get_page_by_path( 'shipping' );
		if ( $shipping ) {
			$ids['shipping'] = (int) $shipping->ID;
		}
		foreach ( $ids as $id ) {
			if ( $id > 0 && 'publish' === get_post_status( $id ) ) {
				$pages[ get_the_title( $id ) ] = get_permalink( $id );
			}
		}
		return $pages;
	}
}
