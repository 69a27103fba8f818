<?php
/**
 * Runs PHP code (read from stdin) inside the test site, like `wp eval`, and prints its return
 * value as JSON. Usage: php [-dextension=…] wp-eval.php SITE_DIR HOST
 */
$site = $argv[1];
$_SERVER['HTTP_HOST']   = $argv[2];
$_SERVER['SERVER_NAME'] = explode( ':', $argv[2] )[0];
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$code = stream_get_contents( STDIN );
require $site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$result = eval( $code );
// Shutdown hooks (deltas are queued at shutdown) run when this script ends, as in a request.
echo "\n@@AISLE_RESULT@@" . json_encode( $result, JSON_UNESCAPED_SLASHES | JSON_PARTIAL_OUTPUT_ON_ERROR );
