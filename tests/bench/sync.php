<?php
/**
 * make bench-sync: catalog sync speed on real WordPress 7.0.4 + WooCommerce 11.0.1 (the release
 * archives the tests use, tests/wordpress/Harness.php) with its own MariaDB, side by side in one
 * run. Each path runs in its own PHP process, so each peak-memory figure is that path's alone.
 *
 *   aisle full sync       CatalogSync jobs run through Action Scheduler (aisle_test_run_actions):
 *                         WooAdapter bulk reads (500 a batch, batches for up to 2 s a job; up to
 *                         30,000 products the meta, variations, terms and lookup rows of the next
 *                         10,000 read in whole-table passes (ReadWindow) and each batch's posts
 *                         read ahead on a second connection, above that the next batch's postmeta
 *                         read ahead) -> staged NDJSON ->
 *                         Aisle\Catalog::addSnapshot -> diff against stored hashes -> writeIndex on
 *                         the second core while the feeds and hashes are written -> swap
 *   aisle adapter reads   WooAdapter::products() alone, batch by batch with the postmeta read
 *                         ahead (no read window: what a store over 30,000 products gets)
 *   get_data() path       what a careful PHP developer writes for an export: paged
 *                         wc_get_products(limit 100, status publish, by ID), ->get_data() and
 *                         json_encode per product, object cache flushed after each page
 *                         (variation details are not read: less work than Aisle does)
 *   REST crawl            GET /wp-json/wc/v3/products?per_page=100&page=N&status=publish over HTTP,
 *                         basic auth
 *                         (an application password), as a remote service syncs a store
 *
 * The store: PRODUCTS (default 10,000) products generated through WooCommerce's CRUD classes
 * (tests/wordpress/mu-plugins/bench-fixtures.php: every 5th variable with 4 variations, global
 * and custom attributes, sales, stock, images, tags, hidden products, drafts), written by
 * BENCH_WORKERS processes (default 1: on 2 cores a second one gained ~10%, and concurrent
 * transactions can deadlock, which the count check below reports). The generated product
 * tables are kept as a mysqldump in build/bench-cache/ (keyed by count, seed, mix and
 * generator version), so the next run loads them instead of generating again (~20 products/s
 * here: 8 minutes for 10,000); BENCH_CACHE=0 turns that off.
 *
 * From 20,000 products on, a whole multiple of 10,000 (PRODUCTS=100000) is not generated product
 * by product (that would take over an hour here): the 10,000-product CRUD-generated store above is
 * CLONED in SQL (aisle_bench_clone_store(): its posts with variations, postmeta, term
 * relationships and product lookup rows copied with ids offset and post_parent remapped, slugs,
 * SKUs and GUIDs made unique, term counts redone, transients and caches flushed), so the rows are
 * WooCommerce's own, copied. Before measuring, wc_get_product() must read clones of a simple, a
 * sale, a stock-managed, a variable and a hidden product back as their originals
 * (aisle_bench_check_clones()). The output says the store was cloned. BENCH_CLONE=0 generates
 * every product through CRUD instead.
 *
 * From 20,000 products on, the two per-product paths are sampled (their first BENCH_SAMPLE
 * products, default 5,000) and their rate is taken from the sample; the output says so.
 *
 * Usage: php -dextension=build/aisle.so tests/bench/sync.php [products=10000]
 */
declare(strict_types=1);

require dirname(__DIR__) . '/wordpress/Harness.php';

$n         = (int) ($argv[1] ?? getenv('PRODUCTS') ?: 10000);
$seed      = (int) (getenv('BENCH_SEED') ?: 1);
$every     = 5;
$workers   = max(1, (int) (getenv('BENCH_WORKERS') ?: 1));
$useCache  = getenv('BENCH_CACHE') !== '0';
$sampleMax = (int) (getenv('BENCH_SAMPLE') ?: 5000);
$sample    = $n >= 20000 ? min($n, $sampleMax) : 0; // 0: all products
// From 20,000 on, a whole multiple of 10,000 is built by cloning the 10,000-product store in SQL
// (BENCH_CLONE=0: generate every product through the CRUD classes instead).
$base      = $n >= 20000 && $n % 10000 === 0 && getenv('BENCH_CLONE') !== '0' ? 10000 : $n;

