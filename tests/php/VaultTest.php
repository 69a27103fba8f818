<?php
declare(strict_types=1);

use Aisle\Vault;
use Aisle\VaultException;
use PHPUnit\Framework\TestCase;

final class VaultTest extends TestCase
{
    private const KEY = '0123456789abcdef0123456789abcdef';

    private function vault(): Vault
    {
        return Vault::fromKey(self::KEY, 'k1');
    }

    private function reasonOf(callable $fn): string
    {
        try {
            $fn();
        } catch (VaultException $e) {
            $this->assertInstanceOf(\Aisle\Exception::class, $e);
            $this->assertNotSame('', $e->getMessage());
            return $e->reason();
        }
        $this->fail('expected a VaultException');
    }

    public static function plaintexts(): array
    {
        return [
            'empty' => [''],
            'one byte' => ['x'],
            '1 MiB' => [str_repeat("\xA5z", 512 * 1024)],
            'binary with NUL' => ["\0\x01\xFF\0secret\0"],
            'utf-8' => ['مفتاح سري — ключ — 🔑 clé'],
        ];
    }

    /** @dataProvider plaintexts */
    public function testRoundTrip(string $plain): void
    {
        $v = $this->vault();
        $env = $v->encrypt($plain, 'aisle_ai_key');
        $this->assertMatchesRegularExpression('/^aisle:v1:k1:[A-Za-z0-9_-]+$/', $env);
        $this->assertSame($plain, $v->decrypt($env, 'aisle_ai_key'));
    }

    public function testEncryptionsDiffer(): void
    {
        $v = $this->vault();
        $this->assertNotSame($v->encrypt('same', 'c'), $v->encrypt('same', 'c'));
    }

    public function testEverySingleByteFlipIsRejected(): void
    {
        $v = $this->vault();
        $env = $v->encrypt(str_repeat('s', 64), 'ctx');
        for ($i = 0; $i < strlen($env); $i++) {
            foreach ([0x01, 0x20, 0x80] as $bit) {
                $bad = $env;
                $bad[$i] = chr(ord($bad[$i]) ^ $bit);
                $reason = $this->reasonOf(fn () => $v->decrypt($bad, 'ctx'));
                $this->assertContains($reason, ['auth_failed', 'malformed', 'unknown_key'], "byte $i bit $bit");
            }
        }
    }

    /** PHP-FPM forks workers: a child must never reuse nonces its parent also uses. */
    public function testForkedChildrenNeverReuseNonces(): void
    {
        $v = $this->vault();
        $nonce = static function (string $env): string {
            return bin2hex(substr(base64_decode(strtr(substr($env, strlen('aisle:v1:k1:')), '-_', '+/')), 0, 12));
        };
        $nonces = [$nonce($v->encrypt('warm-up', 'c'))];
        $dir = sys_get_temp_dir() . '/aisle-fork-' . getmypid();
        @mkdir($dir);
        $pids = [];
        for ($i = 0; $i < 3; $i++) {
            $pid = pcntl_fork();
            $this->assertNotSame(-1, $pid, 'fork failed');
            if ($pid === 0) {
                $out = [];
                for ($j = 0; $j < 20; $j++) {
                    $out[] = $nonce($v->encrypt('child', 'c'));
                }
                file_put_contents("$dir/$i", implode("\n", $out));
                posix_kill(posix_getpid(), SIGKILL); // skip PHPUnit's shutdown in the child
            }
            $pids[] = $pid;
        }
        for ($j = 0; $j < 20; $j++) {
            $nonces[] = $nonce($v->encrypt('parent', 'c'));
        }
        foreach ($pids as $i => $pid) {
            pcntl_waitpid($pid, $status);
            $nonces = array_merge($nonces, explode("\n", (string) file_get_contents("$dir/$i")));
            unlink("$dir/$i");
        }
        rmdir($dir);
        $this->assertCount(81, $nonces);
        $this->assertCount(81, array_unique($nonces), 'a nonce was used twice across fork');
    }

    public function testWrongContext(): void
    {
        $v = $this->vault();
        $env = $v->encrypt('s', 'aisle_ai_key');
        $this->assertSame('auth_failed', $this->reasonOf(fn () => $v->decrypt($env, 'aisle_license_key')));
        $this->assertSame(1003, (function () use ($v, $env) {
            try {
                $v->decrypt($env, '');
            } catch (VaultException $e) {
                return $e->getCode();
            }
            return 0;
        })());
    }

