<?php
/**
 * The generated catalog of the relevance set: deterministic (its own xorshift generator, seeded), a few
 * thousand products a shop could sell, with the look-alikes that trip a search engine (Shirt / T-Shirt /
 * Sweatshirt, Cap / Capri Pants, Hat / Hatchback, Boot / Bootcut, Bag / Baguette dish, Watch / Watch Strap),
 * products with no price, out-of-stock twins of in-stock ones, variable products with variations, SKUs.
 *
 * Products are numbered from 10001 in a fixed order, so ids and SKUs stay the same from run to run (the
 * queries name products by SKU). Change the generator and you change the catalog: rerun the set and check
 * that every `expected` still resolves (run.php refuses a query whose expected products are not found).
 *
 *   php tests/relevance/generate.php [count]   prints the catalog as JSON lines (to look at it)
 */

final class RelevanceRandom
{
    private int $s;

    public function __construct(int $seed)
    {
        $this->s = $seed ?: 0x9E3779B9;
    }

    /** xorshift32: the same sequence on every PHP build. */
    public function next(): int
    {
        $x = $this->s;
        $x ^= ($x << 13) & 0xFFFFFFFF;
        $x ^= $x >> 17;
        $x ^= ($x << 5) & 0xFFFFFFFF;
        return $this->s = $x & 0xFFFFFFFF;
    }

    public function int(int $min, int $max): int
    {
        return $min + $this->next() % ($max - $min + 1);
    }

    public function pick(array $list): mixed
    {
        return $list[$this->next() % count($list)];
    }

    public function chance(float $p): bool
    {
        return $this->next() / 4294967296 < $p;
    }
}

final class RelevanceGenerated
{
    public const BRANDS = [
        'Northwind', 'Alpine Co', 'Urban Loom', 'Kestrel', 'Bluebay', 'Trailhead', 'Maple & Oak', 'Zephyr',
        'Solstice', 'Ironbark', 'Harbor Lane', 'Copperleaf', 'Nordhavn', 'Riverstone', 'Fable',
    ];
    public const KIDS_BRANDS = ['Littlefox', 'Pebble Kids', 'Tiny Otter'];
    public const COLOURS = ['Black', 'White', 'Navy', 'Blue', 'Red', 'Green', 'Grey', 'Yellow', 'Pink', 'Beige', 'Brown', 'Olive', 'Burgundy', 'Orange', 'Purple'];

