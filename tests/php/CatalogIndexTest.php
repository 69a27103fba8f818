<?php
declare(strict_types=1);

use Aisle\Catalog;
use Aisle\CatalogException;
use Aisle\CatalogIndex;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__) . '/bench/catalog_generator.php';

final class CatalogIndexTest extends TestCase
{
    private static string $dir;

    public static function setUpBeforeClass(): void
    {
        self::$dir = sys_get_temp_dir() . '/aisle-index-' . getmypid() . '-' . bin2hex(random_bytes(4));
        $c = new Catalog();
        $c->addMany(array_merge(aisle_generate_catalog(300, 5, 1000), [
            ['id' => 1, 'name' => 'Blue Cotton Shirt', 'sku' => 'SH-BLUE-1', 'price' => '25.00', 'categories' => ['Clothing'], 'description' => 'A soft shirt for summer.'],
            ['id' => 2, 'name' => 'Red Leather Wallet', 'sku' => 'WAL-2', 'price' => '40', 'categories' => ['Accessories'], 'stock_status' => 'outofstock'],
            ['id' => 3, 'name' => 'قميص أزرق', 'price' => '30', 'categories' => ['ملابس']],
            ['id' => 4, 'name' => 'Тёплый шарф', 'price' => '15', 'categories' => ['Аксессуары']],
            ['id' => 5, 'name' => 'Crème brûlée set', 'price' => '12'],
            ['id' => 6, 'name' => '绿茶礼盒', 'price' => '88'],
            ['id' => 7, 'name' => 'Shirt', 'sku' => 'sh-blue-1-x', 'price' => '5', 'description' => 'shirt shirt shirt shirt'],
        ]));
        $c->writeIndex(self::$dir);
    }

    public static function tearDownAfterClass(): void
    {
        foreach (array_merge([self::$dir], glob(self::$dir . '-shop-*') ?: []) as $dir) {
            exec('rm -rf ' . escapeshellarg($dir));
        }
    }

    private static function ids(string $q, array $filters = [], int $limit = 5): array
    {
        return array_column(CatalogIndex::open(self::$dir)->search($q, $limit, $filters), 'id');
    }

    public function testResultShape(): void
    {
        $hits = CatalogIndex::open(self::$dir)->search('red leather wallet');
        $this->assertSame(2, $hits[0]['id']);
        $this->assertSame(['id', 'score', 'name', 'price', 'url', 'in_stock', 'image'], array_keys($hits[0]));
        $this->assertSame(['Red Leather Wallet', '40.00', false], [$hits[0]['name'], $hits[0]['price'], $hits[0]['in_stock']]);
        $this->assertIsFloat($hits[0]['score']);
        $this->assertSame(307, CatalogIndex::open(self::$dir)->count());
    }

    public function testNameAndSku(): void
    {
        $this->assertSame(1, self::ids('blue cotton shirt')[0]);
        $this->assertSame(7, self::ids('shirt')[0], 'an exact name match ranks first');
        $this->assertSame(1, self::ids('SH-BLUE-1')[0], 'an exact SKU ranks first');
        $this->assertSame(1, self::ids('  sh-blue-1 ')[0], 'SKU match ignores case and padding');
        $this->assertSame(1000, self::ids('SKU-001000')[0] ?? null);
        $this->assertSame(1, self::ids('SH-BLUE-١')[0], 'Arabic-Indic digits in a SKU');
        $this->assertSame(1, self::ids('عندكم sh-blue-۱؟')[0], 'a SKU with Persian digits among Arabic words');
    }

    public function testOneTypoInLongWords(): void
    {
        // The wallet is out of stock: asked for, so in-stock wallets do not go first.
        $this->assertSame(2, self::ids('red lether walet', ['in_stock' => false])[0]);
        $this->assertSame(1, self::ids('blue cottn shirt')[0]);
        $this->assertContains(2, self::ids('walet', [], 100));
        $this->assertNotContains(2, self::ids('wlt', [], 100), 'short words need an exact match');
        $this->assertNotContains(2, self::ids('wxllxt', [], 100), 'two typos are not forgiven');
    }

