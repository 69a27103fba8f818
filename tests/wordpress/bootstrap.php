<?php
/**
 * Starts the private WordPress once for the whole suite and stops it (by PID) at the end.
 */
declare(strict_types=1);

require __DIR__ . '/Harness.php';
require __DIR__ . '/WpTestCase.php';

error_reporting(E_ALL);
set_error_handler(static function (int $no, string $str, string $file, int $line): bool {
    if (!(error_reporting() & $no)) {
        return false; // Silenced with @ on purpose (probing a port, an optional file).
    }
    throw new ErrorException($str, 0, $no, $file, $line);
});

$started = microtime(true);
$GLOBALS['aisle_harness'] = new Harness();
register_shutdown_function(static function (): void {
    $keep = getenv('AISLE_KEEP_SITE') === '1';
    $GLOBALS['aisle_harness']->stop($keep);
});
$GLOBALS['aisle_harness']->start();
$GLOBALS['aisle_harness']->wp(<<<'PHP'
wp_insert_user(array('user_login' => 'manager', 'user_pass' => 'manager-password-123', 'user_email' => 'm@example.com', 'role' => 'shop_manager'));
return true;
PHP);
// Installing and activating may log WooCommerce's own first-run notices, never Aisle's.
$setupLog = $GLOBALS['aisle_harness']->debugLog();
if (preg_match_all('~^.*(/plugins/aisle/|Aisle\\\\).*$~m', $setupLog, $m)) {
    fwrite(STDERR, "debug.log gained lines from Aisle while the site was set up:\n" . implode("\n", $m[0]) . "\n");
    exit(1);
}
$v = $GLOBALS['aisle_harness']->versions();
fprintf(STDERR, "WordPress %s + WooCommerce %s (HPOS %s)\n", $v['wordpress'], $v['woocommerce'], $v['hpos'] ? 'on' : 'off');
fprintf(STDERR, "WordPress test site up at %s in %.1f s (root %s)\n", $GLOBALS['aisle_harness']->url, microtime(true) - $started, $GLOBALS['aisle_harness']->root);
