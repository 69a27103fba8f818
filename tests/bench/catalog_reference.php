<?php
/**
 * Pure-PHP reference of Aisle\Catalog's normalization, hashing and NDJSON: the
 * specification in executable form and the benchmark baseline. Each step is
 * the regular expression the Rust scanners in src/catalog/text.rs implement;
 * tests/php/CatalogReferenceTest.php proves both write byte-identical NDJSON.
 */
declare(strict_types=1);

final class CatalogReference
{
    private const JSON = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_LINE_TERMINATORS | JSON_THROW_ON_ERROR;
    private const BLOCK = ['address' => 1, 'article' => 1, 'aside' => 1, 'blockquote' => 1, 'br' => 1, 'dd' => 1, 'div' => 1, 'dl' => 1, 'dt' => 1, 'fieldset' => 1, 'figcaption' => 1, 'figure' => 1, 'footer' => 1, 'form' => 1, 'h1' => 1, 'h2' => 1, 'h3' => 1, 'h4' => 1, 'h5' => 1, 'h6' => 1, 'header' => 1, 'hr' => 1, 'li' => 1, 'main' => 1, 'nav' => 1, 'ol' => 1, 'p' => 1, 'pre' => 1, 'section' => 1, 'table' => 1, 'tbody' => 1, 'td' => 1, 'tfoot' => 1, 'th' => 1, 'thead' => 1, 'tr' => 1, 'ul' => 1];
    private const ENTITIES = ['AElig' => 'Æ', 'Aacute' => 'Á', 'Agrave' => 'À', 'Auml' => 'Ä', 'Ccedil' => 'Ç', 'Eacute' => 'É', 'Ntilde' => 'Ñ', 'Ouml' => 'Ö', 'Uuml' => 'Ü', 'aacute' => 'á', 'acirc' => 'â', 'aelig' => 'æ', 'agrave' => 'à', 'amp' => '&', 'apos' => "'", 'aring' => 'å', 'auml' => 'ä', 'bull' => '•', 'ccedil' => 'ç', 'cent' => '¢', 'copy' => '©', 'deg' => '°', 'divide' => '÷', 'eacute' => 'é', 'ecirc' => 'ê', 'egrave' => 'è', 'euml' => 'ë', 'euro' => '€', 'frac12' => '½', 'frac14' => '¼', 'frac34' => '¾', 'gt' => '>', 'hellip' => '…', 'iacute' => 'í', 'icirc' => 'î', 'iuml' => 'ï', 'laquo' => '«', 'ldquo' => '“', 'lsquo' => '‘', 'lt' => '<', 'mdash' => '—', 'micro' => 'µ', 'middot' => '·', 'nbsp' => "\u{A0}", 'ndash' => '–', 'ntilde' => 'ñ', 'oacute' => 'ó', 'ocirc' => 'ô', 'ouml' => 'ö', 'oslash' => 'ø', 'para' => '¶', 'plusmn' => '±', 'pound' => '£', 'quot' => '"', 'raquo' => '»', 'rdquo' => '”', 'reg' => '®', 'rsquo' => '’', 'sect' => '§', 'shy' => "\u{AD}", 'szlig' => 'ß', 'times' => '×', 'trade' => '™', 'uacute' => 'ú', 'ucirc' => 'û', 'uuml' => 'ü', 'yen' => '¥'];
    private const SPACE = '\x{0}-\x{9}\x{B}-\x{20}\x{7F}\x{85}\x{A0}\x{1680}\x{2000}-\x{200B}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}';
    private const UTF8 = '/((?:[\x00-\x7F]|[\xC2-\xDF][\x80-\xBF]|\xE0[\xA0-\xBF][\x80-\xBF]|[\xE1-\xEC\xEE\xEF][\x80-\xBF]{2}|\xED[\x80-\x9F][\x80-\xBF]|\xF0[\x90-\xBF][\x80-\xBF]{2}|[\xF1-\xF3][\x80-\xBF]{3}|\xF4[\x80-\x8F][\x80-\xBF]{2})+)|\xE0[\xA0-\xBF]?|[\xE1-\xEC\xEE\xEF][\x80-\xBF]?|\xED[\x80-\x9F]?|\xF0(?:[\x90-\xBF][\x80-\xBF]?)?|[\xF1-\xF3](?:[\x80-\xBF][\x80-\xBF]?)?|\xF4(?:[\x80-\x8F][\x80-\xBF]?)?|[\x80-\xFF]/s';
    private const TAGS = '~<!--.*?(?:-->|\z)|<(script|style)(?=[^A-Za-z0-9])[^>]*>.*?(?:</\1[^>]*>|\z)|<(/?)([A-Za-z][A-Za-z0-9]*)[^>]*>|<[!?][^>]*>~is';
    private const SHORTCODE = '~\[/?[a-z][a-z0-9_-]+(?:\s[^\]]*)?\]~';
    private const ENTITY = '~&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));~';

