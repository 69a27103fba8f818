<?php
/**
 * Who answers a conversation: its status is `bot` (the assistant), `waiting` (a person was asked
 * for), `human` (a staff member took it) or `closed`.
 *
 *   bot → waiting   the shopper asks for a person, one of the merchant's words appears, or the
 *                   assistant could not answer twice in a row; outside the staffed hours the
 *                   shopper gets the offline note and the lead form instead, and it stays `bot`.
 *   waiting → human a staff member claims it (one conditional UPDATE: one of two wins).
 *   waiting → bot   nobody claimed it within handoff_wait_minutes: the lead form is offered.
 *   human → bot     released, or no message for handoff_idle_minutes.
 *   any → closed    a staff member closes it; the shopper's next message starts over with `bot`.
 *
 * While `waiting` or `human` the assistant stays silent: the shopper's messages are stored
 * (redacted) and shown to staff. Nothing here knows about the widget, so any channel that stores
 * its messages in Conversations can use the same states. Time comes from now() (filter aisle_now).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Admin\Stats;
use Aisle\Plugin\Catalog\Lexicon;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class Handoff {

	public const CAP = 'aisle_answer_chats';

	public const STATUSES = array( 'bot', 'waiting', 'human', 'closed' );

	/** User meta: the name and picture shoppers see, set by each staff member (never login or email). */
	public const META_NAME   = 'aisle_display_name';
	public const META_AVATAR = 'aisle_avatar_url';

	/** Aggregates for the dashboard: conversation id => {at, wait, human}; no message text, no contact. */
	public const STATS_OPTION = 'aisle_handoff_stats';

	public function __construct( private Settings $settings, private Conversations $conversations, private HandoffNotifier $notifier ) {}

	public static function now(): int {
		return (int) apply_filters( 'aisle_now', time() );
	}

	/** Shop managers and administrators answer chats by default; an admin can grant the capability to any role. */
	public static function grant_capability(): void {
		foreach ( array( 'administrator', 'shop_manager' ) as $name ) {
			$role = get_role( $name );
			if ( $role && ! $role->has_cap( self::CAP ) ) {
				$role->add_cap( self::CAP );
			}
		}
	}

	public static function can_answer(): bool {
		return current_user_can( self::CAP ) || current_user_can( 'manage_woocommerce' );
	}

	public function enabled(): bool {
		return (bool) $this->settings->get( 'handoff_enabled' );
	}

	public function staffed( ?int $at = null ): bool {
		return StaffedHours::open( (string) $this->settings->get( 'staffed_hours' ), $at ?? self::now() );
	}

	/** @return array{name: string, avatar: ?string}|null What a shopper sees of a staff member. */
	public static function agent( int $user_id ): ?array {
		if ( $user_id <= 0 || ! get_userdata( $user_id ) ) {
			return null;
		}
		$name = trim( (string) get_user_meta( $user_id, self::META_NAME, true ) );
		if ( '' === $name ) {
			$name = trim( (string) get_user_meta( $user_id, 'first_name', true ) );
		}
		$avatar = (string) get_user_meta( $user_id, self::META_AVATAR, true );
		return array(
			'name'   => '' !== $name ? $name : __( 'A team member', 'aisle' ),
			'avatar' => preg_match( '~^https?://~i', $avatar ) ? esc_url_raw( $avatar ) : null,
		);
	}

	/**
	 * Why $name cannot be what shoppers see of $user, or null when it can. The point of a display
	 * name: shoppers never see the login or the email. The Live view and the profile screen ask.
	 */
	public static function name_refused( \WP_User $user, string $name ): ?string {
		if ( '' !== $name && ( 0 === strcasecmp( $name, $user->user_login ) || 0 === strcasecmp( $name, $user->user_email ) || is_email( $name ) ) ) {
			return __( 'Choose a name other than your login or email: shoppers see it.', 'aisle' );
		}
		return null;
	}

	/** Why $url cannot be the picture shoppers see, or null when it can (empty: none). */
	public static function avatar_refused( string $url ): ?string {
		return '' !== $url && ! preg_match( '~^https?://[^\s]+$~i', $url ) ? __( 'Enter a full http:// or https:// address for the picture, or leave it empty.', 'aisle' ) : null;
	}

	private function store_name(): string {
		return (string) $this->settings->get( 'store_name' ) ?: wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES );
	}

	/** A conditional UPDATE on the conversation; returns whether this request changed it. */
	private function update( int $id, array $set, string $where = '' ): bool {
		global $wpdb;
		$t     = Conversations::table( 'conversations' );
		$parts = array();
		foreach ( $set as $col => $value ) {
			$parts[] = $wpdb->prepare( "`{$col}` = " . ( is_int( $value ) ? '%d' : '%s' ), $value ); // phpcs:ignore WordPress.DB
		}
		return 1 === (int) $wpdb->query( "UPDATE {$t} SET " . implode( ', ', $parts ) . $wpdb->prepare( ' WHERE id = %d', $id ) . $where ); // phpcs:ignore WordPress.DB
	}

	private static function in( array $statuses ): string {
		return " AND status IN ('" . implode( "','", array_intersect( $statuses, self::STATUSES ) ) . "')";
	}

	/**
	 * Stores what the team or the handoff itself says (roles human and system) and announces it:
	 * action aisle_handoff_message ($conv, $message_id, $role, $text), so a channel other than the
	 * widget (which reads by polling) can deliver it.
	 */
	private function say( object $conv, string $role, string $text, ?array $meta = null ): int {
		$id = $this->conversations->add( $conv, $role, $text, 0, 0, 0, $meta );
		do_action( 'aisle_handoff_message', $conv, $id, $role, $text );
		return $id;
	}

	/**
	 * What the handoff says, in the shopper's language: the one of their latest message the
	 * detector is sure of (else of all their recent messages together, else the site's), as the
	 * assistant picks it, with WordPress switched to it while $text runs.
	 */
	private function told( object $conv, callable $text ): string {
		$said = array();
		foreach ( array_reverse( $this->conversations->messages( (int) $conv->id, 12 ) ) as $m ) {
			if ( 'user' === $m->role ) {
				$said[] = (string) preg_replace( '/\[(?:phone|email|card)\]|[\d#+]+/u', ' ', (string) $m->content );
			}
		}
		$lang = '' !== ( $said[0] ?? '' ) ? Lexicon::detect( $said[0] ) : '';
		if ( '' === $lang && $said ) {
			$lang = Lexicon::detect( implode( "\n", $said ) );
		}
		return (string) Lexicon::in_language( Lexicon::supported( $lang ), $text );
	}

	// ---- the shopper's secret ----

	/**
	 * A new random secret when the conversation has none yet (its first reply). Only its SHA-256 is
	 * stored; the conditional UPDATE keeps two simultaneous first messages from both getting one.
	 */
	public function issue_token( object $conv ): ?string {
		if ( '' !== (string) $conv->token_hash ) {
			return null;
		}
		$token = bin2hex( random_bytes( 32 ) );
		return $this->update( (int) $conv->id, array( 'token_hash' => hash( 'sha256', $token ) ), " AND token_hash = ''" ) ? $token : null;
	}

	/** Constant time, and the same work whether the session exists or not. */
	public static function token_ok( ?object $conv, string $token ): bool {
		$stored = $conv && 64 === strlen( (string) $conv->token_hash ) ? (string) $conv->token_hash : str_repeat( '0', 64 );
		$same   = hash_equals( $stored, hash( 'sha256', $token ) );
		return $same && null !== $conv && '' !== $token;
	}

	// ---- the shopper writes ----

	/**
	 * The widget's entry, before the assistant: the answer when the assistant must not reply (a
	 * person has, or is being asked to take, the conversation), or null to let the assistant
	 * answer (it stores the message itself then).
	 */
	public function intercept( string $session_id, string $message, string $page_url ): ?array {
		$conv = $this->conversations->find( $session_id );
		$text = \Aisle\Redactor::redact( Lexicon::digits( $message ) )['text'];
		if ( ! $this->holds( $conv, $text ) ) {
			return null;
		}
		$conv = $conv ?? $this->conversations->open( $session_id, $page_url );
		return $this->hold( $conv, $this->conversations->add( $conv, 'user', $text ) );
	}

	/**
	 * Any channel's entry, for a shopper message already stored (redacted) in $conv: null when the
	 * assistant should answer it, else what the shopper gets instead (an empty reply while a
	 * person has the conversation; the offline note with offer_lead outside staffed hours).
	 */
	public function screen( object $conv, string $text, int $message_id ): ?array {
		return $this->holds( $conv, $text ) ? $this->hold( $this->conversations->get( (int) $conv->id ) ?? $conv, $message_id ) : null;
	}

	/** Whether a person has, or should now be asked to take, the conversation (the clock applied first). */
	private function holds( ?object &$conv, string $text ): bool {
		if ( $conv ) {
			$conv = $this->tick( $conv );
			// Closed, or still waiting after the merchant switched handoff off: the assistant again.
			if ( 'closed' === $conv->status || ( 'waiting' === $conv->status && ! $this->enabled() ) ) {
				$this->update( (int) $conv->id, array( 'status' => 'bot', 'agent_id' => 0, 'unanswered' => 0 ) );
				$conv->status = 'bot';
			}
			if ( in_array( $conv->status, array( 'waiting', 'human' ), true ) ) {
				return true;
			}
		}
		return $this->enabled() && $this->wants_person( mb_strtolower( $text ) );
	}

	private function hold( object $conv, int $message_id ): array {
		return in_array( $conv->status, array( 'waiting', 'human' ), true ) ? self::silent( $message_id ) : $this->request( $conv, $message_id );
	}

	/** The shopper asks for a person (the assistant's lead words), or the message has one of the merchant's words. */
	private function wants_person( string $t ): bool {
		if ( Lexicon::says( 'lead', $t ) ) {
			return true;
		}
		foreach ( preg_split( '/\s*[,\n]\s*/', mb_strtolower( (string) $this->settings->get( 'handoff_keywords' ) ), -1, PREG_SPLIT_NO_EMPTY ) as $word ) {
			if ( preg_match( '/(?<![\p{L}\p{N}])' . preg_quote( $word, '/' ) . '(?![\p{L}\p{N}])/u', $t ) ) {
				return true;
			}
		}
		return false;
	}

	private static function silent( int $last_id, string $reply = '', array $actions = array() ): array {
		return array( 'reply' => $reply, 'products' => array(), 'actions' => $actions, 'handoff' => true, 'last_id' => $last_id );
	}

	/** To the team when someone is in; otherwise the offline note and the lead form, and the assistant stays. */
	private function request( object $conv, int $last_id ): array {
		if ( ! $this->staffed() ) {
			$note = $this->told( $conv, static fn () => __( 'The team is offline right now. Leave your email or phone and they will get back to you.', 'aisle' ) );
			// Stored, not announced: it is this message's reply, the caller delivers it.
			$id   = $this->conversations->add( $conv, 'system', $note, 0, 0, 0, array( 'actions' => array( 'offer_lead' ) ) );
			return self::silent( $id, $note, array( 'offer_lead' ) );
		}
		if ( $this->update( (int) $conv->id, array( 'status' => 'waiting', 'waiting_since' => self::now(), 'agent_id' => 0, 'unanswered' => 0 ), self::in( array( 'bot', 'closed' ) ) ) ) {
			$this->say( $conv, 'system', $this->told( $conv, static fn () => __( 'Connecting you with the team…', 'aisle' ) ) );
			$this->record( (int) $conv->id, array( 'at' => self::now() ) );
			$this->notifier->notify( (int) $conv->id );
		}
		return self::silent( $last_id );
	}

	/**
	 * After the assistant replied in $conv (any channel): counts the replies it could not give
	 * (offer_lead); the second in a row calls the team, and the lead form is dropped from the reply.
	 */
	public function answered( object $conv, array $reply ): array {
		$missed = in_array( 'offer_lead', (array) ( $reply['actions'] ?? array() ), true );
		$count  = $missed ? (int) $conv->unanswered + 1 : 0;
		if ( min( 255, $count ) !== (int) $conv->unanswered ) {
			$this->update( (int) $conv->id, array( 'unanswered' => min( 255, $count ) ) );
		}
		if ( $count >= 2 && $this->enabled() && 'bot' === $conv->status && $this->staffed() ) {
			$this->request( $conv, 0 );
			$reply['actions'] = array_values( array_diff( (array) $reply['actions'], array( 'offer_lead' ) ) );
		}
		return $reply;
	}

	/**
	 * The widget's exit, after every chat reply: answered() for the assistant's replies, and
	 * conversation {status, token (first reply only), last_id} for reading the conversation back.
	 */
	public function after( string $session_id, array $reply ): array {
		global $wpdb;
		$conv = $this->conversations->find( $session_id );
		if ( ! $conv ) {
			return $reply;
		}
		if ( empty( $reply['handoff'] ) ) {
			// The last message the reply itself shows; what the team says next comes by reading.
			$reply['last_id'] = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT MAX(id) FROM ' . Conversations::table( 'messages' ) . ' WHERE conversation_id = %d', $conv->id ) ); // phpcs:ignore WordPress.DB
			$reply            = $this->answered( $conv, $reply );
			$conv             = $this->conversations->get( (int) $conv->id ) ?? $conv;
		}
		$block = array( 'status' => (string) $conv->status, 'last_id' => (int) $reply['last_id'] );
		$token = $this->issue_token( $conv );
		if ( null !== $token ) {
			$block['token'] = $token;
		}
		unset( $reply['handoff'], $reply['last_id'] );
		$reply['conversation'] = $block;
		return $reply;
	}

	// ---- the clock ----

	/** A waiting conversation nobody took in time, or a human one left idle, goes back to the assistant. */
	public function tick( object $conv ): object {
		$now = self::now();
		if ( 'waiting' === $conv->status && $now - (int) $conv->waiting_since >= 60 * (int) $this->settings->get( 'handoff_wait_minutes' ) ) {
			if ( $this->update( (int) $conv->id, array( 'status' => 'bot', 'agent_id' => 0 ), self::in( array( 'waiting' ) ) ) ) {
				$this->say( $conv, 'system', $this->told( $conv, static fn () => __( 'Nobody from the team is free right now. Leave your email or phone and they will get back to you; meanwhile the assistant is here again.', 'aisle' ) ), array( 'actions' => array( 'offer_lead' ) ) );
			}
		} elseif ( 'human' === $conv->status && $now - (int) $conv->updated_at >= 60 * (int) $this->settings->get( 'handoff_idle_minutes' ) ) {
			if ( $this->update( (int) $conv->id, array( 'status' => 'bot', 'agent_id' => 0 ), self::in( array( 'human' ) ) ) ) {
				$this->say( $conv, 'system', $this->told( $conv, static fn () => __( 'The team has left the chat. The assistant is here again.', 'aisle' ) ) );
			}
		}
		return $this->conversations->get( (int) $conv->id ) ?? $conv;
	}

	/** Ticks every waiting or human conversation (the Live view's list). */
	public function tick_all(): void {
		global $wpdb;
		$t = Conversations::table( 'conversations' );
		foreach ( $wpdb->get_results( $wpdb->prepare( "SELECT * FROM {$t} WHERE status IN ('waiting','human') AND expires_at > %d", time() ) ) as $conv ) { // phpcs:ignore WordPress.DB
			$this->tick( $conv );
		}
	}

	// ---- staff ----

	/**
	 * Takes a waiting (or assistant-run) conversation for $user_id. One conditional UPDATE: of
	 * two staff members claiming at once, exactly one changes the row; the other gets ok=false
	 * and the conversation, which names who has it.
	 *
	 * @return array{ok: bool, conversation: ?object}
	 */
	public function claim( int $id, int $user_id ): array {
		$conv = $this->conversations->get( $id );
		if ( $conv ) {
			$conv = $this->tick( $conv );
		}
		if ( ! $conv ) {
			return array( 'ok' => false, 'conversation' => null );
		}
		if ( 'human' === $conv->status && (int) $conv->agent_id === $user_id ) {
			return array( 'ok' => true, 'conversation' => $conv );
		}
		$ok = $this->update( $id, array( 'status' => 'human', 'agent_id' => $user_id ), self::in( array( 'waiting', 'bot', 'closed' ) ) . $this->live() );
		if ( $ok ) {
			$joined = function () use ( $user_id ) {
				$agent = self::agent( $user_id );
				/* translators: 1: staff member's display name, 2: store name. */
				return sprintf( __( '%1$s from %2$s joined the chat.', 'aisle' ), $agent['name'] ?? '', $this->store_name() );
			};
			$this->say( $conv, 'system', $this->told( $conv, $joined ) );
			if ( 'waiting' !== $conv->status ) {
				$this->record( $id, array( 'at' => self::now() ) ); // Taken over without being asked: a handoff too.
			}
		}
		return array( 'ok' => $ok, 'conversation' => $this->conversations->get( $id ) );
	}

	private function live(): string {
		global $wpdb;
		return $wpdb->prepare( ' AND expires_at > %d', time() );
	}

	/**
	 * A staff reply: plain text with links and the widget's markdown subset (tags are removed, the
	 * widget never renders HTML), redacted like the shopper's messages.
	 *
	 * @return int|\WP_Error The message id.
	 */
	public function staff_reply( int $id, int $user_id, string $text ) {
		$conv = $this->conversations->get( $id );
		if ( ! $conv ) {
			return new \WP_Error( 'aisle_not_found', __( 'This conversation no longer exists.', 'aisle' ), array( 'status' => 404 ) );
		}
		if ( 'human' !== $conv->status || (int) $conv->agent_id !== $user_id ) {
			return new \WP_Error( 'aisle_not_yours', __( 'Take over the conversation before replying.', 'aisle' ), array( 'status' => 409 ) );
		}
		$text = trim( wp_strip_all_tags( wp_check_invalid_utf8( $text, true ) ) );
		if ( '' === $text || mb_strlen( $text, 'UTF-8' ) > ChatController::MAX_MESSAGE ) {
			return new \WP_Error( 'aisle_invalid_text', __( 'Write a reply of 1 to 2,000 characters.', 'aisle' ), array( 'status' => 400 ) );
		}
		$mid = $this->say( $conv, 'human', \Aisle\Redactor::redact( Lexicon::digits( $text ) )['text'], array( 'agent' => $user_id ) );
		delete_transient( 'aisle_typing_' . $id );
		// A channel conversation (WhatsApp, Messenger, Instagram) sends it on: Channels\Replier.
		do_action( 'aisle_staff_reply', $conv, $mid );
		if ( 0 === (int) $conv->first_human_at && $this->update( $id, array( 'first_human_at' => self::now() ), ' AND first_human_at = 0' ) ) {
			$wait = (int) $conv->waiting_since > 0 ? max( 0, self::now() - (int) $conv->waiting_since ) : null;
			$this->record( $id, array( 'wait' => $wait, 'human' => true ) );
		}
		return $mid;
	}

	/** Back to the assistant. */
	public function release( int $id ): bool {
		$conv = $this->conversations->get( $id );
		if ( ! $conv || ! $this->update( $id, array( 'status' => 'bot', 'agent_id' => 0, 'unanswered' => 0 ), self::in( array( 'waiting', 'human' ) ) ) ) {
			return false;
		}
		$this->say( $conv, 'system', $this->told( $conv, static fn () => __( 'The assistant is here again. Ask me anything.', 'aisle' ) ) );
		return true;
	}

	public function close( int $id ): bool {
		$conv = $this->conversations->get( $id );
		if ( ! $conv || ! $this->update( $id, array( 'status' => 'closed', 'agent_id' => 0 ), self::in( array( 'bot', 'waiting', 'human' ) ) ) ) {
			return false;
		}
		$this->say( $conv, 'system', $this->told( $conv, static fn () => __( 'The team closed this chat. Write again any time.', 'aisle' ) ) );
		return true;
	}

	/** The staff member is typing: the shopper's widget shows it for a few seconds. */
	public static function typing( int $id ): void {
		set_transient( 'aisle_typing_' . $id, 1, 8 );
	}

	public static function is_typing( int $id ): bool {
		return (bool) get_transient( 'aisle_typing_' . $id );
	}

	/**
	 * The Live view's list: waiting first (longest wait first), then by last activity.
	 *
	 * @param string[] $statuses
	 * @return object[]
	 */
	public function list( array $statuses, int $limit = 50 ): array {
		global $wpdb;
		$this->tick_all();
		$c = Conversations::table( 'conversations' );
		$m = Conversations::table( 'messages' );
		// phpcs:ignore WordPress.DB
		return $wpdb->get_results(
			$wpdb->prepare(
				"SELECT c.*, (SELECT role FROM {$m} WHERE conversation_id = c.id ORDER BY id DESC LIMIT 1) AS last_role,
				(SELECT content FROM {$m} WHERE conversation_id = c.id AND role IN ('user','assistant','human') ORDER BY id DESC LIMIT 1) AS last_text
				FROM {$c} c WHERE c.expires_at > %d" . self::in( $statuses ) . "
				ORDER BY FIELD(c.status, 'waiting', 'human', 'bot', 'closed'), IF(c.status = 'waiting', c.waiting_since, -c.updated_at) LIMIT %d",
				time(),
				$limit
			)
		);
	}

	/** The menu badge: conversations waiting, and this user's own with the shopper's message unanswered. */
	public static function unread( int $user_id ): int {
		global $wpdb;
		$c = Conversations::table( 'conversations' );
		$m = Conversations::table( 'messages' );
		// phpcs:ignore WordPress.DB
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$c} c WHERE c.expires_at > %d AND (c.status = 'waiting' OR (c.status = 'human' AND c.agent_id = %d AND (SELECT role FROM {$m} WHERE conversation_id = c.id ORDER BY id DESC LIMIT 1) = 'user'))", time(), $user_id ) );
	}

	// ---- the dashboard ----

	private function record( int $id, array $values ): void {
		$all = get_option( self::STATS_OPTION, array() );
		$all = is_array( $all ) ? $all : array();
		$all[ $id ] = $values + ( $all[ $id ] ?? array() ) + array( 'at' => self::now(), 'wait' => null, 'human' => false );
		if ( count( $all ) > 2000 ) {
			$all = array_slice( $all, -2000, null, true );
		}
		update_option( self::STATS_OPTION, $all, false ); // Not autoloaded: only the dashboard reads it.
	}

	/**
	 * Handoffs since $since, the median wait from asking to the first human reply (seconds, null
	 * when no one was answered), and conversations resolved by a person vs by the assistant alone.
	 *
	 * @return array{handoffs: int, median_wait: ?int, resolved_by_human: int, resolved_by_assistant: int}
	 */
	public static function stats( int $since ): array {
		$all   = get_option( self::STATS_OPTION, array() );
		$rows  = array_filter( is_array( $all ) ? $all : array(), static fn ( $r ) => (int) ( $r['at'] ?? 0 ) >= $since );
		$waits = array_values( array_filter( array_map( static fn ( $r ) => $r['wait'] ?? null, $rows ), 'is_int' ) );
		sort( $waits );
		$n      = count( $waits );
		$median = $n ? ( $n % 2 ? $waits[ intdiv( $n, 2 ) ] : intdiv( $waits[ $n / 2 - 1 ] + $waits[ $n / 2 ], 2 ) ) : null;
		$human  = count( array_filter( $rows, static fn ( $r ) => ! empty( $r['human'] ) ) );
		$sessions = 0;
		foreach ( Stats::days( 90 ) as $day => $row ) {
			if ( strtotime( $day . ' 23:59:59 UTC' ) >= $since ) {
				$sessions += (int) $row['sessions'];
			}
		}
		return array(
			'handoffs'              => count( $rows ),
			'median_wait'           => $median,
			'resolved_by_human'     => $human,
			'resolved_by_assistant' => max( 0, $sessions - count( $rows ) ),
		);
	}
}
