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
        exec('rm -rf ' . escapeshellarg(self::$dir));
    }

    private static function ids(string $q, array $filters = [], int $limit = 5): array
    {
        return array_column(CatalogIndex::open(self::$dir)->search($q, $limit, $filters), 'id');
    }

    public function testResultShape(): void
    {
        $hits = CatalogIndex::open(self::$dir)->search('wallet');
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
    }

    public function testOneTypoInLongWords(): void
    {
        $this->assertSame(2, self::ids('red lether walet')[0]);
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
}
