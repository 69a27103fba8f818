<?php
/**
 * Deterministic synthetic WooCommerce catalog: the same seed gives the same
 * products on every machine. Realistic on purpose: HTML descriptions with
 * entities, shortcodes, scripts and comments; variable products; sales; out of
 * stock items; names in English, Arabic, Chinese, Russian, French and with emoji;
 * the odd invalid UTF-8 byte, as real imports contain.
 */
declare(strict_types=1);

function aisle_generate_catalog(int $count, int $seed = 42, int $firstId = 1): array
{
    $r = new Random\Randomizer(new Random\Engine\Mt19937($seed));
    $pick = static fn (array $a) => $a[$r->getInt(0, count($a) - 1)];
    $chance = static fn (int $percent) => $r->getInt(1, 100) <= $percent;

    $adjectives = ['Classic', 'Organic', 'Premium', 'Vintage', 'Slim', 'Oversized', 'Waterproof', 'Handmade', 'Wireless', 'Ergonomic', 'Lightweight', 'Insulated'];
    $colors = ['Blue', 'Red', 'Black', 'White', 'Green', 'Navy', 'Beige', 'Grey', 'Olive', 'Burgundy'];
    $nouns = ['T-Shirt', 'Hoodie', 'Sneakers', 'Backpack', 'Headphones', 'Coffee Mug', 'Desk Lamp', 'Water Bottle', 'Yoga Mat', 'Wallet', 'Sunglasses', 'Jacket', 'Scarf', 'Keyboard', 'Teapot'];
    $arabic = ['قميص قطني أزرق', 'حقيبة ظهر جلدية', 'سماعات لاسلكية', 'ساعة يد كلاسيكية', 'عطر العود الفاخر', 'كوب قهوة سيراميك'];
    $chinese = ['蓝色棉质衬衫', '无线蓝牙耳机', '真皮双肩包', '陶瓷咖啡杯', '智能手表', '绿茶礼盒'];
    $russian = ['Синяя рубашка', 'Кожаный рюкзак', 'Беспроводные наушники', 'Шерстяной шарф'];
    $french = ['Crème hydratante', 'Café torréfié', 'Théière en fonte', 'Écharpe à carreaux', 'Pâte à tartiner'];
    $emoji = ['🎧', '☕', '🎒', '👟', '🌿', '🔥', '✨'];
    $categories = ['Clothing', 'Shoes', 'Accessories', 'Electronics', 'Home &amp; Kitchen', 'Beauty', 'Sports', 'Gifts', 'Tea &amp; Coffee'];
    $tags = ['new', 'bestseller', 'eco', 'gift idea', 'summer', 'winter', 'limited', 'vegan', 'sale'];
    $words = explode(' ', 'soft durable comfortable cotton leather steel premium quality design everyday travel office outdoor gift perfect fit size color warranty shipping natural handcrafted modern elegant light strong washable breathable recycled');
    $sizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'];

    // A pool of sentences keeps generation fast (100,000 products in seconds).
    $pool = [];
    for ($s = 0; $s < 400; $s++) {
        $out = [];
        for ($i = $r->getInt(6, 16); $i > 0; $i--) {
            $out[] = $pick($words);
        }
        $pool[] = ucfirst(implode(' ', $out)) . '.';
    }
    $sentence = static fn (): string => $pool[$r->getInt(0, 399)];
    $html = static function (int $paragraphs) use ($r, $sentence, $chance): string {
        $parts = [];
        for ($i = 0; $i < $paragraphs; $i++) {
            $p = $sentence() . ' ' . $sentence();
            if ($chance(30)) {
                $p = str_replace(' quality ', ' <strong>quality</strong> ', $p);
            }
            if ($chance(20)) {
                $p .= ' Caf&eacute; &amp; more&nbsp;&#8211; &quot;best&quot; choice&hellip;';
            }
            $parts[] = "<p>$p</p>";
            if ($chance(25)) {
                $parts[] = "<ul>\n  <li>" . $sentence() . "</li>\n  <li>Size&nbsp;guide: S&ndash;XL</li>\n</ul>";
            }
            if ($chance(10)) {
                $parts[] = '[gallery ids="' . $r->getInt(1, 900) . ',' . $r->getInt(1, 900) . '"]';
            }
            if ($chance(8)) {
                $parts[] = '[caption id="attachment_' . $r->getInt(1, 99) . '" align="alignnone"]<img src="https://shop.example/img.jpg" alt="x"> Photo[/caption]';
            }
            if ($chance(5)) {
                $parts[] = "<script>window.track && track('view', {\"p\": 1});</script><!-- legacy note -->";
            }
            if ($chance(4)) {
                $parts[] = '<style>.x{color:red}</style><div class="note">Ships in 24&#160;h<br>Free returns</div>';
            }
        }
        return implode("\n", $parts);
    };

    $products = [];
    for ($k = 0; $k < $count; $k++) {
        $id = $firstId + $k;
        $lang = $r->getInt(1, 100);
        $name = match (true) {
            $lang <= 8 => $pick($arabic),
            $lang <= 15 => $pick($chinese),
            $lang <= 19 => $pick($russian),
            $lang <= 24 => $pick($french),
            default => $pick($adjectives) . ' ' . $pick($colors) . ' ' . $pick($nouns),
        };
        if ($chance(5)) {
            $name .= ' ' . $pick($emoji);
        }
        if ($chance(3)) {
            $name = str_replace(' ', ' &amp; ', $name, $one);
        }
        $name .= ' #' . $id;
        $type = $chance(25) ? 'variable' : ($chance(5) ? 'external' : 'simple');
        $regular = $r->getInt(199, 49999) / 100;
        $onSale = $chance(30);
        $sale = $onSale ? round($regular * $r->getInt(50, 95) / 100, 2) : null;
        $stock = $chance(10) ? 'outofstock' : ($chance(3) ? 'onbackorder' : 'instock');
        $priceAs = $r->getInt(1, 3);
        $fmt = static fn (?float $v) => $v === null ? '' : match ($priceAs) {
            1 => number_format($v, 2, '.', ''),
            2 => $v,
            default => (string) $v,
        };
        $p = [
            'id' => $chance(50) ? $id : (string) $id,
            'name' => $name,
            'sku' => $chance(90) ? sprintf('SKU-%06d', $id) : '',
            'type' => $type,
            'status' => 'publish',
            'permalink' => "https://shop.example/product/p-$id/",
            'regular_price' => $fmt($regular),
            'sale_price' => $fmt($sale),
            'stock_status' => $stock,
            'stock_quantity' => $stock === 'outofstock' ? 0 : ($chance(60) ? $r->getInt(1, 500) : null),
            'categories' => array_values(array_unique([$pick($categories), $pick($categories)])),
            'tags' => $chance(60) ? [$pick($tags), $pick($tags)] : [],
            'attributes' => ['Color' => [$pick($colors), $pick($colors)], 'Material' => [$pick(['Cotton', 'Leather', 'Steel', 'Ceramic', 'Wool'])]],
            'short_description' => $chance(70) ? '<p>' . $sentence() . '</p>' : '',
            'description' => $html($r->getInt(1, $chance(10) ? 30 : 6)),
            'image' => "https://shop.example/wp-content/uploads/p-$id.jpg",
            'rating' => $chance(70) ? $r->getInt(10, 50) / 10 : 0,
            'review_count' => $r->getInt(0, 400),
            'total_sales' => $r->getInt(0, 10000),
            'updated_at' => $chance(50) ? 1700000000 + $r->getInt(0, 30000000) : gmdate('Y-m-d H:i:s', 1700000000 + $r->getInt(0, 30000000)),
        ];
        if ($onSale || $chance(50)) {
            $p['price'] = $fmt($onSale ? $sale : $regular);
        }
        if ($type === 'variable') {
            $p['attributes']['Size'] = $sizes;
            $n = $r->getInt(2, 12);
            $variations = [];
            for ($v = 0; $v < $n; $v++) {
                $vr = $r->getInt(199, 49999) / 100;
                $variations[] = [
                    'id' => $id * 100 + $v,
                    'sku' => sprintf('SKU-%06d-%02d', $id, $v),
                    'regular_price' => $fmt($vr),
                    'sale_price' => $chance(20) ? $fmt(round($vr * 0.8, 2)) : '',
                    'stock_status' => $chance(15) ? 'outofstock' : 'instock',
                    'stock_quantity' => $r->getInt(0, 50),
                    'attributes' => ['Size' => $sizes[$v % count($sizes)], 'Color' => $pick($colors)],
                ];
            }
            $p['variations'] = $variations;
        }
        if ($chance(1)) {
            $p['description'] .= "\xC3(\xFF broken import";
        }
        if ($chance(50)) {
            // Key order must not matter: shuffle it for half the products.
            $keys = array_keys($p);
            $keys = $r->shuffleArray($keys);
            $p = array_combine($keys, array_map(static fn ($key) => $p[$key], $keys));
        }
        $products[] = $p;
    }
    return $products;
}
