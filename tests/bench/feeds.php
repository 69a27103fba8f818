<?php
/**
 * make bench-feeds: the agent feeds on real WordPress 7.0.4 + WooCommerce 11.0.1 (the test
 * harness, its own MariaDB), side by side in one run, each path in its own PHP process:
 *
 *   aisle feed             Aisle\Catalog::writeProductFeed over the catalog a full sync just built
 *                          (what every sync runs at its end: the sync's whole peak and what the feed
 *                          adds to it); Aisle\ProductFeed::writeFromSnapshot, streamed from the sync's
 *                          snapshot a product at a time (what the plugin runs without a catalog at
 *                          hand), checked byte for byte against the sync's files; and, for comparison,
 *                          the snapshot loaded into a whole Aisle\Catalog and then writeProductFeed
 *   PHP feed               the generator a PHP developer writes: paged wc_get_products(limit 100),
 *                          each variation loaded with wc_get_product(), the same row fields,
 *                          json_encode, written to a gzip stream, object cache flushed per page
 *   UCP search             POST /wp-json/aisle/ucp/v1/catalog/search over HTTP
 *   Store API search       GET /wp-json/wc/store/v1/products?search= (WooCommerce's own), same queries
 *
 * Memory: the process's peak resident size (VmHWM of /proc/self/status: PHP and the extension's
 * Rust allocations alike, WordPress's own ~50 MB included), each path in a PHP process of its own so
 * the peaks do not mix, and PHP's memory_get_peak_usage(). What the feed adds inside the sync: VmHWM
 * reset to the resident size as the feed starts (clear_refs 5), read as it ends.
 *
 * The store is tests/bench/sync.php's (bench-fixtures.php, cached mysqldump of the 10,000-product
 * CRUD-generated store, cloned in SQL to PRODUCTS, default 100,000). From 20,000 products on the PHP
 * generator is sampled (its first BENCH_SAMPLE products, default 5,000) and its rate taken from the
 * sample; the output says so. Search: SEARCHES queries (default 60, words from product names),
 * one at a time, after 5 warm-up requests each.
 *
 * Usage: php -dextension=build/aisle.so tests/bench/feeds.php [products=100000]
 */
declare(strict_types=1);

require dirname(__DIR__) . '/wordpress/Harness.php';

$n         = (int) ($argv[1] ?? getenv('PRODUCTS') ?: 100000);
$seed      = 1;
$every     = 5;
$sampleMax = (int) (getenv('BENCH_SAMPLE') ?: 5000);
$sample    = $n >= 20000 ? min($n, $sampleMax) : 0;
$searches  = (int) (getenv('SEARCHES') ?: 60);
$base      = $n >= 20000 && $n % 10000 === 0 ? 10000 : $n;

$h = new Harness();
register_shutdown_function(static fn () => $h->stop());
$h->start();
$versions = $h->versions();
$load = static fn (): string => implode(' ', array_slice(explode(' ', (string) file_get_contents('/proc/loadavg')), 0, 3));
$loadStart = $load();

// ---- the store (as tests/bench/sync.php builds and caches it) ----------------------------------
$tables    = ['wp_posts', 'wp_postmeta', 'wp_terms', 'wp_term_taxonomy', 'wp_term_relationships', 'wp_termmeta',
    'wp_wc_product_meta_lookup', 'wp_wc_product_attributes_lookup', 'wp_woocommerce_attribute_taxonomies'];
