<?php
/**
 * Seeded argument generators for the extension fuzzer.
 *
 * A generated value is a *spec*: plain JSON data that Exec::value() turns into the PHP value, so a case
 * can be written to a file and replayed byte for byte. Tags (the one key of an array):
 *   ['$f' => '1.5'|'INF'|'-INF'|'NAN'|'-0.0']   a float (JSON cannot hold every float)
 *   ['$b' => base64]                            a string that is not valid UTF-8
 *   ['$rep' => spec, 'n' => count]               a string repeated (long strings stay small in a file)
 *   ['$a' => [[key, spec], …]]                   an array, keys and order exactly as generated
 *   ['$o' => 'stdClass'|'closure'|'enum'|'resource'|'datetime'|'arrayobject']
 *   ['$x' => name]                               a fixture of the run (vault, envelope, token, paths, urls …)
 *   ['$flip' => spec, 'at' => i, 'bit' => b]     one bit of a string flipped
 *   ['$cut' => spec, 'len' => n]                 a string cut to n bytes
 *   ['$cat' => [spec, …]]                        strings joined
 *   ['$deep' => n, 'leaf' => spec]               an array nested n levels deep
 * Plain JSON strings (valid UTF-8), ints, bools and null stand for themselves.
 */
declare(strict_types=1);

namespace Aisle\Fuzz;

final class Gen
{
    /** One PRNG per case: the case is reproducible from (seed, class, index) alone. */
    public static function seedCase(int $seed, string $class, int $index): void
    {
        mt_srand(crc32("$seed/$class/$index") ^ ($seed & 0x7fffffff), MT_RAND_MT19937);
    }

    public static function int(int $min, int $max): int
    {
        return mt_rand($min, $max);
    }

    public static function chance(float $p): bool
    {
        return mt_rand() / mt_getrandmax() < $p;
    }

    /** @template T @param list<T> $items @return T */
    public static function pick(array $items): mixed
    {
        return $items[mt_rand(0, count($items) - 1)];
    }

    public static function bytes(int $n): string
    {
        $s = '';
        for ($i = 0; $i < $n; $i++) {
            $s .= chr(mt_rand(0, 255));
        }
        return $s;
    }

    /** A string spec: stored plain when it is valid UTF-8. */
    public static function str(string $s): mixed
    {
        return mb_check_encoding($s, 'UTF-8') ? $s : ['$b' => base64_encode($s)];
    }

    public static function arr(array $a): array
    {
        $pairs = [];
        foreach ($a as $k => $v) {
            $pairs[] = [$k, $v];
        }
        return ['$a' => $pairs];
    }

    public static function float(): array
    {
        return ['$f' => self::pick(['INF', '-INF', 'NAN', '-0.0', '0.0', '1.5', '-1.5', '1e308', '-1e308', '5e-324',
            '0.1', '19.995', '1e15', '9.2233720368547758E18', (string) (mt_rand() / 7)])];
    }

    /** Hostile strings: the shapes that break parsers. */
    public static function hostileString(): mixed
    {
        switch (mt_rand(0, 23)) {
            case 0: return '';
            case 1: return "a\0b";
            case 2: return self::str("\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc");
            case 3: return self::str("\xed\xa0\x80"); // a lone surrogate as UTF-8 bytes
            case 4: return '"\ud800"'; // a lone surrogate as a JSON escape
            case 5: return '😀👩‍👩‍👧‍👦🏳️‍🌈';
            case 6: return "مرحبا بالعالم \u{202E}gnp.exe";
            case 7: return self::pick(['0', '-1', '1e5', '12,50', '0x1A', ' 42 ', '9223372036854775808', '-0', '.5', 'NaN', 'INF']);
            case 8: return ['$rep' => self::pick(['a', 'ab ', 'é', '😀', "\0", '<p>', '[', '{"a":', '%', '\\']), 'n' => self::pick([1000, 65536, 1 << 20, (1 << 20) + 1])];
            case 9: return self::str(self::bytes(mt_rand(0, 64)));
            case 10: return '<script>alert(1)</script><p>x</p><!-- c -->&#0;&#xD800;&#x110000;&amp';
            case 11: return '[gallery ids="1,2"][caption]x[/caption][M]';
            case 12: return "line1\r\nline2\n\n\t\x0b\x0c\u{200B}\u{FEFF}";
            case 13: return '../../../../etc/passwd';
            case 14: return 'http://[::1]:0/' . str_repeat('a/', 10);
            case 15: return self::pick(['%00', '%ff', '%C0%AE', 'file:///etc/passwd', 'javascript:alert(1)']);
            case 16: return self::pick(['aisle:v1:k1:', 'aisle:v1::', 'aisle:v1:k1:AAAA', 'aisle:v2:k1:AAAA', ':::', 'aisle:v1:' . str_repeat('k', 300) . ':AA']);
            case 17: return self::pick(['.', '..', 'a.b', 'eyJ9.', '.sig', 'a.b.c']);
            case 18: return self::pick(['en', 'fr_FR', 'pt-BR', 'xx', 'EN', 'zh_Hant_TW', '', 'en_' . str_repeat('X', 100)]);
            case 19: return ['$cat' => [self::hostileString(), self::hostileString()]];
            case 20: return str_repeat('word ', mt_rand(1, 200));
            case 21: return self::pick(['%PDF-1.7', "PK\x03\x04", '# Title', '<html><body>x', "\xef\xbb\xbf" . 'text']);
            case 22: return self::pick(['sha256=', 'sha256=' . str_repeat('0', 64), 'sha1=abc', 'SHA256=' . str_repeat('f', 64), str_repeat('=', 70)]);
            default: return self::word();
        }
    }

