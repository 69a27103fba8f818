<?php
declare(strict_types=1);

/**
 * The compatibility smoke suite: what a merchant does first, end to end, on whichever
 * WordPress + WooCommerce pair the harness runs ($AISLE_PLATFORM; `make test-compat` runs it on
 * the oldest supported pair): the plugin is active, a full sync indexes the catalog, the chat
 * answers with a product card, an order's status is found, and uninstalling leaves nothing.
 * Runs last: it uninstalls the plugin.
 */
final class SmokeTest extends WpTestCase
{
    public function testActivatedOnTheRealPlatform(): void
    {
        $v = self::$h->versions();
        $this->assertSame(self::$h->platform['wordpress'], $v['wordpress']);
        $this->assertSame(self::$h->platform['woocommerce'], $v['woocommerce']);
        $this->assertTrue($v['hpos'], 'a new store stores orders in HPOS tables');
        $active = self::$h->wp('return array(is_plugin_active("woocommerce/woocommerce.php"), is_plugin_active("aisle/aisle.php"), Aisle\Plugin\Requirements::missing());');
        $this->assertSame([true, true, []], $active);
        $this->assertCount(1, self::$h->query("SHOW TABLES LIKE 'wp\\_aisle\\_conversations'"));
    }

    /** The header promises exactly what the test runs show: the oldest pair to the current one, this PHP. */
    public function testPluginHeaderAndReadmeMatchTheTestedPlatforms(): void
    {
        $minor = static fn (string $v): string => implode('.', array_slice(explode('.', $v), 0, 2));
        $expected = [
            'RequiresWP'  => $minor(Platform::PAIRS['oldest']['wordpress']),
            'TestedUpTo'  => $minor(Platform::PAIRS['current']['wordpress']),
            'RequiresPHP' => PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION,
            'WCRequires'  => $minor(Platform::PAIRS['oldest']['woocommerce']),
            'WCTested'    => $minor(Platform::PAIRS['current']['woocommerce']),
        ];
        $header = self::$h->wp(<<<'PHP'
$h = get_file_data(WP_PLUGIN_DIR . '/aisle/aisle.php', array('RequiresWP' => 'Requires at least', 'TestedUpTo' => 'Tested up to', 'RequiresPHP' => 'Requires PHP', 'WCRequires' => 'WC requires at least', 'WCTested' => 'WC tested up to'));
$r = get_file_data(WP_PLUGIN_DIR . '/aisle/readme.txt', array('RequiresWP' => 'Requires at least', 'TestedUpTo' => 'Tested up to', 'RequiresPHP' => 'Requires PHP', 'WCRequires' => 'WC requires at least', 'WCTested' => 'WC tested up to'));
return array($h, $r);
PHP);
        $this->assertSame($expected, $header[0], 'aisle.php header');
        $this->assertSame($expected, $header[1], 'readme.txt header');
    }

    /** @depends testActivatedOnTheRealPlatform */
    public function testFullSyncThenChatAnswersWithACard(): void
    {
        self::$h->wp(<<<'PHP'
// A small catalog of its own (SKUs unique to this suite: it also runs after the full suite's catalogs).
foreach (array('Blue', 'Red', 'Green', 'Black', 'White') as $i => $c) {
  foreach (array('Tee', 'Sock', 'Scarf', 'Jacket', 'Glove', 'Belt', 'Boot', 'Bag', 'Mug', 'Lamp') as $j => $kind) {
    aisle_test_save_product(array('name' => "Smoke $c $kind", 'regular_price' => (string) (10 + $i * 7 + $j), 'sku' => "SMOKE-$c-$kind", 'categories' => array('Smoke'), 'stock_status' => 0 === ($i + $j) % 6 ? 'outofstock' : 'instock'));
  }
}
aisle_test_save_product(array('name' => 'Smoke Zip Hoodie', 'sku' => 'SMOKE-ZIP', 'attributes' => array('Size' => array('S', 'M')), 'variations' => array(
  array('sku' => 'SMOKE-ZIP-S', 'regular_price' => '42.00', 'attributes' => array('Size' => 'S')),
  array('sku' => 'SMOKE-ZIP-M', 'regular_price' => '45.00', 'attributes' => array('Size' => 'M')),
)));
aisle_test_save_product(array('name' => 'Smoke Wool Hoodie', 'regular_price' => '39.00', 'sku' => 'SMOKE-1', 'categories' => array('Hoodies'), 'short_description' => 'A warm hoodie.'));
return true;
PHP);
        $start = $this->rest('POST', '/sync', $this->admin());
        $this->assertSame(200, $start['status'], $start['body']);
        for ($i = 0; $i < 50 && in_array($this->rest('GET', '/sync', $this->admin())['json']['state'], ['queued', 'running', 'indexing'], true); $i++) {
            self::$h->wp('return aisle_test_run_actions(5);');
        }
        $done = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $done['state'], json_encode($done));
        $this->assertGreaterThanOrEqual(45, $done['result']['indexed'], 'out-of-stock products may be left out by the settings');

        $r = $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => self::uuid(), 'message' => 'Do you have a wool hoodie under 50?', 'page_url' => self::$h->url . '/']);
        $this->assertSame(200, $r['status'], $r['body']);
        $card = $r['json']['products'][0] ?? null;
        $this->assertSame('Smoke Wool Hoodie', $card['name'] ?? null, $r['body']);
        $this->assertSame('$39.00', $card['price_text']);
        $this->assertStringContainsString('add-to-cart=' . $card['id'], $card['add_to_cart_url']);
    }

    public function testOrderStatusThroughTheChat(): void
    {
        $number = self::$h->wp(<<<'PHP'
$id = aisle_test_create_order(array('status' => 'on-hold', 'billing_phone' => '(212) 555-0199', 'billing_email' => 'smoke@example.com', 'items' => array(array('name' => 'Smoke Wool Hoodie', 'qty' => 1, 'total' => '39.00'))));
return wc_get_order($id)->get_order_number();
PHP);
        self::resetLimits();
        $ask = fn (string $m): string => $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => self::uuid(), 'message' => $m, 'page_url' => ''])['json']['reply'];
        $this->assertStringContainsString('On hold', $ask("Where is order $number? My phone is 212-555-0199"));
        $this->assertStringNotContainsString('On hold', $ask("Where is order $number? My phone is 212-555-0100"));
    }

    public function testUninstallLeavesNothing(): void
    {
        self::$h->wp("deactivate_plugins('aisle/aisle.php'); return uninstall_plugin('aisle/aisle.php');");
        $this->assertSame([], self::$h->query("SHOW TABLES LIKE '%aisle%'"));
        $this->assertSame([], self::$h->query("SELECT option_name FROM wp_options WHERE option_name LIKE 'aisle%'"));
        $this->assertSame([], self::$h->query("SELECT hook FROM wp_actionscheduler_actions WHERE hook LIKE 'aisle\\_%' AND status = 'pending'"));
        $this->assertSame('3', self::$h->wp("activate_plugin('aisle/aisle.php'); return get_option('aisle_db_version');"), 'and it comes back cleanly');
    }
}
