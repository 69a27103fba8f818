<?php
declare(strict_types=1);

use Aisle\Catalog;
use Aisle\CatalogException;
use PHPUnit\Framework\TestCase;

final class CatalogTest extends TestCase
{
    private static function doc(array $product, array $options = []): array
    {
        $c = new Catalog($options);
        $accepted = $c->addMany([$product + ['id' => 1, 'name' => 'Thing']]);
        if ($accepted !== 1) {
            throw new RuntimeException('rejected: ' . json_encode($c->errors()));
        }
        return json_decode($c->toNdjson(), true, 512, JSON_THROW_ON_ERROR);
    }

    private static function text(string $html, array $options = []): string
    {
        return self::doc(['description' => $html], $options)['text'];
    }

    private static function rejection(array $product): string
    {
        $c = new Catalog();
        self::assertSame(0, $c->addMany([$product]));
        $errors = $c->errors();
        self::assertCount(1, $errors);
        return $errors[0]['error'];
    }

    public static function normalization(): array
    {
        return [
            'tags dropped' => ['<b>Soft</b> <em>cotton</em>', 'Soft cotton'],
            'inline tags join' => ['foo<span>bar</span>', 'foobar'],
            'block tags break lines' => ['<p>One</p><p>Two</p><ul><li>a</li><li>b</li></ul>x<br>y', "One\nTwo\na\nb\nx\ny"],
            'script and style content dropped' => ['a<script type="x">if (a < b) { x("</p>"); }</script>b<STYLE>p{}</STYLE>c', 'abc'],
            'comments dropped' => ['a<!-- <p>hidden</p> -->b<!-- unclosed', 'ab'],
            'named entities' => ['Caf&eacute; &amp; th&eacute; &ndash; 5&nbsp;kg &copy;', 'Café & thé – 5 kg ©'],
            'numeric entities' => ['&#8364;10 &#x1F600; &#X41;', '€10 😀 A'],
            'invalid numeric entities' => ['&#0; &#xD800; &#x110000;', "\u{FFFD} \u{FFFD} \u{FFFD}"],
            'unknown entity kept' => ['&bogus; & &amp', '&bogus; & &amp'],
            'encoded tags stay text' => ['&lt;b&gt;bold&lt;/b&gt;', '<b>bold</b>'],
            'whitespace collapsed' => ["  a \t\r\n\n  b\u{A0}\u{A0}c\u{200B}  ", "a\nb c"],
            'shortcodes removed' => ['[gallery ids="1,2"]Hi [caption id="x"]there[/caption] [contact-form-7 id="5"]', 'Hi there'],
            'brackets that are not shortcodes' => ['Size [M] or [1] or [Big]', 'Size [M] or [1] or [Big]'],
            'stray angle bracket' => ['3 < 5 and 7 > 2', '3 < 5 and 7 > 2'],
            'doctype and processing instructions' => ['<!DOCTYPE html><?xml x?>ok', 'ok'],
        ];
    }

    /** @dataProvider normalization */
    public function testNormalizationRule(string $html, string $expected): void
    {
        $this->assertSame($expected, self::text($html));
    }

    public function testTruncatesAtWordBoundary(): void
    {
        $this->assertSame('alpha beta', self::text('alpha beta gamma', ['max_description_chars' => 13]));
        $this->assertSame('alpha beta', self::text('alpha beta gamma', ['max_description_chars' => 10]));
        $this->assertSame('unbr', self::text('unbreakable', ['max_description_chars' => 4]));
        $this->assertSame('ααα', self::text('ααα βββ', ['max_description_chars' => 5]), 'counts characters, not bytes');
        $c = new Catalog(['max_description_chars' => 10]);
        $c->addMany([['id' => 1, 'name' => 'x', 'description' => str_repeat('word ', 100)]]);
        $this->assertSame(1, $c->stats()['truncated']);
        $this->assertSame(2000, mb_strlen(self::text(str_repeat('abcd ', 1000))) + 1, 'default is 2000 characters');
    }

    public function testShortAndLongDescriptionsAreJoined(): void
    {
        $this->assertSame("Short.\nLong.", self::doc(['short_description' => '<p>Short.</p>', 'description' => 'Long.'])['text']);
    }

