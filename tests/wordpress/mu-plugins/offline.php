<?php
/**
 * Test site only (mu-plugin): the site is offline (WP_HTTP_BLOCK_EXTERNAL). Core's update checks
 * and the plugin directory lookups (the plugins screen asks it about WooCommerce, which Aisle's
 * "Requires Plugins" header names) would log a warning about WordPress.org on every admin page:
 * they are switched off or answered "offline" without a request.
 */
remove_action( 'admin_init', '_maybe_update_core' );
remove_action( 'admin_init', '_maybe_update_plugins' );
remove_action( 'admin_init', '_maybe_update_themes' );
remove_action( 'wp_version_check', 'wp_version_check' );
remove_action( 'load-plugins.php', 'wp_update_plugins' );
remove_action( 'load-update.php', 'wp_update_plugins' );
remove_action( 'load-update-core.php', 'wp_update_plugins' );
remove_action( 'load-themes.php', 'wp_update_themes' );
remove_action( 'load-update.php', 'wp_update_themes' );
remove_action( 'load-update-core.php', 'wp_update_themes' );
add_filter( 'pre_site_transient_update_core', '__return_null' );
add_filter( 'plugins_api', static fn ( $result ) => false === $result ? new WP_Error( 'offline', 'The test site has no internet connection.' ) : $result, 1000 );