    public function testWrongKeyAndUnknownKey(): void
    {
        $env = $this->vault()->encrypt('s', 'c');
        $other = Vault::fromKey(str_repeat('z', 32), 'k1');
        $this->assertSame('auth_failed', $this->reasonOf(fn () => $other->decrypt($env, 'c')));
        $k2 = Vault::fromKey(self::KEY, 'k2');
        $this->assertSame('unknown_key', $this->reasonOf(fn () => $k2->decrypt($env, 'c')));
    }

    public function testMalformedInputs(): void
    {
        $v = $this->vault();
        foreach (['', 'aisle', 'aisle:v2:k1:AAAA', 'aisle:v1:bad id:AAAA', 'aisle:v1:k1:', 'aisle:v1:k1:@@@@',
                  'aisle:v1:' . str_repeat('a', 33) . ':AAAA', "aisle:v1:k1:\xFF\xFE", 'plain-text-secret'] as $bad) {
            $this->assertSame('malformed', $this->reasonOf(fn () => $v->decrypt($bad, 'c')), var_export($bad, true));
        }
    }

    public function testBadKeys(): void
    {
        $this->assertSame('bad_key', $this->reasonOf(fn () => Vault::fromKey('short')));
        $this->assertSame('bad_key', $this->reasonOf(fn () => Vault::fromKey(str_repeat('a', 33))));
        $this->assertSame('malformed', $this->reasonOf(fn () => Vault::fromKey(self::KEY, 'no spaces')));
        $this->assertSame('bad_key', $this->reasonOf(fn () => Vault::fromSecret('')));
        $this->assertSame(32, strlen(Vault::generateKey()));
        $this->assertNotSame(Vault::generateKey(), Vault::generateKey());
    }

    public function testTypeErrorsAreExceptionsNotCrashes(): void
    {
        $this->expectException(\TypeError::class);
        /** @phpstan-ignore-next-line */
        $this->vault()->encrypt([], 'c');
    }

    public function testFromSecretIsDeterministic(): void
    {
        $secret = str_repeat('wordpress-auth-key-', 4);
        $a = Vault::fromSecret($secret);
        $b = Vault::fromSecret($secret);
        $this->assertSame('wp', $a->keyId());
        $this->assertSame('x', $b->decrypt($a->encrypt('x', 'c'), 'c'));
    }

    public function testRotation(): void
    {
        $old = $this->vault();
        $env = $old->encrypt('secret', 'opt');
        $new = $old->withKey(str_repeat('n', 32), 'k2');
        $this->assertSame(['k2', 'k1'], $new->keyIds());
        $this->assertTrue($new->needsRotation($env));
        $this->assertSame('secret', $new->decrypt($env, 'opt'));
        $rotated = $new->rotate($env, 'opt');
        $this->assertStringStartsWith('aisle:v1:k2:', $rotated);
        $this->assertFalse($new->needsRotation($rotated));
        $this->assertSame($rotated, $new->rotate($rotated, 'opt'));
        $this->assertSame('secret', $new->decrypt($rotated, 'opt'));
        $this->assertSame('auth_failed', $this->reasonOf(fn () => $new->rotate($env, 'wrong')));
        $this->assertSame('bad_key', $this->reasonOf(fn () => $new->withKey(str_repeat('q', 32), 'k1')));
    }

    private function keyFile(string $contents, int $mode): string
    {
        $path = tempnam(sys_get_temp_dir(), 'aisle-key');
        file_put_contents($path, $contents);
        chmod($path, $mode);
        return $path;
    }

    public function testKeyFile(): void
    {
        $a = base64_encode(str_repeat('A', 32));
        $b = base64_encode(str_repeat('B', 32));
        $path = $this->keyFile("# Aisle keyring\n\nnew:$a\nold:$b\n", 0600);
        $v = Vault::fromKeyFile($path);
        $this->assertSame(['new', 'old'], $v->keyIds());
        $oldEnv = Vault::fromKey(str_repeat('B', 32), 'old')->encrypt('s', 'c');
        $this->assertSame('s', $v->decrypt($oldEnv, 'c'));
        unlink($path);
    }