    public function testInvalidUtf8IsRepairedAndCounted(): void
    {
        $c = new Catalog();
        $c->addMany([['id' => 1, 'name' => "Caf\xE9", 'description' => "ok \xFF\xFE and \xE2\x82 end"]]);
        $doc = json_decode($c->toNdjson(), true);
        $this->assertSame("Caf\u{FFFD}", $doc['name']);
        $this->assertSame("ok \u{FFFD}\u{FFFD} and \u{FFFD} end", $doc['text']);
        $this->assertSame(4, $c->stats()['utf8_repairs']);
    }

    public function testPricesAreDecimalStrings(): void
    {
        $d = self::doc(['regular_price' => 20, 'sale_price' => '15.5', 'price' => null]);
        $this->assertSame(['20.00', '15.50', '15.50', true], [$d['regular_price'], $d['sale_price'], $d['price'], $d['on_sale']]);
        $d = self::doc(['regular_price' => 19.995, 'sale_price' => '']);
        $this->assertSame(['20.00', null, '20.00', false], [$d['regular_price'], $d['sale_price'], $d['price'], $d['on_sale']]);
        $d = self::doc(['regular_price' => '10', 'sale_price' => '12']);
        $this->assertFalse($d['on_sale'], 'a sale price above the regular one is not a sale');
        $d = self::doc(['price' => '1234.5678'], ['price_decimals' => 3, 'currency' => 'kwd']);
        $this->assertSame(['1234.568', 'KWD'], [$d['price'], $d['currency']]);
        $this->assertSame('0', self::doc(['price' => 0.4], ['price_decimals' => 0])['price']);
        $this->assertSame('EUR', self::doc(['currency' => 'eur'])['currency']);
    }

    public function testDocumentShape(): void
    {
        $d = self::doc([
            'sku' => ' AB-1 ', 'permalink' => 'https://s.example/p/1/', 'categories' => ['Home &amp; Garden', ''], 'tags' => [7 => 'eco'],
            'attributes' => ['Size' => ['S', 'M'], 'Color' => 'Blue'], 'stock_status' => 'outofstock', 'stock_quantity' => '0',
            'rating' => 4.25, 'review_count' => '12', 'updated_at' => '2024-05-01T10:00:00+02:00',
            'variations' => [['id' => 11, 'sku' => 'AB-1-S', 'regular_price' => '5', 'attributes' => ['Size' => 'S']]],
        ]);
        $this->assertSame(['id', 'name', 'sku', 'type', 'status', 'url', 'price', 'regular_price', 'sale_price', 'currency', 'on_sale', 'stock_status', 'stock_quantity', 'categories', 'tags', 'attributes', 'variations', 'text', 'image', 'rating', 'review_count', 'updated_at', 'hash'], array_keys($d));
        $this->assertSame('AB-1', $d['sku']);
        $this->assertSame(['Home & Garden'], $d['categories']);
        $this->assertSame(['eco'], $d['tags']);
        $this->assertSame(['Color' => ['Blue'], 'Size' => ['S', 'M']], $d['attributes'], 'attributes sorted by name');
        $this->assertSame(0, $d['stock_quantity']);
        $this->assertSame('4.25', $d['rating']);
        $this->assertSame(12, $d['review_count']);
        $this->assertSame(1714550400, $d['updated_at']);
        $this->assertSame(['id' => 11, 'sku' => 'AB-1-S', 'price' => '5.00', 'regular_price' => '5.00', 'sale_price' => null, 'on_sale' => false, 'stock_status' => 'instock', 'stock_quantity' => null, 'attributes' => ['Size' => 'S']], $d['variations'][0]);
        $this->assertMatchesRegularExpression('/^[0-9a-f]{32}$/', $d['hash']);
    }