    private int $maxChars = 2000;
    private string $currency = 'USD';
    private int $decimals = 2;
    /** @var array<int, string> id => NDJSON line without "\n" */
    private array $lines = [];
    /** @var array<int, string> */
    private array $hashes = [];
    private array $errors = [];
    private int $repairs = 0;
    private int $truncated = 0;

    public function __construct(array $options = [])
    {
        $this->maxChars = $options['max_description_chars'] ?? 2000;
        $this->currency = strtoupper($options['currency'] ?? 'USD');
        $this->decimals = $options['price_decimals'] ?? 2;
    }

    public function addMany(array $products): int
    {
        $accepted = 0;
        foreach ($products as $p) {
            try {
                self::checkLimits($p, 1);
                $doc = $this->normalize($p);
            } catch (InvalidArgumentException $e) {
                $this->errors[] = ['id' => is_array($p) ? ($p['id'] ?? null) : null, 'error' => $e->getMessage()];
                continue;
            }
            $json = json_encode($doc, self::JSON);
            $hash = hash('xxh128', $json);
            $this->hashes[$doc['id']] = $hash;
            $this->lines[$doc['id']] = substr($json, 0, -1) . ',"hash":"' . $hash . '"}';
            $accepted++;
        }
        return $accepted;
    }

    public function count(): int { return count($this->lines); }
    public function errors(): array { return $this->errors; }
    public function hashes(): array { return $this->hashes; }
    public function stats(): array { return ['products' => count($this->lines), 'rejected' => count($this->errors), 'utf8_repairs' => $this->repairs, 'truncated' => $this->truncated]; }

    public function toNdjson(): string
    {
        return $this->lines ? implode("\n", $this->lines) . "\n" : '';
    }

    private static function checkLimits(mixed $v, int $depth): void
    {
        if (is_string($v)) {
            if (strlen($v) > 1 << 20) {
                throw new InvalidArgumentException('a string of ' . strlen($v) . ' bytes: the limit is 1 MiB');
            }
        } elseif (is_array($v)) {
            if ($depth > 8) {
                throw new InvalidArgumentException('nesting deeper than 8 levels');
            }
            foreach ($v as $item) {
                self::checkLimits($item, $depth + 1);
            }
        } elseif (is_object($v) || is_resource($v)) {
            throw new InvalidArgumentException('unsupported value of type ' . (is_object($v) ? 'object' : 'resource'));
        }
    }

    // ---- text ------------------------------------------------------------

    public function repairUtf8(string $s): string
    {
        if (preg_match('//u', $s)) {
            return $s;
        }
        return preg_replace_callback(self::UTF8, function (array $m): string {
            if (($m[1] ?? '') !== '') {
                return $m[1];
            }
            $this->repairs++;
            return "\u{FFFD}";
        }, $s);
    }

