<?php
/**
 * Public routes for the storefront widget: POST aisle/v1/chat and POST aisle/v1/lead.
 *
 * No nonce on purpose: page caches serve stale nonces, which would break the chat on many
 * stores. Instead every request passes an origin check, size limits and rate limits (per IP and
 * per chat session) before any work is done.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Chat;

use Aisle\Plugin\Catalog\Lexicon;
use Aisle\Plugin\RestController;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class ChatController {

	public const MAX_MESSAGE = 2000;
	public const MAX_BODY    = 16384;
	private const UUID       = '/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/';

	public function __construct( private Settings $settings, private Assistant $assistant, private Leads $leads, private Handoff $handoff ) {}

	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'routes' ) );
		Lexicon::register(); // Replies in the shopper's language: switch_to_locale() to the locales Aisle ships.
	}

	public function routes(): void {
		foreach ( array( 'chat' => 'chat', 'lead' => 'lead' ) as $route => $method ) {
			register_rest_route(
				RestController::NAMESPACE,
				'/' . $route,
				array(
					'methods'             => 'POST',
					'callback'            => array( $this, $method ),
					'permission_callback' => '__return_true', // Public by design; see the class comment.
				)
			);
		}
	}

	private static function error( string $code, string $message, int $status, array $headers = array() ): \WP_REST_Response {
		$r = new \WP_REST_Response( array( 'code' => $code, 'message' => $message, 'data' => array( 'status' => $status ) ), $status );
		$r->set_headers( $headers + array( 'Cache-Control' => 'no-store' ) );
		return $r;
	}

	/** Checks shared by both routes; returns an error response or the decoded body. */
	private function guard( \WP_REST_Request $request, string $route ) {
		if ( $this->settings->get( 'assistant_paused' ) ) {
			return self::error( 'aisle_paused', __( 'The assistant is paused.', 'aisle' ), 503 );
		}
		if ( ! $this->origin_ok( (string) $request->get_header( 'origin' ) ) ) {
			return self::error( 'aisle_bad_origin', __( 'Requests must come from this store\'s own pages.', 'aisle' ), 403 );
		}
		if ( strlen( $request->get_body() ) > self::MAX_BODY ) {
			return self::error( 'aisle_body_too_large', __( 'The request is too large (at most 16 KB).', 'aisle' ), 413 );
		}
		$ip    = RateLimiter::ip();
		$retry = 'lead' === $route
			? RateLimiter::hit( 'lead_ip:' . $ip, 5, 600 )
			: RateLimiter::hit( 'chat_ip:' . $ip, (int) $this->settings->get( 'rate_limit_ip' ), 60 );
		$body = json_decode( $request->get_body(), true );
		if ( ! $retry && is_array( $body ) && 'chat' === $route && is_string( $body['session_id'] ?? null ) ) {
			$retry = RateLimiter::hit( 'chat_session:' . $body['session_id'], (int) $this->settings->get( 'rate_limit_session' ), 60 );
		}
		if ( $retry ) {
			return self::error( 'aisle_rate_limited', __( 'Too many messages. Please wait a moment and try again.', 'aisle' ), 429, array( 'Retry-After' => (string) $retry ) );
		}
		if ( ! is_array( $body ) ) {
			return self::error( 'aisle_invalid_json', __( 'The request body must be a JSON object.', 'aisle' ), 400 );
		}
		$session = $body['session_id'] ?? null;
		if ( ! is_string( $session ) || ! preg_match( self::UUID, strtolower( $session ) ) ) {
			return self::error( 'aisle_invalid_session', __( 'session_id must be a UUID.', 'aisle' ), 400 );
		}
		$body['session_id'] = strtolower( $session );
		$body['page_url']   = $this->page_url( $body['page_url'] ?? '' );
		return $body;
	}

	/** A browser always sends Origin on a cross-site POST; it must be this site. Other clients send none. */
	private function origin_ok( string $origin ): bool {
		if ( '' === $origin ) {
			return true;
		}
		$allowed = array_unique( array( wp_parse_url( home_url(), PHP_URL_HOST ), wp_parse_url( site_url(), PHP_URL_HOST ) ) );
		$allowed = (array) apply_filters( 'aisle_allowed_origin_hosts', $allowed );
		return in_array( wp_parse_url( $origin, PHP_URL_HOST ), $allowed, true );
	}

	/** Only a URL of this site is kept as context; anything else becomes empty. */
	private function page_url( $url ): string {
		if ( ! is_string( $url ) || strlen( $url ) > 500 ) {
			return '';
		}
		$url = esc_url_raw( $url, array( 'http', 'https' ) );
		return wp_parse_url( $url, PHP_URL_HOST ) === wp_parse_url( home_url(), PHP_URL_HOST ) ? \Aisle\Redactor::redact( $url )['text'] : '';
	}

	public function chat( \WP_REST_Request $request ) {
		$body = $this->guard( $request, 'chat' );
		if ( $body instanceof \WP_REST_Response ) {
			return $body;
		}
		$message = $body['message'] ?? null;
		if ( ! is_string( $message ) || '' === trim( $message ) ) {
			return self::error( 'aisle_empty_message', __( 'message must be a non-empty string.', 'aisle' ), 400 );
		}
		if ( mb_strlen( $message, 'UTF-8' ) > self::MAX_MESSAGE ) {
			return self::error( 'aisle_message_too_long', __( 'The message is too long (at most 2,000 characters).', 'aisle' ), 400 );
		}
		$message = trim( wp_check_invalid_utf8( $message, true ) );
		$stream = $request->get_param( 'stream' );
		if ( is_scalar( $stream ) && '1' === (string) $stream ) { // stream[]=1 is an array: not a stream request.
			$this->stream( $body, $message );
		}
		// While a person has (or is asked to take) the conversation, the assistant stays silent.
		$reply = $this->handoff->intercept( $body['session_id'], $message, $body['page_url'] )
			?? $this->assistant->handle( $body['session_id'], $message, $body['page_url'] );
		$r     = new \WP_REST_Response( self::with_strings( $this->handoff->after( $body['session_id'], $reply ), $body['ui_lang'] ?? null ), 200 );
		$r->set_headers( array( 'Cache-Control' => 'no-store' ) );
		return $r;
	}

	/**
	 * Server-Sent Events: `delta` events as text is ready, then `done` with the full JSON reply
	 * (the same object as the JSON answer). Ends the request itself.
	 */
	private function stream( array $body, string $message ): void {
		header( 'Content-Type: text/event-stream; charset=utf-8' );
		header( 'Cache-Control: no-store' );
		header( 'X-Accel-Buffering: no' ); // nginx: do not buffer this response.
		while ( ob_get_level() > 0 ) {
			ob_end_flush();
		}
		$send = static function ( string $event, $data ): void {
			echo 'event: ' . $event . "\ndata: " . wp_json_encode( $data ) . "\n\n"; // phpcs:ignore WordPress.Security.EscapeOutput -- JSON in an event stream, not HTML.
			flush();
		};
		try {
			$reply = $this->handoff->intercept( $body['session_id'], $message, $body['page_url'] )
				?? $this->assistant->handle( $body['session_id'], $message, $body['page_url'], static fn ( string $t ) => $send( 'delta', array( 'text' => $t ) ) );
			$send( 'done', self::with_strings( $this->handoff->after( $body['session_id'], $reply ), $body['ui_lang'] ?? null ) );
		} catch ( \Throwable $e ) {
			$send( 'error', array( 'message' => __( 'Sorry, something went wrong. Please try again.', 'aisle' ) ) );
		}
		exit;
	}

	/**
	 * A reply in another language than the widget's ($ui_lang: what the widget says it speaks,
	 * else the store's) carries the widget's words in the reply's language, so the input, the
	 * cards and the lead form follow the shopper. Sent once per switch, not with every reply.
	 */
	private static function with_strings( array $reply, $ui_lang ): array {
		$lang = (string) ( $reply['language'] ?? '' );
		if ( isset( Lexicon::LOCALES[ $lang ] ) && Lexicon::supported( $ui_lang ) !== $lang ) {
			$reply['strings'] = Lexicon::in_language( $lang, array( Widget::class, 'ui_strings' ) ) + array( 'dir' => Lexicon::direction( $lang ) );
		}
		return $reply;
	}

	public function lead( \WP_REST_Request $request ) {
		$body = $this->guard( $request, 'lead' );
		if ( $body instanceof \WP_REST_Response ) {
			return $body;
		}
		// The form's language (`lang`, as the widget showed it): its errors come back in it, and
		// the consent recorded is the sentence the shopper ticked. The store's mail stays the store's.
		$lead = Lexicon::in_language( Lexicon::supported( $body['lang'] ?? null ), fn () => $this->checked_lead( $body ) );
		if ( $lead instanceof \WP_REST_Response ) {
			return $lead;
		}
		$id = $this->leads->create( $body['session_id'], $lead['email'], $lead['phone'], $lead['consent'], $body['page_url'], $lead['name'], $lead['note'] );
		// The store hears of it at once; a mail failure does not lose the lead (it is saved above).
		$this->leads->notify( $id, $this->settings );
		return new \WP_REST_Response( array( 'ok' => true, 'id' => $id ), 201 );
	}

	/** The lead's fields, checked, with the consent text in the current locale; or the error to answer. */
	private function checked_lead( array $body ) {
		if ( true !== ( $body['consent'] ?? null ) ) {
			return self::error( 'aisle_consent_required', __( 'Please tick the consent box so the store may contact you.', 'aisle' ), 400 );
		}
		$email = is_string( $body['email'] ?? null ) ? trim( $body['email'] ) : '';
		$phone = is_string( $body['phone'] ?? null ) ? trim( sanitize_text_field( $body['phone'] ) ) : '';
		if ( '' !== $email && ( strlen( $email ) > 200 || ! is_email( $email ) ) ) {
			return self::error( 'aisle_invalid_email', __( 'Please enter a valid email address.', 'aisle' ), 400 );
		}
		$email = sanitize_email( $email );
		$digits = OrderLookup::digits( $phone );
		if ( '' !== $phone && ( strlen( $digits ) < 6 || strlen( $digits ) > 15 || strlen( $phone ) > 40 ) ) {
			return self::error( 'aisle_invalid_phone', __( 'Please enter a valid phone number.', 'aisle' ), 400 );
		}
		if ( '' === $email && '' === $phone ) {
			return self::error( 'aisle_contact_required', __( 'Please enter an email or a phone number.', 'aisle' ), 400 );
		}
		// A name and a message only when the settings ask for them (Settings: lead_name, lead_message); both optional.
		$name    = $this->settings->get( 'lead_name' ) && is_string( $body['name'] ?? null ) ? trim( sanitize_text_field( $body['name'] ) ) : '';
		$note    = $this->settings->get( 'lead_message' ) && is_string( $body['message'] ?? null ) ? trim( sanitize_textarea_field( $body['message'] ) ) : '';
		if ( mb_strlen( $name, 'UTF-8' ) > 100 ) {
			return self::error( 'aisle_invalid_name', __( 'Please keep the name to 100 characters.', 'aisle' ), 400 );
		}
		if ( mb_strlen( $note, 'UTF-8' ) > 1000 ) {
			return self::error( 'aisle_invalid_lead_message', __( 'Please keep the message to 1,000 characters.', 'aisle' ), 400 );
		}
		return array( 'email' => $email, 'phone' => $phone, 'name' => $name, 'note' => $note, 'consent' => self::consent_text() );
	}

	/** The consent wording shown in the widget; stored with each lead as what the visitor agreed to. */
	public static function consent_text(): string {
		return __( 'I agree that this store may use my email or phone to answer my question. It is kept for a short time and never shared.', 'aisle' );
	}
}