    public function testHashIgnoresKeyOrderAndSeesEveryVisibleChange(): void
    {
        $base = ['id' => 5, 'name' => 'Mug', 'sku' => 'M-1', 'price' => '9.50', 'categories' => ['Kitchen'], 'attributes' => ['Color' => ['Red'], 'Size' => ['L']], 'description' => '<p>Nice</p>', 'stock_status' => 'instock'];
        $hash = static function (array $p): string {
            $c = new Catalog();
            self::assertSame(1, $c->addMany([$p]));
            return $c->hashes()[5];
        };
        $h = $hash($base);
        $this->assertSame($h, $hash(array_reverse($base, true)));
        $this->assertSame($h, $hash(['attributes' => ['Size' => ['L'], 'Color' => ['Red']]] + $base));
        $this->assertSame($h, $hash(['price' => 9.5, 'id' => '5', 'description' => '<div>Nice</div>  '] + $base), 'same normalized document');
        foreach (['name' => 'Cup', 'sku' => 'M-2', 'price' => '9.51', 'categories' => ['Home'], 'attributes' => ['Color' => ['Blue']], 'description' => 'Nicer', 'stock_status' => 'outofstock', 'image' => 'https://x/y.jpg'] as $k => $v) {
            $this->assertNotSame($h, $hash([$k => $v] + $base), "changing $k changes the hash");
        }
        $this->assertSame($h, $hash(['total_sales' => 99] + $base), 'total_sales is not part of the document');
    }

    public function testHashesAndDiff(): void
    {
        $c = new Catalog();
        $c->addMany([['id' => 1, 'name' => 'A'], ['id' => 2, 'name' => 'B'], ['id' => 3, 'name' => 'C']]);
        $previous = $c->hashes();
        $this->assertSame([1, 2, 3], array_keys($previous));
        $next = new Catalog();
        $next->addMany([['id' => 1, 'name' => 'A'], ['id' => 2, 'name' => 'B2'], ['id' => 4, 'name' => 'D']]);
        $this->assertSame(['changed' => [2, 4], 'deleted' => [3], 'unchanged' => 1], $next->diff($previous));
        $this->assertSame(['changed' => [], 'deleted' => [], 'unchanged' => 3], $c->diff($previous));
        $this->assertSame(['changed' => [1, 2, 3], 'deleted' => [], 'unchanged' => 0], $c->diff([]));
        $this->assertSame('invalid_argument', $this->reasonOf(fn () => $c->diff(['x' => 'abc'])));
    }

    public function testLaterProductReplacesSameId(): void
    {
        $c = new Catalog();
        $this->assertSame(2, $c->addMany([['id' => 1, 'name' => 'Old'], ['id' => '1', 'name' => 'New']]));
        $this->assertSame(1, $c->count());
        $this->assertSame('New', json_decode($c->toNdjson(), true)['name']);
    }

    /** addMany reads PHP arrays' storage directly: holes, deleted keys, references and int keys. */
    public function testArraysWithHolesReferencesAndIntKeys(): void
    {
        $cats = ['Shoes', 'Gone', 'Boots'];
        unset($cats[1]);                                   // packed array with a hole
        $attrs = ['Color' => ['Red'], 'Tmp' => ['x'], 'Size' => ['42']];
        unset($attrs['Tmp']);                              // hash with a deleted slot
        $color = 'Blue';
        $attrs['Color'][] = &$color;                       // a reference
        $tags = [10 => 'sale', 3 => 'new'];                // int keys, not a list
        $product = ['id' => 5, 'name' => 'Boot', 'categories' => $cats, 'attributes' => $attrs, 'tags' => $tags];
        $c = new Catalog();
        $this->assertSame(1, $c->addMany([7 => $product]));
        $doc = json_decode($c->toNdjson(), true);
        $this->assertSame(['Shoes', 'Boots'], $doc['categories']);
        $this->assertSame(['Color' => ['Red', 'Blue'], 'Size' => ['42']], $doc['attributes']);
        $this->assertSame(['sale', 'new'], $doc['tags']);
        $this->assertSame($c->hashes(), (function () use ($product) {
            $d = new Catalog();
            $d->addMany([['id' => 5, 'name' => 'Boot', 'categories' => ['Shoes', 'Boots'],
                'attributes' => ['Color' => ['Red', 'Blue'], 'Size' => ['42']], 'tags' => ['sale', 'new']]]);
            return $d->hashes();
        })());
    }

