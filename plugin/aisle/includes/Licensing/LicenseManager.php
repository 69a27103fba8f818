<?php
/**
 * License: activation (key → token through the vendor server, or a pasted token), offline
 * verification by Aisle\License, and a daily background re-check. Never runs on storefront requests.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Licensing;

use Aisle\Plugin\Installer;
use Aisle\Plugin\Privacy\Secrets;

defined( 'ABSPATH' ) || exit;

final class LicenseManager {

	public const TOKEN_OPTION  = 'aisle_license_token';
	public const STATUS_OPTION = 'aisle_license_status';
	public const CHECK_HOOK    = 'aisle_license_check';

	public function __construct( private Secrets $secrets ) {}

	public static function available(): bool {
		return class_exists( \Aisle\License::class );
	}

	public function register(): void {
		add_action( self::CHECK_HOOK, array( $this, 'check' ) );
		// Scheduling is an admin-side chore: storefront requests never pay for it.
		add_action( 'admin_init', array( $this, 'ensure_scheduled' ) );
	}

	public function ensure_scheduled(): void {
		// admin_init also runs for admin-ajax.php calls made from storefront pages: not those.
		if ( wp_doing_ajax() ) {
			return;
		}
		if ( function_exists( 'as_has_scheduled_action' ) && ! as_has_scheduled_action( self::CHECK_HOOK, array(), Installer::ACTION_GROUP ) ) {
			as_schedule_recurring_action( time() + HOUR_IN_SECONDS, DAY_IN_SECONDS, self::CHECK_HOOK, array(), Installer::ACTION_GROUP );
		}
	}

	/** The vendor activation server; tests and staging point it elsewhere. */
	public static function server_url(): string {
		$url = defined( 'AISLE_LICENSE_SERVER' ) ? (string) AISLE_LICENSE_SERVER : '';
		return (string) apply_filters( 'aisle_license_server', $url );
	}

	/** The vendor's public key; null = the one built into the extension. */
	private static function public_key(): ?string {
		$key = defined( 'AISLE_LICENSE_PUBLIC_KEY' ) ? (string) AISLE_LICENSE_PUBLIC_KEY : null;
		return apply_filters( 'aisle_license_public_key', $key );
	}

	/**
	 * Activates with a license key (stored encrypted) or a pasted token.
	 *
	 * @return array|\WP_Error The new status, or an error with a reason code.
	 */
	public function activate( ?string $license_key, ?string $token ) {
		if ( ! self::available() ) {
			return self::unavailable();
		}
		try {
			if ( null === $token || '' === $token ) {
				$server = self::server_url();
				if ( '' === $server ) {
					return new \WP_Error( 'aisle_license_no_server', __( 'No activation server is configured (AISLE_LICENSE_SERVER). Paste the license token you received instead.', 'aisle' ), array( 'status' => 400 ) );
				}
				if ( null !== $license_key && '' !== $license_key ) {
					$this->secrets->save( 'license_key', $license_key );
				}
				$key = $this->secrets->reveal( 'license_key' );
				if ( null === $key ) {
					return new \WP_Error( 'aisle_license_no_key', __( 'Enter your license key.', 'aisle' ), array( 'status' => 400, 'params' => array( 'license_key' => __( 'Enter your license key.', 'aisle' ) ) ) );
				}
				// activate() checks the returned token's signature against the same public key.
				$token = \Aisle\License::activate( $server, $key, home_url(), 5000, self::public_key() );
				$key   = '';
			}
			$license = \Aisle\License::verify( $token, home_url(), self::public_key() );
		} catch ( \Aisle\Exception $e ) {
			return new \WP_Error( 'aisle_license_' . $e->reason(), self::message( $e->reason() ), array( 'status' => 400 ) );
		}
		update_option( self::TOKEN_OPTION, $token, false );
		return $this->store_status( $license );
	}

	/**
	 * Daily job: verifies the stored token offline again (expiry, grace) and, when it nears its
	 * expiry, is in grace or has expired, refreshes it by re-activating with the stored key (the
	 * same site takes no new seat). Server tokens live at most 30 days, so this is how renewals
	 * and revocations reach the site. A failed refresh keeps the old token: grace covers a
	 * license server that is down. The outcome is recorded for the settings page.
	 */
	public function check(): void {
		$token = get_option( self::TOKEN_OPTION );
		if ( ! self::available() || ! is_string( $token ) ) {
			return;
		}
		try {
			$license = \Aisle\License::verify( $token, home_url(), self::public_key() );
		} catch ( \Aisle\Exception $e ) {
			update_option( self::STATUS_OPTION, array( 'status' => 'invalid', 'reason' => $e->reason(), 'checked_at' => time() ), false );
			return;
		}
		$refresh = null;
		if ( $this->needs_refresh( $license ) ) {
			$refresh = $this->refresh();
			if ( 'refreshed' === $refresh['result'] ) {
				$license = \Aisle\License::verify( (string) get_option( self::TOKEN_OPTION ), home_url(), self::public_key() );
			}
		}
		$this->store_status( $license, $refresh );
	}

	/** Refresh this many seconds before expiry: several daily attempts before grace even starts. */
	public static function refresh_window(): int {
		return (int) apply_filters( 'aisle_license_refresh_window', 7 * DAY_IN_SECONDS );
	}

	private function needs_refresh( \Aisle\License $license ): bool {
		return 'active' !== $license->status() || $license->expiresAt() - time() <= self::refresh_window();
	}

	/**
	 * Re-activates with the stored key. The key is decrypted only for the call.
	 *
	 * @return array{result: string, at: int, reason?: string, message?: string}
	 */
	private function refresh(): array {
		$at     = time();
		$server = self::server_url();
		if ( '' === $server || ! $this->secrets->has( 'license_key' ) ) {
			// A pasted token cannot be refreshed here: the vendor sends a new one.
			return array( 'result' => 'skipped', 'at' => $at, 'reason' => '' === $server ? 'no_server' : 'no_key', 'message' => __( 'The license token nears its expiry and cannot be refreshed automatically: paste a new token, or enter the license key.', 'aisle' ) );
		}
		try {
			$key   = (string) $this->secrets->reveal( 'license_key' );
			$token = \Aisle\License::activate( $server, $key, home_url(), 10000, self::public_key() );
			$key   = '';
			// Verified by activate() already; verify() again only to read it.
			\Aisle\License::verify( $token, home_url(), self::public_key() );
		} catch ( \Aisle\VaultException $e ) {
			return array( 'result' => 'failed', 'at' => $at, 'reason' => 'key_unreadable', 'message' => __( 'The saved license key cannot be decrypted (the encryption key changed). Enter it again.', 'aisle' ) );
		} catch ( \Aisle\Exception $e ) {
			// Old token kept: network trouble is bridged by grace; a refusal (revoked, expired)
			// lets the current token run out, as the vendor intends.
			return array( 'result' => 'failed', 'at' => $at, 'reason' => $e->reason(), 'message' => self::message( $e->reason() ) );
		}
		update_option( self::TOKEN_OPTION, $token, false );
		return array( 'result' => 'refreshed', 'at' => $at );
	}

	/**
	 * Frees this site's seat on the activation server (uninstall, or the store moves). Needs
	 * the stored key and a configured server; returns whether a seat was freed, or an error.
	 *
	 * @return bool|\WP_Error
	 */
	public function release_seat( int $timeout_ms = 5000 ) {
		if ( ! self::available() || ! method_exists( \Aisle\License::class, 'deactivate' ) ) {
			return self::unavailable();
		}
		$server = self::server_url();
		if ( '' === $server || ! $this->secrets->has( 'license_key' ) ) {
			return false;
		}
		try {
			$key   = (string) $this->secrets->reveal( 'license_key' );
			$freed = \Aisle\License::deactivate( $server, $key, home_url(), $timeout_ms );
			$key   = '';
		} catch ( \Aisle\Exception $e ) {
			return new \WP_Error( 'aisle_license_' . $e->reason(), self::message( $e->reason() ), array( 'status' => 400 ) );
		}
		delete_option( self::TOKEN_OPTION );
		delete_option( self::STATUS_OPTION );
		return $freed;
	}

	private function store_status( \Aisle\License $license, ?array $refresh = null ): array {
		$previous = get_option( self::STATUS_OPTION );
		$status   = array(
			'status'     => $license->status(),
			'license_id' => $license->licenseId(),
			'plan'       => $license->plan(),
			'site'       => $license->site(),
			'features'   => array_values( $license->features() ),
			'expires_at' => $license->expiresAt(),
			'checked_at' => time(),
		);
		// Present in newer extension builds; the UI shows them when there.
		if ( method_exists( $license, 'isDevelopment' ) ) {
			$status['development'] = $license->isDevelopment();
		}
		if ( method_exists( $license, 'graceEndsAt' ) ) {
			$status['grace_ends_at'] = $license->graceEndsAt();
		}
		// The last refresh attempt stays visible until the next one.
		if ( null !== $refresh ) {
			$status['refresh'] = $refresh;
		} elseif ( is_array( $previous ) && isset( $previous['refresh'] ) ) {
			$status['refresh'] = $previous['refresh'];
		}
		update_option( self::STATUS_OPTION, $status, false );
		return $this->status();
	}

	/** What GET aisle/v1/license returns. */
	public function status(): array {
		$stored = get_option( self::STATUS_OPTION );
		return array(
			'available'        => self::available(),
			'license'          => is_array( $stored ) ? $stored : null,
			'license_key'      => $this->secrets->describe( 'license_key' ),
			'development_site' => self::is_development_site(),
			'server'           => '' !== self::server_url(),
		);
	}

	/** Development copies (local hosts, non-production environment types) are flagged in the UI. */
	public static function is_development_site(): bool {
		$host = (string) wp_parse_url( home_url(), PHP_URL_HOST );
		return 'production' !== wp_get_environment_type()
			|| in_array( $host, array( 'localhost', '127.0.0.1', '::1' ), true )
			|| (bool) preg_match( '/\.(test|local|localhost|example|invalid)$/', $host );
	}

	public static function unavailable(): \WP_Error {
		return new \WP_Error( 'aisle_license_unavailable', __( 'This build of the aisle extension has no license support (Aisle\License is missing). Update the extension.', 'aisle' ), array( 'status' => 503 ) );
	}

	private static function message( string $reason ): string {
		$messages = array(
			'malformed'        => __( 'That is not a license token.', 'aisle' ),
			'bad_signature'    => __( 'The license token is not signed by Aisle.', 'aisle' ),
			'wrong_site'       => __( 'This license belongs to another site address.', 'aisle' ),
			'network'          => __( 'Could not reach the activation server. Check the connection and try again.', 'aisle' ),
			'timeout'          => __( 'The activation server did not answer in time. Try again.', 'aisle' ),
			'rejected'         => __( 'The activation server refused this license key.', 'aisle' ),
			'invalid_response' => __( 'The activation server sent an answer Aisle cannot read.', 'aisle' ),
			'bad_key'          => __( 'The license public key is invalid.', 'aisle' ),
		);
		return $messages[ $reason ] ?? __( 'The license could not be activated.', 'aisle' );
	}
}