$generator = (int) $h->wp('return AISLE_BENCH_GENERATOR;');
$cacheFile = sprintf('%s/build/bench-cache/store-wc%s-n%d-seed%d-every%d-g%d.sql', $h->repo, $versions['woocommerce'], $base, $seed, $every, $generator);
$client    = static fn (string $tool): array => [$tool, '--no-defaults', '--user=root', "--socket={$h->root}/mysql.sock"];
$t = microtime(true);
if (is_file($cacheFile)) {
    $h->cli(array_merge($client('mariadb'), ['wordpress', '-e', 'source ' . $cacheFile]));
    $h->wp('global $wpdb; $wpdb->query("DELETE FROM {$wpdb->options} WHERE option_name LIKE \'\\\\_transient\\\\_%\'"); wp_cache_flush(); return true;');
    $note = sprintf('%s products loaded from %s', number_format($base), basename($cacheFile));
} else {
    $h->wp('aisle_bench_prepare_store(); return true;');
    $h->wp("return aisle_bench_generate_products($base, $seed, $every, 0, 1);");
    $h->wp('return aisle_bench_finish_store();');
    @mkdir(dirname($cacheFile), 0755, true);
    $h->cli(array_merge($client('mariadb-dump'), ['--single-transaction', '--skip-lock-tables', '--skip-comments', "--result-file=$cacheFile.tmp", 'wordpress'], $tables));
    rename("$cacheFile.tmp", $cacheFile);
    $note = sprintf('%s products generated through WooCommerce CRUD in %.0f s', number_format($base), microtime(true) - $t);
}
if ($base < $n) {
    $clone = $h->wp(sprintf('return aisle_bench_clone_store(%d);', $n / $base - 1));
    $note .= sprintf(', CLONED in SQL to %s (%d copies of WooCommerce\'s own rows)', number_format($n), $clone['copies']);
}
$store = $h->wp(<<<'PHP'
global $wpdb;
return array(
  'published'  => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish'"),
  'variations' => (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product_variation'"),
);
PHP);

$hwm = <<<'PHP'
$hwm = static function (): int { return preg_match('/VmHWM:\s+(\d+) kB/', (string) file_get_contents('/proc/self/status'), $m) ? (int) $m[1] * 1024 : 0; };
PHP;

// ---- 1. full sync, then the feed from its catalog -----------------------------------------------
$sync = $h->wp($hwm . <<<'PHP'
$s = get_option('aisle_settings', array());
update_option('aisle_settings', array_merge(is_array($s) ? $s : array(), array('feeds_openai' => true, 'feeds_ucp' => true, 'include_out_of_stock' => true, 'rate_limit_reads' => 1000)));
$adapter  = new Aisle\Plugin\Catalog\WooAdapter();
$settings = new Aisle\Plugin\Settings();
$sync = new Aisle\Plugin\Catalog\CatalogSync($adapter, $settings, new Aisle\Plugin\Knowledge\StoreFacts($adapter, $settings));
$feed = null; $feedRss = null; $feedPeak = null; $syncPeak = null; $mem = null;
$rss = static function (): int { return preg_match('/VmRSS:\s+(\d+) kB/', (string) file_get_contents('/proc/self/status'), $m) ? (int) $m[1] * 1024 : 0; };
$reset = static fn (): bool => @file_put_contents('/proc/self/clear_refs', '5') !== false;
$gen = new Aisle\Plugin\Feeds\Generator(new Aisle\Plugin\Feeds\Config($settings), new Aisle\Plugin\Feeds\LlmsTxt(new Aisle\Plugin\Feeds\Config($settings)));
add_action('aisle_catalog_indexed', function ($catalog) use (&$feed, &$feedRss, &$syncPeak, &$mem, $rss, $hwm, $reset, $gen) {
    $syncPeak = $hwm();
    // First the other way, for comparison: the same feed streamed from the file the sync staged.
    $before = $rss();
    $ok = $reset();
    $t = microtime(true);
    $dir = sys_get_temp_dir() . '/aisle-bench-insync-stream';
    Aisle\ProductFeed::writeFromSnapshot(Aisle\Plugin\Storage::dir() . '/catalog.ndjson.partial', $dir, $gen->options(), array('currency' => get_woocommerce_currency()));
    $mem = array('seconds' => microtime(true) - $t, 'adds' => $ok ? max(0, $hwm() - $before) : null);
    foreach (array('openai-feed.jsonl.gz', 'acp-products.jsonl.gz', 'ucp-products.jsonl', 'ucp-products.idx') as $f) { $mem['files'][$f] = md5_file("$dir/$f"); }
    $syncPeak = max($syncPeak, $hwm());
    $feedRss = $rss();
    if (!$reset()) { $feedRss = null; }
    $feed = microtime(true);
}, 1);
add_action('aisle_catalog_indexed', function ($catalog) use (&$feed, &$feedPeak, $hwm) { $feed = microtime(true) - $feed; $feedPeak = $hwm(); }, 99);
$t = microtime(true);
$sync->start();
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) {
    aisle_test_run_actions(1);
}
$state = get_option(Aisle\Plugin\Feeds\Config::STATE_OPTION);
// The whole sync's peak: the larger of the peak before the feed and the one from the feed on.
$files = array(); foreach (array('openai-feed.jsonl.gz', 'acp-products.jsonl.gz', 'ucp-products.jsonl', 'ucp-products.idx') as $f) { $files[$f] = md5_file(Aisle\Plugin\Feeds\Config::dir() . "/$f"); }
return array('sync_seconds' => microtime(true) - $t, 'feed_seconds' => $state['seconds'], 'hook_seconds' => $feed, 'rows' => $state['rows'], 'products' => $state['products'], 'skipped' => $state['skipped'], 'indexed' => $sync->progress()['result']['indexed'] ?? 0,
    'rss' => max((int) $syncPeak, $hwm()), 'feed_before' => $feedRss, 'feed_peak' => $feedRss === null ? null : $feedPeak, 'files' => $files, 'inmemory' => $mem, 'source' => $state['source'] ?? null);
PHP);

