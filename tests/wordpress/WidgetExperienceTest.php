<?php
declare(strict_types=1);

require_once __DIR__ . '/ChatTest.php';
require_once __DIR__ . '/CheckoutTest.php';

/**
 * The shopper's experience of the widget (issue 15), in Chromium (tests/e2e/widget-experience.mjs)
 * on Twenty Twenty-Five (block) with a light yellow accent and on Twenty Twenty-One (classic) with
 * a dark blue one, both with the launcher on the left: the theme's CSS does not reach the widget
 * and on a classic theme written to be hostile (tests/wordpress/themes/aisle-classic: header,
 * sidebar and footer markup, Storefront-like global CSS on input, textarea, button and img)
 * (the message box is the same on the shop, a product and the cart, and the same on every theme),
 * 16 px fields on a phone, no launcher jump, readable text on the accent, the character counter,
 * a non-modal dialog on desktop, Escape from anywhere, labelled lead fields and one lead intro.
 * The theme and the settings active before are restored afterwards.
 */
final class WidgetExperienceTest extends WpTestCase
{
    public function testWidgetOnTwoThemesWithTwoAccents(): void
    {
        $before = self::$h->wp('return array("theme" => get_stylesheet(), "settings" => get_option("aisle_settings"));');
        $store = CheckoutTest::prepareStore();
        $repo = dirname(__DIR__, 2);
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        $seen = [];
        self::installClassicFixture();
        try {
            foreach (['tt5' => ['twentytwentyfive', '#ffe14d'], 'tt1' => ['twentytwentyone', '#2271b1'], 'classic' => ['aisle-classic', '#2271b1']] as $label => [$theme, $accent]) {
                ChatTest::resetLimits();
                $t = self::$h->wp('switch_theme(' . var_export($theme, true) . '); $s = get_option("aisle_settings"); $s["accent_color"] = ' . var_export($accent, true) . '; $s["position"] = "left"; $s["assistant_paused"] = false; $s["ai_provider"] = "none"; update_option("aisle_settings", $s);
                  return array("theme" => get_stylesheet(), "product" => wp_make_link_relative(get_permalink(wc_get_product_id_by_sku("AH-BLUE-1"))), "shop" => wp_make_link_relative(wc_get_page_permalink("shop")));');
                $this->assertSame($theme, $t['theme'], 'theme switched');
                $pages = ['shop' => $t['shop'], 'product' => $t['product'], 'cart' => $store['cart']];
                try {
                    $log = self::$h->cli(['node', "$repo/tests/e2e/widget-experience.mjs", self::$h->url, $out, $label, json_encode($pages), $accent]);
                } catch (RuntimeException $e) {
                    $this->fail($e->getMessage());
                }
                $this->assertStringContainsString("\nok", $log, $log);
                $this->assertSame(1, preg_match('/^metrics: (.*)$/m', $log, $m), $log);
                $seen[$label] = json_decode($m[1], true);
                $this->assertFileExists("$out/widget-experience-$label-accent-" . substr($accent, 1) . '.png');
            }
            // One widget on both themes: the same message box on every page of each.
            $this->assertSame($seen['tt5']['product'], $seen['tt1']['product'], 'the message box is the same on both themes: ' . json_encode($seen));
            $this->assertSame($seen['tt5']['cart'], $seen['tt1']['cart'], json_encode($seen));
            $this->assertSame($seen['tt5']['product'], $seen['classic']['product'], 'the classic theme\'s global CSS on inputs and buttons does not reach it: ' . json_encode($seen));
            $this->assertSame($seen['tt5']['cart'], $seen['classic']['cart'], json_encode($seen));
        } finally {
            self::$h->wp('switch_theme(' . var_export($before['theme'], true) . '); update_option("aisle_settings", ' . var_export($before['settings'], true) . '); return true;');
        }
    }

    /** The fixture theme, copied into the test site's themes (its files are small; a copy keeps the site self-contained). */
    public static function installClassicFixture(): void
    {
        $to = self::$h->site . '/wp-content/themes/aisle-classic';
        @mkdir($to, 0755, true);
        foreach (glob(__DIR__ . '/themes/aisle-classic/*') as $file) {
            copy($file, $to . '/' . basename($file));
        }
        $errors = self::$h->wp('$t = wp_get_theme("aisle-classic"); return $t->exists() && !$t->errors() && !$t->is_block_theme();');
        self::assertTrue($errors, 'the classic fixture theme is installed and valid');
    }

    public function testTextOnTheAccentIsChosenByContrast(): void
    {
        $r = self::$h->wp('return array_map(fn ($c) => Aisle\Plugin\Chat\Widget::text_on($c), array("#ffe14d", "#2271b1", "#ffffff", "#000000", "#2f6fde", "#f0c", "not a colour"));');
        $this->assertSame(['#1d1d1f', '#ffffff', '#1d1d1f', '#ffffff', '#ffffff', '#1d1d1f', '#ffffff'], $r);
        $this->assertEqualsWithDelta(21.0, self::$h->wp('return Aisle\Plugin\Chat\Widget::contrast("000000", "ffffff");'), 0.001);
    }
}
