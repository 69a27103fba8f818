<?php
/**
 * The one "Aisle" entry in the WooCommerce menu, with tabs (Overview, Chats, Leads, ..., Settings).
 *
 * Every tab, the built-in ones included, comes from the `aisle_admin_tabs` filter, so another
 * component (Knowledge, Channels) adds its screen the same way:
 *
 *     add_filter( 'aisle_admin_tabs', fn ( $tabs ) => $tabs + array(
 *         'knowledge' => array( __( 'Knowledge', 'aisle' ), 'manage_woocommerce', array( $screen, 'render' ) ),
 *     ) );
 *
 * An entry is [label, capability, render callback] (or the same under the keys label,
 * capability, render). Settings is always last. Inside a tab, `aisle_admin_views` adds views
 * (the Chats tab's "Live" view): slug => [label, render callback], shown as links above the tab.
 * The addresses the separate menu entries had (page=aisle-chats, -leads, -dashboard) redirect
 * here with their arguments, so bookmarks and links in old lead emails keep working.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

defined( 'ABSPATH' ) || exit;

final class AdminMenu {

	public const SLUG = 'aisle';

	public const CAP = 'manage_woocommerce';

	/** Old page slug => the tab that replaced it. */
	private const OLD_PAGES = array(
		'aisle-dashboard' => 'overview',
		'aisle-chats'     => 'chats',
		'aisle-leads'     => 'leads',
	);

	/** Arguments the old pages took, carried over by the redirect. */
	private const CARRIED = array( 'conversation', 's', 'paged', 'lead', 'done', 'view' );

	private string $hook = '';

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 60 );
		add_action( 'admin_enqueue_scripts', array( $this, 'assets' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( AISLE_FILE ), array( $this, 'action_links' ) );
	}

	/** The address of a tab (and view, and any screen arguments). */
	public static function url( string $tab = 'overview', array $args = array() ): string {
		return add_query_arg( array_merge( array( 'page' => self::SLUG, 'tab' => $tab ), $args ), admin_url( 'admin.php' ) );
	}

	public function menu(): void {
		$this->redirect_old_page();
		$this->hook = (string) add_submenu_page( 'woocommerce', __( 'Aisle', 'aisle' ), __( 'Aisle', 'aisle' ), self::CAP, self::SLUG, array( $this, 'render' ) );
	}

	/**
	 * Runs while WordPress builds the menu: an unregistered page slug is refused right after
	 * (before admin_init), so the redirect cannot wait for a later hook.
	 */
	private function redirect_old_page(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- a redirect to a read-only screen.
		$page = isset( $_GET['page'] ) ? sanitize_key( wp_unslash( $_GET['page'] ) ) : '';
		if ( ! isset( self::OLD_PAGES[ $page ] ) || ! current_user_can( self::CAP ) ) {
			return;
		}
		$args = array();
		foreach ( self::CARRIED as $key ) {
			if ( isset( $_GET[ $key ] ) && is_string( $_GET[ $key ] ) ) {
				$args[ $key ] = rawurlencode( sanitize_text_field( wp_unslash( $_GET[ $key ] ) ) );
			}
		}
		// phpcs:enable
		wp_safe_redirect( self::url( self::OLD_PAGES[ $page ], $args ), 301 );
		exit;
	}

	public function action_links( array $links ): array {
		array_unshift( $links, '<a href="' . esc_url( self::url( 'settings' ) ) . '">' . esc_html__( 'Settings', 'aisle' ) . '</a>' );
		return $links;
	}

	/**
	 * @return array<string, array{label: string, capability: string, render: callable}> The tabs
	 *         the current user may open, in order, Settings last.
	 */
	public static function tabs(): array {
		$out = array();
		foreach ( (array) apply_filters( 'aisle_admin_tabs', array() ) as $slug => $tab ) {
			$tab    = is_array( $tab ) ? $tab : array();
			$label  = $tab['label'] ?? $tab[0] ?? null;
			$cap    = $tab['capability'] ?? $tab[1] ?? self::CAP;
			$render = $tab['render'] ?? $tab[2] ?? null;
			if ( ! is_string( $slug ) || ! is_string( $label ) || ! is_callable( $render ) || ! current_user_can( (string) $cap ) ) {
				continue;
			}
			$out[ sanitize_key( $slug ) ] = array( 'label' => $label, 'capability' => (string) $cap, 'render' => $render );
		}
		if ( isset( $out['settings'] ) ) {
			$settings = $out['settings'];
			unset( $out['settings'] );
			$out['settings'] = $settings;
		}
		return $out;
	}

	/** @return array<string, array{label: string, render: callable}> The views of a tab (none: the tab's own screen). */
	public static function views( string $tab ): array {
		$out = array();
		foreach ( (array) apply_filters( 'aisle_admin_views', array(), $tab ) as $slug => $view ) {
			$view   = is_array( $view ) ? $view : array();
			$label  = $view['label'] ?? $view[0] ?? null;
			$render = $view['render'] ?? $view[1] ?? null;
			if ( is_string( $slug ) && is_string( $label ) && is_callable( $render ) ) {
				$out[ sanitize_key( $slug ) ] = array( 'label' => $label, 'render' => $render );
			}
		}
		return $out;
	}

	/** The tab being shown: the one asked for if the user may open it, else the first. */
	public static function current_tab(): string {
		$tabs = self::tabs();
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- choosing a screen.
		$tab = isset( $_GET['tab'] ) ? sanitize_key( wp_unslash( $_GET['tab'] ) ) : '';
		return isset( $tabs[ $tab ] ) ? $tab : (string) array_key_first( $tabs );
	}

	public function assets( string $hook ): void {
		if ( '' === $this->hook || $hook !== $this->hook ) {
			return;
		}
		wp_enqueue_style( 'aisle-admin', plugins_url( 'assets/admin.css', AISLE_FILE ), array(), AISLE_VERSION );
		// Each screen loads only what it needs.
		do_action( 'aisle_admin_enqueue', self::current_tab() );
	}

	public function render(): void {
		if ( ! current_user_can( self::CAP ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Aisle.', 'aisle' ), 403 );
		}
		$tabs    = self::tabs();
		$current = self::current_tab();
		echo '<div class="wrap aisle-admin" id="aisle-admin"><h1>' . esc_html__( 'Aisle — AI sales assistant', 'aisle' ) . '</h1><hr class="wp-header-end">';
		// WooCommerce's own tab bar markup, so the screen looks like its settings.
		echo '<nav class="nav-tab-wrapper woo-nav-tab-wrapper" id="aisle-tabs" aria-label="' . esc_attr__( 'Aisle screens', 'aisle' ) . '">';
		foreach ( $tabs as $slug => $tab ) {
			$active = $slug === $current;
			echo '<a class="nav-tab' . ( $active ? ' nav-tab-active' : '' ) . '" id="aisle-tab-' . esc_attr( $slug ) . '" href="' . esc_url( self::url( $slug ) ) . '"' . ( $active ? ' aria-current="page"' : '' ) . '>' . esc_html( $tab['label'] ) . '</a>';
		}
		echo '</nav>';
		if ( ! $tabs ) {
			echo '<p>' . esc_html__( 'There is nothing here you may open.', 'aisle' ) . '</p></div>';
			return;
		}
		$render = $tabs[ $current ]['render'];
		$views  = self::views( $current );
		if ( $views ) {
			// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- choosing a view.
			$asked = isset( $_GET['view'] ) ? sanitize_key( wp_unslash( $_GET['view'] ) ) : '';
			$view  = isset( $views[ $asked ] ) ? $asked : '';
			echo '<ul class="subsubsub" id="aisle-views">';
			$links   = array();
			$links[] = '<li><a href="' . esc_url( self::url( $current ) ) . '"' . ( '' === $view ? ' class="current" aria-current="page"' : '' ) . '>' . esc_html( $tabs[ $current ]['label'] ) . '</a>';
			foreach ( $views as $slug => $v ) {
				$links[] = '<li><a id="aisle-view-' . esc_attr( $slug ) . '" href="' . esc_url( self::url( $current, array( 'view' => $slug ) ) ) . '"' . ( $slug === $view ? ' class="current" aria-current="page"' : '' ) . '>' . esc_html( $v['label'] ) . '</a>';
			}
			echo implode( ' | </li>', $links ) . '</li></ul><br class="clear">'; // phpcs:ignore WordPress.Security.EscapeOutput -- escaped above.
			if ( '' !== $view ) {
				$render = $views[ $view ]['render'];
			}
		}
		echo '<div class="aisle-tab" id="aisle-tab-panel-' . esc_attr( $current ) . '">';
		call_user_func( $render );
		echo '</div></div>';
	}
}
