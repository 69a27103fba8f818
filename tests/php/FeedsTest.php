<?php
declare(strict_types=1);

use Aisle\Catalog;
use Aisle\CatalogException;
use Aisle\ProductFeed;
use PHPUnit\Framework\TestCase;

/** Aisle\Catalog::writeProductFeed and Aisle\ProductFeed::lookup on the extension alone. */
final class FeedsTest extends TestCase
{
    private static string $dir;
    private const OPTS = ['seller_name' => 'Shop', 'store_country' => 'de', 'target_countries' => ['DE', 'at']];

    public static function setUpBeforeClass(): void
    {
        self::$dir = sys_get_temp_dir() . '/aisle-feeds-' . getmypid() . '-' . bin2hex(random_bytes(4));
    }

    public static function tearDownAfterClass(): void
    {
        foreach (glob(self::$dir . '/{,.}*', GLOB_BRACE) ?: [] as $f) {
            is_file($f) && unlink($f);
        }
        @rmdir(self::$dir);
    }

    private static function catalog(): Catalog
    {
        $c = new Catalog(['currency' => 'EUR']);
        $c->addMany([
            ['id' => 1, 'name' => 'Shirt', 'status' => 'publish', 'permalink' => 'https://s.test/shirt', 'image' => 'https://s.test/1.jpg', 'regular_price' => '25', 'sale_price' => '19.5', 'price' => '19.5', 'description' => '<p>Soft <b>cotton</b></p>', 'attributes' => ['Brand' => ['Acme']]],
            ['id' => 2, 'name' => 'Boot', 'type' => 'variable', 'status' => 'publish', 'permalink' => 'https://s.test/boot?x=1', 'image' => 'https://s.test/2.jpg', 'attributes' => ['Size' => ['40', '41']], 'variations' => [
                ['id' => 21, 'price' => '90', 'regular_price' => '90', 'stock_status' => 'instock', 'attributes' => ['Size' => '40']],
                ['id' => 22, 'price' => '95', 'regular_price' => '95', 'stock_status' => 'onbackorder', 'attributes' => ['Size' => '41']],
            ]],
            ['id' => 3, 'name' => 'No image', 'status' => 'publish', 'permalink' => 'https://s.test/3', 'price' => '5'],
            ['id' => 4, 'name' => 'No price', 'status' => 'publish', 'permalink' => 'https://s.test/4', 'image' => 'https://s.test/4.jpg'],
            ['id' => 5, 'name' => 'Hidden', 'status' => 'publish', 'permalink' => 'https://s.test/5', 'image' => 'https://s.test/5.jpg', 'price' => '7'],
            ['id' => 6, 'name' => 'Draft', 'status' => 'draft', 'permalink' => 'https://s.test/6', 'image' => 'https://s.test/6.jpg', 'price' => '7'],
        ]);
        return $c;
    }

    private static function rows(): array
    {
        $rows = [];
        foreach (explode("\n", trim(gzdecode(file_get_contents(self::$dir . '/openai-feed.jsonl.gz')))) as $l) {
            $r = json_decode($l, true, 16, JSON_THROW_ON_ERROR);
            $rows[$r['item_id']] = $r;
        }
        return $rows;
    }

    public function testRowsAndReasons(): void
    {
        $r = self::catalog()->writeProductFeed(self::$dir, self::OPTS + ['exclude_ids' => [5], 'brand_attribute' => 'brand', 'extra' => [21 => ['gtin' => '4006381333931']], 'utm_source' => 'perplexity']);
        $this->assertSame(3, $r['rows']);
        $this->assertSame(['hidden' => 1, 'no_image' => 1, 'no_price' => 1, 'not_published' => 1], $r['skipped']);
        $rows = self::rows();
        $this->assertSame(['1', '21', '22'], array_map('strval', array_keys($rows)));
        $this->assertSame('25.00 EUR', $rows['1']['price']);
        $this->assertSame('19.50 EUR', $rows['1']['sale_price']);
        $this->assertSame('Soft cotton', $rows['1']['description']);
        $this->assertSame('Acme', $rows['1']['brand']);
        $this->assertSame('Shop', $rows['21']['brand'], 'no brand attribute: the store');
        $this->assertSame('4006381333931', $rows['21']['gtin']);
        $this->assertSame('backorder', $rows['22']['availability']);
        $this->assertSame('Boot – 41', $rows['22']['title']);
        $this->assertSame('2', $rows['22']['group_id']);
        $this->assertTrue($rows['22']['listing_has_variations']);
        $this->assertSame('https://s.test/boot?x=1&utm_source=perplexity&utm_medium=ai_agent', $rows['21']['url']);
        $this->assertSame(['DE', 'AT'], $rows['1']['target_countries']);
        $this->assertSame('DE', $rows['1']['store_country']);
    }

    /** @depends testRowsAndReasons */
    public function testLookup(): void
    {
        $found = ProductFeed::lookup(self::$dir, [2, 5, 404, 1]);
        $this->assertSame([2, 1], array_keys($found));
        $boot = json_decode($found[2], true);
        $this->assertEquals(['min' => ['amount' => 9000, 'currency' => 'EUR'], 'max' => ['amount' => 9500, 'currency' => 'EUR']], $boot['price_range']);
        $this->assertEquals([['name' => 'Size', 'label' => '41']], $boot['variants'][1]['options']);
        $this->assertEquals(['available' => true, 'status' => 'backorder'], $boot['variants'][1]['availability']);
        $this->assertSame([], ProductFeed::lookup(self::$dir, []));
    }

    public function testBadInputIsAClearError(): void
    {
        $cases = [
            [[], "'seller_name' is required"],
            [['store_country' => 'Germany'] + self::OPTS, 'ISO 3166-1 alpha-2'],
            [['target_countries' => 'DE'] + self::OPTS, "'target_countries' must be a list"],
            [self::OPTS + ['utm_source' => 'a b'], 'utm_source'],
            [self::OPTS + ['nope' => 1], "unknown option 'nope'"],
            [self::OPTS + ['exclude_ids' => ['x']], 'exclude_ids'],
        ];
        foreach ($cases as [$opts, $message]) {
            try {
                self::catalog()->writeProductFeed(self::$dir . '-bad', $opts);
                $this->fail('accepted ' . json_encode($opts));
            } catch (CatalogException $e) {
                $this->assertSame('invalid_argument', $e->reason());
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
        $this->expectException(CatalogException::class);
        ProductFeed::lookup(sys_get_temp_dir() . '/aisle-no-such-feed', [1]);
    }
}
