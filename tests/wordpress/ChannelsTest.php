<?php
declare(strict_types=1);

require_once __DIR__ . '/ChatTest.php';

/**
 * WhatsApp, Messenger and Instagram (issue 18) on the real site: Meta's webhook handshake and
 * signed deliveries reach WordPress, the reply is answered by the same assistant as the widget
 * (real catalog, real orders) and leaves through the extension for the fake Graph API
 * (tests/fakes/graph.php: real request and error shapes) on loopback.
 */
final class ChannelsTest extends WpTestCase
{
    private const TOKEN = 'EAAGtesttoken0123456789abcdef';
    private const SECRETS = ['whatsapp' => 'wa-app-secret-123456', 'messenger' => 'fb-app-secret-654321', 'instagram' => 'ig-app-secret-777777'];
    private const VERIFY = 'verify-me-0123456789';
    private const PHONE_ID = '109876543210';
    private const PAGE_ID = '1122334455';
    private const IG_ID = '17841400000000001';

    /** @var resource|null */
    private static $fake = null;
    private static int $port = 0;
    private static string $dir = '';
    private static int $seq = 0;

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        self::$port = Harness::freePort();
        self::$dir = sys_get_temp_dir() . '/aisle-graph-wp-' . getmypid();
        @mkdir(self::$dir);
        self::$fake = proc_open([PHP_BINARY, '-S', '127.0.0.1:' . self::$port, dirname(__DIR__) . '/fakes/graph.php'], [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes, null, ['FAKE_DIR' => self::$dir, 'FAKE_GRAPH_TOKEN' => self::TOKEN]);
        for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', self::$port); $i++) {
            usleep(50000);
        }
        ChatTest::seed();
        self::$h->wp('aisle_test_import_sample_catalog(); return aisle_test_run_actions();');
        $base = 'http://127.0.0.1:' . self::$port;
        $secrets = var_export(self::SECRETS, true);
        $token = self::TOKEN;
        $verify = self::VERIFY;
        $phone = self::PHONE_ID;
        $page = self::PAGE_ID;
        $ig = self::IG_ID;
        self::$h->wp(<<<PHP
update_option('aisle_test_graph_base', '$base');
\$s = get_option('aisle_settings', array());
\$s = array_merge(\$s, array('whatsapp_enabled' => true, 'whatsapp_phone_number_id' => '$phone', 'messenger_enabled' => true, 'messenger_page_id' => '$page', 'instagram_enabled' => true, 'instagram_account_id' => '$ig', 'channel_rate_limit' => 1000));
update_option('aisle_settings', \$s);
\$sec = new Aisle\Plugin\Privacy\Secrets();
foreach ($secrets as \$c => \$secret) {
  \$sec->save(\$c . '_app_secret', \$secret);
  \$sec->save(\$c . '_verify_token', '$verify');
}
\$sec->save('whatsapp_access_token', '$token');
\$sec->save('messenger_page_access_token', '$token');
\$sec->save('instagram_page_access_token', '$token');
return true;
PHP);
    }

    public static function tearDownAfterClass(): void
    {
        self::$h->wp('delete_option("aisle_test_graph_base"); $s = get_option("aisle_settings"); foreach (array("whatsapp", "messenger", "instagram") as $c) { $s[$c . "_enabled"] = false; $s[$c . "_paused"] = false; } update_option("aisle_settings", $s); return true;');
        Harness::endProcess(self::$fake);
        array_map('unlink', glob(self::$dir . '/*') ?: []);
        @rmdir(self::$dir);
    }

    protected function setUp(): void
    {
        parent::setUp();
        self::resetLimits();
        $this->fake('/_fake/reset');
    }

    private function fake(string $path, array $body = []): void
    {
        $ch = curl_init('http://127.0.0.1:' . self::$port . $path);
        curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => json_encode($body), CURLOPT_RETURNTRANSFER => true]);
        curl_exec($ch);
        curl_close($ch);
    }

    /** @return list<array{path: string, auth: string, body: array}> What the fake Graph API received. */
    private function sent(): array
    {
        $file = self::$dir . '/log.jsonl';
        clearstatcache(true, $file); // the fake, another process, creates and deletes it
        $out = [];
        foreach (is_file($file) ? file($file, FILE_IGNORE_NEW_LINES) : [] as $line) {
            $r = json_decode($line, true);
            $out[] = ['path' => $r['path'], 'auth' => $r['headers']['authorization'] ?? '', 'body' => json_decode($r['body'], true)];
        }
        return $out;
    }

    /** The text of every send, in order. */
    private function texts(): array
    {
        return array_map(static fn ($r) => $r['body']['text']['body'] ?? $r['body']['message']['text'] ?? null, $this->sent());
    }

    private function post(string $channel, string $raw, ?string $signature, array $headers = []): array
    {
        $ch = curl_init(self::$h->url . '/?rest_route=' . rawurlencode('/aisle/v1/channels/' . $channel));
        $h = array_merge(['Content-Type: application/json'], $headers);
        if ($signature !== null) {
            $h[] = 'X-Hub-Signature-256: ' . $signature;
        }
        curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => $raw, CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => $h, CURLOPT_HEADER => true]);
        $out = curl_exec($ch);
        $size = curl_getinfo($ch, CURLINFO_HEADER_SIZE);
        $status = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        return ['status' => $status, 'body' => substr($out, $size), 'json' => json_decode(substr($out, $size), true), 'headers' => substr($out, 0, $size)];
    }

    /** Signs like Meta: sha256=HMAC-SHA256(raw body, app secret). */
    private function deliver(string $channel, array $payload, ?string $secret = null): array
    {
        $raw = json_encode($payload, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
        return $this->post($channel, $raw, 'sha256=' . hash_hmac('sha256', $raw, $secret ?? self::SECRETS[$channel]));
    }

    private static function id(string $prefix): string
    {
        return $prefix . getmypid() . '.' . (++self::$seq) . '.' . bin2hex(random_bytes(4));
    }

    /** A WhatsApp Cloud API delivery of one text message, as Meta sends it. */
    private function whatsapp(string $from, string $text, ?string $id = null, ?int $time = null, string $type = 'text'): array
    {
        $message = ['from' => $from, 'id' => $id ?? self::id('wamid.IN'), 'timestamp' => (string) ($time ?? time()), 'type' => $type];
        $message += $type === 'text' ? ['text' => ['body' => $text]] : [$type => ['mime_type' => 'image/jpeg', 'sha256' => 'abc', 'id' => '123']];
        return ['object' => 'whatsapp_business_account', 'entry' => [['id' => '8856996819413533', 'changes' => [['value' => [
            'messaging_product' => 'whatsapp',
            'metadata' => ['display_phone_number' => '15550001111', 'phone_number_id' => self::PHONE_ID],
            'contacts' => [['profile' => ['name' => 'Kerry Fisher'], 'wa_id' => $from]],
            'messages' => [$message],
        ], 'field' => 'messages']]]]];
    }

    /** Messenger (object page) or Instagram (object instagram) delivery of one text message. */
    private function messaging(string $channel, string $psid, string $text, ?string $mid = null, array $extra = []): array
    {
        $recipient = $channel === 'messenger' ? self::PAGE_ID : self::IG_ID;
        return ['object' => $channel === 'messenger' ? 'page' : 'instagram', 'entry' => [['id' => $recipient, 'time' => time() * 1000, 'messaging' => [[
            'sender' => ['id' => $psid], 'recipient' => ['id' => $recipient], 'timestamp' => time() * 1000,
            'message' => ['mid' => $mid ?? self::id('m_'), 'text' => $text] + $extra,
        ]]]]];
    }

    private function runJobs(): int
    {
        return (int) self::$h->wp('return aisle_test_run_actions();');
    }

    /** Makes scheduled retries due now, as if their backoff had passed. */
    private function fastForward(): void
    {
        self::$h->wp('global $wpdb; $wpdb->query("UPDATE {$wpdb->prefix}actionscheduler_actions SET scheduled_date_gmt = UTC_TIMESTAMP() - INTERVAL 1 SECOND, scheduled_date_local = NOW() - INTERVAL 1 SECOND WHERE hook = \'aisle_channel_reply\' AND status = \'pending\'"); return true;');
    }

    private function rows(string $sql): array
    {
        return self::$h->query($sql);
    }

    private function conversationOf(string $externalId): array
    {
        $id = self::$h->db()->real_escape_string($externalId);
        return $this->rows("SELECT c.* FROM wp_aisle_conversations c JOIN wp_aisle_messages m ON m.conversation_id = c.id WHERE m.external_id = '$id'")[0] ?? [];
    }

    private function setting(string $key, mixed $value): void
    {
        $v = var_export($value, true);
        self::$h->wp("\$s = get_option('aisle_settings'); \$s['$key'] = $v; update_option('aisle_settings', \$s); return true;");
    }

    private static function number(): string
    {
        return '1555' . random_int(1000000, 9999999);
    }

    // ---- handshake ----

    public function testHandshakeAnswersExactlyTheChallengeForTheRightTokenOnly(): void
    {
        foreach (['whatsapp', 'messenger', 'instagram'] as $c) {
            $route = '/?rest_route=' . rawurlencode("/aisle/v1/channels/$c");
            $ok = $this->http('GET', $route . '&hub.mode=subscribe&hub.verify_token=' . self::VERIFY . '&hub.challenge=1158201444');
            $this->assertSame(200, $ok['status'], $c);
            $this->assertSame('1158201444', $ok['body'], "$c: the body is exactly the challenge");
            $this->assertMatchesRegularExpression('~content-type: text/plain~i', $ok['headers']);
            $this->assertSame(403, $this->http('GET', $route . '&hub.mode=subscribe&hub.verify_token=wrong-token&hub.challenge=1158201444')['status'], $c);
            $this->assertSame(403, $this->http('GET', $route . '&hub.mode=subscribe&hub.challenge=1158201444')['status'], "$c: no token");
            $this->assertSame(403, $this->http('GET', $route . '&hub.mode=unsubscribe&hub.verify_token=' . self::VERIFY . '&hub.challenge=1')['status'], "$c: wrong mode");
        }
        // Written the way PHP would rename them, the names still work.
        $u = $this->http('GET', '/?rest_route=' . rawurlencode('/aisle/v1/channels/whatsapp') . '&hub_mode=subscribe&hub_verify_token=' . self::VERIFY . '&hub_challenge=abc123');
        $this->assertSame([200, 'abc123'], [$u['status'], $u['body']]);
    }

    // ---- signatures ----

    public function testOnlyDeliveriesSignedWithTheAppSecretAreStored(): void
    {
        $count = fn () => (int) $this->rows('SELECT COUNT(*) n FROM wp_aisle_messages WHERE external_id IS NOT NULL')[0]['n'];
        $jobs = fn () => count(self::$h->wp('return aisle_test_pending_actions();'));
        $before = [$count(), $jobs()];
        $payload = $this->whatsapp(self::number(), 'Do you have a beanie?');
        $raw = json_encode($payload);
        $good = 'sha256=' . hash_hmac('sha256', $raw, self::SECRETS['whatsapp']);

        $tampered = $this->post('whatsapp', str_replace('beanie', 'hoodie', $raw), $good);
        $this->assertSame(403, $tampered['status']);
        $this->assertSame(403, $this->post('whatsapp', $raw, 'sha256=' . hash_hmac('sha256', $raw, 'not-the-app-secret'))['status'], 'wrong secret');
        $this->assertSame(403, $this->post('whatsapp', $raw, 'sha256=' . hash_hmac('sha256', $raw, self::SECRETS['messenger']))['status'], "another channel's secret");
        $this->assertSame(401, $this->post('whatsapp', $raw, null)['status'], 'missing header');
        $this->assertSame(403, $this->post('whatsapp', $raw, 'sha1=' . hash_hmac('sha1', $raw, self::SECRETS['whatsapp']))['status'], 'old sha1 header');
        $this->assertSame($before, [$count(), $jobs()], 'nothing stored or queued on failure');

        $big = json_encode(['object' => 'whatsapp_business_account', 'entry' => [], 'pad' => str_repeat('x', 1048577)]);
        $this->assertSame(413, $this->post('whatsapp', $big, 'sha256=' . hash_hmac('sha256', $big, self::SECRETS['whatsapp']))['status']);
        $bad = '{"object": "whatsapp_business_account", "entry": [';
        $this->assertSame(400, $this->post('whatsapp', $bad, 'sha256=' . hash_hmac('sha256', $bad, self::SECRETS['whatsapp']))['status'], 'malformed JSON, signed');
        $this->assertSame(400, $this->deliver('whatsapp', ['object' => 'page', 'entry' => []])['status'], 'not a WhatsApp body');
        $this->assertSame($before, [$count(), $jobs()]);

        $ok = $this->post('whatsapp', $raw, $good);
        $this->assertSame(200, $ok['status'], $ok['body']);
        $this->assertSame(1, $ok['json']['stored']);
        $this->assertSame([$before[0] + 1, $before[1] + 1], [$count(), $jobs()]);
        $this->runJobs();
    }

    public function testDeliveriesForAnotherNumberOrPageAreNotOursAndOddShapesNeverBreak(): void
    {
        $other = $this->whatsapp(self::number(), 'Do you have a beanie?');
        $other['entry'][0]['changes'][0]['value']['metadata']['phone_number_id'] = '999000999';
        $this->assertSame([200, 0], [$this->deliver('whatsapp', $other)['status'], $this->deliver('whatsapp', $other)['json']['stored']]);
        $page = $this->messaging('messenger', 'PSID1', 'hello');
        $page['entry'][0]['id'] = '5550005555';
        $this->assertSame(0, $this->deliver('messenger', $page)['json']['stored']);
        // Signed by Meta yet odd: wrong types everywhere. Each is answered 200 or 400, nothing is logged.
        $odd = [
            ['object' => 'whatsapp_business_account', 'entry' => 'x'],
            ['object' => 'whatsapp_business_account', 'entry' => [1, 'a', null, ['changes' => 'x'], ['changes' => [1, ['value' => 'v'], ['value' => ['messages' => 'm', 'statuses' => [1]]]]]]],
            ['object' => 'whatsapp_business_account', 'entry' => [['changes' => [['value' => ['metadata' => 'm', 'contacts' => [['wa_id' => []]], 'messages' => [['from' => [], 'id' => ['x']], ['from' => '1', 'id' => 'wamid.ODD' . random_int(1, 999999999), 'type' => ['t'], 'timestamp' => 'abc', 'text' => 'body']]]]]]]],
        ];
        foreach ($odd as $body) {
            $this->assertContains($this->deliver('whatsapp', $body)['status'], [200, 400], json_encode($body));
        }
        foreach ([['object' => 'page', 'entry' => [['id' => [], 'messaging' => [['sender' => 'x'], ['sender' => ['id' => ['a']]], ['sender' => ['id' => 'P1'], 'timestamp' => 'abc', 'message' => ['mid' => 'm_odd' . random_int(1, 999999999), 'text' => ['t']]], ['sender' => ['id' => 'P1'], 'postback' => 'p'], ['sender' => ['id' => 'P1'], 'delivery' => ['mids' => 'x']]]]]]] as $body) {
            $this->assertSame(200, $this->deliver('messenger', $body)['status']);
        }
        $this->runJobs();
    }

    // ---- replies ----

    public function testAProductQuestionIsAnsweredFromTheCatalogOnWhatsApp(): void
    {
        $from = self::number();
        $r = $this->deliver('whatsapp', $this->whatsapp($from, 'Do you have a beanie?'));
        $this->assertSame(200, $r['status']);
        $this->assertSame([], $this->sent(), 'nothing is sent while Meta waits for the 200');
        $this->assertGreaterThanOrEqual(1, $this->runJobs());
        $sent = $this->sent();
        $this->assertCount(1, $sent);
        $this->assertSame('/v24.0/' . self::PHONE_ID . '/messages', $sent[0]['path']);
        $this->assertSame('Bearer ' . self::TOKEN, $sent[0]['auth']);
        $this->assertSame('whatsapp', $sent[0]['body']['messaging_product']);
        $this->assertSame($from, $sent[0]['body']['to']);
        $text = $sent[0]['body']['text']['body'];
        $this->assertStringContainsString('*Beanie*', $text, 'product names in WhatsApp bold');
        $this->assertMatchesRegularExpression('~\$\d+\.\d{2}~', $text, 'with its price');
        $this->assertMatchesRegularExpression('~https?://\S+/product/beanie~', $text, 'and its link');
        $this->assertStringNotContainsString('**', $text);
        $this->deliver('whatsapp', $this->whatsapp($from, 'My other number is +1 415 555 0123'));
        $this->runJobs();
        // Stored redacted; the number exists nowhere in plain text.
        $dump = json_encode([$this->rows('SELECT * FROM wp_aisle_messages'), $this->rows('SELECT * FROM wp_aisle_conversations')], JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_UNICODE);
        $this->assertStringNotContainsString('415 555 0123', $dump);
        $this->assertStringNotContainsString($from, $dump, 'the wa_id is kept only as a hash and an envelope');
        $this->assertStringContainsString('[phone]', $dump);
        $conv = $this->rows("SELECT * FROM wp_aisle_conversations WHERE channel = 'whatsapp' ORDER BY id DESC LIMIT 1")[0];
        $this->assertStringStartsWith('wa:', $conv['session_id']);
        $this->assertStringStartsWith('aisle:v1:', $conv['reply_to']);
        $this->assertEqualsWithDelta(time() + 86400, (int) $conv['window_until'], 30);
        $out = $this->rows("SELECT * FROM wp_aisle_messages WHERE conversation_id = {$conv['id']} AND role = 'assistant'")[0];
        $this->assertSame('sent', $out['delivery']);
        $this->assertStringStartsWith('wamid.', $out['external_id']);
    }

    public function testADuplicateDeliveryIsProcessedOnce(): void
    {
        $payload = $this->whatsapp(self::number(), 'Do you have a hoodie?', self::id('wamid.DUP'));
        $this->assertSame(1, $this->deliver('whatsapp', $payload)['json']['stored']);
        $again = $this->deliver('whatsapp', $payload);
        $this->assertSame([200, 0, 1], [$again['status'], $again['json']['stored'], $again['json']['duplicates']]);
        $this->runJobs();
        $this->deliver('whatsapp', $payload); // Meta retries even after the reply went out.
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'one reply');
        $id = self::$h->db()->real_escape_string($payload['entry'][0]['changes'][0]['value']['messages'][0]['id']);
        $this->assertSame('1', $this->rows("SELECT COUNT(*) n FROM wp_aisle_messages WHERE external_id = '$id'")[0]['n']);
    }

    public function testOrderStatusWithTheVerifiedWhatsAppNumber(): void
    {
        $a = ChatTest::order('a'); // Billing phone +49 151 2345 6789.
        $this->deliver('whatsapp', $this->whatsapp('4915123456789', "Where is order $a?"));
        $this->runJobs();
        $this->assertStringContainsString('Processing', (string) $this->texts()[0], 'the wa_id proves the buyer: no phone needed');
        $this->fake('/_fake/reset');
        $this->deliver('whatsapp', $this->whatsapp('4917099998888', "Where is order $a?"));
        $this->runJobs();
        $this->assertStringNotContainsString('Processing', (string) $this->texts()[0], 'another number learns nothing');
    }

    public function testOutsideTheWindowNothingIsSentAndTheMerchantIsTold(): void
    {
        $payload = $this->whatsapp(self::number(), 'Do you have a beanie?', null, time() - 25 * 3600);
        $this->deliver('whatsapp', $payload);
        $this->runJobs();
        $this->assertSame([], $this->sent());
        $conv = $this->conversationOf($payload['entry'][0]['changes'][0]['value']['messages'][0]['id']);
        $this->assertStringContainsString('24 hours', $conv['channel_error']);
        $this->assertSame('held', $this->rows("SELECT delivery FROM wp_aisle_messages WHERE conversation_id = {$conv['id']} AND role = 'assistant'")[0]['delivery']);
        $status = self::$h->wp('return Aisle\Plugin\Channels\Config::status()["whatsapp"];');
        $this->assertStringContainsString('24 hours', $status['last_error']);
    }

    public function testRateLimitsAndServerErrorsAreRetriedThenDeliveredOnce(): void
    {
        $this->fake('/_fake/fail', ['responses' => [['status' => 429], ['status' => 500]]]);
        $this->deliver('messenger', $this->messaging('messenger', 'PSID' . random_int(1000, 9999), 'Do you have a hoodie?'));
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'attempt 1: 429');
        $pending = array_values(array_filter(self::$h->wp('return aisle_test_pending_actions();'), static fn ($a) => $a['hook'] === 'aisle_channel_reply'));
        $this->assertCount(1, $pending, 'a retry is scheduled');
        $this->assertSame(1, $pending[0]['args']['attempt']);
        $this->assertSame(0, $this->runJobs(), 'not before its backoff');
        $this->fastForward();
        $this->runJobs();
        $this->assertCount(2, $this->sent(), 'attempt 2: 500');
        $this->fastForward();
        $this->runJobs();
        $texts = $this->texts();
        $this->assertCount(3, $texts, 'attempt 3 is accepted');
        $this->assertSame($texts[0], $texts[2], 'the same reply, not a new answer');
        $this->fastForward();
        $this->assertSame(0, $this->runJobs(), 'nothing left to do');
        $this->assertCount(3, $this->sent(), 'never sent twice');
    }

    public function testARunThatDiedMidSendNeverSendsTheReplyAgain(): void
    {
        $this->fake('/_fake/fail', ['responses' => [['status' => 500]]]);
        $payload = $this->whatsapp(self::number(), 'Do you have a beanie?');
        $this->deliver('whatsapp', $payload);
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'attempt 1 failed with a 500');
        $conv = $this->conversationOf($payload['entry'][0]['changes'][0]['value']['messages'][0]['id']);
        // As if the retry had marked the part and died (fatal error, killed worker) before recording the answer.
        self::$h->query("UPDATE wp_aisle_messages SET delivery = 'sending:0' WHERE conversation_id = {$conv['id']} AND role = 'assistant'");
        $this->fastForward();
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'Meta may have it: not sent again');
        $this->assertSame('unknown', $this->rows("SELECT delivery FROM wp_aisle_messages WHERE conversation_id = {$conv['id']} AND role = 'assistant'")[0]['delivery']);
        $this->assertStringContainsString('not sent again', $this->rows("SELECT channel_error FROM wp_aisle_conversations WHERE id = {$conv['id']}")[0]['channel_error']);
    }

    public function testAnExpiredTokenStopsWithTheReasonRecorded(): void
    {
        self::$h->wp('(new Aisle\Plugin\Privacy\Secrets())->save("instagram_page_access_token", "EAAGexpired"); return true;');
        try {
            $r = $this->deliver('instagram', $this->messaging('instagram', 'IGSID' . random_int(1000, 9999), 'Do you have a hoodie?'));
            $this->runJobs();
            $this->assertCount(1, $this->sent());
            $this->fastForward();
            $this->assertSame(0, $this->runJobs(), 'a 401 is not retried');
            $conv = $this->rows("SELECT * FROM wp_aisle_conversations WHERE channel = 'instagram' ORDER BY id DESC LIMIT 1")[0];
            $this->assertStringContainsString('HTTP 401 (error code 190, OAuthException)', $conv['channel_error']);
            $this->assertSame('failed', $this->rows("SELECT delivery FROM wp_aisle_messages WHERE conversation_id = {$conv['id']} AND role = 'assistant'")[0]['delivery']);
            $state = $this->rest('GET', '/channels', $this->admin())['json'];
            $this->assertStringContainsString('error code 190', $state['channels']['instagram']['last_error']);
            $this->assertStringNotContainsString('EAAGexpired', json_encode($state));
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats&conversation=' . $conv['id'], null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~id="aisle-conversation-channel"><span class="dashicons dashicons-instagram"[^>]*></span> Instagram — <strong>Not sent: the Graph API answered HTTP 401~', $page, 'the conversation shows its channel and why the reply did not go out');
            $list = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats', null, $this->admin())['body'];
            $this->assertStringContainsString('aisle-flag-channel-instagram', $list);
        } finally {
            self::$h->wp('(new Aisle\Plugin\Privacy\Secrets())->save("instagram_page_access_token", "' . self::TOKEN . '"); return true;');
        }
    }

    public function testALongReplyIsSplitAtSentenceBoundaries(): void
    {
        $answer = implode(' ', array_map(static fn ($i) => "Returns are free within thirty days for item number $i.", range(1, 34)));
        self::$h->wp('$s = get_option("aisle_settings"); $s["faq"][] = array("question" => "What is your returns policy?", "answer" => ' . var_export($answer, true) . '); update_option("aisle_settings", $s); return true;');
        try {
            $this->deliver('instagram', $this->messaging('instagram', 'IGSID' . random_int(1000, 9999), 'What is your returns policy?'));
            $this->runJobs();
            $texts = $this->texts();
            $this->assertGreaterThanOrEqual(2, count($texts), 'Instagram takes 1,000 characters a message');
            foreach ($texts as $t) {
                $this->assertLessThanOrEqual(1000, mb_strlen($t));
                $this->assertStringEndsWith('.', $t, 'cut after a sentence');
            }
            $this->assertSame($answer, implode(' ', $texts), 'nothing lost or repeated');
        } finally {
            self::$h->wp('$s = get_option("aisle_settings"); array_pop($s["faq"]); update_option("aisle_settings", $s); return true;');
        }
        // WhatsApp's limit is 4,096: the same rule over a longer text.
        $parts = self::$h->wp('return Aisle\Plugin\Channels\Formatter::split(str_repeat("A sentence about hats. ", 400), 4096);');
        $this->assertCount(3, $parts);
        $this->assertLessThanOrEqual(4096, max(array_map('mb_strlen', $parts)));
    }

    public function testStatusCallbacksAreRecordedNeverAnswered(): void
    {
        $payload = $this->whatsapp(self::number(), 'Do you have a beanie?');
        $this->deliver('whatsapp', $payload);
        $this->runJobs();
        $conv = $this->conversationOf($payload['entry'][0]['changes'][0]['value']['messages'][0]['id']);
        $wamid = $this->rows("SELECT external_id FROM wp_aisle_messages WHERE conversation_id = {$conv['id']} AND role = 'assistant'")[0]['external_id'];
        $status = fn (string $s, array $extra = []) => ['object' => 'whatsapp_business_account', 'entry' => [['id' => '1', 'changes' => [['field' => 'messages', 'value' => [
            'messaging_product' => 'whatsapp', 'metadata' => ['phone_number_id' => self::PHONE_ID],
            'statuses' => [['id' => $wamid, 'status' => $s, 'timestamp' => (string) time(), 'recipient_id' => '15550000000'] + $extra],
        ]]]]]];
        foreach (['delivered', 'read', 'delivered'] as $s) {
            $r = $this->deliver('whatsapp', $status($s));
            $this->assertSame([200, 1], [$r['status'], $r['json']['statuses']]);
        }
        $row = fn () => $this->rows("SELECT delivery FROM wp_aisle_messages WHERE external_id = '" . self::$h->db()->real_escape_string($wamid) . "'")[0]['delivery'];
        $this->assertSame('read', $row(), 'a late "delivered" does not step back');
        $this->deliver('whatsapp', $status('failed', ['errors' => [['code' => 131047, 'title' => 'Re-engagement message']]]));
        $this->assertSame('failed', $row());
        $this->assertStringContainsString('131047 Re-engagement message', $this->rows("SELECT channel_error FROM wp_aisle_conversations WHERE id = {$conv['id']}")[0]['channel_error']);
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'status callbacks are never answered');
    }

    public function testWhatCannotBeReadGetsAPoliteTextAndEchoesAreIgnored(): void
    {
        $from = self::number();
        $this->deliver('whatsapp', $this->whatsapp($from, '', null, null, 'image'));
        $this->runJobs();
        $this->assertStringContainsString('text messages only', (string) $this->texts()[0]);
        $this->fake('/_fake/reset');
        $reaction = $this->whatsapp($from, '');
        $reaction['entry'][0]['changes'][0]['value']['messages'][0] = ['from' => $from, 'id' => self::id('wamid.R'), 'timestamp' => (string) time(), 'type' => 'reaction', 'reaction' => ['message_id' => 'wamid.X', 'emoji' => '👍']];
        $this->assertSame(1, $this->deliver('whatsapp', $reaction)['json']['ignored']);
        $echo = $this->messaging('messenger', self::PAGE_ID, 'Our own reply', null, ['is_echo' => true, 'app_id' => 1517776481860111]);
        $this->assertSame(0, $this->deliver('messenger', $echo)['json']['stored']);
        $sticker = $this->messaging('messenger', 'PSID' . random_int(1000, 9999), '');
        unset($sticker['entry'][0]['messaging'][0]['message']['text']);
        $sticker['entry'][0]['messaging'][0]['message']['attachments'] = [['type' => 'image', 'payload' => ['url' => 'https://example.com/s.png', 'sticker_id' => 369239263222822]]];
        $this->deliver('messenger', $sticker);
        $this->runJobs();
        $this->assertSame(['I can read text messages only for now. Please type your question.'], $this->texts(), 'one polite answer; none for the reaction or the echo');
    }

    public function testPausedChannelsStoreButDoNotAnswer(): void
    {
        $this->setting('whatsapp_paused', true);
        try {
            $payload = $this->whatsapp(self::number(), 'Do you have a beanie?');
            $this->assertSame(1, $this->deliver('whatsapp', $payload)['json']['stored']);
            $this->runJobs();
            $this->assertSame([], $this->sent());
            $id = self::$h->db()->real_escape_string($payload['entry'][0]['changes'][0]['value']['messages'][0]['id']);
            $this->assertSame(['paused', 'Do you have a beanie?'], array_values($this->rows("SELECT delivery, content FROM wp_aisle_messages WHERE external_id = '$id'")[0]), 'kept for the team');
        } finally {
            $this->setting('whatsapp_paused', false);
        }
        $this->deliver('messenger', $this->messaging('messenger', 'PSID' . random_int(1000, 9999), 'Do you have a hoodie?'));
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'the other channels still answer');
    }

    public function testMessengerAndInstagramReplyThroughTheSendApi(): void
    {
        foreach (['messenger' => self::PAGE_ID, 'instagram' => self::IG_ID] as $channel => $sender) {
            $this->fake('/_fake/reset');
            $psid = strtoupper($channel) . random_int(100000, 999999);
            $this->deliver($channel, $this->messaging($channel, $psid, 'Do you have a beanie?'));
            $this->runJobs();
            $sent = $this->sent();
            $this->assertCount(1, $sent, $channel);
            $this->assertSame("/v24.0/$sender/messages", $sent[0]['path'], $channel);
            $this->assertSame(['id' => $psid], $sent[0]['body']['recipient']);
            $this->assertSame('RESPONSE', $sent[0]['body']['messaging_type']);
            $this->assertStringContainsString('Beanie', $sent[0]['body']['message']['text']);
            $this->assertStringNotContainsString('*Beanie*', $sent[0]['body']['message']['text'], 'no WhatsApp markup elsewhere');
        }
    }

    public function testASenderOverTheLimitIsStoredNotAnswered(): void
    {
        $this->setting('channel_rate_limit', 2);
        try {
            $from = self::number();
            foreach (['Do you have a beanie?', 'And a hoodie?', 'And a cap?'] as $t) {
                $this->deliver('whatsapp', $this->whatsapp($from, $t));
                $this->runJobs();
            }
            $this->assertCount(2, $this->sent());
            $this->assertSame('limited', $this->rows("SELECT delivery FROM wp_aisle_messages WHERE content = 'And a cap?' ORDER BY id DESC LIMIT 1")[0]['delivery']);
        } finally {
            $this->setting('channel_rate_limit', 1000);
        }
    }

    public function testStaffTakeOverAChannelConversationAndReplyFromWpAdmin(): void
    {
        $from = self::number();
        $first = $this->whatsapp($from, 'Do you have a beanie?');
        $this->deliver('whatsapp', $first);
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'the assistant answered');
        $conv = $this->conversationOf($first['entry'][0]['changes'][0]['value']['messages'][0]['id']);
        $admin = $this->admin();
        $claim = $this->rest('POST', "/conversations/{$conv['id']}/claim", $admin);
        $this->assertSame(200, $claim['status'], $claim['body']);

        $this->fake('/_fake/reset');
        $this->deliver('whatsapp', $this->whatsapp($from, 'Can a person help me with sizes?'));
        $this->runJobs();
        $this->assertSame([], $this->sent(), 'while staff has it, the assistant is silent');
        $reply = $this->rest('POST', "/conversations/{$conv['id']}/messages", $admin, ['text' => 'Hi, Sam here: the beanie is one size.']);
        $this->assertSame(201, $reply['status'], $reply['body']);
        $sent = $this->sent();
        $this->assertCount(1, $sent, 'the staff reply left at once');
        $this->assertSame($from, $sent[0]['body']['to']);
        $this->assertSame('Hi, Sam here: the beanie is one size.', $sent[0]['body']['text']['body']);
        $this->assertSame('sent', $this->rows("SELECT delivery FROM wp_aisle_messages WHERE conversation_id = {$conv['id']} AND role = 'human'")[0]['delivery']);
        $this->runJobs();
        $this->assertCount(1, $this->sent(), 'and only once');
        $this->rest('POST', "/conversations/{$conv['id']}/release", $admin);
    }

    public function testALeadIsTakenInTheChatAfterTheOffer(): void
    {
        $psid = 'PSID' . random_int(100000, 999999);
        $this->deliver('messenger', $this->messaging('messenger', $psid, 'Do you sell telescopes?'));
        $this->runJobs();
        $offer = (string) $this->texts()[0];
        $this->assertStringContainsString('Reply with your email address or phone number', $offer);
        $this->assertStringNotContainsString('below', $offer, 'no form to point at in Messenger');
        $this->fake('/_fake/reset');
        $this->deliver('messenger', $this->messaging('messenger', $psid, 'Sure: Jane.Telescope@example.com'));
        $this->runJobs();
        $this->assertSame(['Thank you. The store will get back to you soon.'], $this->texts());
        $lead = $this->rows("SELECT l.*, c.channel FROM wp_aisle_leads l JOIN wp_aisle_conversations c ON c.id = l.conversation_id WHERE l.email = 'jane.telescope@example.com'")[0] ?? null;
        $this->assertNotNull($lead, 'the lead is stored with its conversation');
        $this->assertSame('messenger', $lead['channel']);
        $this->assertStringContainsString('Messenger chat', $lead['consent_text']);
    }

    /** Asking for a person on a channel hands over like the widget: the Live view has it, the shopper is told each step. */
    public function testAShopperAskingForAPersonOnAChannelIsHandedToTheTeam(): void
    {
        $this->setting('handoff_enabled', true);
        $this->setting('staffed_hours', 'always');
        $this->setting('handoff_keywords', '');
        self::$h->wp('update_user_meta(get_user_by("login", "admin")->ID, "aisle_display_name", "Sam"); return true;');
        try {
            $from = self::number();
            $ask = $this->whatsapp($from, 'Can I talk to a human please?');
            $this->deliver('whatsapp', $ask);
            $this->runJobs();
            $this->assertSame(['Connecting you with the team…'], $this->texts(), 'told, and the assistant does not answer');
            $conv = $this->conversationOf($ask['entry'][0]['changes'][0]['value']['messages'][0]['id']);
            $this->assertSame('waiting', $conv['status']);
            $admin = $this->admin();
            $waiting = $this->http('GET', '/?rest_route=' . rawurlencode('/aisle/v1/conversations') . '&status=waiting', null, $admin)['json']['conversations'];
            $mine = array_values(array_filter($waiting, static fn ($c) => $c['id'] === (int) $conv['id']));
            $this->assertCount(1, $mine, 'the Live view lists the WhatsApp conversation as waiting');
            $this->assertSame('whatsapp', $mine[0]['channel']);
            $this->assertSame('Can I talk to a human please?', $mine[0]['last_text']);

            $this->fake('/_fake/reset');
            $this->deliver('whatsapp', $this->whatsapp($from, 'Do you have a beanie?'));
            $this->runJobs();
            $this->assertSame([], $this->sent(), 'while waiting, the assistant stays silent');
            $this->assertSame(200, $this->rest('POST', "/conversations/{$conv['id']}/claim", $admin)['status']);
            $this->assertSame(201, $this->rest('POST', "/conversations/{$conv['id']}/messages", $admin, ['text' => 'Hi, Sam here. Yes, in grey.'])['status']);
            $this->assertSame(200, $this->rest('POST', "/conversations/{$conv['id']}/release", $admin)['status']);
            $texts = $this->texts();
            $this->assertMatchesRegularExpression('~^Sam from .+ joined the chat\.$~', (string) $texts[0]);
            $this->assertSame(['Hi, Sam here. Yes, in grey.', 'The assistant is here again. Ask me anything.'], array_slice($texts, 1));
            $this->assertSame($from, $this->sent()[0]['body']['to']);

            $this->fake('/_fake/reset');
            $this->deliver('whatsapp', $this->whatsapp($from, 'Do you have a beanie?'));
            $this->runJobs();
            $this->assertStringContainsString('*Beanie*', (string) ($this->texts()[0] ?? ''), 'the assistant answers again');

            // Messenger, in French: the same handoff, in the shopper's language.
            $this->fake('/_fake/reset');
            $this->deliver('messenger', $this->messaging('messenger', 'PSID' . random_int(100000, 999999), "Bonjour, je voudrais parler à un conseiller s'il vous plaît"));
            $this->runJobs();
            $this->assertSame(['Mise en relation avec l’équipe…'], $this->texts());

            // Outside staffed hours: the offline note asks for a contact, which becomes a lead.
            $this->setting('staffed_hours', 'never');
            $this->fake('/_fake/reset');
            $psid = 'IGSID' . random_int(100000, 999999);
            $this->deliver('instagram', $this->messaging('instagram', $psid, 'I want to speak to a real person'));
            $this->runJobs();
            $this->assertSame(['The team is offline right now. Leave your email or phone and they will get back to you.'], $this->texts());
            $this->fake('/_fake/reset');
            $this->deliver('instagram', $this->messaging('instagram', $psid, 'ig.shopper@example.com'));
            $this->runJobs();
            $this->assertSame(['Thank you. The store will get back to you soon.'], $this->texts());
            $this->assertCount(1, $this->rows("SELECT id FROM wp_aisle_leads WHERE email = 'ig.shopper@example.com'"));
        } finally {
            $this->setting('handoff_enabled', false);
            $this->setting('staffed_hours', 'always');
        }
    }

    // ---- settings and screen ----

    public function testTheChannelsScreenInChromium(): void
    {
        $repo = dirname(__DIR__, 2);
        $this->assertFileExists("$repo/tests/e2e/node_modules/axe-core/axe.min.js", 'run make e2e-deps');
        @mkdir("$repo/tests/artifacts");
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/channels.mjs", self::$h->url, 'admin', 'admin-password-123', "$repo/tests/artifacts"]);
            $this->assertStringContainsString('channels screen ok', $log);
            $this->assertSame('15557654321', $this->sent()[0]['body']['to'], 'Send test message reached the Graph API');
            $this->assertSame('EAAGbrowser-token-9876', self::$h->wp('return (new Aisle\\Plugin\\Privacy\\Secrets())->reveal("messenger_page_access_token");'));
        } finally {
            self::$h->wp('$s = new Aisle\Plugin\Privacy\Secrets(); $s->save("messenger_page_access_token", "' . self::TOKEN . '"); $s->save("messenger_verify_token", "' . self::VERIFY . '"); return true;');
        }
    }

    public function testSettingsAreWriteOnlyAndTheScreenShowsWhatMetaNeeds(): void
    {
        $admin = $this->admin();
        $r = $this->rest('POST', '/settings', $admin, ['whatsapp_business_account_id' => '5550001', 'graph_api_version' => 'v24.0', 'messenger_app_secret' => self::SECRETS['messenger']]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertSame('5550001', $r['json']['settings']['whatsapp_business_account_id']);
        $this->assertSame(['saved' => true, 'ends_with' => '4321', 'readable' => true], $r['json']['secrets']['messenger_app_secret']);
        $this->assertStringNotContainsString(self::TOKEN, $r['body']);
        $this->assertStringStartsWith('aisle:v1:', (string) $this->option('aisle_whatsapp_access_token'));
        $bad = $this->rest('POST', '/settings', $admin, ['graph_api_version' => '24', 'whatsapp_phone_number_id' => 'abc']);
        $this->assertSame(400, $bad['status']);
        $this->assertEqualsCanonicalizing(['graph_api_version', 'whatsapp_phone_number_id'], array_keys($bad['json']['data']['params']));

        $t = $this->rest('POST', '/channels/messenger/verify-token', $admin);
        $token = $t['json']['verify_token'];
        $this->assertMatchesRegularExpression('/^[A-Za-z0-9]{32}$/', $token);
        $hs = fn (string $v) => $this->http('GET', '/?rest_route=' . rawurlencode('/aisle/v1/channels/messenger') . "&hub.mode=subscribe&hub.verify_token=$v&hub.challenge=42")['status'];
        $this->assertSame([200, 403], [$hs($token), $hs(self::VERIFY)], 'the new token replaced the old one');
        self::$h->wp('(new Aisle\Plugin\Privacy\Secrets())->save("messenger_verify_token", "' . self::VERIFY . '"); return true;');
        $this->assertSame(401, $this->rest('POST', '/channels/messenger/verify-token', null)['status'], 'admins only');

        $test = $this->rest('POST', '/channels/whatsapp/test', $admin, ['to' => '15551230000']);
        $this->assertSame(200, $test['status'], $test['body']);
        $this->assertSame('15551230000', $this->sent()[0]['body']['to']);

        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=channels', null, $admin);
        $this->assertSame(200, $page['status']);
        foreach (['WhatsApp', 'Messenger', 'Instagram', 'Send test message', 'Generate verify token', 'Last webhook received', '/aisle/v1/channels/whatsapp"'] as $needle) {
            $this->assertStringContainsString($needle, str_replace(['%2F', '&#038;'], ['/', '&'], $page['body']), $needle);
        }
    }
}
