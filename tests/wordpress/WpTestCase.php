<?php
/**
 * Base for the WordPress tests: HTTP helpers (cookie login, REST with the wp_rest nonce) and a
 * check after every test that the site's debug.log gained no line.
 */
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

abstract class WpTestCase extends TestCase
{
    protected static Harness $h;
    private int $logSize = 0;

    public static function setUpBeforeClass(): void
    {
        self::$h = $GLOBALS['aisle_harness'];
    }

    protected function setUp(): void
    {
        $this->logSize = strlen(self::$h->debugLog());
    }

    protected function tearDown(): void
    {
        $new = substr(self::$h->debugLog(), $this->logSize);
        $lines = array_filter(explode("\n", $new), static fn (string $l): bool => trim($l) !== '');
        $this->assertSame([], array_values($lines), 'debug.log gained lines');
    }

    /**
     * @return array{status: int, body: string, json: mixed, headers: string}
     */
    protected function http(string $method, string $url, ?array $json = null, ?array $session = null, array $headers = [], ?array $form = null, ?string $base = null): array
    {
        $ch = curl_init(($base ?? self::$h->url) . $url);
        curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_HEADER => true, CURLOPT_TIMEOUT => 120]);
        if ($json !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($json));
            $headers[] = 'Content-Type: application/json';
        } elseif ($form !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($form));
        }
        if ($session) {
            curl_setopt($ch, CURLOPT_COOKIEFILE, $session['jar']);
            curl_setopt($ch, CURLOPT_COOKIEJAR, $session['jar']);
            if (!empty($session['nonce'])) {
                $headers[] = 'X-WP-Nonce: ' . $session['nonce'];
            }
        }
        curl_setopt($ch, CURLOPT_HTTPHEADER, $headers);
        $raw = curl_exec($ch);
        $this->assertIsString($raw, curl_error($ch));
        $size = curl_getinfo($ch, CURLINFO_HEADER_SIZE);
        $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        $body = substr($raw, $size);
        return ['status' => $status, 'body' => $body, 'json' => json_decode($body, true), 'headers' => substr($raw, 0, $size)];
    }

    /** Logs in through wp-login.php; the session carries the cookie jar and a wp_rest nonce. */
    protected function login(string $user, string $pass, ?string $base = null): array
    {
        $jar = tempnam(self::$h->root, 'jar'); // Under the harness root: removed with the site.
        $session = ['jar' => $jar, 'nonce' => null];
        $this->http('GET', '/wp-login.php', null, $session, [], null, $base);
        $r = $this->http('POST', '/wp-login.php', null, $session, [], ['log' => $user, 'pwd' => $pass, 'testcookie' => '1', 'wp-submit' => 'Log In'], $base);
        $this->assertSame(302, $r['status'], "login as $user failed");
        $n = $this->http('GET', '/wp-admin/admin-ajax.php?action=rest-nonce', null, $session, [], null, $base);
        $session['nonce'] = $n['status'] === 200 ? trim($n['body']) : null;
        return $session;
    }

    protected function rest(string $method, string $route, ?array $session, ?array $json = null): array
    {
        return $this->http($method, '/?rest_route=' . rawurlencode('/aisle/v1' . $route), $json, $session);
    }

    protected function admin(): array
    {
        static $s = null;
        return $s ??= $this->login('admin', 'admin-password-123');
    }

    protected function option(string $name): ?string
    {
        $rows = self::$h->query("SELECT option_value FROM wp_options WHERE option_name = '" . self::$h->db()->real_escape_string($name) . "'");
        return $rows[0]['option_value'] ?? null;
    }

    /** Chat rate-limit counters back to zero, so a test's own requests are the only ones counted. */
    public static function resetLimits(): void
    {
        self::$h->query("DELETE FROM wp_options WHERE option_name LIKE '%transient%aisle\\_rl\\_%'");
    }

    public static function uuid(): string
    {
        $b = random_bytes(16);
        $b[6] = chr(ord($b[6]) & 0x0f | 0x40);
        $b[8] = chr(ord($b[8]) & 0x3f | 0x80);
        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($b), 4));
    }
}