// ---- 2. the feed streamed from the sync's snapshot in a fresh process (nothing else held) --------
$stream = $h->wp($hwm . <<<'PHP'
$rss = static function (): int { return preg_match('/VmRSS:\s+(\d+) kB/', (string) file_get_contents('/proc/self/status'), $m) ? (int) $m[1] * 1024 : 0; };
$gen  = new Aisle\Plugin\Feeds\Generator(new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings()), new Aisle\Plugin\Feeds\LlmsTxt(new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings())));
$booted = $rss();
memory_reset_peak_usage();
$dir = sys_get_temp_dir() . '/aisle-bench-stream';
// Timed as the sync's feed is (Generator::write): the store facts it gathers, then the write.
$t = microtime(true);
$opts = $gen->options();
$r = Aisle\ProductFeed::writeFromSnapshot(Aisle\Plugin\Catalog\CatalogSync::snapshot_file(), $dir, $opts, array('currency' => get_woocommerce_currency()));
$seconds = microtime(true) - $t;
$files = array(); foreach (array('openai-feed.jsonl.gz', 'acp-products.jsonl.gz', 'ucp-products.jsonl', 'ucp-products.idx') as $f) { $files[$f] = md5_file("$dir/$f"); }
return array('opts' => $opts, 'currency' => get_woocommerce_currency(), 'snapshot' => Aisle\Plugin\Catalog\CatalogSync::snapshot_file(), 'seconds' => $seconds, 'rows' => $r['rows'], 'products' => $r['products'], 'lines' => $r['lines'], 'rejected' => $r['rejected'], 'booted' => $booted, 'rss' => $hwm(), 'peak' => memory_get_peak_usage(), 'files' => $files, 'snapshot_bytes' => filesize(Aisle\Plugin\Catalog\CatalogSync::snapshot_file()));
PHP);
if ($stream['files'] !== $sync['files'] || $sync['inmemory']['files'] !== $sync['files']) {
    throw new RuntimeException('the feeds differ: ' . json_encode([$stream['files'], $sync['files'], $sync['inmemory']['files']]));
}

// ---- 2b. the same call in a bare PHP process (no WordPress): the extension's own footprint -------
$optsFile = tempnam(sys_get_temp_dir(), 'aisle-bench-opts');
file_put_contents($optsFile, json_encode([$stream['snapshot'], sys_get_temp_dir() . '/aisle-bench-bare', $stream['opts'], ['currency' => $stream['currency']]]));
$bareCode = '$a = json_decode(file_get_contents($argv[1]), true); $t = microtime(true); $r = Aisle\\ProductFeed::writeFromSnapshot(...$a); $s = microtime(true) - $t;'
    . ' preg_match("/VmHWM:\\s+(\\d+) kB/", file_get_contents("/proc/self/status"), $m); echo json_encode(["seconds" => $s, "rows" => $r["rows"], "rss" => (int) $m[1] * 1024]);';
$bare = json_decode((string) shell_exec(escapeshellarg(PHP_BINARY) . ' -n -dextension=' . escapeshellarg($h->ext) . ' -r ' . escapeshellarg($bareCode) . ' ' . escapeshellarg($optsFile)), true);
unlink($optsFile);
if (!is_array($bare) || $bare['rows'] !== $stream['rows']) {
    throw new RuntimeException('the bare streamed feed failed: ' . json_encode($bare));
}

