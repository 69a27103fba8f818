<?php
declare(strict_types=1);

use Aisle\License;
use Aisle\LicenseException;
use PHPUnit\Framework\TestCase;

final class LicenseTest extends TestCase
{
    private const DAY = 86400;
    private const T0 = 1_750_000_000;

    /** @var list<resource> processes started by a test, stopped in tearDown */
    private array $procs = [];
    /** @var list<string> */
    private array $tmpFiles = [];

    private static function root(): string
    {
        return dirname(__DIR__, 2);
    }

    private static function bin(): string
    {
        return self::root() . '/target/release/aisle-license';
    }

    private static function devSeed(): string
    {
        foreach (file(self::root() . '/keys/dev-license.key') as $line) {
            $line = trim($line);
            if ($line !== '' && $line[0] !== '#') {
                return base64_decode($line, true);
            }
        }
        throw new RuntimeException('no dev key');
    }

    private static function devPublicKey(): string
    {
        return trim(file_get_contents(self::root() . '/keys/dev-license.pub'));
    }

    private static function b64url(string $b): string
    {
        return rtrim(strtr(base64_encode($b), '+/', '-_'), '=');
    }

    /** Signs a payload the way aisle-license does, with libsodium: the format is the contract. */
    private static function sign(array $claims, ?string $seed = null): string
    {
        $claims += ['v' => 1, 'lid' => 'lic_test', 'site' => 'example.com', 'plan' => 'pro',
            'features' => ['ai', 'leads'], 'iat' => self::T0, 'exp' => self::T0 + 30 * self::DAY, 'grace_days' => 7];
        $json = json_encode($claims, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR);
        $sk = sodium_crypto_sign_secretkey(sodium_crypto_sign_seed_keypair($seed ?? self::devSeed()));
        return self::b64url($json) . '.' . self::b64url(sodium_crypto_sign_detached($json, $sk));
    }

    private function reasonOf(callable $fn): string
    {
        try {
            $fn();
        } catch (LicenseException $e) {
            $this->assertInstanceOf(\Aisle\Exception::class, $e);
            $this->assertNotSame('', $e->getMessage());
            return $e->reason();
        }
        $this->fail('expected a LicenseException');
    }

    private function verify(string $token, string $site, ?int $now = self::T0): License
    {
        return License::verify($token, $site, self::devPublicKey(), $now);
    }

    protected function tearDown(): void
    {
        foreach ($this->procs as $proc) {
            $pid = proc_get_status($proc)['pid'];
            if (proc_get_status($proc)['running']) {
                function_exists('posix_kill') ? posix_kill($pid, 15) : proc_terminate($proc);
            }
            proc_close($proc);
        }
        $this->procs = [];
        foreach ($this->tmpFiles as $f) {
            foreach ([$f, "$f-wal", "$f-shm"] as $p) {
                if (is_file($p)) {
                    unlink($p);
                }
            }
        }
    }

    private function tmp(string $suffix): string
    {
        $path = sys_get_temp_dir() . '/aisle-license-test-' . bin2hex(random_bytes(6)) . $suffix;
        $this->tmpFiles[] = $path;
        return $path;
    }

