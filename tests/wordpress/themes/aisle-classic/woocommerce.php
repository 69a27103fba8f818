<?php
/**
 * WooCommerce's pages (shop, products) inside this theme's markup.
 *
 * @package AisleClassic
 */

get_header();
woocommerce_content();
get_footer();