    /** toNdjson() returns the catalog's own storage by reference: check the sharing is safe. */
    public function testNdjsonStringIsSharedSafely(): void
    {
        $c = new Catalog();
        $this->assertSame('', $c->toNdjson());
        $c->addMany([['id' => 1, 'name' => 'Mug'], ['id' => 2, 'name' => 'Cup']]);
        $first = $c->toNdjson();
        $this->assertSame($first, $c->toNdjson());
        $copy = $first;
        $copy[2] = 'X';            // the engine separates before writing
        $copy .= "tail";
        $this->assertSame($first, $c->toNdjson());
        $c->addMany([['id' => 2, 'name' => 'Pot'], ['id' => 3, 'name' => 'Pan']]);
        $second = $c->toNdjson();
        $this->assertSame(['Mug', 'Pot', 'Pan'], array_map(fn ($l) => json_decode($l, true)['name'], explode("\n", trim($second))));
        $this->assertSame(2, substr_count($first, "\n"));  // the earlier string is untouched
        $this->assertSame($second, implode('', $c->batches(1 << 20)));
        unset($c);                  // the caller's strings outlive the catalog
        $this->assertSame(3, substr_count($second, "\n"));
        $second .= "x";
        $this->assertStringEndsWith("}\nx", $second);
    }

    public function testBatches(): void
    {
        $c = new Catalog();
        $products = [];
        for ($i = 1; $i <= 50; $i++) {
            $products[] = ['id' => $i, 'name' => "Product $i", 'description' => str_repeat('x', $i * 10)];
        }
        $products[] = ['id' => 999, 'name' => 'Huge', 'description' => str_repeat('word ', 300)];
        $c->addMany($products);
        $batches = $c->batches(1000);
        $lines = [];
        foreach ($batches as $b) {
            $this->assertLessThanOrEqual(1000, strlen($b));
            $this->assertStringEndsWith("\n", $b);
            array_push($lines, ...explode("\n", rtrim($b, "\n")));
        }
        $all = explode("\n", rtrim($c->toNdjson(), "\n"));
        $this->assertSame(array_values(array_filter($all, fn ($l) => !str_contains($l, '"id":999,'))), $lines, 'no product split or lost');
        $this->assertSame([['id' => 999, 'error' => $c->errors()[0]['error']]], $c->errors());
        $this->assertStringContainsString('larger than maxBytes', $c->errors()[0]['error']);
        $this->assertCount(1, $c->batches(1 << 20));
        $this->assertSame([], $c->errors(), 'errors of the previous batches() call are replaced');
        $this->assertSame('invalid_argument', $this->reasonOf(fn () => $c->batches(0)));
    }

    private function reasonOf(callable $fn): string
    {
        try {
            $fn();
        } catch (CatalogException $e) {
            $this->assertNotSame('', $e->getMessage());
            return $e->reason();
        }
        $this->fail('expected a CatalogException');
    }

    public function testBadOptions(): void
    {
        foreach ([['currency' => 'EURO'], ['price_decimals' => 7], ['max_description_chars' => -1], ['colour' => 'red'], ['currency' => 5], ['threads' => -1], ['threads' => 65], ['threads' => '2']] as $opts) {
            $this->assertSame('invalid_argument', $this->reasonOf(fn () => new Catalog($opts)), json_encode($opts));
        }
        $this->assertSame(0, (new Catalog())->count());
        $this->assertSame(0, (new Catalog(null))->count());
    }

