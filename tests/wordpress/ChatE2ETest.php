<?php
declare(strict_types=1);

/** Runs tests/e2e/chat-widget.mjs (Debian's Chromium) against the site; screenshots in tests/artifacts. */
final class ChatE2ETest extends WpTestCase
{
    public function testWidgetInChromium(): void
    {
        $repo = dirname(__DIR__, 2);
        ChatTest::seed();
        ChatTest::resetLimits();
        $xss = (int) self::$h->wp(<<<'PHP'
$id = aisle_test_save_product(array('name' => 'Aisle XSS Hoodie', 'regular_price' => '20.00', 'categories' => array('Hoodies')));
// Written directly: kses would strip the markup on insert, but an importer or a role with unfiltered_html can store it.
global $wpdb; $wpdb->update($wpdb->posts, array('post_title' => 'Aisle <img src=x onerror=alert(1)> Hoodie'), array('ID' => $id)); clean_post_cache($id);
do_action('woocommerce_update_product', $id); // What WooCommerce fires on save: the catalog index gets the delta.
$s = get_option('aisle_settings'); $s['faq'] = array(array('question' => 'Do you offer gift wrapping?', 'answer' => 'Yes <script>alert(2)</script> free.')); $s['assistant_paused'] = false; $s['ai_provider'] = 'none';
update_option('aisle_settings', $s);
return $id;
PHP);
        self::$h->wp('return aisle_test_run_actions();'); // The delta is queued at the end of the request above.
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/chat-widget.mjs", self::$h->url, $out, ChatTest::order('a')]);
        } finally {
            self::$h->wp('$s = get_option("aisle_settings"); $s["faq"] = array(array("question" => "Do you offer gift wrapping?", "answer" => "Yes, gift wrapping costs nothing extra.")); update_option("aisle_settings", $s); return true;');
            // The hostile product would run its script on every later storefront page (themes print titles as stored).
            self::$h->wp("aisle_test_delete_product($xss, true); return true;");
        }
        $this->assertStringContainsString('ok', $log, $log);
        $this->assertFileExists("$out/widget-mobile.png");
        $this->assertNotEmpty(self::$h->query("SELECT id FROM wp_aisle_leads WHERE email = 'e2e-lead@example.com'"), 'the lead form stored a lead');
        $french = self::$h->query("SELECT consent_text FROM wp_aisle_leads WHERE email = 'e2e-client@example.fr'");
        $this->assertStringStartsWith("J'accepte", $french[0]['consent_text'] ?? '', 'the French form\'s lead records the French consent it showed');
    }

    /** AI output with markup and foreign links, from the fake OpenAI-compatible provider, in Chromium. */
    public function testProviderOutputRendersAsTextInChromium(): void
    {
        $repo = dirname(__DIR__, 2);
        ChatTest::seed();
        ChatTest::resetLimits();
        $port = Harness::freePort();
        $fake = proc_open([PHP_BINARY, '-S', '127.0.0.1:' . $port, "$repo/tests/fakes/provider.php"], [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes);
        for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port); $i++) {
            usleep(50000);
        }
        self::$h->wp("\$s = get_option('aisle_settings'); \$s['assistant_paused'] = false; \$s['ai_provider'] = 'openai'; \$s['ai_base_url'] = 'http://127.0.0.1:$port'; \$s['ai_model'] = 'fake-xss'; \$s['ai_timeout'] = 30; \$s['ai_connect_timeout'] = 2; update_option('aisle_settings', \$s); (new Aisle\\Plugin\\Privacy\\Secrets())->save('ai_api_key', 'sk-test-secret'); return true;");
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/chat-ai-xss.mjs", self::$h->url, $out]);
        } finally {
            self::$h->wp('$s = get_option("aisle_settings"); $s["ai_provider"] = "none"; update_option("aisle_settings", $s); delete_option("aisle_ai_api_key"); return true;');
            Harness::endProcess($fake);
        }
        $this->assertStringContainsString('ok', $log, $log);
        $this->assertFileExists("$out/widget-ai-xss.png");
    }
}
