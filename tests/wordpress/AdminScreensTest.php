<?php
declare(strict_types=1);

require_once __DIR__ . '/ChatTest.php';

/**
 * The one "Aisle" menu entry with tabs (issue 15): no more separate "Aisle …" entries, the tabs
 * come from the aisle_admin_tabs filter (another component's tab lands before Settings, a view
 * inside a tab through aisle_admin_views), and the old addresses redirect with their arguments.
 */
final class AdminScreensTest extends WpTestCase
{
    private function menuLinks(string $page): array
    {
        // The admin menu only (#adminmenu), not the screen's own links.
        $this->assertSame(1, preg_match('~<ul id="adminmenu">(.*?)</ul>\s*</div>\s*</div>~s', $page, $m), 'admin menu found');
        preg_match_all('~href=[\'"]([^\'"]*page=aisle[^\'"]*)[\'"][^>]*>(.*?)</a>~', $m[1], $links, PREG_SET_ORDER);
        return array_map(static fn (array $l): array => [html_entity_decode($l[1]), trim(strip_tags($l[2]))], $links);
    }

    /** @return array<string, string> tab slug => label, in order. */
    private function tabs(string $page): array
    {
        $this->assertSame(1, preg_match('~<nav class="nav-tab-wrapper woo-nav-tab-wrapper" id="aisle-tabs"[^>]*>(.*?)</nav>~s', $page, $m), 'tab bar found');
        preg_match_all('~<a class="nav-tab[^"]*" id="aisle-tab-([a-z0-9_-]+)"[^>]*>(.*?)</a>~', $m[1], $tabs, PREG_SET_ORDER);
        return array_column(array_map(static fn (array $t): array => [$t[1], $t[2]], $tabs), 1, 0);
    }

