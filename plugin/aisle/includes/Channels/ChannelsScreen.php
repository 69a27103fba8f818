<?php
/**
 * WooCommerce → Aisle → Channels: per channel the switches, IDs, write-only secrets ("ends in …"),
 * a verify token generated and shown once, the callback URL for Meta's dashboard, Send test
 * message, the last webhook and the last error. Saving goes through POST /aisle/v1/settings.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

use Aisle\Plugin\Admin\AdminMenu;
use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class ChannelsScreen {

	public function __construct( private Config $config ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', array( $this, 'tab' ), 7 );
		add_action( 'aisle_admin_enqueue', array( $this, 'assets' ) );
		add_action( 'rest_api_init', array( $this, 'routes' ) );
	}

	public function tab( array $tabs ): array {
		return $tabs + array( 'channels' => array( __( 'Channels', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) );
	}

	public function assets( string $tab ): void {
		if ( 'channels' !== $tab ) {
			return;
		}
		wp_enqueue_script( 'aisle-channels', plugins_url( 'assets/channels.js', AISLE_FILE ), array( 'wp-api-fetch', 'wp-i18n' ), AISLE_VERSION, true );
		wp_set_script_translations( 'aisle-channels', 'aisle', dirname( AISLE_FILE ) . '/languages' );
		wp_add_inline_script( 'aisle-channels', 'window.aisleChannels = ' . wp_json_encode( array( 'namespace' => RestController::NAMESPACE ) ) . ';', 'before' );
	}

	public function routes(): void {
		$admin = static fn () => current_user_can( AdminMenu::CAP );
		$ch    = '(?P<channel>whatsapp|messenger|instagram)';
		register_rest_route( RestController::NAMESPACE, '/channels', array( 'methods' => 'GET', 'callback' => fn () => rest_ensure_response( $this->state() ), 'permission_callback' => $admin ) );
		register_rest_route( RestController::NAMESPACE, "/channels/$ch/verify-token", array( 'methods' => 'POST', 'callback' => array( $this, 'verify_token' ), 'permission_callback' => $admin ) );
		register_rest_route(
			RestController::NAMESPACE,
			"/channels/$ch/test",
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'test' ),
				'permission_callback' => $admin,
				'args'                => array( 'to' => array( 'type' => 'string', 'required' => true, 'maxLength' => 64 ) ),
			)
		);
	}

	/** Everything the screen shows, secrets only as saved/ends-in. */
	public function state(): array {
		$status = Config::status();
		$out    = array( 'graph_api_version' => (string) $this->config->settings()->get( 'graph_api_version' ), 'graph_api_base' => Config::graph_base(), 'channels' => array() );
		foreach ( Config::CHANNELS as $c ) {
			$secrets = array();
			foreach ( array_keys( Config::SECRET_FIELDS ) as $f ) {
				if ( str_starts_with( $f, $c . '_' ) ) {
					$secrets[ $f ] = $this->config->secrets()->describe( $f );
				}
			}
			$out['channels'][ $c ] = array(
				'label'        => Config::label( $c ),
				'enabled'      => $this->config->enabled( $c ),
				'paused'       => $this->config->paused( $c ),
				'callback_url' => Config::callback_url( $c ),
				'secrets'      => $secrets,
			) + $status[ $c ];
		}
		return $out;
	}

	/** A new random verify token, saved encrypted and returned this once. */
	public function verify_token( \WP_REST_Request $request ): \WP_REST_Response {
		$token = wp_generate_password( 32, false, false );
		$this->config->secrets()->save( $request['channel'] . '_verify_token', $token );
		return rest_ensure_response( array( 'verify_token' => $token ) );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function test( \WP_REST_Request $request ) {
		$channel = (string) $request['channel'];
		$to      = preg_replace( '/[^0-9A-Za-z_-]/', '', (string) $request['to'] );
		$store   = get_bloginfo( 'name' );
		/* translators: %s: store name. */
		$text = sprintf( __( 'Test message from %s: the Aisle assistant can reply here.', 'aisle' ), $store );
		try {
			$sent = ( new Sender( $this->config ) )->send( $channel, $to, $text );
		} catch ( \Aisle\ChannelException $e ) {
			Config::note( $channel, array( 'last_error' => $e->getMessage(), 'last_error_at' => time() ) );
			return new \WP_Error( 'aisle_channel_' . $e->reason(), $e->getMessage(), array( 'status' => 400, 'http_status' => $e->httpStatus(), 'graph_code' => $e->graphCode() ) );
		}
		return rest_ensure_response( array( 'ok' => true, 'message_id' => $sent['message_id'] ) );
	}

	private static function field( string $key, string $label, string $value, string $help = '' ): void {
		echo '<p><label for="aisle-ch-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label><br><input class="regular-text" type="text" id="aisle-ch-' . esc_attr( $key ) . '" data-setting="' . esc_attr( $key ) . '" value="' . esc_attr( $value ) . '" inputmode="numeric">';
		if ( '' !== $help ) {
			echo '<br><span class="description">' . esc_html( $help ) . '</span>';
		}
		echo '</p>';
	}

	private static function secret( string $key, string $label ): void {
		echo '<p><label for="aisle-ch-' . esc_attr( $key ) . '">' . esc_html( $label ) . '</label><br><input class="regular-text" type="password" autocomplete="new-password" id="aisle-ch-' . esc_attr( $key ) . '" data-secret="' . esc_attr( $key ) . '" value=""> <span class="description" data-secret-state="' . esc_attr( $key ) . '"></span></p>';
	}

	public function render(): void {
		$s     = $this->config->settings();
		$state = $this->state();
		echo '<div class="aisle-screen" id="aisle-channels"><h2>' . esc_html__( 'Channels', 'aisle' ) . '</h2>';
		echo '<p>' . esc_html__( 'The same assistant answers on WhatsApp, Messenger and Instagram through Meta\'s official APIs, with this site as the webhook. The README\'s "Connect WhatsApp" guide walks through the Meta app.', 'aisle' ) . '</p>';
		echo '<script type="application/json" id="aisle-channels-state">' . wp_json_encode( $state, JSON_HEX_TAG | JSON_HEX_AMP ) . '</script>';
		foreach ( Config::CHANNELS as $c ) {
			$st = $state['channels'][ $c ];
			echo '<div class="card aisle-channel" data-channel="' . esc_attr( $c ) . '" style="max-width:720px"><h3>' . esc_html( $st['label'] ) . '</h3>';
			echo '<p><label><input type="checkbox" data-setting="' . esc_attr( $c ) . '_enabled"' . checked( $st['enabled'], true, false ) . '> ' . esc_html__( 'Enabled', 'aisle' ) . '</label> &nbsp; ';
			echo '<label><input type="checkbox" data-setting="' . esc_attr( $c ) . '_paused"' . checked( $st['paused'], true, false ) . '> ' . esc_html__( 'Pause AI (messages are still stored for your team)', 'aisle' ) . '</label></p>';
			if ( 'whatsapp' === $c ) {
				self::field( 'whatsapp_phone_number_id', __( 'Phone number ID', 'aisle' ), (string) $s->get( 'whatsapp_phone_number_id' ), __( 'WhatsApp → API Setup in the Meta app, not the phone number itself.', 'aisle' ) );
				self::field( 'whatsapp_business_account_id', __( 'WhatsApp Business account ID', 'aisle' ), (string) $s->get( 'whatsapp_business_account_id' ) );
				self::secret( 'whatsapp_access_token', __( 'Access token (system user)', 'aisle' ) );
			} elseif ( 'messenger' === $c ) {
				self::field( 'messenger_page_id', __( 'Page ID', 'aisle' ), (string) $s->get( 'messenger_page_id' ) );
				self::secret( 'messenger_page_access_token', __( 'Page access token', 'aisle' ) );
			} else {
				self::field( 'instagram_account_id', __( 'Instagram account ID', 'aisle' ), (string) $s->get( 'instagram_account_id' ) );
				self::secret( 'instagram_page_access_token', __( 'Page access token (of the Page linked to the account)', 'aisle' ) );
			}
			self::secret( $c . '_app_secret', __( 'App secret', 'aisle' ) );
			echo '<p>' . esc_html__( 'Verify token', 'aisle' ) . ': <span data-secret-state="' . esc_attr( $c ) . '_verify_token"></span> <button type="button" class="button" data-action="verify-token">' . esc_html__( 'Generate verify token', 'aisle' ) . '</button> <code class="aisle-ch-once" hidden></code> <button type="button" class="button aisle-ch-copy-once" style="display:none">' . esc_html__( 'Copy', 'aisle' ) . '</button></p>';
			echo '<p><label>' . esc_html__( 'Callback URL (paste into Meta\'s webhook settings)', 'aisle' ) . '<br><input class="large-text" type="text" readonly value="' . esc_attr( $st['callback_url'] ) . '" data-callback></label></p>';
			echo '<p>' . esc_html__( 'Last webhook received', 'aisle' ) . ': <span data-last-webhook>' . esc_html( $st['last_webhook'] ? wp_date( 'Y-m-d H:i:s', (int) $st['last_webhook'] ) : __( 'never', 'aisle' ) ) . '</span><br>';
			echo esc_html__( 'Last error', 'aisle' ) . ': <span data-last-error>' . esc_html( '' !== $st['last_error'] ? wp_date( 'Y-m-d H:i', (int) $st['last_error_at'] ) . ' — ' . $st['last_error'] : __( 'none', 'aisle' ) ) . '</span></p>';
			echo '<p><label>' . esc_html( 'whatsapp' === $c ? __( 'Send a test message to (number with country code)', 'aisle' ) : __( 'Send a test message to (PSID / IGSID from a conversation)', 'aisle' ) ) . ' <input type="text" data-test-to></label> <button type="button" class="button" data-action="test">' . esc_html__( 'Send test message', 'aisle' ) . '</button> <span data-test-result role="status"></span></p>';
			echo '</div>';
		}
		echo '<div class="card" style="max-width:720px"><p><label for="aisle-ch-graph_api_version">' . esc_html__( 'Graph API version', 'aisle' ) . '</label><br><input type="text" id="aisle-ch-graph_api_version" data-setting="graph_api_version" value="' . esc_attr( (string) $s->get( 'graph_api_version' ) ) . '"> ';
		echo '<label>' . esc_html__( 'Messages per sender per hour', 'aisle' ) . ' <input type="number" min="1" max="1000" data-setting="channel_rate_limit" value="' . esc_attr( (string) $s->get( 'channel_rate_limit' ) ) . '"></label></p></div>';
		echo '<p><button type="button" class="button button-primary" id="aisle-channels-save">' . esc_html__( 'Save channels', 'aisle' ) . '</button> <span id="aisle-channels-saved" role="status"></span></p>';
		echo '</div>';
	}
}
