<?php
/**
 * make bench-sync: catalog sync speed, side by side in one run, on a real WordPress 6.1 + MariaDB
 * with the WooCommerce stand-in (tests/wordpress/woocommerce-standin). Each path runs in its own
 * PHP process, so each peak-memory figure is that path's alone.
 *
 *   aisle full sync       CatalogSync jobs: WooAdapter bulk reads (500 a batch) → Aisle\Catalog
 *                         normalize/hash → diff against stored hashes → writeIndex + swap
 *   aisle adapter reads   WooAdapter::products() alone
 *   per-product path      what wc_get_products() + get_data() + json_encode does, one product at a
 *                         time: wc_get_product() with real WooCommerce; with the stand-in,
 *                         standin_product_data() (post, all meta, terms), which is far lighter
 *   REST crawl            GET /wc/v3/products?per_page=100&page=N over HTTP, as a remote service
 *                         syncs a store (the stand-in's route returns standin_product_data())
 *
 * The stand-in is much lighter than real WooCommerce, so both per-product paths run faster here
 * than on a real store. The issue's reference figures (~200 products/s REST crawl, ~900/s
 * wc_get_products path) were measured on real WooCommerce and are printed for comparison.
 * Usage: php -dextension=build/aisle.so tests/bench/sync.php [products=10000]
 */
declare(strict_types=1);

require dirname(__DIR__) . '/wordpress/Harness.php';

$n = (int) ($argv[1] ?? 10000);
$h = new Harness();
register_shutdown_function(static fn () => $h->stop());
$h->start();
$h->wp("standin_generate_products($n); return true;");
$realWc = (bool) $h->wp("return function_exists('wc_get_product');");

// 1. Full sync through the jobs (reads + Catalog + diff + index), in one process.
$sync = $h->wp(<<<'PHP'
if (!Aisle\Plugin\CatalogSync::available()) { return null; }
$adapter = new Aisle\Plugin\WooAdapter();
$settings = new Aisle\Plugin\Settings();
$settings->save(array('include_out_of_stock' => true, 'include_hidden' => true));
$sync = new Aisle\Plugin\CatalogSync($adapter, $settings, new Aisle\Plugin\StoreFacts($adapter, $settings));
$base = memory_get_usage();
memory_reset_peak_usage();
$t = microtime(true);
$sync->start();
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) {
    standin_run_actions(1);
}
$seconds = microtime(true) - $t;
$p = $sync->progress();
return array('products' => $p['result']['indexed'] ?? 0, 'state' => $p['state'], 'seconds' => $seconds, 'peak_mb' => (memory_get_peak_usage() - $base) / 1048576, 'process_peak_mb' => memory_get_peak_usage() / 1048576);
PHP);

// 2. Adapter reads alone.
$adapter = $h->wp(<<<'PHP'
$adapter = new Aisle\Plugin\WooAdapter();
$opts = array('include_out_of_stock' => true, 'include_hidden' => true);
$base = memory_get_usage();
memory_reset_peak_usage();
$t = microtime(true);
$after = 0; $count = 0;
while ($ids = $adapter->product_ids_after($after, 500, $opts)) {
    $count += count($adapter->products($ids));
    $after = max($ids);
}
return array('products' => $count, 'seconds' => microtime(true) - $t, 'peak_mb' => (memory_get_peak_usage() - $base) / 1048576);
PHP);

// 3. Per-product path.
$perProduct = $h->wp(<<<'PHP'
global $wpdb;
$base = memory_get_usage();
memory_reset_peak_usage();
$t = microtime(true);
$count = 0;
$after = 0;
while ($ids = $wpdb->get_col($wpdb->prepare("SELECT ID FROM {$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish' AND ID > %d ORDER BY ID LIMIT 100", $after))) {
    foreach ($ids as $id) {
        $data = function_exists('wc_get_product') ? wc_get_product((int) $id)->get_data() : standin_product_data((int) $id);
        $json = json_encode($data);
        $count++;
    }
    $after = (int) max($ids);
    wp_cache_flush(); // As a long-running export must, or memory grows without bound.
}
return array('products' => $count, 'seconds' => microtime(true) - $t, 'peak_mb' => (memory_get_peak_usage() - $base) / 1048576);
PHP);

