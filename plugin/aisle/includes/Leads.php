<?php
/**
 * Leads: an email and/or phone a visitor chose to leave, with the consent text they saw and when.
 * Kept for the retention period like conversations; never sent to an AI provider.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class Leads {

	public function __construct( private Conversations $conversations ) {}

	private static function table(): string {
		return Conversations::table( 'leads' );
	}

	public function create( string $session_id, string $email, string $phone, string $consent_text, string $page_url ): int {
		global $wpdb;
		$conv = $this->conversations->find( $session_id );
		$now  = time();
		$wpdb->insert( // phpcs:ignore WordPress.DB
			self::table(),
			array(
				'conversation_id' => $conv ? (int) $conv->id : 0,
				'email'           => $email,
				'phone'           => $phone,
				'consent_text'    => $consent_text,
				'consent_at'      => $now,
				'page_url'        => $page_url,
				'status'          => 'new',
				'created_at'      => $now,
				'expires_at'      => $this->conversations->expires_at(),
			)
		);
		Stats::bump( 'leads' );
		return (int) $wpdb->insert_id;
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