$h = new Harness();
register_shutdown_function(static fn () => $h->stop());
$h->start();
$versions = $h->versions();

/** Runs $codes in the site at the same time, one PHP process each; returns their results. */
function wp_parallel(Harness $h, array $codes): array
{
    $procs = [];
    foreach ($codes as $i => $code) {
        $cmd = [PHP_BINARY, '-dextension=' . $h->ext, '-dmemory_limit=1G', $h->repo . '/tests/wordpress/bin/wp-eval.php', $h->site, $h->host];
        $procs[$i] = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        fwrite($pipes[0], $code);
        fclose($pipes[0]);
        $procs[$i] = [$procs[$i], $pipes];
    }
    $out = [];
    foreach ($procs as $i => [$proc, $pipes]) {
        $stdout = stream_get_contents($pipes[1]);
        $stderr = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $rc  = proc_close($proc);
        $pos = strrpos($stdout, "\n@@AISLE_RESULT@@");
        if ($rc !== 0 || $pos === false) {
            throw new RuntimeException("worker $i exited $rc:\n$stdout\n$stderr");
        }
        $out[$i] = json_decode(substr($stdout, $pos + strlen("\n@@AISLE_RESULT@@")), true);
    }
    return $out;
}

function mysql_client(Harness $h, string $tool): array
{
    return [$tool, '--no-defaults', '--user=root', "--socket={$h->root}/mysql.sock"];
}

/** CPU seconds (user + system, every thread) that process $pid has used so far; 0 once it is gone. */
function cpu_of(int $pid): float
{
    $line = (string) @file_get_contents("/proc/$pid/stat");
    if ($line === '') {
        return 0.0;
    }
    $f = explode(' ', substr($line, (int) strrpos($line, ')') + 2));
    return ((int) $f[11] + (int) $f[12]) / CLOCK_TICKS;
}

define('CLOCK_TICKS', (int) trim((string) shell_exec('getconf CLK_TCK')) ?: 100);
$mariadb = (int) @file_get_contents($h->root . '/mariadb.pid');
// Prepended to each path's code: the CPU its own process used (getrusage counts every thread,
// so the extension's index threads too).
const CPU_FN = '$cpu = static function (): float { $r = getrusage(); return $r["ru_utime.tv_sec"] + $r["ru_utime.tv_usec"] / 1e6 + $r["ru_stime.tv_sec"] + $r["ru_stime.tv_usec"] / 1e6; };';

// ---- the store --------------------------------------------------------------------------------
$tables = ['wp_posts', 'wp_postmeta', 'wp_terms', 'wp_term_taxonomy', 'wp_term_relationships', 'wp_termmeta',
    'wp_wc_product_meta_lookup', 'wp_wc_product_attributes_lookup', 'wp_woocommerce_attribute_taxonomies'];
