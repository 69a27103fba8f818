<?php
/**
 * Production stack only (linked by tests/production/IndexFaultsTest.php): AISLE_INDEX_DIR, as a
 * store sets it in wp-config.php, taken from wp-content/aisle-test-index-dir.txt while that file
 * exists, so a test can move the index base onto a small tmpfs for FPM workers and CLI alike.
 */

$aisle_test_index_dir = WP_CONTENT_DIR . '/aisle-test-index-dir.txt';
if ( is_file( $aisle_test_index_dir ) && ! defined( 'AISLE_INDEX_DIR' ) ) {
	define( 'AISLE_INDEX_DIR', trim( (string) file_get_contents( $aisle_test_index_dir ) ) );
}
unset( $aisle_test_index_dir );
