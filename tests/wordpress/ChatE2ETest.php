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
        self::$h->wp(<<<'PHP'
$id = standin_save_product(array('name' => 'Aisle XSS Hoodie', 'regular_price' => '20.00', 'categories' => array('Hoodies')));
// Written directly: kses would strip the markup on insert, but an importer or a role with unfiltered_html can store it.
global $wpdb; $wpdb->update($wpdb->posts, array('post_title' => 'Aisle <img src=x onerror=alert(1)> Hoodie'), array('ID' => $id)); clean_post_cache($id);
do_action('woocommerce_update_product', $id); // What WooCommerce fires on save: the catalog index gets the delta.
$s = get_option('aisle_settings'); $s['faq'] = array(array('question' => 'Do you offer gift wrapping?', 'answer' => 'Yes <script>alert(2)</script> free.')); $s['assistant_paused'] = false; $s['ai_provider'] = 'none';
update_option('aisle_settings', $s);
return true;
PHP);
        self::$h->wp('return standin_run_actions();'); // The delta is queued at the end of the request above.
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/chat-widget.mjs", self::$h->url, $out]);
        } finally {
            self::$h->wp('$s = get_option("aisle_settings"); $s["faq"] = array(array("question" => "Do you offer gift wrapping?", "answer" => "Yes, gift wrapping costs nothing extra.")); update_option("aisle_settings", $s); return true;');
        }
        $this->assertStringContainsString('ok', $log, $log);
        $this->assertFileExists("$out/widget-mobile.png");
        $this->assertNotEmpty(self::$h->query("SELECT id FROM wp_aisle_leads WHERE email = 'e2e-lead@example.com'"), 'the lead form stored a lead');
    }
}