    public function htmlToText(string $raw, bool $multiline): string
    {
        $s = $this->repairUtf8($raw);
        if (str_contains($s, '<')) {
            $s = preg_replace_callback(self::TAGS, static function (array $m): string {
                if (($m[1] ?? '') !== '' || ($m[3] ?? '') === '') {
                    return ''; // script/style, comment, <!…> or <?…>
                }
                return isset(self::BLOCK[strtolower($m[3])]) ? "\n" : '';
            }, $s);
        }
        if (str_contains($s, '[')) {
            $s = preg_replace(self::SHORTCODE, '', $s);
        }
        if (str_contains($s, '&')) {
            $s = preg_replace_callback(self::ENTITY, static function (array $m): string {
                if (($m[3] ?? '') !== '') {
                    return self::ENTITIES[$m[3]] ?? $m[0];
                }
                $code = ($m[1] ?? '') !== '' ? (int) $m[1] : hexdec($m[2]);
                if ($code === 0 || ($code >= 0xD800 && $code <= 0xDFFF) || $code > 0x10FFFF) {
                    return "\u{FFFD}";
                }
                return mb_chr($code, 'UTF-8');
            }, $s);
        }
        if ($multiline) {
            $s = preg_replace('/[' . self::SPACE . ']+/u', ' ', $s);
            $s = preg_replace('/[ \n]*\n[ \n]*/', "\n", $s);
            return trim($s, " \n");
        }
        return trim(preg_replace('/[\n' . self::SPACE . ']+/u', ' ', $s), ' ');
    }

    public static function truncateWords(string $s, int $max): ?string
    {
        if (mb_strlen($s) <= $max) {
            return null;
        }
        $cut = mb_substr($s, 0, $max);
        $next = mb_substr($s, $max, 1);
        if ($next !== ' ' && $next !== "\n") {
            $space = strrpos($cut, ' ');
            $newline = strrpos($cut, "\n");
            $at = max($space === false ? -1 : $space, $newline === false ? -1 : $newline);
            if ($at >= 0) {
                $cut = substr($cut, 0, $at);
            }
        }
        return rtrim($cut, " \n");
    }

    // ---- fields ----------------------------------------------------------

    private static function typeName(mixed $v): string
    {
        return match (true) {
            $v === null => 'null', is_bool($v) => 'bool', is_int($v) => 'int', is_float($v) => 'float',
            is_string($v) => 'string', is_array($v) => array_is_list($v) ? 'list' : 'map', default => 'object',
        };
    }

    private static function wrongType(string $key, string $expected, mixed $v): InvalidArgumentException
    {
        return new InvalidArgumentException("wrong type for '$key': expected $expected, got " . self::typeName($v));
    }

    private static function floatText(float $f): string
    {
        $s = json_encode($f);
        return str_contains($s, '.') ? $s : $s . '.0';
    }

    private static function scalarText(string $key, mixed $v): ?string
    {
        return match (true) {
            $v === null => null,
            is_string($v) => $v,
            is_int($v) => (string) $v,
            is_float($v) => is_finite($v) ? self::floatText($v) : throw new InvalidArgumentException("'$key' is not a finite number"),
            default => throw self::wrongType($key, 'a string', $v),
        };
    }

    private function plain(string $key, mixed $v): ?string
    {
        $t = self::scalarText($key, $v);
        if ($t === null) {
            return null;
        }
        $t = preg_replace('/^[' . self::SPACE . '\n]+|[' . self::SPACE . '\n]+$/u', '', $this->repairUtf8($t));
        return $t === '' ? null : $t;
    }

    public static function roundDecimal(string $t, int $decimals): string
    {
        $t = trim($t);
        if (str_starts_with($t, '-')) {
            throw new InvalidArgumentException("'$t' is negative");
        }
        if (!preg_match('/^([0-9]*)(?:\.([0-9]*))?$/D', $t, $m) || ($m[1] === '' && ($m[2] ?? '') === '')) {
            throw new InvalidArgumentException("'" . mb_substr($t, 0, 40) . "' is not a decimal number");
        }
        $int = ltrim($m[1], '0');
        $frac = $m[2] ?? '';
        if (strlen($int) > 15) {
            throw new InvalidArgumentException("'" . mb_substr($t, 0, 40) . "' is absurdly large");
        }
        $digits = $int . substr(str_pad($frac, $decimals, '0'), 0, $decimals);
        if (strlen($frac) > $decimals && $frac[$decimals] >= '5') {
            $i = strlen($digits) - 1;
            while ($i >= 0 && $digits[$i] === '9') {
                $digits[$i] = '0';
                $i--;
            }
            $digits = $i < 0 ? '1' . $digits : substr_replace($digits, (string) ((int) $digits[$i] + 1), $i, 1);
        }
        $digits = str_pad($digits, $decimals + 1, '0', STR_PAD_LEFT);
        $intPart = ltrim(substr($digits, 0, strlen($digits) - $decimals), '0');
        $out = $intPart === '' ? '0' : $intPart;
        return $decimals > 0 ? $out . '.' . substr($digits, -$decimals) : $out;
    }

