<?php
declare(strict_types=1);

use Aisle\AiClient;
use Aisle\AiException;
use Aisle\Redactor;
use Aisle\Vault;
use PHPUnit\Framework\TestCase;

/** Aisle\AiClient against the fake providers in tests/fakes (real wire formats, loopback only). */
final class AiClientTest extends TestCase
{
    private const KEY = 'sk-test-0123456789abcdefXYZ';
    private const CTX = 'aisle_ai_api_key';

    /** @var array{0: resource, 1: int, 2: string}|null */
    private static ?array $server = null;
    private Vault $vault;
    private string $envelope;

    /** Starts `php -S` on a free loopback port; returns [process, port, log file]. */
    private static function startFake(): array
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $log = tempnam(sys_get_temp_dir(), 'aisle-fake-');
        $proc = proc_open(
            ['php', '-S', "127.0.0.1:$port", dirname(__DIR__) . '/fakes/provider.php'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
            $pipes,
            null,
            ['FAKE_LOG' => $log] + getenv()
        );
        for ($i = 0; $i < 100; $i++) {
            try {
                $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.1);
            } catch (ErrorException $e) { // the test bootstrap turns warnings into exceptions
                $c = false;
            }
            if ($c) {
                fclose($c);
                return [$proc, $port, $log];
            }
            usleep(50000);
        }
        proc_terminate($proc);
        throw new RuntimeException('the fake provider did not start');
    }

    private static function stopFake(array $server): void
    {
        [$proc, , $log] = $server;
        proc_terminate($proc); // SIGTERM to the PID proc_open started (no shell in between)
        proc_close($proc);
        @unlink($log);
    }

    public static function setUpBeforeClass(): void
    {
        self::$server = self::startFake();
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server) {
            self::stopFake(self::$server);
            self::$server = null;
        }
    }

    protected function setUp(): void
    {
        $this->vault = Vault::fromKey(str_repeat('k', 32), 'k1');
        $this->envelope = $this->vault->encrypt(self::KEY, self::CTX);
        file_put_contents(self::$server[2], '');
    }

    private function client(string $provider, string $model = 'fake-echo', array $extra = [], ?int $port = null): AiClient
    {
        $port ??= self::$server[1];
        return new AiClient(['provider' => $provider, 'model' => $model, 'base_url' => "http://127.0.0.1:$port"] + $extra);
    }

    /** @return list<array{method: string, path: string, headers: array, body: string}> */
    private function requests(?string $log = null): array
    {
        $lines = array_filter(explode("\n", (string) file_get_contents($log ?? self::$server[2])));
        return array_values(array_map(fn ($l) => json_decode($l, true, 512, JSON_THROW_ON_ERROR), $lines));
    }

    private function reasonOf(callable $fn): AiException
    {
        try {
            $fn();
        } catch (AiException $e) {
            return $e;
        }
        $this->fail('expected an AiException');
    }

    public static function providers(): array
    {
        return ['openai' => ['openai'], 'anthropic' => ['anthropic']];
    }

    /** @dataProvider providers */
    public function testRedactedTextAndDecryptedKeyGoOutNothingElse(string $provider): void
    {
        $visitor = 'Do you have it in blue? Call me on +966 50 123 4567 or mail sara@example.com';
        $safe = Redactor::redact($visitor)['text'];
        $r = $this->client($provider)->chat($this->vault, $this->envelope, self::CTX, [
            ['role' => 'system', 'content' => 'You sell shirts.'],
            ['role' => 'user', 'content' => $safe],
        ]);
        $this->assertSame("echo: $safe", $r['text']);
        $this->assertSame('end', $r['stop_reason']);
        $this->assertSame(['input_tokens' => 12, 'output_tokens' => 5], $r['usage']);
        $this->assertSame([], $r['tool_calls']);

        [$req] = $this->requests();
        $this->assertSame($provider === 'openai' ? '/v1/chat/completions' : '/v1/messages', $req['path']);
        if ($provider === 'openai') {
            $this->assertSame('Bearer ' . self::KEY, $req['headers']['authorization']);
            $this->assertArrayNotHasKey('x-api-key', $req['headers']);
        } else {
            $this->assertSame(self::KEY, $req['headers']['x-api-key']);
            $this->assertSame('2023-06-01', $req['headers']['anthropic-version']);
            $this->assertArrayNotHasKey('authorization', $req['headers']);
            $this->assertSame('You sell shirts.', json_decode($req['body'], true)['system']);
        }
        foreach (['+966 50 123 4567', '966', 'sara@example.com', self::KEY, $this->envelope] as $secret) {
            $this->assertStringNotContainsString($secret, $req['body']);
        }
        $this->assertStringContainsString('[phone]', $req['body']);
    }

    /** @dataProvider providers */
    public function testStreamingCallsBackPerDelta(string $provider): void
    {
        $deltas = [];
        $r = $this->client($provider)->chat($this->vault, $this->envelope, self::CTX,
            [['role' => 'user', 'content' => 'blue shirt under 50 €?']], null,
            function (string $d) use (&$deltas): void { $deltas[] = $d; });
        $this->assertGreaterThan(3, count($deltas));
        $this->assertSame('echo: blue shirt under 50 €?', implode('', $deltas));
        $this->assertSame(implode('', $deltas), $r['text']);
        $this->assertSame('end', $r['stop_reason']);
        $this->assertSame(['input_tokens' => 12, 'output_tokens' => 5], $r['usage']);
        $this->assertTrue(json_decode($this->requests()[0]['body'], true)['stream']);
    }

    public static function toolCases(): array
    {
        return ['openai json' => ['openai', false], 'openai sse' => ['openai', true], 'anthropic json' => ['anthropic', false], 'anthropic sse' => ['anthropic', true]];
    }

    public function testStdClassIsSentAsAJsonObject(): void
    {
        $tools = [['name' => 'capture_lead', 'description' => 'Offer the lead form', 'parameters' => (object) [
            'type' => 'object', 'properties' => new \stdClass(), 'examples' => [(object) []],
        ]]];
        $this->client('openai')->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => 'hi']], $tools);
        $body = $this->requests()[0]['body'];
        $this->assertStringContainsString('"properties":{}', $body);
        $this->assertStringContainsString('"examples":[{}]', $body);
        try {
            $this->client('openai')->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => new \ArrayObject()]]);
            $this->fail('an object other than stdClass was accepted');
        } catch (\Aisle\AiException $e) {
            $this->assertSame('bad_request', $e->reason());
        }
    }

    /** @dataProvider toolCases */
    public function testToolCallsAndToolResults(string $provider, bool $stream): void
    {
        $tools = [[
            'name' => 'get_product',
            'description' => 'Details of one product',
            'parameters' => ['type' => 'object', 'properties' => ['id' => ['type' => 'integer']], 'required' => ['id']],
        ], ['name' => 'shipping_options', 'description' => 'Shipping zones', 'parameters' => ['type' => 'object', 'properties' => []]]];
        $messages = [['role' => 'user', 'content' => 'tell me about product 7']];
        $cb = $stream ? function (string $d): void {} : null;
        $r = $this->client($provider, 'fake-tools')->chat($this->vault, $this->envelope, self::CTX, $messages, $tools, $cb);
        $this->assertSame('tool_calls', $r['stop_reason']);
        $this->assertCount(1, $r['tool_calls']);
        $this->assertSame('get_product', $r['tool_calls'][0]['name']);
        $this->assertSame(['id' => 7], $r['tool_calls'][0]['arguments']);
        $this->assertNotSame('', $r['tool_calls'][0]['id']);

        $sent = json_decode($this->requests()[0]['body'], true);
        if ($provider === 'openai') {
            $this->assertSame('function', $sent['tools'][0]['type']);
            $this->assertEquals($tools[0]['parameters'], $sent['tools'][0]['function']['parameters']); // key order is not significant in JSON
            $this->assertStringContainsString('"properties":{}', $this->requests()[0]['body']);
        } else {
            $this->assertEquals($tools[0]['parameters'], $sent['tools'][0]['input_schema']);
        }

        // Second turn: the assistant's call and the tool's result go back.
        $messages[] = ['role' => 'assistant', 'content' => '', 'tool_calls' => $r['tool_calls']];
        $messages[] = ['role' => 'tool', 'tool_call_id' => $r['tool_calls'][0]['id'], 'content' => '{"name":"Linen shirt","price":"49.00"}'];
        $this->client($provider)->chat($this->vault, $this->envelope, self::CTX, $messages, $tools);
        $sent = json_decode($this->requests()[1]['body'], true);
        if ($provider === 'openai') {
            $this->assertSame('{"id":7}', $sent['messages'][1]['tool_calls'][0]['function']['arguments']);
            $this->assertEquals(['role' => 'tool', 'tool_call_id' => $r['tool_calls'][0]['id'], 'content' => '{"name":"Linen shirt","price":"49.00"}'], $sent['messages'][2]);
        } else {
            $this->assertSame('tool_use', $sent['messages'][1]['content'][0]['type']);
            $this->assertSame(['id' => 7], $sent['messages'][1]['content'][0]['input']);
            $this->assertSame('user', $sent['messages'][2]['role']);
            $this->assertSame('tool_result', $sent['messages'][2]['content'][0]['type']);
            $this->assertSame($r['tool_calls'][0]['id'], $sent['messages'][2]['content'][0]['tool_use_id']);
        }
    }

    public static function errorCases(): array
    {
        $out = [];
        foreach (['openai', 'anthropic'] as $p) {
            $out["$p 401"] = [$p, 'fake-401', 401, 'Incorrect API key'];
            $out["$p 429"] = [$p, 'fake-429', 429, 'Rate limit reached'];
            $out["$p 500"] = [$p, 'fake-500', 500, 'The server had an error'];
        }
        return $out;
    }

    /** @dataProvider errorCases */
    public function testHttpErrorsCarryTheProviderMessageNeverTheKey(string $provider, string $model, int $status, string $msg): void
    {
        foreach ([null, function (string $d): void {}] as $cb) {
            $e = $this->reasonOf(fn () => $this->client($provider, $model)->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => 'hi']], null, $cb));
            $this->assertSame('http_status', $e->reason());
            $this->assertSame(4003, $e->getCode());
            $this->assertStringContainsString((string) $status, $e->getMessage());
            $this->assertStringContainsString($msg, $e->getMessage());
            $this->assertStringNotContainsString(self::KEY, $e->getMessage());
            $this->assertStringNotContainsString(self::KEY, (string) $e);
        }
    }

    public function testGarbageIsInvalidResponse(): void
    {
        $e = $this->reasonOf(fn () => $this->client('openai', 'fake-garbage')->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => 'hi']]));
        $this->assertSame('invalid_response', $e->reason());
    }

    public function testTimeoutsAreHonoured(): void
    {
        // Own server: the slow one stays busy after the client has given up.
        $server = self::startFake();
        try {
            foreach (['fake-slow' => null, 'fake-slow-stream' => function (string $d): void {}] as $model => $cb) {
                $t = hrtime(true);
                $e = $this->reasonOf(fn () => $this->client('openai', $model, ['timeout_ms' => 700], $server[1])
                    ->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => 'hi']], null, $cb));
                $elapsed = (hrtime(true) - $t) / 1e9;
                $this->assertSame('timeout', $e->reason(), $model);
                $this->assertStringContainsString('700 ms', $e->getMessage());
                $this->assertLessThan(4.0, $elapsed, "$model: the 700 ms deadline was not enforced (generous bound; the server sleeps 5 s)");
            }
        } finally {
            self::stopFake($server);
        }
    }

    public function testUnreachableIsNetwork(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe); // nothing listens there now
        $e = $this->reasonOf(fn () => $this->client('anthropic', 'fake-echo', [], $port)->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => 'hi']]));
        $this->assertSame('network', $e->reason());
    }

    public function testKeyProblemsAreNoKey(): void
    {
        $c = $this->client('openai');
        $msgs = [['role' => 'user', 'content' => 'hi']];
        $this->assertSame('no_key', $this->reasonOf(fn () => $c->chat($this->vault, '', self::CTX, $msgs))->reason());
        $this->assertSame('no_key', $this->reasonOf(fn () => $c->chat($this->vault, $this->envelope, 'other_option', $msgs))->reason());
        $other = Vault::fromKey(str_repeat('z', 32), 'k1');
        $this->assertSame('no_key', $this->reasonOf(fn () => $c->chat($other, $this->envelope, self::CTX, $msgs))->reason());
        $blank = $this->vault->encrypt('   ', self::CTX);
        $this->assertSame('no_key', $this->reasonOf(fn () => $c->chat($this->vault, $blank, self::CTX, $msgs))->reason());
        $this->assertSame([], $this->requests(), 'nothing may be sent without a key');
    }

    public static function badRequests(): array
    {
        return [
            'unknown provider' => [['provider' => 'gemini', 'model' => 'x'], null],
            'no model' => [['provider' => 'openai'], null],
            'typo in option' => [['provider' => 'openai', 'model' => 'x', 'timeout' => 5], null],
            'zero timeout' => [['provider' => 'openai', 'model' => 'x', 'timeout_ms' => 0], null],
            'bad base_url' => [['provider' => 'openai', 'model' => 'x', 'base_url' => 'file:///etc/passwd'], null],
            'no messages' => [null, []],
            'unknown role' => [null, [['role' => 'robot', 'content' => 'x']]],
            'tool without id' => [null, [['role' => 'tool', 'content' => 'x']]],
            'invalid utf-8' => [null, [['role' => 'user', 'content' => "\xff"]]],
        ];
    }

    /** @dataProvider badRequests */
    public function testBadRequests(?array $options, ?array $messages): void
    {
        $e = $this->reasonOf(function () use ($options, $messages) {
            $c = $options ? new AiClient($options) : $this->client('openai');
            $c->chat($this->vault, $this->envelope, self::CTX, $messages ?? [['role' => 'user', 'content' => 'hi']]);
        });
        $this->assertSame('bad_request', $e->reason());
        $this->assertSame([], $this->requests());
    }

    public function testAnExceptionInTheCallbackPropagatesUnchanged(): void
    {
        $calls = 0;
        try {
            $this->client('anthropic')->chat($this->vault, $this->envelope, self::CTX, [['role' => 'user', 'content' => 'a long enough message']], null,
                function (string $d) use (&$calls): void { $calls++; throw new DomainException('visitor left'); });
            $this->fail('expected the callback exception');
        } catch (DomainException $e) {
            $this->assertSame('visitor left', $e->getMessage());
        }
        $this->assertSame(1, $calls, 'streaming stops at the first exception');
    }

    public function testAccessors(): void
    {
        $c = $this->client('anthropic', 'claude-x');
        $this->assertSame('anthropic', $c->provider());
        $this->assertSame('claude-x', $c->model());
    }
}