// 4. REST crawl over HTTP with an application password (allowed over http on a "local" site).
$pass = $h->wp("return WP_Application_Passwords::create_new_application_password(1, array('name' => 'bench'))[0];");
$t = microtime(true);
$crawled = 0;
$status = 0;
for ($page = 1; ; $page++) {
    $ch = curl_init($h->url . '/?rest_route=' . rawurlencode('/wc/v3/products') . "&per_page=100&page=$page");
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_USERPWD => "admin:$pass", CURLOPT_TIMEOUT => 120]);
    $body = (string) curl_exec($ch);
    $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    curl_close($ch);
    $items = json_decode($body, true);
    if ($status !== 200 || !is_array($items) || !$items) {
        break;
    }
    $crawled += count($items);
}
$crawl = ['products' => $crawled, 'seconds' => microtime(true) - $t, 'status' => $status];

$rate = static fn (array $r): float => $r['products'] / max($r['seconds'], 1e-9);
$crawlRate = $crawl['products'] > 0 ? $rate($crawl) : 0.0;
$ppRate = $rate($perProduct);
printf("catalog sync bench, %d products (WordPress 6.1 from Debian, MariaDB, 2 shared cores, %s)\n", $n, $realWc ? 'real WooCommerce' : 'WooCommerce STAND-IN: much lighter than real WooCommerce');
printf("  %-40s %10s %12s %12s %14s\n", 'path', 'products', 'products/s', 'vs crawl', 'vs per-product');
$row = static function (string $name, ?array $r, string $extra = '') use ($rate, $crawlRate, $ppRate): void {
    if (!$r) {
        printf("  %-40s %10s   (%s)\n", $name, 'n/a', $extra);
        return;
    }
    $v = $rate($r);
    printf("  %-40s %10d %12.0f %11.1fx %13.1fx   %s\n", $name, $r['products'], $v, $crawlRate > 0 ? $v / $crawlRate : 0, $v / $ppRate, $extra);
};
$row('aisle full sync (reads+Catalog+index)', $sync, $sync ? sprintf('%s, peak PHP memory +%.1f MB (process %.1f MB)', $sync['state'], $sync['peak_mb'], $sync['process_peak_mb']) : 'Aisle\Catalog not in this extension build');
$row('aisle adapter reads (500/batch)', $adapter, sprintf('peak PHP memory +%.1f MB', $adapter['peak_mb']));
$row($realWc ? 'wc_get_product()->get_data() + json' : 'per-product (stand-in) + json', $perProduct, sprintf('peak PHP memory +%.1f MB', $perProduct['peak_mb']));
$row('REST crawl /wc/v3/products, 100/page', $crawl['products'] > 0 ? $crawl : null, $crawl['products'] > 0 ? ($realWc ? 'real WooCommerce route' : 'stand-in route') : "crawl failed: HTTP {$crawl['status']}");
if (!$realWc) {
    echo "\n  Reference (issue 5, measured on REAL WooCommerce on these machines, not in this run):\n";
    echo "    REST crawl ~200 products/s; wc_get_products() + get_data() + json_encode ~900 products/s.\n";
    if ($sync) {
        printf("    aisle full sync here vs those: %.0fx the REST crawl (goal 50x), %.0fx the wc_get_products path (goal 10x).\n", $rate($sync) / 200, $rate($sync) / 900);
    }
    echo "  The stand-in's per-product and REST paths do less work than WooCommerce's (no WC_Product, no\n";
    echo "  extension filters), yet run on this run's machine load; only real WooCommerce settles the goals.\n";
}
