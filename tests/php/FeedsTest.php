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
    /** Each kind of the option 'files' and the files it is, by name. */
    private const NAMES = ['acp' => ['acp-products.jsonl.gz'], 'openai' => ['openai-feed.jsonl.gz'], 'ucp' => ['ucp-products.idx', 'ucp-products.jsonl']];

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
        $c->addMany(self::products());
        return $c;
    }

    private static function products(): array
    {
        return [
            ['id' => 1, 'name' => 'Shirt', 'status' => 'publish', 'permalink' => 'https://s.test/shirt', 'image' => 'https://s.test/1.jpg', 'regular_price' => '25', 'sale_price' => '19.5', 'price' => '19.5', 'description' => '<p>Soft <b>cotton</b></p>', 'attributes' => ['Brand' => ['Acme']]],
            ['id' => 2, 'name' => 'Boot', 'type' => 'variable', 'status' => 'publish', 'permalink' => 'https://s.test/boot?x=1', 'image' => 'https://s.test/2.jpg', 'attributes' => ['Size' => ['40', '41']], 'variations' => [
                ['id' => 21, 'price' => '90', 'regular_price' => '90', 'stock_status' => 'instock', 'attributes' => ['Size' => '40']],
                ['id' => 22, 'price' => '95', 'regular_price' => '95', 'stock_status' => 'onbackorder', 'attributes' => ['Size' => '41']],
            ]],
            ['id' => 3, 'name' => 'No image', 'status' => 'publish', 'permalink' => 'https://s.test/3', 'price' => '5'],
            ['id' => 4, 'name' => 'No price', 'status' => 'publish', 'permalink' => 'https://s.test/4', 'image' => 'https://s.test/4.jpg'],
            ['id' => 5, 'name' => 'Hidden', 'status' => 'publish', 'permalink' => 'https://s.test/5', 'image' => 'https://s.test/5.jpg', 'price' => '7'],
            ['id' => 6, 'name' => 'Draft', 'status' => 'draft', 'permalink' => 'https://s.test/6', 'image' => 'https://s.test/6.jpg', 'price' => '7'],
        ];
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

    public function testOnlyTheListedFilesAreWrittenAndTheOthersRemoved(): void
    {
        $dir = self::$dir . '-kinds';
        $opts = self::OPTS + ['exclude_ids' => [5]];
        $all = self::catalog()->writeProductFeed($dir, $opts);
        $this->assertSame(['openai', 'acp', 'ucp'], $all['files'], 'all three by default');
        $everything = self::files($dir);
        $this->assertSame(['acp-products.jsonl.gz', 'openai-feed.jsonl.gz', 'ucp-products.idx', 'ucp-products.jsonl'], array_keys($everything));
        $cases = [
            [['ucp'], ['ucp']],
            [['acp', 'openai'], ['openai', 'acp']],
            [['openai', 'openai'], ['openai']],
            [[], []],
            [['ucp', 'acp', 'openai'], ['openai', 'acp', 'ucp']],
        ];
        foreach ($cases as [$files, $written]) {
            // Over a folder holding every kind from a write before: those not listed go.
            self::catalog()->writeProductFeed($dir, $opts);
            $r = self::catalog()->writeProductFeed($dir, $opts + ['files' => $files]);
            $this->assertSame($written, $r['files']);
            $names = [];
            foreach (self::NAMES as $kind => $n) {
                $names = in_array($kind, $written, true) ? [...$names, ...$n] : $names;
            }
            $this->assertSame(array_intersect_key($everything, array_flip($names)), self::files($dir), json_encode($files) . ': the kinds listed, byte for byte as with all three, and nothing else');
            $this->assertSame(in_array('openai', $written, true) ? $all['rows'] : 0, $r['rows'], 'rows are the flat feed\'s');
            $this->assertSame(array_intersect($written, ['acp', 'ucp']) ? $all['products'] : 0, $r['products']);
            $this->assertSame(in_array('openai', $written, true) ? $all['skipped'] : ($written ? ['hidden' => 1] : []), $r['skipped'], 'only the reasons that apply');
        }
        // A kind not written is not looked up from a stale file.
        self::catalog()->writeProductFeed($dir, $opts + ['files' => ['openai']]);
        try {
            ProductFeed::lookup($dir, [1]);
            $this->fail('found UCP products in a folder without them');
        } catch (CatalogException $e) {
            $this->assertSame('io', $e->reason());
        }
        // The same from a snapshot, byte for byte.
        $file = self::$dir . '-kinds.ndjson';
        file_put_contents($file, implode('', array_map([self::class, 'line'], self::products())));
        foreach ([['ucp'], ['openai', 'acp'], []] as $files) {
            $r = $this->assertSameFeed($file, $opts + ['files' => $files], ['currency' => 'EUR']);
            $this->assertSame(6, $r['lines'], 'every line is still read and reported');
        }
        array_map('unlink', [...glob("$dir/*"), $file]);
        rmdir($dir);
    }

    public function testBadFilesAreAClearError(): void
    {
        $dir = self::$dir . '-badkinds';
        self::catalog()->writeProductFeed($dir, self::OPTS);
        $before = self::files($dir);
        $file = self::$dir . '-badkinds.ndjson';
        file_put_contents($file, self::line(['id' => 1, 'name' => 'A', 'status' => 'publish', 'permalink' => 'https://s.test/a', 'image' => 'https://s.test/a.jpg', 'price' => '1']));
        $cases = [
            ['ucp', "option 'files' must be a list"],
            [['ucp', 'xml'], "option 'files' must list 'openai', 'acp' or 'ucp', got 'xml'"],
            [['OpenAI'], "got 'OpenAI'"],
            [[1], 'got the integer 1'],
            [[null], 'got null'],
            [[['ucp']], 'got an array'],
            [[true], 'got true'],
        ];
        foreach ($cases as [$files, $message]) {
            foreach (['catalog', 'snapshot'] as $how) {
                try {
                    $how === 'catalog' ? self::catalog()->writeProductFeed($dir, self::OPTS + ['files' => $files]) : ProductFeed::writeFromSnapshot($file, $dir, self::OPTS + ['files' => $files]);
                    $this->fail("$how accepted " . json_encode($files));
                } catch (CatalogException $e) {
                    $this->assertSame('invalid_argument', $e->reason());
                    $this->assertStringContainsString($message, $e->getMessage(), $how);
                }
                $this->assertSame($before, self::files($dir), 'nothing in the folder changed');
            }
        }
        array_map('unlink', [...glob("$dir/*"), $file]);
        rmdir($dir);
    }

    /** Files of a feed folder, by name (the temporary ones must not be left). */
    private static function files(string $dir): array
    {
        $out = [];
        foreach (scandir($dir) as $f) {
            if ($f !== '.' && $f !== '..') {
                $out[$f] = file_get_contents("$dir/$f");
            }
        }
        ksort($out);
        return $out;
    }

    /** The catalog the plugin builds from a snapshot: json_decode each line, arrays only, addMany in chunks. */
    private static function catalogFrom(string $file, array $catalogOptions): Catalog
    {
        $c = new Catalog($catalogOptions);
        $chunk = [];
        foreach (file($file) as $line) {
            $row = json_decode($line, true);
            if (is_array($row)) {
                $chunk[] = $row;
            }
            if (count($chunk) >= 97) {
                $c->addMany($chunk);
                $chunk = [];
            }
        }
        $c->addMany($chunk);
        return $c;
    }

    /** Asserts writeFromSnapshot writes exactly what writeProductFeed writes for the catalog built from the same file. */
    private function assertSameFeed(string $file, array $opts, array $catalogOptions): array
    {
        $a = self::$dir . '-catalog';
        $b = self::$dir . '-stream';
        $expected = self::catalogFrom($file, $catalogOptions)->writeProductFeed($a, $opts);
        $report = ProductFeed::writeFromSnapshot($file, $b, $opts, $catalogOptions);
        $kinds = $opts['files'] ?? ['openai', 'acp', 'ucp'];
        $names = array_merge(...array_map(static fn ($k) => self::NAMES[$k], array_values(array_intersect(['acp', 'openai', 'ucp'], $kinds))));
        is_dir($b) || mkdir($b);
        $this->assertSame($names, array_keys(self::files($b)));
        $this->assertTrue(self::files($a) === self::files($b), 'the streamed files equal writeProductFeed\'s byte for byte');
        $this->assertSame($expected, array_intersect_key($report, $expected));
        $this->assertSame(array_values(array_intersect(['openai', 'acp', 'ucp'], $kinds)), $report['files']);
        if (in_array('ucp', $kinds, true)) {
            $found = ProductFeed::lookup($b, [2, 1]);
            $this->assertSame(ProductFeed::lookup($a, [2, 1]), $found);
        }
        foreach ([$a, $b] as $d) {
            array_map('unlink', glob("$d/*"));
            @rmdir($d);
        }
        return $report;
    }

    private static function line(array $row): string
    {
        // As the plugin stages rows (CatalogSync::line).
        return json_encode($row, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE) . "\n";
    }

    public function testStreamedFromASnapshotEqualsTheCatalogsFeed(): void
    {
        $v = static fn (int $id, string $price, string $stock, array $attrs, string $regular = '', string $sale = '') => ['id' => $id, 'sku' => "V$id", 'price' => $price, 'regular_price' => $regular !== '' ? $regular : $price, 'sale_price' => $sale, 'stock_status' => $stock, 'stock_quantity' => $stock === 'outofstock' ? 0 : null, 'attributes' => $attrs];
        $rows = [
            ['id' => 1, 'name' => 'Shirt', 'sku' => 'S1', 'type' => 'simple', 'status' => 'publish', 'permalink' => 'https://s.test/shirt', 'image' => 'https://s.test/1.jpg', 'price' => '19.5', 'regular_price' => '25', 'sale_price' => '19.5', 'currency' => 'EUR', 'stock_status' => 'instock', 'stock_quantity' => 4, 'categories' => ['Tops', 'Sale'], 'tags' => ['cotton'], 'attributes' => ['Brand' => ['Acme']], 'variations' => [], 'short_description' => 'Short', 'description' => '<p>Soft <b>cotton</b> &amp; more – «naïve» 😀</p>', 'rating' => 4.5, 'review_count' => 3, 'total_sales' => 9, 'updated_at' => 1700000000],
            // A variable product: one variation on sale, one out of stock, one with no price.
            ['id' => 2, 'name' => 'Boot', 'type' => 'variable', 'status' => 'publish', 'permalink' => 'https://s.test/boot?x=1', 'image' => 'https://s.test/2.jpg', 'price' => '80', 'regular_price' => '', 'sale_price' => '', 'stock_status' => 'instock', 'categories' => ['Shoes'], 'attributes' => ['Size' => ['40', '41', '42'], '42' => ['numeric attribute name']], 'rating' => 0.0, 'variations' => [
                $v(21, '80', 'instock', ['Size' => '40'], '90', '80'),
                $v(22, '95', 'outofstock', ['Size' => '41']),
                $v(23, '', 'instock', ['Size' => '42']),
            ]],
            // A sale scheduled to start later: the sale price is stored, the price is still the regular one.
            ['id' => 3, 'name' => 'Scheduled', 'status' => 'publish', 'permalink' => 'https://s.test/3', 'image' => 'https://s.test/3.jpg', 'price' => '50', 'regular_price' => '50', 'sale_price' => '40', 'stock_status' => 'onbackorder'],
            ['id' => 4, 'name' => 'Hidden', 'status' => 'publish', 'permalink' => 'https://s.test/4', 'image' => 'https://s.test/4.jpg', 'price' => '7'],
            ['id' => 5, 'name' => 'Draft', 'status' => 'draft', 'permalink' => 'https://s.test/5', 'image' => 'https://s.test/5.jpg', 'price' => '7'],
            ['id' => 6, 'name' => 'No image', 'status' => 'publish', 'permalink' => 'https://s.test/6', 'price' => '7'],
            ['id' => 7, 'name' => 'Grouped', 'type' => 'grouped', 'status' => 'publish', 'permalink' => 'https://s.test/7', 'image' => 'https://s.test/7.jpg'],
            ['id' => 8, 'name' => "Bad \xff UTF-8 \x01", 'status' => 'publish', 'permalink' => 'https://s.test/8', 'image' => 'https://s.test/8.jpg', 'price' => 12, 'regular_price' => 12.0, 'stock_quantity' => '3'],
            ['id' => 9, 'name' => ''],
        ];
        $file = self::$dir . '-snapshot.ndjson';
        $text = implode('', array_map([self::class, 'line'], $rows));
        // What json_decode makes of hand-written lines: repeated keys, numeric keys, escapes, -0, big integers, junk.
        $text .= "\n   \n" . '{"id":10,"name":"Caf\u00e9 \"quoted\" \ud83d\ude00","name":"Last name wins","status":"publish","permalink":"https://s.test/10","image":"https://s.test/10.jpg","price":"3","stock_quantity":-0,"rating":4.25,"total_sales":1e2,"attributes":{"0":["zero"],"1":["one"]}}' . "\n";
        $text .= "not json\n" . '{"id":11,"name":"\ud800 unpaired"}' . "\n" . '[1,2]' . "\n" . '"a string"' . "\n";
        $text .= '{"id":12,"name":"Deep","status":"publish","attributes":{"a":[[[[[[[["too deep"]]]]]]]]}}' . "\n";
        $text .= '{"id":14,"name":"Big","review_count":99999999999999999999}' . "\n";
        // Ids seen before: their first place, their last accepted version (the nameless one is refused).
        $text .= self::line(['id' => 1, 'name' => 'Shirt v2', 'status' => 'publish', 'permalink' => 'https://s.test/shirt', 'image' => 'https://s.test/1.jpg', 'price' => '30']);
        $text .= self::line(['id' => 1, 'name' => '', 'status' => 'publish']);
        $text .= '{"id":13,"name":"No newline at the end","status":"publish","permalink":"https://s.test/13","image":"https://s.test/13.jpg","price":"1.005"}';
        file_put_contents($file, $text);
        $opts = self::OPTS + ['exclude_ids' => [4], 'brand_attribute' => 'brand', 'extra' => [21 => ['gtin' => '4006381333931'], 3 => ['mpn' => 'M-3', 'brand' => 'Own']], 'return_policy' => 'https://s.test/refunds', 'seller_url' => 'https://s.test/'];
        foreach ([['currency' => 'EUR'], ['currency' => 'jpy', 'price_decimals' => 0, 'max_description_chars' => 12], null] as $catalogOptions) {
            $r = $this->assertSameFeed($file, $opts, $catalogOptions ?? []);
            $this->assertSame(21, $r['lines']);
        }
        $this->assertSame(8, $r['rejected'], json_encode($r['errors']));
        $this->assertSame([9, 13, 14, 15, 16, 17, 18, 20], array_column($r['errors'], 'line'));
        $this->assertSame([9, null, null, null, null, null, 14, 1], array_column($r['errors'], 'id'));
        $this->assertStringContainsString('expected an integer, got float', $r['errors'][6]['error'], 'an integer past 64 bits is a float, as json_decode makes it');
        $this->assertStringContainsString('not valid JSON', $r['errors'][1]['error']);
        $this->assertStringContainsString('unpaired UTF-16 surrogate', $r['errors'][2]['error']);
        $this->assertStringContainsString('nesting deeper', $r['errors'][5]['error']);
        $this->assertSame(['grouped' => 1, 'hidden' => 1, 'no_image' => 1, 'no_price' => 1, 'not_published' => 1], $r['skipped']);
        $rows = [];
        ProductFeed::writeFromSnapshot($file, self::$dir, $opts);
        $rows = self::rows();
        $this->assertSame('Shirt v2', $rows['1']['title']);
        $this->assertSame('Last name wins', $rows['10']['title']);
        $this->assertSame('out_of_stock', $rows['22']['availability']);
        $this->assertSame('80.00 USD', $rows['21']['sale_price']);
        $this->assertArrayNotHasKey('sale_price', $rows['3'], 'a sale that has not started');
        $this->assertArrayNotHasKey('4', $rows, 'hidden');
        unlink($file);
    }

    public function testAGeneratedStoreStreamsToTheSameFiles(): void
    {
        mt_srand(20);
        $file = self::$dir . '-generated.ndjson';
        $fh = fopen($file, 'w');
        $words = ['blue', 'Hoodie', 'naïve', 'café', '<b>bold</b>', '&amp;', 'line' . "\n" . 'break', '"quoted"', 'emoji 🧦', 'tab' . "\t"];
        $text = static fn (int $n) => implode(' ', array_map(static fn () => $words[mt_rand(0, count($words) - 1)], range(1, $n)));
        $hidden = [];
        for ($id = 1; $id <= 3000; $id++) {
            $regular = mt_rand(0, 9) ? sprintf('%d.%02d', mt_rand(1, 500), mt_rand(0, 99)) : '';
            $sale = $regular !== '' && mt_rand(0, 3) === 0 ? sprintf('%.2f', (float) $regular * 0.8) : '';
            $row = ['id' => $id, 'name' => $text(3), 'sku' => "SKU-$id", 'type' => 'simple', 'status' => mt_rand(0, 20) ? 'publish' : 'private',
                'permalink' => "https://s.test/p/$id", 'price' => $sale !== '' && mt_rand(0, 1) ? $sale : $regular, 'regular_price' => $regular, 'sale_price' => $sale,
                'currency' => 'USD', 'stock_status' => ['instock', 'outofstock', 'onbackorder'][mt_rand(0, 2)], 'stock_quantity' => mt_rand(0, 1) ? mt_rand(-2, 40) : null,
                'categories' => [$text(1)], 'tags' => [], 'attributes' => ['Color' => ['Blue', 'Red']], 'variations' => [],
                'short_description' => $text(5), 'description' => '<p>' . $text(mt_rand(0, 60)) . '</p>', 'rating' => mt_rand(0, 50) / 10, 'review_count' => mt_rand(0, 9), 'total_sales' => 0, 'updated_at' => 1700000000 + $id];
            if (mt_rand(0, 4)) {
                $row['image'] = "https://s.test/i/$id.jpg";
            }
            if (mt_rand(0, 3) === 0) {
                $row['type'] = 'variable';
                foreach (['Blue', 'Red'] as $k => $c) {
                    $p = sprintf('%d.%02d', mt_rand(1, 99), mt_rand(0, 99));
                    $row['variations'][] = ['id' => 100000 + $id * 10 + $k, 'sku' => '', 'price' => $p, 'regular_price' => $p, 'sale_price' => '', 'stock_status' => mt_rand(0, 2) ? 'instock' : 'outofstock', 'stock_quantity' => null, 'attributes' => ['Color' => $c]];
                }
            }
            if (mt_rand(0, 15) === 0) {
                $hidden[] = $id;
            }
            fwrite($fh, self::line($row));
        }
        fclose($fh);
        $r = $this->assertSameFeed($file, self::OPTS + ['exclude_ids' => $hidden], ['currency' => 'USD']);
        $this->assertSame(3000, $r['lines']);
        $this->assertSame(0, $r['rejected']);
        $this->assertGreaterThan(2000, $r['rows']);
        unlink($file);
    }

    public function testWriteFromSnapshotBadInput(): void
    {
        $file = self::$dir . '-small.ndjson';
        is_dir(self::$dir) || mkdir(self::$dir, 0755, true);
        file_put_contents($file, self::line(['id' => 1, 'name' => 'A', 'status' => 'publish', 'permalink' => 'https://s.test/a', 'image' => 'https://s.test/a.jpg', 'price' => '1']));
        $dir = self::$dir . '-small';
        ProductFeed::writeFromSnapshot($file, $dir, self::OPTS);
        $before = self::files($dir);
        $cases = [
            [[$file, $dir, []], 'invalid_argument', "'seller_name' is required"],
            [[$file, $dir, self::OPTS, ['currency' => 'EURO']], 'invalid_argument', 'currency'],
            [[$file, $dir, self::OPTS, ['nope' => 1]], 'invalid_argument', "unknown option 'nope'"],
            [['', $dir, self::OPTS], 'invalid_argument', 'must not be empty'],
            [[$file . '.missing', $dir, self::OPTS], 'io', '.missing'],
            [[self::$dir, $dir, self::OPTS], 'invalid_argument', 'is a directory'],
            [[$file, $file, self::OPTS], 'io', ''],
        ];
        foreach ($cases as [$args, $reason, $message]) {
            try {
                ProductFeed::writeFromSnapshot(...$args);
                $this->fail('accepted ' . json_encode($args));
            } catch (CatalogException $e) {
                $this->assertSame($reason, $e->reason(), $e->getMessage());
                $this->assertStringContainsString($message, $e->getMessage());
            }
            $this->assertSame($before, self::files($dir), 'nothing in the folder changed');
        }
        array_map('unlink', [...glob("$dir/*"), $file]);
        rmdir($dir);
    }
}
