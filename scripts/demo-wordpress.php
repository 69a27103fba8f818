<?php
/**
 * make demo: a real store in one command. A private MariaDB and a web server (`php -S`, with the
 * aisle extension) under .demo/, WordPress 7.0.4 + WooCommerce 11.0.1 from the official release
 * archives (tests/wordpress/Platform.php finds and checks them; WORDPRESS_ZIP / WOOCOMMERCE_ZIP
 * override), WooCommerce's sample catalog imported with WooCommerce's own importer, a few orders,
 * a refund policy, shipping and FAQ pages (tests/wordpress/mu-plugins/sample-catalog.php), then
 * Aisle activated with the built-in answerer (no AI key) and its first catalog sync. Prints the
 * store and wp-admin addresses and three questions that were just asked in the widget's own REST
 * route and answered.
 *
 * Run again, it reuses a running, healthy demo (its PID files alive, its address answering) and
 * prints the same; a stale one is stopped and rebuilt. `make demo-stop` (this script's `stop`)
 * ends exactly the processes named in .demo/*.pid.
 *
 * Usage: php -dextension=build/aisle.so scripts/demo-wordpress.php [stop]
 * Environment: AISLE_DEMO_PORT (8080), AISLE_EXT, WORDPRESS_ZIP, WOOCOMMERCE_ZIP.
 */
declare(strict_types=1);

require dirname(__DIR__) . '/tests/wordpress/Harness.php';

const DEMO_ADMIN_USER = 'admin';
const DEMO_ADMIN_PASSWORD = 'admin-password-123'; // tests/wordpress/bin/install.php
const DEMO_PIDS = ['web' => '-S', 'mariadb' => 'mariadbd'];

$root = rtrim((string) (getenv('AISLE_DEMO_DIR') ?: dirname(__DIR__) . '/.demo'), '/');
$infoFile = "$root/demo.json";
$port = (int) (getenv('AISLE_DEMO_PORT') ?: 8080);

if (($argv[1] ?? '') === 'stop') {
    demo_stop($root);
    exit(0);
}

$t0 = microtime(true);
$step = static function (string $what) use ($t0): void {
    printf("[%5.1fs] %s\n", microtime(true) - $t0, $what);
};

$previous = is_file($infoFile) ? json_decode((string) file_get_contents($infoFile), true) : null;
$why = demo_unhealthy($root, is_array($previous) ? $previous : null, $port);
if ($why === null) {
    printf("The demo from %s is still running and healthy (PIDs %s); reusing it.\n", date('Y-m-d H:i:s', $previous['created_at']), implode(', ', demo_pids($root)));
    demo_print($previous, $root);
    exit(0);
}
if (is_dir($root)) {
    echo "demo: the previous demo in $root is not usable ($why): stopping what is left of it and building a new one.\n";
    demo_stop($root);
}
$busy = @fsockopen('127.0.0.1', $port, $errno, $errstr, 1);
if ($busy) {
    fclose($busy);
    fwrite(STDERR, "demo: port $port on 127.0.0.1 is already in use by another program. Free it, or choose another port: make demo AISLE_DEMO_PORT=8081\n");
    exit(1);
}

