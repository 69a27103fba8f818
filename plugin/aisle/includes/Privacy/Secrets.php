<?php
/**
 * Write-only secrets: only Aisle\Vault envelopes reach wp_options, the option name is the context.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Privacy;

use Aisle\Vault;
use Aisle\VaultException;

defined( 'ABSPATH' ) || exit;

final class Secrets {

	/** Field name (REST/settings) => option name (also the Vault context). */
	public const FIELDS = array(
		'ai_api_key'             => 'aisle_ai_api_key',
		'license_key'            => 'aisle_license_key',
		'remote_consumer_key'    => 'aisle_remote_consumer_key',
		'remote_consumer_secret' => 'aisle_remote_consumer_secret',
		'handoff_webhook_url'    => 'aisle_handoff_webhook_url', // Chat\HandoffNotifier: a Slack-style incoming webhook holds its own secret.
	) + \Aisle\Plugin\Channels\Config::SECRET_FIELDS; // Channel tokens, app secrets and verify tokens.

	private ?Vault $vault = null;

	/**
	 * The key source: an operator-managed key (AISLE_MASTER_KEY or aisle.key_file) when present,
	 * else one derived from the site's salts. README "Secrets" explains the trade-off.
	 */
	public function vault(): Vault {
		if ( null === $this->vault ) {
			$this->vault = self::key_source() === 'environment'
				? Vault::fromEnvironment()
				: Vault::fromSecret( AUTH_KEY . SECURE_AUTH_KEY );
		}
		return $this->vault;
	}

	public static function key_source(): string {
		$env = getenv( 'AISLE_MASTER_KEY' );
		return ( is_string( $env ) && '' !== $env ) || '' !== (string) ini_get( 'aisle.key_file' ) ? 'environment' : 'wordpress-salts';
	}

	/** Encrypts and stores; an empty value deletes the secret. */
	public function save( string $field, string $plain ): void {
		$option = self::FIELDS[ $field ];
		if ( '' === $plain ) {
			delete_option( $option );
			return;
		}
		// autoload off: secrets are needed only by admin requests and background jobs.
		$envelope = $this->vault()->encrypt( $plain, $option );
		if ( false === get_option( $option ) ) {
			add_option( $option, $envelope, '', false );
		} else {
			update_option( $option, $envelope, false );
		}
	}

	public function has( string $field ): bool {
		return is_string( get_option( self::FIELDS[ $field ] ) );
	}

	/** Plaintext for the moment of use (license activation, remote push). Never log or echo it. */
	public function reveal( string $field ): ?string {
		$envelope = get_option( self::FIELDS[ $field ] );
		if ( ! is_string( $envelope ) ) {
			return null;
		}
		return $this->opener( $envelope )->decrypt( $envelope, self::FIELDS[ $field ] );
	}

	/**
	 * The vault that can open an envelope. After moving from the salt-derived key to an
	 * operator key, envelopes sealed under key id "wp" still open with the salts until
	 * rotate_all() re-seals them.
	 */
	private function opener( string $envelope ): Vault {
		$parts = explode( ':', $envelope, 4 );
		$id    = $parts[2] ?? '';
		if ( 'environment' === self::key_source() && 'wp' === $id && ! in_array( 'wp', $this->vault()->keyIds(), true ) ) {
			return Vault::fromSecret( AUTH_KEY . SECURE_AUTH_KEY );
		}
		return $this->vault();
	}

	/**
	 * What the page may show about a secret: saved or not, its last four characters, and
	 * 'unreadable' when the vault key changed since it was saved.
	 *
	 * @return array{saved: bool, ends_with: ?string, readable: bool}
	 */
	public function describe( string $field ): array {
		if ( ! $this->has( $field ) ) {
			return array( 'saved' => false, 'ends_with' => null, 'readable' => true );
		}
		try {
			$plain = (string) $this->reveal( $field );
			$tail  = strlen( $plain ) >= 8 ? substr( $plain, -4 ) : null; // Short secrets: showing 4 chars would show too much.
			$plain = '';
			return array( 'saved' => true, 'ends_with' => $tail, 'readable' => true );
		} catch ( VaultException $e ) {
			return array( 'saved' => true, 'ends_with' => null, 'readable' => false );
		}
	}

	/**
	 * Re-encrypts every stored secret under the vault's active key. Verifies each one first, so a
	 * secret that cannot be opened is reported and left untouched, never lost.
	 *
	 * @return array{rotated: string[], current: string[], failed: array<string,string>}
	 */
	public function rotate_all(): array {
		$result = array( 'rotated' => array(), 'current' => array(), 'failed' => array() );
		foreach ( self::FIELDS as $field => $option ) {
			$envelope = get_option( $option );
			if ( ! is_string( $envelope ) ) {
				continue;
			}
			try {
				if ( ! $this->vault()->needsRotation( $envelope ) ) {
					$result['current'][] = $field;
					continue;
				}
				$opener = $this->opener( $envelope );
				if ( $opener === $this->vault() ) {
					$sealed = $this->vault()->rotate( $envelope, $option );
				} else {
					$plain  = $opener->decrypt( $envelope, $option );
					$sealed = $this->vault()->encrypt( $plain, $option );
					$plain  = '';
				}
				update_option( $option, $sealed, false );
				$result['rotated'][] = $field;
			} catch ( VaultException $e ) {
				$result['failed'][ $field ] = $e->reason();
			}
		}
		return $result;
	}
}