$generator = (int) $h->wp('return AISLE_BENCH_GENERATOR;');
$cacheDir  = $h->repo . '/build/bench-cache';
$cacheFile = sprintf('%s/store-wc%s-n%d-seed%d-every%d-g%d.sql', $cacheDir, $versions['woocommerce'], $base, $seed, $every, $generator);
$t = microtime(true);
if ($useCache && is_file($cacheFile)) {
    $h->cli(array_merge(mysql_client($h, 'mariadb'), ['wordpress', '-e', 'source ' . $cacheFile]));
    $h->wp('global $wpdb; $wpdb->query("DELETE FROM {$wpdb->options} WHERE option_name LIKE \'\\\\_transient\\\\_%\'"); wp_cache_flush(); return true;');
    $storeNote = sprintf('loaded from %s in %.1f s', substr($cacheFile, strlen($h->repo) + 1), microtime(true) - $t);
} else {
    $h->wp('aisle_bench_prepare_store(); return true;');
    $codes = [];
    for ($w = 0; $w < $workers; $w++) {
        $codes[] = "return aisle_bench_generate_products($base, $seed, $every, $w, $workers);";
    }
    $made = array_sum(wp_parallel($h, $codes));
    $h->wp('return aisle_bench_finish_store();');
    $have = (int) $h->wp("global \$wpdb; return \$wpdb->get_var(\"SELECT COUNT(*) FROM {\$wpdb->posts} WHERE post_type = 'product' AND post_name LIKE 'bench-product-%'\");");
    if ($made !== $base || $have !== $base) {
        fprintf(STDERR, "generation made %d of %d products, %d are in the database (a transaction was lost?); not cached\n", $made, $base, $have);
        exit(1);
    }
    $storeNote = sprintf('generated through WooCommerce CRUD by %d processes in %.1f s (%.0f products/s)', $workers, microtime(true) - $t, $made / (microtime(true) - $t));
    if ($useCache) {
        @mkdir($cacheDir, 0755, true);
        $h->cli(array_merge(mysql_client($h, 'mariadb-dump'), ['--single-transaction', '--skip-lock-tables', '--skip-comments', "--result-file=$cacheFile.tmp", 'wordpress'], $tables));
        rename("$cacheFile.tmp", $cacheFile);
    }
}
if ($base < $n) {
    // The large store: WooCommerce's own rows of the generated store, cloned in SQL.
    $t     = microtime(true);
    $clone = $h->wp(sprintf('return aisle_bench_clone_store(%d);', $n / $base - 1));
    $cloneSeconds = microtime(true) - $t;
    // Before measuring: WooCommerce's CRUD classes must read clones back as their originals (a
    // simple, a sale, a stock-managed, a variable and a hidden product, checked in copies 1 and last).
    $problems = $h->wp(<<<PHP
global \$wpdb;
\$ids = array();
foreach (array(1, 7, 15, 20, 35, 50) as \$k) {
    \$ids[] = (int) \$wpdb->get_var(\$wpdb->prepare("SELECT ID FROM {\$wpdb->posts} WHERE post_type = 'product' AND post_name = %s", "bench-product-\$k"));
}
return array('checked' => count(\$ids), 'problems' => aisle_bench_check_clones(\$ids, {$clone['offset']}, {$clone['copies']}));
PHP);
    if ($problems['problems']) {
        fprintf(STDERR, "cloned products do not read back as their originals through wc_get_product():\n  %s\n", implode("\n  ", $problems['problems']));
        exit(1);
    }
    $storeNote = sprintf("%s products generated through WooCommerce CRUD (%s),\n       then CLONED in SQL to %s: %d copies of WooCommerce's own rows (posts with variations, postmeta, term relationships, product lookup tables; ids +%d a copy, slugs -cN, SKUs -CN, GUIDs rewritten; term counts redone, caches flushed) in %.1f s;\n       wc_get_product() reads %d of them back as their originals (copy 1 and %d)",
        number_format($base), $storeNote, number_format($n), $clone['copies'], $clone['offset'], $cloneSeconds, $problems['checked'] * min(2, $clone['copies']), $clone['copies']);
}
$store = $h->wp(<<<'PHP'
global $wpdb;
$c = static fn ($sql) => (int) $wpdb->get_var($sql);
return array(
  'products'   => $c("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product'"),
  'published'  => $c("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish'"),
  'variations' => $c("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product_variation'"),
  'postmeta'   => $c("SELECT COUNT(*) FROM {$wpdb->postmeta}"),
);
PHP);

// ---- 1. Aisle full sync through its jobs --------------------------------------------------------
$db0 = cpu_of($mariadb);
$sync = $h->wp(CPU_FN . <<<'PHP'
$adapter  = new Aisle\Plugin\Catalog\WooAdapter();
$settings = new Aisle\Plugin\Settings();
// The same products as the other paths: every published one (hidden and out of stock too).
$settings->save(array('include_out_of_stock' => true, 'include_hidden' => true));
$sync = new Aisle\Plugin\Catalog\CatalogSync($adapter, $settings, new Aisle\Plugin\Knowledge\StoreFacts($adapter, $settings));
memory_reset_peak_usage();
$t = microtime(true);
$c = $cpu();
$sync->start();
$jobs = 0;
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) {
    $jobs += aisle_test_run_actions(1);
}
$seconds = microtime(true) - $t;
$c = $cpu() - $c;
$p = $sync->progress();
return array('products' => $p['result']['indexed'] ?? 0, 'state' => $p['state'], 'errors' => $p['error_count'], 'jobs' => $jobs, 'seconds' => $seconds, 'peak' => memory_get_peak_usage(), 'cpu' => $c);
PHP);
$sync['db_cpu'] = cpu_of($mariadb) - $db0;

