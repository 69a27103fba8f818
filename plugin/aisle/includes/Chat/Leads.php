<?php
/**
 * Leads: an email and/or phone a visitor chose to leave (with a name and a message when the
 * settings ask for them), with the consent text they saw and when.
 * Kept for the retention period like conversations; never sent to an AI provider.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Admin\AdminMenu;
use Aisle\Plugin\Admin\Stats;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class Leads {

	public function __construct( private Conversations $conversations ) {}

	private static function table(): string {
		return Conversations::table( 'leads' );
	}

	public function create( string $session_id, string $email, string $phone, string $consent_text, string $page_url, string $name = '', string $message = '' ): int {
		global $wpdb;
		$conv = $this->conversations->find( $session_id );
		$now  = time();
		$wpdb->insert( // phpcs:ignore WordPress.DB
			self::table(),
			array(
				'conversation_id' => $conv ? (int) $conv->id : 0,
				'email'           => $email,
				'phone'           => $phone,
				'name'            => $name,
				'message'         => $message,
				'consent_text'    => $consent_text,
				'consent_at'      => $now,
				'page_url'        => $page_url,
				'status'          => 'new',
				'created_at'      => $now,
				'expires_at'      => $this->conversations->expires_at(),
			)
		);
		$id = (int) $wpdb->insert_id;
		Stats::bump_for( $session_id, 'leads' );
		/** A new lead was stored (Chat\Events counts its chat as one that needed a person). */
		do_action( 'aisle_lead_created', $id, $conv );
		return $id;
	}

	public function get( int $id ): ?object {
		global $wpdb;
		$t = self::table();
		return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$t} WHERE id = %d AND expires_at > %d", $id, time() ) ) ?: null; // phpcs:ignore WordPress.DB
	}

	/** Where new-lead emails go: the Support email setting, else the site's admin email. */
	public static function notify_address( Settings $settings ): string {
		$to = (string) $settings->get( 'support_email' );
		return is_email( $to ) ? $to : (string) get_option( 'admin_email' );
	}

	/**
	 * Tells the store about a new lead by wp_mail(): the contact and where it was left are in the
	 * body, never the subject (subjects end up in notification previews and mail logs), with a
	 * link to the lead in the admin. Returns whether the mail was handed over.
	 */
	public function notify( int $id, Settings $settings ): bool {
		$lead = $this->get( $id );
		if ( ! $lead ) {
			return false;
		}
		$store   = (string) $settings->get( 'store_name' ) ?: wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
		/* translators: %s: store name. */
		$subject = sprintf( __( '[%s] New lead from the chat assistant', 'aisle' ), $store );
		$lines   = array( __( 'A visitor left their contact details in the chat and agreed to be contacted.', 'aisle' ), '' );
		if ( '' !== (string) ( $lead->name ?? '' ) ) {
			/* translators: %s: the name the visitor gave. */
			$lines[] = sprintf( __( 'Name: %s', 'aisle' ), $lead->name );
		}
		if ( '' !== (string) $lead->email ) {
			/* translators: %s: email address. */
			$lines[] = sprintf( __( 'Email: %s', 'aisle' ), $lead->email );
		}
		if ( '' !== (string) $lead->phone ) {
			/* translators: %s: phone number. */
			$lines[] = sprintf( __( 'Phone: %s', 'aisle' ), $lead->phone );
		}
		if ( '' !== (string) $lead->page_url ) {
			/* translators: %s: page address. */
			$lines[] = sprintf( __( 'Page: %s', 'aisle' ), $lead->page_url );
		}
		/* translators: %s: date and time. */
		$lines[] = sprintf( __( 'When: %s', 'aisle' ), wp_date( 'Y-m-d H:i', (int) $lead->created_at ) );
		if ( '' !== trim( (string) ( $lead->message ?? '' ) ) ) {
			$lines[] = '';
			$lines[] = __( 'Their message:', 'aisle' );
			$lines[] = (string) $lead->message;
		}
		$lines[] = '';
		/* translators: %s: admin address of the lead. */
		$lines[] = sprintf( __( 'See the lead and its chat: %s', 'aisle' ), AdminMenu::url( 'leads', array( 'lead' => (int) $lead->id ) ) . '#aisle-lead-' . (int) $lead->id );
		$lines[] = '';
		/* translators: %d: days. */
		$lines[] = sprintf( __( 'Leads are deleted after %d days, with the conversations.', 'aisle' ), (int) $settings->get( 'retention_days' ) );
		return (bool) wp_mail( self::notify_address( $settings ), $subject, implode( "\n", $lines ) );
	}

	/** @return object[] Live leads, newest first. */
	public function all( int $limit = 500, string $email = '' ): array {
		global $wpdb;
		$t = self::table();
		if ( '' !== $email ) {
			return $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE email = %s AND expires_at > %d ORDER BY id DESC LIMIT %d", $email, time(), $limit ) ); // phpcs:ignore WordPress.DB
		}
		return $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE expires_at > %d ORDER BY id DESC LIMIT %d", time(), $limit ) ); // phpcs:ignore WordPress.DB
	}

	public function set_status( int $id, string $status ): void {
		global $wpdb;
		$wpdb->update( self::table(), array( 'status' => 'contacted' === $status ? 'contacted' : 'new' ), array( 'id' => $id ) ); // phpcs:ignore WordPress.DB
	}

	public function delete( int $id ): void {
		global $wpdb;
		$wpdb->delete( self::table(), array( 'id' => $id ) ); // phpcs:ignore WordPress.DB
	}
}