// ---- 3. the feed alone, the catalog loaded from the sync's snapshot in a fresh process ---------
$alone = $h->wp($hwm . <<<'PHP'
memory_reset_peak_usage();
$t  = microtime(true);
$catalog = new Aisle\Catalog(array('currency' => get_woocommerce_currency()));
$fh = fopen(Aisle\Plugin\Storage::dir() . '/catalog.ndjson', 'r');
$chunk = array();
while (false !== ($line = fgets($fh))) {
    $chunk[] = json_decode($line, true);
    if (count($chunk) >= 500) { $catalog->addMany($chunk); $chunk = array(); }
}
if ($chunk) { $catalog->addMany($chunk); }
$loaded = microtime(true) - $t;
$gen = new Aisle\Plugin\Feeds\Generator(new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings()), new Aisle\Plugin\Feeds\LlmsTxt(new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings())));
// The peak during the write alone: VmHWM reset to the current resident size (clear_refs 5).
$rss = static function (): int { return preg_match('/VmRSS:\s+(\d+) kB/', (string) file_get_contents('/proc/self/status'), $m) ? (int) $m[1] * 1024 : 0; };
$before = $rss();
$reset = @file_put_contents('/proc/self/clear_refs', '5') !== false;
$t2 = microtime(true);
$opts = $gen->options();
$r = $catalog->writeProductFeed(sys_get_temp_dir() . '/aisle-bench-feed', $opts);
$write = microtime(true) - $t2;
$during = $hwm();
return array('before' => $before, 'during' => $reset ? $during : null, 'rows' => $r['rows'], 'products' => $catalog->count(), 'load_seconds' => $loaded, 'write_seconds' => $write, 'seconds' => microtime(true) - $t, 'peak' => memory_get_peak_usage(), 'rss' => $hwm(), 'bytes' => filesize(sys_get_temp_dir() . '/aisle-bench-feed/openai-feed.jsonl.gz'));
PHP);

