<?php
declare(strict_types=1);

/**
 * Aisle on the stack stores run: nginx (page cache) + PHP-FPM + MariaDB + Redis object cache.
 * Activation, sync, chat through nginx and FPM, the object cache in use inside the workers, the
 * page-cached storefront still chatting, and the rate limiter counting across workers in Redis
 * with no database write.
 */
final class StackTest extends ProductionTestCase
{
    private static bool $seeded = false;

    protected function setUp(): void
    {
        parent::setUp();
        if (!self::$seeded) {
            self::$seeded = true;
            ChatSeed::seed(self::$h);
        }
        self::resetLimits();
    }

    public function testWorkersRunFpmWithTheExtensionAndTheRedisObjectCache(): void
    {
        $p = $this->probe();
        $this->assertSame('fpm-fcgi', $p['sapi']);
        $this->assertTrue($p['extension'], 'the extension is loaded in the FPM pool');
        $this->assertStringContainsString('50-aisle.ini', (string) $p['extension_ini_file'], 'loaded by its own ini');
        $this->assertTrue($p['ext_object_cache'], 'wp_using_ext_object_cache() inside an FPM worker');
        $this->assertTrue($p['redis_connected']);
        $this->assertContains($p['pid'], self::$s->fpmWorkers(), 'answered by a worker of the pool this stack started');
        $this->assertTrue(self::$h->wp('return is_plugin_active("aisle/aisle.php");'));
        // Options live in Redis: a fresh worker reads alloptions from the cache, not the database.
        $this->assertNotFalse(self::$h->wp('return (bool) wp_cache_get("alloptions", "options", true);'));
    }

    public function testSyncThenChatThroughNginxAndFpm(): void
    {
        $r = $this->chat(self::uuid(), 'Do you have a blue hoodie under 50?');
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertStringStartsWith('nginx', (string) self::header($r, 'Server'));
        $this->assertSame('no-store', self::header($r, 'Cache-Control'));
        $this->assertSame('Aisle Blue Hoodie', $r['json']['products'][0]['name'] ?? null, $r['body']);
        // The index and snapshot are not served by nginx (Apache has Aisle's .htaccess; nginx its rule).
        $dir = self::$h->site . '/wp-content/uploads/aisle';
        $files = array_values(array_filter(glob("$dir/{,*/}*", GLOB_BRACE) ?: [], 'is_file'));
        $this->assertNotEmpty($files, 'the delta sync wrote its index under uploads/aisle');
        foreach (array_slice($files, 0, 5) as $file) {
            $this->assertSame(403, $this->http('GET', '/wp-content/uploads/aisle/' . substr($file, strlen($dir) + 1))['status'], $file);
        }
    }

    public function testThePageCachedStorefrontStillChats(): void
    {
        $url = parse_url((string) self::$h->wp('return get_permalink(wc_get_product_id_by_sku("AH-BLUE-1"));'), PHP_URL_PATH);
        $first = $this->http('GET', $url);
        $this->assertSame(200, $first['status']);
        $second = $this->http('GET', $url);
        $this->assertSame('HIT', self::header($second, 'X-Cache'), 'nginx serves the product page from its cache');
        $this->assertSame($first['body'], $second['body']);
        // The cached page carries the widget, with no nonce a page cache could serve stale.
        $this->assertStringContainsString('window.aisleConfig=', $second['body'], 'the widget is on the cached page');
        $this->assertDoesNotMatchRegularExpression('~"nonce"\s*:~i', $this->widgetConfig($second['body']));
        // A visitor of the cached page: no cookie, no nonce, the page's Origin.
        $r = $this->chat(self::uuid(), 'hello', ['Origin: ' . self::$s->url]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertNotSame('', $r['json']['reply']);
        // Chat answers are never cached.
        $this->assertNull(self::header($r, 'X-Cache') === 'HIT' ? 'HIT' : null);
    }

    public function testRateLimiterCountsAcrossWorkersInRedisWithoutDatabaseWrites(): void
    {
        $this->settings(['rate_limit_session' => 20, 'rate_limit_ip' => 1000]);
        try {
            $session = self::uuid();
            $answers = $this->parallel(array_fill(0, 60, ['POST', '/wp-json/aisle/v1/chat', ['session_id' => $session, 'message' => 'hello', 'page_url' => '']]));
            $statuses = array_count_values(array_column($answers, 'status'));
            ksort($statuses);
            $this->assertSame([200 => 20, 429 => 40], $statuses, 'exactly the limit passes, however the hits spread over the workers');
            $workers = [];
            foreach ($answers as $a) {
                $workers[self::header($a, 'X-Stack-Worker')] = true;
                if ($a['status'] === 429) {
                    $this->assertMatchesRegularExpression('/^([1-9]|[1-5]\d|60)$/', (string) self::header($a, 'Retry-After'));
                    $this->assertSame('aisle_rate_limited', $a['json']['code']);
                }
            }
            $this->assertGreaterThan(1, count($workers), 'the requests were spread over several FPM workers: ' . json_encode($workers));
            $hits = $this->parallel(array_fill(0, 200, ['GET', '/?aisle_stack_probe=hit&bucket=redis' . mt_rand() . '&limit=100']));
            $allowed = count(array_filter($hits, static fn (array $a): bool => $a['status'] === 200 && $a['json']['retry'] === 0));
            $this->assertSame(100, $allowed, '200 simultaneous hits on a limit of 100: wp_cache_incr loses none');
            $this->assertSame('0', self::$h->query("SELECT COUNT(*) AS n FROM wp_options WHERE option_name LIKE '%aisle\\_rl\\_%'")[0]['n'], 'no counter in the database');
            // Refused requests of a limited session: no statement that writes reaches MariaDB.
            $before = $this->writeStatements();
            $more = $this->parallel(array_fill(0, 20, ['POST', '/wp-json/aisle/v1/chat', ['session_id' => $session, 'message' => 'hello', 'page_url' => '']]));
            $this->assertSame([429], array_values(array_unique(array_column($more, 'status'))));
            $this->assertSame(0, $this->writeStatements() - $before, 'the limiter (and a refused request) wrote nothing to the database');
        } finally {
            $this->settings(['rate_limit_session' => 1000]);
        }
    }

    /** Statements that write (INSERT, UPDATE, DELETE, REPLACE) MariaDB has run so far, from every connection. */
    private function writeStatements(): int
    {
        $n = 0;
        foreach (self::$h->query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_insert', 'Com_update', 'Com_delete', 'Com_replace', 'Com_insert_select', 'Com_update_multi', 'Com_delete_multi')") as $row) {
            $n += (int) $row['Value'];
        }
        return $n;
    }

    private function widgetConfig(string $html): string
    {
        return preg_match('~<script[^>]*id="aisle-widget-js-before"[^>]*>(.*?)</script>~s', $html, $m) ? $m[1] : $html;
    }
}
