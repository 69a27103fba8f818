<?php
/**
 * Admin screens under the Aisle menu (WooCommerce → Aisle …): Chats (list, search, transcript),
 * Leads (list, mark contacted, delete, CSV) and a dashboard drawn as inline SVG. Server-rendered,
 * every value escaped; actions go through admin-post.php with nonces and manage_woocommerce.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Leads;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class AdminChats {

	private const CAP = 'manage_woocommerce';

	public function __construct( private Conversations $conversations, private Leads $leads, private Settings $settings ) {}

	public function register(): void {
		add_action( 'admin_menu', array( $this, 'menu' ), 60 );
		add_action( 'admin_post_aisle_lead', array( $this, 'lead_action' ) );
		add_action( 'admin_post_aisle_leads_csv', array( $this, 'csv' ) );
	}

	public function menu(): void {
		add_submenu_page( 'woocommerce', __( 'Aisle dashboard', 'aisle' ), __( 'Aisle dashboard', 'aisle' ), self::CAP, 'aisle-dashboard', array( $this, 'dashboard' ) );
		add_submenu_page( 'woocommerce', __( 'Aisle chats', 'aisle' ), __( 'Aisle chats', 'aisle' ), self::CAP, 'aisle-chats', array( $this, 'chats' ) );
		add_submenu_page( 'woocommerce', __( 'Aisle leads', 'aisle' ), __( 'Aisle leads', 'aisle' ), self::CAP, 'aisle-leads', array( $this, 'leads_page' ) );
	}

	private function check(): void {
		if ( ! current_user_can( self::CAP ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Aisle.', 'aisle' ), 403 );
		}
	}

	public function dashboard(): void {
		$this->check();
		$days   = Stats::days( 14 );
		$labels = array(
			'sessions'  => __( 'Sessions', 'aisle' ),
			'messages'  => __( 'Messages', 'aisle' ),
			'leads'     => __( 'Leads', 'aisle' ),
			'tokens'    => __( 'AI tokens', 'aisle' ),
			'grounding' => __( 'Grounding corrections', 'aisle' ),
			'orders'    => __( 'Chat-assisted orders', 'aisle' ),
		);
		echo '<div class="wrap"><h1>' . esc_html__( 'Aisle dashboard', 'aisle' ) . '</h1>';
		echo '<p>' . esc_html__( 'Last 14 days. Counts only: no personal data is kept for these figures.', 'aisle' ) . '</p>';
		echo '<table class="widefat striped" id="aisle-stats"><thead><tr><th>' . esc_html__( 'Day', 'aisle' ) . '</th>';
		foreach ( $labels as $l ) {
			echo '<th>' . esc_html( $l ) . '</th>';
		}
		echo '</tr></thead><tbody>';
		foreach ( array_reverse( $days, true ) as $day => $row ) {
			echo '<tr><td>' . esc_html( $day ) . '</td>';
			foreach ( array_keys( $labels ) as $k ) {
				echo '<td>' . esc_html( number_format_i18n( $row[ $k ] ) ) . '</td>';
			}
			echo '</tr>';
		}
		echo '</tbody></table>';
		// Messages per day as bars: inline SVG, no chart library.
		$max = max( 1, max( array_column( $days, 'messages' ) ) );
		$w   = 28;
		echo '<h2>' . esc_html__( 'Messages per day', 'aisle' ) . '</h2><svg id="aisle-chart" role="img" aria-label="' . esc_attr__( 'Messages per day', 'aisle' ) . '" width="' . esc_attr( (string) ( count( $days ) * $w ) ) . '" height="120" viewBox="0 0 ' . esc_attr( (string) ( count( $days ) * $w ) ) . ' 120">';
		$i = 0;
		foreach ( $days as $day => $row ) {
			$h = (int) round( 100 * $row['messages'] / $max );
			printf( '<rect x="%d" y="%d" width="%d" height="%d" fill="#2271b1"><title>%s</title></rect>', (int) ( $i * $w + 4 ), (int) ( 105 - $h ), (int) ( $w - 8 ), (int) $h, esc_html( $day . ': ' . $row['messages'] ) );
			++$i;
		}
		echo '</svg></div>';
	}

	public function chats(): void {
		$this->check();
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only screen arguments.
		$id     = isset( $_GET['conversation'] ) ? absint( $_GET['conversation'] ) : 0;
		$search = isset( $_GET['s'] ) ? sanitize_text_field( wp_unslash( $_GET['s'] ) ) : '';
		$paged  = isset( $_GET['paged'] ) ? max( 1, absint( $_GET['paged'] ) ) : 1;
		// phpcs:enable
		echo '<div class="wrap"><h1>' . esc_html__( 'Aisle chats', 'aisle' ) . '</h1>';
		if ( $id ) {
			$conv = $this->conversations->get( $id );
			echo '<p><a href="' . esc_url( admin_url( 'admin.php?page=aisle-chats' ) ) . '">' . esc_html__( '← All chats', 'aisle' ) . '</a></p>';
			if ( ! $conv ) {
				echo '<p>' . esc_html__( 'This conversation has expired or does not exist.', 'aisle' ) . '</p></div>';
				return;
			}
			echo '<p>' . esc_html( sprintf( /* translators: 1: date, 2: page */ __( 'Started %1$s on %2$s', 'aisle' ), wp_date( 'Y-m-d H:i', (int) $conv->started_at ), $conv->page_url ) ) . '</p><div id="aisle-transcript">';
			foreach ( $this->conversations->messages( $id ) as $m ) {
				echo '<p dir="auto"><strong>' . esc_html( 'user' === $m->role ? __( 'Visitor', 'aisle' ) : __( 'Assistant', 'aisle' ) ) . '</strong> <small>' . esc_html( wp_date( 'H:i', (int) $m->created_at ) ) . '</small><br>' . nl2br( esc_html( $m->content ) ) . '</p>';
			}
			echo '</div></div>';
			return;
		}
		$r = $this->conversations->search( $search, $paged );
		echo '<form method="get"><input type="hidden" name="page" value="aisle-chats"><p class="search-box"><label class="screen-reader-text" for="aisle-chat-search">' . esc_html__( 'Search chats', 'aisle' ) . '</label><input type="search" id="aisle-chat-search" name="s" value="' . esc_attr( $search ) . '"> <button class="button">' . esc_html__( 'Search', 'aisle' ) . '</button></p></form>';
		echo '<table class="widefat striped" id="aisle-chats"><thead><tr><th>' . esc_html__( 'Started', 'aisle' ) . '</th><th>' . esc_html__( 'Page', 'aisle' ) . '</th><th>' . esc_html__( 'Messages', 'aisle' ) . '</th><th>' . esc_html__( 'Expires', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $r['rows'] as $c ) {
			$link = admin_url( 'admin.php?page=aisle-chats&conversation=' . (int) $c->id );
			echo '<tr><td><a href="' . esc_url( $link ) . '">' . esc_html( wp_date( 'Y-m-d H:i', (int) $c->started_at ) ) . '</a></td><td>' . esc_html( $c->page_url ) . '</td><td>' . esc_html( (string) $c->message_count ) . '</td><td>' . esc_html( wp_date( 'Y-m-d H:i', (int) $c->expires_at ) ) . '</td></tr>';
		}
		if ( ! $r['rows'] ) {
			echo '<tr><td colspan="4">' . esc_html__( 'No conversations.', 'aisle' ) . '</td></tr>';
		}
		echo '</tbody></table>';
		if ( $r['total'] > $paged * 20 ) {
			echo '<p><a class="button" href="' . esc_url( add_query_arg( array( 'page' => 'aisle-chats', 's' => $search, 'paged' => $paged + 1 ), admin_url( 'admin.php' ) ) ) . '">' . esc_html__( 'Older', 'aisle' ) . '</a></p>';
		}
		echo '</div>';
	}

	public function leads_page(): void {
		$this->check();
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only screen arguments.
		$focus = isset( $_GET['lead'] ) ? absint( $_GET['lead'] ) : 0;
		$done  = isset( $_GET['done'] ) ? sanitize_key( $_GET['done'] ) : '';
		// phpcs:enable
		echo '<div class="wrap"><h1>' . esc_html__( 'Aisle leads', 'aisle' ) . '</h1>';
		if ( 'deleted' === $done ) {
			echo '<div class="notice notice-success" id="aisle-lead-notice"><p>' . esc_html__( 'Lead deleted.', 'aisle' ) . '</p></div>';
		} elseif ( 'contacted' === $done ) {
			echo '<div class="notice notice-success" id="aisle-lead-notice"><p>' . esc_html__( 'Lead marked as contacted.', 'aisle' ) . '</p></div>';
		}
		// Delete asks first: the script below opens this box instead of following the link.
		echo '<div class="notice notice-warning" id="aisle-lead-confirm" role="alertdialog" aria-modal="false" aria-labelledby="aisle-lead-confirm-text" hidden><p id="aisle-lead-confirm-text"></p><p>';
		echo '<a class="button button-primary" id="aisle-lead-confirm-delete" href="#">' . esc_html__( 'Delete lead', 'aisle' ) . '</a> ';
		echo '<button type="button" class="button" id="aisle-lead-confirm-cancel">' . esc_html__( 'Cancel', 'aisle' ) . '</button></p></div>';
		echo '<p><a class="button" href="' . esc_url( wp_nonce_url( admin_url( 'admin-post.php?action=aisle_leads_csv' ), 'aisle_leads_csv' ) ) . '">' . esc_html__( 'Export CSV', 'aisle' ) . '</a></p>';
		echo '<table class="widefat striped" id="aisle-leads"><thead><tr><th>' . esc_html__( 'Date', 'aisle' ) . '</th><th>' . esc_html__( 'Email', 'aisle' ) . '</th><th>' . esc_html__( 'Phone', 'aisle' ) . '</th><th>' . esc_html__( 'Status', 'aisle' ) . '</th><th>' . esc_html__( 'Chat', 'aisle' ) . '</th><th>' . esc_html__( 'Actions', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $this->leads->all() as $l ) {
			$act       = fn ( string $do ) => wp_nonce_url( admin_url( 'admin-post.php?action=aisle_lead&do=' . $do . '&id=' . (int) $l->id ), 'aisle_lead_' . (int) $l->id );
			$contacted = 'contacted' === $l->status;
			$style     = $focus === (int) $l->id ? ' class="aisle-lead-focus"' : '';
			$who       = implode( ' / ', array_filter( array( (string) $l->email, (string) $l->phone ) ) );
			echo '<tr id="aisle-lead-' . esc_attr( (string) (int) $l->id ) . '"' . $style . ' data-status="' . esc_attr( $contacted ? 'contacted' : 'new' ) . '"><td>' . esc_html( wp_date( 'Y-m-d H:i', (int) $l->created_at ) ) . '</td><td>' . esc_html( $l->email ) . '</td><td>' . esc_html( $l->phone ) . '</td><td>' . esc_html( $contacted ? __( 'Contacted', 'aisle' ) : __( 'New', 'aisle' ) ) . '</td><td>'; // phpcs:ignore WordPress.Security.EscapeOutput -- $style is a literal.
			if ( $l->conversation_id ) {
				echo '<a href="' . esc_url( admin_url( 'admin.php?page=aisle-chats&conversation=' . (int) $l->conversation_id ) ) . '">' . esc_html__( 'Transcript', 'aisle' ) . '</a>';
			}
			echo '</td><td>';
			// Only what can still be done: a contacted lead can be set back to new, not marked again.
			if ( $contacted ) {
				echo '<a class="aisle-lead-new" href="' . esc_url( $act( 'new' ) ) . '">' . esc_html__( 'Mark as new', 'aisle' ) . '</a>';
			} else {
				echo '<a class="aisle-lead-contacted" href="' . esc_url( $act( 'contacted' ) ) . '">' . esc_html__( 'Mark contacted', 'aisle' ) . '</a>';
			}
			/* translators: %s: the lead's email and/or phone. */
			echo ' | <a class="aisle-lead-delete" href="' . esc_url( $act( 'delete' ) ) . '" data-confirm="' . esc_attr( sprintf( __( 'Delete the lead %s? This cannot be undone.', 'aisle' ), $who ) ) . '">' . esc_html__( 'Delete', 'aisle' ) . '</a></td></tr>';
		}
		echo '</tbody></table></div>';
		wp_print_inline_script_tag( self::CONFIRM_SCRIPT );
	}

	/** Opens the confirmation box for a Delete link; only its own button follows the link. */
	private const CONFIRM_SCRIPT = <<<'JS'
