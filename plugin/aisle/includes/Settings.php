<?php
/**
 * Non-secret settings: one option (aisle_settings), described once by a JSON schema that the
 * REST route uses for validation and the page uses for its fields.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

defined( 'ABSPATH' ) || exit;

final class Settings {

	public const OPTION = 'aisle_settings';

	/** @return array<string, array> JSON schema of every setting (WordPress REST dialect). */
	public static function schema(): array {
		return array(
			// AI provider.
			'ai_provider'          => array( 'type' => 'string', 'enum' => array( 'none', 'openai', 'anthropic' ), 'default' => 'none' ),
			'ai_base_url'          => array( 'type' => 'string', 'format' => 'uri', 'maxLength' => 500, 'default' => '' ),
			'ai_model'             => array( 'type' => 'string', 'maxLength' => 100, 'pattern' => '^[A-Za-z0-9._:/-]*$', 'default' => '' ),
			// Appearance.
			'accent_color'         => array( 'type' => 'string', 'format' => 'hex-color', 'default' => '#2271b1' ),
			'welcome_message'      => array( 'type' => 'string', 'maxLength' => 500, 'default' => '' ),
			'launcher_label'       => array( 'type' => 'string', 'maxLength' => 40, 'default' => '' ),
			'position'             => array( 'type' => 'string', 'enum' => array( 'right', 'left' ), 'default' => 'right' ),
			'avatar_url'           => array( 'type' => 'string', 'maxLength' => 500, 'default' => '' ),
			// Assistant.
			'store_name'           => array( 'type' => 'string', 'maxLength' => 100, 'default' => '' ),
			'tone'                 => array( 'type' => 'string', 'enum' => array( 'friendly', 'professional', 'concise' ), 'default' => 'friendly' ),
			'faq'                  => array(
				'type'     => 'array',
				'maxItems' => 100,
				'default'  => array(),
				'items'    => array(
					'type'                 => 'object',
					'additionalProperties' => false,
					'required'             => array( 'question', 'answer' ),
					'properties'           => array(
						'question' => array( 'type' => 'string', 'minLength' => 1, 'maxLength' => 300 ),
						'answer'   => array( 'type' => 'string', 'minLength' => 1, 'maxLength' => 2000 ),
					),
				),
			),
			'support_email'        => array( 'type' => 'string', 'maxLength' => 200, 'default' => '' ),
			'retention_days'       => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 365, 'default' => 2 ),
			'shareable_coupons'    => array(
				'type'     => 'array',
				'maxItems' => 50,
				'default'  => array(),
				'items'    => array( 'type' => 'string', 'minLength' => 1, 'maxLength' => 50 ),
			),
			// Storefront chat (ChatController, Assistant).
			'assistant_paused'     => array( 'type' => 'boolean', 'default' => false ),
			'rate_limit_ip'        => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 1000, 'default' => 30 ),
			'rate_limit_session'   => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 1000, 'default' => 20 ),
			'ai_connect_timeout'   => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 30, 'default' => 5 ),
			'ai_timeout'           => array( 'type' => 'integer', 'minimum' => 5, 'maximum' => 120, 'default' => 30 ),
			// Catalog.
			'include_out_of_stock' => array( 'type' => 'boolean', 'default' => true ),
			'include_hidden'       => array( 'type' => 'boolean', 'default' => false ),
			// The store's own words that mean the same, one group a line ("hoodie, kangaroo jumper").
			'synonyms'             => array( 'type' => 'string', 'maxLength' => 20000, 'default' => '' ),
			// Remote sync.
			'remote_endpoint'      => array( 'type' => 'string', 'maxLength' => 500, 'default' => '' ),
		);
	}

	/** @return array<string, mixed> Saved values over defaults. */
	public function all(): array {
		$saved = get_option( self::OPTION, array() );
		$out   = array();
		foreach ( self::schema() as $key => $schema ) {
			$out[ $key ] = is_array( $saved ) && array_key_exists( $key, $saved ) ? $saved[ $key ] : $schema['default'];
		}
		return $out;
	}

	public function get( string $key ): mixed {
		return $this->all()[ $key ] ?? null;
	}

	/**
	 * Checks what JSON schema cannot express (fields that depend on each other, URL schemes)
	 * and cleans values. Returns field => message for every problem, or the clean values.
	 *
	 * @param array<string, mixed> $changes Only the fields being changed, already schema-valid.
	 * @return array{0: array<string, mixed>, 1: array<string, string>}
	 */
	public function validate( array $changes ): array {
		$errors = array();
		$clean  = array();
		foreach ( $changes as $key => $value ) {
			if ( is_string( $value ) ) {
				$value = in_array( $key, array( 'welcome_message', 'synonyms' ), true ) ? sanitize_textarea_field( $value ) : sanitize_text_field( $value );
			}
			$clean[ $key ] = $value;
		}
		foreach ( array( 'ai_base_url', 'avatar_url', 'remote_endpoint' ) as $url_field ) {
			if ( ! empty( $clean[ $url_field ] ) ) {
				$raw   = trim( (string) $clean[ $url_field ] );
				$url   = esc_url_raw( $raw, array( 'https', 'http' ) );
				$parts = wp_parse_url( $url );
				// Shape only: resolving the host here would make saving depend on DNS. The address as
				// typed must already be one: esc_url_raw() would turn "not a url" into http://not%20a%20url.
				$host_ok = isset( $parts['host'] ) && preg_match( '/^(\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)$/i', $parts['host'] );
				if ( '' === $url || ! $host_ok || ! preg_match( '~^https?://~i', $raw ) || preg_match( '~\s~', $raw ) || ! in_array( $parts['scheme'] ?? '', array( 'http', 'https' ), true ) ) {
					$errors[ $url_field ] = __( 'Enter a full http:// or https:// address.', 'aisle' );
				} elseif ( 'remote_endpoint' === $url_field && 'https' !== $parts['scheme'] ) {
					// Consumer keys travel with the push: never over plain HTTP.
					$errors[ $url_field ] = __( 'The remote endpoint must use https://.', 'aisle' );
				}
				$clean[ $url_field ] = $url;
			}
		}
		if ( ! empty( $clean['support_email'] ) && ! is_email( $clean['support_email'] ) ) {
			$errors['support_email'] = __( 'Enter a valid email address, or leave it empty.', 'aisle' );
		}
		if ( isset( $clean['faq'] ) ) {
			$clean['faq'] = array_map(
				static fn ( array $e ) => array(
					'question' => sanitize_text_field( $e['question'] ),
					'answer'   => sanitize_textarea_field( $e['answer'] ),
				),
				$clean['faq']
			);
		}
		if ( isset( $clean['shareable_coupons'] ) ) {
			$clean['shareable_coupons'] = array_values( array_unique( array_map( 'wc_format_coupon_code', $clean['shareable_coupons'] ) ) );
		}
		$merged = array_merge( $this->all(), $clean );
		if ( 'openai' === $merged['ai_provider'] && '' === $merged['ai_base_url'] ) {
			$errors['ai_base_url'] = __( 'An OpenAI-compatible provider needs its base URL, e.g. https://api.openai.com/v1.', 'aisle' );
		}
		if ( 'none' !== $merged['ai_provider'] && '' === $merged['ai_model'] ) {
			$errors['ai_model'] = __( 'Choose the model the provider should use.', 'aisle' );
		}
		return array( $clean, $errors );
	}

	public function save( array $clean ): void {
		update_option( self::OPTION, array_merge( $this->all(), $clean ), true );
	}
}
