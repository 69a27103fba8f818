<?php
/**
 * Production stack only (mu-plugin, linked by tests/production/Stack.php): every PHP response
 * names the FPM worker that made it (X-Stack-Worker), and GET /?aisle_stack_probe=1 tells what
 * that worker runs with — the object cache in use, the extension loaded, the SAPI — so the tests
 * check it inside FPM, not in their own CLI process. ?aisle_stack_probe=hit&bucket=B&limit=N counts
 * one rate-limiter hit and answers {retry}. ?aisle_stack_probe=queue runs Aisle's due Action
 * Scheduler jobs in that worker (as the queue runner of that web node does) and answers {ran}.
 * ?aisle_stack_probe=index&q=Q[&price_max=P] reads that node's catalog index without touching it
 * (no catch-up): the recorded and the live generation, the live folder and Q's hits in it. While
 * wp-content/aisle-index-swaps.log exists, every index generation made live is appended to it
 * (node folder, generation, pid, time), so a test counts the rebuilds of each node.
 */

add_action(
	'aisle_index_swap',
	static function ( $generation ): void {
		$log = WP_CONTENT_DIR . '/aisle-index-swaps.log';
		if ( is_file( $log ) ) {
			$line = array(
				'base'       => Aisle\Plugin\Catalog\IndexStore::base(),
				'generation' => (string) $generation,
				'pid'        => getmypid(),
				'at'         => microtime( true ),
			);
			file_put_contents( $log, wp_json_encode( $line ) . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		}
	}
);

if ( 'fpm-fcgi' === PHP_SAPI && ! headers_sent() ) {
	header( 'X-Stack-Worker: ' . getmypid() );
}

add_action(
	'init',
	static function (): void {
		if ( ! isset( $_GET['aisle_stack_probe'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification -- a read-only test probe.
			return;
		}
		global $wp_object_cache;
		nocache_headers();
		if ( 'hit' === $_GET['aisle_stack_probe'] ) { // phpcs:ignore WordPress.Security.NonceVerification
			// One rate-limiter hit and nothing else: many of these at once race the counter hard.
			$bucket = sanitize_key( wp_unslash( $_GET['bucket'] ?? 'probe' ) ); // phpcs:ignore WordPress.Security.NonceVerification
			wp_send_json( array( 'retry' => Aisle\Plugin\Chat\RateLimiter::hit( 'probe:' . $bucket, (int) ( $_GET['limit'] ?? 100 ), 60 ) ) ); // phpcs:ignore WordPress.Security.NonceVerification
		}
		if ( 'queue' === $_GET['aisle_stack_probe'] ) { // phpcs:ignore WordPress.Security.NonceVerification
			wp_send_json( array( 'ran' => aisle_test_run_actions() ) );
		}
		if ( 'index' === $_GET['aisle_stack_probe'] ) { // phpcs:ignore WordPress.Security.NonceVerification
			$store    = Aisle\Plugin\Catalog\IndexStore::class;
			$recorded = $store::recorded( true );
			$dir      = $store::live_dir();
			$hits     = null;
			if ( null !== $dir && isset( $_GET['q'] ) ) { // phpcs:ignore WordPress.Security.NonceVerification
				$filters = isset( $_GET['price_max'] ) ? array( 'price_max' => (float) $_GET['price_max'] ) : array(); // phpcs:ignore WordPress.Security.NonceVerification
				try {
					$found = Aisle\CatalogIndex::open( $dir )->search( sanitize_text_field( wp_unslash( $_GET['q'] ) ), 10, $filters ); // phpcs:ignore WordPress.Security.NonceVerification
					$hits  = array_map( static fn ( $h ) => (int) $h['id'], $found );
				} catch ( Aisle\Exception $e ) {
					$hits = $e->getMessage();
				}
			}
			wp_send_json(
				array(
					'base'     => $store::base(),
					'recorded' => $recorded['generation'] ?? null,
					'products' => $recorded['products'] ?? null,
					'current'  => $store::current(),
					'live_dir' => $dir,
					'hits'     => $hits,
				)
			);
		}
		wp_send_json(
			array(
				'sapi'               => PHP_SAPI,
				'pid'                => getmypid(),
				'ext_object_cache'   => wp_using_ext_object_cache(),
				'redis_connected'    => method_exists( $wp_object_cache, 'connected' ) && $wp_object_cache->connected(),
				'extension'          => extension_loaded( 'aisle' ),
				'extension_ini_file' => php_ini_scanned_files(),
				'index_dir'          => defined( 'AISLE_INDEX_DIR' ) ? AISLE_INDEX_DIR : null,
			)
		);
	}
);
