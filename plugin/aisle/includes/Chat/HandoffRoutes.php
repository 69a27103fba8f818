<?php
/**
 * REST for the handoff.
 *
 * Public, no nonce (page caches serve stale ones): GET aisle/v1/chat/messages?session_id=…&after=<id>
 * with the header X-Aisle-Session-Token. The token is the conversation's secret from its first
 * chat reply; a missing or wrong one, or an unknown session, is the same 403. Its own rate limit.
 *
 * Staff (aisle_answer_chats or manage_woocommerce, cookie + wp_rest nonce):
 * GET conversations?status=…, GET conversations/{id}?after=…, POST conversations/{id}/claim,
 * …/messages {text}, …/release, …/close, …/typing, and POST agent {name, avatar} (the
 * staff member's own display name and picture).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\RestController;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class HandoffRoutes {

	private const UUID = '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/';

	public function __construct( private Settings $settings, private Conversations $conversations, private Handoff $handoff ) {}

	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'routes' ) );
		// WooCommerce creates the shop_manager role on its install, which may come after Aisle's.
		add_action( 'woocommerce_installed', array( Handoff::class, 'grant_capability' ) );
	}

	public function routes(): void {
		$ns    = RestController::NAMESPACE;
		$staff = array( Handoff::class, 'can_answer' );
		$id    = array( 'id' => array( 'type' => 'integer', 'minimum' => 1 ) );
		register_rest_route(
			$ns,
			'/chat/messages',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'read' ),
				'permission_callback' => '__return_true', // Public by design: the session token is the check.
			)
		);
		register_rest_route(
			$ns,
			'/conversations',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'index' ),
				'permission_callback' => $staff,
				'args'                => array(
					'status' => array( 'type' => 'string', 'pattern' => '^(waiting|human|bot|closed)(,(waiting|human|bot|closed))*$' ),
				),
			)
		);
		register_rest_route(
			$ns,
			'/conversations/(?P<id>\d+)',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'show' ),
				'permission_callback' => $staff,
				'args'                => $id + array( 'after' => array( 'type' => 'integer', 'minimum' => 0, 'default' => 0 ) ),
			)
		);
		foreach ( array( 'claim', 'release', 'close', 'typing' ) as $action ) {
			register_rest_route( $ns, '/conversations/(?P<id>\d+)/' . $action, array( 'methods' => 'POST', 'callback' => array( $this, $action ), 'permission_callback' => $staff, 'args' => $id ) );
		}
		register_rest_route(
			$ns,
			'/conversations/(?P<id>\d+)/messages',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'reply' ),
				'permission_callback' => $staff,
				'args'                => $id + array( 'text' => array( 'type' => 'string', 'required' => true, 'maxLength' => 8000 ) ),
			)
		);
		register_rest_route(
			$ns,
			'/agent',
			array(
				array( 'methods' => 'GET', 'callback' => fn () => rest_ensure_response( $this->me() ), 'permission_callback' => $staff ),
				array(
					'methods'             => 'POST',
					'callback'            => array( $this, 'save_agent' ),
					'permission_callback' => $staff,
					'args'                => array(
						'name'   => array( 'type' => 'string', 'maxLength' => 60 ),
						'avatar' => array( 'type' => 'string', 'maxLength' => 500 ),
					),
				),
			)
		);
	}

	private static function no_store( $data, int $status = 200 ): \WP_REST_Response {
		$r = new \WP_REST_Response( $data, $status );
		$r->set_headers( array( 'Cache-Control' => 'no-store' ) );
		return $r;
	}

	/** One message as both sides see it; product cards and actions ride along for the widget. */
	public static function message( object $m ): array {
		$out  = array( 'id' => (int) $m->id, 'role' => (string) $m->role, 'text' => (string) $m->content, 'at' => gmdate( 'c', (int) $m->created_at ) );
		$meta = isset( $m->meta ) && is_string( $m->meta ) ? json_decode( $m->meta, true ) : null;
		if ( is_array( $meta ) ) {
			foreach ( array( 'products', 'actions' ) as $k ) {
				if ( ! empty( $meta[ $k ] ) && is_array( $meta[ $k ] ) ) {
					$out[ $k ] = array_values( $meta[ $k ] );
				}
			}
		}
		return $out;
	}

	public function read( \WP_REST_Request $request ): \WP_REST_Response {
		$retry = RateLimiter::hit( 'chat_read_ip:' . RateLimiter::ip(), (int) $this->settings->get( 'rate_limit_reads' ), 60 );
		if ( $retry ) {
			$r = self::no_store( array( 'code' => 'aisle_rate_limited', 'message' => __( 'Too many requests. Please wait a moment.', 'aisle' ), 'data' => array( 'status' => 429 ) ), 429 );
			$r->header( 'Retry-After', (string) $retry );
			return $r;
		}
		$session = $request->get_param( 'session_id' );
		$session = is_string( $session ) ? strtolower( $session ) : ''; // session_id[]=… is an array: no such session.
		$token   = (string) $request->get_header( 'x_aisle_session_token' );
		$conv    = preg_match( self::UUID, $session ) ? $this->conversations->find( $session ) : null;
		if ( ! Handoff::token_ok( $conv, $token ) ) {
			// The same answer for a missing token, a wrong one and an unknown session.
			return self::no_store( array( 'code' => 'aisle_forbidden', 'message' => __( 'This conversation cannot be read.', 'aisle' ), 'data' => array( 'status' => 403 ) ), 403 );
		}
		$conv = $this->handoff->tick( $conv );
		$rows = $this->conversations->since( (int) $conv->id, max( 0, (int) $request->get_param( 'after' ) ) );
		return self::no_store(
			array(
				'status'   => (string) $conv->status,
				'agent'    => 'human' === $conv->status ? Handoff::agent( (int) $conv->agent_id ) : null,
				'typing'   => 'human' === $conv->status && Handoff::is_typing( (int) $conv->id ),
				'messages' => array_map( array( self::class, 'message' ), $rows ),
			)
		);
	}

	/** A conversation as the Live view lists it. */
	private function summary( object $c ): array {
		$agent = (int) $c->agent_id ? Handoff::agent( (int) $c->agent_id ) : null;
		return array(
			'id'            => (int) $c->id,
			'status'        => (string) $c->status,
			'channel'       => '' !== (string) ( $c->channel ?? '' ) ? (string) $c->channel : 'web',
			'page_url'      => (string) $c->page_url,
			'started_at'    => gmdate( 'c', (int) $c->started_at ),
			'updated_at'    => gmdate( 'c', (int) $c->updated_at ),
			'waiting_for'   => 'waiting' === $c->status ? max( 0, Handoff::now() - (int) $c->waiting_since ) : null,
			'agent'         => $agent ? array( 'id' => (int) $c->agent_id, 'name' => $agent['name'], 'mine' => (int) $c->agent_id === get_current_user_id() ) : null,
			'message_count' => (int) $c->message_count,
			'last_text'     => isset( $c->last_text ) ? wp_html_excerpt( (string) $c->last_text, 120, '…' ) : null,
			'unread'        => isset( $c->last_role ) && 'user' === $c->last_role && in_array( $c->status, array( 'waiting', 'human' ), true ),
		);
	}

	public function index( \WP_REST_Request $request ): \WP_REST_Response {
		$status = (string) $request->get_param( 'status' );
		$rows   = $this->handoff->list( '' !== $status ? explode( ',', $status ) : array( 'waiting', 'human', 'bot' ) );
		return self::no_store(
			array(
				'conversations' => array_map( array( $this, 'summary' ), $rows ),
				'unread'        => Handoff::unread( get_current_user_id() ),
			)
		);
	}

	private function found( \WP_REST_Request $request ): ?object {
		$conv = $this->conversations->get( (int) $request['id'] );
		return $conv ? $this->handoff->tick( $conv ) : null;
	}

	private static function missing(): \WP_Error {
		return new \WP_Error( 'aisle_not_found', __( 'This conversation no longer exists.', 'aisle' ), array( 'status' => 404 ) );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function show( \WP_REST_Request $request ) {
		$conv = $this->found( $request );
		if ( ! $conv ) {
			return self::missing();
		}
		return self::no_store(
			array(
				'conversation' => $this->summary( $conv ),
				'messages'     => array_map( array( self::class, 'message' ), $this->conversations->since( (int) $conv->id, (int) $request->get_param( 'after' ) ) ),
			)
		);
	}

	/** @return \WP_REST_Response|\WP_Error 200 when this user has it; 409 naming who has it otherwise. */
	public function claim( \WP_REST_Request $request ) {
		$r = $this->handoff->claim( (int) $request['id'], get_current_user_id() );
		if ( ! $r['conversation'] ) {
			return self::missing();
		}
		$summary = $this->summary( $r['conversation'] );
		if ( ! $r['ok'] ) {
			$who = $summary['agent']['name'] ?? '';
			return new \WP_Error(
				'aisle_claimed',
				'' !== $who
					/* translators: %s: the staff member who has the conversation. */
					? sprintf( __( '%s has already taken this conversation.', 'aisle' ), $who )
					: __( 'This conversation cannot be taken over now.', 'aisle' ),
				array( 'status' => 409, 'conversation' => $summary )
			);
		}
		return self::no_store( array( 'conversation' => $summary ) );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function reply( \WP_REST_Request $request ) {
		$id = $this->handoff->staff_reply( (int) $request['id'], get_current_user_id(), (string) $request->get_param( 'text' ) );
		if ( is_wp_error( $id ) ) {
			return $id;
		}
		global $wpdb;
		$m = $wpdb->get_row( $wpdb->prepare( 'SELECT * FROM ' . Conversations::table( 'messages' ) . ' WHERE id = %d', $id ) ); // phpcs:ignore WordPress.DB
		return self::no_store( array( 'message' => self::message( $m ) ), 201 );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function release( \WP_REST_Request $request ) {
		return $this->act( $request, 'release' );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function close( \WP_REST_Request $request ) {
		return $this->act( $request, 'close' );
	}

	/** @return \WP_REST_Response|\WP_Error */
	private function act( \WP_REST_Request $request, string $what ) {
		$conv = $this->found( $request );
		if ( ! $conv ) {
			return self::missing();
		}
		if ( 'human' === $conv->status && (int) $conv->agent_id !== get_current_user_id() && ! current_user_can( 'manage_woocommerce' ) ) {
			return new \WP_Error( 'aisle_not_yours', __( 'Another team member has this conversation.', 'aisle' ), array( 'status' => 409 ) );
		}
		$this->handoff->$what( (int) $conv->id );
		return self::no_store( array( 'conversation' => $this->summary( $this->conversations->get( (int) $conv->id ) ?? $conv ) ) );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function typing( \WP_REST_Request $request ) {
		$conv = $this->found( $request );
		if ( ! $conv ) {
			return self::missing();
		}
		if ( 'human' === $conv->status && (int) $conv->agent_id === get_current_user_id() ) {
			Handoff::typing( (int) $conv->id );
		}
		return self::no_store( array( 'ok' => true ) );
	}

	private function me(): array {
		$id = get_current_user_id();
		return array( 'name' => (string) get_user_meta( $id, Handoff::META_NAME, true ), 'avatar' => (string) get_user_meta( $id, Handoff::META_AVATAR, true ), 'shown_as' => Handoff::agent( $id ) );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function save_agent( \WP_REST_Request $request ) {
		$id = get_current_user_id();
		if ( $request->has_param( 'name' ) ) {
			$name = sanitize_text_field( (string) $request->get_param( 'name' ) );
			$why  = Handoff::name_refused( wp_get_current_user(), $name );
			if ( null !== $why ) {
				return new \WP_Error( 'aisle_invalid_name', $why, array( 'status' => 400 ) );
			}
			update_user_meta( $id, Handoff::META_NAME, $name );
		}
		if ( $request->has_param( 'avatar' ) ) {
			$url = trim( (string) $request->get_param( 'avatar' ) );
			$why = Handoff::avatar_refused( $url );
			if ( null !== $why ) {
				return new \WP_Error( 'aisle_invalid_avatar', $why, array( 'status' => 400 ) );
			}
			update_user_meta( $id, Handoff::META_AVATAR, esc_url_raw( $url ) );
		}
		return rest_ensure_response( $this->me() );
	}
}