    /** Runs aisle-license to completion; returns trimmed stdout, fails the test on a non-zero exit. */
    private function cli(string ...$args): string
    {
        $proc = proc_open([self::bin(), ...$args], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $this->assertSame(0, proc_close($proc), "aisle-license " . implode(' ', $args) . ": $err");
        return trim($out);
    }

    /** Starts a process that prints "... HOST:PORT" on its first stdout line; returns that address. */
    private function startProcess(array $cmd): string
    {
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'a']], $pipes);
        $this->assertIsResource($proc);
        $this->procs[] = $proc;
        $read = [$pipes[1]];
        $w = $e = null;
        $this->assertSame(1, stream_select($read, $w, $e, 20), 'the process did not report its address');
        $line = trim((string) fgets($pipes[1]));
        $this->assertMatchesRegularExpression('/ 127\.0\.0\.1:\d+$/', $line);
        return substr($line, strrpos($line, ' ') + 1);
    }

    private function serve(string $keyFile, string $db): string
    {
        return 'http://' . $this->startProcess([self::bin(), 'serve', '--key', $keyFile, '--db', $db, '--listen', '127.0.0.1:0']);
    }

    // ---- verify ----------------------------------------------------------------------------

    public function testValidTokenExposesItsClaims(): void
    {
        $lic = $this->verify(self::sign([]), 'https://example.com/shop');
        $this->assertSame('active', $lic->status());
        $this->assertSame('lic_test', $lic->licenseId());
        $this->assertSame('pro', $lic->plan());
        $this->assertSame('example.com', $lic->site());
        $this->assertSame('example.com', $lic->host());
        $this->assertSame(['ai', 'leads'], $lic->features());
        $this->assertTrue($lic->has('ai'));
        $this->assertFalse($lic->has('wholesale'));
        $this->assertSame(self::T0, $lic->issuedAt());
        $this->assertSame(self::T0 + 30 * self::DAY, $lic->expiresAt());
        $this->assertSame(7, $lic->graceDays());
        $this->assertSame(self::T0 + 37 * self::DAY, $lic->graceEndsAt());
        $this->assertFalse($lic->isDevelopment());
    }

    public function testCompiledInKeyIsUsedByDefault(): void
    {
        if (License::vendorPublicKey() !== self::devPublicKey()) {
            $this->markTestSkipped('built with a vendor key (AISLE_LICENSE_PUBLIC_KEY)');
        }
        $this->assertSame('pro', License::verify(self::sign([]), 'example.com', null, self::T0)->plan());
        $this->assertSame('pro', License::verify(self::sign([]), 'example.com')->plan());
    }

    public function testEverySingleByteChangeIsRejected(): void
    {
        $token = self::sign([]);
        $seen = [];
        for ($i = 0; $i < strlen($token); $i++) {
            foreach ([0x01, 0x02, 0x20, 0x40] as $flip) {
                $bad = $token;
                $bad[$i] = chr(ord($bad[$i]) ^ $flip);
                $reason = $this->reasonOf(fn () => $this->verify($bad, 'example.com'));
                $this->assertContains($reason, ['bad_signature', 'malformed'], "byte $i ^ $flip");
                $seen[$reason] = true;
            }
        }
        $this->assertArrayHasKey('bad_signature', $seen);
        $this->assertArrayHasKey('malformed', $seen);
    }

    public function testMalformedTokens(): void
    {
        $token = self::sign([]);
        foreach (['', '.', 'abc', "$token.x", "$token=", str_repeat('A', 100000), "\xff\xfe." . $token, '=' . $token] as $bad) {
            $this->assertSame('malformed', $this->reasonOf(fn () => $this->verify($bad, 'example.com')));
        }
        // Signed, but not a v1 payload.
        $this->assertSame('malformed', $this->reasonOf(fn () => $this->verify(self::sign(['v' => 2]), 'example.com')));
        $this->assertSame('malformed', $this->reasonOf(fn () => $this->verify(self::sign(['exp' => self::T0 - 1]), 'example.com')));
    }

    public function testTokenSignedByAnotherKey(): void
    {
        $token = self::sign([], random_bytes(32));
        $this->assertSame('bad_signature', $this->reasonOf(fn () => $this->verify($token, 'example.com')));
    }

    public function testBadPublicKey(): void
    {
        foreach (['', 'not base64!', base64_encode(random_bytes(31)), base64_encode(str_repeat("\0", 32))] as $key) {
            $this->assertSame('bad_key', $this->reasonOf(fn () => License::verify(self::sign([]), 'example.com', $key)));
        }
    }

    public static function siteCases(): array
    {
        return [
            // token site, site URL, matches
            'exact' => ['example.com', 'example.com', true],
            'full URL' => ['example.com', 'https://Example.COM:8443/shop/?p=1', true],
            'www on site' => ['example.com', 'http://www.example.com', true],
            'subdomain is another site' => ['example.com', 'shop.example.com', false],
            'other domain' => ['example.com', 'example.org', false],
            'suffix trick' => ['example.com', 'badexample.com', false],
            'wildcard apex' => ['*.example.com', 'https://example.com', true],
            'wildcard sub' => ['*.example.com', 'https://shop.example.com', true],
            'wildcard deep' => ['*.example.com', 'a.b.example.com', true],
            'wildcard www' => ['*.example.com', 'www.example.com', true],
            'wildcard suffix trick' => ['*.example.com', 'evilexample.com', false],
            'wildcard other' => ['*.example.com', 'example.com.evil.net', false],
            'no host' => ['example.com', 'https:///', false],
        ];
    }

    /** @dataProvider siteCases */
    public function testSiteMatching(string $tokenSite, string $siteUrl, bool $matches): void
    {
        $token = self::sign(['site' => $tokenSite]);
        if ($matches) {
            $this->assertSame($tokenSite, $this->verify($token, $siteUrl)->site());
        } else {
            $this->assertSame('wrong_site', $this->reasonOf(fn () => $this->verify($token, $siteUrl)));
        }
    }

    public function testUppercaseOrWwwTokenSiteIsNotCanonical(): void
    {
        // The issuer writes canonical hosts; anything else was not made by aisle-license.
        $this->assertSame('malformed', $this->reasonOf(fn () => $this->verify(self::sign(['site' => 'Example.com']), 'example.com')));
        $this->assertSame('malformed', $this->reasonOf(fn () => $this->verify(self::sign(['site' => 'www.example.com']), 'example.com')));
    }

    public function testDevelopmentHostsAreAlwaysAccepted(): void
    {
        $token = self::sign(['site' => 'example.com']);
        foreach (['localhost', 'http://localhost:8080/wp', '127.0.0.1', 'http://[::1]:8000/', 'shop.localhost', 'mystore.local', 'https://store.test'] as $dev) {
            $lic = $this->verify($token, $dev);
            $this->assertTrue($lic->isDevelopment(), $dev);
            $this->assertSame('example.com', $lic->site());
        }
        foreach (['localhost.com', 'test.example.com', 'local.example.com'] as $notDev) {
            $this->assertSame('wrong_site', $this->reasonOf(fn () => $this->verify($token, $notDev)), $notDev);
        }
    }

    public function testStatusOverTime(): void
    {
        $token = self::sign([]);
        $exp = self::T0 + 30 * self::DAY;
        $cases = [
            [self::T0, 'active', true],
            [$exp - 1, 'active', true],
            [$exp, 'grace', true],
            [$exp + 7 * self::DAY - 1, 'grace', true],
            [$exp + 7 * self::DAY, 'expired', false],
            [$exp + 400 * self::DAY, 'expired', false],
        ];
        foreach ($cases as [$now, $status, $hasAi]) {
            $lic = $this->verify($token, 'example.com', $now);
            $this->assertSame($status, $lic->status(), "at $now");
            $this->assertSame($hasAi, $lic->has('ai'), "at $now");
            $this->assertSame($hasAi, $lic->has('leads'), "at $now");
            $this->assertSame(['ai', 'leads'], $lic->features(), 'the payload is readable even when expired');
        }
        $noGrace = $this->verify(self::sign(['grace_days' => 0]), 'example.com', $exp);
        $this->assertSame('expired', $noGrace->status());
        // Without $now the wall clock decides: this token expired long ago.
        $this->assertSame('expired', $this->verify(self::sign(['iat' => 1_000_000, 'exp' => 2_000_000]), 'example.com', null)->status());
    }

    public function testVendorToolIssuesTokensTheExtensionAccepts(): void
    {
        $token = $this->cli('issue', '--key', self::root() . '/keys/dev-license.key', '--site', '*.Example.com',
            '--plan', 'agency', '--days', '30', '--features', 'ai,leads', '--grace-days', '3', '--license-id', 'lic_cli');
        $lic = $this->verify($token, 'https://shop.example.com', null);
        $this->assertSame(['lic_cli', 'agency', '*.example.com', ['ai', 'leads'], 'active'],
            [$lic->licenseId(), $lic->plan(), $lic->site(), $lic->features(), $lic->status()]);
        $this->assertSame($lic->expiresAt() + 3 * self::DAY, $lic->graceEndsAt());
        $this->assertSame(self::devPublicKey(), $this->cli('pubkey', '--key', self::root() . '/keys/dev-license.key'));
    }

    public function testLicenseKeysAreNormalizedAndTyposCaught(): void
    {
        $db = $this->tmp('.sqlite');
        $key = $this->cli('add', '--db', $db, '--plan', 'pro', '--seats', '1', '--days', '10');
        $this->assertMatchesRegularExpression('/^AISLE(-[0-9A-HJKMNP-TV-Z]{4}){5}$/', $key);
        $this->assertSame($key, License::normalizeKey(strtolower(str_replace('-', ' ', substr($key, 6)))));
        $typo = $key;
        $typo[8] = $typo[8] === 'X' ? 'Y' : 'X';
        $this->assertSame('malformed', $this->reasonOf(fn () => License::normalizeKey($typo)));
    }

    public function testRepeatedUseDoesNotGrowMemory(): void
    {
        $token = self::sign([]);
        $bad = substr($token, 0, -3) . 'AAA';
        $round = function () use ($token, $bad): void {
            for ($i = 0; $i < 500; $i++) {
                $lic = $this->verify($token, 'example.com');
                $lic->features();
                $lic->status();
                try {
                    $this->verify($bad, 'example.com');
                } catch (LicenseException $e) {
                    $e->reason();
                    $e->getMessage();
                }
            }
        };
        $round();
        $before = memory_get_usage();
        $round();
        $round();
        $this->assertLessThan(64 * 1024, memory_get_usage() - $before);
    }

    // ---- activate ----------------------------------------------------------------------------

    public function testActivationAgainstTheVendorServer(): void
    {
        $db = $this->tmp('.sqlite');
        $key = $this->cli('add', '--db', $db, '--plan', 'pro', '--seats', '2', '--days', '365', '--features', 'ai,leads');
        $url = $this->serve(self::root() . '/keys/dev-license.key', $db);

        $token = License::activate($url, $key, 'https://www.shop-one.example/', 5000, self::devPublicKey());
        $lic = $this->verify($token, 'https://shop-one.example', null);
        $this->assertSame(['active', 'pro', 'shop-one.example', ['ai', 'leads']],
            [$lic->status(), $lic->plan(), $lic->site(), $lic->features()]);
        $this->assertGreaterThan(time(), $lic->expiresAt());

        // Re-activating the same site takes no new seat; a second site takes the last one.
        License::activate($url, strtolower($key), 'shop-one.example', 5000, self::devPublicKey());
        License::activate($url, $key, 'shop-two.example', 5000, self::devPublicKey());
        try {
            License::activate($url, $key, 'shop-three.example', 5000, self::devPublicKey());
            $this->fail('a third site got a seat of a two-seat license');
        } catch (LicenseException $e) {
            $this->assertSame('rejected', $e->reason());
            $this->assertStringContainsString('seats_exhausted', $e->getMessage());
        }
        // Deactivation frees a seat for another site.
        $this->assertTrue(License::deactivate($url, $key, 'https://shop-two.example/'));
        $this->assertFalse(License::deactivate($url, $key, 'shop-two.example'));
        License::activate($url, $key, 'shop-three.example', 5000, self::devPublicKey());
        // Development hosts never take a seat.
        $this->assertTrue($this->verify(License::activate($url, $key, 'http://localhost:8080', 5000, self::devPublicKey()), 'localhost', null)->isDevelopment());

        $unknown = $this->cli('add', '--db', $this->tmp('.sqlite'), '--plan', 'pro', '--seats', '1', '--days', '1');
        $e = $this->reasonOf(fn () => License::activate($url, $unknown, 'example.com', 5000, self::devPublicKey()));
        $this->assertSame('rejected', $e);

        $this->cli('revoke', '--db', $db, '--license-key', $key);
        try {
            License::activate($url, $key, 'shop-one.example', 5000, self::devPublicKey());
            $this->fail('a revoked license activated');
        } catch (LicenseException $e) {
            $this->assertSame('rejected', $e->reason());
            $this->assertStringContainsString('revoked', $e->getMessage());
        }
    }

    public function testActivationWithTheCompiledInKey(): void
    {
        if (License::vendorPublicKey() !== self::devPublicKey()) {
            $this->markTestSkipped('built with a vendor key (AISLE_LICENSE_PUBLIC_KEY)');
        }
        $db = $this->tmp('.sqlite');
        $key = $this->cli('add', '--db', $db, '--plan', 'basic', '--seats', '1', '--days', '30');
        $url = $this->serve(self::root() . '/keys/dev-license.key', $db);
        $this->assertSame('basic', License::verify(License::activate($url . '/', $key, 'example.com'), 'example.com')->plan());
    }

    public function testTokenSignedByAnotherKeyIsAnInvalidResponse(): void
    {
        $keyFile = $this->tmp('.key');
        $otherPub = $this->cli('keygen', '--out', $keyFile);
        $this->assertSame(0600, fileperms($keyFile) & 0777);
        $this->assertNotSame(self::devPublicKey(), $otherPub);
        $db = $this->tmp('.sqlite');
        $key = $this->cli('add', '--db', $db, '--plan', 'pro', '--seats', '1', '--days', '30');
        $url = $this->serve($keyFile, $db);
        $this->assertSame('invalid_response', $this->reasonOf(fn () => License::activate($url, $key, 'example.com', 5000, self::devPublicKey())));
    }

    public function testMistypedKeyFailsBeforeAnyNetworkCall(): void
    {
        // 192.0.2.1 (TEST-NET) would time out; a typo must be caught first.
        $this->assertSame('malformed', $this->reasonOf(fn () => License::activate('http://192.0.2.1', 'AISLE-0000-0000-0000-0000-0000', 'example.com', 3000)));
        $this->assertSame('malformed', $this->reasonOf(fn () => License::activate('ftp://x', License::normalizeKey($this->cli('add', '--db', $this->tmp('.sqlite'), '--plan', 'p', '--seats', '1', '--days', '1')), 'example.com')));
    }

    public function testServerDownIsANetworkErrorQuickly(): void
    {
        // A port that was just free: nothing listens there.
        $sock = stream_socket_server('tcp://127.0.0.1:0');
        $addr = stream_socket_get_name($sock, false);
        fclose($sock);
        $key = $this->cli('add', '--db', $this->tmp('.sqlite'), '--plan', 'p', '--seats', '1', '--days', '1');
        $t = hrtime(true);
        $reason = $this->reasonOf(fn () => License::activate("http://$addr", $key, 'example.com', 10000));
        $elapsed = (hrtime(true) - $t) / 1e9;
        $this->assertSame('network', $reason);
        $this->assertLessThan(5.0, $elapsed, 'a refused connection must not wait for the timeout');
    }

    public function testSilentServerTimesOutOnTime(): void
    {
        $code = '$s = stream_socket_server("tcp://127.0.0.1:0"); echo "listening on ", stream_socket_get_name($s, false), "\n";'
            . ' $held = []; while (true) { $c = @stream_socket_accept($s, 60); if ($c) { $held[] = $c; } }';
        $addr = $this->startProcess(['php', '-n', '-r', $code]);
        $key = $this->cli('add', '--db', $this->tmp('.sqlite'), '--plan', 'p', '--seats', '1', '--days', '1');
        $t = hrtime(true);
        $reason = $this->reasonOf(fn () => License::activate("http://$addr", $key, 'example.com', 700));
        $elapsed = (hrtime(true) - $t) / 1e9;
        $this->assertSame('timeout', $reason);
        $this->assertGreaterThanOrEqual(0.65, $elapsed);
        $this->assertLessThan(0.7 + 1.5, $elapsed, 'the timeout is honoured');
    }
}
