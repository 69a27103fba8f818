<?php
declare(strict_types=1);

require_once __DIR__ . '/CheckoutTest.php';

/**
 * The storefront widget on the default block theme (Twenty Twenty-Five) and on a classic theme
 * (Twenty Twenty-One), switched on in turn: tests/e2e/storefront-themes.mjs in Chromium on the
 * shop, a product, the cart and the checkout (and, on the classic theme, the classic shortcode
 * checkout), at 1280 and 390 px. The theme active before is restored afterwards.
 */
final class StorefrontThemesTest extends WpTestCase
{
    private static ?string $before = null;

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        self::$before = self::$h->wp('return get_stylesheet();');
    }

    public static function tearDownAfterClass(): void
    {
        $theme = self::$before ?? 'twentytwentyfive';
        if (self::$h->wp('switch_theme(' . var_export($theme, true) . '); return get_stylesheet();') !== $theme) {
            throw new RuntimeException("could not switch back to $theme");
        }
        parent::tearDownAfterClass();
    }

    public static function themes(): array
    {
        return ['Twenty Twenty-Five (block)' => ['twentytwentyfive', true], 'Twenty Twenty-One (classic)' => ['twentytwentyone', false]];
    }

    /** @dataProvider themes */
    public function testWidgetOnStorefrontPages(string $theme, bool $block): void
    {
        $store = CheckoutTest::prepareStore();
        $this->assertSame('twentytwentyfive', self::$before, 'a new site runs the default block theme');
        $t = self::$h->wp('switch_theme(' . var_export($theme, true) . '); return array("theme" => get_stylesheet(), "block" => wp_is_block_theme(), "errors" => wp_get_theme()->errors() ? wp_get_theme()->errors()->get_error_messages() : array(),
          "product" => wp_make_link_relative(get_permalink(wc_get_product_id_by_sku("AH-BLUE-1"))), "shop" => wp_make_link_relative(wc_get_page_permalink("shop")));');
        $this->assertSame($theme, $t['theme'], 'theme switched');
        $this->assertSame([], $t['errors'], "$theme is installed and valid");
        $this->assertSame($block, $t['block']);

        $pages = ['shop' => $t['shop'], 'product' => $t['product'], 'cart' => $store['cart'], 'checkout' => $store['checkout']];
        if (!$block) {
            $pages['classic-checkout'] = $store['classic'];
        }
        // Each page renders with the theme's markup and the widget's script (with something in
        // the cart: an empty cart's checkout redirects to the cart).
        $jar = ['jar' => tempnam(self::$h->root, 'jar'), 'nonce' => null];
        $cart = $this->http('GET', '/wp-json/wc/store/v1/cart', null, $jar);
        $this->assertSame(1, preg_match('/^Nonce:\s*(\S+)/mi', $cart['headers'], $nonce));
        $this->assertSame(201, $this->http('POST', '/wp-json/wc/store/v1/cart/add-item', ['id' => (int) $store['blue'], 'quantity' => 1], $jar, ['Nonce: ' . $nonce[1]])['status']);
        foreach ($pages as $name => $path) {
            $r = $this->http('GET', $path, null, $jar);
            $this->assertSame(200, $r['status'], "$name ($path)");
            $this->assertStringContainsString("/themes/$theme/", $r['body'], "$name is drawn by $theme");
            $this->assertStringContainsString('window.aisleConfig=', $r['body'], "$name carries the widget");
        }

        $repo = dirname(__DIR__, 2);
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        $label = $block ? 'tt5' : 'tt1';
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/storefront-themes.mjs", self::$h->url, $out, $label, (string) $store['blue'], json_encode($pages)]);
        } catch (RuntimeException $e) {
            $this->fail($e->getMessage());
        }
        $this->assertStringContainsString('ok', $log, $log);
        $this->assertFileExists("$out/theme-$label-checkout-button-into-view-390.png");
    }
}
