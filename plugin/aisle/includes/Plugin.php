<?php
/**
 * The single wiring point: decides whether the plugin can run and registers every concern.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class Plugin {

	/** Called on plugins_loaded (priority 20, after WooCommerce at 10). */
	public static function boot(): void {
		load_plugin_textdomain( 'aisle', false, dirname( plugin_basename( AISLE_FILE ) ) . '/languages' );

		$missing = Requirements::missing();
		if ( $missing ) {
			// Refuse to run, Query Monitor style: explain in wp-admin, touch nothing else.
			( new Requirements( $missing ) )->register();
			return;
		}

		Installer::maybe_upgrade();

		$secrets  = new Secrets();
		$settings = new Settings();
		$license  = new LicenseManager( $secrets );
		$facts    = new StoreFacts( new WooAdapter(), $settings );
		$sync     = new CatalogSync( new WooAdapter(), $settings, $facts );

		foreach ( array(
			$license,
			$sync,
			new RestController( $settings, $secrets, $license, $sync, $facts ),
			new AdminPage( $settings ),
		) as $concern ) {
			$concern->register();
		}
	}
}