    public function testFilters(): void
    {
        $this->assertSame(2, self::ids('red leather wallet')[0]);
        $this->assertNotContains(2, self::ids('red leather wallet', ['in_stock' => true], 100));
        $this->assertSame([2], self::ids('red leather wallet', ['in_stock' => false, 'category' => 'accessories'], 1));
        $this->assertSame([], self::ids('shirt', ['category' => 'Accessories', 'price_max' => 10]));
        foreach (CatalogIndex::open(self::$dir)->search('shirt', 50, ['price_min' => 10, 'price_max' => '26']) as $hit) {
            $this->assertGreaterThanOrEqual(10, (float) $hit['price']);
            $this->assertLessThanOrEqual(26, (float) $hit['price']);
        }
        $this->assertContains(1, self::ids('shirt', ['price_min' => 10, 'price_max' => '26']));
        $this->assertNotContains(7, self::ids('shirt', ['price_min' => 10]));
        $this->assertSame(['invalid_argument', 'invalid_argument', 'invalid_argument'], [
            $this->reasonOf(fn () => self::ids('x', ['colour' => 'red'])),
            $this->reasonOf(fn () => self::ids('x', ['price_min' => 'cheap'])),
            $this->reasonOf(fn () => self::ids('x', ['in_stock' => 'yes'])),
        ]);
    }

    public function testNonLatinText(): void
    {
        $this->assertSame(3, self::ids('أزرق')[0]);
        $this->assertSame(3, self::ids('قَمِيص')[0], 'Arabic diacritics are ignored');
        $this->assertSame(4, self::ids('шарф')[0]);
        $this->assertSame(4, self::ids('ТЁПЛЫЙ')[0]);
        $this->assertSame(5, self::ids('creme brulee')[0], 'accents folded');
        $this->assertSame(5, self::ids('CRÈME BRÛLÉE')[0]);
        $this->assertSame(6, self::ids('绿茶')[0]);
        $this->assertContains(3, self::ids('أزرق', ['category' => 'ملابس']));
    }

    public function testEmptyAndAbsurdQueries(): void
    {
        foreach (['', '   ', '!!! ??? 🎉', str_repeat('a', 5000), "\xFF\xFE"] as $q) {
            $this->assertSame([], self::ids($q), bin2hex(substr($q, 0, 10)));
        }
        $this->assertSame([], self::ids('shirt', [], 0));
        $this->assertSame([], self::ids('shirt', [], -3));
        $this->assertLessThanOrEqual(100, count(self::ids('shirt', [], 100000)));
        $this->assertNotEmpty(self::ids(str_repeat('shirt ', 100)));
    }

    private function reasonOf(callable $fn): string
    {
        try {
            $fn();
        } catch (CatalogException $e) {
            return $e->reason();
        }
        $this->fail('expected a CatalogException');
    }

    public function testMissingIndexIsAnIoError(): void
    {
        $this->assertSame('io', $this->reasonOf(fn () => CatalogIndex::open('/nonexistent/aisle-index')));
        $this->assertSame('invalid_argument', $this->reasonOf(fn () => (new Catalog())->writeIndex('')));
        $this->assertSame('io', $this->reasonOf(fn () => (new Catalog())->writeIndex('/proc/aisle-cannot-write')));
    }

    public function testOpenIsCachedAndReopenedAfterASwap(): void
    {
        $dir = self::$dir . '-swap';
        $c = new Catalog();
        $c->addMany([['id' => 1, 'name' => 'Alpha widget']]);
        $c->writeIndex($dir);
        $first = CatalogIndex::open($dir);
        $this->assertSame($first->generation(), CatalogIndex::open($dir)->generation());
        $c->addMany([['id' => 2, 'name' => 'Beta widget']]);
        $c->writeIndex($dir);
        $second = CatalogIndex::open($dir);
        $this->assertNotSame($first->generation(), $second->generation());
        $this->assertSame(2, $second->count());
        $this->assertSame(1, $first->count(), 'an open index keeps reading its generation');
        $this->assertSame([1], array_column($first->search('widget'), 'id'));
        $this->assertCount(2, $second->search('widget'));
        $c->writeIndex($dir);
        $c->writeIndex($dir);
        $gens = glob("$dir/gen-*");
        $this->assertCount(2, $gens, 'only the current and the previous generation are kept');
        $this->assertSame([1], array_column($first->search('widget'), 'id'), 'still readable after its files were removed');
        exec('rm -rf ' . escapeshellarg($dir));
    }

