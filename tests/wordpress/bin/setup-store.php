<?php
/**
 * What a merchant's first steps leave on a new WooCommerce store, run once after WooCommerce is
 * activated: a live store (not "coming soon"), a US address in dollars, the setup wizard
 * dismissed, Cash on delivery on. HPOS stays as WooCommerce's installer set it for a new store.
 * Usage: php setup-store.php SITE_DIR HOST
 */
$site = $argv[1];
$_SERVER['HTTP_HOST']   = $argv[2];
$_SERVER['SERVER_NAME'] = explode( ':', $argv[2] )[0];
$_SERVER['REQUEST_URI'] = '/';
require $site . '/wp-load.php';

// What the merchant's first wp-admin visit runs (admin_init): WooCommerce's new-store defaults,
// HPOS among them. Then the choices a merchant makes in the setup wizard.
wp_set_current_user( 1 );
WC_Install::newly_installed();

update_option( 'woocommerce_coming_soon', 'no' );
update_option( 'woocommerce_store_pages_only', 'no' );
update_option( 'woocommerce_default_country', 'US:CA' );
update_option( 'woocommerce_store_address', '1 Market Street' );
update_option( 'woocommerce_store_city', 'San Francisco' );
update_option( 'woocommerce_store_postcode', '94105' );
update_option( 'woocommerce_currency', 'USD' );
update_option( 'woocommerce_onboarding_profile', array( 'skipped' => true ) );
update_option( 'woocommerce_task_list_hidden', 'yes' );
update_option( 'woocommerce_show_marketplace_suggestions', 'no' );
update_option( 'woocommerce_allow_tracking', 'no' );
update_option( 'woocommerce_cod_settings', array( 'enabled' => 'yes', 'title' => 'Cash on delivery', 'description' => 'Pay with cash upon delivery.', 'instructions' => 'Pay with cash upon delivery.', 'enable_for_methods' => array(), 'enable_for_virtual' => 'yes' ) );
delete_transient( '_wc_activation_redirect' );
// Pretty permalinks, as nearly every store has: WooCommerce's product and cart URLs depend on them.
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );
echo "store set up\n";