    /**
     * type => [category path, [materials], [min price, max price], audience set, sizes kind, text noun]
     * audience set: 'adult' (Men's/Women's/none), 'kids', 'any' (no audience word), 'home'.
     */
    public const TYPES = [
        'T-Shirt'        => ['Clothing > T-Shirts', ['Cotton', 'Organic Cotton', 'Bamboo', 'Linen'], [8, 35], 'adult', 'apparel'],
        'Shirt'          => ['Clothing > Shirts', ['Cotton', 'Linen', 'Flannel', 'Oxford', 'Denim'], [25, 80], 'adult', 'apparel'],
        'Sweatshirt'     => ['Clothing > Sweatshirts', ['Cotton', 'Fleece', 'Organic Cotton'], [22, 70], 'adult', 'apparel'],
        'Hoodie'         => ['Clothing > Knitwear', ['Cotton', 'Fleece', 'Organic Cotton', 'Merino'], [5.89, 29], 'adult', 'apparel'],
        'Zip Hoodie'     => ['Clothing > Jackets', ['Fleece', 'Cotton'], [30, 75], 'adult', 'apparel'],
        'Sweater'        => ['Clothing > Knitwear', ['Wool', 'Merino', 'Cashmere', 'Cotton'], [35, 160], 'adult', 'apparel'],
        'Polo Shirt'     => ['Clothing > T-Shirts', ['Cotton', 'Pique Cotton'], [18, 55], 'adult', 'apparel'],
        'Blouse'         => ['Clothing > Shirts', ['Silk', 'Linen', 'Viscose'], [28, 90], 'women', 'apparel'],
        'Jeans'          => ['Clothing > Pants', ['Denim', 'Stretch Denim'], [35, 120], 'adult', 'waist'],
        'Bootcut Jeans'  => ['Clothing > Pants', ['Denim', 'Stretch Denim'], [40, 110], 'adult', 'waist'],
        'Chinos'         => ['Clothing > Pants', ['Cotton', 'Twill'], [30, 85], 'adult', 'waist'],
        'Capri Pants'    => ['Clothing > Pants', ['Cotton', 'Linen', 'Stretch Cotton'], [20, 60], 'women', 'waist'],
        'Shorts'         => ['Clothing > Pants', ['Cotton', 'Linen', 'Denim'], [15, 45], 'adult', 'waist'],
        'Dress'          => ['Clothing > Dresses', ['Cotton', 'Linen', 'Silk', 'Viscose'], [30, 150], 'women', 'apparel'],
        'Skirt'          => ['Clothing > Dresses', ['Cotton', 'Denim', 'Wool'], [25, 80], 'women', 'apparel'],
        'Jacket'         => ['Clothing > Jackets', ['Denim', 'Leather', 'Nylon', 'Wool'], [60, 250], 'adult', 'apparel'],
        'Raincoat'       => ['Clothing > Jackets', ['Waterproof Nylon', 'Recycled Polyester'], [55, 180], 'adult', 'apparel'],
        'Puffer Jacket'  => ['Clothing > Jackets', ['Down', 'Recycled Polyester'], [80, 260], 'adult', 'apparel'],
        'Pajamas'        => ['Clothing > Nightwear', ['Cotton', 'Flannel', 'Bamboo'], [20, 60], 'kids', 'kids'],
        'Socks'          => ['Clothing > Socks', ['Cotton', 'Merino', 'Bamboo', 'Wool'], [4, 18], 'any', 'shoe'],
        'Cap'            => ['Accessories > Hats & Caps', ['Cotton', 'Twill', 'Mesh'], [10, 35], 'any', 'none'],
        'Baseball Cap'   => ['Accessories > Hats & Caps', ['Cotton', 'Twill'], [12, 38], 'any', 'none'],
        'Hat'            => ['Accessories > Hats & Caps', ['Straw', 'Wool Felt', 'Cotton'], [15, 70], 'any', 'none'],
        'Sun Hat'        => ['Accessories > Hats & Caps', ['Straw', 'Cotton'], [14, 45], 'any', 'none'],
        'Bucket Hat'     => ['Accessories > Hats & Caps', ['Cotton', 'Denim', 'Nylon'], [15, 40], 'any', 'none'],
        'Beanie'         => ['Accessories > Hats & Caps', ['Wool', 'Merino', 'Acrylic', 'Cashmere'], [9, 45], 'any', 'none'],
        'Scarf'          => ['Accessories > Scarves', ['Wool', 'Cashmere', 'Silk', 'Cotton'], [15, 120], 'any', 'none'],
        'Gloves'         => ['Accessories > Gloves', ['Leather', 'Wool', 'Fleece'], [12, 70], 'any', 'glove'],
        'Belt'           => ['Accessories > Belts', ['Leather', 'Canvas'], [15, 80], 'any', 'waist'],
        'Wallet'         => ['Accessories > Bags', ['Leather', 'Canvas'], [20, 95], 'any', 'none'],
        'Backpack'       => ['Accessories > Bags', ['Canvas', 'Nylon', 'Recycled Polyester', 'Leather'], [35, 180], 'any', 'none'],
        'Tote Bag'       => ['Accessories > Bags', ['Canvas', 'Cotton', 'Jute'], [10, 45], 'any', 'none'],
        'Sunglasses'     => ['Accessories > Eyewear', ['Acetate', 'Metal'], [25, 190], 'any', 'none'],
        'Watch'          => ['Accessories > Watches', ['Stainless Steel', 'Leather', 'Titanium'], [60, 450], 'any', 'none'],
        'Watch Strap'    => ['Accessories > Watches', ['Leather', 'Silicone', 'Nylon'], [12, 45], 'any', 'none'],
        'Sneakers'       => ['Shoes > Sneakers', ['Canvas', 'Leather', 'Mesh', 'Suede'], [45, 160], 'adult', 'shoe'],
        'Running Shoes'  => ['Shoes > Sneakers', ['Mesh', 'Knit'], [60, 180], 'adult', 'shoe'],
        'Boots'          => ['Shoes > Boots', ['Leather', 'Suede'], [70, 260], 'adult', 'shoe'],
        'Rain Boots'     => ['Shoes > Boots', ['Rubber'], [25, 70], 'kids', 'shoe'],
        'Sandals'        => ['Shoes > Sandals', ['Leather', 'Rubber', 'Cork'], [20, 90], 'adult', 'shoe'],
        'Slippers'       => ['Shoes > Slippers', ['Wool', 'Fleece', 'Suede'], [15, 55], 'any', 'shoe'],
        'Mug'            => ['Home > Kitchen', ['Ceramic', 'Stoneware', 'Enamel'], [8, 30], 'home', 'none'],
        'Water Bottle'   => ['Home > Kitchen', ['Stainless Steel', 'Glass', 'BPA-free Plastic'], [10, 40], 'home', 'none'],
        'Baguette Dish'  => ['Home > Kitchen', ['Ceramic', 'Stoneware'], [18, 45], 'home', 'none'],
        'Candle'         => ['Home > Decor', ['Soy Wax', 'Beeswax'], [9, 40], 'home', 'none'],
        'Cushion'        => ['Home > Decor', ['Linen', 'Velvet', 'Cotton'], [18, 60], 'home', 'none'],
        'Blanket'        => ['Home > Bedding', ['Wool', 'Fleece', 'Cotton'], [30, 150], 'home', 'none'],
        'Towel'          => ['Home > Bath', ['Cotton', 'Bamboo', 'Linen'], [8, 40], 'home', 'none'],
        'Lamp'           => ['Home > Lighting', ['Brass', 'Ceramic', 'Oak'], [35, 220], 'home', 'none'],
        'Hatchback Toy Car' => ['Toys > Vehicles', ['Die-cast Metal', 'Wood'], [8, 30], 'toy', 'none'],
        'Toy Truck'      => ['Toys > Vehicles', ['Wood', 'Plastic'], [12, 45], 'toy', 'none'],
        'Teddy Bear'     => ['Toys > Soft Toys', ['Plush', 'Organic Cotton'], [12, 50], 'toy', 'none'],
        'Jigsaw Puzzle'  => ['Toys > Games', ['Cardboard', 'Wood'], [10, 40], 'toy', 'none'],
        'Phone Case'     => ['Electronics > Accessories', ['Silicone', 'Leather', 'Recycled Plastic'], [10, 45], 'tech', 'phone'],
        'Headphones'     => ['Electronics > Audio', ['Plastic', 'Aluminium'], [25, 300], 'tech', 'none'],
        'Wireless Earbuds' => ['Electronics > Audio', ['Plastic'], [30, 220], 'tech', 'none'],
        'Phone Charger'  => ['Electronics > Accessories', ['Plastic'], [12, 45], 'tech', 'none'],
        'Notebook'       => ['Stationery', ['Recycled Paper', 'Leather'], [5, 30], 'home', 'none'],
    ];