// ---- 4. the PHP generator ------------------------------------------------------------------------
$php = $h->wp($hwm . str_replace('__LIMIT__', (string) $sample, <<<'PHP'
$limit = __LIMIT__;
memory_reset_peak_usage();
$t = microtime(true);
$seller = get_bloginfo('name');
$countries = array_keys(WC()->countries->get_allowed_countries());
$base = WC()->countries->get_base_country();
$refund = get_permalink(wc_get_page_id('refund_returns'));
$currency = get_woocommerce_currency();
$gz = gzopen(sys_get_temp_dir() . '/php-bench-feed.jsonl.gz', 'wb6');
$count = 0; $rows = 0;
$track = static fn ($url) => add_query_arg(array('utm_source' => 'chatgpt', 'utm_medium' => 'ai_agent'), $url);
for ($page = 1; ; $page++) {
    $products = wc_get_products(array('limit' => 100, 'page' => $page, 'status' => 'publish', 'orderby' => 'ID', 'order' => 'ASC'));
    if (!$products) break;
    foreach ($products as $p) {
        $count++;
        if ('hidden' === $p->get_catalog_visibility()) continue;
        $image = wp_get_attachment_url($p->get_image_id());
        if (!$image) continue;
        $units = $p->is_type('variable') ? array_filter(array_map('wc_get_product', $p->get_children())) : array($p);
        foreach ($units as $u) {
            if ('' === $u->get_regular_price()) continue;
            $row = array(
                'is_eligible_search' => true, 'is_eligible_checkout' => false,
                'item_id' => (string) $u->get_id(), 'group_id' => (string) $p->get_id(), 'listing_has_variations' => $p->is_type('variable'),
                'title' => mb_substr($u->get_name(), 0, 150),
                'description' => mb_substr(trim(wp_strip_all_tags($p->get_short_description() . "\n" . $p->get_description())), 0, 5000) ?: $p->get_name(),
                'url' => $track($p->get_permalink()), 'brand' => $seller, 'image_url' => $image,
                'price' => wc_format_decimal($u->get_regular_price(), 2) . ' ' . $currency,
                'availability' => array('instock' => 'in_stock', 'outofstock' => 'out_of_stock', 'onbackorder' => 'backorder')[$u->get_stock_status()] ?? 'in_stock',
                'seller_name' => $seller, 'seller_url' => home_url('/'), 'return_policy' => $refund, 'target_countries' => $countries, 'store_country' => $base,
            );
            if ($u->is_on_sale()) $row['sale_price'] = wc_format_decimal($u->get_sale_price(), 2) . ' ' . $currency;
            gzwrite($gz, json_encode($row, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
            $rows++;
        }
    }
    unset($products, $units);
    wp_cache_flush();
    if ($limit > 0 && $count >= $limit) break;
}
gzclose($gz);
return array('products' => $count, 'rows' => $rows, 'seconds' => microtime(true) - $t, 'peak' => memory_get_peak_usage(), 'rss' => $hwm());
PHP));

// ---- 5. search p95: UCP catalog search vs the Store API -----------------------------------------
$words = $h->wp('global $wpdb; $w = array(); foreach ($wpdb->get_col("SELECT post_title FROM {$wpdb->posts} WHERE post_type = \'product\' AND post_status = \'publish\' ORDER BY ID LIMIT 400") as $t) { foreach (preg_split("/\\\\W+/u", strtolower($t)) as $x) { if (strlen($x) > 3 && !is_numeric($x)) $w[$x] = true; } } $w = array_keys($w); sort($w); return $w;');
mt_srand(7);
$queries = [];
for ($i = 0; $i < $searches; $i++) {
    $queries[] = $words[mt_rand(0, count($words) - 1)];
}
$time = static function (callable $one) use ($queries): array {
    for ($i = 0; $i < 5; $i++) {
        $one($queries[$i % count($queries)]);
    }
    $ms = [];
    $hits = 0;
    foreach ($queries as $q) {
        $t = microtime(true);
        $hits += $one($q);
        $ms[] = (microtime(true) - $t) * 1000;
    }
    sort($ms);
    $at = static fn (float $p) => $ms[(int) min(count($ms) - 1, floor($p * count($ms)))];
    return ['p50' => $at(0.5), 'p95' => $at(0.95), 'hits' => $hits];
};
$get = static function (string $url, ?string $post = null) {
    $ch = curl_init($url);
    curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 120]);
    if ($post !== null) {
        curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => $post, CURLOPT_HTTPHEADER => ['Content-Type: application/json']]);
    }
    $body = (string) curl_exec($ch);
    $code = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    curl_close($ch);
    if ($code !== 200) {
        throw new RuntimeException("HTTP $code from $url: " . substr($body, 0, 200));
    }
    return json_decode($body, true);
};
$ucp = $time(static fn (string $q) => count($get($h->url . '/?rest_route=/aisle/ucp/v1/catalog/search', json_encode(['query' => $q, 'pagination' => ['limit' => 10]]))['products']));
$h->query("DELETE FROM wp_options WHERE option_name LIKE '%transient%aisle\\_rl\\_%'");
$storeApi = $time(static fn (string $q) => count($get($h->url . '/?rest_route=/wc/store/v1/products&per_page=10&search=' . rawurlencode($q))));

