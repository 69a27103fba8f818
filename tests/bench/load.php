<?php
/**
 * Benchmark (not a test), make bench-load: the production stack (tests/production/Stack.php:
 * nginx + page cache, PHP-FPM pm = dynamic with recycling, MariaDB, Redis object cache) under
 * 50, 100 and 200 concurrent sessions from tests/bench/load_gen.py on loopback. Per level and
 * kind of request: throughput, p50/p95/p99, statuses, FPM saturation from the status page,
 * MariaDB queries per answered chat, memory per worker; then every 200 chat is looked up in the
 * database (its user and assistant rows). Bounded: LOAD_SECONDS per run (default 10), at most
 * 20,000 requests a run. Kinds:
 *   GET /wp-json/              WordPress's own REST index, the reference
 *   storefront                 product and shop pages (nginx's page cache)
 *   chat                       POST chat, built-in answerer
 *   chat + provider (stream)   POST chat?stream=1, an OpenAI-compatible fake that streams
 *                              (first token 400 ms, a chunk every 40 ms: tests/bench/load_provider.py)
 *   GET chat/messages          the widget reading its conversation back with its token (the
 *                              handoff's poll), after one chat per session; when the route exists
 * Usage: php -dextension=build/aisle.so tests/bench/load.php [levels, e.g. 50,100,200]
 */
declare(strict_types=1);

require __DIR__ . '/../production/Stack.php';
require __DIR__ . '/../production/ChatSeed.php';

$levels  = array_map('intval', explode(',', $argv[1] ?? '50,100,200'));
$seconds = (int) (getenv('LOAD_SECONDS') ?: 10);
$workers = (int) (getenv('LOAD_WORKERS') ?: 16);
$think   = (int) (getenv('LOAD_THINK_MS') ?: 1000);
$stack   = new Stack($workers, 200);
$provider = null;
register_shutdown_function(static function () use ($stack, &$provider): void {
    if ($provider) {
        Harness::endProcess($provider);
    }
    $stack->stop();
});
$stack->start();
$h = $stack->h;
fprintf(STDERR, "stack up at %s: nginx + PHP-FPM (pm = dynamic, max_children %d, max_requests 200) + MariaDB + Redis\n", $stack->url, $workers);

ChatSeed::seed($h);
$products = (int) (getenv('LOAD_PRODUCTS') ?: 500);
$h->wp("aisle_test_generate_products($products, 3); return aisle_test_run_actions();");
$h->wp(<<<'PHP'
$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()));
$sync->start();
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) { aisle_test_run_actions(5); }
// A visitor address's limit far above a shopper's: every session of the load comes from 127.0.0.1.
// The per-chat limit stays at its default (20 a minute), which these sessions stay under.
$s = get_option('aisle_settings', array()); $s['rate_limit_ip'] = 1000000; $s['rate_limit_reads'] = 1000000; $s['rate_limit_session'] = 20; update_option('aisle_settings', $s);
(new Aisle\Plugin\Privacy\Secrets())->save('ai_api_key', 'sk-load-test');
return true;
PHP);
$pages = $h->wp('$ids = wc_get_products(array("limit" => 20, "return" => "ids", "orderby" => "ID")); return array_merge(array("/", "/shop/"), array_map(fn ($id) => wp_parse_url(get_permalink($id), PHP_URL_PATH), $ids));');
foreach ($pages as $p) {
    file_get_contents($stack->url . $p); // Warm the page cache: a store's pages are cached long before a rush.
}

$providerPort = Harness::freePort();
$provider = proc_open(['python3', __DIR__ . '/load_provider.py', (string) $providerPort, '400', '40'], [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes);
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $providerPort); $i++) {
    usleep(50000);
}

