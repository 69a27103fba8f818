<?php
declare(strict_types=1);

final class LicenseTest extends WpTestCase
{
    public function testLicenseRouteReportsStatus(): void
    {
        $r = $this->rest('GET', '/license', $this->admin());
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertTrue($r['json']['development_site'], 'a 127.0.0.1 site is flagged as development');
        $this->assertArrayHasKey('available', $r['json']);
        $this->assertFalse($r['json']['license_key']['saved']);
    }

    public function testGarbageTokenIsRejectedClearly(): void
    {
        if (!self::$h->wp('return class_exists("Aisle\\\\License");')) {
            $this->fail('Aisle\License is not in this extension build yet (issue 4)');
        }
        $r = $this->rest('POST', '/license/activate', $this->admin(), ['token' => 'not-a-token']);
        $this->assertSame(400, $r['status'], $r['body']);
        $this->assertSame('aisle_license_malformed', $r['json']['code']);
        $this->assertNull($this->option('aisle_license_token'));
    }

    /**
     * Key → token through the settings route against the real vendor server (`aisle-license serve`),
     * then offline verification and the daily re-check.
     */
    public function testActivationThroughTheRouteAgainstAisleLicenseServe(): void
    {
        $bin = getenv('AISLE_LICENSE_BIN') ?: dirname(__DIR__, 2) . '/target/release/aisle-license';
        if (!self::$h->wp('return class_exists("Aisle\\\\License");') || !is_executable($bin) || !str_contains((string) shell_exec(escapeshellarg($bin) . ' --help 2>&1'), 'serve')) {
            $this->fail('Aisle\License and `aisle-license serve` are not in this build yet (issue 4)');
        }
        $dir = self::$h->root . '/license';
        @mkdir($dir, 0700);
        $pub = trim(self::$h->cli([$bin, 'keygen', '--out', "$dir/signing.key"]));
        $pub = trim((string) preg_replace('/^.*?([A-Za-z0-9+\/_-]{40,}=*).*$/s', '$1', $pub));
        $key = trim(self::$h->cli([$bin, 'add', '--db', "$dir/licenses.db", '--plan', 'pro', '--seats', '1', '--days', '30', '--features', 'ai,leads']));
        $key = trim((string) preg_replace('/^.*?(AISLE-[A-Z0-9-]+).*$/s', '$1', $key));
        $this->assertStringStartsWith('AISLE-', $key);

        $proc = proc_open([$bin, 'serve', '--key', "$dir/signing.key", '--db', "$dir/licenses.db", '--listen', '127.0.0.1:0'], [1 => ['pipe', 'w'], 2 => ['file', "$dir/serve.log", 'a']], $pipes);
        try {
            $line = (string) fgets($pipes[1]);
            $this->assertMatchesRegularExpression('/listening on (\S+)/', $line);
            preg_match('/listening on (\S+)/', $line, $m);
            file_put_contents(self::$h->site . '/test-config.php', "<?php\ndefine('AISLE_LICENSE_SERVER', 'http://{$m[1]}');\ndefine('AISLE_LICENSE_PUBLIC_KEY', " . var_export($pub, true) . ");\n");

            $bad = $this->rest('POST', '/license/activate', $this->admin(), ['license_key' => 'AISLE-0000-0000-0000-0000-0000']);
            $this->assertSame(400, $bad['status'], $bad['body']);

            $r = $this->rest('POST', '/license/activate', $this->admin(), ['license_key' => $key]);
            $this->assertSame(200, $r['status'], $r['body']);
            $this->assertSame('active', $r['json']['license']['status']);
            $this->assertSame('pro', $r['json']['license']['plan']);
            $this->assertContains('ai', $r['json']['license']['features']);
            $this->assertStringNotContainsString($key, $r['body'], 'the license key is write-only');
            $this->assertStringStartsWith('aisle:v1:', (string) $this->option('aisle_license_key'));
            $this->assertNotNull($this->option('aisle_license_token'));

            // The daily job re-verifies offline.
            self::$h->query("UPDATE wp_options SET option_value = 'a:0:{}' WHERE option_name = 'aisle_license_status'");
            self::$h->wp('do_action("aisle_license_check"); return true;');
            $this->assertSame('active', $this->rest('GET', '/license', $this->admin())['json']['license']['status']);
        } finally {
            Harness::endProcess($proc, $pipes);
            @unlink(self::$h->site . '/test-config.php');
        }
    }
}
