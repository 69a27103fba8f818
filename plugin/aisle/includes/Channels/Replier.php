<?php
/**
 * The Action Scheduler job of one channel conversation: answers the shopper's queued messages
 * with the same assistant as the widget, and sends the reply through the extension's Graph client.
 *
 * Sending is at most once. A reply is one row (reply_of = the message it answers, unique); each
 * part is marked "sending:N" before its HTTP call and "sent:N+1" after. A run that died in between
 * leaves "sending:N": the next run cannot know whether Meta got it, so it marks the reply
 * "unknown" and flags the conversation instead of sending it again.
 *
 * Graph errors: 429, 5xx, network and timeouts are retried by a new scheduled action after
 * 1, 5, 30 and 120 minutes (five attempts in all); other 4xx (expired token, blocked user,
 * outside the window) stop at once, with Meta's reason on the conversation and the Channels screen.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

use Aisle\ChannelException;
use Aisle\Plugin\Chat\Assistant;
use Aisle\Plugin\Chat\Conversations;
use Aisle\Plugin\Chat\Handoff;

defined( 'ABSPATH' ) || exit;

final class Replier {

	/** Seconds before retry 1, 2, 3, 4. */
	public const BACKOFF = array( 60, 300, 1800, 7200 );

	private const LOCK_TTL = 300;

	/** The conversation this request's run is working on: what the handoff says meanwhile waits for that run. */
	private int $running = 0;

	public function __construct( private Config $config, private Inbox $inbox, private Conversations $conversations, private Assistant $assistant, private Handoff $handoff ) {}

	public function register(): void {
		add_action( Inbox::HOOK, array( $this, 'run' ), 10, 2 );
		add_action( \Aisle\Plugin\Privacy\Retention::HOOK, array( Inbox::class, 'forget_addresses' ) );
		add_action( 'aisle_staff_reply', array( $this, 'staff_reply' ), 10, 2 );
		add_action( 'aisle_handoff_message', array( $this, 'handoff_message' ), 10, 3 );
	}

	/**
	 * What the handoff says (connecting, joined, timed out, released, closed) reaches a channel
	 * shopper too, like the widget shows it; staff replies go out by staff_reply().
	 */
	public function handoff_message( object $conv, int $message_id, string $role ): void {
		global $wpdb;
		if ( 'system' !== $role || '' === (string) ( $conv->channel ?? '' ) ) {
			return;
		}
		$m = Conversations::table( 'messages' );
		$wpdb->update( $m, array( 'delivery' => 'pending' ), array( 'id' => $message_id, 'delivery' => '' ) ); // phpcs:ignore WordPress.DB
		$meta = json_decode( (string) $wpdb->get_var( $wpdb->prepare( "SELECT meta FROM {$m} WHERE id = %d", $message_id ) ), true ); // phpcs:ignore WordPress.DB
		if ( in_array( 'offer_lead', (array) ( $meta['actions'] ?? array() ), true ) ) {
			set_transient( 'aisle_chlead_' . (int) $conv->id, 1, DAY_IN_SECONDS ); // The note asks for an email or phone.
		}
		if ( (int) $conv->id !== $this->running ) {
			$this->run( (int) $conv->id, 0 );
		}
	}

	/**
	 * A staff member answered a channel conversation from wp-admin (Chat\Handoff): it goes out
	 * now, in the staff member's request, with the same at-most-once marks and retries (and
	 * WhatsApp's window) as the assistant's replies.
	 */
	public function staff_reply( object $conv, int $message_id ): void {
		global $wpdb;
		if ( '' === (string) ( $conv->channel ?? '' ) ) {
			return;
		}
		$wpdb->update( Conversations::table( 'messages' ), array( 'delivery' => 'pending' ), array( 'id' => $message_id, 'delivery' => '' ) ); // phpcs:ignore WordPress.DB
		$this->run( (int) $conv->id, 0 );
	}

	/** Records why a conversation needs the merchant (outside the window, a Graph refusal). */
	public static function flag( int $conversation_id, string $channel, string $why ): void {
		global $wpdb;
		$why = mb_substr( $why, 0, 255 );
		$wpdb->update( Conversations::table( 'conversations' ), array( 'channel_error' => $why ), array( 'id' => $conversation_id ) ); // phpcs:ignore WordPress.DB
		Config::note( $channel, array( 'last_error' => $why, 'last_error_at' => time() ) );
	}

	public function run( $conversation_id, $attempt = 0 ): void {
		$conversation_id = (int) $conversation_id;
		$lock            = 'aisle_channel_lock_' . $conversation_id;
		// One run per conversation at a time (two queue runners may pick up two actions).
		if ( ! add_option( $lock, time(), '', false ) ) {
			if ( (int) get_option( $lock ) > time() - self::LOCK_TTL ) {
				Inbox::queue( $conversation_id, (int) $attempt, 30 );
				return;
			}
			update_option( $lock, time(), false );
		}
		$outer         = $this->running;
		$this->running = $conversation_id;
		try {
			$conv = $this->conversations->get( $conversation_id );
			if ( $conv && '' !== (string) $conv->channel ) {
				$this->work( $conv, (int) $attempt );
			}
		} finally {
			$this->running = $outer;
			delete_option( $lock );
		}
	}

	private function work( object $conv, int $attempt ): void {
		global $wpdb;
		$m = Conversations::table( 'messages' );
		// A part whose HTTP call a dead run never finished: maybe delivered, so never resent.
		$dead = (int) $wpdb->query( $wpdb->prepare( "UPDATE {$m} SET delivery = 'unknown' WHERE conversation_id = %d AND delivery LIKE %s", $conv->id, 'sending:%' ) ); // phpcs:ignore WordPress.DB
		if ( $dead ) {
			self::flag( (int) $conv->id, (string) $conv->channel, __( 'A reply may not have been delivered (the job stopped while sending); it was not sent again.', 'aisle' ) );
		}
		// Replies an earlier attempt could not send yet (429, 5xx), staff replies and handoff notes not yet sent.
		if ( ! $this->deliver_pending( $conv, $attempt ) ) {
			return;
		}
		$queued = $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$m} WHERE conversation_id = %d AND role = 'user' AND delivery IN ('queued', 'unsupported', 'answering') ORDER BY id", $conv->id ) ); // phpcs:ignore WordPress.DB
		if ( ! $queued ) {
			return;
		}
		$last = end( $queued );
		$ids  = implode( ',', array_map( static fn ( $r ) => (int) $r->id, $queued ) );
		$wpdb->query( "UPDATE {$m} SET delivery = 'answering' WHERE id IN ({$ids})" ); // phpcs:ignore WordPress.DB
		$reply = $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$m} WHERE reply_of = %d", $last->id ) ); // phpcs:ignore WordPress.DB
		if ( ! $reply ) {
			$reply = $this->answer( $conv, $queued, (int) $last->id );
		}
		$wpdb->query( "UPDATE {$m} SET delivery = 'answered' WHERE id IN ({$ids})" ); // phpcs:ignore WordPress.DB
		// The reply, and what the handoff said while answering ("Connecting you with the team…").
		$this->deliver_pending( $conv, $attempt );
	}

	private function deliver_pending( object $conv, int $attempt ): bool {
		global $wpdb;
		$pending = $wpdb->get_results( $wpdb->prepare( 'SELECT * FROM ' . Conversations::table( 'messages' ) . " WHERE conversation_id = %d AND role IN ('assistant', 'human', 'system') AND (delivery = 'pending' OR delivery LIKE %s) ORDER BY id", $conv->id, 'sent:%' ) ); // phpcs:ignore WordPress.DB
		foreach ( $pending as $row ) {
			if ( ! $this->deliver( $conv, $row, $attempt ) ) {
				return false;
			}
		}
		return true;
	}

	/** Runs the assistant on the queued text (one reply for a burst) and stores the channel's text as the reply row. */
	private function answer( object $conv, array $queued, int $last_id ): ?object {
		global $wpdb;
		$m       = Conversations::table( 'messages' );
		$channel = (string) $conv->channel;
		$texts   = array();
		$contacts = array();
		foreach ( $queued as $row ) {
			if ( 'unsupported' !== $row->delivery ) {
				$texts[] = (string) $row->content;
			}
			array_push( $contacts, ...$this->inbox->take_contacts( (int) $row->id ) );
		}
		// A person has it, or is asked for now: the same rules as the widget (Chat\Handoff).
		$held = $texts ? $this->handoff->screen( $conv, implode( "\n", $texts ), $last_id ) : null;
		if ( null !== $held ) {
			if ( '' === (string) $held['reply'] ) {
				return null; // Staff read it in the Live view; the handoff's own note goes out by handoff_message().
			}
			// Outside staffed hours: the offline note (already stored) is the reply, and it asks for a contact.
			set_transient( 'aisle_chlead_' . (int) $conv->id, 1, DAY_IN_SECONDS );
			$wpdb->update( $m, array( 'reply_of' => $last_id, 'delivery' => 'pending' ), array( 'id' => (int) $held['last_id'] ) ); // phpcs:ignore WordPress.DB
			return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$m} WHERE id = %d", (int) $held['last_id'] ) ); // phpcs:ignore WordPress.DB
		}
		if ( ! $texts ) {
			$text = __( 'I can read text messages only for now. Please type your question.', 'aisle' );
			$this->conversations->add( $conv, 'assistant', $text );
		} else {
			$lead = $this->lead( $conv, $contacts, implode( "\n", $texts ) ); // Only what the shopper typed.
			if ( null !== $lead ) {
				$text = $lead;
				$this->conversations->add( $conv, 'assistant', $text );
			} else {
				if ( 'whatsapp' === $channel ) {
					// WhatsApp verified this number: it proves who asks for an order (never shown to the AI).
					$number = $this->inbox->address( $conv );
					if ( null !== $number ) {
						$contacts[] = '+' . $number;
					}
				}
				$out  = $this->assistant->respond( $conv, implode( "\n", $texts ), $contacts, (string) $conv->session_id );
				// The second reply in a row it could not give calls the team, as in the widget.
				$out  = $this->handoff->answered( $this->conversations->get( (int) $conv->id ) ?? $conv, $out );
				$text = Formatter::format( $channel, self::lead_offer( $conv, (string) $out['reply'], (array) ( $out['actions'] ?? array() ) ), (array) ( $out['products'] ?? array() ) );
			}
		}
		// respond() stored the reply; it becomes the outgoing row, with the channel's text.
		$id = (int) $wpdb->get_var( $wpdb->prepare( "SELECT id FROM {$m} WHERE conversation_id = %d AND role = 'assistant' AND reply_of IS NULL ORDER BY id DESC LIMIT 1", $conv->id ) ); // phpcs:ignore WordPress.DB
		if ( ! $id ) {
			return null;
		}
		$wpdb->update( $m, array( 'content' => $text, 'reply_of' => $last_id, 'delivery' => 'pending' ), array( 'id' => $id ) ); // phpcs:ignore WordPress.DB
		return $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$m} WHERE id = %d", $id ) ); // phpcs:ignore WordPress.DB
	}

	/**
	 * The widget shows a lead form; a channel has none, so the offer asks for an email (or phone)
	 * in the chat, and the next message that carries one becomes the lead (lead()).
	 */
	private static function lead_offer( object $conv, string $reply, array $actions ): string {
		if ( ! in_array( 'offer_lead', $actions, true ) ) {
			return $reply;
		}
		set_transient( 'aisle_chlead_' . (int) $conv->id, 1, DAY_IN_SECONDS );
		$ask   = __( 'Reply with your email address or phone number and the store will get back to you.', 'aisle' );
		$below = array(
			__( 'Leave your email or phone below and the store will get back to you.', 'aisle' ),
			__( 'Would you like the store to get back to you? Leave your email or phone below.', 'aisle' ),
		);
		$out = str_replace( $below, $ask, $reply );
		return $out === $reply ? rtrim( $reply ) . "\n" . $ask : $out;
	}

	/** After a lead offer, a message with an email or phone is the shopper's consent to be contacted. */
	private function lead( object $conv, array $contacts, string $text ): ?string {
		// "order 1042, buyer@example.com" is an order look-up, not a lead.
		if ( ! $contacts || ! get_transient( 'aisle_chlead_' . (int) $conv->id ) || \Aisle\Plugin\Catalog\Lexicon::says( 'order', mb_strtolower( $text ) ) ) {
			return null;
		}
		delete_transient( 'aisle_chlead_' . (int) $conv->id );
		$email = '';
		$phone = '';
		foreach ( $contacts as $c ) {
			if ( str_contains( (string) $c, '@' ) ) {
				$email = '' === $email ? sanitize_email( (string) $c ) : $email;
			} elseif ( '' === $phone ) {
				$phone = mb_substr( (string) $c, 0, 50 );
			}
		}
		$label = Config::label( (string) $conv->channel );
		/* translators: %s: channel name (WhatsApp, Messenger, Instagram). */
		$consent = sprintf( __( 'Sent in the %s chat after the store offered to get back to them.', 'aisle' ), $label );
		$leads   = new \Aisle\Plugin\Chat\Leads( $this->conversations );
		$id      = $leads->create( (string) $conv->session_id, strtolower( $email ), $phone, $consent, '' );
		if ( $id ) {
			$leads->notify( $id, $this->config->settings() );
		}
		return __( 'Thank you. The store will get back to you soon.', 'aisle' );
	}

	/** Sends the parts of $row not yet sent. False when the run must stop (a retry is scheduled, or a stop). */
	private function deliver( object $conv, object $row, int $attempt ): bool {
		global $wpdb;
		$m       = Conversations::table( 'messages' );
		$channel = (string) $conv->channel;
		$conv    = $this->conversations->get( (int) $conv->id ) ?? $conv; // Fresh window and address.
		if ( 'whatsapp' === $channel && (int) $conv->window_until <= time() ) {
			$wpdb->update( $m, array( 'delivery' => 'held' ), array( 'id' => $row->id ) ); // phpcs:ignore WordPress.DB
			self::flag( (int) $conv->id, $channel, __( 'Not sent: the shopper\'s last message is more than 24 hours old (WhatsApp\'s customer-service window). Message templates are not supported yet.', 'aisle' ) );
			return true;
		}
		$to = $this->inbox->address( $conv );
		if ( null === $to ) {
			$wpdb->update( $m, array( 'delivery' => 'held' ), array( 'id' => $row->id ) ); // phpcs:ignore WordPress.DB
			self::flag( (int) $conv->id, $channel, __( 'Not sent: the shopper\'s address is no longer kept (the messaging window closed).', 'aisle' ) );
			return true;
		}
		$parts = Formatter::split( (string) $row->content, Formatter::LIMITS[ $channel ] );
		$done  = str_starts_with( (string) $row->delivery, 'sent:' ) ? (int) substr( (string) $row->delivery, 5 ) : 0;
		$state = (string) $row->delivery;
		for ( $i = $done; $i < count( $parts ); $i++ ) {
			// Claim the part: a concurrent run that got here first wins, this one stops.
			$claimed = (int) $wpdb->query( $wpdb->prepare( "UPDATE {$m} SET delivery = %s WHERE id = %d AND delivery = %s", 'sending:' . $i, $row->id, $state ) ); // phpcs:ignore WordPress.DB
			if ( ! $claimed ) {
				return false;
			}
			try {
				$sent = ( new Sender( $this->config ) )->send( $channel, $to, $parts[ $i ] );
			} catch ( ChannelException $e ) {
				// Refused or not reached: Meta did not take this part, so it may be tried again.
				$wpdb->update( $m, array( 'delivery' => $state ), array( 'id' => $row->id ) ); // phpcs:ignore WordPress.DB
				return $this->failed( $conv, $row, $e, $attempt );
			}
			$state = $i + 1 < count( $parts ) ? 'sent:' . ( $i + 1 ) : 'sent';
			$wpdb->update( $m, array( 'delivery' => $state, 'external_id' => $sent['message_id'] ), array( 'id' => $row->id ) ); // phpcs:ignore WordPress.DB
		}
		if ( '' !== (string) $conv->channel_error ) {
			$wpdb->update( Conversations::table( 'conversations' ), array( 'channel_error' => '' ), array( 'id' => $conv->id ) ); // phpcs:ignore WordPress.DB
		}
		return true;
	}

	private function failed( object $conv, object $row, ChannelException $e, int $attempt ): bool {
		global $wpdb;
		$channel = (string) $conv->channel;
		if ( $e->retryable() && $attempt < count( self::BACKOFF ) ) {
			Inbox::queue( (int) $conv->id, $attempt + 1, self::BACKOFF[ $attempt ] );
			/* translators: 1: attempt number, 2: the Graph API's error. */
			Config::note( $channel, array( 'last_error' => sprintf( __( 'Attempt %1$d failed, will retry: %2$s', 'aisle' ), $attempt + 1, $e->getMessage() ), 'last_error_at' => time() ) );
			return false;
		}
		$wpdb->update( Conversations::table( 'messages' ), array( 'delivery' => 'failed' ), array( 'id' => $row->id ) ); // phpcs:ignore WordPress.DB
		self::flag( (int) $conv->id, $channel, $e->retryable()
			/* translators: %s: the Graph API's error. */
			? sprintf( __( 'Not sent after %1$d attempts: %2$s', 'aisle' ), $attempt + 1, $e->getMessage() )
			/* translators: %s: the Graph API's error. */
			: sprintf( __( 'Not sent: %s', 'aisle' ), $e->getMessage() ) );
		return false;
	}
}