function setProvider(Harness $h, ?int $port): void
{
    $set = $port === null ? '$s["ai_provider"] = "none";'
        : "\$s['ai_provider'] = 'openai'; \$s['ai_base_url'] = 'http://127.0.0.1:$port'; \$s['ai_model'] = 'load-model'; \$s['ai_timeout'] = 30; \$s['ai_connect_timeout'] = 2;";
    $h->wp('$s = get_option("aisle_settings", array()); ' . $set . ' update_option("aisle_settings", $s); return true;');
}

function questions(Harness $h): int
{
    return (int) $h->query("SHOW GLOBAL STATUS LIKE 'Questions'")[0]['Value'];
}

/** Runs one load, sampling the FPM status page and worker memory while it runs. */
function run(Stack $stack, array $cfg): array
{
    $q0 = questions($stack->h);
    $status0 = $stack->fpmStatus();
    $proc = proc_open(['python3', __DIR__ . '/load_gen.py', json_encode($cfg)], [['file', '/dev/null', 'r'], ['pipe', 'w'], ['pipe', 'w']], $pipes);
    stream_set_blocking($pipes[1], false);
    $out = '';
    $maxActive = 0;
    $maxQueue = 0;
    $rss = [];
    while (true) {
        $out .= (string) stream_get_contents($pipes[1]);
        if (!proc_get_status($proc)['running']) {
            break;
        }
        $st = $stack->fpmStatus();
        $maxActive = max($maxActive, (int) ($st['active processes'] ?? 0));
        $maxQueue = max($maxQueue, (int) ($st['listen queue'] ?? 0));
        foreach ($stack->workerMemory() as $pid => $kb) {
            $rss[$pid] = max($rss[$pid] ?? 0, $kb);
        }
        usleep(250000);
    }
    $out .= (string) stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    proc_close($proc);
    $r = json_decode($out, true);
    if (!is_array($r)) {
        throw new RuntimeException("load_gen.py failed: $out $err");
    }
    $status1 = $stack->fpmStatus();
    $r['queries'] = questions($stack->h) - $q0;
    $r['fpm'] = ['max_active' => $maxActive, 'max_listen_queue' => $maxQueue,
        'max_children_reached' => (int) ($status1['max children reached'] ?? 0) - (int) ($status0['max children reached'] ?? 0),
        'rss_mb_max' => $rss ? round(max($rss) / 1024, 1) : null, 'rss_mb_avg' => $rss ? round(array_sum($rss) / count($rss) / 1024, 1) : null];
    return $r;
}

$messages = ['Do you have hoodies under 50?', 'Do you ship to Germany?', 'hello', 'blue hoodie in stock', 'Do you have shoes?', 'What payment methods do you take?'];
$kinds = [
    'GET /wp-json/' => ['kind' => 'get', 'paths' => ['/wp-json/']],
    'storefront (page cache)' => ['kind' => 'get', 'paths' => $pages],
    'chat (built-in answerer)' => ['kind' => 'chat', 'provider' => false],
    'chat + provider (stream)' => ['kind' => 'chat_stream', 'provider' => true],
];
// The handoff's read route, where this build has it (issue 16).
if ($h->wp('return (bool) (rest_get_server()->get_routes()["/aisle/v1/chat/messages"] ?? false);')) {
    $kinds['GET chat/messages (reads)'] = ['kind' => 'messages', 'provider' => false];
}
$results = [];
$chatSessions = [];
foreach ($levels as $n) {
    foreach ($kinds as $name => $k) {
        if (isset($k['provider'])) {
            setProvider($h, $k['provider'] ? $providerPort : null);
        }
        $r = run($stack, ['port' => $stack->port, 'kind' => $k['kind'], 'concurrency' => $n, 'duration' => $seconds, 'think_ms' => $think,
            'paths' => $k['paths'] ?? [], 'messages' => $messages, 'max_requests' => 20000, 'timeout' => 90]);
        foreach ($r['sessions'] as $sid => $count) {
            $chatSessions[$sid] = ($chatSessions[$sid] ?? 0) + $count;
        }
        unset($r['sessions']);
        $results[$n][$name] = $r;
        fprintf(STDERR, "%4d sessions  %-26s %6.1f req/s  p50 %7.1f  p95 %7.1f  p99 %7.1f ms  %s\n", $n, $name, $r['throughput_rps'], $r['p50_ms'] ?? 0, $r['p95_ms'] ?? 0, $r['p99_ms'] ?? 0, json_encode($r['statuses']));
    }
}
setProvider($h, null);

