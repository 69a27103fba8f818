<?php
/**
 * REST routes under aisle/v1 for the settings page. Cookie authentication with the wp_rest
 * nonce (X-WP-Nonce) is WordPress's own; every route also requires manage_woocommerce.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

use Aisle\Plugin\Catalog\CatalogSync;
use Aisle\Plugin\Knowledge\StoreFacts;
use Aisle\Plugin\Licensing\LicenseManager;
use Aisle\Plugin\Privacy\Secrets;

defined( 'ABSPATH' ) || exit;

final class RestController {

	public const NAMESPACE = 'aisle/v1';

	public function __construct(
		private Settings $settings,
		private Secrets $secrets,
		private LicenseManager $license,
		private CatalogSync $sync,
		private StoreFacts $facts
	) {}

	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'routes' ) );
	}

	public function can_manage(): bool {
		return current_user_can( 'manage_woocommerce' );
	}

	public function routes(): void {
		$admin = array( $this, 'can_manage' );
		$args  = array();
		// The schema is published with the route, but checked in save_settings() rather than by
		// WordPress: WordPress stops at the first schema errors (before the checks the schema
		// cannot express) and words them for developers. One pass, every field, plain language.
		foreach ( self::save_schema() as $key => $schema ) {
			$args[ $key ] = $schema + array( 'validate_callback' => null, 'sanitize_callback' => null );
		}
		register_rest_route(
			self::NAMESPACE,
			'/settings',
			array(
				array( 'methods' => 'GET', 'callback' => array( $this, 'get_settings' ), 'permission_callback' => $admin ),
				array( 'methods' => 'POST', 'callback' => array( $this, 'save_settings' ), 'permission_callback' => $admin, 'args' => $args ),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/license',
			array( 'methods' => 'GET', 'callback' => fn () => rest_ensure_response( $this->license->status() ), 'permission_callback' => $admin )
		);
		register_rest_route(
			self::NAMESPACE,
			'/license/activate',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'activate_license' ),
				'permission_callback' => $admin,
				'args'                => array(
					'license_key' => array( 'type' => 'string', 'maxLength' => 200 ),
					'token'       => array( 'type' => 'string', 'maxLength' => 8000 ),
				),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/sync',
			array(
				array( 'methods' => 'GET', 'callback' => fn () => rest_ensure_response( $this->sync->progress() ), 'permission_callback' => $admin ),
				array( 'methods' => 'POST', 'callback' => fn () => rest_ensure_response( $this->sync->start() ), 'permission_callback' => $admin ),
			)
		);
		register_rest_route(
			self::NAMESPACE,
			'/sync/cancel',
			array( 'methods' => 'POST', 'callback' => fn () => rest_ensure_response( $this->sync->cancel() ), 'permission_callback' => $admin )
		);
		register_rest_route(
			self::NAMESPACE,
			'/secrets/rotate',
			array( 'methods' => 'POST', 'callback' => array( $this, 'rotate_secrets' ), 'permission_callback' => $admin )
		);
	}

	/** @return array<string, array> Every field POST settings accepts, with its JSON schema. */
	private static function save_schema(): array {
		$args = array();
		foreach ( Settings::schema() as $key => $schema ) {
			unset( $schema['default'] ); // Absent = unchanged, not reset to the default.
			$args[ $key ] = $schema;
		}
		foreach ( array_keys( Secrets::FIELDS ) as $field ) {
			$args[ $field ] = array(
				'type'        => 'string',
				'maxLength'   => 1000,
				'description' => __( 'Write-only. Empty or absent keeps the saved value.', 'aisle' ),
			);
		}
		$args['clear_secrets'] = array(
			'type'  => 'array',
			'items' => array( 'type' => 'string', 'enum' => array_keys( Secrets::FIELDS ) ),
		);
		return $args;
	}

	/**
	 * Checks every field present in the request against its schema, then what the schema cannot
	 * express (Settings::validate) on the fields that passed. Returns the changes and field =>
	 * message for every problem found.
	 *
	 * @return array{0: array<string, mixed>, 1: array<string, string>}
	 */
	private function check( \WP_REST_Request $request ): array {
		$labels  = Settings::labels();
		$errors  = array();
		$changes = array();
		foreach ( self::save_schema() as $key => $schema ) {
			if ( ! $request->has_param( $key ) ) {
				continue;
			}
			$value = $request->get_param( $key );
			$valid = rest_validate_value_from_schema( $value, $schema, $key );
			if ( is_wp_error( $valid ) ) {
				if ( 'clear_secrets' === $key ) {
					$errors[ $key ] = __( 'Only saved keys can be cleared.', 'aisle' );
				} elseif ( isset( Secrets::FIELDS[ $key ] ) ) {
					/* translators: %d: maximum number of characters. */
					$errors[ $key ] = sprintf( __( 'A key can be at most %d characters.', 'aisle' ), $schema['maxLength'] );
				} else {
					$errors[ $key ] = Settings::schema_message( $key, $schema, $labels[ $key ] ?? $key );
				}
				continue;
			}
			$changes[ $key ] = rest_sanitize_value_from_schema( $value, $schema, $key );
		}
		$settings_changes = array_intersect_key( $changes, Settings::schema() );
		[ $clean, $more ] = $this->settings->validate( $settings_changes );
		return array( array_diff_key( $changes, $settings_changes ) + $clean, $errors + $more );
	}

	private function settings_response(): array {
		$secrets = array();
		foreach ( array_keys( Secrets::FIELDS ) as $field ) {
			$secrets[ $field ] = $this->secrets->describe( $field );
		}
		return array(
			'settings'   => $this->settings->all(),
			'secrets'    => $secrets,
			'key_source' => Secrets::key_source(),
		);
	}

	public function get_settings(): \WP_REST_Response {
		return rest_ensure_response( $this->settings_response() );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function save_settings( \WP_REST_Request $request ) {
		[ $all, $errors ] = $this->check( $request );
		if ( $errors ) {
			return new \WP_Error(
				'rest_invalid_param',
				1 === count( $errors )
					? __( 'Nothing was saved: one field needs a correction (marked below).', 'aisle' )
					/* translators: %d: number of fields with a problem. */
					: sprintf( __( 'Nothing was saved: %d fields need a correction (marked below).', 'aisle' ), count( $errors ) ),
				array( 'status' => 400, 'params' => $errors )
			);
		}
		$clean = array_intersect_key( $all, Settings::schema() );
		try {
			foreach ( array_keys( Secrets::FIELDS ) as $field ) {
				$value = $all[ $field ] ?? null;
				if ( is_string( $value ) && '' !== trim( $value ) ) {
					$this->secrets->save( $field, trim( $value ) );
				}
			}
			foreach ( (array) ( $all['clear_secrets'] ?? array() ) as $field ) {
				$this->secrets->save( $field, '' );
			}
		} catch ( \Aisle\VaultException $e ) {
			return new \WP_Error( 'aisle_vault_' . $e->reason(), __( 'The secret could not be encrypted: the vault key is not usable. See "Secrets" in the README.', 'aisle' ), array( 'status' => 500 ) );
		}
		$this->settings->save( $clean );
		// FAQ, coupons and store name feed the store facts: keep them current without a full sync.
		if ( array_intersect( array_keys( $clean ), array( 'faq', 'shareable_coupons', 'store_name', 'support_email' ) ) ) {
			$this->facts->refresh();
		}
		return rest_ensure_response( $this->settings_response() );
	}

	/** @return \WP_REST_Response|\WP_Error */
	public function activate_license( \WP_REST_Request $request ) {
		$result = $this->license->activate( $request->get_param( 'license_key' ), $request->get_param( 'token' ) );
		return is_wp_error( $result ) ? $result : rest_ensure_response( $result );
	}

	public function rotate_secrets(): \WP_REST_Response {
		$result = $this->secrets->rotate_all();
		$result['key_id'] = $this->secrets->vault()->keyId();
		return rest_ensure_response( $result );
	}
}