// ---- report -------------------------------------------------------------------------------------
$mb = static fn (int $b): string => sprintf('%.1f MB', $b / 1048576);
$phpRate = $php['products'] / max($php['seconds'], 1e-9);
$phpFull = $store['published'] / max($phpRate, 1e-9);
printf("agent feeds bench: WordPress %s + WooCommerce %s, MariaDB, PHP %s, %d cores\n", $versions['wordpress'], $versions['woocommerce'], PHP_VERSION, (int) trim((string) shell_exec('nproc')));
printf("store: %d published products, %d variations; %s\n", $store['published'], $store['variations'], $note);
if ($sample > 0) {
    printf("the PHP generator is SAMPLED: its first %d products; its full-store time is extrapolated from their rate\n", $php['products']);
}
echo "\n";
printf("  %-52s %9s %10s %9s %12s %12s\n", 'feed path (each in its own process)', 'rows', 'seconds', 'vs PHP', 'peak RSS', 'PHP peak');
printf("  %-52s %9d %10.2f %8.0fx %12s %12s\n", 'aisle ProductFeed::writeFromSnapshot (streamed)', $stream['rows'], $stream['seconds'], $phpFull / max($stream['seconds'], 1e-9), $mb($stream['rss']), $mb($stream['peak']));
printf("  %-52s %9d %10.2f %8.0fx %12s\n", '  the same call in a bare PHP process (no WordPress)', $bare['rows'], $bare['seconds'], $phpFull / max($bare['seconds'], 1e-9), $mb($bare['rss']));
printf("  %-52s %9s %10s %9s %12s\n", '  WordPress + WooCommerce booted, before the feed', '', '', '', $mb($stream['booted']));
printf("  %-52s %9d %10.2f %8.0fx %12s %12s\n", 'aisle writeProductFeed at the end of a full sync', $sync['rows'], $sync['feed_seconds'], $phpFull / max($sync['feed_seconds'], 1e-9), $mb($sync['rss']), '');
printf("  %-52s %9s %10.2f\n", '  the plugin\'s whole hook (feed, then llms.txt)', '', $sync['hook_seconds']);
printf("  %-52s %9s %10s %9s %12s\n", '  what the feed adds to the sync\'s resident size', '', '', '', $sync['feed_peak'] === null ? 'n/a' : '+' . $mb(max(0, $sync['feed_peak'] - $sync['feed_before'])));
printf("  %-52s %9s %10.2f %8.0fx %12s\n", '  instead: streamed from the file the sync staged', '', $sync['inmemory']['seconds'], $phpFull / max($sync['inmemory']['seconds'], 1e-9), $sync['inmemory']['adds'] === null ? 'n/a' : '+' . $mb($sync['inmemory']['adds']));
printf("  %-52s %9s %10.2f %9s %12s\n", '  the whole sync (its peak holds the 100k catalog)', '', $sync['sync_seconds'], '', $mb($sync['rss']));
printf("  %-52s %9d %10.2f %8.0fx %12s %12s\n", 'aisle snapshot into a whole Catalog + writeProductFeed', $alone['rows'], $alone['seconds'], $phpFull / max($alone['seconds'], 1e-9), $mb($alone['rss']), $mb($alone['peak']));
printf("  %-52s %9d %10.2f %9s %12s %12s\n", sprintf('PHP wc_get_products generator (%d products)', $php['products']), $php['rows'], $php['seconds'], '', $mb($php['rss']), $mb($php['peak']));
printf("  %-52s %9s %10.1f %9s\n", '  extrapolated to the whole store', '', $phpFull, '1x');
printf("  streamed: %d snapshot lines (%s), %d rejected; the four files equal byte for byte on every path\n", $stream['lines'], $mb($stream['snapshot_bytes']), $stream['rejected']);
printf("  skipped by aisle: %s; gzip feed %s\n", json_encode($sync['skipped']), $mb($alone['bytes']));
echo "\n";
printf("  %-46s %10s %10s %8s\n", sprintf('search (%d queries, 10 results)', count($queries)), 'p50 ms', 'p95 ms', 'hits');
printf("  %-46s %10.1f %10.1f %8d\n", 'UCP POST /aisle/ucp/v1/catalog/search', $ucp['p50'], $ucp['p95'], $ucp['hits']);
printf("  %-46s %10.1f %10.1f %8d\n", 'Store API GET /wc/store/v1/products?search=', $storeApi['p50'], $storeApi['p95'], $storeApi['hits']);
echo "\n";
$goal = static fn (bool $ok): string => $ok ? 'met' : 'NOT MET';
$ratio = $phpFull / max($stream['seconds'], 1e-9);
printf("goals: feed >= 20x the PHP generator at < 128 MB (streamed from the snapshot): %.0fx in %s peak RSS, %s; at the end of a sync %.0fx, the sync's own peak %s (%s 128 MB: it holds the whole catalog; the feed adds %s); UCP search p95 <= 1/5 of the Store API's: 1/%.1f %s\n",
    $ratio, $mb($stream['rss']), $goal($ratio >= 20 && $stream['rss'] < 128 * 1048576), $phpFull / max($sync['feed_seconds'], 1e-9), $mb($sync['rss']), $sync['rss'] < 128 * 1048576 ? 'under' : 'OVER', $sync['feed_peak'] === null ? 'n/a' : $mb(max(0, $sync['feed_peak'] - $sync['feed_before'])),
    $storeApi['p95'] / max($ucp['p95'], 1e-9), $goal($storeApi['p95'] >= 5 * $ucp['p95']));
printf("load average (1, 5, 15 min): %s at the start, %s at the end (2 cores shared with other jobs)\n", $loadStart, $load());
