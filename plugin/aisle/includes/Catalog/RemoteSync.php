<?php
/**
 * Optional push of catalog changes to a hosted backend (Settings "Remote sync").
 *
 * After every index build, CatalogSync hands over the snapshot file and the diff. Changed
 * products are normalized by Aisle\Catalog and cut into NDJSON payloads of at most
 * batch_bytes() by Catalog::batches(); deletions become `{"id":N,"deleted":true}` lines.
 * Each payload is a file in uploads/aisle/outbox/ (numbered, so they go out in order); the
 * "aisle_remote_push" job posts the oldest one and deletes it on a 2xx. Failures are retried
 * by Action Scheduler with exponential backoff, so a backend that is down loses nothing.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

use Aisle\Plugin\Installer;
use Aisle\Plugin\Privacy\Secrets;
use Aisle\Plugin\Settings;
use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class RemoteSync {

	public const STATE_OPTION = 'aisle_remote_state';
	public const HOOK         = 'aisle_remote_push';
	public const MAX_ATTEMPTS = 8;
	/** Rows read from the snapshot per Aisle\Catalog: keeps PHP memory flat at any size. */
	private const CHUNK = 500;

	public function __construct( private Settings $settings, private Secrets $secrets ) {}

	public function register(): void {
		add_action( self::HOOK, array( $this, 'push' ) );
	}

	public function configured(): bool {
		return '' !== (string) $this->settings->get( 'remote_endpoint' )
			&& $this->secrets->has( 'remote_consumer_key' )
			&& $this->secrets->has( 'remote_consumer_secret' );
	}

	public static function batch_bytes(): int {
		return max( 4096, (int) apply_filters( 'aisle_remote_batch_bytes', MB_IN_BYTES ) );
	}

	public static function outbox(): string {
		return Storage::dir() . '/outbox';
	}

	public function state(): array {
		$s = get_option( self::STATE_OPTION );
		return is_array( $s ) ? $s : array(
			'state'          => 'idle',
			'endpoint'       => null,
			'queued'         => 0,
			'sent'           => 0,
			'products_sent'  => 0,
			'deleted_sent'   => 0,
			'attempts'       => 0,
			'next_retry_at'  => null,
			'last_push_at'   => null,
			'last_error'     => null,
			'errors'         => array(),
		);
	}

	private function save( array $s ): void {
		update_option( self::STATE_OPTION, $s, false );
	}

	/** What GET aisle/v1/sync reports under "remote". */
	public function progress(): array {
		$s               = $this->state();
		$s['configured'] = $this->configured();
		$s['pending']    = count( self::files() );
		unset( $s['endpoint'] );
		return $s;
	}

	/** @return string[] Outbox files, oldest first. */
	private static function files(): array {
		$files = glob( self::outbox() . '/*.ndjson' );
		if ( ! $files ) {
			return array();
		}
		sort( $files, SORT_STRING );
		return $files;
	}

	/**
	 * Queues the changes of one index build. The first build after the endpoint was set (or
	 * changed) sends every product: the backend has none of them yet.
	 *
	 * @param string $snapshot NDJSON file the index was built from (adapter rows).
	 * @param int[]  $changed  Ids added or changed.
	 * @param int[]  $deleted  Ids gone from the catalog.
	 */
	public function enqueue( string $snapshot, array $changed, array $deleted, string $currency ): void {
		if ( ! $this->configured() ) {
			return;
		}
		$s        = $this->state();
		$endpoint = (string) $this->settings->get( 'remote_endpoint' );
		$all      = $s['endpoint'] !== $endpoint;
		if ( ! $all && ! $changed && ! $deleted ) {
			// Nothing new, but a push that gave up earlier gets another chance.
			if ( self::files() && 'failed' === $s['state'] ) {
				$s['attempts'] = 0;
				$s['state']    = 'pushing';
				$this->save( $s );
				as_enqueue_async_action( self::HOOK, array(), Installer::ACTION_GROUP );
			}
			return;
		}
		if ( $all ) {
			// A new backend: whatever was queued for the old one is moot.
			foreach ( self::files() as $file ) {
				wp_delete_file( $file );
			}
			$deleted = array();
		}
		wp_mkdir_p( self::outbox() );
		$seq  = $this->next_sequence();
		$want = $all ? null : array_flip( array_map( 'intval', $changed ) );
		$fh   = fopen( $snapshot, 'r' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$rows = array();
		while ( false !== ( $line = fgets( $fh ) ) ) { // phpcs:ignore
			if ( null !== $want && ( ! preg_match( '/^\{"id":(\d+)/', $line, $m ) || ! isset( $want[ (int) $m[1] ] ) ) ) {
				continue;
			}
			$row = json_decode( $line, true );
			if ( is_array( $row ) ) {
				$rows[] = $row;
			}
			if ( count( $rows ) >= self::CHUNK ) {
				$seq  = $this->write_batches( $rows, $seq, $currency );
				$rows = array();
			}
		}
		fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		if ( $rows ) {
			$seq = $this->write_batches( $rows, $seq, $currency );
		}
		foreach ( array_chunk( array_map( 'intval', $deleted ), 1000 ) as $ids ) {
			$body = '';
			foreach ( $ids as $id ) {
				$body .= '{"id":' . $id . ',"deleted":true}' . "\n";
			}
			self::write_file( $seq++, $body );
		}

		$s['endpoint']      = $endpoint;
		$s['state']         = 'pushing';
		$s['queued']        = count( self::files() );
		$s['attempts']      = 0;
		$s['next_retry_at'] = null;
		$this->save( $s );
		if ( ! as_has_scheduled_action( self::HOOK, null, Installer::ACTION_GROUP ) ) {
			as_enqueue_async_action( self::HOOK, array(), Installer::ACTION_GROUP );
		}
	}

	private function write_batches( array $rows, int $seq, string $currency ): int {
		$catalog = new \Aisle\Catalog( array( 'currency' => $currency ) );
		$catalog->addMany( $rows );
		foreach ( $catalog->batches( self::batch_bytes() ) as $payload ) {
			self::write_file( $seq++, $payload );
		}
		return $seq;
	}

	private static function write_file( int $seq, string $body ): void {
		file_put_contents( sprintf( '%s/%010d.ndjson', self::outbox(), $seq ), $body ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}

	private function next_sequence(): int {
		$files = self::files();
		return $files ? 1 + (int) basename( end( $files ), '.ndjson' ) : 1;
	}

	/** The job: posts the oldest payload; on success queues the next, on failure retries later. */
	public function push(): void {
		$files = self::files();
		$s     = $this->state();
		if ( ! $files ) {
			if ( 'pushing' === $s['state'] ) {
				$s['state'] = 'done';
				$this->save( $s );
			}
			return;
		}
		if ( ! $this->configured() ) {
			$s['state']      = 'failed';
			$s['last_error'] = __( 'Remote sync is no longer configured; the queued changes wait until it is.', 'aisle' );
			$this->save( $s );
			return;
		}
		$file = $files[0];
		$body = (string) file_get_contents( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$sent = $this->post( basename( $file, '.ndjson' ), $body );

		$s['last_push_at'] = time();
		if ( true === $sent ) {
			wp_delete_file( $file );
			$lines                = substr_count( $body, "\n" );
			$deletions            = substr_count( $body, '"deleted":true}' );
			$s['sent']           += 1;
			$s['products_sent']  += $lines - $deletions;
			$s['deleted_sent']   += $deletions;
			$s['attempts']        = 0;
			$s['next_retry_at']   = null;
			$s['last_error']      = null;
			$s['state']           = count( $files ) > 1 ? 'pushing' : 'done';
			$this->save( $s );
			if ( count( $files ) > 1 ) {
				as_enqueue_async_action( self::HOOK, array(), Installer::ACTION_GROUP );
			}
			return;
		}

		list( $message, $retry ) = $sent;
		++$s['attempts'];
		$s['last_error'] = $message;
		array_unshift( $s['errors'], array( 'at' => time(), 'batch' => basename( $file, '.ndjson' ), 'error' => $message ) );
		$s['errors'] = array_slice( $s['errors'], 0, 5 );
		if ( $retry && $s['attempts'] < self::MAX_ATTEMPTS ) {
			// 30 s, 1, 2, 4 … minutes, at most an hour: a backend restart or an outage is ridden out.
			$delay              = min( HOUR_IN_SECONDS, 30 * ( 2 ** ( $s['attempts'] - 1 ) ) );
			$s['state']         = 'retrying';
			$s['next_retry_at'] = time() + $delay;
			as_schedule_single_action( $s['next_retry_at'], self::HOOK, array(), Installer::ACTION_GROUP );
		} else {
			// Kept in the outbox: the next change (or "Sync now") starts pushing again.
			$s['state']         = 'failed';
			$s['next_retry_at'] = null;
		}
		$this->save( $s );
	}

	/**
	 * One POST. The consumer key and secret are decrypted here and nowhere else.
	 *
	 * @return true|array{0: string, 1: bool} True, or [error message, whether a retry may help].
	 */
	private function post( string $batch, string $body ) {
		try {
			$auth = base64_encode( $this->secrets->reveal( 'remote_consumer_key' ) . ':' . $this->secrets->reveal( 'remote_consumer_secret' ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions
		} catch ( \Aisle\VaultException $e ) {
			return array( __( 'The saved consumer key or secret cannot be decrypted (the encryption key changed). Enter them again.', 'aisle' ), false );
		}
		$response = wp_remote_post(
			(string) $this->settings->get( 'remote_endpoint' ),
			array(
				'timeout'     => (int) apply_filters( 'aisle_remote_timeout', 30 ),
				'redirection' => 0, // Credentials are not forwarded to wherever a redirect points.
				'sslverify'   => true,
				'headers'     => array(
					'Authorization' => 'Basic ' . $auth,
					'Content-Type'  => 'application/x-ndjson; charset=utf-8',
					'X-Aisle-Site'  => home_url(),
					'X-Aisle-Batch' => $batch,
				),
				'body'        => $body,
			)
		);
		$auth = '';
		if ( is_wp_error( $response ) ) {
			/* translators: %s: the HTTP client's error message */
			return array( sprintf( __( 'Could not reach the remote endpoint: %s', 'aisle' ), $response->get_error_message() ), true );
		}
		$code = (int) wp_remote_retrieve_response_code( $response );
		if ( $code >= 200 && $code < 300 ) {
			return true;
		}
		// 408, 429 and 5xx are worth another try; other answers (401, 404, 413…) need the admin.
		$retry = 408 === $code || 429 === $code || $code >= 500;
		return array(
			/* translators: %d: HTTP status code */
			sprintf( __( 'The remote endpoint answered HTTP %d.', 'aisle' ), $code ) . ( 401 === $code || 403 === $code ? ' ' . __( 'Check the consumer key and secret.', 'aisle' ) : '' ),
			$retry,
		);
	}

	/** Uninstall and an endpoint change clean up after themselves; this is for the former. */
	public static function forget(): void {
		Storage::remove_tree( self::outbox() );
		delete_option( self::STATE_OPTION );
	}
}