    public static function word(): string
    {
        return self::pick(['hoodie', 'shirt', 'blue', 'cap', 'vinyl', 'chaussure', 'rouge', 'قميص', 'シャツ', 'Ü', 'x', 'a b c',
            'price', 'return policy', 'shipping', 'AISLE-ABCD-EFGH-JKLM-NPQR-STUV', 'aisle-abcd-efgh', 'example.com', '42']);
    }

    public static function int64(): int
    {
        return self::pick([0, 1, -1, 2, 7, 100, 1000, 4096, 65535, 1 << 20, 1 << 31, -(1 << 31), PHP_INT_MAX, PHP_INT_MIN,
            PHP_INT_MAX - 1, PHP_INT_MIN + 1, mt_rand(-1000, 1000), mt_rand()]);
    }

    /** A value of any PHP type, for a typed parameter. */
    public static function any(int $depth = 0): mixed
    {
        switch (mt_rand(0, $depth > 2 ? 7 : 10)) {
            case 0: return null;
            case 1: return (bool) mt_rand(0, 1);
            case 2: return self::int64();
            case 3: return self::float();
            case 4:
            case 5: return self::hostileString();
            case 6: return ['$o' => self::pick(['stdClass', 'closure', 'enum', 'resource', 'datetime', 'arrayobject'])];
            case 7: return self::pick([['$x' => 'vault'], ['$x' => 'path:file'], ['$x' => 'path:dir'], self::word()]);
            case 8: return self::arr([]);
            case 9: return self::randomArray($depth + 1);
            default: return ['$deep' => self::pick([9, 64, 300, 5000]), 'leaf' => self::pick(['x', 1, null])];
        }
    }

    public static function randomArray(int $depth = 0, int $max = 6): array
    {
        $a = [];
        $list = mt_rand(0, 1) === 1;
        $n = mt_rand(0, $max);
        for ($i = 0; $i < $n; $i++) {
            $k = $list ? $i : self::pick([self::word(), mt_rand(-5, 5), 'id', 'name', 'price', 'text', 'type', '', "\0", PHP_INT_MAX]);
            $a[] = [$k, self::any($depth)];
        }
        return ['$a' => $a];
    }

    /** A list of string specs, sometimes with one of another type. */
    public static function stringList(array $valid, int $max = 5): array
    {
        $a = [];
        $n = mt_rand(0, $max);
        for ($i = 0; $i < $n; $i++) {
            $a[] = [$i, self::chance(0.7) ? self::pick($valid) : (self::chance(0.5) ? self::hostileString() : self::any(1))];
        }
        return ['$a' => $a];
    }

    /**
     * A valid option array with, most of the time, one field made wrong (bad value, wrong type, or an unknown key).
     * @param array<string, callable(): mixed> $fields name => generator of a valid value
     */
    public static function options(array $required, array $optional, float $nullChance = 0.05, float $wrong = 0.75): mixed
    {
        if (self::chance($nullChance)) {
            return null;
        }
        if (self::chance(0.05)) {
            return self::any();
        }
        $o = [];
        foreach ($required as $k => $gen) {
            $o[$k] = $gen();
        }
        foreach ($optional as $k => $gen) {
            if (self::chance(0.4)) {
                $o[$k] = $gen();
            }
        }
        if (self::chance($wrong)) {
            $keys = array_merge(array_keys($required), array_keys($optional));
            $k = self::pick($keys);
            switch (mt_rand(0, 4)) {
                case 0: unset($o[$k]); break;
                case 1: $o['unknown_' . self::word()] = self::any(1); break;
                case 2: $o[$k] = self::hostileString(); break;
                case 3: $o[$k] = self::int64(); break;
                default: $o[$k] = self::any(1);
            }
        }
        return self::arr($o);
    }

