<?php
declare(strict_types=1);

/**
 * The live handoff behind nginx's page cache, PHP-FPM and the Redis object cache: a shopper of a
 * cached page asks for a person, the team answers, and the shopper's reads (GET with a query
 * string) always reach PHP: never a cached answer, never one for a request without the token.
 */
final class HandoffStackTest extends ProductionTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        ChatSeed::seed(self::$h);
        self::resetLimits();
        $this->settings(['handoff_enabled' => true, 'staffed_hours' => 'always', 'assistant_paused' => false]);
    }

    protected function tearDown(): void
    {
        $this->settings(['handoff_enabled' => false]);
        parent::tearDown();
    }

    private function read(string $session, ?string $token): array
    {
        return $this->http('GET', '/wp-json/aisle/v1/chat/messages?session_id=' . $session . '&after=0', null, null, $token === null ? [] : ['X-Aisle-Session-Token: ' . $token]);
    }

    public function testAShopperOfTheCachedPageReachesTheTeamAndOnlyTheirTokenReads(): void
    {
        $url = parse_url((string) self::$h->wp('return get_permalink(wc_get_product_id_by_sku("AH-BLUE-1"));'), PHP_URL_PATH);
        $this->http('GET', $url);
        $page = $this->http('GET', $url);
        $this->assertSame('HIT', self::header($page, 'X-Cache'), 'the storefront comes from the page cache');
        $this->assertStringContainsString('window.aisleConfig=', $page['body']);

        $s = self::uuid();
        $r = $this->chat($s, 'Can I talk to a human?', ['Origin: ' . self::$s->url]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertSame('waiting', $r['json']['conversation']['status'], $r['body']);
        $this->assertSame('', $r['json']['reply']);
        $token = $r['json']['conversation']['token'];

        $first = $this->read($s, $token);
        $this->assertSame(200, $first['status'], $first['body']);
        $this->assertNotSame('HIT', self::header($first, 'X-Cache'));
        $this->assertSame('waiting', $first['json']['status']);
        // The same address without the token: PHP answers it, not a cache holding the 200.
        $this->assertSame(403, $this->read($s, null)['status']);
        $this->assertSame(403, $this->read($s, str_repeat('a', 64))['status']);

        // The team takes it and answers (from another FPM worker's point of view: the CLI).
        $id = (int) self::$h->query("SELECT id FROM wp_aisle_conversations WHERE session_id = '$s'")[0]['id'];
        $done = self::$h->wp(<<<PHP
\$settings = new Aisle\\Plugin\\Settings();
\$handoff  = new Aisle\\Plugin\\Chat\\Handoff(\$settings, new Aisle\\Plugin\\Chat\\Conversations(\$settings), new Aisle\\Plugin\\Chat\\HandoffNotifier(\$settings, new Aisle\\Plugin\\Privacy\\Secrets()));
\$admin    = get_user_by('login', 'admin')->ID;
update_user_meta(\$admin, 'aisle_display_name', 'Ana');
return array(\$handoff->claim($id, \$admin)['ok'], \$handoff->claim($id, \$admin + 1000)['ok'], \$handoff->staff_reply($id, \$admin, 'Hi, Ana here.'));
PHP);
        $this->assertSame([true, false], array_slice($done, 0, 2));
        $this->assertIsInt($done[2]);

        $after = $this->read($s, $token);
        $this->assertSame('human', $after['json']['status'], 'the next read sees the new state at once');
        $this->assertSame('Ana', $after['json']['agent']['name']);
        $this->assertSame('Hi, Ana here.', end($after['json']['messages'])['text']);
        $this->assertSame('', $this->chat($s, 'Thanks!', ['Origin: ' . self::$s->url])['json']['reply'], 'the assistant stays silent');
    }
}
