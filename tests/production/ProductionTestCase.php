<?php
/**
 * Base for the production stack tests: WpTestCase's HTTP helpers against nginx, parallel
 * requests (curl_multi), and after every test a check that neither WordPress's debug.log nor the
 * FPM workers' PHP log gained a line — except lines a fault test expects from WordPress core
 * itself (a database that is away), and never a line from Aisle.
 */
declare(strict_types=1);

require_once dirname(__DIR__) . '/wordpress/WpTestCase.php';

abstract class ProductionTestCase extends WpTestCase
{
    protected static Stack $s;
    private int $debugSize = 0;
    private int $fpmSize = 0;
    /** @var list<string> regexes of log lines this test expects (never Aisle's) */
    private array $expected = [];

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        self::$s = $GLOBALS['aisle_stack'];
    }

    protected function setUp(): void
    {
        $this->debugSize = strlen(self::$h->debugLog());
        $this->fpmSize = strlen(self::$s->fpmPhpLog());
        $this->expected = [];
    }

    protected function tearDown(): void
    {
        $new = substr(self::$h->debugLog(), $this->debugSize) . "\n" . substr(self::$s->fpmPhpLog(), $this->fpmSize);
        $lines = array_values(array_filter(explode("\n", $new), fn (string $l): bool => trim($l) !== '' && !$this->isExpected($l)));
        $this->assertSame([], $lines, 'debug.log or the FPM PHP log gained lines');
    }

    /** Lines matching $regex are expected in this test, as long as they do not come from Aisle. */
    protected function expectLogLines(string $regex): void
    {
        $this->expected[] = $regex;
    }

    private function isExpected(string $line): bool
    {
        if (preg_match('~/plugins/aisle/|Aisle\\\\|aisle~i', $line)) {
            return false;
        }
        foreach ($this->expected as $re) {
            if (preg_match($re, $line)) {
                return true;
            }
        }
        // PHP's stack-trace continuation lines of an expected warning.
        return (bool) preg_match('/^(PHP )?(Stack trace:|#\d+ |\s+thrown in )/', $line) && $this->expected !== [];
    }

    protected function settings(array $values): void
    {
        self::$h->wp('$s = get_option("aisle_settings", array()); foreach (' . var_export($values, true) . ' as $k => $v) { $s[$k] = $v; } update_option("aisle_settings", $s); return true;');
    }

    /** Rate-limit counters back to zero wherever they live: Redis (the cache group) and the database. */
    public static function resetLimits(): void
    {
        parent::resetLimits();
        self::$h->wp('if (wp_using_ext_object_cache()) { wp_cache_flush_group("aisle_rl"); } return true;');
    }

    protected function chat(string $session, string $message, array $headers = []): array
    {
        return $this->http('POST', '/wp-json/aisle/v1/chat', ['session_id' => $session, 'message' => $message, 'page_url' => ''], null, $headers);
    }

    /** What an FPM worker reports about itself (tests/production/mu-plugins/stack-probe.php). */
    protected function probe(): array
    {
        $r = $this->http('GET', '/?aisle_stack_probe=1');
        $this->assertSame(200, $r['status'], $r['body']);
        return $r['json'];
    }

    protected static function header(array $r, string $name): ?string
    {
        return preg_match('/^' . preg_quote($name, '/') . ':\s*(.*?)\r?$/mi', $r['headers'], $m) ? $m[1] : null;
    }

    /**
     * Sends all requests at once (curl_multi) and waits for every answer.
     * @param list<array{0: string, 1: string, 2?: ?array}> $requests [method, path, json]
     * @param ?string $base another web node's URL (Stack::startNode()), else the stack's
     * @return list<array{status: int, body: string, json: mixed, headers: string, ms: float}>
     */
    protected function parallel(array $requests, int $timeout = 120, ?string $base = null): array
    {
        $mh = curl_multi_init();
        $handles = [];
        foreach ($requests as $i => $req) {
            $ch = curl_init(($base ?? self::$s->url) . $req[1]);
            curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $req[0], CURLOPT_RETURNTRANSFER => true, CURLOPT_HEADER => true, CURLOPT_TIMEOUT => $timeout]);
            if (isset($req[2])) {
                curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($req[2]));
                curl_setopt($ch, CURLOPT_HTTPHEADER, ['Content-Type: application/json']);
            }
            curl_multi_add_handle($mh, $ch);
            $handles[$i] = $ch;
        }
        do {
            $status = curl_multi_exec($mh, $running);
            if ($running) {
                curl_multi_select($mh, 0.5);
            }
        } while ($running && $status === CURLM_OK);
        $out = [];
        foreach ($handles as $i => $ch) {
            $raw = (string) curl_multi_getcontent($ch);
            $size = curl_getinfo($ch, CURLINFO_HEADER_SIZE);
            $body = substr($raw, $size);
            $out[$i] = ['status' => curl_getinfo($ch, CURLINFO_RESPONSE_CODE), 'body' => $body, 'json' => json_decode($body, true),
                'headers' => substr($raw, 0, $size), 'ms' => curl_getinfo($ch, CURLINFO_TOTAL_TIME) * 1000];
            curl_multi_remove_handle($mh, $ch);
            curl_close($ch);
        }
        curl_multi_close($mh);
        return $out;
    }
}