    private static function decimalLess(string $a, string $b): bool
    {
        return strlen($a) < strlen($b) || (strlen($a) === strlen($b) && strcmp($a, $b) < 0);
    }

    private static function price(string $key, mixed $v, int $decimals): ?string
    {
        $t = match (true) {
            $v === null => null,
            is_int($v) => (string) $v,
            is_float($v) => is_finite($v) ? self::floatText($v) : throw new InvalidArgumentException("'$key' is not a finite number"),
            is_string($v) => preg_match('//u', $v) ? (trim($v) === '' ? null : $v) : throw new InvalidArgumentException("'$key' is not a decimal number"),
            default => throw self::wrongType($key, 'a decimal string or number', $v),
        };
        if ($t === null) {
            return null;
        }
        try {
            return self::roundDecimal($t, $decimals);
        } catch (InvalidArgumentException $e) {
            throw new InvalidArgumentException("invalid '$key': " . $e->getMessage());
        }
    }

    private static function int(string $key, mixed $v): ?int
    {
        if ($v === null || is_int($v)) {
            return $v;
        }
        if (is_float($v) && floor($v) === $v && abs($v) < 1e15) {
            return (int) $v;
        }
        if (is_string($v)) {
            $t = trim($v);
            if ($t === '') {
                return null;
            }
            if (preg_match('/^-?[0-9]{1,18}$/D', $t)) {
                return (int) $t;
            }
            throw new InvalidArgumentException("invalid '$key': expected an integer");
        }
        throw self::wrongType($key, 'an integer', $v);
    }

    private static function parseId(mixed $v): int
    {
        $id = is_int($v) ? $v : (is_string($v) && preg_match('/^-?[0-9]{1,18}$/D', trim($v)) ? (int) trim($v) : null);
        if ($id === null || $id <= 0) {
            $got = is_string($v) ? "'" . substr($v, 0, 40) . "'" : (is_int($v) ? (string) $v : self::typeName($v));
            throw new InvalidArgumentException("invalid id: expected a positive integer, got $got");
        }
        return $id;
    }

    private function terms(string $key, mixed $v): array
    {
        if ($v === null) {
            return [];
        }
        if (!is_array($v)) {
            throw self::wrongType($key, 'a list of strings', $v);
        }
        $out = [];
        foreach ($v as $item) {
            if (is_array($item) || is_bool($item) || is_object($item)) {
                throw self::wrongType($key, 'a list of strings', $item);
            }
            $t = self::scalarText($key, $item);
            if ($t !== null && ($t = $this->htmlToText($t, false)) !== '') {
                $out[] = $t;
            }
        }
        return $out;
    }

    private function attributeName(int|string $raw): string
    {
        $name = $this->htmlToText((string) $raw, false);
        if ($name === '') {
            throw new InvalidArgumentException('an attribute has an empty name');
        }
        return $name;
    }

    private function attributes(mixed $v): object
    {
        $out = [];
        if ($v === null) {
            return (object) [];
        }
        if (!is_array($v)) {
            throw self::wrongType('attributes', 'a map of name => values', $v);
        }
        foreach ($v as $rawName => $values) {
            $name = $this->attributeName($rawName);
            $values = $this->terms('attributes', is_array($values) ? $values : [$values]);
            $out[$name] = array_merge($out[$name] ?? [], $values);
        }
        ksort($out, SORT_STRING);
        return (object) $out;
    }