    public static function rejections(): array
    {
        $deep = ['x'];
        for ($i = 0; $i < 8; $i++) {
            $deep = [$deep];
        }
        return [
            'missing id' => [['name' => 'x'], 'missing id'],
            'invalid id' => [['id' => 'abc', 'name' => 'x'], 'invalid id'],
            'zero id' => [['id' => 0, 'name' => 'x'], 'invalid id'],
            'float id' => [['id' => 1.5, 'name' => 'x'], 'invalid id'],
            'missing name' => [['id' => 1], 'missing name'],
            'empty name' => [['id' => 1, 'name' => ' <b></b> '], 'missing name'],
            'wrong type price' => [['id' => 1, 'name' => 'x', 'price' => ['1']], "wrong type for 'price'"],
            'bad price text' => [['id' => 1, 'name' => 'x', 'price' => '12,50'], "invalid 'price'"],
            'negative price' => [['id' => 1, 'name' => 'x', 'regular_price' => -1], 'negative'],
            'absurd price' => [['id' => 1, 'name' => 'x', 'price' => '1e308'], "invalid 'price'"],
            'wrong type categories' => [['id' => 1, 'name' => 'x', 'categories' => 'Shoes'], "wrong type for 'categories'"],
            'nested category' => [['id' => 1, 'name' => 'x', 'categories' => [['Shoes']]], "wrong type for 'categories'"],
            'wrong type stock_quantity' => [['id' => 1, 'name' => 'x', 'stock_quantity' => 'many'], "invalid 'stock_quantity'"],
            'bad currency' => [['id' => 1, 'name' => 'x', 'currency' => 'Euro'], 'invalid currency'],
            'bad rating' => [['id' => 1, 'name' => 'x', 'rating' => 7], "invalid 'rating'"],
            'bad date' => [['id' => 1, 'name' => 'x', 'updated_at' => 'yesterday'], "invalid 'updated_at'"],
            'object value' => [['id' => 1, 'name' => 'x', 'meta' => new stdClass()], 'unsupported value of type object'],
            'too deep' => [['id' => 1, 'name' => 'x', 'meta' => $deep], 'nesting deeper than 8'],
            'string over 1 MiB' => [['id' => 1, 'name' => 'x', 'description' => str_repeat('a', (1 << 20) + 1)], 'the limit is 1 MiB'],
            'too many variations' => [['id' => 1, 'name' => 'x', 'variations' => array_fill(0, 1001, ['id' => 2])], 'more than 1000'],
            'variation without id' => [['id' => 1, 'name' => 'x', 'variations' => [['sku' => 'a']]], 'variation: missing id'],
            'bad variation price' => [['id' => 1, 'name' => 'x', 'variations' => [['id' => 2, 'price' => 'cheap']]], 'variation 2:'],
            'list instead of product' => [['a', 'b'], 'a product must be an array with string keys'],
        ];
    }

    /** @dataProvider rejections */
    public function testRejection(mixed $product, string $expected): void
    {
        $this->assertStringContainsString($expected, self::rejection($product));
    }

    public function testRejectionsKeepTheIdAndNeverStopTheOthers(): void
    {
        $c = new Catalog();
        $n = $c->addMany([['id' => 1, 'name' => 'ok'], 'not an array', ['id' => 2, 'price' => 'x'], ['id' => '77', 'name' => 'x', 'd' => [[[[[[[[[1]]]]]]]]]], ['id' => 3, 'name' => 'ok']]);
        $this->assertSame(2, $n);
        $this->assertSame(2, $c->count());
        $this->assertSame([null, 2, 77], array_column($c->errors(), 'id'));
        $this->assertSame(3, $c->stats()['rejected']);
    }

    /** addMany splits large calls over threads; nothing but the time may differ. */
    public function testThreadsChangeNothingButSpeed(): void
    {
        require_once dirname(__DIR__) . '/bench/catalog_generator.php';
        $products = aisle_generate_catalog(600, 7);
        $products[] = $products[10];                    // same id again: replaces in place
        $products[] = ['id' => 5, 'name' => 'Replaced'];
        $products[] = 'not an array';
        $products[] = ['id' => 99997, 'name' => 'x', 'o' => new stdClass()];
        $products[] = ['id' => 99998, 'name' => 'deep', 'd' => [[[[[[[[[1]]]]]]]]]];
        $ref = &$products[3];                           // a PHP reference in the list
        $run = static function (int $threads) use ($products): array {
            $c = new Catalog(['threads' => $threads]);
            $accepted = $c->addMany($products);
            return [$accepted, $c->toNdjson(), $c->errors(), $c->stats(), $c->hashes()];
        };
        $one = $run(1);
        $this->assertSame(602, $one[0]);
        $this->assertSame(600, $one[3]['products']);
        $this->assertSame([null, 99997, 99998], array_column($one[2], 'id'));
        $this->assertStringContainsString('"name":"Replaced"', $one[1]);
        foreach ([0, 2, 3, 4] as $threads) {
            $this->assertSame($one, $run($threads), "$threads threads");
        }
    }

    public function testWrongArgumentTypesAreTypeErrors(): void
    {
        $this->expectException(TypeError::class);
        (new Catalog())->addMany('nope');
    }

