<?php
/**
 * The Leads tab: list, mark contacted, delete (asked first), CSV. Actions go through
 * admin-post.php with nonces and manage_woocommerce.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Admin;

use Aisle\Plugin\Chat\Leads;

defined( 'ABSPATH' ) || exit;

final class LeadsScreen {

	public function __construct( private Leads $leads ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', array( $this, 'tab' ), 6 );
		add_action( 'admin_post_aisle_lead', array( $this, 'lead_action' ) );
		add_action( 'admin_post_aisle_leads_csv', array( $this, 'csv' ) );
	}

	public function tab( array $tabs ): array {
		return $tabs + array( 'leads' => array( __( 'Leads', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) );
	}

	private function check(): void {
		if ( ! current_user_can( AdminMenu::CAP ) ) {
			wp_die( esc_html__( 'You are not allowed to manage Aisle.', 'aisle' ), 403 );
		}
	}

	public function render(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only screen arguments.
		$focus = isset( $_GET['lead'] ) ? absint( $_GET['lead'] ) : 0;
		$done  = isset( $_GET['done'] ) ? sanitize_key( $_GET['done'] ) : '';
		// phpcs:enable
		echo '<div class="aisle-screen"><h2>' . esc_html__( 'Leads', 'aisle' ) . '</h2>';
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
		echo '<table class="widefat striped" id="aisle-leads"><thead><tr><th>' . esc_html__( 'Date', 'aisle' ) . '</th><th>' . esc_html__( 'Name', 'aisle' ) . '</th><th>' . esc_html__( 'Email', 'aisle' ) . '</th><th>' . esc_html__( 'Phone', 'aisle' ) . '</th><th>' . esc_html__( 'Message', 'aisle' ) . '</th><th>' . esc_html__( 'Status', 'aisle' ) . '</th><th>' . esc_html__( 'Chat', 'aisle' ) . '</th><th>' . esc_html__( 'Actions', 'aisle' ) . '</th></tr></thead><tbody>';
		foreach ( $this->leads->all() as $l ) {
			$act       = fn ( string $do ) => wp_nonce_url( admin_url( 'admin-post.php?action=aisle_lead&do=' . $do . '&id=' . (int) $l->id ), 'aisle_lead_' . (int) $l->id );
			$contacted = 'contacted' === $l->status;
			$style     = $focus === (int) $l->id ? ' class="aisle-lead-focus"' : '';
			$who       = implode( ' / ', array_filter( array( (string) ( $l->name ?? '' ), (string) $l->email, (string) $l->phone ) ) );
			echo '<tr id="aisle-lead-' . esc_attr( (string) (int) $l->id ) . '"' . $style . ' data-status="' . esc_attr( $contacted ? 'contacted' : 'new' ) . '"><td>' . esc_html( wp_date( 'Y-m-d H:i', (int) $l->created_at ) ) . '</td><td>' . esc_html( (string) ( $l->name ?? '' ) ) . '</td><td>' . esc_html( $l->email ) . '</td><td>' . esc_html( $l->phone ) . '</td><td class="aisle-lead-message" dir="auto">' . nl2br( esc_html( (string) ( $l->message ?? '' ) ) ) . '</td><td>' . esc_html( $contacted ? __( 'Contacted', 'aisle' ) : __( 'New', 'aisle' ) ) . '</td><td>'; // phpcs:ignore WordPress.Security.EscapeOutput -- $style is a literal.
			if ( $l->conversation_id ) {
				echo '<a href="' . esc_url( AdminMenu::url( 'chats', array( 'conversation' => (int) $l->conversation_id ) ) ) . '">' . esc_html__( 'Transcript', 'aisle' ) . '</a>';
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
		$back = AdminMenu::url( 'leads' );
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
		fputcsv( $out, array( 'id', 'created_at', 'email', 'phone', 'status', 'consent_text', 'consent_at', 'page_url', 'name', 'message' ) );
		foreach ( $this->leads->all( 10000 ) as $l ) {
			// A leading =, +, - or @ would run as a formula in spreadsheet apps. A phone number
			// ("+1 415 555 0123": digits and separators only) cannot call anything and is kept as
			// typed, since the apostrophe breaks CRM imports.
			$row = array_map( static fn ( $v ) => preg_match( '/^[=+\-@]/', (string) $v ) && ! preg_match( '~^\+?[0-9][0-9 ()./-]*$~', (string) $v ) ? "'" . $v : (string) $v, array( $l->id, gmdate( 'c', (int) $l->created_at ), $l->email, $l->phone, $l->status, $l->consent_text, gmdate( 'c', (int) $l->consent_at ), $l->page_url, (string) ( $l->name ?? '' ), (string) ( $l->message ?? '' ) ) );
			fputcsv( $out, $row );
		}
		fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		exit;
	}
}
