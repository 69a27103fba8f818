<?php
/**
 * Network Admin → Aisle: one row per site with what an agency checks first (products in the
 * index, the last sync, whether a person takes over chats, the license). Read-only; each site's
 * own Aisle screen is linked for changes.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Catalog\CatalogSync;
use Aisle\Plugin\Licensing\LicenseManager;

defined( 'ABSPATH' ) || exit;

final class NetworkScreen {

	public const SLUG = 'aisle-network';

	/** Sites listed on one page: each row switches to its site, so the page stays bounded. */
	public const PER_PAGE = 50;

	public function register(): void {
		add_action( 'network_admin_menu', array( $this, 'menu' ) );
	}

	public function menu(): void {
		add_menu_page( __( 'Aisle', 'aisle' ), __( 'Aisle', 'aisle' ), 'manage_network_options', self::SLUG, array( $this, 'render' ), 'dashicons-format-chat', 60 );
	}

	/**
	 * What the screen shows for one site, read in that site's tables.
	 *
	 * @return array{id: int, name: string, url: string, admin: string, products: ?int, sync: string, last_sync: ?int, handoff: bool, license: string}
	 */
	public static function status( int $site_id ): array {
		switch_to_blog( $site_id );
		try {
			$sync     = get_option( CatalogSync::STATE_OPTION );
			$sync     = is_array( $sync ) ? $sync : array();
			$settings = get_option( 'aisle_settings' );
			$license  = get_option( LicenseManager::STATUS_OPTION );
			return array(
				'id'        => $site_id,
				'name'      => (string) get_bloginfo( 'name' ),
				'url'       => home_url( '/' ),
				'admin'     => admin_url( 'admin.php?page=aisle' ),
				'products'  => isset( $sync['result']['indexed'] ) ? (int) $sync['result']['indexed'] : null,
				'sync'      => (string) ( $sync['state'] ?? 'never' ),
				'last_sync' => isset( $sync['finished_at'] ) ? (int) $sync['finished_at'] : null,
				'handoff'   => is_array( $settings ) && ! empty( $settings['handoff_enabled'] ),
				'license'   => is_array( $license ) ? (string) ( $license['status'] ?? 'unknown' ) : 'none',
			);
		} finally {
			restore_current_blog();
		}
	}

	public function render(): void {
		if ( ! current_user_can( 'manage_network_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to see this page.', 'aisle' ), 403 );
		}
		$page  = max( 1, (int) ( $_GET['paged'] ?? 1 ) ); // phpcs:ignore WordPress.Security.NonceVerification
		$total = (int) get_sites( array( 'count' => true, 'deleted' => 0 ) );
		$sites = get_sites( array( 'number' => self::PER_PAGE, 'offset' => ( $page - 1 ) * self::PER_PAGE, 'deleted' => 0, 'fields' => 'ids' ) );
		$pages = max( 1, (int) ceil( $total / self::PER_PAGE ) );
		echo '<div class="wrap"><h1>' . esc_html__( 'Aisle on this network', 'aisle' ) . '</h1>';
		echo '<p>' . esc_html__( 'Each site keeps its own catalog index, chats, settings, secrets and license. Open a site\'s Aisle screen to change them.', 'aisle' ) . '</p>';
		echo '<table class="wp-list-table widefat fixed striped table-view-list aisle-network-sites"><thead><tr>';
		foreach ( self::columns() as $label ) {
			echo '<th scope="col">' . esc_html( $label ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( $sites as $id ) {
			$this->row( self::status( (int) $id ) );
		}
		if ( ! $sites ) {
			echo '<tr class="no-items"><td class="colspanchange" colspan="5">' . esc_html__( 'No sites found.', 'aisle' ) . '</td></tr>';
		}
		echo '</tbody></table>';
		if ( $pages > 1 ) {
			echo '<div class="tablenav bottom"><div class="tablenav-pages">';
			echo wp_kses_post( (string) paginate_links( array( 'base' => add_query_arg( 'paged', '%#%' ), 'format' => '', 'current' => $page, 'total' => $pages ) ) );
			echo '</div></div>';
		}
		echo '</div>';
	}

	/** @return array<string,string> */
	private static function columns(): array {
		return array(
			'site'     => __( 'Site', 'aisle' ),
			'products' => __( 'Synced products', 'aisle' ),
			'sync'     => __( 'Last sync', 'aisle' ),
			'handoff'  => __( 'Handoff', 'aisle' ),
			'license'  => __( 'License', 'aisle' ),
		);
	}

	/** @param array{id: int, name: string, url: string, admin: string, products: ?int, sync: string, last_sync: ?int, handoff: bool, license: string} $s */
	private function row( array $s ): void {
		$labels = self::columns();
		echo '<tr data-site="' . esc_attr( (string) $s['id'] ) . '">';
		echo '<td class="column-primary" data-colname="' . esc_attr( $labels['site'] ) . '"><strong><a href="' . esc_url( $s['admin'] ) . '">' . esc_html( '' !== $s['name'] ? $s['name'] : $s['url'] ) . '</a></strong><br><span class="description">' . esc_html( $s['url'] ) . '</span></td>';
		echo '<td data-colname="' . esc_attr( $labels['products'] ) . '">' . esc_html( null === $s['products'] ? '—' : number_format_i18n( $s['products'] ) ) . '</td>';
		if ( null !== $s['last_sync'] ) {
			/* translators: %s: time since the sync, e.g. "5 mins" */
			$when = sprintf( __( '%s ago', 'aisle' ), human_time_diff( $s['last_sync'] ) );
		} else {
			$when = in_array( $s['sync'], array( 'queued', 'running', 'indexing' ), true ) ? __( 'Running now', 'aisle' ) : __( 'Never', 'aisle' );
		}
		if ( 'failed' === $s['sync'] ) {
			$when .= ' — ' . __( 'failed', 'aisle' );
		}
		echo '<td data-colname="' . esc_attr( $labels['sync'] ) . '">' . esc_html( $when ) . '</td>';
		echo '<td data-colname="' . esc_attr( $labels['handoff'] ) . '">' . esc_html( $s['handoff'] ? __( 'On', 'aisle' ) : __( 'Off', 'aisle' ) ) . '</td>';
		echo '<td data-colname="' . esc_attr( $labels['license'] ) . '">' . esc_html( self::license_label( $s['license'] ) ) . '</td>';
		echo '</tr>';
	}

	private static function license_label( string $status ): string {
		switch ( $status ) {
			case 'none':
				return __( 'Not activated', 'aisle' );
			case 'active':
				return __( 'Active', 'aisle' );
			case 'grace':
				return __( 'Expired, in its grace period', 'aisle' );
			case 'invalid':
				return __( 'Invalid', 'aisle' );
			case 'expired':
				return __( 'Expired', 'aisle' );
			default:
				return ucfirst( $status );
		}
	}
}