// ---- 2. The adapter's reads alone ---------------------------------------------------------------
$db0 = cpu_of($mariadb);
$adapter = $h->wp(CPU_FN . <<<'PHP'
$adapter = new Aisle\Plugin\Catalog\WooAdapter();
$opts = array('include_out_of_stock' => true, 'include_hidden' => true);
memory_reset_peak_usage();
$t = microtime(true);
$c = $cpu();
$count = 0; $variations = 0;
$size = Aisle\Plugin\Catalog\CatalogSync::BATCH_SIZE;
$ids = $adapter->product_ids_after(0, $size, $opts);
while ($ids) {
    // As the sync reads: the next batch's postmeta sent ahead on the second connection.
    $next = count($ids) >= $size ? $adapter->product_ids_after(max($ids), $size, $opts) : array();
    foreach ($adapter->products($ids, $next) as $row) {
        $count++;
        $variations += count($row['variations']);
    }
    $ids = $next;
}
return array('products' => $count, 'variations' => $variations, 'seconds' => microtime(true) - $t, 'peak' => memory_get_peak_usage(), 'cpu' => $cpu() - $c);
PHP);
$adapter['db_cpu'] = cpu_of($mariadb) - $db0;

// ---- 3. wc_get_products() + get_data() + json_encode, a page at a time ------------------------
$db0 = cpu_of($mariadb);
$getData = $h->wp(CPU_FN . str_replace('__LIMIT__', (string) $sample, <<<'PHP'
$limit = __LIMIT__;
memory_reset_peak_usage();
$t = microtime(true);
$c = $cpu();
$count = 0;
$bytes = 0;
for ($page = 1; ; $page++) {
    $products = wc_get_products(array('limit' => 100, 'page' => $page, 'status' => 'publish', 'orderby' => 'ID', 'order' => 'ASC'));
    if (!$products) {
        break;
    }
    foreach ($products as $product) {
        $bytes += strlen(json_encode($product->get_data()));
        $count++;
    }
    unset($products);
    wp_cache_flush(); // As a long-running export must, or memory grows with every page.
    if ($limit > 0 && $count >= $limit) {
        break;
    }
}
return array('products' => $count, 'seconds' => microtime(true) - $t, 'peak' => memory_get_peak_usage(), 'bytes' => $bytes, 'cpu' => $cpu() - $c);
PHP));
$getData['db_cpu'] = cpu_of($mariadb) - $db0;

// ---- 4. REST crawl over HTTP, basic auth with an application password --------------------------
$pass = $h->wp("return WP_Application_Passwords::create_new_application_password(1, array('name' => 'bench'))[0];");
$webPid = (int) @file_get_contents($h->root . '/web.pid');
$webWorkers = Harness::children($webPid); // php -S's workers
$web0 = array_sum(array_map('cpu_of', $webWorkers));
$db0 = cpu_of($mariadb);
$t = microtime(true);
$crawled = 0;
$status = 0;
$error = '';
for ($page = 1; ; $page++) {
    $ch = curl_init($h->url . "/wp-json/wc/v3/products?per_page=100&page=$page&status=publish&orderby=id&order=asc");
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_USERPWD => "admin:$pass", CURLOPT_TIMEOUT => 300]);
    $body = (string) curl_exec($ch);
    $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    curl_close($ch);
    $items = json_decode($body, true);
    if ($status !== 200 || !is_array($items)) {
        $error = "HTTP $status: " . substr($body, 0, 200);
        break;
    }
    if (!$items) {
        break;
    }
    $crawled += count($items);
    if ($sample > 0 && $crawled >= $sample) {
        break;
    }
}
$crawl = ['products' => $crawled, 'seconds' => microtime(true) - $t, 'peak' => null,
    'cpu' => array_sum(array_map('cpu_of', $webWorkers)) - $web0, 'db_cpu' => cpu_of($mariadb) - $db0];
// The server's PHP: the largest peak resident size among php -S's workers (VmHWM).
$hwm = 0;
foreach ($webWorkers as $pid) {
    if (preg_match('/VmHWM:\s+(\d+) kB/', (string) @file_get_contents("/proc/$pid/status"), $m)) {
        $hwm = max($hwm, (int) $m[1] * 1024);
    }
}

