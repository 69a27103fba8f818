<?php
// phpcs:ignoreFile -- test stand-in.
namespace Automattic\WooCommerce\Utilities {
	final class FeaturesUtil {
		/** @var array<string, array<string, bool>> feature => plugin file => compatible */
		public static array $declared = array();

		public static function declare_compatibility( string $feature_id, string $plugin_file, bool $positive_compatibility = true ): bool {
			if ( ! doing_action( 'before_woocommerce_init' ) ) {
				// WooCommerce logs this as wrong usage.
				_doing_it_wrong( __METHOD__, 'declare_compatibility must be called inside before_woocommerce_init', '7.0' );
				return false;
			}
			self::$declared[ $feature_id ][ plugin_basename( $plugin_file ) ] = $positive_compatibility;
			return true;
		}
	}
}

namespace {
	final class WooCommerce {
		public string $version = '0.0.1-standin';
		private static ?WooCommerce $instance = null;

		public static function instance(): WooCommerce {
			return self::$instance ??= new self();
		}

		public function payment_gateways(): WC_Payment_Gateways {
			return WC_Payment_Gateways::instance();
		}
	}

	function WC(): WooCommerce {
		return WooCommerce::instance();
	}

	function get_woocommerce_currency(): string {
		return (string) apply_filters( 'woocommerce_currency', get_option( 'woocommerce_currency', 'USD' ) );
	}

	function wc_get_page_id( $page ) {
		$page = apply_filters( 'woocommerce_get_' . $page . '_page_id', get_option( 'woocommerce_' . $page . '_page_id' ) );
		return $page ? absint( $page ) : -1;
	}

	// WooCommerce's default coupon-code filters (wc-core-functions.php).
	function wc_sanitize_coupon_code( $value ) {
		return wp_filter_kses( sanitize_post_field( 'post_title', $value ?? '', 0, 'db' ) );
	}
	function wc_strtolower( $string ) {
		return function_exists( 'mb_strtolower' ) ? mb_strtolower( $string ) : strtolower( $string );
	}
	add_filter( 'woocommerce_coupon_code', 'html_entity_decode' );
	add_filter( 'woocommerce_coupon_code', 'wc_sanitize_coupon_code' );
	add_filter( 'woocommerce_coupon_code', 'wc_strtolower' );

	function wc_format_coupon_code( $value ) {
		return apply_filters( 'woocommerce_coupon_code', $value );
	}

	function wc_get_coupon_id_by_code( $code, $exclude = 0 ) {
		global $wpdb;
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT ID FROM $wpdb->posts WHERE post_title = %s AND post_type = 'shop_coupon' AND post_status = 'publish' AND ID != %d ORDER BY post_date DESC LIMIT 1", wc_format_coupon_code( $code ), $exclude ) );
	}

	function standin_register_types(): void {
		register_post_type( 'product', array( 'public' => true, 'label' => 'Products', 'rewrite' => array( 'slug' => 'product' ), 'supports' => array( 'title', 'editor', 'excerpt', 'thumbnail' ) ) );
		register_post_type( 'product_variation', array( 'public' => false, 'label' => 'Variations' ) );
		register_post_type( 'shop_coupon', array( 'public' => false, 'label' => 'Coupons' ) );
		register_taxonomy( 'product_type', 'product', array( 'public' => false, 'hierarchical' => false ) );
		register_taxonomy( 'product_visibility', array( 'product', 'product_variation' ), array( 'public' => false, 'hierarchical' => false ) );
		register_taxonomy( 'product_cat', 'product', array( 'hierarchical' => true, 'label' => 'Categories' ) );
		register_taxonomy( 'product_tag', 'product', array( 'hierarchical' => false, 'label' => 'Tags' ) );
		global $wpdb;
		foreach ( (array) $wpdb->get_col( "SELECT attribute_name FROM {$wpdb->prefix}woocommerce_attribute_taxonomies" ) as $name ) {
			register_taxonomy( 'pa_' . $name, array( 'product' ), array( 'hierarchical' => false, 'public' => false ) );
		}
		// WooCommerce keeps a Shop Manager role with manage_woocommerce.
		if ( ! get_role( 'shop_manager' ) ) {
			add_role( 'shop_manager', 'Shop manager', array( 'read' => true, 'manage_woocommerce' => true ) );
		}
		$admin = get_role( 'administrator' );
		if ( $admin && ! $admin->has_cap( 'manage_woocommerce' ) ) {
			$admin->add_cap( 'manage_woocommerce' );
		}
		// WooCommerce adds the top-level menu Aisle's page hangs under.
		add_action( 'admin_menu', static function () {
			add_menu_page( 'WooCommerce', 'WooCommerce (stand-in)', 'manage_woocommerce', 'woocommerce', '__return_null', 'dashicons-cart', 55 );
		} );
	}

	/** Tables with the columns WooCommerce's installer creates (WC_Install::get_schema). */
	function standin_install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		dbDelta( "CREATE TABLE {$wpdb->prefix}wc_product_meta_lookup (
  product_id bigint(20) NOT NULL,
  sku varchar(100) NULL default '',
  global_unique_id varchar(100) NULL default '',
  `virtual` tinyint(1) NULL default 0,
  downloadable tinyint(1) NULL default 0,
  min_price decimal(19,4) NULL default NULL,
  max_price decimal(19,4) NULL default NULL,
  onsale tinyint(1) NULL default 0,
  stock_quantity double NULL default NULL,
  stock_status varchar(100) NULL default 'instock',
  rating_count bigint(20) NULL default 0,
  average_rating decimal(3,2) NULL default 0.00,
  total_sales bigint(20) NULL default 0,
  tax_status varchar(100) NULL default 'taxable',
  tax_class varchar(100) NULL default '',
  PRIMARY KEY  (product_id),
  KEY stock_status (stock_status),
  KEY min_max_price (min_price,max_price)
) $collate;
CREATE TABLE {$wpdb->prefix}woocommerce_attribute_taxonomies (
  attribute_id bigint(20) unsigned NOT NULL auto_increment,
  attribute_name varchar(200) NOT NULL,
  attribute_label varchar(200) NULL,
  attribute_type varchar(20) NOT NULL,
  attribute_orderby varchar(20) NOT NULL,
  attribute_public int(1) NOT NULL DEFAULT 1,
  PRIMARY KEY  (attribute_id),
  KEY attribute_name (attribute_name(20))
) $collate;
CREATE TABLE {$wpdb->prefix}standin_actions (
  action_id bigint(20) unsigned NOT NULL auto_increment,
  hook varchar(191) NOT NULL,
  status varchar(20) NOT NULL,
  scheduled_date_gmt datetime NOT NULL,
  args varchar(191),
  `group` varchar(191) NOT NULL default '',
  `interval` int(10) unsigned NOT NULL default 0,
  PRIMARY KEY  (action_id),
  KEY hook (hook)
) $collate;" );
		standin_register_types();
		foreach ( array( 'simple', 'variable', 'grouped', 'external' ) as $type ) {
			if ( ! term_exists( $type, 'product_type' ) ) {
				wp_insert_term( $type, 'product_type' );
			}
		}
		foreach ( array( 'exclude-from-search', 'exclude-from-catalog', 'featured', 'outofstock' ) as $term ) {
			if ( ! term_exists( $term, 'product_visibility' ) ) {
				wp_insert_term( $term, 'product_visibility' );
			}
		}
	}
}
