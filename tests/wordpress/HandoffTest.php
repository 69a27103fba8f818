<?php
declare(strict_types=1);

require_once __DIR__ . "/ChatTest.php"; // seed(): the hoodies the assistant answers about.

/**
 * Live handoff (Chat\Handoff) over HTTP on the real site: the session token, the states and their
 * rules, the staff routes, the atomic claim, the notifications, the clock (aisle_now, moved by the
 * handoff-clock mu-plugin) and the staffed hours. The browsers' side is HandoffE2ETest.
 */
final class HandoffTest extends WpTestCase
{
    private const HANDOFF = ['handoff_enabled' => true, 'staffed_hours' => 'always', 'handoff_wait_minutes' => 3, 'handoff_keywords' => '', 'support_email' => 'support@example.com', 'assistant_paused' => false, 'ai_provider' => 'none'];

    protected function setUp(): void
    {
        parent::setUp();
        ChatTest::seed();
        self::resetLimits();
        self::settings(self::HANDOFF);
        self::$h->wp('update_option("aisle_test_clock_offset", 0); delete_option("aisle_handoff_webhook_url"); return true;');
    }

    public static function tearDownAfterClass(): void
    {
        self::settings(['handoff_enabled' => false, 'staffed_hours' => 'always', 'handoff_keywords' => '']);
        self::$h->wp('delete_option("aisle_test_clock_offset"); delete_option("aisle_handoff_webhook_url"); return true;');
    }

    public static function settings(array $values): void
    {
        self::$h->wp('$s = get_option("aisle_settings", array()); update_option("aisle_settings", array_merge(is_array($s) ? $s : array(), json_decode(' . var_export(json_encode($values), true) . ', true))); return true;');
    }

    private static function clock(int $offset): void
    {
        self::$h->wp("update_option('aisle_test_clock_offset', $offset); return true;");
    }

