<?php
/**
 * Aisle Classic (test fixture): a classic theme, WooCommerce declared, its stylesheet loaded.
 *
 * @package AisleClassic
 */

add_action(
	'after_setup_theme',
	static function () {
		add_theme_support( 'title-tag' );
		add_theme_support( 'woocommerce' );
		register_sidebar( array( 'id' => 'sidebar-1', 'name' => 'Sidebar' ) );
	}
);
add_action( 'wp_enqueue_scripts', static fn () => wp_enqueue_style( 'aisle-classic', get_stylesheet_uri(), array(), '1.0.0' ) );
