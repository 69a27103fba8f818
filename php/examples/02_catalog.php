<?php
/**
 * Catalog sync in miniature: generate a synthetic store, normalize + hash +
 * serialize it, diff against a previous sync, build the search index and ask it
 * a few questions. Run: make demo
 */
declare(strict_types=1);

require dirname(__DIR__, 2) . '/tests/bench/catalog_generator.php';

$ms = static fn (int $t0): string => sprintf('%.1f ms', (hrtime(true) - $t0) / 1e6);

$t = hrtime(true);
$products = aisle_generate_catalog(5000, 2026);
echo "generated 5,000 products in PHP: ", $ms($t), "\n";

$t = hrtime(true);
$catalog = new Aisle\Catalog(['currency' => 'EUR', 'max_description_chars' => 1500]);
$accepted = $catalog->addMany($products);
$catalog->addMany([['id' => 'oops', 'name' => 'Broken row'], ['id' => 999999, 'price' => 'free']]);
echo "normalized + hashed $accepted products: ", $ms($t), "\n";
print_r($catalog->stats());
foreach ($catalog->errors() as $e) {
    echo "  rejected id ", var_export($e['id'], true), ": {$e['error']}\n";
}

$t = hrtime(true);
$ndjson = $catalog->toNdjson();
echo "NDJSON: ", number_format(strlen($ndjson)), " bytes in ", $ms($t), "; first line:\n", mb_strimwidth(substr($ndjson, 0, strpos($ndjson, "\n")), 0, 300, "…"), "\n";
$batches = $catalog->batches(1 << 20);
echo count($batches), " batches of at most 1 MiB\n";

$previous = $catalog->hashes();
$next = new Aisle\Catalog(['currency' => 'EUR', 'max_description_chars' => 1500]);
$changedProducts = $products;
$changedProducts[10]['name'] = 'Renamed product';
unset($changedProducts[20]);
$next->addMany($changedProducts);
$diff = $next->diff($previous);
echo "delta sync: changed ", json_encode($diff['changed']), ", deleted ", json_encode($diff['deleted']), ", unchanged {$diff['unchanged']}\n";

$dir = sys_get_temp_dir() . '/aisle-demo-index';
$t = hrtime(true);
$catalog->writeIndex($dir);
echo "search index written to $dir: ", $ms($t), "\n";

$index = Aisle\CatalogIndex::open($dir);
foreach ([
    ['blue hoodie', []],
    ['SKU-000042', []],
    ['wireles headphnes', ['in_stock' => true]],
    ['backpack', ['price_max' => 50]],
    ['قميص', []],
    ['耳机', []],
    ['creme', ['category' => 'Beauty']],
] as [$q, $filters]) {
    $t = hrtime(true);
    $hits = $index->search($q, 3, $filters);
    printf("\n%-20s %-26s %s\n", "\"$q\"", json_encode($filters), $ms($t));
    foreach ($hits as $h) {
        printf("   #%-6d %-40s %10s %s\n", $h['id'], mb_strimwidth($h['name'], 0, 40), $h['price'] ?? '-', $h['in_stock'] ? 'in stock' : 'out of stock');
    }
}
