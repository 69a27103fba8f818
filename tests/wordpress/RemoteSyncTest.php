<?php
declare(strict_types=1);

/**
 * Remote sync against a fake hosted backend (tests/wordpress/bin/fake-remote.php: HTTPS on
 * loopback with its own certificate, started and stopped here by PID). Runs after SyncTest,
 * whose 2,000-product index it pushes.
 */
final class RemoteSyncTest extends WpTestCase
{
    private string $dir;
    /** @var resource|null */
    private $proc = null;
    private array $pipes = [];
    private string $muPlugin;
    private string $batchPlugin;

    protected function setUp(): void
    {
        parent::setUp();
        if (!self::$h->wp('return class_exists("Aisle\\\\Catalog") && method_exists("Aisle\\\\Catalog", "batches");')) {
            $this->fail('Aisle\Catalog::batches is not in this extension build');
        }
        $this->dir = self::$h->root . '/remote';
        @mkdir($this->dir, 0700);
        $this->muPlugin = self::$h->site . '/wp-content/mu-plugins/aisle-test-remote-ca.php';
        $this->batchPlugin = self::$h->site . '/wp-content/mu-plugins/aisle-test-remote-batch.php';
    }

    protected function tearDown(): void
    {
        Harness::endProcess($this->proc, $this->pipes);
        @unlink($this->muPlugin);
        @unlink($this->batchPlugin);
        $this->rest('POST', '/settings', $this->admin(), ['remote_endpoint' => '', 'clear_secrets' => ['remote_consumer_key', 'remote_consumer_secret']]);
        self::$h->wp('as_unschedule_all_actions("aisle_remote_push"); Aisle\Plugin\Catalog\RemoteSync::forget(); return true;');
        parent::tearDown();
    }

    private function runActions(): int
    {
        return (int) self::$h->wp('return aisle_test_run_actions(1000);');
    }

    /** Makes the pending retry due now (instead of waiting out the backoff). */
    private function retryNow(): void
    {
        self::$h->wp("return aisle_test_make_due('aisle_remote_push');");
    }

    /** @return list<array{request: string, headers: array, body: string, status: int}> */
    private function requests(): array
    {
        $file = "{$this->dir}/requests.ndjson";
        return is_file($file) ? array_map(static fn ($l) => json_decode($l, true), file($file, FILE_IGNORE_NEW_LINES)) : [];
    }

    private function remote(): array
    {
        return $this->rest('GET', '/sync', $this->admin())['json']['remote'];
    }

