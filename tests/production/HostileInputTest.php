<?php
declare(strict_types=1);

/**
 * Every public route through nginx and PHP-FPM, fed random and structured bad input (seeded,
 * bounded in count and time): random bytes, huge and deeply nested JSON, wrong types, invalid
 * UTF-8, NUL bytes, wrong content types, many headers, bodies that trickle in. What must hold:
 * never a 5xx, a 4xx from WordPress is a JSON error with a code (nginx's own 4xx pages — header
 * or body over its limits — are nginx's), and no line in debug.log or the FPM PHP log (the base
 * class checks that after each test).
 */
final class HostileInputTest extends ProductionTestCase
{
    private const SEED = 19;
    /** Wall-clock budget of the random part; the structured cases always run. */
    private const BUDGET_SECONDS = 20;

    private static int $tried = 0;

    /** @var list<string> every answer of this class's requests */
    private static array $seen = [];

    /** @var array<string,string> field => the plaintext saved for it */
    private static array $secrets = [];

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        ChatSeed::seed(self::$h);
        // A synced index, so the UCP routes answer from it instead of "not ready yet" (503).
        self::$h->wp('$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()));
            if (!$sync->progress()["busy"]) { $sync->start(); } for ($i = 0; $i < 20 && $sync->progress()["busy"]; $i++) { aisle_test_run_actions(); } return true;');
        // Every secret Aisle stores, each a value found nowhere else, saved the way the settings page does.
        foreach ((array) self::$h->wp('return array_keys(Aisle\Plugin\Privacy\Secrets::FIELDS);') as $field) {
            self::$secrets[$field] = 'Zq' . bin2hex(random_bytes(12)) . '/+=' . $field;
        }
        self::$secrets['handoff_webhook_url'] = 'https://hooks.example.com/services/T0/B0/' . bin2hex(random_bytes(12));
        self::$h->wp('$s = new Aisle\Plugin\Privacy\Secrets(); foreach (' . var_export(self::$secrets, true) . ' as $f => $v) { $s->save($f, $v); } return true;');
        self::$h->wp('$s = get_option("aisle_settings", array()); $s["rate_limit_ip"] = 100000; $s["rate_limit_session"] = 100000; $s["feeds_ucp"] = true; $s["feeds_llms_txt"] = true; update_option("aisle_settings", $s); return true;');
    }

    /** @return list<array{0: string, 1: string}> method and path of every public route */
    private static function routes(): array
    {
        $routes = [['POST', '/wp-json/aisle/v1/chat'], ['POST', '/wp-json/aisle/v1/chat?stream=1'], ['POST', '/wp-json/aisle/v1/lead'],
            ['GET', '/wp-json/aisle/v1/chat/messages'], ['GET', '/llms.txt']];
        foreach (['whatsapp', 'messenger', 'instagram'] as $c) {
            $routes[] = ['GET', "/wp-json/aisle/v1/channels/$c"];
            $routes[] = ['POST', "/wp-json/aisle/v1/channels/$c"];
        }
        foreach (['search', 'lookup', 'product'] as $r) {
            $routes[] = ['POST', "/wp-json/aisle/ucp/v1/catalog/$r"];
        }
        $routes[] = ['GET', '/wp-json/aisle/ucp/v1/catalog/product/1'];
        return $routes;
    }

