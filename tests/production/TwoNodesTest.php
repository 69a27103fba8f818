<?php
declare(strict_types=1);

/**
 * Two web nodes on one database (issue 19, "Several web nodes"): nodes A and B are each their own
 * nginx + PHP-FPM master (Stack::startNode()) on the stack's MariaDB, Redis and site files
 * (shared uploads), each with its own local index folder (AISLE_INDEX_DIR).
 */
final class TwoNodesTest extends ProductionTestCase
{
    /** @var array<string, string> node name => URL */
    private static array $url = [];
    /** @var array<string, int> node name => bytes of its FPM PHP log at setUp */
    private array $nodeLog = [];

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        ChatSeed::seed(self::$h);
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
}