    private function prices(array $v): array
    {
        $regular = self::price('regular_price', $v['regular_price'] ?? null, $this->decimals);
        $sale = self::price('sale_price', $v['sale_price'] ?? null, $this->decimals);
        $onSale = $regular !== null && $sale !== null && self::decimalLess($sale, $regular);
        $active = self::price('price', $v['price'] ?? null, $this->decimals) ?? ($onSale ? $sale : $regular);
        return [$active, $regular, $sale, $onSale];
    }

    private function variation(mixed $v): array
    {
        if (!is_array($v) || array_is_list($v)) {
            throw self::wrongType('variations', 'a list of arrays', $v);
        }
        if (!array_key_exists('id', $v)) {
            throw new InvalidArgumentException('variation: missing id');
        }
        try {
            $id = self::parseId($v['id']);
        } catch (InvalidArgumentException $e) {
            throw new InvalidArgumentException('variation: ' . $e->getMessage());
        }
        try {
            [$price, $regular, $sale, $onSale] = $this->prices($v);
            $attrs = [];
            if (($v['attributes'] ?? null) !== null) {
                if (!is_array($v['attributes'])) {
                    throw self::wrongType('attributes', 'a map of name => value', $v['attributes']);
                }
                foreach ($v['attributes'] as $rawName => $value) {
                    $attrs[$this->attributeName($rawName)] = $this->htmlToText(self::scalarText('attributes', $value) ?? '', false);
                }
                ksort($attrs, SORT_STRING);
            }
            return [
                'id' => $id,
                'sku' => $this->plain('sku', $v['sku'] ?? null),
                'price' => $price,
                'regular_price' => $regular,
                'sale_price' => $sale,
                'on_sale' => $onSale,
                'stock_status' => $this->plain('stock_status', $v['stock_status'] ?? null) ?? 'instock',
                'stock_quantity' => self::int('stock_quantity', $v['stock_quantity'] ?? null),
                'attributes' => (object) $attrs,
            ];
        } catch (InvalidArgumentException $e) {
            throw new InvalidArgumentException("variation $id: " . $e->getMessage());
        }
    }

    private static function datetime(string $t): ?int
    {
        $t = trim($t);
        if (str_starts_with($t, '0000-00-00')) {
            return null;
        }
        if (preg_match('/^[0-9]{1,18}$/D', $t)) {
            return (int) $t;
        }
        if (!preg_match('/^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?$/D', $t, $m)
            || (int) $m[2] < 1 || (int) $m[2] > 12 || (int) $m[3] < 1 || (int) $m[3] > 31
            || (int) ($m[4] ?? 0) > 23 || (int) ($m[5] ?? 0) > 59 || (int) ($m[6] ?? 0) > 60) {
            throw new InvalidArgumentException("invalid 'updated_at': '" . mb_substr($t, 0, 40) . "' is not a Unix time or ISO 8601 date");
        }
        [$y, $mo, $d] = [(int) $m[1], (int) $m[2], (int) $m[3]];
        $y -= $mo <= 2 ? 1 : 0;
        $era = intdiv($y >= 0 ? $y : $y - 399, 400);
        $yoe = $y - $era * 400;
        $doy = intdiv(153 * (($mo + 9) % 12) + 2, 5) + $d - 1;
        $days = $era * 146097 + $yoe * 365 + intdiv($yoe, 4) - intdiv($yoe, 100) + $doy - 719468;
        $offset = 0;
        $tz = $m[7] ?? '';
        if ($tz !== '' && $tz !== 'Z' && $tz !== 'z') {
            $digits = str_replace(':', '', substr($tz, 1));
            $offset = ($tz[0] === '-' ? -1 : 1) * ((int) substr($digits, 0, 2) * 3600 + (int) substr($digits, 2, 2) * 60);
        }
        return $days * 86400 + (int) ($m[4] ?? 0) * 3600 + (int) ($m[5] ?? 0) * 60 + (int) ($m[6] ?? 0) - $offset;
    }

