<?php
/**
 * Catalog sync as Action Scheduler jobs.
 *
 * Full sync: "aisle_sync_batch" jobs read BATCH_SIZE products at a time through the adapter, for
 * up to JOB_SECONDS a job, and append them to a staging file (the cursor and the file length are
 * saved after each batch, so a job that dies is resumed from the last finished batch). "aisle_sync_finish" feeds the staged
 * rows to Aisle\Catalog in chunks, diffs against the stored hashes, writes a new index generation
 * (IndexStore) and makes it live. The staged file becomes the snapshot a delta, or another web
 * node catching up, rebuilds from.
 * Deltas: product hooks collect ids; "aisle_sync_delta" re-reads just those ids.
 * One lock (a row in wp_options inserted atomically) keeps jobs from overlapping.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Catalog;

use Aisle\Plugin\Installer;
use Aisle\Plugin\Knowledge\StoreFacts;
use Aisle\Plugin\Privacy\Secrets;
use Aisle\Plugin\Settings;
use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class CatalogSync {

	public const STATE_OPTION   = 'aisle_sync_state';
	public const LOCK_OPTION    = 'aisle_sync_lock';
	public const PENDING_OPTION = 'aisle_sync_pending';
	public const BATCH_SIZE     = 500;
	/** A job holding the lock longer than this is presumed dead. */
	public const LOCK_TTL       = 600;
	/** A batch job keeps reading batches for up to this many seconds (filter aisle_sync_job_seconds). */
	public const JOB_SECONDS    = 2;
	/** A run with no finished step for this many seconds is advanced by the progress request itself. */
	public const STALL_AFTER    = 2;
	private const MAX_ERRORS    = 20;

	/** The lock row this request wrote, while it holds the lock. */
	private ?string $lock_token = null;

	private bool $shutdown_unlock = false;

	/** @var array<int, int[]> cursor => the ids after it, read ahead by the batch that ended there, in this job. */
	private array $following = array();

	/** @var int[] Product ids changed during this request; queued once, at shutdown. */
	private array $changed = array();

	private RemoteSync $remote;

	public function __construct( private WooAdapter $adapter, private Settings $settings, private StoreFacts $facts, ?RemoteSync $remote = null ) {
		$this->remote = $remote ?? new RemoteSync( $settings, new Secrets() );
	}

	public static function available(): bool {
		return class_exists( \Aisle\Catalog::class ) && function_exists( 'as_enqueue_async_action' );
	}

	public function register(): void {
		add_action( 'aisle_sync_batch', array( $this, 'run_batch' ) );
		add_action( 'aisle_sync_finish', array( $this, 'run_finish' ) );
		add_action( 'aisle_sync_delta', array( $this, 'run_delta' ) );
		$this->remote->register();

		// WooCommerce's product hooks (data store) plus core post hooks for trash/delete.
		foreach ( array( 'woocommerce_new_product', 'woocommerce_update_product', 'woocommerce_delete_product', 'woocommerce_trash_product' ) as $hook ) {
			add_action( $hook, array( $this, 'product_changed' ) );
		}
		foreach ( array( 'woocommerce_new_product_variation', 'woocommerce_update_product_variation', 'woocommerce_delete_product_variation' ) as $hook ) {
			add_action( $hook, array( $this, 'variation_changed' ) );
		}
		add_action( 'woocommerce_product_set_stock', array( $this, 'product_object_changed' ) );
		add_action( 'woocommerce_variation_set_stock', array( $this, 'product_object_changed' ) );
		add_action( 'woocommerce_product_set_stock_status', array( $this, 'product_changed' ) );
		add_action( 'woocommerce_variation_set_stock_status', array( $this, 'variation_changed' ) );
		// Core post hooks catch what bypasses WooCommerce's data store (wp_trash_post(),
		// wp_delete_post() from other plugins or WP-CLI). before_delete_post, not deleted_post:
		// afterwards the post type, needed to tell products apart, can no longer be read.
		foreach ( array( 'wp_trash_post', 'trashed_post', 'untrashed_post', 'before_delete_post' ) as $hook ) {
			add_action( $hook, array( $this, 'post_changed' ) );
		}
		// Price and stock written straight to post meta (importers, bulk editors, scheduled sales
		// in older WooCommerce) fire no product hook.
		foreach ( array( 'added_post_meta', 'updated_post_meta', 'deleted_post_meta' ) as $hook ) {
			add_action( $hook, array( $this, 'meta_changed' ), 10, 3 );
		}
	}

	// ---- hooks --------------------------------------------------------------------------------

	public function product_changed( $id ): void {
		$this->queue( (int) $id );
	}

	public function variation_changed( $id ): void {
		$this->queue( (int) wp_get_post_parent_id( (int) $id ) );
	}

	public function product_object_changed( $product ): void {
		if ( is_object( $product ) && method_exists( $product, 'get_id' ) ) {
			$parent = method_exists( $product, 'get_parent_id' ) ? (int) $product->get_parent_id() : 0;
			$this->queue( $parent ?: (int) $product->get_id() );
		}
	}

	public function post_changed( $post_id ): void {
		$type = get_post_type( (int) $post_id );
		if ( 'product' === $type ) {
			$this->queue( (int) $post_id );
		} elseif ( 'product_variation' === $type ) {
			$this->variation_changed( $post_id );
		}
	}

	public function meta_changed( $meta_ids, $object_id, $meta_key ): void {
		if ( in_array( $meta_key, array( '_price', '_regular_price', '_sale_price', '_stock', '_stock_status' ), true ) ) {
			$this->post_changed( $object_id );
		}
	}

	private function queue( int $id ): void {
		if ( $id <= 0 ) {
			return;
		}
		if ( ! $this->changed ) {
			add_action( 'shutdown', array( $this, 'flush_queue' ) );
		}
		$this->changed[ $id ] = $id;
	}

	/** One option write and at most one job per request, however many products changed. */
	public function flush_queue(): void {
		if ( ! $this->changed || ! self::available() ) {
			return;
		}
		$pending = array_map( 'intval', (array) get_option( self::PENDING_OPTION, array() ) );
		update_option( self::PENDING_OPTION, array_values( array_unique( array_merge( $pending, array_values( $this->changed ) ) ) ), false );
		$this->changed = array();
		// One job due now is enough. A delta put off while a full sync ran (or one already running,
		// which has read the pending ids before these) would leave this edit waiting: queue one.
		$next = as_next_scheduled_action( 'aisle_sync_delta', array(), Installer::ACTION_GROUP );
		if ( ! is_int( $next ) || $next > time() ) {
			as_enqueue_async_action( 'aisle_sync_delta', array(), Installer::ACTION_GROUP );
		}
	}

	// ---- state --------------------------------------------------------------------------------

	public function state(): array {
		$state = get_option( self::STATE_OPTION );
		return is_array( $state ) ? $state : array( 'state' => 'never', 'done' => 0, 'total' => 0, 'errors' => array(), 'error_count' => 0, 'started_at' => null, 'finished_at' => null );
	}

	private function save_state( array $state ): void {
		$state['updated_at'] = time();
		update_option( self::STATE_OPTION, $state, false );
	}

	/** What GET aisle/v1/sync returns. */
	public function progress(): array {
		$this->advance_if_stalled();
		$this->resume_if_stalled();
		$s    = $this->state();
		$busy = in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true );
		[ $rate, $eta ] = $busy ? self::throughput( $s ) : array( null, null );
		return array(
			'available'   => self::available(),
			'state'       => $s['state'],
			'busy'        => $busy,
			'done'        => (int) $s['done'],
			'total'       => (int) $s['total'],
			'errors'      => array_slice( (array) $s['errors'], 0, 5 ),
			'error_count' => (int) $s['error_count'],
			'eta_seconds' => $eta,
			'throughput'  => $rate,
			'started_at'  => $s['started_at'],
			'finished_at' => $s['finished_at'],
			'result'      => $s['result'] ?? null,
			'last_delta'  => $s['last_delta'] ?? null,
			'pending'     => count( (array) get_option( self::PENDING_OPTION, array() ) ),
			'facts'       => null !== $this->facts->get(),
			'remote'      => $this->remote->progress(),
		);
	}

	/**
	 * Products read per second, measured over the run's last few finished batches up to now (so
	 * a stall shows as a growing estimate, not a frozen one), and the seconds left at that rate.
	 * Null until one batch has finished: nothing has been measured yet.
	 *
	 * @return array{0: ?float, 1: ?int}
	 */
	private static function throughput( array $s ): array {
		$points = (array) ( $s['marks'] ?? array() );
		if ( count( $points ) < 2 || 'running' !== $s['state'] ) {
			return array( null, null );
		}
		$first   = $points[0];
		$last    = $points[ count( $points ) - 1 ];
		$elapsed = max( 0.001, microtime( true ) - (float) $first[0] );
		$rate    = ( (int) $last[1] - (int) $first[1] ) / $elapsed;
		if ( $rate <= 0 ) {
			return array( null, null );
		}
		return array( round( $rate, 1 ), (int) ceil( max( 0, (int) $s['total'] - (int) $s['done'] ) / $rate ) );
	}

	private function options(): array {
		return array(
			'include_out_of_stock' => (bool) $this->settings->get( 'include_out_of_stock' ),
			'include_hidden'       => (bool) $this->settings->get( 'include_hidden' ),
		);
	}

	private static function batch_size(): int {
		return max( 1, (int) apply_filters( 'aisle_sync_batch_size', self::BATCH_SIZE ) );
	}

	private static function staging_file(): string {
		return Storage::dir() . '/catalog.ndjson.partial';
	}

	/** The snapshot of the last sync: adapter rows, one product a line (Feeds\Generator and IndexStore::catch_up read it too). */
	public static function snapshot_file(): string {
		return Storage::dir() . '/catalog.ndjson';
	}

	/** The live index folder (IndexStore: the generation index.current names). */
	public static function index_dir(): string {
		return IndexStore::live_dir() ?? IndexStore::base() . '/index';
	}

	// ---- full sync ----------------------------------------------------------------------------

	/** @return array|\WP_Error The progress, or why it cannot start. */
	public function start() {
		if ( ! self::available() ) {
			return self::unavailable();
		}
		$s = $this->state();
		if ( in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
			return new \WP_Error( 'aisle_sync_running', __( 'A sync is already running. Its progress is shown below.', 'aisle' ), array( 'status' => 409 ) );
		}
		Storage::ensure_dir();
		file_put_contents( self::staging_file(), '' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$this->save_state(
			array(
				'state'       => 'queued',
				'run_id'      => wp_generate_uuid4(),
				'done'        => 0,
				'total'       => $this->adapter->count_products( $this->options() ),
				'cursor'      => 0,
				'staged'      => 0,
				'errors'      => array(),
				'error_count' => 0,
				'started_at'  => time(),
				'finished_at' => null,
				'result'      => $s['result'] ?? null,
				'last_delta'  => $s['last_delta'] ?? null,
			)
		);
		// Products changed before the full read are covered by it (and given back if it is cancelled).
		$state                   = $this->state();
		$state['pending_before'] = array_map( 'intval', (array) get_option( self::PENDING_OPTION, array() ) );
		$state['marks']          = array( array( microtime( true ), 0 ) );
		$this->save_state( $state );
		delete_option( self::PENDING_OPTION );
		// The first batch runs in this request, so progress shows at once whatever runs the queue
		// (WP-Cron, a loopback, nothing); it queues the next one. Bounded: one batch.
		if ( ! $this->batch( $state['run_id'], true ) ) {
			$this->enqueue_once( 'aisle_sync_batch', $state['run_id'] );
		}
		return $this->progress();
	}

	/**
	 * Stops the run: its jobs are unscheduled, the staged rows dropped, the index and hashes of the
	 * last finished sync kept, and the product edits it had taken over queued again as a delta.
	 *
	 * @return array|\WP_Error
	 */
	public function cancel() {
		$s = $this->state();
		if ( ! in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
			return new \WP_Error( 'aisle_sync_not_running', __( 'No sync is running.', 'aisle' ), array( 'status' => 409 ) );
		}
		// A batch in progress holds the lock for a second or two: wait for it rather than racing it.
		$locked = false;
		for ( $i = 0; $i < 40 && ! ( $locked = $this->lock() ); $i++ ) { // phpcs:ignore
			usleep( 250000 );
		}
		if ( ! $locked ) {
			return new \WP_Error( 'aisle_sync_busy', __( 'The sync is writing the index and cannot be stopped right now. Try again in a moment.', 'aisle' ), array( 'status' => 409 ) );
		}
		try {
			$s = $this->fresh_state();
			if ( ! in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
				return $this->progress();
			}
			foreach ( array( 'aisle_sync_batch', 'aisle_sync_finish' ) as $hook ) {
				as_unschedule_all_actions( $hook, array( $s['run_id'] ), Installer::ACTION_GROUP );
			}
			if ( is_file( self::staging_file() ) ) {
				unlink( self::staging_file() ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			}
			$s['state']       = 'cancelled';
			$s['finished_at'] = time();
			$back             = (array) ( $s['pending_before'] ?? array() );
			unset( $s['pending_before'], $s['marks'] );
			$this->save_state( $s );
			if ( $back ) {
				$pending = array_map( 'intval', (array) get_option( self::PENDING_OPTION, array() ) );
				update_option( self::PENDING_OPTION, array_values( array_unique( array_merge( $pending, $back ) ) ), false );
			}
			if ( get_option( self::PENDING_OPTION ) ) {
				as_enqueue_async_action( 'aisle_sync_delta', array(), Installer::ACTION_GROUP );
			}
		} finally {
			$this->unlock();
		}
		return $this->progress();
	}

	/** The state as in the database now (another request may have changed it since this one read it). */
	private function fresh_state(): array {
		wp_cache_delete( self::STATE_OPTION, 'options' );
		return $this->state();
	}

	/** Queues $hook for the run unless one is already waiting: one chain of jobs per run. */
	private function enqueue_once( string $hook, string $run_id, int $delay = 0 ): void {
		$waiting = as_get_scheduled_actions(
			array( 'hook' => $hook, 'args' => array( $run_id ), 'group' => Installer::ACTION_GROUP, 'status' => \ActionScheduler_Store::STATUS_PENDING, 'per_page' => 1 ),
			'ids'
		);
		if ( $waiting ) {
			return;
		}
		if ( $delay > 0 ) {
			as_schedule_single_action( time() + $delay, $hook, array( $run_id ), Installer::ACTION_GROUP );
		} else {
			as_enqueue_async_action( $hook, array( $run_id ), Installer::ACTION_GROUP );
		}
	}

	/**
	 * A run nobody is moving (no WP-Cron, no loopback, no other admin request: the store has no
	 * traffic) is moved by the admin's progress poll: one step in this request, when no step has
	 * finished for STALL_AFTER seconds and no worker holds the lock.
	 */
	private function advance_if_stalled(): void {
		$s = $this->state();
		if ( ! self::available() || ! in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
			return;
		}
		if ( time() - (int) ( $s['updated_at'] ?? 0 ) < (int) apply_filters( 'aisle_sync_stall_after', self::STALL_AFTER ) ) {
			return;
		}
		// "indexing" with the lock free: the worker building the index died (a live one holds the lock).
		if ( 'indexing' === $s['state'] || 'finish' === ( $s['next'] ?? 'batch' ) ) {
			$this->finish( $s['run_id'], true );
		} else {
			$this->batch( $s['run_id'], true );
		}
	}

	public function run_batch( $run_id = '' ): void {
		$this->batch( (string) $run_id, false );
	}

	/**
	 * Reads batches: one when $inline (run from a request: start, a progress poll), which skips
	 * when the lock is taken instead of retrying later; from a job, batches one after another for
	 * up to JOB_SECONDS, then the next step is queued. Returns whether a batch ran.
	 */
	private function batch( string $run_id, bool $inline ): bool {
		$s = $this->state();
		if ( ( $s['run_id'] ?? '' ) !== $run_id || ! in_array( $s['state'], array( 'queued', 'running' ), true ) ) {
			return false; // A job from an older, cancelled or finished run.
		}
		if ( ! $this->lock() ) {
			if ( ! $inline ) {
				$this->enqueue_once( 'aisle_sync_batch', $run_id, 30 );
			}
			return false;
		}
		try {
			$s = $this->fresh_state(); // Under the lock: what the last step (or a cancel) wrote.
			if ( ( $s['run_id'] ?? '' ) !== $run_id || ! in_array( $s['state'], array( 'queued', 'running' ), true ) || 'finish' === ( $s['next'] ?? 'batch' ) ) {
				return false;
			}
			// Several batches a job: a job's lock, state and queue rows cost about 2.5 ms here,
			// and a batch read ahead is only picked up in the same job. The state is still saved
			// after every batch, so a job that dies resumes from its last finished batch.
			$started = microtime( true );
			$budget  = $inline ? 0.0 : (float) apply_filters( 'aisle_sync_job_seconds', self::JOB_SECONDS );
			do {
				if ( $budget > 0 && ! isset( $this->following[ (int) $s['cursor'] ] ) ) {
					$this->open_window( $s );
				}
				$s = $this->read_batch( $s, $budget > 0 );
			} while ( 'batch' === $s['next'] && microtime( true ) - $started < $budget );
			$this->enqueue_once( 'aisle_sync_' . $s['next'], $run_id );
			return true;
		} catch ( \RuntimeException $e ) {
			wp_delete_file( self::staging_file() ); // Frees the space; the run is over.
			$this->fail( $s, $e->getMessage() );
			return true;
		} finally {
			$this->following = array();
			$this->adapter->end_read_ahead(); // The next job may run in another process.
			$this->unlock();
		}
	}

	/**
	 * A store of up to ReadWindow::PASS_STORES windows: the next window's products are read in
	 * whole-table passes (ReadWindow) and become this job's next batches (in $this->following).
	 * Bigger stores, and a window that does not open, read batch by batch.
	 */
	private function open_window( array $s ): void {
		if ( (int) $s['total'] > ReadWindow::PASS_STORES * ReadWindow::SIZE ) {
			return;
		}
		$size = self::batch_size();
		$ids  = $this->adapter->product_ids_after( (int) $s['cursor'], ReadWindow::SIZE, $this->options() );
		if ( count( $ids ) <= $size || ! $this->adapter->open_window( $ids ) ) {
			return; // One batch or less: the batch reads it as cheaply.
		}
		$this->following = array();
		$cursor          = (int) $s['cursor'];
		foreach ( array_chunk( $ids, $size ) as $chunk ) {
			$this->following[ $cursor ] = $chunk;
			$cursor                     = max( $chunk );
		}
	}

	/**
	 * Reads the batch after the state's cursor into the staging file; returns the state saved
	 * after it. $ahead: another batch may follow in this job, so read its slowest query ahead.
	 */
	private function read_batch( array $s, bool $ahead ): array {
		// Drop whatever a dead job half-wrote after the last finished batch.
		$fh = fopen( self::staging_file(), 'c' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		try {
			ftruncate( $fh, (int) $s['staged'] );
			fseek( $fh, (int) $s['staged'] );
			$size = self::batch_size();
			// The ids the batch before read ahead, when it ran in this job a moment ago.
			$ids = $this->following[ (int) $s['cursor'] ] ?? $this->adapter->product_ids_after( (int) $s['cursor'], $size, $this->options() );
			unset( $this->following[ (int) $s['cursor'] ] );
			if ( $ids ) {
				// The next batch's slowest query runs on the other core while this one is built
				// (unless the next batch is in the read window already).
				$following = array();
				if ( $ahead && count( $ids ) >= $size ) {
					$following = $this->following[ max( $ids ) ] ?? null;
					if ( null === $following ) {
						$following       = $this->adapter->product_ids_after( max( $ids ), $size, $this->options() );
						$this->following = $following ? array( max( $ids ) => $following ) : array();
					}
				}
				foreach ( $this->adapter->products( $ids, $following ) as $row ) {
					self::write( $fh, self::line( $row ), self::staging_file() );
				}
				fflush( $fh );
				$s['staged'] = ftell( $fh );
				$s['cursor'] = max( $ids );
				$s['done']  += count( $ids );
				$s['total']  = max( (int) $s['total'], (int) $s['done'] );
				$s['state']  = 'running';
				// Throughput marks: the start and the last five batches.
				$marks      = (array) ( $s['marks'] ?? array() );
				$marks[]    = array( microtime( true ), (int) $s['done'] );
				$s['marks'] = array_slice( $marks, -6 );
			}
		} finally {
			fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		}
		$s['next'] = count( $ids ) < $size ? 'finish' : 'batch';
		$this->save_state( $s );
		return $s;
	}

	/** Ends the run as failed with $message shown on the settings screen, the last sync's index and hashes kept. */
	private function fail( array $s, string $message ): void {
		$s['state']       = 'failed';
		$s['errors']      = array( array( 'id' => null, 'error' => $message ) );
		$s['error_count'] = 1;
		$s['finished_at'] = time();
		$back             = (array) ( $s['pending_before'] ?? array() );
		unset( $s['pending_before'], $s['marks'], $s['next'] );
		$this->save_state( $s );
		// The edits this run had taken over wait for the next delta or sync.
		if ( $back ) {
			$pending = array_map( 'intval', (array) get_option( self::PENDING_OPTION, array() ) );
			update_option( self::PENDING_OPTION, array_values( array_unique( array_merge( $pending, $back ) ) ), false );
		}
	}

	/** fwrite that fails loudly: a full disk must end the run, not drop products silently. */
	private static function write( $fh, string $data, string $file ): void {
		error_clear_last();
		$n = @fwrite( $fh, $data ); // phpcs:ignore WordPress.PHP.NoSilencedErrors, WordPress.WP.AlternativeFunctions
		if ( strlen( $data ) !== $n ) {
			/* translators: 1: file, 2: the system's reason, e.g. "No space left on device" */
			throw new \RuntimeException( sprintf( __( 'Cannot write %1$s: %2$s.', 'aisle' ), $file, IndexStore::last_error() ) );
		}
	}

	public function run_finish( $run_id = '' ): void {
		$this->finish( (string) $run_id, false );
	}

	private function finish( string $run_id, bool $inline ): bool {
		$s = $this->state();
		if ( ( $s['run_id'] ?? '' ) !== $run_id || ! in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
			return false;
		}
		if ( ! $this->lock() ) {
			if ( ! $inline ) {
				$this->enqueue_once( 'aisle_sync_finish', $run_id, 30 );
			}
			return false;
		}
		try {
			$s = $this->fresh_state();
			if ( ( $s['run_id'] ?? '' ) !== $run_id || ! in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
				return false;
			}
			$s['state'] = 'indexing';
			$this->save_state( $s );
			// A finish killed after the staged rows became the snapshot resumes from the snapshot.
			$result = $this->build_index( is_file( self::staging_file() ) ? self::staging_file() : self::snapshot_file() );
			$this->facts->refresh();
			$s['state']       = 'done';
			$s['result']      = $result['counts'];
			$s['errors']      = $result['errors'];
			$s['error_count'] = $result['error_count'];
			$s['finished_at'] = time();
			unset( $s['pending_before'], $s['marks'], $s['next'] );
			$this->save_state( $s );
		} catch ( \Aisle\Exception | \RuntimeException $e ) {
			wp_delete_file( self::staging_file() ); // The next run reads the store again; on a full disk this frees its space.
			$this->fail( $s, self::reason( $e ) );
		} finally {
			$this->unlock();
		}
		return true;
	}

	/** @return list<list<string>> The setting's lines as groups, within the extension's limits (1,000 groups of 20). */
	public static function synonym_groups( string $text ): array {
		$groups = array();
		foreach ( preg_split( '/\R/u', $text ) as $line ) {
			$words = array_slice( array_values( array_filter( array_map( 'trim', explode( ',', $line ) ), 'strlen' ) ), 0, 20 );
			if ( count( $words ) > 1 ) {
				$groups[] = $words;
			}
		}
		return array_slice( $groups, 0, 1000 );
	}

	// ---- delta --------------------------------------------------------------------------------

	public function run_delta(): void {
		if ( ! self::available() ) {
			return;
		}
		$s = $this->state();
		if ( in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
			// A full sync is under way; it may or may not have read these products yet. Retry after it.
			as_schedule_single_action( time() + 60, 'aisle_sync_delta', array(), Installer::ACTION_GROUP );
			return;
		}
		if ( ! is_file( self::snapshot_file() ) ) {
			return; // No index yet: the first full sync reads everything (and clears the pending ids).
		}
		if ( ! $this->lock() ) {
			as_schedule_single_action( time() + 30, 'aisle_sync_delta', array(), Installer::ACTION_GROUP );
			return;
		}
		try {
			$ids = array_map( 'intval', (array) get_option( self::PENDING_OPTION, array() ) );
			delete_option( self::PENDING_OPTION );
			if ( ! $ids ) {
				return;
			}
			$drop = array_flip( $ids );
			$keep = $this->adapter->filter_ids( $ids, $this->options() );
			$tmp  = self::snapshot_file() . '.delta';
			$in   = fopen( self::snapshot_file(), 'r' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			$out  = fopen( $tmp, 'w' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			while ( false !== ( $line = fgets( $in ) ) ) { // phpcs:ignore
				// Only the id is needed to decide; "id" is always the first key the adapter writes.
				if ( preg_match( '/^\{"id":(\d+)/', $line, $m ) && isset( $drop[ (int) $m[1] ] ) ) {
					continue;
				}
				self::write( $out, $line, $tmp );
			}
			foreach ( $this->adapter->products( $keep ) as $row ) {
				self::write( $out, self::line( $row ), $tmp );
			}
			fclose( $in ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			fclose( $out ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			$result = $this->build_index( $tmp );
			$s                = $this->state();
			$s['last_delta']  = array(
				'at'       => time(),
				'ids'      => array_slice( $ids, 0, 50 ),
				'counts'   => $result['counts'],
				'errors'   => $result['errors'],
			);
			$this->save_state( $s );
		} catch ( \Aisle\Exception | \RuntimeException $e ) {
			if ( isset( $tmp ) ) {
				wp_delete_file( $tmp );
			}
			// The ids go back: the edits are not lost, the next delta or sync covers them.
			if ( ! empty( $ids ) ) {
				$pending = array_map( 'intval', (array) get_option( self::PENDING_OPTION, array() ) );
				update_option( self::PENDING_OPTION, array_values( array_unique( array_merge( $pending, $ids ) ) ), false );
			}
			$s               = $this->state();
			$s['last_delta'] = array( 'at' => time(), 'ids' => array(), 'counts' => null, 'errors' => array( array( 'id' => null, 'error' => self::reason( $e ) ) ) );
			$this->save_state( $s );
		} finally {
			$this->unlock();
		}
	}

	// ---- index --------------------------------------------------------------------------------

	/** What the settings screen shows for a failed step: the extension's reason code, then the message. */
	private static function reason( \Throwable $e ): string {
		return ( $e instanceof \Aisle\Exception ? $e->reason() . ': ' : '' ) . $e->getMessage();
	}

	/**
	 * One Aisle\Catalog from a snapshot file (PHP memory stays flat; the catalog itself lives in
	 * the extension). Used by the sync and by IndexStore's catch-up.
	 */
	public static function read_catalog( string $file ): \Aisle\Catalog {
		$catalog = new \Aisle\Catalog( array( 'currency' => get_woocommerce_currency() ) );
		$fh      = is_file( $file ) ? fopen( $file, 'r' ) : false; // phpcs:ignore WordPress.WP.AlternativeFunctions
		if ( false === $fh ) {
			/* translators: %s: file */
			throw new \RuntimeException( sprintf( __( 'The catalog snapshot %s cannot be read.', 'aisle' ), $file ) );
		}
		// The extension decodes the lines itself: 10,000 products in ~20 ms instead of ~60 ms of
		// json_decode and addMany (make bench-sync), with the same catalog (tests/php/CatalogTest).
		if ( method_exists( $catalog, 'addSnapshot' ) ) {
			fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions
			$catalog->addSnapshot( $file );
			return $catalog;
		}
		$chunk = array();
		while ( false !== ( $line = fgets( $fh ) ) ) { // phpcs:ignore
			$row = json_decode( $line, true );
			if ( is_array( $row ) ) {
				$chunk[] = $row;
			}
			if ( count( $chunk ) >= self::batch_size() ) {
				$catalog->addMany( $chunk );
				$chunk = array();
			}
		}
		fclose( $fh ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		if ( $chunk ) {
			$catalog->addMany( $chunk );
		}
		return $catalog;
	}

	/**
	 * Builds the catalog of a staged file, diffs it against the stored hashes, writes a new index
	 * generation (the feeds and the hashes meanwhile, the hashes committed once the generation is
	 * complete), puts the file in place as the snapshot, records the generation and makes it live:
	 * a build that fails changes nothing the next run relies on (hashes, snapshot, the live index).
	 */
	private function build_index( string $file ): array {
		global $wpdb;
		$catalog  = self::read_catalog( $file );
		$table    = Installer::table();
		$previous = array();
		foreach ( $wpdb->get_results( "SELECT product_id, hash FROM {$table}", ARRAY_N ) as $r ) { // phpcs:ignore WordPress.DB
			$previous[ (string) $r[0] ] = $r[1];
		}
		$diff = $catalog->diff( $previous );
		unset( $previous );
		// The optional hosted backend gets the same changes (queued as files, pushed by its own jobs).
		$this->remote->enqueue( $file, $diff['changed'] ?? array(), $diff['deleted'] ?? array(), get_woocommerce_currency() );

		// One builder per node: a catch-up in another worker waits for this build or skips.
		$generation     = IndexStore::new_generation();
		$lock           = IndexStore::lock();
		$in_transaction = false;
		try {
			IndexStore::write(
				$catalog,
				$generation,
				function () use ( $catalog, $diff, &$in_transaction ): void {
					global $wpdb;
					// While the index is written on the second core: the agent feeds (Feeds\Generator)
					// from this same catalog, and the hashes in one transaction, committed only once the
					// new generation is in place, so a failed index leaves the table of the last sync.
					do_action( 'aisle_catalog_indexed', $catalog );
					$in_transaction = false !== $wpdb->query( 'START TRANSACTION' );
					$this->write_hashes( $catalog, $diff );
				}
			);
			if ( $in_transaction ) {
				$wpdb->query( 'COMMIT' );
				$in_transaction = false;
			}
			if ( self::snapshot_file() !== $file && ! rename( $file, self::snapshot_file() ) ) { // phpcs:ignore WordPress.WP.AlternativeFunctions
				/* translators: %s: file */
				throw new \RuntimeException( sprintf( __( 'Cannot put the catalog snapshot %s in place.', 'aisle' ), self::snapshot_file() ) );
			}
			IndexStore::record( $generation, $catalog->count() );
			IndexStore::flip( $generation );
		} catch ( \Throwable $e ) {
			if ( $in_transaction ) {
				$wpdb->query( 'ROLLBACK' );
			}
			throw $e;
		} finally {
			IndexStore::unlock( $lock );
		}

		$errors = $catalog->errors();
		return array(
			'counts'      => array(
				'indexed'   => $catalog->count(),
				'changed'   => count( $diff['changed'] ?? array() ),
				'deleted'   => count( $diff['deleted'] ?? array() ),
				'unchanged' => (int) ( $diff['unchanged'] ?? 0 ),
				'rejected'  => count( $errors ),
			),
			'errors'      => array_slice( $errors, 0, self::MAX_ERRORS ),
			'error_count' => count( $errors ),
		);
	}

	/**
	 * The table becomes the catalog's by writing only what the diff says moved (a re-sync of an
	 * unchanged store writes nothing), 1,000 rows a statement. Ids are ints and hashes hex digits
	 * (checked), so the values need no escaping.
	 */
	private function write_hashes( \Aisle\Catalog $catalog, array $diff ): void {
		global $wpdb;
		$table  = Installer::table();
		$now    = time();
		$hashes = $catalog->hashes();
		foreach ( array_chunk( $diff['deleted'] ?? array(), 1000 ) as $part ) {
			$wpdb->query( "DELETE FROM {$table} WHERE product_id IN (" . implode( ',', array_map( 'intval', $part ) ) . ')' ); // phpcs:ignore WordPress.DB
		}
		foreach ( array_chunk( $diff['changed'] ?? array(), 1000 ) as $part ) {
			$values = array();
			foreach ( $part as $id ) {
				$hash = (string) ( $hashes[ $id ] ?? '' );
				if ( '' !== $hash && ctype_xdigit( $hash ) ) {
					$values[] = '(' . (int) $id . ",'" . $hash . "'," . $now . ')';
				}
			}
			if ( $values ) {
				$wpdb->query( "INSERT INTO {$table} (product_id, hash, synced_at) VALUES " . implode( ',', $values ) . ' ON DUPLICATE KEY UPDATE hash = VALUES(hash), synced_at = VALUES(synced_at)' ); // phpcs:ignore WordPress.DB
			}
		}
	}

	/**
	 * One staged product: a JSON line whose first key is "id" (run_delta relies on that). Invalid
	 * UTF-8 cannot travel in JSON; it becomes U+FFFD here, which is also how Catalog repairs it.
	 */
	private static function line( array $row ): string {
		return wp_json_encode( $row, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE ) . "\n";
	}

	// ---- lock and recovery --------------------------------------------------------------------

	/** INSERT IGNORE on the unique option_name is atomic; an expired lock is taken over. */
	/**
	 * The lock row holds "expiry|host|pid" of its owner. A worker killed mid-step (SIGKILL, OOM)
	 * runs no finally: on the same host its dead pid frees the lock at once; a lock from another
	 * web node waits out LOCK_TTL. A fatal error or timeout frees it in the shutdown function.
	 */
	private function lock(): bool {
		global $wpdb;
		$now = time();
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND CAST(SUBSTRING_INDEX(option_value, '|', 1) AS UNSIGNED) < %d", self::LOCK_OPTION, $now ) );
		$held = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::LOCK_OPTION ) );
		if ( is_string( $held ) && self::owner_is_dead( $held ) ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value = %s", self::LOCK_OPTION, $held ) );
		}
		$token = ( $now + self::LOCK_TTL ) . '|' . php_uname( 'n' ) . '|' . getmypid();
		if ( 1 !== (int) $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", self::LOCK_OPTION, $token ) ) ) {
			return false;
		}
		$this->lock_token = $token;
		if ( ! $this->shutdown_unlock ) {
			$this->shutdown_unlock = true;
			register_shutdown_function( array( $this, 'unlock' ) );
		}
		return true;
	}

	/** Frees the lock only if this request holds it (the shutdown call after a normal unlock does nothing). */
	public function unlock(): void {
		global $wpdb;
		if ( null === $this->lock_token ) {
			return;
		}
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value = %s", self::LOCK_OPTION, $this->lock_token ) );
		$this->lock_token = null;
	}

	/** True only when the owner ran on this host and its process is gone (ESRCH); unknown means alive. */
	private static function owner_is_dead( string $held ): bool {
		$parts = explode( '|', $held );
		if ( 3 !== count( $parts ) || php_uname( 'n' ) !== $parts[1] || ! function_exists( 'posix_kill' ) ) {
			return false;
		}
		$pid = (int) $parts[2];
		if ( $pid <= 1 || getmypid() === $pid ) {
			return false;
		}
		return ! posix_kill( $pid, 0 ) && 3 === posix_get_last_error();
	}

	/**
	 * A run whose job died (fatal, timeout, server restart) leaves state "running" with no job
	 * queued. Re-queue it from its saved cursor once it has been quiet for LOCK_TTL.
	 */
	public function resume_if_stalled(): void {
		$s = $this->state();
		if ( ! self::available() || ! in_array( $s['state'], array( 'queued', 'running', 'indexing' ), true ) ) {
			return;
		}
		if ( time() - (int) ( $s['updated_at'] ?? 0 ) < self::LOCK_TTL ) {
			return;
		}
		foreach ( array( 'aisle_sync_batch', 'aisle_sync_finish' ) as $hook ) {
			if ( as_has_scheduled_action( $hook, null, Installer::ACTION_GROUP ) ) {
				return;
			}
		}
		$hook = 'indexing' === $s['state'] || 'finish' === ( $s['next'] ?? 'batch' ) ? 'aisle_sync_finish' : 'aisle_sync_batch';
		as_enqueue_async_action( $hook, array( $s['run_id'] ), Installer::ACTION_GROUP );
		$this->save_state( $s );
	}

	public static function unavailable(): \WP_Error {
		return new \WP_Error(
			'aisle_sync_unavailable',
			class_exists( \Aisle\Catalog::class )
				? __( 'Catalog sync needs WooCommerce\'s Action Scheduler, which is not loaded.', 'aisle' )
				: __( 'This build of the aisle extension has no catalog support (Aisle\Catalog is missing). Update the extension.', 'aisle' ),
			array( 'status' => 503 )
		);
	}
}