    /** Property-style: random nested arrays, scalars and bytes never crash PHP. */
    public function testRandomInputNeverCrashes(): void
    {
        mt_srand(1234);
        $keys = ['id', 'name', 'sku', 'price', 'regular_price', 'sale_price', 'categories', 'tags', 'attributes', 'variations', 'description', 'short_description', 'stock_quantity', 'updated_at', 'rating', 'currency', 'image', 'x'];
        // Seeded, so a failure reproduces.
        $bytes = static function (int $n): string {
            $s = '';
            for ($i = 0; $i < $n; $i++) {
                $s .= chr(mt_rand(0, 255));
            }
            return $s;
        };
        $random = function (int $depth) use (&$random, $keys, $bytes) {
            switch (mt_rand(0, $depth > 9 ? 6 : 9)) {
                case 0: return null;
                case 1: return (bool) mt_rand(0, 1);
                case 2: return mt_rand(PHP_INT_MIN, PHP_INT_MAX);
                case 3: return [NAN, INF, -0.0, 1e300, mt_rand() / 7][mt_rand(0, 4)];
                case 4: return $bytes(mt_rand(0, 40));
                case 5: return ['<p>', '&#x', '[a b', "\xF0\x9F", '<!--', '<script>', '&amp;', '-1', '1.5', '2024-01-01'][mt_rand(0, 9)] . $bytes(mt_rand(0, 3));
                case 6: return (string) mt_rand(-5, 100000);
                default:
                    $a = [];
                    for ($i = mt_rand(0, 5); $i > 0; $i--) {
                        $k = mt_rand(0, 2) ? $keys[mt_rand(0, count($keys) - 1)] : mt_rand(0, 3);
                        $a[$k] = $random($depth + 1);
                    }
                    return $a;
            }
        };
        $accepted = 0;
        for ($i = 0; $i < 3000; $i++) {
            $c = new Catalog();
            $p = $random(0);
            if (is_array($p) && mt_rand(0, 1)) {
                $p += ['id' => mt_rand(1, 9), 'name' => $bytes(3)];
            }
            $accepted += $c->addMany([$p]);
            $this->assertSame($c->count() + count($c->errors()), 1);
            $json = $c->toNdjson();
            if ($json !== '') {
                $this->assertIsArray(json_decode($json, true, 512, JSON_THROW_ON_ERROR));
            }
            foreach ($c->errors() as $e) {
                $this->assertTrue(mb_check_encoding($e['error'], 'UTF-8'));
            }
        }
        $this->assertGreaterThan(100, $accepted, 'the generator also produces valid products');
    }
    /**
     * The catalog the plugin built before addSnapshot: json_decode each line, arrays only, addMany
     * in chunks; and how many adds it accepted.
     *
     * @return array{Catalog, int}
     */
    private static function decodedInPhp(string $file, array $options): array
    {
        $c = new Catalog($options);
        $chunk = [];
        $accepted = 0;
        foreach (file($file) as $line) {
            $row = json_decode($line, true);
            if (is_array($row)) {
                $chunk[] = $row;
            }
            if (count($chunk) >= 97) {
                $accepted += $c->addMany($chunk);
                $chunk = [];
            }
        }
        return [$c, $accepted + $c->addMany($chunk)];
    }

    private static function snapshotLine(array $row): string
    {
        return json_encode($row, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_INVALID_UTF8_SUBSTITUTE) . "\n";
    }