    public static function product(int $id): array
    {
        $valid = [
            'id' => $id,
            'name' => self::pick(['Blue Hoodie', 'Red Cap', 'قميص أزرق', 'Vinyl LP', 'T-Shirt <b>bold</b>']),
            'sku' => 'SKU-' . $id,
            'type' => self::pick(['simple', 'variable', 'grouped', 'external']),
            'status' => self::pick(['publish', 'draft', 'private']),
            'permalink' => "https://shop.test/p/$id",
            'price' => self::pick(['19.99', '20', 5, 12.5, '']),
            'regular_price' => '24.00',
            'sale_price' => self::pick(['', '19.99']),
            'currency' => self::pick(['USD', 'EUR']),
            'stock_status' => self::pick(['instock', 'outofstock', 'onbackorder']),
            'stock_quantity' => self::pick([null, 3, 0]),
            'categories' => self::arr(['Clothing', 'Hoodies']),
            'tags' => self::arr(['warm']),
            'attributes' => self::arr(['Color' => self::arr(['Blue', 'Red'])]),
            'short_description' => 'Soft and warm.',
            'description' => '<p>A <em>very</em> warm hoodie.</p>',
            'image' => "https://shop.test/i/$id.jpg",
            'rating' => '4.50',
            'review_count' => 3,
            'updated_at' => self::pick([1700000000, '2024-01-02T03:04:05Z', '2024-01-02 03:04:05']),
        ];
        if (self::chance(0.3)) {
            $valid['variations'] = self::arr([self::arr(['id' => $id * 100 + 1, 'price' => '21.00', 'stock_status' => 'instock',
                'attributes' => self::arr(['Color' => 'Blue'])])]);
        }
        if (self::chance(0.6)) {
            $k = self::pick(array_merge(array_keys($valid), ['variations', 'total_sales', 'extra']));
            switch (mt_rand(0, 6)) {
                case 0: unset($valid[$k]); break;
                case 1: $valid[$k] = self::any(1); break;
                case 2: $valid[$k] = self::hostileString(); break;
                case 3: $valid[$k] = self::float(); break;
                case 4: $valid[$k] = self::int64(); break;
                case 5: $valid[$k] = ['$deep' => self::pick([8, 9, 50]), 'leaf' => 'x']; break;
                default: $valid[$k] = self::randomArray(1);
            }
        }
        return self::arr($valid);
    }

    /** A few products, sometimes with a non-array row or a repeated id. */
    public static function products(int $max = 4): array
    {
        $rows = [];
        $n = mt_rand(0, $max);
        for ($i = 0; $i < $n; $i++) {
            $rows[] = [$i, self::chance(0.9) ? self::product(self::chance(0.2) ? 1 : mt_rand(1, 50)) : self::any(1)];
        }
        return ['$a' => $rows];
    }

    /** A fixture string damaged: truncated, bit-flipped, or with bytes appended. */
    public static function damaged(string $fixture, int $len): array
    {
        $base = ['$x' => $fixture];
        switch (mt_rand(0, 3)) {
            case 0: return ['$cut' => $base, 'len' => mt_rand(0, $len)];
            case 1: return ['$flip' => $base, 'at' => mt_rand(0, $len - 1), 'bit' => mt_rand(0, 7)];
            case 2: return ['$cat' => [$base, self::hostileString()]];
            default: return ['$cat' => [self::hostileString(), $base]];
        }
    }

    /** A path to read: the fixtures the run created, plus missing, hostile and special ones. */
    public static function path(array $fixtures = []): mixed
    {
        if ($fixtures !== [] && self::chance(0.4)) {
            return ['$x' => self::pick($fixtures)];
        }
        return self::chance(0.7)
            ? ['$x' => self::pick(['path:missing', 'path:file', 'path:dir', 'path:symlink', 'path:dangling', 'path:new', 'path:unwritable'])]
            : self::pick(['', '/', '/dev/null', '/dev/zero', '/proc/self/status', "/tmp/a\0b", '/nonexistent/deep/path', str_repeat('a', 5000), self::hostileString()]);
    }

    /** A path to write: always under the run's temp dir (a hostile tail is appended to it, never used alone). */
    public static function writePath(array $fixtures = []): mixed
    {
        if ($fixtures !== [] && self::chance(0.3)) {
            return ['$x' => self::pick($fixtures)];
        }
        if (self::chance(0.7)) {
            return ['$x' => self::pick(['path:new', 'path:new', 'path:new', 'path:missing', 'path:file', 'path:dir', 'path:symlink', 'path:dangling', 'path:unwritable'])];
        }
        return ['$cat' => [['$x' => 'path:new'], self::pick(['/', '/a/b/c', "/a\0b", '/' . str_repeat('a', 300), '/..', '/é😀', "/\xff\xfe", ' ', '/.', '//x', "/\n"])]];
    }
}
