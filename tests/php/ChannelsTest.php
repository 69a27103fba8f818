<?php
declare(strict_types=1);

use Aisle\ChannelException;
use Aisle\Channels\GraphClient;
use Aisle\Channels\Signature;
use Aisle\Vault;
use PHPUnit\Framework\TestCase;

/** Aisle\Channels\Signature and Aisle\Channels\GraphClient against tests/fakes/graph.php on loopback. */
final class ChannelsTest extends TestCase
{
    private const TOKEN = 'EAAGfaketoken0123456789';
    private const SECRET = 'app-secret-abcdef0123';

    /** @var array{0: resource, 1: int, 2: string}|null */
    private static ?array $server = null;
    private Vault $vault;

    public static function setUpBeforeClass(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $dir = sys_get_temp_dir() . '/aisle-graph-' . getmypid();
        @mkdir($dir);
        $proc = proc_open(
            ['php', '-S', "127.0.0.1:$port", dirname(__DIR__) . '/fakes/graph.php'],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
            $pipes,
            null,
            ['FAKE_DIR' => $dir, 'FAKE_GRAPH_TOKEN' => self::TOKEN] + getenv()
        );
        for ($i = 0; $i < 100; $i++) {
            try {
                $c = stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 0.1);
            } catch (ErrorException $e) { // the test bootstrap turns warnings into exceptions
                $c = false;
            }
            if ($c) {
                fclose($c);
                self::$server = [$proc, $port, $dir];
                return;
            }
            usleep(50000);
        }
        proc_terminate($proc);
        throw new RuntimeException('the fake Graph API did not start');
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$server) {
            proc_terminate(self::$server[0]); // the PID proc_open started, no shell in between
            proc_close(self::$server[0]);
            array_map('unlink', glob(self::$server[2] . '/*') ?: []);
            @rmdir(self::$server[2]);
            self::$server = null;
        }
    }

    protected function setUp(): void
    {
        $this->vault = Vault::fromKey(str_repeat('c', 32), 'k1');
        $this->control('/_fake/reset', []);
    }

    private function base(): string
    {
        return 'http://127.0.0.1:' . self::$server[1];
    }

    private function control(string $path, array $body): void
    {
        file_get_contents($this->base() . $path, false, stream_context_create(['http' => ['method' => 'POST', 'content' => json_encode($body), 'header' => 'Content-Type: application/json']]));
    }

    /** @return list<array{method: string, path: string, headers: array, body: string}> */
    private function log(): array
    {
        $file = self::$server[2] . '/log.jsonl';
        return is_file($file) ? array_map(fn ($l) => json_decode($l, true), file($file, FILE_IGNORE_NEW_LINES)) : [];
    }

    private function client(): GraphClient
    {
        return new GraphClient(['base_url' => $this->base(), 'version' => 'v24.0', 'timeout_ms' => 5000]);
    }

    private function token(string $plain = self::TOKEN): string
    {
        return $this->vault->encrypt($plain, 'aisle_whatsapp_access_token');
    }

    public function testSignatureAsMetaComputesIt(): void
    {
        $body = '{"object":"page","entry":[{"id":"1","messaging":[{"sender":{"id":"42"},"message":{"mid":"m1","text":"hi"}}]}]}';
        $header = 'sha256=' . hash_hmac('sha256', $body, self::SECRET);
        $env = $this->vault->encrypt(self::SECRET, 'aisle_messenger_app_secret');
        $this->assertTrue(Signature::verify($body, $header, $this->vault, $env, 'aisle_messenger_app_secret'));
        $this->assertTrue(Signature::verifyPlain($body, $header, self::SECRET));
        $this->assertFalse(Signature::verify($body . ' ', $header, $this->vault, $env, 'aisle_messenger_app_secret'));
        $this->assertFalse(Signature::verify($body, null, $this->vault, $env, 'aisle_messenger_app_secret'));
        $this->assertFalse(Signature::verifyPlain($body, 'sha256=' . hash_hmac('sha256', $body, 'wrong'), self::SECRET));
        $this->assertFalse(Signature::verifyPlain($body, $header, ''));
    }

    public function testEverySingleByteChangeIsRejected(): void
    {
        $body = '{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[{"id":"wamid.1","text":{"body":"hello"}}]}}]}]}';
        $header = 'sha256=' . hash_hmac('sha256', $body, self::SECRET);
        for ($i = 0; $i < strlen($body); $i++) {
            $t = $body;
            $t[$i] = chr(ord($t[$i]) ^ 0x20);
            $this->assertFalse(Signature::verifyPlain($t, $header, self::SECRET), "body byte $i");
        }
        for ($i = 7; $i < strlen($header); $i++) {
            $t = $header;
            $t[$i] = $t[$i] === '0' ? '1' : '0';
            $this->assertFalse(Signature::verifyPlain($body, $t, self::SECRET), "signature byte $i");
        }
    }

    public function testASecretThatDoesNotOpenIsAClearError(): void
    {
        $env = $this->vault->encrypt(self::SECRET, 'aisle_whatsapp_app_secret');
        try {
            Signature::verify('{}', 'sha256=00', $this->vault, $env, 'another_context');
            $this->fail('no exception');
        } catch (ChannelException $e) {
            $this->assertSame('no_secret', $e->reason());
            $this->assertStringContainsString('cannot decrypt the app secret', $e->getMessage());
            $this->assertInstanceOf(\Aisle\Exception::class, $e);
        }
        $this->expectException(ChannelException::class);
        Signature::verify('{}', 'sha256=00', $this->vault, '', 'aisle_whatsapp_app_secret');
    }

    public function testWhatsAppSendUsesTheCloudApiShape(): void
    {
        $r = $this->client()->send($this->vault, $this->token(), 'aisle_whatsapp_access_token', ['channel' => 'whatsapp', 'sender_id' => '109876', 'to' => '+15551234567', 'text' => 'Hi *there*']);
        $this->assertStringStartsWith('wamid.', $r['message_id']);
        $this->assertSame(200, $r['status']);
        [$req] = $this->log();
        $this->assertSame('/v24.0/109876/messages', $req['path']);
        $this->assertSame('Bearer ' . self::TOKEN, $req['headers']['authorization']);
        $this->assertEquals(['messaging_product' => 'whatsapp', 'recipient_type' => 'individual', 'to' => '15551234567', 'type' => 'text', 'text' => ['preview_url' => true, 'body' => 'Hi *there*']], json_decode($req['body'], true));
    }

    public function testMessengerAndInstagramUseTheSendApiShape(): void
    {
        foreach (['messenger' => 'me', 'instagram' => '17841400000000'] as $channel => $sender) {
            $this->control('/_fake/reset', []);
            $r = $this->client()->send($this->vault, $this->token(), 'aisle_whatsapp_access_token', ['channel' => $channel, 'sender_id' => $sender, 'to' => '2468', 'text' => 'Hello']);
            $this->assertStringStartsWith('m_', $r['message_id']);
            [$req] = $this->log();
            $this->assertSame("/v24.0/$sender/messages", $req['path']);
            $this->assertEquals(['recipient' => ['id' => '2468'], 'messaging_type' => 'RESPONSE', 'message' => ['text' => 'Hello']], json_decode($req['body'], true));
        }
    }

    /** @return array<string, array{int, string, bool, int}> */
    public static function graphErrors(): array
    {
        return [
            '429 is retried' => [429, 'rate_limited', true, 130429],
            '500 is retried' => [500, 'server_error', true, 2],
            '403 stops' => [403, 'rejected', false, 10],
        ];
    }

    /** @dataProvider graphErrors */
    public function testGraphErrorBodiesBecomeExceptions(int $status, string $reason, bool $retry, int $code): void
    {
        $this->control('/_fake/fail', ['responses' => [['status' => $status]]]);
        try {
            $this->client()->send($this->vault, $this->token(), 'aisle_whatsapp_access_token', ['channel' => 'messenger', 'to' => '1', 'text' => 'x']);
            $this->fail('no exception');
        } catch (ChannelException $e) {
            $this->assertSame($reason, $e->reason());
            $this->assertSame($status, $e->httpStatus());
            $this->assertSame($code, $e->graphCode());
            $this->assertSame($retry, $e->retryable());
            $this->assertMatchesRegularExpression('/^the Graph API answered HTTP ' . $status . ' \(error code ' . $code . ', OAuthException\): .+ \[fbtrace_id A[0-9a-f]{16}\]$/', $e->getMessage());
        }
    }

    public function testAnExpiredTokenStopsWithCode190AndIsNotEchoed(): void
    {
        try {
            $this->client()->send($this->vault, $this->token('EAAGexpired'), 'aisle_whatsapp_access_token', ['channel' => 'whatsapp', 'sender_id' => '1', 'to' => '1', 'text' => 'x']);
            $this->fail('no exception');
        } catch (ChannelException $e) {
            $this->assertSame('rejected', $e->reason());
            $this->assertSame(401, $e->httpStatus());
            $this->assertSame(190, $e->graphCode());
            $this->assertFalse($e->retryable());
            $this->assertStringNotContainsString('EAAGexpired', $e->getMessage());
        }
    }

    public function testBadInputIsRefusedBeforeAnyRequest(): void
    {
        $cases = [
            [['channel' => 'sms', 'to' => '1', 'text' => 'x'], 'unknown channel'],
            [['channel' => 'whatsapp', 'to' => '1', 'text' => 'x'], 'phone number ID'],
            [['channel' => 'whatsapp', 'sender_id' => '1', 'to' => '1', 'text' => str_repeat('a', 4097)], '4097 characters'],
            [['channel' => 'messenger', 'to' => '1/../2', 'text' => 'x'], "'to'"],
            [['channel' => 'messenger', 'to' => '1', 'text' => ['x']], "'text' must be a string"],
        ];
        foreach ($cases as [$msg, $needle]) {
            try {
                $this->client()->send($this->vault, $this->token(), 'aisle_whatsapp_access_token', $msg);
                $this->fail('accepted ' . json_encode($msg));
            } catch (ChannelException $e) {
                $this->assertSame('bad_request', $e->reason(), $e->getMessage());
                $this->assertStringContainsString($needle, $e->getMessage());
                $this->assertSame(0, $e->httpStatus());
            }
        }
        $this->assertSame([], $this->log(), 'nothing reached the Graph API');
        foreach ([['base_url' => 'http://graph.example.com'], ['version' => '24'], ['timeout' => 1]] as $opts) {
            try {
                new GraphClient($opts);
                $this->fail('accepted ' . json_encode($opts));
            } catch (ChannelException $e) {
                $this->assertSame('bad_request', $e->reason());
            }
        }
        $this->assertSame('https://graph.facebook.com', (new GraphClient())->baseUrl());
        $this->assertMatchesRegularExpression('/^v\d+\.\d+$/', (new GraphClient())->version());
    }
}
