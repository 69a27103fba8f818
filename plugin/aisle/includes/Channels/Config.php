<?php
/**
 * What each channel needs (settings keys, secrets, IDs) and what happened on it lately (last
 * webhook, last error). The settings join Settings::schema() and the secrets Secrets::FIELDS, so
 * POST /aisle/v1/settings saves them like every other field (secrets write-only, as Vault envelopes).
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Channels;

use Aisle\Plugin\Privacy\Secrets;
use Aisle\Plugin\Settings;

defined( 'ABSPATH' ) || exit;

final class Config {

	public const CHANNELS = array( 'whatsapp', 'messenger', 'instagram' );

	/** Field => option (also the Vault context): tokens, app secrets and verify tokens, all write-only. */
	public const SECRET_FIELDS = array(
		'whatsapp_access_token'       => 'aisle_whatsapp_access_token',
		'whatsapp_app_secret'         => 'aisle_whatsapp_app_secret',
		'whatsapp_verify_token'       => 'aisle_whatsapp_verify_token',
		'messenger_page_access_token' => 'aisle_messenger_page_access_token',
		'messenger_app_secret'        => 'aisle_messenger_app_secret',
		'messenger_verify_token'      => 'aisle_messenger_verify_token',
		'instagram_page_access_token' => 'aisle_instagram_page_access_token',
		'instagram_app_secret'        => 'aisle_instagram_app_secret',
		'instagram_verify_token'      => 'aisle_instagram_verify_token',
	);

	/** The Graph API version replies go to, unless the setting says otherwise. */
	public const DEFAULT_GRAPH_VERSION = 'v24.0';

	/** Channel => its account ID setting (the WhatsApp phone number ID, the Page ID, the Instagram account ID). */
	public const SENDER_ID = array(
		'whatsapp'  => 'whatsapp_phone_number_id',
		'messenger' => 'messenger_page_id',
		'instagram' => 'instagram_account_id',
	);

	public const TOKEN = array(
		'whatsapp'  => 'whatsapp_access_token',
		'messenger' => 'messenger_page_access_token',
		'instagram' => 'instagram_page_access_token',
	);

	/** Last webhook and last error per channel, for the Channels screen. */
	public const STATUS_OPTION = 'aisle_channel_status';

	/** @return array<string, array> The channel settings, in Settings::schema()'s dialect. */
	public static function schema(): array {
		$id   = array( 'type' => 'string', 'maxLength' => 64, 'pattern' => '^[0-9]*$', 'default' => '' );
		$bool = array( 'type' => 'boolean', 'default' => false );
		return array(
			'whatsapp_enabled'             => $bool,
			'whatsapp_phone_number_id'     => $id,
			'whatsapp_business_account_id' => $id,
			'whatsapp_paused'              => $bool,
			'messenger_enabled'            => $bool,
			'messenger_page_id'            => $id,
			'messenger_paused'             => $bool,
			'instagram_enabled'            => $bool,
			'instagram_account_id'         => $id,
			'instagram_paused'             => $bool,
			'graph_api_version'            => array( 'type' => 'string', 'pattern' => '^v[0-9]{1,3}\.[0-9]{1,2}$', 'default' => self::DEFAULT_GRAPH_VERSION ),
			'channel_rate_limit'           => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 1000, 'default' => 20 ),
		);
	}

	/** @return array<string, string> */
	public static function labels(): array {
		return array(
			'whatsapp_enabled'             => __( 'WhatsApp enabled', 'aisle' ),
			'whatsapp_phone_number_id'     => __( 'WhatsApp phone number ID', 'aisle' ),
			'whatsapp_business_account_id' => __( 'WhatsApp Business account ID', 'aisle' ),
			'whatsapp_paused'              => __( 'Pause AI on WhatsApp', 'aisle' ),
			'messenger_enabled'            => __( 'Messenger enabled', 'aisle' ),
			'messenger_page_id'            => __( 'Facebook Page ID', 'aisle' ),
			'messenger_paused'             => __( 'Pause AI on Messenger', 'aisle' ),
			'instagram_enabled'            => __( 'Instagram enabled', 'aisle' ),
			'instagram_account_id'         => __( 'Instagram account ID', 'aisle' ),
			'instagram_paused'             => __( 'Pause AI on Instagram', 'aisle' ),
			'graph_api_version'            => __( 'Graph API version', 'aisle' ),
			'channel_rate_limit'           => __( 'Channel messages per sender per hour', 'aisle' ),
		);
	}

	public static function label( string $channel ): string {
		return array(
			'whatsapp'  => __( 'WhatsApp', 'aisle' ),
			'messenger' => __( 'Messenger', 'aisle' ),
			'instagram' => __( 'Instagram', 'aisle' ),
		)[ $channel ] ?? $channel;
	}

	public function __construct( private Settings $settings, private Secrets $secrets ) {}

	public function settings(): Settings {
		return $this->settings;
	}

	public function secrets(): Secrets {
		return $this->secrets;
	}

	public function enabled( string $channel ): bool {
		return (bool) $this->settings->get( $channel . '_enabled' );
	}

	public function paused( string $channel ): bool {
		return (bool) $this->settings->get( $channel . '_paused' );
	}

	public function sender_id( string $channel ): string {
		$id = (string) $this->settings->get( self::SENDER_ID[ $channel ] );
		return '' === $id && 'whatsapp' !== $channel ? 'me' : $id;
	}

	/** The Graph API base: graph.facebook.com unless the aisle_graph_api_base filter says otherwise (tests, a relay). */
	public static function graph_base(): string {
		return rtrim( (string) apply_filters( 'aisle_graph_api_base', 'https://graph.facebook.com' ), '/' );
	}

	public function graph_options(): array {
		return array(
			'base_url' => self::graph_base(),
			'version'  => (string) ( $this->settings->get( 'graph_api_version' ) ?: self::DEFAULT_GRAPH_VERSION ),
		);
	}

	public static function envelope( string $field ): string {
		return (string) get_option( self::SECRET_FIELDS[ $field ], '' );
	}

	/** The address to paste into Meta's dashboard as the callback URL. */
	public static function callback_url( string $channel ): string {
		return rest_url( 'aisle/v1/channels/' . $channel );
	}

	/** @return array<string, array{last_webhook: int, last_error: string, last_error_at: int}> */
	public static function status(): array {
		$saved = get_option( self::STATUS_OPTION, array() );
		$out   = array();
		foreach ( self::CHANNELS as $c ) {
			$out[ $c ] = ( is_array( $saved ) && is_array( $saved[ $c ] ?? null ) ? $saved[ $c ] : array() ) + array( 'last_webhook' => 0, 'last_error' => '', 'last_error_at' => 0 );
		}
		return $out;
	}

	public static function note( string $channel, array $fields ): void {
		$all             = self::status();
		$all[ $channel ] = array_merge( $all[ $channel ], $fields );
		update_option( self::STATUS_OPTION, $all, false );
	}
}
