<?php
declare(strict_types=1);

/**
 * WooCommerce's own sample catalog (sample_products.csv through WC_Product_CSV_Importer, local
 * images) and sample orders: a full sync indexes every product a shopper may see, the chat finds
 * them with the right cards, and the orders' phones in three formats open their status.
 */
final class SampleCatalogTest extends WpTestCase
{
    private static array $catalog = [];
    private static array $orders = [];

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        [self::$catalog, self::$orders] = self::$h->wp('return array(aisle_test_import_sample_catalog(), aisle_test_sample_orders());');
        self::resetLimits();
    }

    private function ask(string $message): array
    {
        $r = $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => self::uuid(), 'message' => $message, 'page_url' => self::$h->url . '/shop/']);
        $this->assertSame(200, $r['status'], $r['body']);
        return $r['json'];
    }

    public function testFullSyncIndexesWhatTheShopShows(): void
    {
        $this->assertGreaterThanOrEqual(18, count(self::$catalog['products']), 'the sample CSV has 18 parent products');
        $this->assertSame(0, self::$catalog['skipped']);
        self::$h->wp('return aisle_test_run_actions();');
        $start = $this->rest('POST', '/sync', $this->admin());
        $this->assertSame(200, $start['status'], $start['body']);
        for ($i = 0; $i < 100 && in_array($this->rest('GET', '/sync', $this->admin())['json']['state'], ['queued', 'running', 'indexing'], true); $i++) {
            self::$h->wp('return aisle_test_run_actions(5);');
        }
        $done = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $done['state'], json_encode($done));
        $this->assertSame(0, $done['error_count']);
        // What WooCommerce itself lists to a shopper (published, visible, in stock), every one indexed.
        $ids = self::$h->wp("return wc_get_products(array('status' => 'publish', 'visibility' => 'catalog', 'stock_status' => 'instock', 'limit' => -1, 'return' => 'ids'));");
        $sample = array_values(array_intersect($ids, array_values(self::$catalog['products'])));
        $this->assertNotEmpty($sample);
        $hashes = array_map('intval', array_column(self::$h->query('SELECT product_id FROM wp_aisle_catalog_hashes'), 'product_id'));
        $this->assertSame([], array_values(array_diff($sample, $hashes)), 'every sample product the shop lists is in the catalog');
        $hidden = self::$h->wp("return array_map(fn (\$p) => \$p->get_id(), wc_get_products(array('visibility' => 'hidden', 'limit' => -1)));");
        $this->assertSame([], array_values(array_intersect(array_map('intval', $hidden), $hashes)), 'hidden sample products stay out');
    }

    /** @depends testFullSyncIndexesWhatTheShopShows */
    public function testHoodiesGetTheRightCards(): void
    {
        $cards = [];
        foreach ($this->ask('Do you have hoodies under 50?')['products'] as $card) {
            $cards[$card['name']] = $card;
        }
        $this->assertArrayHasKey('Hoodie with Logo', $cards, json_encode(array_keys($cards)));
        $this->assertArrayHasKey('Hoodie', $cards);
        $logo = $cards['Hoodie with Logo'];
        $this->assertSame('$45.00', $logo['price_text']);
        $this->assertStringContainsString('add-to-cart=' . $logo['id'], $logo['add_to_cart_url'], 'a simple product goes straight to the cart');
        $hoodie = $cards['Hoodie'];
        $this->assertSame('', $hoodie['add_to_cart_url'], 'a variable product is never added without a variation');
        $this->assertStringContainsString('aisle_session=', $hoodie['options_url'], 'it links to its page to choose one');
        $this->assertNotSame('', $hoodie['image'], 'the imported image');
        $this->assertStringStartsWith(self::$h->url . '/wp-content/uploads/', $hoodie['image']);
    }

    private function fullSync(): array
    {
        $start = $this->rest('POST', '/sync', $this->admin());
        $this->assertSame(200, $start['status'], $start['body']);
        for ($i = 0; $i < 100 && in_array($this->rest('GET', '/sync', $this->admin())['json']['state'], ['queued', 'running', 'indexing'], true); $i++) {
            self::$h->wp('return aisle_test_run_actions(5);');
        }
        return $this->rest('GET', '/sync', $this->admin())['json'];
    }

    /** @depends testFullSyncIndexesWhatTheShopShows */
    public function testMerchantSynonymsApplyAtTheNextSync(): void
    {
        $names = fn (): array => array_column($this->ask('Do you have snugglers?')['products'], 'name');
        $this->assertNotContains('Hoodie', $names(), 'an invented word finds nothing yet');
        $r = $this->rest('POST', '/settings', $this->admin(), ['synonyms' => "snuggler, hoodie\n\nonly-one-word\n"]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertSame('done', $this->fullSync()['state']);
        $this->assertSame([['snuggler', 'hoodie']], self::$h->wp('return Aisle\\Plugin\\Catalog\\CatalogSync::synonym_groups((new Aisle\\Plugin\\Settings())->get("synonyms"));'), 'one group a line; a lone word is no group');
        $this->assertContains('Hoodie', $names(), 'the merchant\'s synonym finds the hoodies');
        $this->assertSame('en', self::$h->wp('return Aisle\CatalogIndex::open(Aisle\Plugin\Catalog\CatalogSync::index_dir())->language();'), 'indexed in the store\'s language');
        $this->rest('POST', '/settings', $this->admin(), ['synonyms' => '']);
    }

    public function testSampleOrdersOpenWithTheirPhones(): void
    {
        $this->assertCount(4, self::$orders['orders']);
        foreach (self::$orders['orders'] as $order) {
            $reply = $this->ask("Where is my order {$order['number']}? My phone is {$order['phone']}")['reply'];
            $this->assertStringContainsString(wc_status_label($order['status']), $reply, "order {$order['number']} with {$order['phone']}");
            $this->assertStringContainsString($order['items'][0], $reply);
        }
        $wrong = $this->ask('Where is my order ' . self::$orders['orders'][0]['number'] . '? My phone is (212) 555-0100')['reply'];
        $this->assertStringNotContainsString(wc_status_label(self::$orders['orders'][0]['status']), $wrong);
    }
}

/** WooCommerce's English status names, as the chat shows them. */
function wc_status_label(string $status): string
{
    return ['processing' => 'Processing', 'completed' => 'Completed', 'on-hold' => 'On hold'][$status] ?? $status;
}