    public const STYLES = ['Classic', 'Essential', 'Everyday', 'Relaxed', 'Slim Fit', 'Vintage', 'Heritage', 'Lightweight', 'Premium', 'Oversized', 'Trail', 'Studio', 'Weekend', 'Urban', 'Coastal'];
    public const SIZES = [
        'apparel' => ['XS', 'S', 'M', 'L', 'XL', 'XXL'],
        'waist'   => ['28', '30', '32', '34', '36', '38'],
        'kids'    => ['2-3Y', '4-5Y', '6-7Y', '8-9Y', '10-11Y'],
        'shoe'    => ['36', '37', '38', '39', '40', '41', '42', '43', '44', '45'],
        'glove'   => ['S', 'M', 'L'],
        'phone'   => ['iPhone 15', 'iPhone 16', 'Galaxy S24', 'Pixel 9'],
    ];
    /** Sentences that mention other product words: the noise real descriptions have. */
    public const NOISE = [
        'Pairs well with a cap or a beanie on cooler days.',
        'Wear it under a jacket or over a shirt.',
        'Looks great with jeans and sneakers.',
        'A gift idea for dads, mums and kids alike.',
        'Packed in a recycled cardboard box with a thank-you card.',
        'Machine washable at 30 degrees.',
        'Made in Portugal in a family-run workshop.',
        'Our best seller since 2019.',
        'Fits true to size; size up for a relaxed look.',
        'Free returns within 30 days.',
    ];

