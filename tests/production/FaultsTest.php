<?php
declare(strict_types=1);

/**
 * Faults on the production stack, each with what the visitor and the data must see: Redis gone
 * (the site and chat keep working, the limiter still limits, in the database), the AI provider
 * failing (the built-in answer with a note, within the timeouts), an FPM worker killed in the
 * middle of a chat, and MariaDB restarted in the middle of a full sync (the sync resumes and
 * loses nothing; chat meanwhile answers 503 with Retry-After, the cached storefront stays up).
 */
final class FaultsTest extends ProductionTestCase
{
    /** @var resource|null */
    private static $fake = null;
    private static int $fakePort = 0;

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        ChatSeed::seed(self::$h);
        self::$h->wp('(new Aisle\Plugin\Privacy\Secrets())->save("ai_api_key", "sk-prod-test"); return true;');
        // Started last: nothing after it can throw and leave it running.
        self::$fakePort = Harness::freePort();
        self::$fake = proc_open([PHP_BINARY, '-S', '127.0.0.1:' . self::$fakePort, dirname(__DIR__) . '/fakes/provider.php'],
            [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes, null, ['PHP_CLI_SERVER_WORKERS' => '4'] + getenv());
        for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', self::$fakePort); $i++) {
            usleep(50000);
        }
    }

    public static function tearDownAfterClass(): void
    {
        self::$h->wp('$s = get_option("aisle_settings"); $s["ai_provider"] = "none"; update_option("aisle_settings", $s); return true;');
        Harness::endProcess(self::$fake);
    }

    protected function setUp(): void
    {
        parent::setUp();
        self::resetLimits();
    }

    private function provider(string $model, int $timeout = 30, ?int $port = null): void
    {
        $this->settings(['ai_provider' => 'openai', 'ai_base_url' => 'http://127.0.0.1:' . ($port ?? self::$fakePort), 'ai_model' => $model, 'ai_timeout' => $timeout, 'ai_connect_timeout' => 2]);
    }

    public function testRedisDownTheSiteAndChatKeepWorkingAndTheLimiterStillLimits(): void
    {
        self::$s->stopRedis();
        try {
            $p = $this->probe();
            $this->assertFalse($p['redis_connected']);
            $this->assertFalse($p['ext_object_cache'], 'the drop-in fails open: transients go to the database again');
            $this->assertSame(200, $this->http('GET', '/shop/?uncached=' . mt_rand())['status'], 'the storefront renders without Redis');
            $r = $this->chat(self::uuid(), 'Do you have a blue hoodie under 50?');
            $this->assertSame(200, $r['status'], $r['body']);
            $this->assertSame('Aisle Blue Hoodie', $r['json']['products'][0]['name'] ?? null);

            // The limiter's fallback: one atomic statement per hit, so parallel workers lose no hit.
            $this->settings(['rate_limit_session' => 20, 'rate_limit_ip' => 1000]);
            $session = self::uuid();
            $answers = $this->parallel(array_fill(0, 60, ['POST', '/wp-json/aisle/v1/chat', ['session_id' => $session, 'message' => 'hello', 'page_url' => '']]));
            $statuses = array_count_values(array_column($answers, 'status'));
            ksort($statuses);
            $this->assertSame([200 => 20, 429 => 40], $statuses, 'exactly the limit passes without Redis too');
            foreach ($answers as $a) {
                if ($a['status'] === 429) {
                    $this->assertMatchesRegularExpression('/^([1-9]|[1-5]\d|60)$/', (string) self::header($a, 'Retry-After'));
                }
            }
            $this->assertGreaterThan(0, (int) self::$h->query("SELECT COUNT(*) AS n FROM wp_options WHERE option_name LIKE '\\_transient\\_aisle\\_rl\\_%'")[0]['n'], 'counted in the database');
            // 200 bare hits at once on a limit of 100: exactly 100 pass when no increment is lost
            // (get/set_transient, the code before, let 165 of the 200 through here).
            $this->assertSame([0 => 100, 1 => 100], $this->parallelHits('db' . mt_rand(), 100, 200));
        } finally {
            $this->settings(['rate_limit_session' => 1000]);
            self::$s->startRedis();
        }
        $this->assertTrue($this->probe()['redis_connected'], 'back on Redis once it is up');
    }

    /** @return array{0: int, 1: int} [allowed, refused] of $n simultaneous limiter hits */
    protected function parallelHits(string $bucket, int $limit, int $n): array
    {
        $answers = $this->parallel(array_fill(0, $n, ['GET', "/?aisle_stack_probe=hit&bucket=$bucket&limit=$limit"]));
        $this->assertSame([200], array_values(array_unique(array_column($answers, 'status'))));
        $out = [0 => 0, 1 => 0];
        foreach ($answers as $a) {
            $out[$a['json']['retry'] > 0 ? 1 : 0]++;
        }
        return $out;
    }

    public function testProviderFailuresEndInTheBuiltInAnswerWithinTheTimeouts(): void
    {
        $dead = Harness::freePort(); // Nothing listens there: the connection is refused.
        try {
            foreach ([['fake-500', 30, null, 10], ['fake-garbage', 30, null, 10], ['fake-429', 30, null, 10], ['fake-slow', 2, null, 6], ['fake-echo', 30, $dead, 10]] as [$model, $timeout, $port, $bound]) {
                $this->provider($model, $timeout, $port);
                $t = microtime(true);
                $r = $this->chat(self::uuid(), 'Do you ship to Germany?');
                $took = microtime(true) - $t;
                $this->assertSame(200, $r['status'], "$model: {$r['body']}");
                $this->assertStringContainsString('not available right now', $r['json']['reply'], $model);
                $this->assertStringContainsString('DHL Paket', $r['json']['reply'], "$model: the built-in answer follows the note");
                $this->assertLessThan($bound, $took, "$model: answered within its timeout");
            }
        } finally {
            $this->settings(['ai_provider' => 'none']);
        }
        $this->assertSame(0, (int) (self::$s->fpmStatus()['active processes'] ?? 1) - 1, 'no worker left stuck (only the status request is active)');
    }

    /**
     * The provider faults the first test does not reach: a connect that never completes (a server
     * whose accept queue is full drops the SYN), a 10 MB answer, and, in the widget's streamed chat,
     * a read timeout in the middle of the stream and a stream that ends without [DONE]. Each ends
     * in the built-in answer with the note, within its timeout, no worker stuck.
     */
    public function testStreamAndConnectFaultsEndInTheBuiltInAnswerToo(): void
    {
        // backlog 0: one connection waits in the accept queue; ours fills it, so the next SYN is dropped.
        $full = stream_socket_server('tcp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, stream_context_create(['socket' => ['backlog' => 0]]));
        $this->assertNotFalse($full, $error);
        $port = (int) substr(strrchr(stream_socket_get_name($full, false), ':'), 1);
        $fillers = [];
        for ($i = 0; $i < 3; $i++) {
            $fillers[] = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 1, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT);
        }
        try {
            // [model, ai_timeout, port, streamed, bound in seconds]
            $cases = [['fake-echo', 30, $port, false, 8], ['fake-huge', 30, null, false, 15], ['fake-slow-stream', 2, null, true, 8], ['fake-cut-stream', 30, null, true, 10], ['fake-huge', 30, null, true, 15]];
            foreach ($cases as [$model, $timeout, $at, $streamed, $bound]) {
                $what = ($at ? 'connect timeout' : $model) . ($streamed ? ', streamed' : '');
                $this->provider($model, $timeout, $at);
                $t = microtime(true);
                $r = $this->http('POST', '/wp-json/aisle/v1/chat' . ($streamed ? '?stream=1' : ''), ['session_id' => self::uuid(), 'message' => 'Do you ship to Germany?', 'page_url' => '']);
                $took = microtime(true) - $t;
                $this->assertSame(200, $r['status'], "$what: {$r['body']}");
                $answer = $streamed ? self::doneEvent($r['body']) : $r['json'];
                $this->assertIsArray($answer, "$what: a final answer ({$r['body']})");
                $this->assertStringContainsString('not available right now', (string) $answer['reply'], $what);
                $this->assertStringContainsString('DHL Paket', (string) $answer['reply'], "$what: the built-in answer follows the note");
                $this->assertLessThan($bound, $took, "$what: answered within its timeout");
            }
        } finally {
            $this->settings(['ai_provider' => 'none']);
            foreach ($fillers as $f) {
                if (is_resource($f)) {
                    fclose($f);
                }
            }
            fclose($full);
        }
        $this->assertSame(0, (int) (self::$s->fpmStatus()['active processes'] ?? 1) - 1, 'no worker left stuck (only the status request is active)');
    }

    /** The `done` event's object of a streamed chat (text/event-stream), null when there is none. */
    private static function doneEvent(string $body): ?array
    {
        foreach (preg_split('/\n\n/', $body) as $event) {
            if (preg_match('/^event: done\ndata: (.*)$/s', trim($event), $m)) {
                return json_decode($m[1], true);
            }
        }
        return null;
    }

    public function testAWorkerKilledMidChatCostsOneRequestNotTheSite(): void
    {
        $this->provider('fake-slow', 30); // The fake sleeps 5 s: the worker is mid-request for that long.
        try {
            $mh = curl_multi_init();
            $ch = curl_init(self::$s->url . '/wp-json/aisle/v1/chat');
            curl_setopt_array($ch, [CURLOPT_POSTFIELDS => json_encode(['session_id' => self::uuid(), 'message' => 'hello', 'page_url' => '']),
                CURLOPT_HTTPHEADER => ['Content-Type: application/json'], CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 60]);
            curl_multi_add_handle($mh, $ch);
            $victim = 0;
            for ($i = 0; $i < 100 && !$victim; $i++) {
                curl_multi_exec($mh, $running);
                usleep(50000);
                foreach (self::$s->fpmStatus(true)['processes'] ?? [] as $proc) {
                    // The only POST in flight (FPM shows the script's URI, /index.php, not the route).
                    if ($proc['state'] === 'Running' && $proc['request method'] === 'POST') {
                        $victim = (int) $proc['pid'];
                    }
                }
            }
            $this->assertContains($victim, self::$s->fpmWorkers(), 'the chat runs in a worker this stack started');
            posix_kill($victim, SIGKILL);
            do {
                curl_multi_exec($mh, $running);
                curl_multi_select($mh, 0.2);
            } while ($running);
            $this->assertSame(502, curl_getinfo($ch, CURLINFO_RESPONSE_CODE), 'nginx answers for the dead worker');
            curl_multi_remove_handle($mh, $ch);
            curl_multi_close($mh);
        } finally {
            $this->settings(['ai_provider' => 'none']);
        }
        $this->expectLogLines('/WARNING: \[pool aisle\] child \d+ exited on signal 9/');
        for ($i = 0; $i < 5; $i++) {
            $r = $this->chat(self::uuid(), 'Do you have a blue hoodie under 50?');
            $this->assertSame(200, $r['status'], $r['body']);
        }
        $this->assertNotContains($victim, self::$s->fpmWorkers());
        $this->assertGreaterThanOrEqual(1, count(self::$s->fpmWorkers()), 'the master started new workers');
        $this->assertStringNotContainsString('Fatal', self::$h->debugLog());
    }

    public function testMariaDbRestartedMidSyncTheSyncResumesAndLosesNothing(): void
    {
        $n = 1200;
        self::$h->wp("aisle_test_generate_products($n, 7); return aisle_test_run_actions();");
        // What a sync without faults would index (the adapter's own selection of the catalog).
        $total = (int) self::$h->wp('$s = new Aisle\Plugin\Settings(); return count((new Aisle\Plugin\Catalog\WooAdapter())->product_ids_after(0, 1000000, array("include_out_of_stock" => (bool) $s->get("include_out_of_stock"), "include_hidden" => (bool) $s->get("include_hidden"))));');
        $this->assertGreaterThan(1000, $total);
        $shop = $this->http('GET', '/shop/');
        $this->assertSame(200, $shop['status']);
        self::$h->wp('add_filter("aisle_sync_batch_size", fn () => 300); return true;');
        $sync = '$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()));';
        $started = self::$h->wp($sync . ' $r = $sync->start(); return is_wp_error($r) ? $r->get_error_message() : $sync->state();');
        $this->assertIsArray($started, json_encode($started));
        $this->assertSame(1, (int) self::$h->wp('add_filter("aisle_sync_job_seconds", "__return_zero"); return aisle_test_run_actions(1);'), 'one more batch before the outage');

        // The database goes away between two batches.
        self::$h->restartDatabase(true);
        $this->expectLogLines('/mysqli_real_connect|Error establishing a database connection|WordPress database error/');
        try {
            $r = $this->chat(self::uuid(), 'hello');
            $this->assertSame(503, $r['status'], $r['body']);
            $this->assertSame('30', self::header($r, 'Retry-After'));
            $this->assertSame('database_unavailable', $r['json']['code'] ?? null, $r['body']);
            $page = $this->http('GET', '/shop/');
            $this->assertSame(200, $page['status'], 'the page cache keeps serving the storefront');
            $this->assertContains(self::header($page, 'X-Cache'), ['HIT', 'STALE', 'UPDATING']);
        } finally {
            self::$h->restartDatabase();
        }

        // A batch in flight when MariaDB restarts: the queue runner is mid-request.
        $bg = proc_open([PHP_BINARY, '-dextension=' . self::$h->ext, dirname(__DIR__) . '/wordpress/bin/wp-eval.php', self::$h->site, self::$h->host],
            [['pipe', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes);
        fwrite($pipes[0], 'add_filter("aisle_sync_batch_size", fn () => 300); add_filter("aisle_sync_job_seconds", "__return_zero"); return aisle_test_run_actions(1);');
        fclose($pipes[0]);
        usleep(300000);
        self::$h->restartDatabase();
        for ($i = 0; $i < 600 && proc_get_status($bg)['running']; $i++) {
            usleep(100000);
        }
        proc_close($bg);

        // Then the queue runs on: the run resumes from its saved cursor.
        $state = null;
        for ($round = 0; $round < 20; $round++) {
            $state = self::$h->wp($sync . ' add_filter("aisle_sync_batch_size", fn () => 300); aisle_test_run_actions(); return $sync->progress();');
            if (!in_array($state['state'], ['queued', 'running', 'indexing'], true)) {
                break;
            }
            usleep(500000);
        }
        $this->assertSame('done', $state['state'], json_encode($state));
        $this->assertSame($total, $state['result']['indexed'] ?? null, 'every product indexed');
        $this->assertSame((string) $total, self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n'], 'each once');
        $r = $this->chat(self::uuid(), 'hello');
        $this->assertSame(200, $r['status'], $r['body']);
    }

    /**
     * A sync worker killed with SIGKILL mid-batch, holding the lock (its finally never runs): the
     * next progress poll sees the owner's pid is gone, frees the lock and resumes from the saved
     * cursor, within seconds instead of LOCK_TTL (600 s). Every product is indexed once.
     */
    public function testASyncWorkerKilledMidBatchIsResumedWithoutWaitingOutTheLock(): void
    {
        $count = '$s = new Aisle\Plugin\Settings(); return count((new Aisle\Plugin\Catalog\WooAdapter())->product_ids_after(0, 1000000, array("include_out_of_stock" => (bool) $s->get("include_out_of_stock"), "include_hidden" => (bool) $s->get("include_hidden"))));';
        if ((int) self::$h->wp($count) < 700) {
            self::$h->wp('aisle_test_generate_products(700, 11); return aisle_test_run_actions();'); // Alone: the MariaDB test made none yet.
        }
        $total = (int) self::$h->wp($count);
        $this->assertGreaterThan(600, $total);
        $sync = '$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings())); add_filter("aisle_sync_batch_size", fn () => 300);';
        $started = self::$h->wp($sync . ' $r = $sync->start(); return is_wp_error($r) ? $r->get_error_message() : $sync->state();');
        $this->assertIsArray($started, json_encode($started));
        self::$h->wp('add_filter("aisle_sync_job_seconds", "__return_zero"); return aisle_test_run_actions(1);');
        $before = self::$h->wp($sync . ' return $sync->state();');
        $this->assertSame('running', $before['state'], json_encode($before));

        // A queue runner that takes the lock, then stalls inside the batch until it is killed.
        $flag = sys_get_temp_dir() . '/aisle-killed-' . getmypid();
        @unlink($flag);
        $bg = proc_open([PHP_BINARY, '-dextension=' . self::$h->ext, dirname(__DIR__) . '/wordpress/bin/wp-eval.php', self::$h->site, self::$h->host],
            [['pipe', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes);
        fwrite($pipes[0], 'add_filter("aisle_sync_batch_size", function () { touch(' . var_export($flag, true) . '); sleep(120); return 300; }); return aisle_test_run_actions(1);');
        fclose($pipes[0]);
        for ($i = 0; $i < 200 && !is_file($flag); $i++) {
            usleep(50000);
        }
        $this->assertFileExists($flag, 'the runner reached the batch');
        $lock = self::$h->query("SELECT option_value FROM wp_options WHERE option_name = 'aisle_sync_lock'");
        $this->assertCount(1, $lock, 'it holds the lock');
        $victim = (int) proc_get_status($bg)['pid'];
        $this->assertStringEndsWith('|' . $victim, $lock[0]['option_value'], 'the lock names its owner');
        posix_kill($victim, SIGKILL);
        for ($i = 0; $i < 100 && proc_get_status($bg)['running']; $i++) {
            usleep(50000);
        }
        proc_close($bg);
        @unlink($flag);
        $this->assertCount(1, self::$h->query("SELECT option_value FROM wp_options WHERE option_name = 'aisle_sync_lock'"), 'the dead worker left its lock behind');

        $t = microtime(true);
        $state = null;
        for ($round = 0; $round < 60; $round++) {
            // The admin's progress poll (GET aisle/v1/sync) and the queue, as on a store with nobody else moving it.
            $state = self::$h->wp($sync . ' $p = $sync->progress(); aisle_test_run_actions(); return $sync->progress();');
            if (!in_array($state['state'], ['queued', 'running', 'indexing'], true)) {
                break;
            }
            usleep(500000);
        }
        $took = microtime(true) - $t;
        $this->assertSame('done', $state['state'], json_encode($state));
        $this->assertLessThan(60, $took, 'resumed well within a minute, not after the 600 s lock');
        $this->assertSame($total, $state['result']['indexed'] ?? null, 'every product indexed');
        $this->assertSame((string) $total, self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n'], 'each once');
        $this->assertSame([], self::$h->query("SELECT option_value FROM wp_options WHERE option_name = 'aisle_sync_lock'"), 'no lock left');
        fwrite(STDERR, sprintf("killed sync worker: resumed and done in %.1f s (%d products)\n", $took, $total));
    }
}