( function () {
	var box = document.getElementById( 'aisle-lead-confirm' );
	var yes = document.getElementById( 'aisle-lead-confirm-delete' );
	var opener = null;
	document.querySelectorAll( '#aisle-leads .aisle-lead-delete' ).forEach( function ( a ) {
		a.addEventListener( 'click', function ( ev ) {
			ev.preventDefault();
			opener = a;
			document.getElementById( 'aisle-lead-confirm-text' ).textContent = a.getAttribute( 'data-confirm' );
			yes.href = a.href;
			box.hidden = false;
			box.scrollIntoView( { block: 'nearest' } );
			yes.focus();
		} );
	} );
	function close() {
		box.hidden = true;
		if ( opener ) { opener.focus(); }
	}
	document.getElementById( 'aisle-lead-confirm-cancel' ).addEventListener( 'click', close );
	box.addEventListener( 'keydown', function ( ev ) { if ( ev.key === 'Escape' ) { close(); } } );
}() );
JS;

	public function lead_action(): void {
		$this->check();
		$id = isset( $_GET['id'] ) ? absint( $_GET['id'] ) : 0;
		check_admin_referer( 'aisle_lead_' . $id );
		$do   = isset( $_GET['do'] ) ? sanitize_key( $_GET['do'] ) : '';
		$back = admin_url( 'admin.php?page=aisle-leads' );
		if ( 'delete' === $do ) {
			$this->leads->delete( $id );
			$back = add_query_arg( 'done', 'deleted', $back );
		} elseif ( 'contacted' === $do || 'new' === $do ) {
			$this->leads->set_status( $id, $do );
			$back = add_query_arg( array( 'done' => 'contacted' === $do ? 'contacted' : false, 'lead' => $id ), $back ) . '#aisle-lead-' . $id;
		}
		wp_safe_redirect( $back );
		exit;
	}

	public function csv(): void {
		$this->check();
		check_admin_referer( 'aisle_leads_csv' );
		header( 'Content-Type: text/csv; charset=utf-8' );
		header( 'Content-Disposition: attachment; filename=aisle-leads-' . gmdate( 'Y-m-d' ) . '.csv' );
		$out = fopen( 'php://output', 'w' );
		fputcsv( $out, array( 'id', 'created_at', 'email', 'phone', 'status', 'consent_text', 'consent_at', 'page_url' ) );
		foreach ( $this->leads->all( 10000 ) as $l ) {
			// A leading =, +, - or @ would run as a formula in spreadsheet apps. A phone number
			// ("+1 415 555 0123": digits and separators only) cannot call anything and is kept as
			// typed, since the apostrophe breaks CRM imports.
			$row = array_map( static fn ( $v ) => preg_match( '/^[=+\-@]/', (string) $v ) && ! preg_match( '~^\+?[0-9][0-9 ()./-]*$~', (string) $v ) ? "'" . $v : (string) $v, array( $l->id, gmdate( 'c', (int) $l->created_at ), $l->email, $l->phone, $l->status, $l->consent_text, gmdate( 'c', (int) $l->consent_at ), $l->page_url ) );
			fputcsv( $out, $row );
		}
		fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		exit;
	}
}