    /**
     * One request with exactly these bytes and headers.
     * @param list<string> $headers
     * @return array{status: int, body: string, headers: string}
     */
    private function raw(string $method, string $path, ?string $body, array $headers = []): array
    {
        $ch = curl_init(self::$s->url . $path);
        curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_HEADER => true, CURLOPT_TIMEOUT => 60, CURLOPT_HTTPHEADER => $headers]);
        if ($body !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
        }
        $raw = (string) curl_exec($ch);
        $size = curl_getinfo($ch, CURLINFO_HEADER_SIZE);
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        self::$tried++;
        self::$seen[] = substr($raw, 0, 65536); // Kept for the secrets grep: headers and body as sent back.
        return ['status' => $status, 'body' => substr($raw, $size), 'headers' => substr($raw, 0, $size)];
    }

    /** The rule every answer keeps; $what names the input in the failure message. */
    private function check(array $r, string $what): void
    {
        $this->assertGreaterThan(0, $r['status'], "$what: no answer");
        $this->assertLessThan(500, $r['status'], "$what: {$r['status']} " . substr($r['body'], 0, 300));
        if ($r['status'] >= 400 && !preg_match('~<center>nginx(/[\d.]+)?</center>~', $r['body'])) {
            $json = json_decode($r['body'], true);
            $this->assertIsArray($json, "$what: a {$r['status']} that is not JSON: " . substr($r['body'], 0, 300));
            // WordPress's {"code", "message"}, or UCP's own error shape (messages[].code) on its routes.
            $code = $json['code'] ?? $json['messages'][0]['code'] ?? null;
            $this->assertIsString($code, "$what: " . substr($r['body'], 0, 300));
        }
    }

    /** A random JSON-ish value of a random type, nested up to $depth. */
    private static function value(int $depth = 3): mixed
    {
        switch (mt_rand(0, $depth > 0 ? 9 : 6)) {
            case 0: return null;
            case 1: return (bool) mt_rand(0, 1);
            case 2: return mt_rand(PHP_INT_MIN, PHP_INT_MAX);
            case 3: return mt_rand() / 7.0 * (mt_rand(0, 1) ? 1e300 : -1e-300);
            case 4: return str_repeat(chr(mt_rand(32, 126)), mt_rand(0, 3000));
            case 5: return "a\0b\u{202E}<script>window.__xss=1</script>";
            case 6: return '';
            case 7: return array_map(static fn () => self::value(0), range(0, mt_rand(0, 5)));
            default:
                $o = [];
                foreach (['session_id', 'message', 'page_url', 'email', 'phone', 'consent', 'name', 'query', 'ids', 'id', 'after', 'token', 'filters', 'pagination'] as $k) {
                    if (mt_rand(0, 2) === 0) {
                        $o[$k] = self::value($depth - 1);
                    }
                }
                return $o;
        }
    }

    /** A body of one of the shapes bad clients send. */
    private static function body(): string
    {
        switch (mt_rand(0, 7)) {
            case 0: return random_bytes(mt_rand(0, 4096));
            case 1: return str_repeat('[', mt_rand(600, 20000)) . str_repeat(']', mt_rand(0, 1) ? 0 : 600);
            case 2: return '{"session_id":"' . random_bytes(36) . '","message":"' . "\xff\xfe\xc3\x28 \xed\xa0\x80" . '","page_url":""}';
            case 3: return '{"session_id":"11111111-2222-4333-8444-555555555555","message":"a\u0000b\ud800","page_url":"\u0000"}';
            case 4: return (string) json_encode(self::value(4), JSON_INVALID_UTF8_SUBSTITUTE | JSON_PARTIAL_OUTPUT_ON_ERROR);
            case 5: return '{"message":' . str_repeat('{"a":', 300) . '1' . str_repeat('}', 300) . '}';
            case 6: return substr((string) json_encode(['session_id' => '11111111-2222-4333-8444-555555555555', 'message' => 'hoodie', 'page_url' => '']), 0, mt_rand(1, 60));
            default: return '{"session_id":"11111111-2222-4333-8444-555555555555","message":"' . str_repeat('x', mt_rand(2001, 15000)) . '","page_url":""}';
        }
    }

    private static function contentType(): string
    {
        return ['application/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''][mt_rand(0, 5)];
    }

    private static function query(): string
    {
        $params = ['session_id' => ['11111111-2222-4333-8444-555555555555', "\0", str_repeat('z', 5000), "\xff"], 'token' => ['', "\0\0", 'a%00b'], 'after' => ['-1', '1e99', 'x', '99999999999999999999'],
            'hub_mode' => ['subscribe', "\xc3"], 'hub_verify_token' => ['', 'wrong'], 'hub_challenge' => ['<script>', '1'], 'stream' => ['1', 'yes', '']];
        $q = [];
        foreach ($params as $k => $choices) {
            if (mt_rand(0, 1)) {
                $q[] = (mt_rand(0, 4) ? rawurlencode($k) : rawurlencode($k) . '[]') . '=' . rawurlencode($choices[mt_rand(0, count($choices) - 1)]);
            }
        }
        return implode('&', $q);
    }

    public function testEveryPublicRouteAnswersBadInputWithA4xxJsonErrorNeverA500(): void
    {
        mt_srand(self::SEED);
        $routes = self::routes();
        // Structured: every route, each shape once.
        foreach ($routes as [$method, $path]) {
            $sep = str_contains($path, '?') ? '&' : '?';
            $this->check($this->raw($method, $path, null), "$method $path without a body");
            $this->check($this->raw($method, $path . $sep . self::query(), null), "$method $path with a bad query");
            $arrays = 'session_id[]=x&stream[]=1&after[]=1&token[]=&hub_mode[]=subscribe&hub_verify_token[]=x&hub_challenge[]=1&id[]=1';
            $this->check($this->raw($method, $path . $sep . $arrays, '{"stream":[1]}', ['Content-Type: application/json']), "$method $path with every parameter an array");
            $this->check($this->raw($method, $path, str_repeat('A', 2 * 1024 * 1024), ['Content-Type: application/json']), "$method $path with a 2 MB body");
            $this->check($this->raw($method, $path, str_repeat('[', 100000), ['Content-Type: application/json']), "$method $path with 100,000 levels of nesting");
            $this->check($this->raw($method, $path, '{"message":"a' . "\0" . 'b","session_id":"' . "\xff" . '"}', ['Content-Type: application/json']), "$method $path with NUL and invalid UTF-8");
            $many = array_map(static fn (int $i): string => "X-Fuzz-$i: " . str_repeat('v', 8), range(1, 10000));
            $this->check($this->raw($method, $path, '{}', array_merge(['Content-Type: application/json'], $many)), "$method $path with 10,000 headers");
            $some = array_map(static fn (int $i): string => "X-Fuzz-$i: v", range(1, 300));
            $this->check($this->raw($method, $path, '{}', array_merge(['Content-Type: application/json'], $some)), "$method $path with 300 headers");
        }
        // Slow bodies: the request arrives in pieces over ~1.5 s (nginx buffers it; PHP sees it whole).
        foreach ([['POST', '/wp-json/aisle/v1/chat'], ['POST', '/wp-json/aisle/v1/lead'], ['POST', '/wp-json/aisle/v1/channels/whatsapp']] as [$method, $path]) {
            $this->check($this->slow($method, $path, '{"session_id":"11111111-2222-4333-8444-555555555555","message":' . str_repeat(' ', 50) . '[1,2]}'), "slow $path");
        }
        // Random, until the budget is spent.
        $end = microtime(true) + self::BUDGET_SECONDS;
        $random = 0;
        while (microtime(true) < $end && $random < 3000) {
            [$method, $path] = $routes[mt_rand(0, count($routes) - 1)];
            $body = self::body();
            $sep = str_contains($path, '?') ? '&' : '?';
            $url = mt_rand(0, 3) === 0 ? $path . $sep . self::query() : $path;
            $type = self::contentType();
            $r = $this->raw($method, $url, $body, $type === '' ? [] : ['Content-Type: ' . $type]);
            $this->check($r, sprintf('%s %s (seed %d, case %d) body %s', $method, $url, self::SEED, $random, substr(bin2hex($body), 0, 120)));
            $random++;
        }
        fwrite(STDERR, sprintf("hostile input: %d requests (%d random, seed %d), no 5xx, every WordPress 4xx a JSON error\n", self::$tried, $random, self::SEED));
        $this->assertGreaterThan(200, self::$tried);
    }

    /** Sends the request's body in five pieces, 300 ms apart, over a plain socket. */
    private function slow(string $method, string $path, string $body): array
    {
        $u = parse_url(self::$s->url);
        $sock = stream_socket_client('tcp://' . $u['host'] . ':' . $u['port'], $errno, $error, 5);
        $this->assertIsResource($sock, $error);
        fwrite($sock, "$method $path HTTP/1.1\r\nHost: {$u['host']}:{$u['port']}\r\nContent-Type: application/json\r\nContent-Length: " . strlen($body) . "\r\nConnection: close\r\n\r\n");
        foreach (str_split($body, (int) ceil(strlen($body) / 5)) as $piece) {
            usleep(300000);
            fwrite($sock, $piece);
        }
        stream_set_timeout($sock, 30);
        $raw = stream_get_contents($sock);
        fclose($sock);
        self::$tried++;
        [$head, $rest] = explode("\r\n\r\n", (string) $raw, 2) + ['', ''];
        preg_match('~^HTTP/1\.[01] (\d{3})~', $head, $m);
        if (stripos($head, 'Transfer-Encoding: chunked') !== false) {
            $decoded = '';
            while (preg_match('/^([0-9a-f]+)\r\n/i', $rest, $c) && hexdec($c[1]) > 0) {
                $decoded .= substr($rest, strlen($c[0]), (int) hexdec($c[1]));
                $rest = substr($rest, strlen($c[0]) + (int) hexdec($c[1]) + 2);
            }
            $rest = $decoded;
        }
        return ['status' => (int) ($m[1] ?? 0), 'body' => $rest, 'headers' => $head];
    }

    public static function tearDownAfterClass(): void
    {
        self::$h->wp('$s = new Aisle\Plugin\Privacy\Secrets(); foreach (array_keys(Aisle\Plugin\Privacy\Secrets::FIELDS) as $f) { $s->save($f, ""); } return true;');
        parent::tearDownAfterClass();
    }

    /**
     * After the fuzzing above and a chat, the storefront and every admin tab: no configured secret
     * appears in the database, any answer, any rendered page or any log — as itself, base64
     * (standard and URL-safe), URL-encoded or JSON-escaped.
     */
    public function testNoSecretLeaksIntoTheDatabaseAnswersPagesOrLogs(): void
    {
        $this->assertNotEmpty(self::$seen, 'runs after the fuzzing, whose answers it searches too');
        $corpus = self::$seen;
        $corpus[] = $this->chat(self::uuid(), 'Do you have a blue hoodie under 50?')['body'];
        foreach (['/', '/shop/', '/llms.txt', '/wp-json/', '/wp-json/aisle/v1/chat/messages?session_id=11111111-2222-4333-8444-555555555555'] as $path) {
            $corpus[] = $this->http('GET', $path)['body'];
        }
        $admin = $this->admin();
        foreach (['overview', 'chats', 'leads', 'settings', 'channels', 'agents', 'knowledge'] as $tab) {
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=' . $tab, null, $admin);
            $this->assertSame(200, $page['status'], $tab);
            $corpus[] = $page['body'];
        }
        foreach (['/settings', '/sync', '/license', '/channels', '/feeds'] as $route) {
            $corpus[] = $this->rest('GET', $route, $admin)['body'];
        }
        $dump = '';
        foreach (self::$h->query('SHOW TABLES') as $t) {
            $table = (string) array_values($t)[0];
            foreach (self::$h->query("SELECT * FROM `$table`") as $row) {
                $dump .= implode("\t", array_map('strval', array_map(static fn ($v) => $v ?? '', $row))) . "\n";
            }
        }
        $this->assertStringContainsString('aisle:v1:', $dump, 'the dump holds the envelopes');
        $corpus[] = $dump;
        $corpus[] = self::$h->debugLog();
        $corpus[] = self::$s->fpmPhpLog();
        foreach (glob(self::$s->root . '/{*.log,nginx/*.log}', GLOB_BRACE) ?: [] as $log) {
            $corpus[] = (string) file_get_contents($log);
        }
        $all = implode("\n", $corpus);
        $forms = 0;
        foreach (self::$secrets as $field => $plain) {
            $b64 = base64_encode($plain);
            foreach (['plain' => $plain, 'base64' => $b64, 'base64url' => rtrim(strtr($b64, '+/', '-_'), '='), 'urlencoded' => rawurlencode($plain), 'form-encoded' => urlencode($plain), 'json' => substr((string) json_encode($plain), 1, -1)] as $form => $needle) {
                $this->assertStringNotContainsString($needle, $all, "$field ($form) leaked");
                $forms++;
            }
        }
        fwrite(STDERR, sprintf("secrets grep: %d secrets x 6 forms in %s of database, answers, pages and logs: no hit\n", count(self::$secrets), number_format(strlen($all))));
        $this->assertSame(count(self::$secrets) * 6, $forms);
    }
}
