<?php
/**
 * The production stack's wp-content/db-error.php: what WordPress sends when it cannot reach the
 * database. Core's own page is a 500 with HTML, which a page cache stores and a chat widget
 * cannot read; a store with this drop-in answers 503 with Retry-After instead, so nginx keeps
 * serving the cached storefront (fastcgi_cache_use_stale http_503) and the widget's REST call
 * gets a JSON "try again". Runs before plugins load: plain PHP, no WordPress functions.
 */

$aisle_rest = isset( $_SERVER['REQUEST_URI'] ) && ( str_contains( $_SERVER['REQUEST_URI'], '/wp-json/' ) || str_contains( $_SERVER['REQUEST_URI'], 'rest_route=' ) );
if ( ! headers_sent() ) {
	http_response_code( 503 );
	header( 'Retry-After: 30' );
	header( 'Cache-Control: no-store' );
	header( 'Content-Type: ' . ( $aisle_rest ? 'application/json' : 'text/html' ) . '; charset=utf-8' );
}
if ( $aisle_rest ) {
	echo json_encode(
		array(
			'code'    => 'database_unavailable',
			'message' => 'The store is briefly unavailable. Please try again in a moment.',
			'data'    => array( 'status' => 503 ),
		)
	);
} else {
	echo '<!doctype html><meta charset="utf-8"><title>Back in a moment</title><p>The store is briefly unavailable. Please try again in a moment.</p>';
}
