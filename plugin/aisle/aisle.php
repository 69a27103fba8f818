<?php
/**
 * Plugin Name:          Aisle — AI sales assistant
 * Description:          An AI sales assistant for WooCommerce that answers from your own catalog, shipping, payment settings, FAQ and policies. Needs the `aisle` PHP extension.
 * Version:              0.1.0
 * Requires at least:    6.8
 * Tested up to:         7.0
 * Requires PHP:         8.2
 * Requires Plugins:     woocommerce
 * WC requires at least: 9.9
 * WC tested up to:      11.0
 * Author:               Aisle
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:          aisle
 * Domain Path:          /languages
 *
 * @package Aisle
 */

defined( 'ABSPATH' ) || exit;

define( 'AISLE_VERSION', '0.1.0' );
define( 'AISLE_FILE', __FILE__ );
define( 'AISLE_DIR', __DIR__ . '/' );

// Every class lives in includes/ under the Aisle\Plugin namespace, one folder per concern
// (Aisle\Plugin\Chat\Widget is includes/Chat/Widget.php); no Composer, so a tiny autoloader.
// The extension's own classes (Aisle\Vault, ...) are never file-backed.
spl_autoload_register(
	static function ( string $class ): void {
		if ( str_starts_with( $class, 'Aisle\\Plugin\\' ) ) {
			$file = AISLE_DIR . 'includes/' . str_replace( '\\', '/', substr( $class, strlen( 'Aisle\\Plugin\\' ) ) ) . '.php';
			if ( is_readable( $file ) ) {
				require $file;
			}
		}
	}
);

// Declared here, before anything can refuse to load: the declarations are facts about the
// code, true even while the plugin is waiting for its extension.
add_action(
	'before_woocommerce_init',
	static function (): void {
		if ( class_exists( \Automattic\WooCommerce\Utilities\FeaturesUtil::class ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', __FILE__, true );
		}
	}
);

register_activation_hook( __FILE__, array( \Aisle\Plugin\Installer::class, 'activate' ) );
register_deactivation_hook( __FILE__, array( \Aisle\Plugin\Installer::class, 'deactivate' ) );
if ( is_multisite() ) {
	\Aisle\Plugin\Installer::register_network();
	( new \Aisle\Plugin\Admin\NetworkScreen() )->register();
}

add_action( 'plugins_loaded', array( \Aisle\Plugin\Plugin::class, 'boot' ), 20 );
