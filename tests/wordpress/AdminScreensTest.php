<?php
declare(strict_types=1);

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
        $this->assertSame(['overview' => 'Overview', 'chats' => 'Chats', 'leads' => 'Leads', 'settings' => 'Settings'], $this->tabs($r['body']));
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
        $file = self::$h->site . '/wp-content/mu-plugins/aisle-test-tab.php';
        file_put_contents($file, <<<'PHP'
<?php
add_filter( 'aisle_admin_tabs', fn ( $tabs ) => $tabs + array(
	'knowledge' => array( 'Knowledge', 'manage_woocommerce', function () { echo '<p id="knowledge-screen">knowledge here</p>'; } ),
	'secret'    => array( 'label' => 'Secret', 'capability' => 'manage_options', 'render' => function () { echo '<p id="secret-screen">only admins</p>'; } ),
	'broken'    => array( 'Broken', 'manage_woocommerce', 'no_such_function' ),
) );
add_filter( 'aisle_admin_views', fn ( $views, $tab ) => 'chats' === $tab ? $views + array( 'live' => array( 'Live', function () { echo '<p id="live-view">live chats</p>'; } ) ) : $views, 10, 2 );
PHP);
        try {
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle', null, $this->admin())['body'];
            $this->assertSame(['overview', 'chats', 'leads', 'knowledge', 'secret', 'settings'], array_keys($this->tabs($page)), 'a broken entry is left out, Settings stays last');
            $this->assertStringContainsString('<p id="knowledge-screen">', $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=knowledge', null, $this->admin())['body']);

            // A shop manager does not see the tab whose capability they lack, nor open it.
            $m = $this->login('manager', 'manager-password-123');
            $mp = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=secret', null, $m)['body'];
            $this->assertArrayNotHasKey('secret', $this->tabs($mp));
            $this->assertStringNotContainsString('secret-screen', $mp);

            $chats = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats', null, $this->admin())['body'];
            $this->assertMatchesRegularExpression('~<ul class="subsubsub" id="aisle-views">.*id="aisle-view-live" href="[^"]*tab=chats(&|&amp;|&#038;)view=live"~s', $chats);
            $this->assertStringContainsString('id="aisle-chats"', $chats, 'the tab\'s own screen by default');
            $live = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats&view=live', null, $this->admin())['body'];
            $this->assertStringContainsString('<p id="live-view">live chats</p>', $live);
            $this->assertStringNotContainsString('id="aisle-chats"', $live);
        } finally {
            unlink($file);
        }
    }

    public function testEveryScreenInChromiumWithTheLivePreviewAndAxe(): void
    {
        $repo = dirname(__DIR__, 2);
        $this->assertFileExists("$repo/tests/e2e/node_modules/axe-core/axe.min.js", 'run make e2e-deps (axe-core)');
        @mkdir("$repo/tests/artifacts", 0755, true);
        $before = $this->option('aisle_settings');
        $log = self::$h->cli(['node', "$repo/tests/e2e/admin-screens.mjs", self::$h->url, 'admin', 'admin-password-123', "$repo/tests/artifacts"]);
        $this->assertStringContainsString('admin screens ok', $log);
        $this->assertMatchesRegularExpression('/axe: 0 serious or critical violations over \d+ screens/', $log);
        foreach (['admin-tab-overview', 'admin-tab-settings', 'admin-settings-appearance', 'admin-live-preview', 'admin-yellow-accent'] as $shot) {
            $this->assertGreaterThan(10000, filesize("$repo/tests/artifacts/$shot.png"), $shot);
        }
        $this->assertSame($before, $this->option('aisle_settings'), 'the preview saved nothing');
    }
}
