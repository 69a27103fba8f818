<?php
/**
 * Starts the production stack once for the suite (tests/production/Stack.php) and stops it, by
 * PID, at the end. AISLE_KEEP_SITE=1 keeps its files for a look afterwards.
 */
declare(strict_types=1);

require __DIR__ . '/Stack.php';
require __DIR__ . '/ProductionTestCase.php';
require __DIR__ . '/ChatSeed.php';

error_reporting(E_ALL);
set_error_handler(static function (int $no, string $str, string $file, int $line): bool {
    if (!(error_reporting() & $no)) {
        return false;
    }
    throw new ErrorException($str, 0, $no, $file, $line);
});

$started = microtime(true);
$GLOBALS['aisle_stack'] = new Stack((int) (getenv('AISLE_FPM_WORKERS') ?: 6));
register_shutdown_function(static function (): void {
    $GLOBALS['aisle_stack']->stop(getenv('AISLE_KEEP_SITE') === '1');
});
$GLOBALS['aisle_stack']->start();
$GLOBALS['aisle_harness'] = $GLOBALS['aisle_stack']->h;
fprintf(STDERR, "production stack up at %s in %.1f s (nginx + PHP-FPM %d workers + MariaDB + Redis; root %s)\n",
    $GLOBALS['aisle_stack']->url, microtime(true) - $started, $GLOBALS['aisle_stack']->workers, $GLOBALS['aisle_stack']->root);
