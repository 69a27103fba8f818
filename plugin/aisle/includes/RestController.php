<?php
/**
 * REST routes under aisle/v1 for the settings page. Cookie authentication with the wp_rest
 * nonce (X-WP-Nonce) is WordPress's own; every route also requires manage_woocommerce.
 *
 * @package Aisle
 */

namespace Aisle\Plugin;

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
			'/secrets/rotate',
			array( 'methods' => 'POST', 'callback' => array( $this, 'rotate_secrets' ), 'permission_callback' => $admin )
		);
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
		$changes = array();
		foreach ( array_keys( Settings::schema() ) as $key ) {
			if ( $request->has_param( $key ) ) {
				$changes[ $key ] = $request->get_param( $key );
			}
		}
		[ $clean, $errors ] = $this->settings->validate( $changes );
		if ( $errors ) {
			return new \WP_Error(
				'rest_invalid_param',
				/* translators: %s: comma-separated field names. */
				sprintf( __( 'Please correct: %s.', 'aisle' ), implode( ', ', array_keys( $errors ) ) ),
				array( 'status' => 400, 'params' => $errors )
			);
		}
		try {
			foreach ( array_keys( Secrets::FIELDS ) as $field ) {
				$value = $request->get_param( $field );
				if ( is_string( $value ) && '' !== trim( $value ) ) {
					$this->secrets->save( $field, trim( $value ) );
				}
			}
			foreach ( (array) $request->get_param( 'clear_secrets' ) as $field ) {
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