// ---- report -------------------------------------------------------------------------------------
$rate = static fn (?array $r): float => $r && $r['products'] > 0 ? $r['products'] / max($r['seconds'], 1e-9) : 0.0;
$crawlRate = $rate($crawl);
$gdRate = $rate($getData);
$mb = static fn (?int $b): string => $b === null ? '' : sprintf('%.1f MB', $b / 1048576);

printf("catalog sync bench: WordPress %s + WooCommerce %s (HPOS %s), MariaDB, PHP %s, %d cores\n",
    $versions['wordpress'], $versions['woocommerce'], $versions['hpos'] ? 'on' : 'off', PHP_VERSION, (int) trim((string) shell_exec('nproc')));
printf("store: %d products (%d published), %d variations, %d postmeta rows; %s\n", $store['products'], $store['published'], $store['variations'], $store['postmeta'], $storeNote);
if ($sample > 0) {
    printf("per-product paths SAMPLED: the get_data() path and the REST crawl read the first %d products only; their rate is the sample's\n", $sample);
}
echo "\n";
printf("  %-38s %9s %9s %11s %10s %10s %14s   %s\n", 'path', 'products', 'seconds', 'products/s', 'vs REST', 'vs get_data', 'CPU s PHP+DB', 'PHP peak memory');
$row = static function (string $name, array $r, string $peak) use ($rate, $crawlRate, $gdRate): void {
    $v = $rate($r);
    printf("  %-38s %9d %9.2f %11.0f %9.1fx %9.1fx %6.2f + %5.2f   %s\n", $name, $r['products'], $r['seconds'], $v, $crawlRate > 0 ? $v / $crawlRate : 0, $gdRate > 0 ? $v / $gdRate : 0, $r['cpu'], $r['db_cpu'], $peak);
};
$row('aisle full sync (jobs, Catalog, index)', $sync, $mb($sync['peak']) . " ({$sync['state']}, {$sync['jobs']} jobs, {$sync['errors']} rejected)");
$row('aisle adapter reads (read-ahead)', $adapter, $mb($adapter['peak']) . " ({$adapter['variations']} variations read)");
$row('wc_get_products + get_data + json', $getData, $mb($getData['peak']));
$row('REST crawl /wc/v3/products, 100/page', $crawl, $hwm ? 'server worker peak RSS ' . $mb($hwm) : '');
if ($error !== '') {
    echo "  REST crawl stopped: $error\n";
}
echo "\n";
// What a ratio asks of the machine: the sync's CPU (its PHP process with the extension's threads,
// and MariaDB's) spread over the time the ratio allows.
if ($gdRate > 0) {
    $allowed = $sync['products'] / ($gdRate * 10);
    $used = $sync['cpu'] + $sync['db_cpu'];
    printf("CPU: the full sync used %.2f CPU-seconds (PHP %.2f, MariaDB %.2f) in %.2f s, %.2f cores busy on average; 10x the get_data() path\n"
        . "     means finishing in %.2f s, which needs %.2f cores fully busy (this machine has %d)\n",
        $used, $sync['cpu'], $sync['db_cpu'], $sync['seconds'], $used / max($sync['seconds'], 1e-9), $allowed, $used / max($allowed, 1e-9), (int) trim((string) shell_exec('nproc')));
}
$goal = static fn (bool $ok): string => $ok ? 'met' : 'NOT MET';
$syncRate = $rate($sync);
printf("goals: full sync >= 50x the REST crawl: %.1fx %s; >= 10x the get_data() path: %.1fx %s; PHP peak < 128 MB: %s %s\n",
    $crawlRate > 0 ? $syncRate / $crawlRate : 0, $goal($crawlRate > 0 && $syncRate / $crawlRate >= 50),
    $gdRate > 0 ? $syncRate / $gdRate : 0, $goal($gdRate > 0 && $syncRate / $gdRate >= 10),
    $mb($sync['peak']), $goal($sync['peak'] < 128 * 1048576));
if ($n >= 100000) {
    printf("       %d products: full sync %.1f s (goal < 30 s: %s), peak %s (goal < 128 MB: %s)\n", $n, $sync['seconds'], $goal($sync['seconds'] < 30), $mb($sync['peak']), $goal($sync['peak'] < 128 * 1048576));
}
if ($sync['state'] !== 'done' || $sync['products'] !== $store['published']) {
    fprintf(STDERR, "full sync did not index every published product (%s, %d of %d)\n", $sync['state'], $sync['products'], $store['published']);
    exit(1);
}
