<?php
/**
 * Meta's webhook endpoints, public (Meta sends no nonce): GET /aisle/v1/channels/{channel} is the
 * verification handshake, POST the deliveries. A delivery is checked before anything reads it: at
 * most 1 MB, and X-Hub-Signature-256 verified by the extension with the channel's app secret
 * (rest_pre_dispatch, before WordPress parses the JSON). Only then is it parsed and stored.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

use Aisle\Channels\Signature;
use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class Webhook {

	public const MAX_BODY = 1048576;

	private const ROUTE = '#^/aisle/v1/channels/(whatsapp|messenger|instagram)$#';

	public function __construct( private Config $config, private Inbox $inbox ) {}

	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'routes' ) );
		add_filter( 'rest_pre_dispatch', array( $this, 'guard' ), 5, 3 );
		add_filter( 'rest_pre_serve_request', array( $this, 'serve_challenge' ), 10, 4 );
	}

	public function routes(): void {
		register_rest_route(
			RestController::NAMESPACE,
			'/channels/(?P<channel>whatsapp|messenger|instagram)',
			array(
				array( 'methods' => 'GET', 'callback' => array( $this, 'handshake' ), 'permission_callback' => '__return_true' ),
				array( 'methods' => 'POST', 'callback' => array( $this, 'deliver' ), 'permission_callback' => '__return_true' ),
			)
		);
	}

	/**
	 * The query as sent: PHP turns "hub.mode" into "hub_mode" in $_GET, so read the raw query string
	 * first and fall back to the underscore names.
	 */
	private static function hub( \WP_REST_Request $request, string $name ): string {
		$raw = isset( $_SERVER['QUERY_STRING'] ) ? (string) wp_unslash( $_SERVER['QUERY_STRING'] ) : ''; // phpcs:ignore WordPress.Security
		foreach ( explode( '&', $raw ) as $pair ) {
			$kv = explode( '=', $pair, 2 );
			if ( 'hub.' . $name === rawurldecode( $kv[0] ) ) {
				return urldecode( $kv[1] ?? '' );
			}
		}
		$v = $request->get_param( 'hub_' . $name ) ?? $request->get_param( 'hub.' . $name );
		return is_string( $v ) ? $v : '';
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function handshake( \WP_REST_Request $request ) {
		$channel   = (string) $request['channel'];
		$field     = $channel . '_verify_token';
		$saved     = $this->config->secrets()->has( $field ) ? (string) $this->config->secrets()->reveal( $field ) : '';
		$given     = self::hub( $request, 'verify_token' );
		$challenge = self::hub( $request, 'challenge' );
		$ok        = 'subscribe' === self::hub( $request, 'mode' ) && '' !== $saved && hash_equals( $saved, $given ) && '' !== $challenge && strlen( $challenge ) <= 256;
		$saved     = '';
		if ( ! $ok ) {
			return new \WP_Error( 'aisle_channel_forbidden', __( 'Wrong or missing verify token.', 'aisle' ), array( 'status' => 403 ) );
		}
		Config::note( $channel, array( 'last_webhook' => time() ) );
		return new \WP_REST_Response( $challenge, 200, array( 'Content-Type' => 'text/plain; charset=UTF-8' ) );
	}

	/** Exactly the challenge, as text/plain: REST responses are JSON otherwise, and Meta compares the bytes. */
	public function serve_challenge( $served, $result, $request, $server ) {
		if ( $served || 'GET' !== $request->get_method() || ! preg_match( self::ROUTE, $request->get_route() ) || 200 !== $result->get_status() ) {
			return $served;
		}
		if ( ! headers_sent() ) {
			header( 'Content-Type: text/plain; charset=UTF-8' );
		}
		echo (string) $result->get_data(); // phpcs:ignore WordPress.Security.EscapeOutput -- Meta's own challenge, echoed as text/plain.
		return true;
	}

	/**
	 * Size and signature, before WordPress parses the body: a forged or oversized delivery is
	 * refused without being read further, and nothing is stored.
	 */
	public function guard( $result, $server, $request ) {
		if ( null !== $result || 'POST' !== $request->get_method() || ! preg_match( self::ROUTE, $request->get_route(), $m ) ) {
			return $result;
		}
		$channel = $m[1];
		$body    = (string) $request->get_body();
		$length  = (int) ( $request->get_header( 'content_length' ) ?? 0 );
		if ( strlen( $body ) > self::MAX_BODY || $length > self::MAX_BODY ) {
			return new \WP_Error( 'aisle_channel_too_large', __( 'The delivery is larger than 1 MB.', 'aisle' ), array( 'status' => 413 ) );
		}
		$header = $request->get_header( 'x_hub_signature_256' );
		if ( null === $header || '' === $header ) {
			return new \WP_Error( 'aisle_channel_unsigned', __( 'The X-Hub-Signature-256 header is missing.', 'aisle' ), array( 'status' => 401 ) );
		}
		$field = $channel . '_app_secret';
		try {
			[ $envelope, $context ] = $this->config->secrets()->sealed( $field );
			$ok                     = Signature::verify( $body, $header, $this->config->secrets()->vault(), $envelope, $context );
		} catch ( \Aisle\ChannelException $e ) {
			Config::note( $channel, array( 'last_error' => __( 'A delivery came in, but the app secret is not set or cannot be decrypted.', 'aisle' ), 'last_error_at' => time() ) );
			$ok = false;
		}
		if ( ! $ok ) {
			return new \WP_Error( 'aisle_channel_bad_signature', __( 'The signature does not match this channel\'s app secret.', 'aisle' ), array( 'status' => 403 ) );
		}
		return null;
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function deliver( \WP_REST_Request $request ) {
		$channel = (string) $request['channel'];
		$body    = json_decode( (string) $request->get_body(), true, 64 );
		if ( ! is_array( $body ) ) {
			return new \WP_Error( 'aisle_channel_bad_json', __( 'The body is not a JSON object.', 'aisle' ), array( 'status' => 400 ) );
		}
		$events = Payload::events( $channel, $body, (string) $this->config->settings()->get( Config::SENDER_ID[ $channel ] ) );
		if ( null === $events ) {
			/* translators: %s: channel name. */
			return new \WP_Error( 'aisle_channel_wrong_object', sprintf( __( 'This is not a %s webhook.', 'aisle' ), Config::label( $channel ) ), array( 'status' => 400 ) );
		}
		if ( ! $this->config->enabled( $channel ) ) {
			// Signed by Meta, so acknowledged (Meta would retry otherwise), but the channel is off.
			Config::note( $channel, array( 'last_webhook' => time() ) );
			return new \WP_REST_Response( array( 'ok' => true, 'enabled' => false ), 200 );
		}
		return new \WP_REST_Response( array( 'ok' => true ) + $this->inbox->receive( $channel, $events ), 200 );
	}
}