    /** A writer swaps the index again and again while other PHP processes search it. */
    public function testSwapWhileOtherProcessesSearch(): void
    {
        $dir = self::$dir . '-concurrent';
        $c = new Catalog();
        $c->addMany([['id' => 1, 'name' => 'Steady lamp', 'price' => '10']]);
        $c->writeIndex($dir);
        $reader = <<<'PHP'
            $dir = getenv('AISLE_INDEX');
            $gens = [];
            $deadline = microtime(true) + 20;
            for ($i = 0; $i < 3000 && microtime(true) < $deadline; $i++) {
                $idx = Aisle\CatalogIndex::open($dir);
                $hits = $idx->search('steady lamp');
                if (($hits[0]['id'] ?? null) !== 1) { fwrite(STDERR, "bad result at $i\n"); exit(3); }
                $gens[$idx->generation()] = true;
                if (count($gens) >= 5 && $i > 200) { break; }
            }
            echo count($gens);
            PHP;
        $procs = [];
        for ($p = 0; $p < 2; $p++) {
            $procs[] = proc_open(['php', '-dextension=' . aisle_ext_path(), '-r', $reader], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, ['AISLE_INDEX' => $dir] + getenv());
            $pipesAll[] = $pipes;
        }
        for ($w = 0; $w < 8; $w++) {
            $c->addMany([['id' => 100 + $w, 'name' => "Filler $w", 'description' => str_repeat("word$w ", 50)]]);
            $c->writeIndex($dir);
        }
        foreach ($procs as $i => $proc) {
            $out = stream_get_contents($pipesAll[$i][1]);
            $err = stream_get_contents($pipesAll[$i][2]);
            fclose($pipesAll[$i][1]);
            fclose($pipesAll[$i][2]);
            $this->assertSame(0, proc_close($proc), "reader $i failed: $err");
            $this->assertGreaterThanOrEqual(1, (int) $out);
        }
        $this->assertSame(9, CatalogIndex::open($dir)->count());
        exec('rm -rf ' . escapeshellarg($dir));
    }

    /** WooCommerce's sample catalog, in short: the products the shopper questions of issue 14 are about. */
    private static function sampleShop(): array
    {
        $p = fn (int $id, string $name, array $cats, string $price, bool $inStock = true) => [
            'id' => $id, 'name' => $name, 'categories' => $cats, 'price' => $price,
            'stock_status' => $inStock ? 'instock' : 'outofstock',
        ];
        return [
            $p(1, 'Cap', ['Accessories'], '16'),
            $p(2, 'Hat', ['Accessories'], '20'),
            $p(3, 'Beanie', ['Accessories'], '18'),
            $p(4, 'Hoodie with Logo', ['Hoodies'], '45'),
            $p(5, 'T-Shirt', ['Tshirts'], '18'),
            $p(6, 'Shirt - Cream', ['Shirts'], '20'),
            $p(7, 'Shirt - Green', ['Shirts'], '20'),
            $p(8, 'Zip Hoodie Black', ['Clothing'], '12.50'),
            $p(9, 'Hoodie Old Stock', ['Clothing'], '9', false),
            $p(10, 'Sweatshirt', ['Clothing'], '35'),
            $p(11, 'Blue Jeans', ['Clothing'], '40'),
            $p(12, 'Sneakers Classic', ['Shoes'], '60'),
            $p(13, 'Album', ['Music'], '15'),
        ];
    }

    private static function shopIndex(array $options = [], ?array $products = null): CatalogIndex
    {
        static $n = 0;
        $dir = self::$dir . '-shop-' . ++$n;
        $c = new Catalog();
        $c->addMany($products ?? self::sampleShop());
        $c->writeIndex($dir, $options);
        return CatalogIndex::open($dir);
    }

    private static function top(CatalogIndex $idx, string $q, array $filters = [], int $n = 1): array
    {
        return array_slice(array_column($idx->search($q, 10, $filters), 'id'), 0, $n);
    }

    public function testPluralsAndCompounds(): void
    {
        $idx = self::shopIndex();
        $this->assertSame('en', $idx->language());
        $this->assertSame([1], self::top($idx, 'do you have caps?'));
        $this->assertSame([2], self::top($idx, 'do you have hats?'));
        $this->assertEqualsCanonicalizing([1, 2, 3], self::top($idx, 'hats', [], 3), 'hats also finds caps and beanies');
        $this->assertSame([3], self::top($idx, 'beanies'));
        $this->assertContains(self::top($idx, 'hoodies')[0], [4, 8]);
        foreach (['do you have t-shirts?', 't-shirts', 'tshirt', 't shirt', 'tee', 'tees'] as $q) {
            $this->assertSame([5], self::top($idx, $q), $q);
        }
        $this->assertSame([12], self::top($idx, 'trainers'));
    }