    public function testAddSnapshotBuildsTheCatalogPhpWouldBuild(): void
    {
        mt_srand(7);
        $file = sys_get_temp_dir() . '/aisle-snapshot-' . getmypid() . '.ndjson';
        $words = ['blue', 'Hoodie', 'naïve', 'café', '<b>bold</b>', '&amp;', "line\nbreak", '"quoted"', 'emoji 🧦', "tab\t", "\u{2028}"];
        $text = static fn (int $n) => implode(' ', array_map(static fn () => $words[mt_rand(0, count($words) - 1)], range(1, $n)));
        $out = '';
        for ($id = 1; $id <= 2500; $id++) {
            $row = ['id' => $id, 'name' => $text(3), 'sku' => "SKU-$id", 'price' => sprintf('%d.%02d', mt_rand(1, 500), mt_rand(0, 99)), 'stock_quantity' => mt_rand(0, 1) ? mt_rand(-2, 40) : null,
                'categories' => [$text(1)], 'attributes' => ['Color' => ['Blue', 'Red']], 'description' => '<p>' . $text(mt_rand(0, 80)) . '</p>', 'rating' => mt_rand(0, 50) / 10];
            if (mt_rand(0, 3) === 0) {
                $row['variations'] = [['id' => 100000 + $id, 'price' => '9.5', 'attributes' => ['Color' => 'Blue']]];
            }
            $out .= self::snapshotLine($row);
        }
        // What json_decode makes of hand-written lines: repeated keys, numeric keys, escapes, -0,
        // integers past 64 bits, CRLF, blank lines; and lines that are no product at all.
        $out .= "\n   \n" . '{"id":3000,"name":"Caf\u00e9 \"q\" \ud83d\ude00","name":"Last wins","price":"3","stock_quantity":-0,"total_sales":1e2,"attributes":{"0":["zero"],"1":["one"]}}' . "\r\n";
        $out .= "not json\n" . '{"id":3001,"name":"\ud800 unpaired"}' . "\n[1,2]\n\"a string\"\nnull\n";
        $out .= '{"id":3002,"name":"Deep","attributes":{"a":[[[[[[[["too deep"]]]]]]]]}}' . "\n" . '{"id":3003,"name":"Big","review_count":99999999999999999999}' . "\n";
        $out .= self::snapshotLine(['id' => 5, 'name' => 'Replaced later in the file', 'price' => '1']) . self::snapshotLine(['id' => 6, 'name' => '']);
        $out .= '{"id":3004,"name":"No newline at the end","price":"1.005"}';
        file_put_contents($file, $out);
        foreach ([['currency' => 'EUR'], ['currency' => 'jpy', 'price_decimals' => 0, 'max_description_chars' => 12, 'threads' => 1], []] as $options) {
            [$php, $phpAccepted] = self::decodedInPhp($file, $options);
            $c = new Catalog($options);
            $this->assertSame($phpAccepted, $c->addSnapshot($file), 'as many adds accepted (a repeated id counts twice)');
            $this->assertSame($php->count(), $c->count());
            $this->assertSame($php->hashes(), $c->hashes(), 'the same products, normalized the same');
            $this->assertTrue($php->toNdjson() === $c->toNdjson(), 'the same documents in the same order');
            // What PHP refused is refused here too, in the same words; besides, the lines
            // json_decode drops: two that are not JSON (by line number), a string and a null.
            $onlyHere = static fn (array $e) => str_starts_with($e['error'], 'line ') || in_array($e['error'], ['a product must be an array with string keys, got string', 'a product must be an array with string keys, got null'], true);
            $this->assertSame($php->errors(), array_values(array_filter($c->errors(), static fn ($e) => !$onlyHere($e))));
            $here = array_values(array_filter($c->errors(), $onlyHere));
            $this->assertCount(4, $here, json_encode($c->errors()));
        }
        $this->assertSame(['id' => null, 'error' => 'line 2504: not valid JSON: unknown literal at byte 0'], $here[0]);
        $this->assertSame(3001, $here[1]['id'], 'a line that is not JSON still names the id it starts with');
        $this->assertStringStartsWith('line 2505: not valid JSON: unpaired UTF-16 surrogate', $here[1]['error']);
        $this->assertContains(['id' => 3002, 'error' => 'nesting deeper than 8 levels'], $c->errors());
        $this->assertSame('Replaced later in the file', json_decode(explode("\n", $c->toNdjson())[4], true)['name']);
        unlink($file);
    }

    public function testAddSnapshotBadInputChangesNothing(): void
    {
        $c = new Catalog();
        $c->addMany([['id' => 1, 'name' => 'Kept']]);
        $before = $c->hashes();
        $cases = [
            ['', 'invalid_argument', 'must not be empty'],
            [sys_get_temp_dir() . '/aisle-no-such-snapshot', 'io', 'aisle-no-such-snapshot'],
            [sys_get_temp_dir(), 'invalid_argument', 'is a directory'],
            ['/dev/zero', 'invalid_argument', 'not a regular file'],
        ];
        foreach ($cases as [$file, $reason, $message]) {
            try {
                $c->addSnapshot($file);
                $this->fail("accepted $file");
            } catch (CatalogException $e) {
                $this->assertSame($reason, $e->reason(), $e->getMessage());
                $this->assertStringContainsString($message, $e->getMessage());
            }
            $this->assertSame($before, $c->hashes());
        }
        $this->assertSame([], $c->errors());
    }
}