    public function testOneMenuEntryWithTabsSettingsLast(): void
    {
        $r = $this->http('GET', '/wp-admin/admin.php?page=aisle', null, $this->admin());
        $this->assertSame(200, $r['status']);
        $this->assertSame([['admin.php?page=aisle', 'Aisle']], $this->menuLinks($r['body']), 'one Aisle entry in the menu');
        // Aisle's own tabs first, Settings last; other components' tabs (Channels, ...) between.
        $tabs = $this->tabs($r['body']);
        $this->assertSame(['overview' => 'Overview', 'chats' => 'Chats', 'leads' => 'Leads'], array_slice($tabs, 0, 3, true));
        $this->assertSame(['settings' => 'Settings'], array_slice($tabs, -1, 1, true));
        $this->assertMatchesRegularExpression('~<a class="nav-tab nav-tab-active" id="aisle-tab-overview"[^>]*aria-current="page"~', $r['body'], 'Overview opens first');
        $this->assertStringContainsString('id="aisle-stats"', $r['body']);

        foreach (['chats' => 'id="aisle-chats"', 'leads' => 'id="aisle-leads"', 'settings' => 'id="aisle-form"'] as $tab => $needle) {
            $p = $this->http('GET', "/wp-admin/admin.php?page=aisle&tab=$tab", null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~<a class="nav-tab nav-tab-active" id="aisle-tab-' . $tab . '"~', $p, "$tab is the active tab");
            $this->assertStringContainsString($needle, $p, "$tab renders its screen");
        }
        // An unknown tab falls back to the first, it does not fail.
        $this->assertStringContainsString('id="aisle-stats"', $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=nope', null, $this->admin())['body']);
        // The Plugins screen's "Settings" link opens the Settings tab.
        $plugins = $this->http('GET', '/wp-admin/plugins.php', null, $this->admin())['body'];
        $this->assertMatchesRegularExpression('~href="[^"]*admin\.php\?page=aisle(&|&amp;|&#038;)tab=settings">Settings</a>~', $plugins);
    }

    public function testOldAddressesRedirectWithTheirArguments(): void
    {
        $cases = [
            '/wp-admin/admin.php?page=aisle-chats&conversation=12' => '/wp-admin/admin.php?page=aisle&tab=chats&conversation=12',
            '/wp-admin/admin.php?page=aisle-chats&s=blue%20hoodie&paged=2' => '/wp-admin/admin.php?page=aisle&tab=chats&s=blue%20hoodie&paged=2',
            '/wp-admin/admin.php?page=aisle-leads&lead=7' => '/wp-admin/admin.php?page=aisle&tab=leads&lead=7',
            '/wp-admin/admin.php?page=aisle-dashboard' => '/wp-admin/admin.php?page=aisle&tab=overview',
        ];
        foreach ($cases as $old => $new) {
            $r = $this->http('GET', $old, null, $this->admin());
            $this->assertSame(301, $r['status'], $old);
            $this->assertSame(1, preg_match('~^Location: (.*)$~mi', $r['headers'], $m), $old);
            $this->assertSame(self::$h->url . $new, trim($m[1]), $old);
        }
    }

    public function testAnotherComponentAddsATabBeforeSettingsAndAViewInChats(): void
    {
        $builtin = array_keys($this->tabs($this->http('GET', '/wp-admin/admin.php?page=aisle', null, $this->admin())['body']));
        $file = self::$h->site . '/wp-content/mu-plugins/aisle-test-tab.php';
        file_put_contents($file, <<<'PHP'
<?php
add_filter( 'aisle_admin_tabs', fn ( $tabs ) => $tabs + array(
	'extension' => array( 'Extension', 'manage_woocommerce', function () { echo '<p id="extension-screen">an extension here</p>'; } ),
	'secret'    => array( 'label' => 'Secret', 'capability' => 'manage_options', 'render' => function () { echo '<p id="secret-screen">only admins</p>'; } ),
	'broken'    => array( 'Broken', 'manage_woocommerce', 'no_such_function' ),
) );
add_filter( 'aisle_admin_views', fn ( $views, $tab ) => 'chats' === $tab ? $views + array( 'testview' => array( 'Test view', function () { echo '<p id="live-view">live chats</p>'; } ) ) : $views, 10, 2 );
PHP);
        try {
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle', null, $this->admin())['body'];
            $expected = array_merge(array_diff($builtin, ['settings']), ['extension', 'secret', 'settings']);
            $this->assertSame($expected, array_keys($this->tabs($page)), 'added before Settings, a broken entry left out');
            $this->assertStringContainsString('<p id="extension-screen">', $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=extension', null, $this->admin())['body']);

            // A shop manager does not see the tab whose capability they lack, nor open it.
            $m = $this->login('manager', 'manager-password-123');
            $mp = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=secret', null, $m)['body'];
            $this->assertArrayNotHasKey('secret', $this->tabs($mp));
            $this->assertStringNotContainsString('secret-screen', $mp);

            $chats = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats', null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~<ul class="subsubsub" id="aisle-views">.*id="aisle-view-testview" href="[^"]*tab=chats(&|&amp;|&#038;)view=testview"~s', $chats);
            $this->assertStringContainsString('id="aisle-chats"', $chats, 'the tab\'s own screen by default');
            $live = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats&view=testview', null, $this->admin())['body'];
            $this->assertStringContainsString('<p id="live-view">live chats</p>', $live);
            $this->assertStringNotContainsString('id="aisle-chats"', $live);
        } finally {
            unlink($file);
        }
    }

    /** @return array<string, array{0: int, 1: int}> channel => [conversations, leads] as the Overview's table shows them. */
    private function byChannel(int $days): array
    {
        $page = $this->http('GET', "/wp-admin/admin.php?page=aisle&tab=overview&days=$days", null, $this->admin())['body'];
        $this->assertSame(1, preg_match('~<table class="widefat striped aisle-by-channel" id="aisle-by-channel".*?</table>~s', $page, $t), 'the per-channel table');
        preg_match_all('~<tr data-channel="([a-z]+)"><th scope="row">[^<]+</th><td class="aisle-sessions">([\d,]+)</td><td class="aisle-leads">([\d,]+)</td></tr>~', $t[0], $rows, PREG_SET_ORDER);
        $out = [];
        foreach ($rows as $r) {
            $out[$r[1]] = [(int) str_replace(',', '', $r[2]), (int) str_replace(',', '', $r[3])];
        }
        return $out;
    }

    public function testOverviewCountsConversationsAndLeadsPerChannel(): void
    {
        self::resetLimits();
        $before = $this->byChannel(7);
        $this->assertSame(['web', 'whatsapp', 'messenger', 'instagram'], array_keys($before));
        $before30 = $this->byChannel(30);
        // One widget chat over HTTP; channel conversations as Channels\Inbox opens them (its session ids).
        $this->assertSame(200, $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => self::uuid(), 'message' => 'Do you have a hoodie?', 'page_url' => self::$h->url . '/'])['status']);
        self::$h->wp(<<<'PHP'
$c = new Aisle\Plugin\Chat\Conversations(new Aisle\Plugin\Settings());
$leads = new Aisle\Plugin\Chat\Leads($c);
foreach (array('wa:one', 'wa:two', 'fb:one') as $who) {
  $c->open(Aisle\Plugin\Channels\Inbox::session_id(array('wa' => 'whatsapp', 'fb' => 'messenger')[strstr($who, ':', true)], $who . wp_rand()), '');
}
$wa = Aisle\Plugin\Channels\Inbox::session_id('whatsapp', 'lead' . wp_rand());
$c->open($wa, '');
$c->open($wa, ''); // The same sender again: one conversation.
$leads->create($wa, 'wa.lead@example.com', '', 'consent', '');
// A day before the channels were counted apart: all of it is the site's chat.
$all = get_option('aisle_stats', array());
$day = gmdate('Y-m-d', time() - 10 * DAY_IN_SECONDS);
$all[$day] = array('sessions' => 5, 'leads' => 2) + ($all[$day] ?? array());
update_option('aisle_stats', $all, false);
return true;
PHP);
        $after = $this->byChannel(7);
        $delta = array_map(static fn ($a, $b) => [$a[0] - $b[0], $a[1] - $b[1]], $after, $before);
        $this->assertSame([[1, 0], [3, 1], [1, 0], [0, 0]], $delta, 'web, WhatsApp, Messenger, Instagram over 7 days');
        $after30 = $this->byChannel(30);
        $this->assertSame([6, 2], [$after30['web'][0] - $before30['web'][0], $after30['web'][1] - $before30['web'][1]], 'the 30 days include the older day, as web');
        $this->assertSame($after['whatsapp'][0] - $before['whatsapp'][0], $after30['whatsapp'][0] - $before30['whatsapp'][0]);
    }

