<?php
/**
 * Installs WordPress programmatically into the test site. Usage: php install.php SITE_DIR HOST
 */
$site = $argv[1];
$_SERVER['HTTP_HOST']   = $argv[2];
$_SERVER['SERVER_NAME'] = explode( ':', $argv[2] )[0];
$_SERVER['REQUEST_URI'] = '/';
define( 'WP_INSTALLING', true );
require $site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$r = wp_install( 'Aisle Test Store', 'admin', 'admin@example.com', false, '', 'admin-password-123' );
wp_insert_user( array( 'user_login' => 'customer', 'user_pass' => 'customer-password-123', 'user_email' => 'c@example.com', 'role' => 'subscriber' ) );
echo "installed\n";
