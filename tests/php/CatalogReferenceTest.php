<?php
declare(strict_types=1);

use Aisle\Catalog;
use PHPUnit\Framework\TestCase;

require_once dirname(__DIR__) . '/bench/catalog_generator.php';
require_once dirname(__DIR__) . '/bench/catalog_reference.php';

/** The pure-PHP reference and the extension write byte-identical NDJSON. */
final class CatalogReferenceTest extends TestCase
{
    public function testGeneratedCatalogIsByteIdentical(): void
    {
        foreach ([[7, []], [99, ['max_description_chars' => 300, 'currency' => 'eur', 'price_decimals' => 3]]] as [$seed, $options]) {
            $products = aisle_generate_catalog(400, $seed);
            $ext = new Catalog($options);
            $ref = new CatalogReference($options);
            $this->assertSame(400, $ext->addMany($products), json_encode($ext->errors()));
            $this->assertSame(400, $ref->addMany($products));
            $a = explode("\n", $ext->toNdjson());
            $b = explode("\n", $ref->toNdjson());
            $this->assertCount(count($b), $a);
            foreach ($a as $i => $line) {
                $this->assertSame($b[$i], $line, "line $i differs (seed $seed)");
            }
            $this->assertSame($ref->hashes(), $ext->hashes());
            $this->assertSame($ref->stats(), $ext->stats());
            $this->assertGreaterThan(0, $ext->stats()['utf8_repairs'], 'the generator exercises UTF-8 repair');
            $this->assertGreaterThan(0, $ext->stats()['truncated'], 'the generator exercises truncation');
        }
    }

    public function testEdgeCasesMatchTheReference(): void
    {
        $cases = [
            "a<script>x</scriptfoo>b", "<p>x</p\n>y", "[/caption]z[ab\tc]d", "&#1234567; &#12345678; &#x10FFFF;",
            "x\u{2028}y\u{3000}z", "\xE0\x80\x80 \xED\xA0\x80 \xF4\x90\x80\x80 \xC0\xAF", "<a title='>'>t</a>", "&AMP; &Eacute;",
            "tail <", "<!-->x", str_repeat('ab ', 40),
        ];
        foreach ($cases as $i => $html) {
            $p = ['id' => $i + 1, 'name' => $html, 'description' => $html, 'categories' => [$html]];
            $ext = new Catalog(['max_description_chars' => 50]);
            $ref = new CatalogReference(['max_description_chars' => 50]);
            $ext->addMany([$p]);
            $ref->addMany([$p]);
            $this->assertSame($ref->toNdjson(), $ext->toNdjson(), "case $i: " . bin2hex($html));
        }
    }
}