    public function testEveryScreenInChromiumWithTheLivePreviewAndAxe(): void
    {
        $repo = dirname(__DIR__, 2);
        $this->assertFileExists("$repo/tests/e2e/node_modules/axe-core/axe.min.js", 'run make e2e-deps (axe-core)');
        @mkdir("$repo/tests/artifacts", 0755, true);
        // A transcript with cards and an order, and a question the assistant could not answer.
        $c = $this->seedConversation();
        self::resetLimits();
        $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => self::uuid(), 'message' => 'Can you engrave a name on the mug?', 'page_url' => self::$h->url . '/']);
        $before = $this->option('aisle_settings');
        $log = self::$h->cli(['node', "$repo/tests/e2e/admin-screens.mjs", self::$h->url, 'admin', 'admin-password-123', "$repo/tests/artifacts", (string) $c['id']]);
        $this->assertStringContainsString('admin screens ok', $log);
        $this->assertMatchesRegularExpression('/axe: 0 serious or critical violations over \d+ screens/', $log);
        foreach (['admin-tab-overview', 'admin-tab-settings', 'admin-settings-appearance', 'admin-live-preview', 'admin-yellow-accent', 'admin-transcript', 'admin-chats-list', 'admin-live-view', 'admin-dashboard', 'admin-add-to-faq'] as $shot) {
            $this->assertGreaterThan(10000, filesize("$repo/tests/artifacts/$shot.png"), $shot);
        }
        $this->assertSame($before, $this->option('aisle_settings'), 'the preview saved nothing');
    }

    /**
     * A chat with an assistant message holding **markdown** and product cards (the meta the
     * assistant stores), an add-to-cart from the chat, a lead and the order that followed.
     * @return array{id: int, session: string, order: int, product: int}
     */
    /** @return array<string, array{0: int, 1: string}> agent => [orders, revenue text] as the Overview's agent table shows them. */
    private function byAgent(int $days): array
    {
        $page = $this->http('GET', "/wp-admin/admin.php?page=aisle&tab=overview&days=$days", null, $this->admin())['body'];
        $this->assertStringContainsString('id="aisle-by-agent-title"', $page, 'the agent section');
        if (!preg_match('~<table class="widefat striped aisle-by-agent" id="aisle-by-agent".*?</table>~s', $page, $t)) {
            $this->assertStringContainsString('id="aisle-by-agent-empty"', $page, 'no table: the empty note');
            return [];
        }
        preg_match_all('~<tr data-agent="([^"]+)"><th scope="row">[^<]+</th><td class="aisle-orders">([\d,]+)</td><td class="aisle-revenue">([^<]+)</td></tr>~', $t[0], $rows, PREG_SET_ORDER);
        $out = [];
        foreach ($rows as $r) {
            $out[$r[1]] = [(int) str_replace(',', '', $r[2]), html_entity_decode($r[3], ENT_QUOTES, 'UTF-8')];
        }
        return $out;
    }

    /** Switches WooCommerce's order storage as OrderStorageTest does (compatibility sync off); returns whether HPOS is on. */
    private static function useOrderStorage(bool $hpos): bool
    {
        $want = $hpos ? 'true' : 'false';
        return self::$h->wp(<<<PHP
add_filter('wc_allow_changing_orders_storage_while_sync_is_pending', '__return_true');
update_option('woocommerce_custom_orders_table_data_sync_enabled', 'no');
wc_get_container()->get(Automattic\\WooCommerce\\Internal\\Features\\FeaturesController::class)->change_feature_enable('custom_order_tables', $want);
return Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled();
PHP);
    }

    public static function orderStorages(): array
    {
        return ['HPOS' => [true], 'posts storage' => [false]];
    }

    /** @dataProvider orderStorages */
    public function testOverviewCountsOrdersPerAiAgentFromOrderAttribution(bool $hpos): void
    {
        $this->assertSame($hpos, self::useOrderStorage($hpos), 'WooCommerce switched the order storage');
        try {
            $this->agentOrders();
        } finally {
            $this->assertTrue(self::useOrderStorage(true), 'HPOS back on');
        }
    }

    private function agentOrders(): void
    {
        $agent = 'agent' . bin2hex(random_bytes(3));
        $other = 'other' . bin2hex(random_bytes(3));
        $this->assertArrayNotHasKey($agent, $this->byAgent(30));
        $made = self::$h->wp(<<<PHP
\$attr = fn (\$source, \$medium) => array('_wc_order_attribution_source_type' => 'utm', '_wc_order_attribution_utm_source' => \$source, '_wc_order_attribution_utm_medium' => \$medium);
\$ids = array(
  aisle_test_create_order(array('items' => array(array('name' => 'Agent mug', 'qty' => 1, 'total' => '12.50')), 'meta' => \$attr('$agent', 'ai_agent'), 'status' => 'processing')),
  aisle_test_create_order(array('items' => array(array('name' => 'Agent tee', 'qty' => 2, 'total' => '30.00')), 'meta' => \$attr('$agent', 'ai_agent'), 'status' => 'completed')),
  aisle_test_create_order(array('items' => array(array('name' => 'Other tee', 'qty' => 1, 'total' => '99.00')), 'meta' => \$attr('$other', 'ai_agent'), 'status' => 'processing')),
  // Not counted: another medium, a cancelled order, and one older than 7 days.
  aisle_test_create_order(array('items' => array(array('name' => 'Newsletter cap', 'qty' => 1, 'total' => '7.00')), 'meta' => \$attr('$agent', 'email'), 'status' => 'processing')),
  aisle_test_create_order(array('items' => array(array('name' => 'Cancelled cap', 'qty' => 1, 'total' => '8.00')), 'meta' => \$attr('$agent', 'ai_agent'), 'status' => 'cancelled')),
);
\$old = wc_get_order(aisle_test_create_order(array('items' => array(array('name' => 'Old cap', 'qty' => 1, 'total' => '5.00')), 'meta' => \$attr('$agent', 'ai_agent'), 'status' => 'completed')));
\$old->set_date_created(time() - 20 * DAY_IN_SECONDS);
\$old->save();
return array('price' => html_entity_decode(wp_strip_all_tags(wc_price(42.5)), ENT_QUOTES, 'UTF-8'), 'price30' => html_entity_decode(wp_strip_all_tags(wc_price(47.5)), ENT_QUOTES, 'UTF-8'), 'other' => html_entity_decode(wp_strip_all_tags(wc_price(99)), ENT_QUOTES, 'UTF-8'));
PHP);
        $week = $this->byAgent(7);
        $this->assertSame([2, $made['price']], $week[$agent] ?? null, 'two agent orders, 12.50 + 30.00; the email one, the cancelled one and the old one left out');
        $this->assertSame([1, $made['other']], $week[$other] ?? null);
        $this->assertSame([3, $made['price30']], $this->byAgent(30)[$agent] ?? null, 'the 30 days include the older order');
    }

    private function seedConversation(): array
    {
        $session = self::uuid();
        return self::$h->wp(<<<PHP
\$product = aisle_test_save_product(array('name' => 'Transcript Teal Hoodie', 'regular_price' => '42.00', 'sku' => 'TTH-' . wp_rand()));
\$c = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings());
\$conv = \$c->open('$session', home_url('/shop/'));
\$c->add(\$conv, 'user', 'Where is my teal hoodie <img src=x onerror=alert(1)>?');
\$url = get_permalink(\$product) . '?aisle_session=$session';
\$c->add(\$conv, 'assistant', "Your order is **Completed**.\\n- [Teal hoodie](\$url)\\n- [elsewhere](https://evil.example/x)", 0, 0, 0, array('products' => array(array('id' => \$product, 'name' => 'Transcript Teal Hoodie', 'url' => \$url, 'price_text' => '\$42.00', 'image' => ''))));
(new Aisle\\Plugin\\Chat\\Events(\$c))->record(\$conv, 'add_to_cart', array('product_id' => \$product, 'name' => 'Transcript Teal Hoodie', 'quantity' => 2));
(new Aisle\\Plugin\\Chat\\Leads(\$c))->create('$session', 'teal@example.com', '', 'consent', home_url('/shop/'), 'Tess Teal', 'Call me after five');
\$order = aisle_test_create_order(array('items' => array(array('product_id' => \$product, 'qty' => 2)), 'meta' => array('_aisle_session' => '$session')));
return array('id' => (int) \$conv->id, 'session' => '$session', 'order' => \$order, 'product' => \$product);
PHP);
    }

    public function testTranscriptRendersMarkdownCardsEventsAndTheOrder(): void
    {
        $c = $this->seedConversation();
        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats&conversation=' . $c['id'], null, $this->admin())['body'];
        $this->assertSame(1, preg_match('~<ol id="aisle-transcript".*?</ol>~s', $page, $m), 'transcript found');
        $t = $m[0];
        $this->assertStringContainsString('<strong>Completed</strong>', $t, 'markdown rendered');
        $this->assertStringNotContainsString('**', $t, 'no raw markdown');
        $this->assertMatchesRegularExpression('~<ul><li><a href="[^"]*transcript-teal-hoodie[^"]*">Teal hoodie</a></li><li>elsewhere</li></ul>~', $t, 'a list; a link only to the store');
        $this->assertStringNotContainsString('evil.example', $t);
        $this->assertStringContainsString('&lt;img src=x onerror=alert(1)&gt;', $t, 'the visitor\'s text escaped');
        $this->assertMatchesRegularExpression('~<ul class="aisle-cards"[^>]*><li class="aisle-card"><span><a href="[^"]*transcript-teal-hoodie(-\\d+)?/">Transcript Teal Hoodie</a> <span class="aisle-card-price">\$42.00</span>~', $t, 'the card offered, without the tracking id');
        $this->assertStringContainsString('Added to cart: Transcript Teal Hoodie × 2', $t);
        $this->assertMatchesRegularExpression('~Lead left: Tess Teal / teal@example.com <a href="[^"]*tab=leads(&|&amp;|&#038;)lead=\d+#aisle-lead-\d+">~', $t);
        // The order that followed, linked to WooCommerce's own edit screen (HPOS on this site).
        $this->assertMatchesRegularExpression('~<li class="aisle-event aisle-event-order" id="aisle-transcript-order">.*Order #' . $c['order'] . ' placed: \$84.00 \(Pending payment\) <a href="[^"]*page=wc-orders(&|&amp;|&#038;)action=edit(&|&amp;|&#038;)id=' . $c['order'] . '">Open the order</a>~', $t);
        // In the order it happened: question, answer, cart, lead, order.
        $pos = array_map(static fn (string $n): int => (int) strpos($t, $n), ['Where is my teal', 'Completed', 'Added to cart', 'Lead left', 'Order #']);
        $sorted = $pos;
        sort($sorted);
        $this->assertSame($sorted, $pos, 'events in time order');
    }

    public function testChatsListPreviewFlagsSearchByProductAndFilters(): void
    {
        $c = $this->seedConversation();
        $plain = self::uuid();
        self::$h->wp("\$c = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings()); \$conv = \$c->open('$plain', home_url('/')); \$c->add(\$conv, 'user', 'Just browsing, thanks'); return true;");
        $row = function (string $body, int $id): ?string {
            return preg_match('~<tr data-conversation="' . $id . '">.*?</tr>~s', $body, $m) ? $m[0] : null;
        };
        $plainId = (int) self::$h->query("SELECT id FROM wp_aisle_conversations WHERE session_id = '$plain'")[0]['id'];
        $list = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats', null, $this->admin())['body'];
        $r = $row($list, $c['id']);
        $this->assertNotNull($r, 'listed');
        $this->assertStringContainsString('Where is my teal hoodie &lt;img', $r, 'first message as preview');
        $this->assertStringContainsString('<span class="aisle-flag aisle-flag-lead">Lead</span>', $r);
        $this->assertStringContainsString('<span class="aisle-flag aisle-flag-order">Order</span>', $r);
        $this->assertStringNotContainsString('aisle-flag', (string) $row($list, $plainId), 'no flags on a plain chat');

        $get = fn (string $q) => $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats&' . $q, null, $this->admin())['body'];
        foreach (['product=Transcript%20Teal' => true, 's=teal%20hoodie' => true, 'filter=lead' => true, 'filter=order' => true, 'product=No%20such%20thing' => false] as $q => $found) {
            $body = $get($q);
            $this->assertSame($found, null !== $row($body, $c['id']), $q);
            $this->assertNull($row($body, $plainId), "$q leaves out the plain chat");
        }
        $this->assertNotNull($row($get('filter='), $plainId), 'All lists it');

        // Handed to the team (the handoff's columns): flagged, and its own filter; flagged still once given back.
        self::$h->query("UPDATE wp_aisle_conversations SET status = 'waiting', waiting_since = UNIX_TIMESTAMP() WHERE id = {$c['id']}");
        $this->assertStringContainsString('<span class="aisle-flag aisle-flag-handoff">Handoff</span>', (string) $row($get('filter=handoff'), $c['id']));
        $this->assertNull($row($get('filter=handoff'), $plainId));
        self::$h->query("UPDATE wp_aisle_conversations SET status = 'bot' WHERE id = {$c['id']}");
        $this->assertStringContainsString('aisle-flag-handoff', (string) $row($get('filter=handoff'), $c['id']));
    }

    public function testDashboardPeriodsAxesAndUnansweredQuestionsToFaq(): void
    {
        self::resetLimits();
        $sid = self::uuid();
        $r = $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => $sid, 'message' => 'Do you sell zeppelin spare parts?', 'page_url' => self::$h->url . '/']);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertContains('offer_lead', $r['json']['actions'], 'the assistant could not answer');
        // Asking to be contacted is not a question the assistant failed.
        $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => self::uuid(), 'message' => 'Please contact me', 'page_url' => self::$h->url . '/']);

        foreach ([7, 30, 90] as $days) {
            $page = $this->http('GET', "/wp-admin/admin.php?page=aisle&tab=overview&days=$days", null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~<a class="button button-primary" id="aisle-period-' . $days . '"[^>]*aria-current="page"~', $page);
            $this->assertSame(1, preg_match('~<svg id="aisle-chart".*?</svg>~s', $page, $svg));
            $this->assertSame($days, preg_match_all('~<rect ~', $svg[0]), "$days bars");
            $this->assertSame(3, preg_match_all('~<text class="aisle-axis-label" x="50" ~', $svg[0]), 'three labelled y ticks');
            $this->assertGreaterThanOrEqual(min($days, 6), preg_match_all('~<text class="aisle-axis-label" x="[\d.]+" y="192" text-anchor="middle">~', $svg[0]), 'dates under the bars');
            foreach (['aisle-chart-resolved', 'aisle-chart-leads', 'aisle-chart-orders', 'aisle-chart-revenue'] as $chart) {
                $this->assertStringContainsString('<svg id="' . $chart . '"', $page);
            }
        }
        $this->assertSame(1, preg_match('~<table class="widefat striped" id="aisle-unanswered".*?</table>~s', $page, $t), 'unanswered questions listed');
        $this->assertStringContainsString('Do you sell zeppelin spare parts?', $t[0]);
        $this->assertStringNotContainsString('Please contact me', $t[0]);
        $this->assertSame(1, preg_match('~<td dir="auto">Do you sell zeppelin spare parts\?</td>.*?<a class="button aisle-add-faq" href="([^"]+)"~s', $t[0], $add));
        $href = html_entity_decode($add[1]);
        $this->assertStringContainsString('tab=settings', $href);
        parse_str((string) parse_url($href, PHP_URL_QUERY), $q);
        $this->assertSame('Do you sell zeppelin spare parts?', $q['faq_question']);

        // Resolved without a human: today's conversations minus those that needed a person.
        $today = self::$h->wp('return Aisle\\Plugin\\Admin\\Stats::days(1);');
        $row = array_values($today)[0];
        $this->assertGreaterThanOrEqual(1, $row['escalated']);
        $this->assertSame(1, preg_match('~<li data-key="resolved"><span class="aisle-total-label">Resolved without a human</span> <strong class="aisle-total-value">([\d,]+)</strong>~', $page, $res));
        $days90 = self::$h->wp('return Aisle\\Plugin\\Admin\\Stats::days(90);');
        $this->assertSame(array_sum(array_map(static fn ($d) => max(0, $d['sessions'] - $d['escalated']), $days90)), (int) str_replace(',', '', $res[1]));
    }

    public function testLeadNameAndMessageWhenTurnedOn(): void
    {
        self::resetLimits();
        $lead = fn (array $extra) => $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/lead'), ['session_id' => self::uuid(), 'email' => 'named@example.com', 'phone' => '', 'consent' => true, 'page_url' => self::$h->url . '/'] + $extra);
        // Off (the default): the widget does not ask, and the route keeps neither.
        $this->assertStringContainsString('"leadFields":[]', $this->http('GET', '/')['body']);
        $this->assertSame(201, $lead(['name' => 'Ignored', 'message' => 'Ignored too'])['status']);
        $this->assertSame([['name' => '', 'message' => '']], self::$h->query("SELECT name, COALESCE(message, '') AS message FROM wp_aisle_leads WHERE email = 'named@example.com'"));

        $this->assertSame(200, $this->rest('POST', '/settings', $this->admin(), ['lead_name' => true, 'lead_message' => true])['status']);
        try {
            $this->assertStringContainsString('"leadFields":["name","message"]', $this->http('GET', '/')['body']);
            $this->assertSame(400, $lead(['name' => str_repeat('n', 101)])['status'], 'a name too long');
            $before = count(self::$h->mails());
            $r = $lead(['name' => 'Nora Named', 'message' => "Do you ship to Iceland?\nThanks"]);
            $this->assertSame(201, $r['status'], $r['body']);
            $id = $r['json']['id'];
            $this->assertSame([['name' => 'Nora Named', 'message' => "Do you ship to Iceland?\nThanks"]], self::$h->query("SELECT name, message FROM wp_aisle_leads WHERE id = $id"));
            $mail = self::$h->mails()[$before];
            $this->assertStringContainsString("Name: Nora Named", $mail['message']);
            $this->assertStringContainsString("Their message:\nDo you ship to Iceland?\nThanks", $mail['message']);
            $this->assertStringNotContainsString('Nora', $mail['subject']);
            // The mail as the store receives it, drawn from the catcher's record (tests/screenshots/lead-email.png).
            $repo = dirname(__DIR__, 2);
            @mkdir("$repo/tests/artifacts", 0755, true);
            @unlink("$repo/tests/artifacts/lead-email.png");
            $this->assertStringContainsString('mail ok', self::$h->cli(['node', "$repo/tests/e2e/mail.mjs", "$repo/tests/artifacts/lead-email.png"], json_encode($mail)));
            $this->assertGreaterThan(10000, filesize("$repo/tests/artifacts/lead-email.png"));
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=leads', null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~<tr id="aisle-lead-' . $id . '".*?<td>Nora Named</td><td>named@example.com</td><td></td><td class="aisle-lead-message" dir="auto">Do you ship to Iceland\?<br />\s*Thanks</td>~s', $page);
            $this->assertSame(1, preg_match('~href="([^"]*action=aisle_leads_csv[^"]*)"~', $page, $csv));
            $out = $this->http('GET', substr(html_entity_decode($csv[1]), strlen(self::$h->url)), null, $this->admin())['body'];
            $rows = array_map('str_getcsv', preg_split('/\r?\n(?=\d+,|$)/', trim($out)));
            $this->assertSame(['id', 'created_at', 'email', 'phone', 'status', 'consent_text', 'consent_at', 'page_url', 'name', 'message'], $rows[0], 'new columns at the end: existing imports keep their mapping');
            $mine = array_values(array_filter($rows, static fn ($r) => $r[0] === (string) $id))[0];
            $this->assertSame(['Nora Named', "Do you ship to Iceland?\nThanks"], array_slice($mine, 8));
        } finally {
            $this->rest('POST', '/settings', $this->admin(), ['lead_name' => false, 'lead_message' => false]);
        }
    }

    public function testPluginHeaderReadmeAndTranslationsHaveNoPlaceholders(): void
    {
        $repo = dirname(__DIR__, 2);
        $files = array_merge([$repo . '/Makefile'], glob($repo . '/plugin/aisle/{*.php,readme.txt,languages/*.po,languages/*.pot}', GLOB_BRACE));
        foreach ($files as $f) {
            $this->assertStringNotContainsString('aisle.example', (string) file_get_contents($f), basename($f));
        }
        // The Plugins screen offers no "Visit plugin site" to a dead address.
        $plugins = $this->http('GET', '/wp-admin/plugins.php', null, $this->admin())['body'];
        $this->assertSame(1, preg_match('~<tr[^>]*data-plugin="aisle/aisle.php".*?</tr>~s', $plugins, $row));
        $this->assertStringNotContainsString('Visit plugin site', $row[0]);
        // "Tested up to" is the WordPress this suite runs on.
        preg_match('/^Tested up to: (\S+)$/m', (string) file_get_contents($repo . '/plugin/aisle/readme.txt'), $tested);
        $wp = self::$h->wp('return get_bloginfo("version");');
        $this->assertSame(implode('.', array_slice(explode('.', $wp), 0, 2)), $tested[1]);
    }

    public function testWidgetPassesAxeWithTheOptionalLeadFields(): void
    {
        $repo = dirname(__DIR__, 2);
        @mkdir("$repo/tests/artifacts", 0755, true);
        ChatTest::seed(); // The hoodies the cards show.
        self::resetLimits();
        $this->assertSame(200, $this->rest('POST', '/settings', $this->admin(), ['lead_name' => true, 'lead_message' => true])['status']);
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/widget-a11y.mjs", self::$h->url, '/', "$repo/tests/artifacts"]);
            $this->assertStringContainsString('widget a11y ok', $log);
            $this->assertStringContainsString('axe: 0 serious or critical violations in the widget', $log);
            $this->assertSame([['name' => 'Wanda Widget', 'message' => 'Please call about a custom order.']], self::$h->query("SELECT name, message FROM wp_aisle_leads WHERE email = 'wanda@example.com'"), 'the widget sent both');
        } finally {
            $this->rest('POST', '/settings', $this->admin(), ['lead_name' => false, 'lead_message' => false]);
        }
    }

    public function testAChatNeedsAPersonOnceWhateverHappens(): void
    {
        $sid = self::uuid();
        $r = self::$h->wp(<<<PHP
\$esc = fn () => (int) array_values(Aisle\\Plugin\\Admin\\Stats::days(1))[0]['escalated'];
\$before = \$esc();
\$c = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings());
\$conv = \$c->open('$sid', home_url('/'));
\$after_open = \$esc();
do_action('aisle_staff_reply', \$conv, 0);
\$after_staff = \$esc();
do_action('aisle_staff_reply', \$conv, 0);
(new Aisle\\Plugin\\Chat\\Leads(\$c))->create('$sid', 'once@example.com', '', 'consent', home_url('/'));
return array(\$after_open - \$before, \$after_staff - \$before, \$esc() - \$before);
PHP);
        $this->assertSame([0, 1, 1], $r, 'a staff reply marks it; a second reply and a lead do not count it again');
    }

    public function testTheChatShowsWhereTheMerchantChose(): void
    {
        ChatTest::seed(); // Hoodies in the "Hoodies" category.
        $paths = self::$h->wp('return array("cart" => wp_make_link_relative(wc_get_page_permalink("cart")), "checkout" => wp_make_link_relative(wc_get_page_permalink("checkout")), "shop" => wp_make_link_relative(wc_get_page_permalink("shop")), "shop_id" => wc_get_page_id("shop"), "hoodie" => wp_make_link_relative(get_permalink(wc_get_product_id_by_sku("AH-BLUE-1"))), "other" => wp_make_link_relative(get_permalink(aisle_test_save_product(array("name" => "Placement Mug", "regular_price" => "9.00", "categories" => array("Mugs"))))), "hoodies" => wp_make_link_relative(get_term_link("hoodies", "product_cat")));');
        $shown = fn (string $path): bool => str_contains($this->http('GET', $path)['body'], 'id="aisle-widget-js"');
        $save = fn (array $s) => $this->rest('POST', '/settings', $this->admin(), $s);
        try {
            $this->assertTrue($shown($paths['cart']), 'everywhere by default');
            $this->assertSame(200, $save(['widget_pages' => 'not_checkout'])['status']);
            $this->assertSame([false, false, true, true], [$shown($paths['cart']), $shown($paths['checkout']), $shown($paths['shop']), $shown($paths['hoodie'])], 'not on the cart and checkout');

            // Chosen with nothing chosen says so, and saves nothing.
            $r = $save(['widget_pages' => 'chosen', 'widget_page_ids' => [], 'widget_categories' => []]);
            $this->assertSame(400, $r['status']);
            $this->assertSame('Choose at least one page or product category, or show the chat on all pages.', $r['json']['data']['params']['widget_pages']);

            $this->assertSame(200, $save(['widget_pages' => 'chosen', 'widget_categories' => ['Hoodies']])['status'], 'a category by its slug');
            $this->assertSame([true, true, false, false], [$shown($paths['hoodie']), $shown($paths['hoodies']), $shown($paths['other']), $shown($paths['shop'])], 'only the chosen category and its products');
            $this->assertSame(200, $save(['widget_page_ids' => [(int) $paths['shop_id']]])['status']);
            $this->assertSame([true, true, false], [$shown($paths['shop']), $shown($paths['hoodie']), $shown($paths['cart'])], 'and the chosen page');

            // The Appearance section offers it; the lists show only for "chosen".
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=settings&section=appearance', null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~<select id="aisle-widget_pages" name="widget_pages">.*<option value="chosen" selected~s', $page);
            $this->assertMatchesRegularExpression('~<tr data-when="widget_pages" data-when-value="chosen"><th scope="row"><label for="aisle-widget_categories">~', $page);
            $this->assertMatchesRegularExpression('~<option value="hoodies" selected>Hoodies</option>~', $page);
        } finally {
            $save(['widget_pages' => 'all', 'widget_page_ids' => [], 'widget_categories' => []]);
        }
    }

    /**
     * An admin whose language Aisle ships sees its screens in it: what PHP prints from the .mo
     * files, and what the screens' scripts ask wp.i18n for from the JSON files
     * (scripts/po2json.py) that wp_set_script_translations() hands them. Expected words are read
     * from the shipped .po, so a missing .mo or JSON file, or one of the wrong handle, fails.
     */
    public function testAnAdminInFrenchSeesTheScreensAndTheirScriptsInFrench(): void
    {
        $fr = self::$h->wp(<<<'PHP'
require_once ABSPATH . WPINC . '/pomo/po.php';
$po = new PO();
$po->import_from_file(WP_PLUGIN_DIR . '/aisle/languages/aisle-fr_FR.po');
$t = array();
foreach (array('Settings', 'Knowledge', 'Something went wrong.', 'Delete this source and its passages?') as $s) {
    $t[$s] = isset($po->entries[$s]) ? $po->entries[$s]->translations[0] : null;
}
return $t;
PHP);
        foreach ($fr as $en => $word) {
            $this->assertIsString($word, "fr_FR translates \"$en\"");
            $this->assertNotSame($en, $word);
        }
        self::$h->wp('update_user_meta(1, "locale", "fr_FR"); return true;');
        try {
            $settings = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=settings', null, $this->admin())['body'];
            $this->assertStringContainsString('>' . htmlspecialchars($fr['Settings'], ENT_QUOTES) . '</a>', $settings, 'the tab bar, from the .mo');
            $this->assertStringContainsString('>' . htmlspecialchars($fr['Knowledge'], ENT_QUOTES) . '</a>', $settings);
            $js = static fn (string $en, string $word): string => '~' . preg_quote(json_encode($en, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), '~') . ':\s*\[\s*' . preg_quote(json_encode($word, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES), '~') . '\s*\]~';
            // wp_set_script_translations() prints the JSON file before the script it belongs to.
            $translations = static fn (string $script): string => '~\( "aisle", (\{.*?\})\s*\);\s*(//[^\n]*\s*)?</script>\s*(<script[^>]*>.*?</script>\s*)*?<script[^>]*src="[^"]*assets/' . $script . '\.js~s';
            $this->assertSame(1, preg_match($translations('admin'), $settings, $m), 'admin.js gets translations');
            $this->assertMatchesRegularExpression($js('Something went wrong.', $fr['Something went wrong.']), $m[1]);
            $knowledge = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=knowledge', null, $this->admin())['body'];
            $this->assertSame(1, preg_match($translations('knowledge'), $knowledge, $m), 'knowledge.js gets translations');
            $this->assertMatchesRegularExpression($js('Delete this source and its passages?', $fr['Delete this source and its passages?']), $m[1]);
        } finally {
            self::$h->wp('delete_user_meta(1, "locale"); return true;');
        }
    }
}
