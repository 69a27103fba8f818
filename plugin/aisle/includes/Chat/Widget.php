<?php
/**
 * Puts the chat widget on storefront pages: one deferred script and one inline
 * config object. No database query of its own (settings are autoloaded options),
 * no cookies, no external requests; the stylesheet is loaded by the script so
 * nothing blocks rendering.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Catalog\Lexicon;
use Aisle\Plugin\RestController;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class Widget {

	public const HANDLE = 'aisle-widget';

	public function __construct( private Settings $settings ) {}

	public function register(): void {
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue' ) );
		// WordPress < 6.3 has no loading strategies: add `defer` ourselves.
		add_filter( 'script_loader_tag', array( $this, 'defer' ), 10, 2 );
	}

	public function enqueue(): void {
		if ( is_admin() || $this->settings->get( 'assistant_paused' ) || ! $this->shown_here() ) {
			return;
		}
		$base = plugins_url( 'assets/', AISLE_FILE );
		wp_register_script( self::HANDLE, $base . 'widget.js', array(), AISLE_VERSION, array( 'in_footer' => true, 'strategy' => 'defer' ) );
		wp_add_inline_script( self::HANDLE, 'window.aisleConfig=' . wp_json_encode( $this->config( $base ) ) . ';', 'before' );
		wp_enqueue_script( self::HANDLE );
	}

	/**
	 * Whether this page gets the chat (Settings: widget_pages): everywhere; everywhere but the cart
	 * and checkout; or only on the chosen pages (the shop page included) and on the archives and
	 * products of the chosen product categories. Decided per address, so page caches keep it.
	 */
	private function shown_here(): bool {
		$where = (string) $this->settings->get( 'widget_pages' );
		if ( 'not_checkout' === $where ) {
			return ! ( function_exists( 'is_cart' ) && ( is_cart() || is_checkout() ) );
		}
		if ( 'chosen' !== $where ) {
			return true;
		}
		$ids  = array_map( 'intval', (array) $this->settings->get( 'widget_page_ids' ) );
		$cats = array_map( 'strval', (array) $this->settings->get( 'widget_categories' ) );
		$page = function_exists( 'is_shop' ) && is_shop() ? (int) wc_get_page_id( 'shop' ) : ( is_singular() || is_front_page() ? (int) get_queried_object_id() : 0 );
		if ( $page && in_array( $page, $ids, true ) ) {
			return true;
		}
		if ( $cats && ( is_tax( 'product_cat', $cats ) || ( is_singular( 'product' ) && has_term( $cats, 'product_cat', get_queried_object_id() ) ) ) ) {
			return true;
		}
		return false;
	}

	public function defer( string $tag, string $handle ): string {
		if ( self::HANDLE !== $handle || str_contains( $tag, ' defer' ) ) {
			return $tag;
		}
		return str_replace( ' src=', ' defer src=', $tag );
	}

	/**
	 * The text colour for text on the accent: white, or near-black (#1d1d1f) where white does not
	 * reach WCAG's 4.5:1 contrast ratio; if neither does, the one with the higher ratio.
	 */
	public static function text_on( string $accent ): string {
		if ( ! preg_match( '/^#?([0-9a-f]{3}|[0-9a-f]{6})$/i', trim( $accent ), $m ) ) {
			return '#ffffff';
		}
		$hex = 3 === strlen( $m[1] ) ? preg_replace( '/(.)/', '$1$1', $m[1] ) : $m[1];
		$white = self::contrast( $hex, 'ffffff' );
		$dark  = self::contrast( $hex, '1d1d1f' );
		return $white >= 4.5 || $white >= $dark ? '#ffffff' : '#1d1d1f';
	}

	/** WCAG 2 contrast ratio of two rrggbb colours. */
	public static function contrast( string $a, string $b ): float {
		$lum = static function ( string $hex ): float {
			$c = array_map( static fn ( $v ) => ( $v /= 255 ) <= 0.04045 ? $v / 12.92 : ( ( $v + 0.055 ) / 1.055 ) ** 2.4, array_map( 'hexdec', str_split( ltrim( $hex, '#' ), 2 ) ) );
			return 0.2126 * $c[0] + 0.7152 * $c[1] + 0.0722 * $c[2];
		};
		$l = array( $lum( $a ), $lum( $b ) );
		return ( max( $l ) + 0.05 ) / ( min( $l ) + 0.05 );
	}

	/** Everything the widget needs, in the names the widget uses. */
	private function config( string $base ): array {
		$s = $this->settings;
		return array(
			'restUrl'       => esc_url_raw( rest_url( RestController::NAMESPACE . '/' ) ),
			'cssUrl'        => $base . 'widget.css?ver=' . AISLE_VERSION,
			'liveUrl'       => $base . 'widget-live.js?ver=' . AISLE_VERSION, // Loaded on demand: restoring and polling.
			'color'         => $s->get( 'accent_color' ),
			'colorText'     => self::text_on( (string) $s->get( 'accent_color' ) ),
			'maxLength'     => ChatController::MAX_MESSAGE,
			'position'      => $s->get( 'position' ),
			'avatar'        => $s->get( 'avatar_url' ),
			'title'         => $s->get( 'store_name' ) ?: get_bloginfo( 'name' ),
			'rtl'           => is_rtl(),
			// Optional lead form fields the merchant turned on (Settings: lead_name, lead_message).
			'leadFields'    => array_keys( array_filter( array( 'name' => $s->get( 'lead_name' ), 'message' => $s->get( 'lead_message' ) ) ) ),
			'lang'          => Lexicon::site_language(), // The language of `strings`.
			'strings'       => self::ui_strings(),
		);
	}

	/**
	 * The widget's own words in the current locale. The page carries them in the store's
	 * language; a chat reply in another language sends them again in the shopper's
	 * (ChatController), and the widget switches to them, lead form and cards included.
	 */
	public static function ui_strings(): array {
		$settings = new Settings();
		return array(
			// The merchant's own launcher label and greeting stay as they wrote them; Aisle's
			// defaults follow the shopper's language like the rest.
			'open'        => (string) ( $settings->get( 'launcher_label' ) ?: __( 'Chat with us', 'aisle' ) ),
			'welcome'     => (string) ( $settings->get( 'welcome_message' ) ?: __( 'Hi! Ask me about our products, shipping or your order.', 'aisle' ) ),
			'message'     => __( 'Message', 'aisle' ),
			'placeholder' => __( 'Ask a question…', 'aisle' ),
			'send'        => __( 'Send', 'aisle' ),
			'close'       => __( 'Close chat', 'aisle' ),
			/* translators: 1: characters typed, 2: the most a message may have. */
			'counter'     => __( '%1$s of %2$s characters', 'aisle' ),
			/* translators: %s: the most characters a message may have (2,000). */
			'limit'       => sprintf( __( 'That is the limit of %s characters: send this message, or shorten it to add more.', 'aisle' ), number_format_i18n( ChatController::MAX_MESSAGE ) ),
			'retry'       => __( 'Retry', 'aisle' ),
			'sources'     => __( 'Sources:', 'aisle' ),
			'error'       => __( 'Sorry, the assistant could not be reached.', 'aisle' ),
			'inStock'     => __( 'In stock', 'aisle' ),
			'outOfStock'  => __( 'Out of stock', 'aisle' ),
			'addToCart'   => __( 'Add to cart', 'aisle' ),
			'chooseOptions' => __( 'Choose options', 'aisle' ),
			/* translators: %s: the staff member's display name. */
			'typing'      => __( '%s is typing…', 'aisle' ),
			// The lead form, and the consent text it shows (and the lead records).
			'email'       => __( 'Email', 'aisle' ),
			'phone'       => __( 'Phone', 'aisle' ),
			'name'        => __( 'Name (optional)', 'aisle' ),
			'leadNote'    => __( 'Message (optional)', 'aisle' ),
			'leadSend'    => __( 'Send', 'aisle' ),
			'leadMissing' => __( 'Please enter an email or a phone number.', 'aisle' ),
			'leadThanks'  => __( 'Thank you! The store will contact you soon.', 'aisle' ),
			'consent'     => ChatController::consent_text(),
		);
	}
}
