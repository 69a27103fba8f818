<?php
/**
 * Tells the team a shopper is waiting: a mail to the support address and, when set, a POST to a
 * webhook (a Slack incoming webhook takes {"text": …}; the address is a secret, stored encrypted).
 * At most once per conversation per 10 minutes, decided by one conditional UPDATE so two requests
 * at once cannot both send. The message names no shopper data, only where to answer.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Privacy\Secrets;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class HandoffNotifier {

	public const EVERY = 600;

	public function __construct( private Settings $settings, private Secrets $secrets ) {}

	/** @return bool Whether a notification went out (false inside the 10 minutes, or nothing configured). */
	public function notify( int $conversation_id ): bool {
		global $wpdb;
		$now = Handoff::now();
		$t   = Conversations::table( 'conversations' );
		// phpcs:ignore WordPress.DB
		if ( 1 !== (int) $wpdb->query( $wpdb->prepare( "UPDATE {$t} SET notified_at = %d WHERE id = %d AND notified_at <= %d", $now, $conversation_id, $now - self::EVERY ) ) ) {
			return false;
		}
		$store = (string) $this->settings->get( 'store_name' ) ?: wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
		$link  = \Aisle\Plugin\Admin\AdminMenu::url( 'chats', array( 'view' => 'live', 'conversation' => $conversation_id ) );
		/* translators: %s: store name. */
		$subject = sprintf( __( '[%s] A shopper is waiting in the chat', 'aisle' ), $store );
		/* translators: %s: admin address of the Live view. */
		$body = sprintf( __( 'A shopper asked to talk to someone. Take over the conversation here: %s', 'aisle' ), $link );
		$sent = (bool) wp_mail( Leads::notify_address( $this->settings ), $subject, $body );
		$hook = $this->webhook();
		if ( $hook ) {
			// A short timeout: this runs inside the shopper's chat request.
			$r    = wp_remote_post( $hook, array( 'timeout' => 3, 'redirection' => 0, 'headers' => array( 'Content-Type' => 'application/json' ), 'body' => wp_json_encode( array( 'text' => $subject . "\n" . $body ) ) ) );
			$sent = ( ! is_wp_error( $r ) && wp_remote_retrieve_response_code( $r ) < 300 ) || $sent;
		}
		return $sent;
	}

	private function webhook(): ?string {
		if ( ! $this->secrets->has( 'handoff_webhook_url' ) ) {
			return null;
		}
		try {
			$url = (string) $this->secrets->reveal( 'handoff_webhook_url' );
		} catch ( \Aisle\VaultException $e ) {
			return null; // The vault key changed: the settings page says the secret is unreadable.
		}
		return preg_match( '~^https?://[^\s]+$~i', $url ) ? $url : null;
	}
}
