<?php
/**
 * Plugin Name: WooCommerce stand-in (Aisle tests only — NOT WooCommerce)
 * Description: A tiny imitation of exactly the WooCommerce APIs and tables Aisle's adapter uses, for CI, where real WooCommerce cannot be installed. Never use it on a real store.
 * Version:     0.0.1-standin
 * License:     GPL-2.0-or-later
 *
 * What it mimics, with WooCommerce's own names and shapes: the `WooCommerce` class and `WC()`,
 * post types product/product_variation/shop_coupon, taxonomies product_cat/product_tag/
 * product_type/product_visibility/pa_*, the `wc_product_meta_lookup` and
 * `woocommerce_attribute_taxonomies` tables (columns as in WooCommerce's installer), product
 * meta (_price, _regular_price, _sale_price, _sku, _stock_status, _product_attributes,
 * attribute_*), product save/delete/stock hooks, WC_Shipping_Zones, payment gateways,
 * wc_get_page_id, FeaturesUtil::declare_compatibility and the Action Scheduler functions Aisle
 * calls (stored in its own table; run explicitly by standin_run_actions(), like
 * `wp action-scheduler run`).
 *
 * @package AisleTests
 */

defined( 'ABSPATH' ) || exit;

require __DIR__ . '/includes/core.php';
require __DIR__ . '/includes/action-scheduler.php';
require __DIR__ . '/includes/products.php';
require __DIR__ . '/includes/store.php';
require __DIR__ . '/includes/orders.php';
require __DIR__ . '/includes/rest.php';

register_activation_hook( __FILE__, 'standin_install' );

add_action( 'plugins_loaded', static function () {
	do_action( 'before_woocommerce_init' );
	do_action( 'woocommerce_loaded' );
}, 0 );
add_action( 'init', 'standin_register_types', 5 );