    /** @return list<array> products in Catalog::addMany shape, ids from 10001 */
    public static function products(int $count = 3000, int $seed = 20261201): array
    {
        $r = new RelevanceRandom($seed);
        $types = array_keys(self::TYPES);
        $out = [];
        $id = 10000;
        $names = [];
        $i = 0;
        while (count($out) < $count) {
            $type = $types[$i % count($types)];
            $i++;
            [$path, $materials, [$lo, $hi], $aud, $sizeKind] = self::TYPES[$type];
            $audience = match ($aud) {
                'adult' => $r->pick(["Men's", "Women's", '', '']),
                'women' => "Women's",
                'kids'  => "Kids'",
                'any'   => $r->pick(['', '', '', "Kids'", "Men's", "Women's"]),
                default => '',
            };
            $isKids = $audience === "Kids'" || $aud === 'toy';
            $brand = $isKids && $r->chance(0.7) ? $r->pick(self::KIDS_BRANDS) : $r->pick(self::BRANDS);
            $material = $r->pick($materials);
            $style = $r->chance(0.6) ? $r->pick(self::STYLES) : '';
            $colour = $r->pick(self::COLOURS);
            $who = str_contains($brand, 'Kids') ? '' : $audience; // "Pebble Kids Kids' …" reads wrong
            $base = trim(preg_replace('/\s+/', ' ', "$brand $who $style $material $type"));
            $name = "$base - $colour";
            if (isset($names[$name])) {
                continue; // one product a name (twins below are made on purpose)
            }
            $names[$name] = true;
            $id++;
            $price = round($lo + ($hi - $lo) * ($r->next() / 4294967296), 2);
            $price = $price >= 20 ? floor($price) + ($r->chance(0.5) ? 0.99 : 0.0) : $price;
            $categories = explode(' > ', $path);
            if ($audience === "Kids'" || $aud === 'toy' || $aud === 'kids') {
                $categories[] = 'Kids';
            } elseif ($audience === "Men's") {
                $categories[] = 'Men';
            } elseif ($audience === "Women's") {
                $categories[] = 'Women';
            }
            $tags = [];
            if ($r->chance(0.15)) {
                $tags[] = 'new';
            }
            if ($r->chance(0.1)) {
                $tags[] = 'gift';
            }
            if (str_contains($material, 'Organic') || str_contains($material, 'Recycled')) {
                $tags[] = 'sustainable';
            }
            $sku = self::sku($brand, $type, $id);
            $lowerType = strtolower($type);
            $text = "The $brand " . strtolower(trim("$style $material")) . " $lowerType in " . strtolower($colour) . '. '
                . $r->pick(self::NOISE) . ' ' . $r->pick(self::NOISE);
            $p = [
                'id' => $id,
                'name' => $name,
                'sku' => $sku,
                'type' => 'simple',
                'permalink' => "https://shop.example/product/$id",
                'categories' => array_values(array_unique($categories)),
                'tags' => $tags,
                'attributes' => ['Color' => [$colour], 'Material' => [$material], 'Brand' => [$brand]],
                'short_description' => "$material $lowerType by $brand.",
                'description' => $text,
                'stock_status' => 'instock',
            ];
            $sale = $r->chance(0.15);
            if ($r->chance(0.04)) {
                // no price set (a product still being edited, a "price on request" item)
            } elseif ($sale) {
                $p['regular_price'] = number_format($price * 1.25, 2, '.', '');
                $p['sale_price'] = number_format($price, 2, '.', '');
            } else {
                $p['regular_price'] = number_format($price, 2, '.', '');
            }
            if (isset(self::SIZES[$sizeKind]) && $r->chance(0.25)) {
                // a variable product: sizes (and one or two more colours) as variations
                $sizes = self::SIZES[$sizeKind];
                $colours = array_values(array_unique([$colour, $r->pick(self::COLOURS)]));
                $p['type'] = 'variable';
                $p['name'] = $base;
                $p['attributes']['Color'] = $colours;
                $p['attributes']['Size'] = $sizes;
                $p['variations'] = [];
                $vid = $id * 100;
                $min = null;
                foreach ($colours as $c) {
                    foreach ($sizes as $k => $s) {
                        $vp = $price + ($k >= 4 ? 2 : 0);
                        $p['variations'][] = [
                            'id' => ++$vid, 'sku' => $sku . '-' . strtoupper(substr($c, 0, 3)) . '-' . preg_replace('/\W/', '', $s),
                            'regular_price' => number_format($vp, 2, '.', ''),
                            'stock_status' => $r->chance(0.1) ? 'outofstock' : 'instock',
                            'attributes' => ['Color' => $c, 'Size' => $s],
                        ];
                        $min = $min === null ? $vp : min($min, $vp);
                    }
                }
                unset($p['sale_price']);
                $p['regular_price'] = number_format($min, 2, '.', '');
                $p['price'] = $p['regular_price'];
                $names[$base] = true;
            }
            $out[] = $p;
            if ($r->chance(0.06) && count($out) < $count) {
                // an out-of-stock twin: the same product from an older listing, sold out
                $twin = $p;
                $twin['id'] = ++$id;
                $twin['sku'] = $sku . '-OLD';
                $twin['stock_status'] = 'outofstock';
                $twin['permalink'] = "https://shop.example/product/$id";
                unset($twin['variations']);
                $twin['type'] = 'simple';
                $out[] = $twin;
            } elseif ($r->chance(0.08)) {
                $p['stock_status'] = 'outofstock';
                $out[count($out) - 1] = $p;
            }
        }
        return $out;
    }

    public static function sku(string $brand, string $type, int $id): string
    {
        $b = strtoupper(substr(preg_replace('/[^A-Za-z]/', '', $brand), 0, 3));
        $t = strtoupper(substr(preg_replace('/[^A-Za-z]/', '', $type), 0, 3));
        return "$b-$t-$id";
    }
}

if (realpath($_SERVER['SCRIPT_FILENAME'] ?? '') === __FILE__) {
    foreach (RelevanceGenerated::products((int) ($argv[1] ?? 3000)) as $p) {
        echo json_encode($p, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
    }
}
