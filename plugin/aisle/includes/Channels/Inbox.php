<?php
/**
 * Stores what a webhook delivered and queues the reply, fast enough to answer Meta within a
 * second: no AI call, no Graph call here.
 *
 * Identity: a conversation is found by a keyed hash of channel + sender (session_id "wa:…",
 * "fb:…", "ig:…"), never by the number itself. The reply needs the sender's address (the
 * WhatsApp number, or the page-scoped ID on Messenger and Instagram): it is kept as a Vault
 * envelope in reply_to while the 24-hour window is open and erased when it closes (the hourly
 * retention run). Phones and emails found in a message (for order status) wait for the reply
 * job encrypted in a transient of at most 15 minutes; the stored message is redacted.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

use Aisle\Plugin\Admin\Stats;
use Aisle\Plugin\Catalog\Lexicon;
use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\RateLimiter;
use Aisle\Plugin\Installer;

defined( 'ABSPATH' ) || exit;

final class Inbox {

	public const HOOK = 'aisle_channel_reply';

	/** WhatsApp's customer-service window (Messenger's standard messaging window is the same). */
	public const WINDOW = DAY_IN_SECONDS;

	/** Vault context of reply_to envelopes. */
	public const ADDRESS_CONTEXT = 'aisle_channel_reply_to';

	private const CONTACTS_TTL = 15 * MINUTE_IN_SECONDS;

	public const PREFIX = array(
		'whatsapp'  => 'wa',
		'messenger' => 'fb',
		'instagram' => 'ig',
	);

	public function __construct( private Config $config, private Conversations $conversations ) {}

	/** The conversation key of a sender: 36 characters, like the widget's UUIDs, and never one of them. */
	public static function session_id( string $channel, string $sender ): string {
		return self::PREFIX[ $channel ] . ':' . substr( hash_hmac( 'sha256', $channel . ':' . $sender, wp_salt( 'auth' ) . '|aisle-channels' ), 0, 33 );
	}

	/**
	 * @param list<array> $events Payload::events().
	 * @return array{stored: int, duplicates: int, statuses: int, ignored: int}
	 */
	public function receive( string $channel, array $events ): array {
		$out = array( 'stored' => 0, 'duplicates' => 0, 'statuses' => 0, 'ignored' => 0 );
		foreach ( $events as $e ) {
			if ( 'status' === $e['kind'] ) {
				$this->status( $channel, $e );
				++$out['statuses'];
			} elseif ( 'message' === $e['kind'] || 'unsupported' === $e['kind'] ) {
				$out[ $this->message( $channel, $e ) ? 'stored' : 'duplicates' ]++;
			} else {
				++$out['ignored']; // Reactions: nothing to answer.
			}
		}
		Config::note( $channel, array( 'last_webhook' => time() ) );
		return $out;
	}

	/** Sent → delivered → read on our reply; failed records Meta's reason on the conversation. */
	private function status( string $channel, array $e ): void {
		global $wpdb;
		$m   = Conversations::table( 'messages' );
		$row = '' === $e['id'] ? null : $wpdb->get_row( $wpdb->prepare( "SELECT id, conversation_id, delivery FROM {$m} WHERE external_id = %s", $e['id'] ) ); // phpcs:ignore WordPress.DB
		if ( ! $row || ! in_array( $e['status'], array( 'sent', 'delivered', 'read', 'failed' ), true ) ) {
			return;
		}
		// Statuses may arrive out of order: never step back from read to delivered.
		$rank = array( 'sent' => 1, 'delivered' => 2, 'read' => 3, 'failed' => 4 );
		if ( ( $rank[ $row->delivery ] ?? 0 ) < $rank[ $e['status'] ] ) {
			$wpdb->update( $m, array( 'delivery' => $e['status'] ), array( 'id' => $row->id ) ); // phpcs:ignore WordPress.DB
		}
		if ( 'failed' === $e['status'] ) {
			/* translators: %s: Meta's error code and title. */
			$why = sprintf( __( 'Meta could not deliver a reply: %s', 'aisle' ), $e['error'] ?: __( 'no reason given', 'aisle' ) );
			Replier::flag( (int) $row->conversation_id, $channel, $why );
		}
	}

	/** @return bool False for a message id already stored (Meta retried the delivery). */
	private function message( string $channel, array $e ): bool {
		global $wpdb;
		$m    = Conversations::table( 'messages' );
		$c    = Conversations::table( 'conversations' );
		$sid  = self::session_id( $channel, $e['from'] );
		$conv = $this->conversations->open( $sid, '' );
		$text = 'message' === $e['kind'] ? Lexicon::digits( (string) $e['text'] ) : '';
		$red  = '' !== $text ? \Aisle\Redactor::redact( $text ) : array( 'text' => '[' . ( $e['type'] ?: 'attachment' ) . ']', 'found' => array() );
		$limited = RateLimiter::hit( 'channel:' . $sid, (int) $this->config->settings()->get( 'channel_rate_limit' ), HOUR_IN_SECONDS ) > 0;
		// Queued even while a person has it: the job asks Chat\Handoff, whose clock may have given it back.
		$state   = match ( true ) {
			$this->config->paused( $channel ) => 'paused',
			$limited                          => 'limited',
			'unsupported' === $e['kind']      => 'unsupported',
			default                           => 'queued',
		};
		$exp = $this->conversations->expires_at();
		$now = time();
		// The unique external_id makes a retried delivery a no-op.
		$new = (int) $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$m} (conversation_id, role, content, external_id, delivery, created_at, expires_at) VALUES (%d, 'user', %s, %s, %s, %d, %d)", $conv->id, $red['text'], $e['id'], $state, $now, $exp ) ); // phpcs:ignore WordPress.DB
		if ( ! $new ) {
			return false;
		}
		$message_id = (int) $wpdb->insert_id;
		// The window runs from the shopper's own message time (Meta's clock), never beyond now + 24 h.
		$window = min( $now, $e['time'] > 0 ? (int) $e['time'] : $now ) + self::WINDOW;
		$wpdb->query( $wpdb->prepare( "UPDATE {$c} SET channel = %s, reply_to = %s, window_until = GREATEST(window_until, %d), message_count = message_count + 1, updated_at = %d, expires_at = %d WHERE id = %d", $channel, $this->config->secrets()->vault()->encrypt( $e['from'], self::ADDRESS_CONTEXT ), $window, $now, $exp, $conv->id ) ); // phpcs:ignore WordPress.DB
		$wpdb->query( $wpdb->prepare( "UPDATE {$m} SET expires_at = %d WHERE conversation_id = %d", $exp, $conv->id ) ); // phpcs:ignore WordPress.DB
		Stats::bump( 'messages' );
		Stats::bump( 'channel_' . $channel );
		$contacts = array();
		foreach ( $red['found'] as $f ) {
			if ( 'card' !== $f['kind'] ) {
				$contacts[] = (string) $f['value'];
			}
		}
		if ( $contacts ) {
			set_transient( 'aisle_chc_' . $message_id, $this->config->secrets()->vault()->encrypt( (string) wp_json_encode( $contacts ), 'aisle_channel_contacts' ), self::CONTACTS_TTL );
		}
		if ( in_array( $state, array( 'queued', 'unsupported' ), true ) ) {
			self::queue( (int) $conv->id );
		}
		return true;
	}

	/** One pending job per conversation: a burst of messages gets one run that answers them together. */
	public static function queue( int $conversation_id, int $attempt = 0, int $delay = 0 ): void {
		$args = array( 'conversation_id' => $conversation_id, 'attempt' => $attempt );
		if ( $delay > 0 ) {
			as_schedule_single_action( time() + $delay, self::HOOK, $args, Installer::ACTION_GROUP );
		} elseif ( ! as_has_scheduled_action( self::HOOK, $args, Installer::ACTION_GROUP ) ) {
			as_enqueue_async_action( self::HOOK, $args, Installer::ACTION_GROUP );
		}
	}

	/** The contacts found in a stored message, once: the transient is deleted as it is read. */
	public function take_contacts( int $message_id ): array {
		$env = get_transient( 'aisle_chc_' . $message_id );
		delete_transient( 'aisle_chc_' . $message_id );
		if ( ! is_string( $env ) ) {
			return array();
		}
		try {
			return (array) json_decode( $this->config->secrets()->vault()->decrypt( $env, 'aisle_channel_contacts' ), true );
		} catch ( \Aisle\VaultException $e ) {
			return array();
		}
	}

	/** The sender's address while the window is open, else null. */
	public function address( object $conv ): ?string {
		if ( empty( $conv->reply_to ) ) {
			return null;
		}
		try {
			return $this->config->secrets()->vault()->decrypt( (string) $conv->reply_to, self::ADDRESS_CONTEXT );
		} catch ( \Aisle\VaultException $e ) {
			return null;
		}
	}

	/**
	 * The channel conversations of a person known by email (the privacy tools ask by email): their
	 * WhatsApp number is the billing phone of their orders or account, in international form.
	 *
	 * @return int[] Conversation ids.
	 */
	public static function conversations_of( string $email ): array {
		global $wpdb;
		$phones = array();
		$user   = get_user_by( 'email', $email );
		if ( $user ) {
			$phones[] = array( (string) get_user_meta( $user->ID, 'billing_phone', true ), (string) get_user_meta( $user->ID, 'billing_country', true ) );
		}
		if ( function_exists( 'wc_get_orders' ) ) {
			foreach ( wc_get_orders( array( 'billing_email' => $email, 'limit' => 50 ) ) as $order ) {
				$phones[] = array( (string) $order->get_billing_phone(), (string) $order->get_billing_country() );
			}
		}
		$sessions = array();
		foreach ( $phones as [ $phone, $country ] ) {
			$digits = preg_replace( '/\D+/', '', $phone );
			if ( strlen( (string) $digits ) < 7 ) {
				continue;
			}
			$forms = array( $digits );
			// A local number ("0151 …") becomes international with the country's calling code.
			if ( ! str_starts_with( $phone, '+' ) && ! str_starts_with( $digits, '00' ) && '' !== $country && function_exists( 'WC' ) ) {
				$code    = preg_replace( '/\D+/', '', (string) WC()->countries->get_country_calling_code( $country ) );
				$forms[] = $code . ltrim( $digits, '0' );
			}
			foreach ( $forms as $f ) {
				$sessions[] = self::session_id( 'whatsapp', ltrim( $f, '0' ) );
			}
		}
		if ( ! $sessions ) {
			return array();
		}
		$c   = Conversations::table( 'conversations' );
		$in  = implode( ',', array_fill( 0, count( $sessions ), '%s' ) );
		return array_map( 'intval', $wpdb->get_col( $wpdb->prepare( "SELECT id FROM {$c} WHERE session_id IN ($in)", ...array_values( array_unique( $sessions ) ) ) ) ); // phpcs:ignore WordPress.DB
	}

	/** Hourly (Retention's run): addresses of closed windows are erased; the conversation stays, keyed by its hash. */
	public static function forget_addresses(): int {
		global $wpdb;
		$c = Conversations::table( 'conversations' );
		return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$c} SET reply_to = NULL WHERE reply_to IS NOT NULL AND window_until <= %d", time() ) ); // phpcs:ignore WordPress.DB
	}
}
