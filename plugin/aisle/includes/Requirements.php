<?php
/**
 * What the plugin needs before it does anything, and the admin notice when it is missing.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class Requirements {

	/** @param string[] $missing Keys from missing(). */
	public function __construct( private array $missing ) {}

	/**
	 * @return string[] 'extension' and/or 'woocommerce'; empty when all is there.
	 */
	public static function missing(): array {
		$missing = array();
		// The newest classes this plugin calls: an older build of the extension counts as missing
		// (a notice), rather than failing later in a chat or a sync.
		$classes = array( \Aisle\Vault::class, \Aisle\Language::class, \Aisle\Knowledge::class, \Aisle\KnowledgeIndex::class, \Aisle\Channels\Signature::class, \Aisle\ProductFeed::class );
		if ( ! extension_loaded( 'aisle' ) || array_filter( $classes, static fn ( string $c ): bool => ! class_exists( $c ) ) ) {
			$missing[] = 'extension';
		}
		// WooCommerce defines WooCommerce and WC() from its main file, loaded before plugins_loaded.
		if ( ! class_exists( 'WooCommerce' ) || ! function_exists( 'WC' ) ) {
			$missing[] = 'woocommerce';
		}
		return $missing;
	}

	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render_notice' ) );
	}

	public function render_notice(): void {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		$lines = array();
		if ( in_array( 'extension', $this->missing, true ) ) {
			$lines[] = sprintf(
				/* translators: %s: the php.ini line that loads the extension. */
				__( 'The aisle PHP extension is not loaded in this PHP, or is older than this plugin. On Debian or Ubuntu, install the php8.2-aisle package (apt install ./php8.2-aisle_*.deb); otherwise copy aisle.so into PHP\'s extension directory and add %s to php.ini. Then restart PHP-FPM or the web server.', 'aisle' ),
				'<code>extension=aisle.so</code>'
			);
		}
		if ( in_array( 'woocommerce', $this->missing, true ) ) {
			$lines[] = __( 'WooCommerce is not active. Install and activate WooCommerce, then come back to Aisle.', 'aisle' );
		}
		echo '<div class="notice notice-error" id="aisle-requirements-notice"><p><strong>'
			. esc_html__( 'Aisle is inactive:', 'aisle' ) . '</strong></p>';
		foreach ( $lines as $line ) {
			echo '<p>' . wp_kses( $line, array( 'code' => array() ) ) . '</p>';
		}
		echo '</div>';
	}
}