    public function testKeyFileRefusesLoosePermissions(): void
    {
        $path = $this->keyFile('k:' . base64_encode(str_repeat('A', 32)) . "\n", 0644);
        try {
            Vault::fromKeyFile($path);
            $this->fail('a world-readable key file was accepted');
        } catch (VaultException $e) {
            $this->assertSame('bad_key', $e->reason());
            $this->assertStringContainsString('chmod 600', $e->getMessage());
        } finally {
            unlink($path);
        }
        $path = $this->keyFile('k:' . base64_encode(str_repeat('A', 31)) . "\n", 0600);
        $this->assertSame('bad_key', $this->reasonOf(fn () => Vault::fromKeyFile($path)));
        unlink($path);
        $this->assertSame('no_key', $this->reasonOf(fn () => Vault::fromKeyFile('/nonexistent/aisle.keys')));
    }

    public function testFromEnvironment(): void
    {
        $key = str_repeat('E', 32);
        $code = 'echo Aisle\Vault::fromEnvironment()->keyId();';
        [$rc, $out] = aisle_run_php($code, ['AISLE_MASTER_KEY' => 'prod:' . base64_encode($key)]);
        $this->assertSame([0, 'prod'], [$rc, $out]);
        [$rc, $out] = aisle_run_php($code, ['AISLE_MASTER_KEY' => base64_encode($key)]);
        $this->assertSame([0, 'env'], [$rc, $out]);

        $path = $this->keyFile('file:' . base64_encode($key) . "\n", 0600);
        [$rc, $out] = aisle_run_php($code, ['AISLE_MASTER_KEY' => ''], ['aisle.key_file' => $path]);
        $this->assertSame([0, 'file'], [$rc, $out]);
        unlink($path);

        [$rc, $out] = aisle_run_php(
            'try { Aisle\Vault::fromEnvironment(); } catch (Aisle\VaultException $e) { echo $e->reason(); }',
            ['AISLE_MASTER_KEY' => '']
        );
        $this->assertSame([0, 'no_key'], [$rc, $out]);
    }

    public function testOpensslReadsOurEnvelope(): void
    {
        $env = $this->vault()->encrypt('secret-value', 'ctx');
        $raw = base64_decode(strtr(substr($env, strlen('aisle:v1:k1:')), '-_', '+/'));
        $nonce = substr($raw, 0, 12);
        $tag = substr($raw, -16);
        $ct = substr($raw, 12, -16);
        $plain = openssl_decrypt($ct, 'aes-256-gcm', self::KEY, OPENSSL_RAW_DATA, $nonce, $tag, 'ctx');
        $this->assertSame('secret-value', $plain);
    }

    public function testWeReadOpensslEnvelope(): void
    {
        $nonce = random_bytes(12);
        $tag = '';
        $ct = openssl_encrypt('from-openssl', 'aes-256-gcm', self::KEY, OPENSSL_RAW_DATA, $nonce, $tag, 'ctx', 16);
        $env = 'aisle:v1:k1:' . rtrim(strtr(base64_encode($nonce . $ct . $tag), '+/', '-_'), '=');
        $this->assertSame('from-openssl', $this->vault()->decrypt($env, 'ctx'));
    }

    public function testDumpsShowNoKeyBytes(): void
    {
        $key = "KEYBYTES-" . str_repeat('k', 23);
        $v = Vault::fromKey($key, 'k1');
        $dumps = print_r($v, true) . var_export($v, true);
        ob_start();
        var_dump($v);
        $dumps .= ob_get_clean();
        $this->assertStringNotContainsString('KEYBYTES', $dumps);
        $this->assertStringNotContainsString(base64_encode($key), $dumps);
        $this->assertStringContainsString('Aisle\Vault', $dumps);
    }

    public function testExceptionMessagesNeverCarrySecrets(): void
    {
        $v = $this->vault();
        $env = $v->encrypt('TOPSECRET', 'c');
        try {
            $v->decrypt($env, 'wrong');
        } catch (VaultException $e) {
            $this->assertStringNotContainsString('TOPSECRET', $e->getMessage() . $e->getTraceAsString());
            $this->assertStringNotContainsString(self::KEY, $e->getMessage() . $e->getTraceAsString());
        }
    }

    public function testVaultCannotBeConstructedDirectly(): void
    {
        $this->expectException(\Throwable::class);
        new Vault();
    }
}