    private function chat(string $session, string $message): array
    {
        $r = $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => $session, 'message' => $message]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertIsArray($r['json']['conversation'] ?? null, $r['body']);
        return $r['json'];
    }

    private function read(string $session, ?string $token, int $after = 0): array
    {
        $headers = $token !== null ? ['X-Aisle-Session-Token: ' . $token] : [];
        return $this->http('GET', '/?rest_route=' . rawurlencode('/aisle/v1/chat/messages') . '&session_id=' . $session . '&after=' . $after, null, null, $headers);
    }

    /** A conversation that asked for a person: [session, token, conversation id]. */
    private function waiting(string $ask = 'Can I talk to a human please?'): array
    {
        $s = self::uuid();
        $r = $this->chat($s, $ask);
        $this->assertSame('waiting', $r['conversation']['status'], json_encode($r));
        $this->assertSame('', $r['reply'], 'the assistant does not answer a request for a person');
        $id = (int) self::$h->query("SELECT id FROM wp_aisle_conversations WHERE session_id = '$s'")[0]['id'];
        return [$s, $r['conversation']['token'], $id];
    }

    private function manager(): array
    {
        static $s = null;
        return $s ??= $this->login('manager', 'manager-password-123');
    }

    public function testTheFirstReplyGivesATokenThatAloneReadsTheConversation(): void
    {
        self::settings(['handoff_enabled' => false]);
        $s = self::uuid();
        $first = $this->chat($s, 'Do you have a blue hoodie?');
        $this->assertSame('bot', $first['conversation']['status']);
        $token = $first['conversation']['token'] ?? '';
        $this->assertMatchesRegularExpression('/^[0-9a-f]{64}$/', $token, 'a random 256-bit token');
        $this->assertArrayNotHasKey('token', $this->chat($s, 'thanks')['conversation'], 'only the first reply carries it');
        $stored = self::$h->query("SELECT token_hash FROM wp_aisle_conversations WHERE session_id = '$s'")[0]['token_hash'];
        $this->assertSame(hash('sha256', $token), $stored, 'only its hash is stored');

        $ok = $this->read($s, $token);
        $this->assertSame(200, $ok['status'], $ok['body']);
        $this->assertStringContainsString('no-store', strtolower($ok['headers']));
        $this->assertSame('bot', $ok['json']['status']);
        $this->assertNull($ok['json']['agent']);
        $this->assertSame(['user', 'assistant', 'user', 'assistant'], array_column($ok['json']['messages'], 'role'));
        $this->assertSame('Do you have a blue hoodie?', $ok['json']['messages'][0]['text']);
        $cards = $ok['json']['messages'][1]['products'] ?? [];
        $this->assertNotEmpty($cards, 'product cards are stored with the reply, for the widget after a page load');
        $this->assertSame('Aisle Blue Hoodie', $cards[0]['name']);
        $ids = array_column($ok['json']['messages'], 'id');
        $this->assertSame(array_slice($ids, 2), array_column($this->read($s, $token, $ids[1])['json']['messages'], 'id'), 'after=<id> returns only later messages');

        // Missing, wrong, another conversation's, and an unknown session: the same 403.
        $other = self::uuid();
        $otherToken = $this->chat($other, 'hello')['conversation']['token'];
        $bodies = [];
        foreach ([[$s, null], [$s, ''], [$s, str_repeat('0', 64)], [$s, substr($token, 0, 63) . 'x'], [$s, $otherToken], [self::uuid(), $token]] as [$session, $t]) {
            $r = $this->read($session, $t);
            $this->assertSame(403, $r['status'], $r['body']);
            $this->assertArrayNotHasKey('messages', $r['json']);
            $bodies[] = $r['body'];
        }
        $this->assertCount(1, array_unique($bodies), 'a 403 never says which part was wrong');
        $this->assertSame(403, $this->read('not-a-uuid', $token)['status']);
    }

    public function testReadsHaveTheirOwnRateLimit(): void
    {
        self::settings(['rate_limit_reads' => 10]);
        try {
            $s = self::uuid();
            $token = $this->chat($s, 'hello')['conversation']['token'];
            $codes = [];
            for ($i = 0; $i < 11; $i++) {
                $codes[] = $this->read($s, $token)['status'];
            }
            $this->assertSame(array_merge(array_fill(0, 10, 200), [429]), $codes);
            $this->assertSame(200, $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => $s, 'message' => 'still there?'])['status'], 'reads do not use up the chat limit');
        } finally {
            self::settings(['rate_limit_reads' => 120]);
            self::resetLimits();
        }
    }

    public function testAskingForAPersonWaitsThenStaffTakeOverReplyAndRelease(): void
    {
        self::$h->wp('update_user_meta(get_user_by("login", "admin")->ID, "aisle_display_name", ""); return true;');
        $mailsBefore = count(self::$h->mails());
        [$s, $token, $id] = $this->waiting();
        $r = $this->read($s, $token);
        $this->assertSame('waiting', $r['json']['status']);
        $this->assertSame('Connecting you with the team…', end($r['json']['messages'])['text']);

        $mails = array_slice(self::$h->mails(), $mailsBefore);
        $this->assertCount(1, $mails, 'one mail to the support address');
        $this->assertSame(['support@example.com'], $mails[0]['to']);
        $this->assertStringContainsString('view=live', $mails[0]['message']);
        $this->assertStringContainsString('conversation=' . $id, $mails[0]['message']);
        $this->assertStringNotContainsString('human please', $mails[0]['message'], 'the mail carries no shopper text');

        // While waiting the assistant stays silent; the message is stored for the staff.
        $quiet = $this->chat($s, 'Where is my order 1042? my phone is +1 415 555 0123');
        $this->assertSame('', $quiet['reply']);
        $this->assertSame('waiting', $quiet['conversation']['status']);

        $admin = $this->admin();
        $list = $this->rest('GET', '/conversations', $admin);
        $this->assertSame(200, $list['status'], $list['body']);
        $first = $list['json']['conversations'][0];
        $this->assertSame('waiting', $first['status'], 'waiting conversations come first');
        $this->assertGreaterThanOrEqual(1, $list['json']['unread']);
        $this->assertContains($id, array_column(array_filter($list['json']['conversations'], static fn ($c) => $c['status'] === 'waiting'), 'id'));
        $dash = $this->http('GET', '/wp-admin/index.php', null, $admin)['body'];
        $this->assertMatchesRegularExpression('~page=aisle[\x27"]>Aisle <span class="awaiting-mod count-[1-9]~', $dash, 'the Aisle menu entry carries the unread badge');
        $only = $this->http('GET', '/?rest_route=' . rawurlencode('/aisle/v1/conversations') . '&status=waiting', null, $admin)['json']['conversations'];
        $this->assertSame(['waiting'], array_values(array_unique(array_column($only, 'status'))));

        $show = $this->rest('GET', "/conversations/$id", $admin);
        $texts = array_column($show['json']['messages'], 'text');
        $this->assertContains('Where is my order 1042? my phone is [phone]', $texts, 'staff see the redacted transcript');
        $this->assertStringNotContainsString('555 0123', $show['body']);

        // A display name is required to be something other than the login or email.
        $this->assertSame(400, $this->rest('POST', '/agent', $admin, ['name' => 'admin'])['status']);
        $this->assertSame(400, $this->rest('POST', '/agent', $admin, ['name' => 'ana@example.com'])['status']);
        $this->assertSame(200, $this->rest('POST', '/agent', $admin, ['name' => 'Ana'])['status']);

        $this->assertSame(409, $this->rest('POST', "/conversations/$id/messages", $admin, ['text' => 'hi'])['status'], 'reply only after taking over');
        $claim = $this->rest('POST', "/conversations/$id/claim", $admin);
        $this->assertSame(200, $claim['status'], $claim['body']);
        $this->assertSame('human', $claim['json']['conversation']['status']);
        $r = $this->read($s, $token);
        $this->assertSame('human', $r['json']['status']);
        $this->assertSame(['name' => 'Ana', 'avatar' => null], $r['json']['agent']);
        $this->assertStringContainsString('Ana from', end($r['json']['messages'])['text']);
        $this->assertStringNotContainsString('admin@', $r['body'], 'never the staff email');

        $sent = $this->rest('POST', "/conversations/$id/messages", $admin, ['text' => "Hi! Call me on +1 415 555 0199 or see [our FAQ](/faq). <script>alert(1)</script><b>Bold</b>"]);
        $this->assertSame(201, $sent['status'], $sent['body']);
        $text = $sent['json']['message']['text'];
        $this->assertStringContainsString('[phone]', $text, 'staff replies are redacted too');
        $this->assertStringContainsString('[our FAQ](/faq)', $text, 'markdown links stay');
        $this->assertStringNotContainsString('<', $text, 'never HTML');
        $this->assertSame('human', $sent['json']['message']['role']);

        $shopper = $this->read($s, $token, (int) end($r['json']['messages'])['id']);
        $this->assertSame([$text], array_column($shopper['json']['messages'], 'text'), 'the shopper reads the reply');
        $this->assertSame('human', $shopper['json']['messages'][0]['role']);

        $this->assertSame('', $this->chat($s, 'Great, thank you')['reply'], 'the assistant stays out while a person answers');
        $this->assertSame(['user', 'human', 'user'], array_slice(array_column(array_filter($this->read($s, $token)['json']['messages'], static fn ($m) => $m['role'] !== 'system'), 'role'), -3));

        $rel = $this->rest('POST', "/conversations/$id/release", $admin);
        $this->assertSame('bot', $rel['json']['conversation']['status'], $rel['body']);
        $back = $this->chat($s, 'Do you have a red hoodie?');
        $this->assertSame('bot', $back['conversation']['status']);
        $this->assertNotSame('', $back['reply'], 'the assistant answers again');
        $this->assertContains('Aisle Red Hoodie', array_column($back['products'], 'name'));

        $this->assertSame(200, $this->rest('POST', "/conversations/$id/close", $admin)['status']);
        $this->assertSame('closed', $this->read($s, $token)['json']['status']);
        $this->assertSame('bot', $this->chat($s, 'one more question: blue hoodie?')['conversation']['status'], 'writing again starts over with the assistant');

        $stats = self::$h->wp('return Aisle\Plugin\Chat\Handoff::stats(time() - 3600);');
        $this->assertGreaterThanOrEqual(1, $stats['handoffs']);
        $this->assertGreaterThanOrEqual(1, $stats['resolved_by_human']);
        $this->assertIsInt($stats['median_wait']);
    }

    public function testTwoStaffClaimingAtOnceOneWinsAndTheOtherSeesWho(): void
    {
        self::$h->wp('update_user_meta(get_user_by("login", "admin")->ID, "aisle_display_name", "Ana"); update_user_meta(get_user_by("login", "manager")->ID, "aisle_display_name", "Marc"); return true;');
        [$s, $token, $id] = $this->waiting();
        $sessions = [$this->admin(), $this->manager()];
        $mh = curl_multi_init();
        $handles = [];
        foreach ($sessions as $session) {
            $ch = curl_init(self::$h->url . '/?rest_route=' . rawurlencode("/aisle/v1/conversations/$id/claim"));
            curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => '', CURLOPT_RETURNTRANSFER => true, CURLOPT_COOKIEFILE => $session['jar'], CURLOPT_HTTPHEADER => ['X-WP-Nonce: ' . $session['nonce']], CURLOPT_TIMEOUT => 60]);
            curl_multi_add_handle($mh, $ch);
            $handles[] = $ch;
        }
        do {
            curl_multi_exec($mh, $running);
            curl_multi_select($mh, 0.05);
        } while ($running > 0);
        $codes = [];
        $bodies = [];
        foreach ($handles as $ch) {
            $codes[] = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
            $bodies[] = json_decode((string) curl_multi_getcontent($ch), true);
            curl_multi_remove_handle($mh, $ch);
        }
        curl_multi_close($mh);
        sort($codes);
        $this->assertSame([200, 409], $codes, json_encode($bodies));
        $winner = $bodies[0]['conversation']['agent']['name'] ?? $bodies[1]['conversation']['agent']['name'];
        $loser = $bodies[0]['code'] ?? null ? $bodies[0] : $bodies[1];
        $this->assertSame('aisle_claimed', $loser['code']);
        $this->assertStringContainsString($winner, $loser['message'], 'the second sees who has it');
        $this->assertSame($winner, $loser['data']['conversation']['agent']['name']);
        $joined = self::$h->query("SELECT COUNT(*) AS n FROM wp_aisle_messages WHERE conversation_id = $id AND role = 'system' AND content LIKE '% joined the chat.'");
        $this->assertSame('1', $joined[0]['n'], 'one join, one owner');
        $this->assertSame($winner, $this->read($s, $token)['json']['agent']['name']);
    }

    public function testNobodyTakingItWithinThreeMinutesOffersTheLeadForm(): void
    {
        [$s, $token] = $this->waiting();
        self::clock(150);
        $this->assertSame('waiting', $this->read($s, $token)['json']['status'], 'still waiting at 2:30');
        self::clock(181);
        $r = $this->read($s, $token);
        $this->assertSame('bot', $r['json']['status'], 'back to the assistant after 3 minutes');
        $last = end($r['json']['messages']);
        $this->assertSame('system', $last['role']);
        $this->assertSame(['offer_lead'], $last['actions'], 'the lead form is offered');
        $this->assertCount(1, array_filter($this->read($s, $token)['json']['messages'], static fn ($m) => $m['text'] === $last['text']), 'said once');
        $resumed = $this->chat($s, 'Do you have a blue hoodie?');
        $this->assertNotSame('', $resumed['reply'], 'the assistant resumes');
        $this->assertContains('Aisle Blue Hoodie', array_column($resumed['products'], 'name'));
    }

    public function testOutsideStaffedHoursTheShopperGetsTheLeadFormAndNobodyIsCalled(): void
    {
        self::settings(['staffed_hours' => 'never']);
        $mails = count(self::$h->mails());
        $s = self::uuid();
        $r = $this->chat($s, 'I want to talk to a human');
        $this->assertSame('bot', $r['conversation']['status']);
        $this->assertStringContainsString('offline', $r['reply']);
        $this->assertSame(['offer_lead'], $r['actions']);
        $this->assertCount($mails, self::$h->mails(), 'no notification while nobody is in');

        // Hours in the store's time zone, past midnight, and what does not parse.
        $open = self::$h->wp(<<<'PHP'
$tz = get_option('timezone_string');
update_option('timezone_string', 'Europe/Berlin');
$at = static fn (string $local) => (new DateTimeImmutable($local, wp_timezone()))->getTimestamp();
$spec = 'mon-fri 09:00-17:00; sat 22:00-02:00';
$out = array(
  'mon 08:59' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-11-30 08:59')),
  'mon 09:00' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-11-30 09:00')),
  'fri 16:59' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-12-04 16:59')),
  'fri 17:00' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-12-04 17:00')),
  'sat 23:30' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-12-05 23:30')),
  'sun 01:30' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-12-06 01:30')),
  'sun 02:00' => Aisle\Plugin\Chat\StaffedHours::open($spec, $at('2026-12-06 02:00')),
  'always'    => Aisle\Plugin\Chat\StaffedHours::open('always', 0),
  'never'     => Aisle\Plugin\Chat\StaffedHours::open('never', time()),
  'bad'       => Aisle\Plugin\Chat\StaffedHours::parse('weekdays 9 to 5'),
);
update_option('timezone_string', $tz);
return $out;
PHP);
        $this->assertSame(['mon 08:59' => false, 'mon 09:00' => true, 'fri 16:59' => true, 'fri 17:00' => false, 'sat 23:30' => true, 'sun 01:30' => true, 'sun 02:00' => false, 'always' => true, 'never' => false, 'bad' => null], $open);

        $bad = $this->rest('POST', '/settings', $this->admin(), ['staffed_hours' => 'weekdays 9 to 5']);
        $this->assertSame(400, $bad['status']);
        $this->assertArrayHasKey('staffed_hours', $bad['json']['data']['params']);
    }

    public function testTwoUnansweredInARowAndTheMerchantsWordsCallTheTeam(): void
    {
        $s = self::uuid();
        $one = $this->chat($s, 'Do you sell zebra saddles?');
        $this->assertSame('bot', $one['conversation']['status']);
        $this->assertContains('offer_lead', $one['actions']);
        $two = $this->chat($s, 'What about unicorn bridles?');
        $this->assertSame('waiting', $two['conversation']['status'], 'two answers the assistant could not give call the team');
        $this->assertNotContains('offer_lead', $two['actions'], 'the team is coming instead of the lead form');

        self::settings(['handoff_keywords' => 'refund, broken item']);
        $this->assertSame('bot', $this->chat(self::uuid(), 'Do you have a blue hoodie?')['conversation']['status']);
        $this->assertSame('waiting', $this->chat(self::uuid(), 'I need a REFUND for this')['conversation']['status']);
        $this->assertSame('bot', $this->chat(self::uuid(), 'are refunded orders shipped?')['conversation']['status'], 'whole words only');

        self::settings(['handoff_enabled' => false]);
        $after = $this->chat($s, 'Do you have a blue hoodie?');
        $this->assertSame('bot', $after['conversation']['status'], 'switched off while waiting: the assistant takes the chat back');
        $this->assertNotSame('', $after['reply']);
        $off = $this->chat(self::uuid(), 'Can I talk to a human?');
        $this->assertSame('bot', $off['conversation']['status'], 'switched off: the lead form as before');
        $this->assertContains('offer_lead', $off['actions']);
    }

    public function testTheTeamIsNotifiedAtMostOncePerConversationPerTenMinutes(): void
    {
        $repo = dirname(__DIR__, 2);
        $log = self::$h->root . '/webhook.jsonl';
        @unlink($log);
        $port = Harness::freePort();
        $fake = proc_open([PHP_BINARY, '-S', '127.0.0.1:' . $port, "$repo/tests/fakes/webhook.php"], [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes, null, ['FAKE_LOG' => $log] + getenv());
        for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
            usleep(50000);
        }
        try {
            $saved = $this->rest('POST', '/settings', $this->admin(), ['handoff_webhook_url' => "http://127.0.0.1:$port/services/T000/B000/XXXX"]);
            $this->assertSame(200, $saved['status'], $saved['body']);
            $this->assertTrue($saved['json']['secrets']['handoff_webhook_url']['saved']);
            $this->assertStringNotContainsString('127.0.0.1', (string) $this->option('aisle_handoff_webhook_url'), 'stored encrypted');

            $mails = count(self::$h->mails());
            [$s, $token, $id] = $this->waiting('I want to speak to someone');
            $hooks = array_map(static fn ($l) => json_decode($l, true), file($log, FILE_IGNORE_NEW_LINES) ?: []);
            $this->assertCount(1, $hooks);
            $this->assertSame('/services/T000/B000/XXXX', $hooks[0]['path']);
            $this->assertStringStartsWith('application/json', $hooks[0]['type']);
            $this->assertStringContainsString('conversation=' . $id, json_decode($hooks[0]['body'], true)['text']);
            $this->assertStringNotContainsString('speak to someone', $hooks[0]['body'], 'no shopper text leaves the store');

            $admin = $this->admin();
            $this->rest('POST', "/conversations/$id/release", $admin);
            $this->assertSame('waiting', $this->chat($s, 'talk to a human again please')['conversation']['status']);
            $this->assertCount(1, file($log), 'not again within 10 minutes');
            $this->assertCount($mails + 1, self::$h->mails());

            self::clock(601);
            $this->rest('POST', "/conversations/$id/release", $admin);
            $this->assertSame('waiting', $this->chat($s, 'a human please')['conversation']['status']);
            $this->assertCount(2, file($log), 'again after 10 minutes');
            $this->assertCount($mails + 2, self::$h->mails());
        } finally {
            Harness::endProcess($fake);
        }
    }

    public function testStaffRoutesNeedTheCapabilityAndShopManagersHaveIt(): void
    {
        [, , $id] = $this->waiting();
        $this->assertSame(401, $this->rest('GET', '/conversations', null)['status']);
        self::$h->wp("if (!get_user_by('login', 'shopper')) { wp_insert_user(array('user_login' => 'shopper', 'user_pass' => 'shopper-password-123', 'user_email' => 'shopper@example.com', 'role' => 'customer')); } return true;");
        $customer = $this->login('shopper', 'shopper-password-123');
        foreach ([['GET', '/conversations'], ['GET', "/conversations/$id"], ['POST', "/conversations/$id/claim"], ['POST', "/conversations/$id/close"]] as [$m, $route]) {
            $this->assertSame(403, $this->rest($m, $route, $customer)['status'], "$m $route");
        }
        $caps = self::$h->wp('return array(get_role("shop_manager")->has_cap("aisle_answer_chats"), get_role("administrator")->has_cap("aisle_answer_chats"), get_role("customer")->has_cap("aisle_answer_chats"));');
        $this->assertSame([true, true, false], $caps);
        $this->assertSame(200, $this->rest('GET', '/conversations', $this->manager())['status']);

        // A role given only aisle_answer_chats answers chats without managing the store.
        self::$h->wp("if (!get_role('chat_agent')) { add_role('chat_agent', 'Chat agent', array('read' => true, 'aisle_answer_chats' => true)); } if (!get_user_by('login', 'agent')) { wp_insert_user(array('user_login' => 'agent', 'user_pass' => 'agent-password-123', 'user_email' => 'agent@example.com', 'role' => 'chat_agent')); } return true;");
        $agent = $this->login('agent', 'agent-password-123');
        $this->assertSame(200, $this->rest('POST', "/conversations/$id/claim", $agent)['status']);
        $this->assertSame(403, $this->rest('GET', '/settings', $agent)['status'], 'but not the settings');
        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle-live', null, $agent);
        $this->assertSame(200, $page['status']);
        $this->assertStringContainsString('id="aisle-live-list"', $page['body']);
    }

    /** tests/e2e/handoff.mjs: shopper, staff and a stranger in three Chromium contexts at once; screenshots in tests/artifacts. */
    public function testHandoffInChromium(): void
    {
        $repo = dirname(__DIR__, 2);
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        self::$h->wp('update_user_meta(get_user_by("login", "admin")->ID, "aisle_display_name", ""); return true;');
        self::$h->query("UPDATE wp_aisle_conversations SET status = 'closed' WHERE status IN ('waiting', 'human')"); // Earlier tests' chats off the Live list.
        $log = self::$h->cli(['node', "$repo/tests/e2e/handoff.mjs", self::$h->url, $out]);
        $this->assertStringContainsString('ok', $log, $log);
        $this->assertFileExists("$out/handoff-shopper.png");
    }

    public function testTheStaffProfileIsInThePrivacyExporterAndEraser(): void
    {
        [$out, $del, $left] = self::$h->wp(<<<'PHP'
$u = get_user_by('login', 'manager');
update_user_meta($u->ID, 'aisle_display_name', 'Marc');
$ex = apply_filters('wp_privacy_personal_data_exporters', array())['aisle']['callback'];
$er = apply_filters('wp_privacy_personal_data_erasers', array())['aisle']['callback'];
$out = call_user_func($ex, 'm@example.com', 1);
$del = call_user_func($er, 'm@example.com', 1);
return array($out, $del, get_user_meta($u->ID, 'aisle_display_name', true));
PHP);
        $staff = array_values(array_filter($out['data'], static fn ($i) => $i['group_id'] === 'aisle-staff'));
        $this->assertCount(1, $staff);
        $this->assertSame('Marc', $staff[0]['data'][0]['value']);
        $this->assertGreaterThanOrEqual(1, $del['items_removed']);
        $this->assertSame('', $left, 'erased');
    }

    /** Channels other than the widget deliver what the team says from the aisle_handoff_message action. */
    public function testTeamMessagesAreAnnouncedForOtherChannels(): void
    {
        [, , $id] = $this->waiting();
        $seen = self::$h->wp(<<<PHP
\$seen = array();
add_action('aisle_handoff_message', function (\$conv, \$mid, \$role, \$text) use (&\$seen) { \$seen[] = array((int) \$conv->id, is_int(\$mid) && \$mid > 0, \$role, \$text); }, 10, 4);
\$s = new Aisle\\Plugin\\Settings();
\$h = new Aisle\\Plugin\\Chat\\Handoff(\$s, new Aisle\\Plugin\\Chat\\Conversations(\$s), new Aisle\\Plugin\\Chat\\HandoffNotifier(\$s, new Aisle\\Plugin\\Privacy\\Secrets()));
\$h->claim($id, 1);
\$h->staff_reply($id, 1, 'Hello from the team');
\$h->release($id);
return \$seen;
PHP);
        $this->assertSame([[$id, true, 'system'], [$id, true, 'human'], [$id, true, 'system']], array_map(static fn ($e) => array_slice($e, 0, 3), $seen));
        $this->assertSame('Hello from the team', $seen[1][3]);
    }

    public function testHandoffMessagesExpireWithTheConversation(): void
    {
        [$s, $token, $id] = $this->waiting();
        $admin = $this->admin();
        $this->rest('POST', "/conversations/$id/claim", $admin);
        $this->rest('POST', "/conversations/$id/messages", $admin, ['text' => 'Hello from the team']);
        self::$h->query("UPDATE wp_aisle_conversations SET expires_at = 1 WHERE id = $id");
        $this->assertSame(403, $this->read($s, $token)['status'], 'an expired conversation reads as nothing');
        self::$h->query("UPDATE wp_aisle_messages SET expires_at = 1 WHERE conversation_id = $id");
        $purged = self::$h->wp('return Aisle\Plugin\Privacy\Retention::purge();');
        $this->assertGreaterThanOrEqual(4, $purged['messages'], 'user, system and human messages go with it');
        $this->assertSame([], self::$h->query("SELECT id FROM wp_aisle_messages WHERE conversation_id = $id"));
    }

    /** What the handoff itself says follows the shopper's language, whoever triggers it (shopper, staff route or the clock). */
    public function testStateMessagesAreInTheShoppersLanguage(): void
    {
        self::$h->wp('update_user_meta(get_user_by("login", "admin")->ID, "aisle_display_name", "Ana"); return true;');
        $admin = $this->admin();
        $system = fn (string $s, string $token): array => array_values(array_column(array_filter($this->read($s, $token)['json']['messages'], static fn ($m) => $m['role'] === 'system'), 'text'));

        [$s, $token, $id] = $this->waiting("Bonjour, je voudrais parler à un conseiller s'il vous plaît");
        $this->assertSame(['Mise en relation avec l’équipe…'], $system($s, $token));
        $this->assertSame(200, $this->rest('POST', "/conversations/$id/claim", $admin)['status']);
        $this->assertSame(200, $this->rest('POST', "/conversations/$id/release", $admin)['status']);
        $this->assertSame(200, $this->rest('POST', "/conversations/$id/close", $admin)['status']);
        $said = $system($s, $token);
        $this->assertMatchesRegularExpression('~^Ana de .+ a rejoint la conversation\.$~u', $said[1], json_encode($said, JSON_UNESCAPED_UNICODE));
        $this->assertSame(['L’assistant est de retour. Posez-moi vos questions.', 'L’équipe a clos cette conversation. Écrivez-nous quand vous voulez.'], array_slice($said, 2));

        [$s, $token] = $this->waiting('أريد التحدث مع موظف من فضلك');
        $this->assertSame(['جارٍ توصيلك بالفريق…'], $system($s, $token));
        self::clock(181);
        $this->assertSame('لا أحد من الفريق متاح الآن. اترك بريدك الإلكتروني أو رقم هاتفك وسيتواصلون معك؛ وفي الأثناء عاد المساعد.', end($this->read($s, $token)['json']['messages'])['text'], 'timed out, in Arabic');
        self::clock(0);

        self::settings(['staffed_hours' => 'never']);
        $off = $this->chat(self::uuid(), 'أريد التحدث مع موظف من فضلك');
        $this->assertSame('الفريق غير متصل الآن. اترك بريدك الإلكتروني أو رقم هاتفك وسيتواصلون معك.', $off['reply'], 'offline, in Arabic');
        $this->assertSame('The team is offline right now. Leave your email or phone and they will get back to you.', $this->chat(self::uuid(), 'Can I talk to a human please?')['reply'], 'and in English for an English shopper');
    }

    /** The fields of WordPress's profile form as a browser would submit them. */
    private static function profileForm(string $page): array
    {
        $doc = new DOMDocument();
        @$doc->loadHTML($page);
        $form = (new DOMXPath($doc))->query('//form[@id="your-profile"]')->item(0);
        self::assertNotNull($form, 'the profile form');
        $out = [];
        foreach ((new DOMXPath($doc))->query('.//input[@name] | .//select[@name] | .//textarea[@name]', $form) as $f) {
            $type = strtolower($f->getAttribute('type'));
            if (in_array($type, ['checkbox', 'radio'], true) && !$f->hasAttribute('checked') || in_array($type, ['submit', 'button'], true)) {
                continue;
            }
            $value = $f->nodeName === 'select' ? (string) ((new DOMXPath($doc))->query('.//option[@selected]', $f)->item(0)?->getAttribute('value')) : ($f->nodeName === 'textarea' ? $f->textContent : $f->getAttribute('value'));
            $out[$f->getAttribute('name')] = $value;
        }
        return $out;
    }

    /** The name shoppers see can be set on WordPress's profile screen too: the same meta as the Live view, login and email refused. */
    public function testTheDisplayNameOnTheProfileScreen(): void
    {
        $manager = $this->manager();
        // This machine is offline: as if WordPress had cached its list of translations (an admin's profile screen asks for it).
        self::$h->wp('set_site_transient("available_translations", array(), HOUR_IN_SECONDS); return true;');
        $uid = (int) self::$h->wp('$u = get_user_by("login", "manager"); update_user_meta($u->ID, "aisle_display_name", ""); return $u->ID;');
        $page = $this->http('GET', '/wp-admin/profile.php', null, $manager)['body'];
        $this->assertStringContainsString('<label for="aisle_display_name">Name shoppers see</label>', $page);
        $form = self::profileForm($page);
        $this->assertArrayHasKey('aisle_display_name', $form);

        $email = (string) self::$h->wp('return get_user_by("login", "manager")->user_email;');
        foreach (['manager', strtoupper($email), 'someone@example.org'] as $bad) {
            $r = $this->http('POST', '/wp-admin/profile.php', null, $manager, [], ['aisle_display_name' => $bad] + $form);
            $this->assertSame(200, $r['status'], "refused: the form again ($bad)");
            $this->assertStringContainsString('Choose a name other than your login or email: shoppers see it.', $r['body']);
            $this->assertSame('', self::$h->wp("return get_user_meta($uid, 'aisle_display_name', true);"), "$bad is not saved");
        }
        $r = $this->http('POST', '/wp-admin/profile.php', null, $manager, [], ['aisle_display_name' => 'Marta <b>M.</b>', 'aisle_avatar_url' => 'https://cdn.example.com/marta.png'] + $form);
        $this->assertSame(302, $r['status'], 'saved');
        $this->assertSame('Marta M.', self::$h->wp("return get_user_meta($uid, 'aisle_display_name', true);"));
        $me = $this->rest('GET', '/agent', $manager);
        $this->assertSame('Marta M.', $me['json']['name'] ?? null, 'the Live view reads the same name: ' . $me['body']);
        $this->assertSame(['name' => 'Marta M.', 'avatar' => 'https://cdn.example.com/marta.png'], self::$h->wp("return Aisle\\Plugin\\Chat\\Handoff::agent($uid);"));
        $r = $this->http('POST', '/wp-admin/profile.php', null, $manager, [], ['aisle_avatar_url' => 'javascript:alert(1)'] + self::profileForm($this->http('GET', '/wp-admin/profile.php', null, $manager)['body']));
        $this->assertStringContainsString('Enter a full http:// or https:// address for the picture', $r['body']);

        // A shopper's profile has no such field.
        $customer = (int) self::$h->wp('$id = username_exists("profile-shopper") ?: wp_insert_user(array("user_login" => "profile-shopper", "user_pass" => wp_generate_password(), "user_email" => "profile-shopper@example.com", "role" => "customer")); return $id;');
        $this->assertStringNotContainsString('aisle_display_name', $this->http('GET', "/wp-admin/user-edit.php?user_id=$customer", null, $this->admin())['body']);
        $this->assertStringContainsString('aisle_display_name', $this->http('GET', "/wp-admin/user-edit.php?user_id=$uid", null, $this->admin())['body'], 'an admin sets it for a staff member');
    }
}
