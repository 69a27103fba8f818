<?php
/**
 * Production stack only (mu-plugin, linked by tests/production/Stack.php): every PHP response
 * names the FPM worker that made it (X-Stack-Worker), and GET /?aisle_stack_probe=1 tells what
 * that worker runs with — the object cache in use, the extension loaded, the SAPI — so the tests
 * check it inside FPM, not in their own CLI process. ?aisle_stack_probe=hit&bucket=B&limit=N counts
 * one rate-limiter hit and answers {retry}. ?aisle_stack_probe=queue runs Aisle's due Action
 * Scheduler jobs in that worker (as the queue runner of that web node does) and answers {ran}.
 */

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