// Every answered chat must be in the database: its user and its assistant row.
$lost = 0;
foreach (array_chunk(array_keys($chatSessions), 500) as $chunk) {
    $in = implode(',', array_map(static fn ($s) => "'" . $h->db()->real_escape_string($s) . "'", $chunk));
    $rows = $h->query("SELECT c.session_id, SUM(m.role = 'user') AS u, SUM(m.role = 'assistant') AS a FROM wp_aisle_conversations c JOIN wp_aisle_messages m ON m.conversation_id = c.id WHERE c.session_id IN ($in) GROUP BY c.session_id");
    $found = array_column($rows, null, 'session_id');
    foreach ($chunk as $sid) {
        $want = $chatSessions[$sid];
        $lost += max(0, $want - (int) ($found[$sid]['u'] ?? 0)) + max(0, $want - (int) ($found[$sid]['a'] ?? 0));
    }
}
$answered = array_sum($chatSessions);

printf("\nmake bench-load: %s, %d products, %d s a run, think time %d ms, PHP-FPM max_children %d (max_requests 200), 2 cores\n", $stack->url, $products + 2, $seconds, $think, $workers);
printf("%-8s %-26s %8s %8s %8s %8s %8s  %-22s %7s %6s %7s %7s\n", 'sessions', 'kind', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'q/ok', 'statuses', 'fpm max', 'queue', 'rss MB', 'max MB');
$goals = [];
foreach ($results as $n => $byKind) {
    foreach ($byKind as $name => $r) {
        $st = $r['statuses'];
        ksort($st);
        printf("%-8d %-26s %8.1f %8.1f %8.1f %8.1f %8.1f  %-22s %7d %6d %7s %7s\n", $n, $name, $r['throughput_rps'], $r['p50_ms'] ?? 0, $r['p95_ms'] ?? 0, $r['p99_ms'] ?? 0,
            $r['ok'] ? $r['queries'] / $r['ok'] : 0, implode(' ', array_map(static fn ($k, $v) => "$k:$v", array_keys($st), $st)),
            $r['fpm']['max_active'], $r['fpm']['max_listen_queue'], (string) $r['fpm']['rss_mb_avg'], (string) $r['fpm']['rss_mb_max']);
    }
    $ref = $byKind['GET /wp-json/']['p95_ms'] ?: 1;
    foreach (['chat (built-in answerer)', 'chat + provider (stream)'] as $c) {
        printf("%-8d %-26s chat p95 / GET /wp-json/ p95 = %.2fx (goal <= 2x)\n", $n, $c, ($byKind[$c]['p95_ms'] ?? 0) / $ref);
    }
    $bad = 0;
    foreach ($byKind as $r) {
        foreach ($r['statuses'] as $code => $count) {
            $bad += in_array((string) $code, ['200', '429'], true) ? 0 : $count;
        }
        $bad += $r['retry_after_missing'];
    }
    $goals[$n] = $bad;
}
printf("responses other than 200 or 429 (with Retry-After), by level: %s\n", json_encode($goals));
printf("answered chats: %d; missing user or assistant rows: %d\n", $answered, $lost);
@mkdir(__DIR__ . '/../artifacts', 0755, true);
file_put_contents(__DIR__ . '/../artifacts/bench-load.json', json_encode(['results' => $results, 'answered' => $answered, 'lost_rows' => $lost, 'non_200_429' => $goals], JSON_PRETTY_PRINT));
echo "raw figures: tests/artifacts/bench-load.json\n";
