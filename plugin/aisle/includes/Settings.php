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
			// Optional fields of the widget's lead form (Leads).
			'lead_name'            => array( 'type' => 'boolean', 'default' => false ),
			'lead_message'         => array( 'type' => 'boolean', 'default' => false ),
			// Storefront chat (ChatController, Assistant).
			'assistant_paused'     => array( 'type' => 'boolean', 'default' => false ),
			// Where the widget shows (Chat\Widget): everywhere, not on cart and checkout, or only on chosen pages and product categories.
			'widget_pages'         => array( 'type' => 'string', 'enum' => array( 'all', 'not_checkout', 'chosen' ), 'default' => 'all' ),
			'widget_page_ids'      => array( 'type' => 'array', 'maxItems' => 500, 'default' => array(), 'items' => array( 'type' => 'integer', 'minimum' => 1 ) ),
			'widget_categories'    => array( 'type' => 'array', 'maxItems' => 500, 'default' => array(), 'items' => array( 'type' => 'string', 'maxLength' => 200 ) ),
			'rate_limit_ip'        => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 1000, 'default' => 30 ),
			'rate_limit_session'   => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 1000, 'default' => 20 ),
			'ai_connect_timeout'   => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 30, 'default' => 5 ),
			'ai_timeout'           => array( 'type' => 'integer', 'minimum' => 5, 'maximum' => 120, 'default' => 30 ),
			'rate_limit_reads'     => array( 'type' => 'integer', 'minimum' => 10, 'maximum' => 1000, 'default' => 120 ),
			// Live handoff to a person (Chat\Handoff). Off by default: it promises shoppers that someone watches the Live view.
			'handoff_enabled'      => array( 'type' => 'boolean', 'default' => false ),
			'handoff_wait_minutes' => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 60, 'default' => 3 ),
			'handoff_idle_minutes' => array( 'type' => 'integer', 'minimum' => 1, 'maximum' => 240, 'default' => 15 ),
			// "always", "never", or lines such as "mon-fri 09:00-17:00" in the store's time zone (Chat\StaffedHours).
			'staffed_hours'        => array( 'type' => 'string', 'maxLength' => 500, 'default' => 'always' ),
			// Words that send a conversation straight to the team ("refund, complaint").
			'handoff_keywords'     => array( 'type' => 'string', 'maxLength' => 1000, 'default' => '' ),
			// Catalog.
			'include_out_of_stock' => array( 'type' => 'boolean', 'default' => true ),
			'include_hidden'       => array( 'type' => 'boolean', 'default' => false ),
			// The store's own words that mean the same, one group a line ("hoodie, kangaroo jumper").
			'synonyms'             => array( 'type' => 'string', 'maxLength' => 20000, 'default' => '' ),
			// Remote sync.
			'remote_endpoint'      => array( 'type' => 'string', 'maxLength' => 500, 'default' => '' ),
		) + Channels\Config::schema() // WhatsApp, Messenger, Instagram (Channels\Config).
			+ Feeds\Config::schema(); // llms.txt, OpenAI feed, UCP, abilities (Feeds\Config).
	}

	/** @return array<string, string> What each setting is called on the settings page. */
	public static function labels(): array {
		return array(
			'ai_provider'          => __( 'Provider', 'aisle' ),
			'ai_base_url'          => __( 'Base URL', 'aisle' ),
			'ai_model'             => __( 'Model', 'aisle' ),
			'accent_color'         => __( 'Accent color', 'aisle' ),
			'welcome_message'      => __( 'Welcome message', 'aisle' ),
			'launcher_label'       => __( 'Launcher label', 'aisle' ),
			'position'             => __( 'Position', 'aisle' ),
			'avatar_url'           => __( 'Avatar image URL', 'aisle' ),
			'store_name'           => __( 'Store name', 'aisle' ),
			'tone'                 => __( 'Tone', 'aisle' ),
			'faq'                  => __( 'FAQ', 'aisle' ),
			'support_email'        => __( 'Support email', 'aisle' ),
			'retention_days'       => __( 'Keep conversations (days)', 'aisle' ),
			'shareable_coupons'    => __( 'Coupons the assistant may mention', 'aisle' ),
			'lead_name'            => __( 'Ask for a name', 'aisle' ),
			'lead_message'         => __( 'Ask for a message', 'aisle' ),
			'assistant_paused'     => __( 'Pause assistant', 'aisle' ),
			'widget_pages'         => __( 'Show the chat', 'aisle' ),
			'widget_page_ids'      => __( 'Pages', 'aisle' ),
			'widget_categories'    => __( 'Product categories', 'aisle' ),
			'rate_limit_ip'        => __( 'Messages per visitor address', 'aisle' ),
			'rate_limit_session'   => __( 'Messages per chat', 'aisle' ),
			'ai_connect_timeout'   => __( 'AI connection timeout (seconds)', 'aisle' ),
			'ai_timeout'           => __( 'AI answer timeout (seconds)', 'aisle' ),
			'rate_limit_reads'     => __( 'Chat reads per visitor address', 'aisle' ),
			'handoff_enabled'      => __( 'Live handoff to your team', 'aisle' ),
			'handoff_wait_minutes' => __( 'Wait for the team (minutes)', 'aisle' ),
			'handoff_idle_minutes' => __( 'Give back to the assistant after (minutes idle)', 'aisle' ),
			'staffed_hours'        => __( 'Staffed hours', 'aisle' ),
			'handoff_keywords'     => __( 'Words that call the team', 'aisle' ),
			'include_out_of_stock' => __( 'Include out-of-stock products', 'aisle' ),
			'include_hidden'       => __( 'Include hidden products', 'aisle' ),
			'synonyms'             => __( 'Synonyms', 'aisle' ),
			'remote_endpoint'      => __( 'Endpoint URL', 'aisle' ),
		) + Channels\Config::labels() + Feeds\Config::labels();
	}

	/**
	 * The plain-language message for a value that does not fit the field's schema (what the
	 * REST schema check reports as e.g. "retention_days must be between 1 (inclusive) and 365").
	 */
	public static function schema_message( string $key, array $schema, string $label ): string {
		if ( 'welcome_message' === $key ) {
			/* translators: %d: maximum number of characters. */
			return sprintf( __( 'The welcome message can be at most %d characters.', 'aisle' ), $schema['maxLength'] );
		}
		if ( 'faq' === $key ) {
			/* translators: 1: maximum entries, 2: maximum question length, 3: maximum answer length. */
			return sprintf( __( 'Each FAQ entry needs both a question and an answer (questions up to %2$d characters, answers up to %3$d, at most %1$d entries).', 'aisle' ), $schema['maxItems'], $schema['items']['properties']['question']['maxLength'], $schema['items']['properties']['answer']['maxLength'] );
		}
		if ( 'shareable_coupons' === $key ) {
			/* translators: 1: maximum number of codes, 2: maximum length of a code. */
			return sprintf( __( 'List at most %1$d coupon codes, each up to %2$d characters.', 'aisle' ), $schema['maxItems'], $schema['items']['maxLength'] );
		}
		if ( 'accent_color' === $key ) {
			return __( 'Enter a color as # and six hexadecimal digits, e.g. #2271b1.', 'aisle' );
		}
		if ( 'ai_model' === $key ) {
			return __( 'A model name has only letters, digits and . _ : / - (e.g. gpt-4o-mini).', 'aisle' );
		}
		if ( isset( $schema['enum'] ) ) {
			/* translators: %s: field name. */
			return sprintf( __( 'Choose one of the options offered for "%s".', 'aisle' ), $label );
		}
		if ( 'integer' === $schema['type'] ) {
			/* translators: 1: field name, 2: smallest allowed number, 3: largest allowed number. */
			return sprintf( __( '"%1$s" must be a whole number from %2$d to %3$d.', 'aisle' ), $label, $schema['minimum'], $schema['maximum'] );
		}
		if ( 'boolean' === $schema['type'] ) {
			/* translators: %s: field name. */
			return sprintf( __( '"%s" must be on or off.', 'aisle' ), $label );
		}
		if ( 'string' === $schema['type'] && isset( $schema['maxLength'] ) ) {
			/* translators: 1: field name, 2: maximum number of characters. */
			return sprintf( __( '"%1$s" can be at most %2$d characters.', 'aisle' ), $label, $schema['maxLength'] );
		}
		/* translators: %s: field name. */
		return sprintf( __( 'Check the value of "%s".', 'aisle' ), $label );
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
		if ( isset( $clean['staffed_hours'] ) && null === Chat\StaffedHours::parse( (string) $clean['staffed_hours'] ) ) {
			$errors['staffed_hours'] = __( 'Write "always", "never", or one range a line such as "mon-fri 09:00-17:00".', 'aisle' );
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
		if ( 'chosen' === $merged['widget_pages'] && ! $merged['widget_page_ids'] && ! $merged['widget_categories'] ) {
			$errors['widget_pages'] = __( 'Choose at least one page or product category, or show the chat on all pages.', 'aisle' );
		}
		if ( isset( $clean['widget_categories'] ) ) {
			$clean['widget_categories'] = array_values( array_unique( array_filter( array_map( 'sanitize_title', $clean['widget_categories'] ) ) ) );
		}
		if ( isset( $clean['widget_page_ids'] ) ) {
			$clean['widget_page_ids'] = array_values( array_unique( array_map( 'intval', $clean['widget_page_ids'] ) ) );
		}
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