    public function testShoppersLanguagesOnAnEnglishCatalog(): void
    {
        $idx = self::shopIndex();
        foreach (['avez-vous des bonnets ?', 'habt ihr Mützen?', 'هل لديكم قبعات؟', '¿tienen gorras?', 'vocês têm bonés?', 'avete dei cappelli?'] as $q) {
            $this->assertContains(self::top($idx, $q)[0] ?? null, [1, 2, 3], $q);
            $this->assertCount(3, array_intersect([1, 2, 3], self::top($idx, $q, [], 3)), "$q: caps, hats and beanies");
        }
        $this->assertSame([3], self::top($idx, 'bonnets'));
        $this->assertSame([1], self::top($idx, 'casquettes'));
        $this->assertSame([2], self::top($idx, 'chapeaux'));
        foreach (['sweats à capuche', 'Kapuzenpullover', 'sudadera con capucha', 'moletom com capuz', 'felpa con cappuccio'] as $q) {
            $top = self::top($idx, $q, [], 2);
            $this->assertSame([], array_diff($top, [4, 8, 9, 10]), "$q: hoodies, not t-shirts: " . json_encode($top));
            $this->assertContains($top[0], [4, 8], $q);
        }
        $this->assertSame([5], self::top($idx, 'camiseta'));
        $this->assertSame([5], self::top($idx, 'تيشيرت'));
        $this->assertSame([11], self::top($idx, 'jean bleu'));
        $this->assertSame([11], self::top($idx, 'جينز أزرق'));
    }

    public function testCatalogLanguage(): void
    {
        $fr = self::shopIndex(['language' => 'fr_FR'], [
            ['id' => 1, 'name' => 'Casquette de baseball', 'categories' => ['Accessoires']],
            ['id' => 2, 'name' => 'Chapeau de paille', 'categories' => ['Accessoires']],
            ['id' => 3, 'name' => 'Bonnet en laine', 'categories' => ['Accessoires']],
            ['id' => 4, 'name' => 'Sweat à capuche bleu', 'categories' => ['Sweats']],
            ['id' => 5, 'name' => 'T-shirt blanc', 'categories' => ['T-shirts']],
        ]);
        $this->assertSame('fr', $fr->language());
        $this->assertSame([3], self::top($fr, 'bonnets'));
        $this->assertSame([2], self::top($fr, 'chapeaux'));
        $this->assertSame([4], self::top($fr, 'sweats à capuche'));
        $this->assertSame([4], self::top($fr, 'hoodie'));
        $this->assertSame([3], self::top($fr, 'beanie'));
        $ar = self::shopIndex(['language' => 'ar'], [
            ['id' => 1, 'name' => 'قبعة بيسبول', 'categories' => ['إكسسوارات']],
            ['id' => 2, 'name' => 'قميص أزرق', 'categories' => ['ملابس']],
        ]);
        $this->assertSame([1], self::top($ar, 'قبعات'));
        $this->assertSame([1], self::top($ar, 'القُبَّعَة'));
        $this->assertSame([1], self::top($ar, 'caps'));
        $this->assertSame([2], self::top($ar, 'blue shirt'));
        $de = self::shopIndex(['language' => 'de'], [['id' => 1, 'name' => 'Strickmütze'], ['id' => 2, 'name' => 'Mützen-Set']]);
        $this->assertContains(self::top($de, 'Mütze')[0], [1, 2]);
    }

    public function testMerchantSynonyms(): void
    {
        $this->assertSame([], self::top(self::shopIndex(), 'kangaroo'));
        $idx = self::shopIndex(['synonyms' => [['kangaroo', 'hoodie'], 'vinyl record, album']]);
        $this->assertContains(self::top($idx, 'kangaroo')[0] ?? null, [4, 8]);
        $this->assertSame([13], self::top($idx, 'vinyl record'));
    }

