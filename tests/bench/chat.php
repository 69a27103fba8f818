<?php
/**
 * Benchmark (not a test): server time of POST /wp-json/aisle/v1/chat with the built-in answerer,
 * p50/p95 over N requests, next to WordPress's own GET /wp-json/ on the same server; and the
 * widget's gzipped bytes. Usage: php -dextension=build/aisle.so tests/bench/chat.php [N]
 */
declare(strict_types=1);

require __DIR__ . '/../wordpress/Harness.php';
require __DIR__ . '/http_timing.php';

$n = (int) ($argv[1] ?? 500);
$h = new Harness();
register_shutdown_function(static fn () => $h->stop());
$h->start();

$h->wp(<<<'PHP'
foreach (array(array('Bench Blue Hoodie', '45.00'), array('Bench Red Hoodie', '65.00')) as $p) { aisle_test_save_product(array('name' => $p[0], 'regular_price' => $p[1], 'categories' => array('Hoodies'))); }
aisle_test_configure_store(array('zones' => array(array('zone_name' => 'Germany', 'locations' => array(array('type' => 'country', 'code' => 'DE')), 'methods' => array(array('id' => 'flat_rate', 'title' => 'DHL', 'settings' => array('cost' => '4.90')))))));
$s = get_option('aisle_settings', array()); $s['rate_limit_ip'] = 100000; $s['rate_limit_session'] = 100000; update_option('aisle_settings', $s);
(new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()))->refresh();
return true;
PHP);
// A full sync, so the answers come from a real index.
$indexed = $h->wp(<<<'PHP'
$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()));
$sync->start();
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) { aisle_test_run_actions(5); }
return $sync->progress()['result']['indexed'] ?? 0;
PHP);
if ($indexed < 2) {
    throw new RuntimeException("sync indexed $indexed products");
}

function uuid4(): string
{
    $b = random_bytes(16);
    $b[6] = chr(ord($b[6]) & 0x0f | 0x40);
    $b[8] = chr(ord($b[8]) & 0x3f | 0x80);
    return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($b), 4));
}

$messages = ['Do you have hoodies under 50?', 'Do you ship to Germany?', 'hello', 'blue hoodie in stock'];
$chat = [];
$core = [];
for ($i = 0; $i < $n; $i++) {
    $chat[] = timed('POST', $h->url . '/?rest_route=/aisle/v1/chat', json_encode(['session_id' => uuid4(), 'message' => $messages[$i % 4], 'page_url' => '']));
    $core[] = timed('GET', $h->url . '/?rest_route=/', null);
}
$dir = __DIR__ . '/../../plugin/aisle/assets/';
$js = strlen(gzencode(file_get_contents($dir . 'widget.js'), 9));
$css = strlen(gzencode(file_get_contents($dir . 'widget.css'), 9));
printf("%-40s %10s %10s\n", "server time over $n requests", 'p50 ms', 'p95 ms');
printf("%-40s %10.1f %10.1f\n", 'POST aisle/v1/chat (built-in answerer)', pct($chat, 50), pct($chat, 95));
printf("%-40s %10.1f %10.1f\n", 'GET /wp-json/ (WordPress core)', pct($core, 50), pct($core, 95));
printf("%-40s %10.2fx %9.2fx\n", 'ratio chat / core', pct($chat, 50) / pct($core, 50), pct($chat, 95) / pct($core, 95));
printf("widget gzipped: widget.js %d B + widget.css %d B = %d B (limit 8192)\n", $js, $css, $js + $css);