    public function testChangesAndDeletionsArePushedAsNdjsonBatchesWithRetries(): void
    {
        $this->assertSame('2000', self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n'], 'SyncTest left its index');
        self::$h->cli(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', "{$this->dir}/key.pem", '-out', "{$this->dir}/cert.pem",
            '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']);
        $this->proc = proc_open([PHP_BINARY, __DIR__ . '/bin/fake-remote.php', $this->dir, "{$this->dir}/cert.pem", "{$this->dir}/key.pem"], [1 => ['pipe', 'w'], 2 => ['file', "{$this->dir}/server.log", 'a']], $this->pipes);
        $line = (string) fgets($this->pipes[1]);
        $this->assertMatchesRegularExpression('/listening on 127\.0\.0\.1:(\d+)/', $line);
        preg_match('/listening on (127\.0\.0\.1:\d+)/', $line, $m);
        $endpoint = "https://{$m[1]}/ingest";

        $ck = 'ck_' . str_repeat('7', 40);
        $cs = 'cs_' . str_repeat('9', 40);
        $r = $this->rest('POST', '/settings', $this->admin(), ['remote_endpoint' => $endpoint, 'remote_consumer_key' => $ck, 'remote_consumer_secret' => $cs]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertTrue($this->remote()['configured']);

        // Small payloads, so 2,000 products make several batches.
        file_put_contents($this->batchPlugin, "<?php\nadd_filter('aisle_remote_batch_bytes', static fn () => 200000);\n");

        // First sync after the endpoint is set: everything goes. TLS is verified: until the test
        // CA is trusted, the push fails and is retried later instead of being sent.
        $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
        $this->runActions();
        $remote = $this->remote();
        $this->assertSame('retrying', $remote['state'], json_encode($remote));
        $this->assertSame(0, $remote['sent']);
        $this->assertNotNull($remote['next_retry_at']);
        $this->assertStringContainsString('Could not reach', (string) $remote['last_error']);
        $this->assertSame([], $this->requests(), 'nothing was sent over an unverified connection');

        file_put_contents($this->muPlugin, "<?php\n// Test only: trust the fake backend's certificate (verification stays on).\n"
            . "add_filter('http_request_args', static function (\$args, \$url) { if (str_starts_with(\$url, " . var_export($endpoint, true) . ")) { \$args['sslcertificates'] = " . var_export("{$this->dir}/cert.pem", true) . "; } return \$args; }, 10, 2);\n"
            );
        $this->retryNow();
        $this->runActions();
        $remote = $this->remote();
        $this->assertSame('done', $remote['state'], json_encode($remote));
        $this->assertSame(2000, $remote['products_sent']);
        $this->assertSame(0, $remote['pending']);

        $requests = $this->requests();
        $this->assertGreaterThan(1, count($requests), 'batched');
        $ids = [];
        foreach ($requests as $req) {
            $this->assertSame('POST /ingest HTTP/1.1', $req['request']);
            $this->assertSame('Basic ' . base64_encode("$ck:$cs"), $req['headers']['authorization']);
            $this->assertStringStartsWith('application/x-ndjson', $req['headers']['content-type']);
            $this->assertLessThanOrEqual(200000, strlen($req['body']));
            foreach (explode("\n", rtrim($req['body'], "\n")) as $doc) {
                $ids[] = json_decode($doc, true, 512, JSON_THROW_ON_ERROR)['id'];
            }
        }
        $this->assertCount(2000, array_unique($ids));
        $this->assertStringNotContainsString($cs, (string) json_encode($this->rest('GET', '/sync', $this->admin())['json']));

        // A product edit pushes just that product.
        $id = (int) self::$h->query("SELECT ID FROM wp_posts WHERE post_type = 'product' AND post_status = 'publish' ORDER BY ID LIMIT 1 OFFSET 7")[0]['ID'];
        self::$h->wp("return aisle_test_save_product(array('id' => $id, 'name' => 'Remote Lantern', 'regular_price' => '12.00', 'sku' => 'SKU-RL'));");
        $this->runActions();
        $last = array_slice($this->requests(), -1)[0];
        $this->assertSame(1, substr_count($last['body'], "\n"));
        $doc = json_decode($last['body'], true);
        $this->assertSame($id, (int) $doc['id']);
        $this->assertStringContainsString('Remote Lantern', $last['body']);

        // A deletion is pushed too; the backend answers 503 once, the push is retried with backoff.
        file_put_contents("{$this->dir}/fail", '1');
        $gone = $id + 1;
        self::$h->wp("aisle_test_delete_product($gone); return true;");
        $this->runActions();
        $remote = $this->remote();
        $this->assertSame('retrying', $remote['state']);
        $this->assertSame(1, $remote['attempts']);
        $this->assertStringContainsString('503', (string) $remote['last_error']);
        $this->assertSame(503, array_slice($this->requests(), -1)[0]['status']);
        $this->retryNow();
        $this->runActions();
        $remote = $this->remote();
        $this->assertSame('done', $remote['state'], json_encode($remote));
        $this->assertSame(1, $remote['deleted_sent']);
        $last = array_slice($this->requests(), -1)[0];
        $this->assertSame(200, $last['status']);
        $this->assertSame(['id' => $gone, 'deleted' => true], json_decode($last['body'], true));

        // Put the catalog back as SyncTest left it (later tests count on 2,000 products).
        self::$h->wp("wp_untrash_post($gone); wp_publish_post($gone); return true;");
        $this->runActions();
    }
}