    private function normalize(mixed $p): array
    {
        if (!is_array($p) || array_is_list($p)) {
            throw new InvalidArgumentException('a product must be an array with string keys, got ' . self::typeName($p));
        }
        if (!array_key_exists('id', $p)) {
            throw new InvalidArgumentException('missing id');
        }
        $id = self::parseId($p['id']);
        $name = ($p['name'] ?? null) === null ? '' : $this->htmlToText(self::scalarText('name', $p['name']) ?? '', false);
        if ($name === '') {
            throw new InvalidArgumentException('missing name');
        }
        $currency = $this->plain('currency', $p['currency'] ?? null);
        if ($currency === null) {
            $currency = $this->currency;
        } elseif (preg_match('/^[A-Za-z]{3}$/D', $currency)) {
            $currency = strtoupper($currency);
        } else {
            throw new InvalidArgumentException("invalid currency '$currency': expected a 3-letter ISO 4217 code");
        }
        [$price, $regular, $sale, $onSale] = $this->prices($p);
        $variations = [];
        if (($p['variations'] ?? null) !== null) {
            if (!is_array($p['variations']) || !array_is_list($p['variations'])) {
                throw self::wrongType('variations', 'a list of arrays', $p['variations']);
            }
            if (count($p['variations']) > 1000) {
                throw new InvalidArgumentException(count($p['variations']) . ' variations: more than 1000');
            }
            foreach ($p['variations'] as $v) {
                $variations[] = $this->variation($v);
            }
        }
        $text = '';
        foreach (['short_description', 'description'] as $key) {
            if (array_key_exists($key, $p)) {
                $part = $this->htmlToText(self::scalarText($key, $p[$key]) ?? '', true);
                if ($part !== '') {
                    $text .= ($text === '' ? '' : "\n") . $part;
                }
            }
        }
        $cut = self::truncateWords($text, $this->maxChars);
        if ($cut !== null) {
            $text = $cut;
            $this->truncated++;
        }
        $rating = self::price('rating', $p['rating'] ?? null, 2);
        if ($rating !== null && self::decimalLess('5.00', $rating)) {
            throw new InvalidArgumentException("invalid 'rating': expected 0 to 5");
        }
        $reviews = self::int('review_count', $p['review_count'] ?? null) ?? 0;
        if ($reviews < 0) {
            throw new InvalidArgumentException("invalid 'review_count': negative");
        }
        self::int('total_sales', $p['total_sales'] ?? null);
        $updated = $p['updated_at'] ?? null;
        $updated = match (true) {
            $updated === null => null,
            is_int($updated) && $updated >= 0 => $updated,
            is_string($updated) => trim($updated) === '' ? null : self::datetime($updated),
            default => throw self::wrongType('updated_at', 'a Unix time or ISO 8601 string', $updated),
        };
        return [
            'id' => $id,
            'name' => $name,
            'sku' => $this->plain('sku', $p['sku'] ?? null),
            'type' => $this->plain('type', $p['type'] ?? null) ?? 'simple',
            'status' => $this->plain('status', $p['status'] ?? null) ?? 'publish',
            'url' => $this->plain('permalink', $p['permalink'] ?? null),
            'price' => $price,
            'regular_price' => $regular,
            'sale_price' => $sale,
            'currency' => $currency,
            'on_sale' => $onSale,
            'stock_status' => $this->plain('stock_status', $p['stock_status'] ?? null) ?? 'instock',
            'stock_quantity' => self::int('stock_quantity', $p['stock_quantity'] ?? null),
            'categories' => $this->terms('categories', $p['categories'] ?? null),
            'tags' => $this->terms('tags', $p['tags'] ?? null),
            'attributes' => $this->attributes($p['attributes'] ?? null),
            'variations' => $variations,
            'text' => $text,
            'image' => $this->plain('image', $p['image'] ?? null),
            'rating' => $rating,
            'review_count' => $reviews,
            'updated_at' => $updated,
        ];
    }
}
