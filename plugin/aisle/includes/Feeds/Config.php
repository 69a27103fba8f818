<?php
/**
 * The agent surfaces' settings, the feed token and the public addresses.
 *
 * Defaults: llms.txt on (it only points at pages the store already publishes), the abilities on
 * (read-only catalog facts, reachable only through WordPress's own Abilities API and whatever
 * MCP adapter the merchant installs); the OpenAI feed and the UCP catalog off, because each
 * publishes the whole catalog to a new audience and only makes sense once the merchant has
 * signed up with that agent. robots.txt is never changed.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Feeds;

use Aisle\Plugin\Settings;
use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class Config {

	public const TOKEN_OPTION = 'aisle_feed_token';
	public const STATE_OPTION = 'aisle_feed_state';
	/** llms.txt is cut (whole lines) to stay under this many bytes. */
	public const LLMS_MAX_BYTES = 50000;
	/** The UCP protocol version this implementation follows (the specification snapshot's). */
	public const UCP_VERSION = '2026-01-11';

	public static function schema(): array {
		return array(
			'feeds_llms_txt'  => array( 'type' => 'boolean', 'default' => true ),
			'feeds_openai'    => array( 'type' => 'boolean', 'default' => false ),
			'feeds_ucp'       => array( 'type' => 'boolean', 'default' => false ),
			'feeds_abilities' => array( 'type' => 'boolean', 'default' => true ),
			// Where a product's brand comes from: a product attribute's name ("Brand", "pa_brand") or a
			// taxonomy ("product_brand"); empty: the store name.
			'feeds_brand'     => array( 'type' => 'string', 'maxLength' => 100, 'pattern' => '^[A-Za-z0-9 _-]*$', 'default' => '' ),
		);
	}

	public static function labels(): array {
		return array(
			'feeds_llms_txt'  => __( 'Publish /llms.txt', 'aisle' ),
			'feeds_openai'    => __( 'OpenAI product feed', 'aisle' ),
			'feeds_ucp'       => __( 'UCP catalog for AI agents', 'aisle' ),
			'feeds_abilities' => __( 'WordPress abilities (MCP)', 'aisle' ),
			'feeds_brand'     => __( 'Brand attribute or taxonomy', 'aisle' ),
		);
	}

	public function __construct( private Settings $settings ) {}

	public function settings(): Settings {
		return $this->settings;
	}

	public function on( string $surface ): bool {
		return (bool) $this->settings->get( 'feeds_' . $surface );
	}

	public static function dir(): string {
		return Storage::dir() . '/feeds';
	}

	/** The secret in the feed's address; made on first use, replaced by rotate(). */
	public static function token(): string {
		$token = (string) get_option( self::TOKEN_OPTION, '' );
		if ( ! preg_match( '/^[a-f0-9]{32}$/', $token ) ) {
			$token = self::rotate();
		}
		return $token;
	}

	public static function rotate(): string {
		$token = bin2hex( random_bytes( 16 ) );
		update_option( self::TOKEN_OPTION, $token, false );
		return $token;
	}

	public static function feed_url(): string {
		return home_url( '/aisle-feeds/' . self::token() . '/openai-feed.jsonl.gz' );
	}

	/** The same products as Agentic Commerce Protocol product objects (OpenAI's structured feed), same token. */
	public static function acp_feed_url(): string {
		return home_url( '/aisle-feeds/' . self::token() . '/acp-products.jsonl.gz' );
	}

	public static function llms_url(): string {
		return home_url( '/llms.txt' );
	}

	public static function ucp_profile_url(): string {
		return home_url( '/.well-known/ucp' );
	}

	public static function ucp_endpoint(): string {
		return rest_url( 'aisle/ucp/v1' );
	}

	public static function state(): array {
		$s = get_option( self::STATE_OPTION );
		return is_array( $s ) ? $s : array( 'rows' => 0, 'products' => 0, 'skipped' => array(), 'files' => array(), 'generated_at' => null, 'error' => null );
	}
}
