<?php
declare(strict_types=1);

/**
 * Two web nodes on one database (issue 19, "Several web nodes"): nodes A and B are each their own
 * nginx + PHP-FPM master (Stack::startNode()) on the stack's MariaDB, Redis and site files
 * (shared uploads), each with its own local index folder (AISLE_INDEX_DIR). A full sync and a
 * delta run by node A's queue runner: node A answers from its new index generation at once;
 * node B, which has its own index, answers meanwhile from its old one and, after that answer,
 * rebuilds its index of the recorded generation from the shared snapshot: once, however many of
 * its workers noticed. The rebuilds are counted by the index swaps each node logs
 * (tests/production/mu-plugins/stack-probe.php).
 */
final class TwoNodesTest extends ProductionTestCase
{
    /** @var array<string, string> node name => URL */
    private static array $url = [];
    /** @var array<string, int> node name => bytes of its FPM PHP log at setUp */
    private array $nodeLog = [];
    /** The catalog the catch-up times are for: at least this many products. */
    private const PRODUCTS = 1000;
    private static int $parka = 0;
    private static string $swaps = '';

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        ChatSeed::seed(self::$h);
        $count = (int) self::$h->wp('return (int) wp_count_posts("product")->publish;');
        if ($count < self::PRODUCTS) {
            self::$h->wp('aisle_test_generate_products(' . (self::PRODUCTS - $count) . ', 19); return true;');
        }
        self::$parka = (int) self::$h->wp('return aisle_test_save_product(array("name" => "Aisle Alpine Parka", "regular_price" => "80.00", "sku" => "AH-PARKA-1", "categories" => array("Jackets"), "short_description" => "A warm winter parka."));');
        self::$h->wp('return aisle_test_run_actions();'); // Deltas of the products above, on the stack's own node.
        self::$swaps = self::$h->site . '/wp-content/aisle-index-swaps.log';
        file_put_contents(self::$swaps, '');
        foreach (['a', 'b'] as $node) {
            self::$url[$node] = self::$s->startNode($node);
        }
    }

    public static function tearDownAfterClass(): void
    {
        foreach (array_keys(self::$url) as $node) {
            self::$s->stopNode($node);
        }
        self::$url = [];
        @unlink(self::$swaps);
    }

    protected function setUp(): void
    {
        parent::setUp();
        self::resetLimits();
        foreach (array_keys(self::$url) as $node) {
            $this->nodeLog[$node] = strlen(self::$s->fpmPhpLog($node));
        }
    }

    protected function tearDown(): void
    {
        // WordPress's debug.log is shared by both nodes (one wp-config.php): parent checks it.
        foreach ($this->nodeLog as $node => $size) {
            $this->assertSame('', trim(substr(self::$s->fpmPhpLog($node), $size)), "node $node's FPM PHP log gained lines");
        }
        parent::tearDown();
    }

    private function onNode(string $node, string $method, string $path, ?array $json = null): array
    {
        return $this->http($method, $path, $json, null, [], null, self::$url[$node]);
    }

    private function chatOn(string $node, string $message): array
    {
        $r = $this->onNode($node, 'POST', '/wp-json/aisle/v1/chat', ['session_id' => self::uuid(), 'message' => $message, 'page_url' => '']);
        $this->assertSame(200, $r['status'], "node $node: {$r['body']}");
        return $r;
    }

    /** $node's index as its own worker sees it, read-only (no catch-up): recorded, current, live_dir, hits of $q. */
    private function indexOn(string $node, string $q = '', ?float $priceMax = null): array
    {
        $query = '/?aisle_stack_probe=index' . ($q !== '' ? '&q=' . rawurlencode($q) : '') . ($priceMax !== null ? "&price_max=$priceMax" : '');
        $r = $this->onNode($node, 'GET', $query);
        $this->assertSame(200, $r['status'], $r['body']);
        return $r['json'];
    }

    /** Runs Aisle's queue in a worker of $node, as that node's queue runner (WP-Cron, Action Scheduler) does. */
    private function queueOn(string $node): int
    {
        $r = $this->onNode($node, 'GET', '/?aisle_stack_probe=queue');
        $this->assertSame(200, $r['status'], $r['body']);
        return (int) $r['json']['ran'];
    }

    /** Polls $node until its live generation is the recorded one; returns the seconds it took. */
    private function waitCaughtUp(string $node, float $limit = 60): float
    {
        $t = microtime(true);
        do {
            $i = $this->indexOn($node);
            if ($i['recorded'] !== null && $i['current'] === $i['recorded']) {
                return microtime(true) - $t;
            }
            usleep(100000);
        } while (microtime(true) - $t < $limit);
        $this->fail("node $node did not catch up within {$limit} s: " . json_encode($i) . ' ' . @file_get_contents($i['base'] . '/index.failed'));
    }

    /** @return list<array{base: string, generation: string, pid: int, at: float}> index generations made live so far */
    private static function swaps(?string $node = null): array
    {
        $lines = array_map(static fn (string $l): array => json_decode($l, true), file(self::$swaps, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: []);
        return array_values(array_filter($lines, static fn (array $l): bool => $node === null || $l['base'] === self::$s->nodes[$node]['index_dir']));
    }

    /** name => [inode, mtime, size] of every file under $dir: to tell that nobody touched it. */
    private static function tree(string $dir): array
    {
        $out = [];
        $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
        foreach ($it as $file) {
            $st = stat((string) $file);
            $out[substr((string) $file, strlen($dir))] = [$st['ino'], $st['mtime'], $st['size']];
        }
        ksort($out);
        return $out;
    }

    private function fullSyncOnNodeA(): array
    {
        $sync = '$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()));';
        $started = self::$h->wp($sync . ' $r = $sync->start(); return is_wp_error($r) ? $r->get_error_message() : $sync->state();');
        $this->assertIsArray($started, json_encode($started));
        $t = microtime(true);
        for ($round = 0; $round < 30; $round++) {
            $this->queueOn('a');
            $state = self::$h->wp($sync . ' return $sync->progress();');
            if (!in_array($state['state'], ['queued', 'running', 'indexing'], true)) {
                break;
            }
        }
        $this->assertSame('done', $state['state'], json_encode($state));
        return ['seconds' => microtime(true) - $t, 'indexed' => $state['result']['indexed'] ?? null];
    }

    /** What a worker of $node reports about itself. */
    private function probeNode(string $node): array
    {
        $r = $this->http('GET', '/?aisle_stack_probe=1', null, null, [], null, self::$url[$node]);
        $this->assertSame(200, $r['status'], $r['body']);
        return $r['json'];
    }

    public function testEachNodeIsItsOwnFpmMasterOnTheSharedSiteWithItsOwnIndexFolder(): void
    {
        $seen = [];
        foreach (['a', 'b'] as $node) {
            $p = $this->probeNode($node);
            $this->assertSame('fpm-fcgi', $p['sapi']);
            $this->assertTrue($p['extension'], "node $node loads the extension");
            $this->assertStringContainsString("/node-$node/fpm/conf.d/50-aisle.ini", (string) $p['extension_ini_file'], 'by its own ini');
            $this->assertTrue($p['redis_connected'], "node $node uses the shared Redis");
            $this->assertContains($p['pid'], self::$s->fpmWorkers($node), "answered by node $node's own pool");
            $this->assertSame(self::$s->nodes[$node]['index_dir'], $p['index_dir'], "node $node's AISLE_INDEX_DIR");
            $seen[] = self::$s->fpmMaster($node);
        }
        $this->assertNotSame($seen[0], $seen[1], 'two FPM masters');
        $this->assertNotContains(self::$s->fpmMaster(), $seen, 'neither is the stack\'s first pool');
        // One database: an option written through node A's worker is read by node B's.
        foreach (['a', 'b'] as $node) {
            $r = $this->http('POST', '/wp-json/aisle/v1/chat', ['session_id' => self::uuid(), 'message' => 'Do you have a blue hoodie under 50?', 'page_url' => ''], null, [], null, self::$url[$node]);
            $this->assertSame(200, $r['status'], $r['body']);
            $this->assertSame('Aisle Blue Hoodie', $r['json']['products'][0]['name'] ?? null, $r['body']);
        }
    }

    public function testAFullSyncOnNodeAReachesNodeBWhichAnswersMeanwhileAndRebuildsItsOwnIndex(): void
    {
        // Node B has no index of its own yet, or (in the full suite, where earlier tests synced)
        // the one it built after the chat above: either way an older one than the sync's.
        if ($this->indexOn('b')['recorded'] !== null) {
            $this->waitCaughtUp('b');
        }
        $old = $this->indexOn('b')['current'];

        // The full sync, run by node A's queue runner.
        $sync = $this->fullSyncOnNodeA();
        $a = $this->indexOn('a', 'alpine parka');
        $this->assertNotSame($old, $a['recorded'], 'the sync recorded a new generation');
        $this->assertSame($a['recorded'], $a['current'], 'node A answers from the generation it built');
        $this->assertSame(self::$s->nodes['a']['index_dir'] . '/index-' . $a['current'], $a['live_dir'], "under node A's AISLE_INDEX_DIR");
        $this->assertSame([self::$parka], $a['hits']);
        $products = (int) $a['products'];
        $this->assertGreaterThanOrEqual(self::PRODUCTS, $products);
        $treeA = self::tree($a['live_dir']);

        // Node B has not been asked since: still on its old generation (or none); asked now, it
        // answers from that (or the database lookup).
        $b = $this->indexOn('b');
        $this->assertSame($old, $b['current']);
        $this->assertSame($a['recorded'], $b['recorded'], 'node B reads the generation node A recorded (one database, one Redis)');
        $t = microtime(true);
        $r = $this->chatOn('b', 'Do you have a blue hoodie under 50?');
        $this->assertSame('Aisle Blue Hoodie', $r['json']['products'][0]['name'] ?? null, 'answered meanwhile: ' . $r['body']);
        $this->waitCaughtUp('b');
        $caughtUp = microtime(true) - $t;
        $b = $this->indexOn('b', 'alpine parka');
        $this->assertSame($a['current'], $b['current'], "node B's index.current equals the recorded generation");
        $this->assertSame(self::$s->nodes['b']['index_dir'] . '/index-' . $b['current'], $b['live_dir'], "its folder is under node B's own AISLE_INDEX_DIR");
        $this->assertSame([self::$parka], $b['hits'], "node B's own index finds the products");
        $this->assertSame($treeA, self::tree($a['live_dir']), "node A's folder untouched by node B's rebuild");
        $this->assertFileDoesNotExist(self::$s->nodes['b']['index_dir'] . '/index.failed');
        $this->assertCount(1, array_filter(self::swaps('b'), static fn (array $l): bool => $l['generation'] === $b['current']), 'one rebuild on node B for this generation');
        $this->assertCount(1, array_filter(self::swaps('a'), static fn (array $l): bool => $l['generation'] === $a['current']), 'node A made its generation live once (the sync)');
        fwrite(STDERR, sprintf("two nodes: %d products; full sync on node A %.1f s; node B (%s before) caught up %.1f s after its first answer (load %.2f)\n",
            $products, $sync['seconds'], $old === null ? 'no index' : 'an older index', $caughtUp, sys_getloadavg()[0]));
    }

    public function testADeltaOnNodeAReachesNodeBsAnswers(): void
    {
        $this->waitCaughtUp('b');
        $old = $this->indexOn('b', 'zephyr parka', 20.0);
        $this->assertSame([], $old['hits'], 'not yet renamed');
        // The product renamed and repriced (the merchant's save queues a delta), the delta run by node A.
        self::$h->wp('$p = wc_get_product(' . self::$parka . '); $p->set_name("Aisle Zephyr Parka"); $p->set_regular_price("19.00"); $p->save(); return true;');
        $this->assertGreaterThanOrEqual(1, $this->queueOn('a'), 'node A ran the delta');
        $a = $this->indexOn('a', 'zephyr parka', 20.0);
        $this->assertNotSame($old['recorded'], $a['recorded'], 'the delta recorded a new generation');
        $this->assertSame($a['recorded'], $a['current']);
        $this->assertSame([self::$parka], $a['hits'], "node A's index has the new name and price");

        // Node B, still on the generation before the delta: its first answer comes from that index.
        $b = $this->indexOn('b', 'zephyr parka', 20.0);
        $this->assertSame($old['current'], $b['current']);
        $this->assertSame([], $b['hits']);
        $t = microtime(true);
        $r = $this->chatOn('b', 'Do you have a zephyr?');
        $this->assertNotContains('Aisle Zephyr Parka', array_column($r['json']['products'] ?? [], 'name'), 'answered from the old index, not after a rebuild: ' . $r['body']);
        $this->waitCaughtUp('b');
        $took = microtime(true) - $t;
        $b = $this->indexOn('b', 'zephyr parka', 20.0);
        $this->assertSame($a['current'], $b['current']);
        $this->assertSame([self::$parka], $b['hits'], "the delta reached node B's own index (name and price)");
        $r = $this->chatOn('b', 'Do you have a zephyr?');
        $names = array_column($r['json']['products'] ?? [], 'name');
        $this->assertContains('Aisle Zephyr Parka', $names, $r['body']);
        $this->assertNotContains(self::$parka, $this->indexOn('b', 'alpine')['hits'], 'the old name is gone from node B\'s index');
        fwrite(STDERR, sprintf("two nodes: a delta on node A reached node B's index %.1f s after its next answer (load %.2f)\n", $took, sys_getloadavg()[0]));
    }

    public function testParallelRequestsOnNodeBAfterANewGenerationLeadToOneRebuild(): void
    {
        $this->waitCaughtUp('b');
        self::$h->wp('$p = wc_get_product(' . self::$parka . '); $p->set_regular_price("17.00"); $p->save(); return true;');
        $this->assertGreaterThanOrEqual(1, $this->queueOn('a'));
        $a = $this->indexOn('a');
        $this->assertSame($a['recorded'], $a['current']);
        $this->assertNotSame($a['recorded'], $this->indexOn('b')['current'], 'node B is behind');
        // As many chats at once as node B has workers: each notices, one rebuilds.
        $answers = $this->parallel(array_fill(0, self::$s->workers, ['POST', '/wp-json/aisle/v1/chat', ['session_id' => self::uuid(), 'message' => 'Do you have a parka?', 'page_url' => '']]), 120, self::$url['b']);
        $this->assertSame([200], array_values(array_unique(array_column($answers, 'status'))), json_encode(array_column($answers, 'body')));
        $workers = array_unique(array_map(static fn (array $a): string => (string) self::header($a, 'X-Stack-Worker'), $answers));
        $this->assertGreaterThan(1, count($workers), 'answered by several of node B\'s workers');
        $this->waitCaughtUp('b');
        // Then more requests, now that it is up to date: no rebuild either.
        $this->parallel(array_fill(0, self::$s->workers, ['POST', '/wp-json/aisle/v1/chat', ['session_id' => self::uuid(), 'message' => 'Do you have a parka?', 'page_url' => '']]), 120, self::$url['b']);
        usleep(500000);
        $rebuilds = array_values(array_filter(self::swaps('b'), static fn (array $l): bool => $l['generation'] === $a['recorded']));
        $this->assertCount(1, $rebuilds, 'one rebuild of the new generation on node B: ' . json_encode($rebuilds));
        $this->assertContains((string) $rebuilds[0]['pid'], $workers, 'by one of the workers that answered');
        // A second rebuild would show as a second swap, or (two at once in one folder) as a failed one.
        $this->assertFileDoesNotExist(self::$s->nodes['b']['index_dir'] . '/index.failed', 'no rebuild failed on node B');
        $this->assertSame([], glob(self::$s->nodes['b']['index_dir'] . '/.build-*') ?: [], 'no build left behind');
    }
}
