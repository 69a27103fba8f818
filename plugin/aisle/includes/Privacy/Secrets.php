<?php
/**
 * Write-only secrets: only Aisle\Vault envelopes reach wp_options. The Vault context (AAD) is the
 * option name and the site id, so an envelope copied to another option or another site of a
 * network does not open.
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

	/**
	 * The Vault context of a secret: its option name bound to this site. Sites of one network
	 * share their salts (and often the operator key); the site id in the AAD is what keeps site
	 * B from opening an envelope copied from site A.
	 */
	public static function context( string $option ): string {
		return $option . '|site:' . get_current_blog_id();
	}

	/**
	 * The stored envelope and its context, for the extension calls that open it themselves
	 * (AI client, Graph API). An envelope from before the site binding is re-sealed first.
	 *
	 * @return array{0: string, 1: string}
	 */
	public function sealed( string $field ): array {
		$option = self::FIELDS[ $field ];
		$this->bind_legacy( $option );
		return array( (string) get_option( $option, '' ), self::context( $option ) );
	}

	/**
	 * Migration: envelopes sealed before the site binding had the bare option name as context.
	 * Only the main site (the single site, or the one a single site became) can hold such an
	 * envelope, so only there is the bare context still accepted; it is re-sealed with the site
	 * context at once, and a later save seals with it anyway. Returns the plaintext when it did.
	 */
	private function bind_legacy( string $option ): ?string {
		$envelope = get_option( $option );
		if ( ! is_string( $envelope ) || ! is_main_site() ) {
			return null;
		}
		$opener = $this->opener( $envelope );
		try {
			$opener->decrypt( $envelope, self::context( $option ) );
			return null; // Already bound.
		} catch ( VaultException $e ) {
			try {
				$plain = $opener->decrypt( $envelope, $option );
			} catch ( VaultException $legacy ) {
				return null; // Neither: the caller reports it as unreadable.
			}
		}
		update_option( $option, $this->vault()->encrypt( $plain, self::context( $option ) ), false );
		return $plain;
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
		$envelope = $this->vault()->encrypt( $plain, self::context( $option ) );
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
		$option = self::FIELDS[ $field ];
		$plain  = $this->bind_legacy( $option );
		if ( null !== $plain ) {
			return $plain;
		}
		$envelope = get_option( $option );
		if ( ! is_string( $envelope ) ) {
			return null;
		}
		return $this->opener( $envelope )->decrypt( $envelope, self::context( $option ) );
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
			if ( null !== $this->bind_legacy( $option ) ) {
				$result['rotated'][] = $field;
				continue; // Re-sealed under the active key with the site context.
			}
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
					$sealed = $this->vault()->rotate( $envelope, self::context( $option ) );
				} else {
					$plain  = $opener->decrypt( $envelope, self::context( $option ) );
					$sealed = $this->vault()->encrypt( $plain, self::context( $option ) );
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