$h = new Harness($root, $port);
$h->manualQueue = false; // A real store: WP-Cron and Action Scheduler run the jobs (Sync now works).
try {
    // The merchant's order: a WooCommerce store with products, orders and pages, then Aisle.
    $h->start(['woocommerce/woocommerce.php']);
    // php -S forks its workers at start: their PIDs too, so demo-stop finds them even if the
    // server's parent process is gone.
    // It forks them one by one after it starts listening: wait until their number settles.
    $web = (int) file_get_contents("$root/web.pid");
    for ($i = 0, $workers = [], $was = null; $i < 50 && ($workers === [] || $workers !== $was); $i++) {
        usleep(200000);
        [$was, $workers] = [$workers, demo_children($web)];
    }
    file_put_contents("$root/web-workers.pids", implode(' ', $workers));
    $v = $h->versions();
    $step("WordPress {$v['wordpress']} + WooCommerce {$v['woocommerce']} installed (HPOS " . ($v['hpos'] ? 'on' : 'off') . "), MariaDB and php -S running");
    $h->wp("update_option('blogname', 'Aisle Demo Store'); update_option('blogdescription', 'WooCommerce sample catalog with the Aisle assistant'); return true;");

    $catalog = $h->wp('return aisle_test_import_sample_catalog();');
    $step("Sample catalog imported with WooCommerce's CSV importer: {$catalog['imported']} products, {$catalog['imported_variations']} variations, {$catalog['images']} images");
    $pages = $h->wp('return aisle_test_store_pages();');
    $step('Pages: Refund and Returns Policy, Shipping, FAQ; shipping zones ' . implode(', ', array_keys($pages['zones'])) . ' (nowhere else); Cash on delivery and Direct bank transfer');
    $orders = $h->wp('return aisle_test_sample_orders();');
    $step('Orders: ' . implode(', ', array_map(static fn ($o) => "#{$o['number']} {$o['status']} ({$o['phone']}" . ($o['customer_id'] ? ', customer jane.doe' : ', guest') . ')', $orders['orders'])));

    $r = $h->wp("\$r = activate_plugin('aisle/aisle.php'); return is_wp_error(\$r) ? \$r->get_error_message() : true;");
    if ($r !== true) {
        throw new RuntimeException('activating Aisle failed: ' . json_encode($r));
    }
    // The built-in answerer (no AI provider, no key), the FAQ the store publishes, then the first
    // full sync, run here through Action Scheduler's own runner (WP-Cron is off on this site).
    $sync = $h->wp(<<<'PHP'
use Aisle\Plugin\Catalog\{CatalogSync, WooAdapter};
use Aisle\Plugin\Knowledge\StoreFacts;
use Aisle\Plugin\Settings;
$settings = new Settings();
list($clean, $errors) = $settings->validate(array('ai_provider' => 'none', 'store_name' => 'Aisle Demo Store', 'faq' => aisle_test_sample_faq()));
if ($errors) {
    return array('error' => 'settings: ' . wp_json_encode($errors));
}
$settings->save($clean);
if (!CatalogSync::available()) {
    return array('error' => 'sync unavailable: ' . CatalogSync::unavailable()->get_error_message());
}
$sync = new CatalogSync(new WooAdapter(), $settings, new StoreFacts(new WooAdapter(), $settings));
$r = $sync->start();
if (is_wp_error($r)) {
    return array('error' => 'sync: ' . $r->get_error_message());
}
$ran = 0;
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) {
    $n = aisle_test_run_actions(50);
    if ($n === 0) {
        return array('error' => 'the sync stopped with no job left to run: ' . wp_json_encode($sync->state()));
    }
    $ran += $n;
}
aisle_test_run_actions(); // Anything the sync queued behind it (deltas).
return $sync->progress() + array('jobs' => $ran);
PHP);
    if (isset($sync['error']) || ($sync['state'] ?? '') !== 'done') {
        throw new RuntimeException('first sync failed: ' . json_encode($sync));
    }
    $step("Aisle active, built-in answerer; first sync done: {$sync['done']} of {$sync['total']} products" . (isset($sync['result']['indexed']) ? ", {$sync['result']['indexed']} indexed" : '') . " ({$sync['jobs']} queue jobs, {$sync['error_count']} errors)");

    // Three questions, asked through the widget's REST route; only those answered are printed.
    $order = $orders['orders'][0];
    $statusLabel = (string) $h->wp('return wc_get_order_status_name(' . var_export($order['status'], true) . ');');
    $candidates = [
        ['Do you have hoodies under 50?', 'products', null],
        ["Where is my order {$order['number']}? My phone is {$order['phone']}", 'reply', $statusLabel],
        ['Do you ship to Germany?', 'reply', 'DHL Paket'],
        ['Do you have a blue hoodie?', 'products', null],
        ['How can I pay?', 'reply', 'Cash on delivery'],
        ['What is your refund policy?', 'reply', '30 days'],
    ];
    $questions = [];
    foreach ($candidates as [$q, $kind, $expect]) {
        if (count($questions) === 3) {
            break;
        }
        $answer = demo_ask($h->url, $q);
        $ok = $kind === 'products'
            ? !empty($answer['products'])
            : is_string($answer['reply'] ?? null) && str_contains($answer['reply'], (string) $expect) && !in_array('offer_lead', (array) ($answer['actions'] ?? []), true);
        if ($ok) {
            $questions[] = [
                'question' => $q,
                'answer'   => $kind === 'products'
                    ? implode(', ', array_map(static fn ($p) => "{$p['name']} ({$p['price_text']})", $answer['products']))
                    : preg_replace('/\s+/', ' ', strip_tags((string) $answer['reply'])),
            ];
        } else {
            fwrite(STDERR, "demo: not suggesting \"$q\": its answer was " . json_encode($answer) . "\n");
        }
    }
    $step('Asked the widget ' . count($questions) . ' questions through /aisle/v1/chat; all answered');

    $info = [
        'created_at' => time(),
        'url'        => $h->url,
        'port'       => $port,
        'ext'        => $h->ext,
        'versions'   => $v,
        'products'   => $catalog['imported'],
        'variations' => $catalog['imported_variations'],
        'orders'     => $orders['orders'],
        'questions'  => $questions,
        'seconds'    => round(microtime(true) - $t0, 1),
    ];
    file_put_contents($infoFile, json_encode($info, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n");
} catch (Throwable $e) {
    fwrite(STDERR, "\ndemo: failed: {$e->getMessage()}\nLogs are kept in $root (debug.log, web.log, mariadb.err).\n");
    $h->stop(true);
    exit(1);
}
demo_print($info, $root);
// Left running on purpose: php -S and MariaDB outlive this script (make demo-stop ends them).
exit(0);

/** Why the demo under $root cannot be reused, or null when it can. */
function demo_unhealthy(string $root, ?array $info, int $port): ?string
{
    if ($info === null || empty($info['questions'])) {
        return is_dir($root) ? 'no completed setup recorded in demo.json' : 'none yet';
    }
    if ((int) $info['port'] !== $port) {
        return "it serves port {$info['port']}, not $port";
    }
    foreach (DEMO_PIDS as $name => $needle) {
        $pid = is_file("$root/$name.pid") ? (int) file_get_contents("$root/$name.pid") : 0;
        $cmd = $pid > 0 ? str_replace("\0", ' ', (string) @file_get_contents("/proc/$pid/cmdline")) : '';
        if ($cmd === '' || !str_contains($cmd, $needle)) {
            return "its $name process" . ($pid ? " $pid" : '') . ' is not running';
        }
    }
    if (!demo_workers($root)) {
        return 'its web server has no workers left';
    }
    $ctx = stream_context_create(['http' => ['timeout' => 10, 'ignore_errors' => true]]);
    $home = @file_get_contents($info['url'] . '/', false, $ctx);
    $status = isset($http_response_header[0]) ? (int) explode(' ', $http_response_header[0])[1] : 0;
    if ($home === false || $status !== 200) {
        return "{$info['url']}/ does not answer 200" . ($status ? " (HTTP $status)" : '');
    }
    return null;
}

/** PIDs whose parent is $pid. */
function demo_children(int $pid): array
{
    $kids = [];
    foreach (glob('/proc/[0-9]*/stat') ?: [] as $stat) {
        $line = (string) @file_get_contents($stat);
        if ($line !== '' && (int) explode(' ', substr($line, strrpos($line, ')') + 2))[1] === $pid) {
            $kids[] = (int) $line;
        }
    }
    return $kids;
}

/** The web server's worker PIDs recorded at start that still run this demo's site. */
function demo_workers(string $root): array
{
    $alive = [];
    foreach (preg_split('/\s+/', trim((string) @file_get_contents("$root/web-workers.pids"))) as $pid) {
        $cmd = (int) $pid > 0 ? str_replace("\0", ' ', (string) @file_get_contents("/proc/$pid/cmdline")) : '';
        if (str_contains($cmd, " -S ") && str_contains($cmd, "$root/site")) {
            $alive[] = (int) $pid;
        }
    }
    return $alive;
}

/** "name pid" for each of $root's PID files ("name pid (gone)" for a process already ended). */
function demo_pids(string $root): array
{
    $pids = [];
    foreach (glob("$root/*.pid") ?: [] as $file) {
        if (basename($file) !== 'mariadbd.pid') { // MariaDB's own copy of mariadb.pid.
            $pid = (int) file_get_contents($file);
            $pids[] = basename($file, '.pid') . " $pid" . ($pid > 0 && is_dir("/proc/$pid") ? '' : ' (gone)');
        }
    }
    return $pids;
}

/** Stops the processes a previous demo started, by the PID files the Harness wrote. */
function demo_stop(string $root): void
{
    $pids = demo_pids($root);
    $workers = demo_workers($root);
    if (!$pids && !$workers) {
        echo "demo-stop: nothing to stop (no PID files in $root).\n";
        return;
    }
    Harness::stopLeftovers($root); // web (with its workers) and mariadb, by their PID files.
    // Workers whose server process had already died (no parent left to find them by).
    $orphans = demo_workers($root);
    foreach ($orphans as $pid) {
        posix_kill($pid, SIGTERM);
    }
    for ($i = 0; $i < 100 && demo_workers($root); $i++) {
        usleep(50000);
    }
    foreach (demo_workers($root) as $pid) {
        posix_kill($pid, SIGKILL);
    }
    @unlink("$root/web-workers.pids");
    echo 'demo-stop: stopped ' . implode(', ', $pids ?: ['no server or database'])
        . ($workers ? ' and web workers ' . implode(' ', $workers) . ($orphans ? ' (' . count($orphans) . ' orphaned)' : '') : '')
        . ". Files stay in $root.\n";
}

/** POSTs one message to the widget's chat route as the widget does; returns the decoded reply. */
function demo_ask(string $url, string $message): array
{
    $b = random_bytes(16);
    $b[6] = chr(ord($b[6]) & 0x0f | 0x40);
    $b[8] = chr(ord($b[8]) & 0x3f | 0x80);
    $session = vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($b), 4));
    $ctx = stream_context_create(['http' => [
        'method'        => 'POST',
        'header'        => "Content-Type: application/json\r\nOrigin: $url\r\n",
        'content'       => json_encode(['session_id' => $session, 'message' => $message, 'page_url' => "$url/shop/"]),
        'timeout'       => 30,
        'ignore_errors' => true,
    ]]);
    $body = @file_get_contents($url . '/?rest_route=' . rawurlencode('/aisle/v1/chat'), false, $ctx);
    $status = isset($http_response_header[0]) ? (int) explode(' ', $http_response_header[0])[1] : 0;
    $json = is_string($body) ? json_decode($body, true) : null;
    return is_array($json) ? $json + ['http_status' => $status] : ['http_status' => $status, 'body' => substr((string) $body, 0, 300)];
}

function demo_print(array $info, string $root): void
{
    $url = $info['url'];
    $admin = DEMO_ADMIN_USER;
    $password = DEMO_ADMIN_PASSWORD;
    echo <<<TXT

Aisle demo store is up: WordPress {$info['versions']['wordpress']}, WooCommerce {$info['versions']['woocommerce']}, {$info['products']} sample products ({$info['variations']} variations), built-in answerer (no AI key)
  Store:     $url/            (shop: $url/shop/)
  wp-admin:  $url/wp-admin/   user: $admin   password: $password
  Aisle:     $url/wp-admin/admin.php?page=aisle
  Files:     $root (debug log: $root/debug.log)

Try these in the chat widget (bottom right of any store page); each was just asked and answered:

TXT;
    foreach ($info['questions'] as $i => $q) {
        printf("  %d. %s\n     -> %s\n", $i + 1, $q['question'], mb_strimwidth($q['answer'], 0, 150, '…'));
    }
    echo "\nStop it with: make demo-stop\n";
}
