<?php
/**
 * The Live view: conversations waiting for a person first (with their wait), the redacted
 * transcript, Take over / reply / Release to assistant / Close. The markup is an empty frame;
 * assets/live.js fills it from the staff REST routes (Chat\HandoffRoutes) and polls every few
 * seconds, so new messages appear without a reload. It is the Chats tab's Live view; staff who
 * may answer chats but not manage the store get it as its own page. The menu entry carries the
 * unread badge.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Handoff;
use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class LiveChats {

	/** The page for staff who answer chats without managing the store (no access to the Aisle menu). */
	public const SLUG = 'aisle-live';

	private string $hook = '';

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 61 );
		add_action( 'admin_enqueue_scripts', array( $this, 'assets' ) );
		// The Live view of the Chats tab (Admin\AdminMenu).
		add_filter( 'aisle_admin_views', array( $this, 'view' ), 10, 2 );
		// WooCommerce keeps users without store capabilities out of wp-admin; chat staff need the Live view.
		add_filter( 'woocommerce_prevent_admin_access', static fn ( $prevent ) => $prevent && ! current_user_can( Handoff::CAP ) );
	}

	/** Where staff answer: the Chats tab's Live view, or the own page for answer-only staff. */
	public static function url( array $args = array() ): string {
		return current_user_can( AdminMenu::CAP ) || ! current_user_can( Handoff::CAP )
			? AdminMenu::url( 'chats', array( 'view' => 'live' ) + $args )
			: add_query_arg( array( 'page' => self::SLUG ) + $args, admin_url( 'admin.php' ) );
	}

	public function view( array $views, string $tab ): array {
		return 'chats' === $tab && Handoff::can_answer() ? $views + array( 'live' => array( __( 'Live', 'aisle' ), array( $this, 'render' ) ) ) : $views;
	}

	public function menu(): void {
		global $submenu;
		if ( ! Handoff::can_answer() ) {
			return;
		}
		$n = Handoff::unread( get_current_user_id() );
		/* translators: %d: conversations waiting for an answer */
		$badge = $n ? ' <span class="awaiting-mod count-' . $n . '"><span class="pending-count" aria-hidden="true">' . $n . '</span><span class="screen-reader-text">' . esc_html( sprintf( _n( '%d waiting', '%d waiting', $n, 'aisle' ), $n ) ) . '</span></span>' : '';
		if ( ! current_user_can( AdminMenu::CAP ) ) {
			$this->hook = (string) add_submenu_page( 'woocommerce', __( 'Aisle live chats', 'aisle' ), __( 'Aisle live', 'aisle' ) . $badge, Handoff::CAP, self::SLUG, array( $this, 'render' ) );
			return;
		}
		// The badge rides on the one Aisle entry.
		foreach ( $submenu['woocommerce'] ?? array() as $i => $item ) {
			if ( AdminMenu::SLUG === ( $item[2] ?? '' ) ) {
				$submenu['woocommerce'][ $i ][0] .= $badge; // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- appending a count to our own entry.
			}
		}
	}

	public function assets( string $hook ): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- which screen, and which conversation to open: changes nothing.
		$ours = ( '' !== $this->hook && $hook === $this->hook )
			|| ( isset( $_GET['page'], $_GET['view'] ) && AdminMenu::SLUG === $_GET['page'] && 'live' === $_GET['view'] );
		if ( ! $ours || ! Handoff::can_answer() ) {
			return;
		}
		$open = isset( $_GET['conversation'] ) ? absint( $_GET['conversation'] ) : 0;
		// phpcs:enable
		wp_enqueue_style( 'aisle-live', plugins_url( 'assets/live.css', AISLE_FILE ), array(), AISLE_VERSION );
		wp_enqueue_script( 'aisle-live', plugins_url( 'assets/live.js', AISLE_FILE ), array( 'wp-api-fetch', 'wp-i18n' ), AISLE_VERSION, true );
		wp_set_script_translations( 'aisle-live', 'aisle', AISLE_DIR . 'languages' );
		wp_add_inline_script( 'aisle-live', 'window.aisleLive = ' . wp_json_encode( array( 'namespace' => RestController::NAMESPACE, 'open' => $open ) ) . ';', 'before' );
	}

	/** The Overview tab's handoff figures since $since (Chat\Handoff::stats). */
	public static function overview( int $since ): void {
		$st   = Handoff::stats( $since );
		$wait = null === $st['median_wait'] ? '–' : ( $st['median_wait'] >= 60
			/* translators: 1: minutes, 2: seconds. */
			? sprintf( __( '%1$d min %2$d s', 'aisle' ), intdiv( $st['median_wait'], 60 ), $st['median_wait'] % 60 )
			/* translators: %d: seconds. */
			: sprintf( __( '%d s', 'aisle' ), $st['median_wait'] ) );
		$rows = array(
			'handoffs'              => array( __( 'Handoffs to the team', 'aisle' ), number_format_i18n( $st['handoffs'] ) ),
			'median_wait'           => array( __( 'Median wait for a first reply', 'aisle' ), $wait ),
			'resolved_by_human'     => array( __( 'Answered by a person', 'aisle' ), number_format_i18n( $st['resolved_by_human'] ) ),
			'resolved_by_assistant' => array( __( 'Answered by the assistant alone', 'aisle' ), number_format_i18n( $st['resolved_by_assistant'] ) ),
		);
		echo '<h3>' . esc_html__( 'Live handoff', 'aisle' ) . '</h3><ul class="aisle-totals" id="aisle-handoff-totals">';
		foreach ( $rows as $k => [ $label, $value ] ) {
			echo '<li data-key="' . esc_attr( $k ) . '"><span class="aisle-total-label">' . esc_html( $label ) . '</span> <strong class="aisle-total-value">' . esc_html( $value ) . '</strong></li>';
		}
		echo '</ul>';
	}

	public function render(): void {
		if ( ! Handoff::can_answer() ) {
			wp_die( esc_html__( 'You are not allowed to answer chats.', 'aisle' ), 403 );
		}
		echo '<div id="aisle-live"><h2>' . esc_html__( 'Live chats', 'aisle' ) . '</h2>';
		echo '<form id="aisle-live-agent" class="aisle-live-agent"><label>' . esc_html__( 'Your name shown to shoppers', 'aisle' ) . ' <input type="text" id="aisle-live-agent-name" maxlength="60" /></label> ';
		echo '<label>' . esc_html__( 'Picture URL (optional)', 'aisle' ) . ' <input type="url" id="aisle-live-agent-avatar" maxlength="500" /></label> ';
		echo '<button type="submit" class="button">' . esc_html__( 'Save', 'aisle' ) . '</button> <span id="aisle-live-agent-status" role="status"></span></form>';
		echo '<div class="aisle-live-grid"><div><h3>' . esc_html__( 'Conversations', 'aisle' ) . '</h3><ul id="aisle-live-list" class="aisle-live-list"></ul><p id="aisle-live-empty" hidden>' . esc_html__( 'No conversations right now.', 'aisle' ) . '</p></div>';
		echo '<section id="aisle-live-conv" class="aisle-live-conv" hidden><div class="aisle-live-head"><h3 id="aisle-live-title"></h3> <span id="aisle-live-state" role="status"></span>';
		echo '<p id="aisle-live-page"></p><p class="aisle-live-actions"><button type="button" class="button button-primary" id="aisle-live-claim">' . esc_html__( 'Take over', 'aisle' ) . '</button> ';
		echo '<button type="button" class="button" id="aisle-live-release">' . esc_html__( 'Release to assistant', 'aisle' ) . '</button> ';
		echo '<button type="button" class="button" id="aisle-live-close">' . esc_html__( 'Close', 'aisle' ) . '</button></p></div>';
		// The log role on a wrapper: on the list itself it would hide the list from screen readers (items without a list).
		echo '<div role="log" aria-live="polite" aria-labelledby="aisle-live-title"><ol id="aisle-live-messages" class="aisle-live-messages"></ol></div>';
		echo '<form id="aisle-live-form" class="aisle-live-form"><label for="aisle-live-text" class="screen-reader-text">' . esc_html__( 'Reply', 'aisle' ) . '</label><textarea id="aisle-live-text" rows="3" maxlength="2000" placeholder="' . esc_attr__( 'Write a reply. Links and **bold** work; HTML is shown as text.', 'aisle' ) . '"></textarea>';
		echo '<button type="submit" class="button button-primary" id="aisle-live-send">' . esc_html__( 'Send', 'aisle' ) . '</button></form>';
		echo '<p id="aisle-live-error" class="aisle-live-error" role="alert"></p></section></div></div>';
	}
}