    public function testStockAndCategoryRanking(): void
    {
        $idx = self::shopIndex();
        $ids = self::top($idx, 'hoodie', [], 10);
        $this->assertGreaterThan(array_search(8, $ids, true), array_search(9, $ids, true), 'out of stock after in stock');
        $this->assertSame([9], self::top($idx, 'hoodie', ['in_stock' => false], 10), 'unless asked for');
        $boosted = self::top($idx, 'hoodie', ['category_boost' => 'Clothing'], 10);
        $this->assertSame(8, $boosted[0]);
        $this->assertContains(4, $boosted, 'a boost does not filter');
        $this->assertSame(4, self::top($idx, 'hoodie', ['category_boost' => ['Music', 'hoodies']])[0]);
        $this->assertSame([4], self::top($idx, 'hoodie', ['category' => 'Hoodies'], 10), 'category is still a hard filter');
        $this->assertSame('invalid_argument', $this->reasonOf(fn () => $idx->search('x', 5, ['category_boost' => 3])));
        $this->assertSame('invalid_argument', $this->reasonOf(fn () => $idx->search('x', 5, ['category_boost' => [['x']]])));
    }

    public function testIndexOptionsAreChecked(): void
    {
        $c = new Catalog();
        $c->addMany([['id' => 1, 'name' => 'x']]);
        $dir = self::$dir . '-options';
        foreach ([
            ['language' => 'klingon'], ['language' => ''], ['language' => 3], ['colour' => 'red'],
            ['synonyms' => 'a,b'], ['synonyms' => [[1, 2]]], ['synonyms' => [array_fill(0, 21, 'a')]],
            ['synonyms' => [[str_repeat('a', 201), 'b']]], ['synonyms' => array_fill(0, 1001, ['a', 'b'])],
        ] as $options) {
            $this->assertSame('invalid_argument', $this->reasonOf(fn () => $c->writeIndex($dir, $options)), json_encode($options));
        }
        $this->assertDirectoryDoesNotExist($dir);
        $c->writeIndex($dir, ['language' => 'ja', 'synonyms' => []]);
        $this->assertSame('ja', CatalogIndex::open($dir)->language(), 'a language without a stemmer is accepted');
        $c->writeIndex($dir, null);
        $this->assertSame('en', CatalogIndex::open($dir)->language());
        $this->assertSame('invalid_argument', $this->reasonOf(fn () => $c->writeIndex($dir, ['background' => 'yes'])));
        exec('rm -rf ' . escapeshellarg($dir));
    }

    /** The index written on a thread of its own reads the catalog in place: the same index, whatever PHP does meanwhile. */
    public function testBackgroundIndex(): void
    {
        $c = new Catalog();
        $c->addMany(aisle_generate_catalog(2000, 5, 1));
        $c->addMany([['id' => 1, 'name' => 'Blue Cotton Shirt', 'sku' => 'SH-BLUE-1', 'price' => '25.00']]); // replaces product 1
        $dir = self::$dir . '-background';
        $c->writeIndex($dir, ['background' => true, 'language' => 'en']);
        // Reading the catalog meanwhile is allowed (the feeds do it) ...
        $this->assertCount(2000, $c->hashes());
        $c->waitIndex();
        $c->waitIndex(); // nothing left to wait for
        $idx = CatalogIndex::open($dir);
        $this->assertSame(2000, $idx->count());
        $this->assertSame(1, self::ids2($dir, 'SH-BLUE-1')[0]);

        // ... and changing it waits for the index first: the index holds the catalog as it was.
        $c->writeIndex($dir, ['background' => true]);
        $c->addMany([['id' => 5001, 'name' => 'Velvet Llama Pillow', 'price' => '9']]);
        $c->waitIndex();
        $this->assertSame(2000, CatalogIndex::open($dir)->count());
        $this->assertSame([], self::ids2($dir, 'velvet llama'));
        $c->writeIndex($dir);
        $this->assertSame(5001, self::ids2($dir, 'velvet llama')[0]);

        // The thread's error comes back from waitIndex(), once.
        $file = self::$dir . '-not-a-dir';
        file_put_contents($file, 'x');
        $c->writeIndex($file, ['background' => true]);
        $this->assertSame('io', $this->reasonOf(fn () => $c->waitIndex()));
        $c->waitIndex();
        // Dropped while it runs: the object waits for its thread before its storage goes.
        $d = new Catalog();
        $d->addMany(aisle_generate_catalog(3000, 7, 1));
        $d->writeIndex($dir . '-dropped', ['background' => true]);
        unset($d);
        $this->assertSame(3000, CatalogIndex::open($dir . '-dropped')->count());
        unlink($file);
        exec('rm -rf ' . escapeshellarg($dir) . ' ' . escapeshellarg($dir . '-dropped'));
    }

    private static function ids2(string $dir, string $q): array
    {
        return array_column(CatalogIndex::open($dir)->search($q, 5), 'id');
    }
}
