<?php
/**
 * The node's catalog index folders, and keeping them in step with the catalog.
 *
 * Layout under base(): `index-<generation>/` folders (each an Aisle\CatalogIndex directory) and
 * `index.current`, a small file naming the live generation, replaced by rename(). Readers resolve
 * the pointer and open that folder, so there is never a moment without an index: a process killed
 * anywhere in a build leaves the previous generation live. A build happens in a hidden
 * `.build-*` folder that is renamed into place only when complete.
 *
 * The catalog's generation is recorded in the database (GENERATION_OPTION) once its snapshot
 * (uploads/aisle/catalog.ndjson) is in place. A node whose pointer names another generation, or
 * whose index is missing or does not open, answers from what it has and rebuilds its own index
 * from the snapshot after the response (catch_up()), one worker per node (a local flock). That is
 * how a second web node with its own local index follows a sync run on the first, and how a
 * corrupted or deleted index heals itself.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

use Aisle\Plugin\Chat\Assistant;
use Aisle\Plugin\Settings;
use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class IndexStore {

	public const GENERATION_OPTION = 'aisle_index_generation';
	private const POINTER          = 'index.current';
	private const PREFIX           = 'index-';
	private const LOCK_FILE        = 'index.lock';
	private const FAILED_FILE      = 'index.failed';
	/** A catch-up that failed (disk full, unreadable snapshot) is not retried on this node for this long. */
	private const RETRY_AFTER = 60;

	private static bool $catch_up_queued = false;

	/**
	 * The folder holding the index generations: AISLE_INDEX_DIR (wp-config; a node-local path when
	 * several web nodes share uploads), else uploads/aisle. On a network each site has its own.
	 */
	public static function base(): string {
		if ( defined( 'AISLE_INDEX_DIR' ) && '' !== (string) AISLE_INDEX_DIR ) {
			$base = untrailingslashit( (string) AISLE_INDEX_DIR );
			if ( is_multisite() ) {
				$base .= '/site-' . get_current_blog_id();
			}
		} else {
			$base = Storage::dir();
		}
		return untrailingslashit( (string) apply_filters( 'aisle_index_dir', $base ) );
	}

	/** The base folder, created (with the deny rules when it is under uploads). */
	public static function ensure_base(): string {
		$base = self::base();
		if ( Storage::dir() === $base ) {
			Storage::ensure_dir();
		} elseif ( ! is_dir( $base ) ) {
			wp_mkdir_p( $base );
		}
		return $base;
	}

	/** The generation index.current names on this node, null when there is none. */
	public static function current(): ?string {
		$file = self::base() . '/' . self::POINTER;
		if ( ! is_file( $file ) ) {
			return null;
		}
		$name = trim( (string) file_get_contents( $file ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		return self::valid( $name ) ? $name : null;
	}

	/** The live index folder: the pointer's, else the single `index/` of installs before generations. */
	public static function live_dir(): ?string {
		return self::dir_of( self::current() );
	}

	private static function dir_of( ?string $current ): ?string {
		if ( null !== $current ) {
			$dir = self::base() . '/' . self::PREFIX . $current;
			return is_dir( $dir ) ? $dir : null;
		}
		$legacy = Storage::dir() . '/index';
		return is_dir( $legacy ) ? $legacy : null;
	}

	/**
	 * @return array{generation: string, products: int, built_at: int}|null The catalog's generation
	 *   as recorded by the last sync. $fresh reads the database, not the object cache.
	 */
	public static function recorded( bool $fresh = false ): ?array {
		if ( $fresh ) {
			global $wpdb;
			$raw   = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::GENERATION_OPTION ) );
			$value = is_string( $raw ) ? maybe_unserialize( $raw ) : null;
		} else {
			$value = get_option( self::GENERATION_OPTION );
		}
		return is_array( $value ) && self::valid( (string) ( $value['generation'] ?? '' ) ) ? $value : null;
	}

	/** Written after the snapshot is in place: from then on every node can build this generation. */
	public static function record( string $generation, int $products ): void {
		update_option(
			self::GENERATION_OPTION,
			array(
				'generation' => $generation,
				'products'   => $products,
				'built_at'   => time(),
			),
			true
		);
	}

	public static function new_generation(): string {
		return gmdate( 'YmdHis' ) . '-' . bin2hex( random_bytes( 4 ) );
	}

	/**
	 * The live index, or null (none yet, deleted, corrupted): the caller falls back. When this node
	 * is behind the recorded generation or its index is broken, a rebuild is queued for after the
	 * response.
	 */
	public static function open(): ?\Aisle\CatalogIndex {
		if ( ! class_exists( \Aisle\CatalogIndex::class ) ) {
			return null;
		}
		$recorded = self::recorded();
		$current  = self::current();
		if ( null !== $recorded && $current !== $recorded['generation'] ) {
			self::queue_catch_up();
		}
		$dir = self::dir_of( $current );
		if ( null === $dir ) {
			if ( null !== $recorded ) {
				self::queue_catch_up();
			}
			return null;
		}
		try {
			return \Aisle\CatalogIndex::open( $dir );
		} catch ( \Aisle\Exception $e ) {
			if ( null !== $recorded ) {
				self::queue_catch_up();
			}
			return null;
		}
	}

	/**
	 * The analysis the index is built with, the same for a sync and a catch-up: the catalog's
	 * language (stemming, the shop vocabulary of that language) and the merchant's synonyms.
	 */
	public static function analysis(): array {
		return array(
			'language' => Assistant::catalog_language() ?: 'en',
			'synonyms' => CatalogSync::synonym_groups( (string) ( new Settings() )->get( 'synonyms' ) ),
		);
	}

	/**
	 * Writes $catalog as generation $generation (not yet live): built in a hidden folder, renamed
	 * into place when complete. $meanwhile runs while the index is written on a thread of the
	 * extension's own (the second core); the catalog is only read meanwhile. On failure nothing is
	 * left behind and the first exception propagates.
	 */
	public static function write( \Aisle\Catalog $catalog, string $generation, ?callable $meanwhile = null ): string {
		$base  = self::ensure_base();
		$build = $base . '/.build-' . $generation . '-' . getmypid();
		$dir   = $base . '/' . self::PREFIX . $generation;
		Storage::remove_tree( $build );
		$options = self::analysis();
		// An extension without waitIndex() writes the index here and now, before $meanwhile.
		$background = null !== $meanwhile && method_exists( $catalog, 'waitIndex' ) ? array( 'background' => true ) : array();
		try {
			try {
				$catalog->writeIndex( $build, $options + $background );
			} catch ( \Aisle\CatalogException $e ) {
				// A language the extension does not know falls back to its default rather than failing.
				if ( 'invalid_argument' !== $e->reason() ) {
					throw $e;
				}
				Storage::remove_tree( $build );
				$catalog->writeIndex( $build, array( 'synonyms' => $options['synonyms'] ) + $background );
			}
			if ( null !== $meanwhile ) {
				try {
					$meanwhile();
				} catch ( \Throwable $e ) {
					self::wait( $catalog, $background, true );
					throw $e;
				}
			}
			self::wait( $catalog, $background, false );
			// A folder of the same generation (a corrupted one being healed) is moved aside first.
			if ( is_dir( $dir ) ) {
				$trash = $base . '/.trash-' . $generation . '-' . getmypid();
				Storage::remove_tree( $trash );
				self::rename( $dir, $trash );
				Storage::remove_tree( $trash );
			}
			self::rename( $build, $dir );
		} catch ( \Throwable $e ) {
			Storage::remove_tree( $build );
			throw $e;
		}
		return $dir;
	}

	/** Waits for a background index write; $quiet: another error is already on its way. */
	private static function wait( \Aisle\Catalog $catalog, array $background, bool $quiet ): void {
		if ( ! $background ) {
			return;
		}
		try {
			$catalog->waitIndex();
		} catch ( \Aisle\Exception $e ) {
			if ( ! $quiet ) {
				throw $e;
			}
		}
	}

	/**
	 * Makes $generation live: index.current is replaced by rename(), atomic on POSIX, so a reader
	 * sees the old pointer or the new one. Then the generations before the previous one go. The
	 * previous one stays until the next flip, for a reader that read the old pointer a moment ago;
	 * workers that already opened an older one keep reading their open files (POSIX unlink).
	 */
	public static function flip( string $generation ): void {
		$base = self::base();
		if ( ! self::valid( $generation ) || ! is_dir( $base . '/' . self::PREFIX . $generation ) ) {
			throw new \RuntimeException( sprintf( 'index generation %s is not on disk', $generation ) );
		}
		$previous = self::current();
		$tmp      = $base . '/.' . self::POINTER . '-' . getmypid();
		if ( strlen( $generation ) !== self::put( $tmp, $generation ) ) {
			wp_delete_file( $tmp );
			throw new \RuntimeException( sprintf( 'cannot write %s: %s', $tmp, self::last_error() ) );
		}
		/**
		 * Fires between writing the new pointer and putting it in place (tests stop a process here).
		 *
		 * @param string $generation The generation about to go live.
		 */
		do_action( 'aisle_index_swap', $generation );
		self::rename( $tmp, $base . '/' . self::POINTER );
		wp_delete_file( $base . '/' . self::FAILED_FILE );
		self::cleanup( $base, $generation, $previous );
	}

	/** Everything but the live and the previous generation; only called under the node lock. */
	private static function cleanup( string $base, string $current, ?string $previous ): void {
		foreach ( (array) scandir( $base ) as $entry ) {
			$entry = (string) $entry;
			$keep  = in_array( $entry, array( self::PREFIX . $current, self::PREFIX . $previous ), true );
			$stale = ( str_starts_with( $entry, self::PREFIX ) && is_dir( "$base/$entry" ) && ! $keep )
				|| str_starts_with( $entry, '.build-' ) || str_starts_with( $entry, '.trash-' )
				|| str_starts_with( $entry, '.' . self::POINTER . '-' ); // A pointer written by a process killed before its rename.
			if ( $stale ) {
				Storage::remove_tree( "$base/$entry" );
			}
		}
		// The single folder of earlier versions (always under uploads/aisle), now replaced.
		foreach ( array( 'index', 'index.new', 'index.old' ) as $legacy ) {
			Storage::remove_tree( Storage::dir() . '/' . $legacy );
		}
	}

	/**
	 * The node lock: one builder per node (a sync or a catch-up). flock is released by the kernel
	 * when its holder dies, so a killed worker never leaves it held.
	 *
	 * @return resource|null The lock's handle, null when $wait is false and another process holds it.
	 */
	public static function lock( bool $wait = true ) {
		$base = self::ensure_base();
		$fh   = is_dir( $base ) && is_writable( $base ) ? fopen( $base . '/' . self::LOCK_FILE, 'c' ) : false; // phpcs:ignore WordPress.WP.AlternativeFunctions
		if ( false === $fh ) {
			return null;
		}
		if ( ! flock( $fh, $wait ? LOCK_EX : LOCK_EX | LOCK_NB ) ) {
			fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			return null;
		}
		return $fh;
	}

	/** @param resource|null $fh */
	public static function unlock( $fh ): void {
		if ( is_resource( $fh ) ) {
			flock( $fh, LOCK_UN );
			fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		}
	}

	/** Once per request: the rebuild runs after the response has been sent. */
	private static function queue_catch_up(): void {
		if ( self::$catch_up_queued ) {
			return;
		}
		self::$catch_up_queued = true;
		register_shutdown_function(
			static function (): void {
				if ( function_exists( 'fastcgi_finish_request' ) ) {
					fastcgi_finish_request();
				}
				// The visitor has the answer; a large catalog may take longer than a request's limit.
				ignore_user_abort( true );
				if ( function_exists( 'set_time_limit' ) ) {
					set_time_limit( 300 );
				}
				self::catch_up();
			}
		);
	}

	/**
	 * Brings this node's index to the recorded generation: the folder of that generation when it
	 * is already here and opens (a sync killed before its flip), else a rebuild from the snapshot.
	 * Returns whether the live index changed. Safe to call any time: it does nothing when the node
	 * is up to date, when another worker of the node is at it, or for a minute after a failure.
	 */
	public static function catch_up(): bool {
		$snapshot = CatalogSync::snapshot_file();
		if ( ! class_exists( \Aisle\Catalog::class ) || ! is_file( $snapshot ) ) {
			return false;
		}
		$failed = self::base() . '/' . self::FAILED_FILE;
		if ( is_file( $failed ) && time() - (int) filemtime( $failed ) < self::RETRY_AFTER ) {
			return false;
		}
		$lock = self::lock( false );
		if ( null === $lock ) {
			return false;
		}
		try {
			$recorded = self::recorded( true );
			if ( null === $recorded || ! self::behind( $recorded['generation'] ) ) {
				return false;
			}
			$generation = $recorded['generation'];
			if ( self::current() !== $generation && self::opens( self::base() . '/' . self::PREFIX . $generation ) ) {
				self::flip( $generation );
				return true;
			}
			// Marked first: a worker that dies mid-build (fatal, OOM, kill) is not followed by one
			// rebuild per request; flip() clears the mark.
			self::put( $failed, 'building since ' . gmdate( 'c' ) );
			self::write( CatalogSync::read_catalog( $snapshot ), $generation );
			self::flip( $generation );
			return true;
		} catch ( \Aisle\Exception | \RuntimeException $e ) {
			// Left for a later request; meanwhile readers use what they have (or the fallback).
			self::put( $failed, $e->getMessage() );
			return false;
		} finally {
			self::unlock( $lock );
		}
	}

	/** Whether this node's index is not the recorded generation, or is missing or does not open. */
	private static function behind( string $generation ): bool {
		if ( self::current() !== $generation ) {
			return true;
		}
		$dir = self::live_dir();
		return null === $dir || ! self::opens( $dir );
	}

	private static function opens( string $dir ): bool {
		if ( ! is_dir( $dir ) ) {
			return false;
		}
		try {
			\Aisle\CatalogIndex::open( $dir );
			return true;
		} catch ( \Aisle\Exception $e ) {
			return false;
		}
	}

	private static function valid( string $generation ): bool {
		return (bool) preg_match( '/^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/', $generation );
	}

	/** Bytes written; a full disk is an answer here, not a PHP warning in the log. */
	private static function put( string $file, string $data ): int {
		error_clear_last();
		return (int) @file_put_contents( $file, $data ); // phpcs:ignore WordPress.PHP.NoSilencedErrors, WordPress.WP.AlternativeFunctions
	}

	private static function rename( string $from, string $to ): void {
		error_clear_last();
		if ( ! @rename( $from, $to ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors, WordPress.WP.AlternativeFunctions
			throw new \RuntimeException( sprintf( 'cannot rename %s to %s: %s', $from, $to, self::last_error() ) );
		}
	}

	/** The reason of the last failed file call, e.g. "No space left on device". */
	public static function last_error(): string {
		$e = error_get_last();
		return is_array( $e ) ? preg_replace( '/^[a-z_]+\([^)]*\): /', '', (string) $e['message'] ) : 'unknown error';
	}
}
