<?php
declare(strict_types=1);

/**
 * DESIGN.md: bulk reads "are tested against what the CRUD path returns on the same store". One
 * store with every kind of product the adapter must read right; for each, WooAdapter::products()
 * next to what wc_get_product() and its getters say.
 */
final class AdapterParityTest extends WpTestCase
{
    private static array $ids = [];

    /** Site code: $questions() counts the queries sent on wpdb's connection; $rows() keys adapter rows by id. */
    private const COUNTING = <<<'PHP'
global $wpdb;
$questions = static fn () => (int) $wpdb->get_row("SHOW SESSION STATUS LIKE 'Questions'", ARRAY_N)[1];
$rows = static function (array $list): array {
    $out = array();
    foreach ($list as $row) {
        $out[$row['id']] = $row;
    }
    return $out;
};
PHP;

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        self::$ids = self::$h->wp(<<<'PHP'
aisle_test_add_attribute('color', 'Color');
aisle_test_add_attribute('size', 'Size');
wp_insert_term('Blue', 'pa_color', array('slug' => 'blue'));
wp_insert_term('Red', 'pa_color', array('slug' => 'red'));
wp_insert_term('Navy Blue', 'pa_color', array('slug' => 'navy-blue'));
wp_insert_term('Large', 'pa_size', array('slug' => 'l'));
$image = wp_insert_attachment(array('post_title' => 'Parity image', 'post_mime_type' => 'image/jpeg', 'post_status' => 'inherit'), '2026/02/parity-shirt.jpg');
$ids = array();
$ids['simple'] = aisle_test_save_product(array('name' => 'Parity Mug', 'sku' => 'PAR-MUG', 'regular_price' => '12.50', 'categories' => array('Kitchen', 'Gifts'), 'tags' => array('ceramic', 'blue things'), 'image_id' => $image, 'description' => '<p>A <b>mug</b></p>', 'short_description' => 'Short'));
$ids['sale'] = aisle_test_save_product(array('name' => 'Parity Sale Lamp', 'sku' => 'PAR-LAMP', 'regular_price' => '30.00', 'sale_price' => '24.99', 'categories' => array('Home')));
$ids['out'] = aisle_test_save_product(array('name' => 'Parity Gone Vase', 'sku' => 'PAR-VASE', 'regular_price' => '40', 'stock_quantity' => 0, 'stock_status' => 'outofstock', 'categories' => array('Home')));
$ids['stock'] = aisle_test_save_product(array('name' => 'Parity Counted Plate', 'regular_price' => '9.00', 'stock_quantity' => 7, 'categories' => array('Kitchen')));
$ids['hidden'] = aisle_test_save_product(array('name' => 'Parity Hidden Box', 'regular_price' => '5', 'hidden' => true));
$ids['draft'] = aisle_test_save_product(array('name' => 'Parity Draft Bowl', 'regular_price' => '8', 'status' => 'draft'));
$ids['variable'] = aisle_test_save_product(array(
  'name' => 'Parity Tee', 'sku' => 'PAR-TEE', 'categories' => array('Shirts'), 'tags' => array('cotton'), 'image_id' => $image,
  'attributes' => array('pa_color' => array('blue', 'red', 'navy-blue'), 'Fit' => array('Slim', 'Loose'), 'pa_size' => array('l')),
  'variations' => array(
    array('sku' => 'PAR-TEE-B', 'regular_price' => '20.00', 'sale_price' => '15.00', 'attributes' => array('pa_color' => 'blue', 'Fit' => 'Slim')),
    array('sku' => 'PAR-TEE-R', 'regular_price' => '22.00', 'stock_status' => 'outofstock', 'attributes' => array('pa_color' => 'red', 'Fit' => 'Loose')),
    array('sku' => 'PAR-TEE-N', 'regular_price' => '21.00', 'attributes' => array('pa_color' => 'navy-blue', 'Fit' => '')),
    array('sku' => 'PAR-TEE-X', 'regular_price' => '19.00', 'attributes' => array('pa_color' => 'blue', 'Fit' => 'Loose')),
  ),
));
// A disabled (private) variation: WooCommerce does not sell it, so neither path lists it.
$children = wc_get_product($ids['variable'])->get_children();
$off = wc_get_product(end($children));
$off->set_status('private');
$off->save();
WC_Product_Variable::sync($ids['variable']);
$ids['custom_variable'] = aisle_test_save_product(array(
  'name' => 'Parity Socks', 'categories' => array('Socks'),
  'attributes' => array('Sock Size' => array('S', 'M')),
  'variations' => array(
    array('regular_price' => '5.00', 'attributes' => array('Sock Size' => 'S')),
    array('regular_price' => '6.00', 'sale_price' => '5.50', 'attributes' => array('Sock Size' => 'M')),
  ),
));
// An attribute the merchant chose not to show on the product page.
$p = wc_get_product($ids['simple']);
$shown = new WC_Product_Attribute(); $shown->set_name('Glaze'); $shown->set_options(array('Matte', 'Gloss')); $shown->set_visible(true);
$notshown = new WC_Product_Attribute(); $notshown->set_name('Batch'); $notshown->set_options(array('B7')); $notshown->set_visible(false); $notshown->set_position(1);
$p->set_attributes(array($shown, $notshown));
$p->save();
return $ids;
PHP);
    }

    public static function tearDownAfterClass(): void
    {
        self::$h->wp('foreach (' . var_export(array_values(self::$ids), true) . ' as $id) { aisle_test_delete_product($id, true); } return true;');
    }

    /** The same product set, through the adapter and through the CRUD classes. */
    private function both(): array
    {
        return self::$h->wp('$ids = ' . var_export(array_values(self::$ids), true) . ';' . <<<'PHP'
$crud = array();
foreach ($ids as $id) {
    $p = wc_get_product($id);
    $terms = static fn (string $tax) => array_map('strval', wc_get_product_terms($id, $tax, array('fields' => 'names')));
    $attributes = array();
    foreach ($p->get_attributes() as $attr) {
        if (!$attr->get_visible()) {
            continue;
        }
        $values = $attr->is_taxonomy() ? $terms($attr->get_name()) : array_map('strval', $attr->get_options());
        if ($values) {
            $attributes[wc_attribute_label($attr->get_name(), $p)] = $values;
        }
    }
    $variations = array();
    foreach ($p->is_type('variable') ? $p->get_children() : array() as $vid) {
        $v = wc_get_product($vid);
        if ('publish' !== $v->get_status()) {
            continue;
        }
        $vatt = array();
        foreach ($v->get_attributes() as $key => $value) {
            if ('' === $value) {
                continue; // "Any" value.
            }
            $term = taxonomy_exists($key) ? get_term_by('slug', $value, $key) : null;
            $vatt[wc_attribute_label($key, $p)] = $term ? $term->name : $value;
        }
        $variations[] = array('id' => $vid, 'sku' => $v->get_sku(), 'price' => $v->get_price(), 'regular_price' => $v->get_regular_price(), 'sale_price' => $v->get_sale_price(),
            'stock_status' => $v->get_stock_status(), 'stock_quantity' => $v->get_stock_quantity(), 'attributes' => $vatt);
    }
    $crud[$id] = array(
        'id' => $id, 'name' => $p->get_name(), 'sku' => $p->get_sku(), 'type' => $p->get_type(), 'status' => $p->get_status(), 'permalink' => $p->get_permalink(),
        'price' => $p->get_price(), 'regular_price' => $p->get_regular_price(), 'sale_price' => $p->get_sale_price(),
        'stock_status' => $p->get_stock_status(), 'stock_quantity' => $p->get_stock_quantity(),
        'categories' => $terms('product_cat'), 'tags' => $terms('product_tag'), 'attributes' => $attributes, 'variations' => $variations,
        'short_description' => $p->get_short_description(), 'description' => $p->get_description(),
        'image' => $p->get_image_id() ? wp_get_attachment_url($p->get_image_id()) : null,
        'total_sales' => $p->get_total_sales(), 'review_count' => $p->get_review_count(), 'rating' => (float) $p->get_average_rating(),
        'updated_at' => $p->get_date_modified() ? $p->get_date_modified()->getTimestamp() : 0,
        'visible' => 'publish' === $p->get_status() && 'outofstock' !== $p->get_stock_status() && 'hidden' !== $p->get_catalog_visibility(),
    );
}
wp_cache_flush(); // The adapter reads the tables, not what the CRUD path just cached.
$adapter = new Aisle\Plugin\Catalog\WooAdapter();
$rows = array();
foreach ($adapter->products($ids) as $row) {
    $rows[$row['id']] = $row;
}
$listed = $adapter->product_ids_after(min($ids) - 1, 1000, array());
$listed_all = $adapter->product_ids_after(min($ids) - 1, 1000, array('include_out_of_stock' => true, 'include_hidden' => true));
return array('crud' => $crud, 'adapter' => $rows, 'listed' => $listed, 'listed_all' => $listed_all, 'currency' => get_woocommerce_currency());
PHP);
    }

    public function testAdapterReturnsWhatTheCrudPathSays(): void
    {
        $both = $this->both();
        $this->assertEqualsCanonicalizing(array_map('intval', array_values(self::$ids)), array_keys($both['adapter']), 'every product asked for, drafts and hidden ones too');
        foreach ($both['crud'] as $id => $c) {
            $a = $both['adapter'][$id];
            $kind = array_search($id, self::$ids, true);
            foreach (['name', 'sku', 'type', 'status', 'permalink', 'price', 'regular_price', 'sale_price', 'stock_status', 'stock_quantity', 'short_description', 'description', 'total_sales', 'review_count', 'updated_at'] as $key) {
                $this->assertSame($c[$key], $a[$key], "$kind ($id): $key");
            }
            $this->assertEqualsWithDelta($c['rating'], $a['rating'], 1e-9, "$kind: rating");
            $this->assertSame($both['currency'], $a['currency']);
            $this->assertEqualsCanonicalizing($c['categories'], $a['categories'], "$kind: categories");
            $this->assertEqualsCanonicalizing($c['tags'], $a['tags'], "$kind: tags");
            $this->assertSame(array_keys($c['attributes']), array_keys($a['attributes']), "$kind: attribute names, in the product's order");
            foreach ($c['attributes'] as $name => $values) {
                $this->assertEqualsCanonicalizing($values, $a['attributes'][$name], "$kind: attribute $name");
            }
            $this->assertSame($c['image'], $a['image'] ?? null, "$kind: image");
            $this->assertSame($c['variations'], $a['variations'], "$kind: variations");
        }
    }

    public function testTheStoreCoversWhatItIsMeantTo(): void
    {
        $c = $this->both()['crud'];
        $ids = self::$ids;
        $this->assertSame('variable', $c[$ids['variable']]['type']);
        $this->assertCount(3, $c[$ids['variable']]['variations'], 'the private (disabled) fourth variation is not listed');
        $this->assertSame('15.00', $c[$ids['variable']]['price'], 'a variable product costs its cheapest variation');
        $this->assertSame(['Color' => 'Blue', 'Fit' => 'Slim'], $c[$ids['variable']]['variations'][0]['attributes']);
        $this->assertSame(['Color' => 'Navy Blue'], $c[$ids['variable']]['variations'][2]['attributes'], 'an "any" value is left out');
        $this->assertSame(['Sock Size' => 'M'], $c[$ids['custom_variable']]['variations'][1]['attributes']);
        $this->assertSame('24.99', $c[$ids['sale']]['price']);
        $this->assertSame(0, $c[$ids['out']]['stock_quantity']);
        $this->assertSame(7, $c[$ids['stock']]['stock_quantity']);
        $this->assertSame(['Glaze' => ['Matte', 'Gloss']], $c[$ids['simple']]['attributes'], 'attributes not shown on the product page stay out');
        $this->assertStringEndsWith('/2026/02/parity-shirt.jpg', (string) $c[$ids['simple']]['image']);
        $this->assertSame('draft', $c[$ids['draft']]['status']);
    }

    public function testWhichProductsTheAssistantKnows(): void
    {
        $both = $this->both();
        $expected = array_keys(array_filter($both['crud'], static fn ($c) => $c['visible']));
        sort($expected);
        $this->assertSame($expected, $both['listed'], 'published, in stock, not hidden');
        $all = array_keys(array_filter($both['crud'], static fn ($c) => 'publish' === $c['status']));
        sort($all);
        $this->assertSame($all, $both['listed_all'], 'with out of stock and hidden included: every published product');
    }
    /**
     * A full sync sends the next batch's postmeta query ahead on a second connection
     * (Catalog/ReadAhead.php). The rows must be the same as reading the batch cold, and the main
     * connection must really be spared its variations and postmeta queries (counted by MariaDB).
     * A read-ahead for other ids, or one whose connection cannot open, changes nothing.
     */
    public function testReadAheadGivesTheSameRowsAndSparesTheMainConnection(): void
    {
        $r = self::$h->wp('$ids = ' . var_export(self::$ids, true) . ';' . self::COUNTING . <<<'PHP'
$first = array($ids['simple'], $ids['sale']);
$next = array($ids['variable'], $ids['custom_variable'], $ids['stock'], $ids['out']);
$cold = $rows((new Aisle\Plugin\Catalog\WooAdapter())->products($next));
$q0 = $questions();
$rows((new Aisle\Plugin\Catalog\WooAdapter())->products($next));
$coldQueries = $questions() - $q0 - 1;

$connections = static fn () => (int) $wpdb->get_row("SHOW GLOBAL STATUS LIKE 'Threads_connected'", ARRAY_N)[1];
$c0 = $connections();
$adapter = new Aisle\Plugin\Catalog\WooAdapter();
$firstRows = $rows($adapter->products($first, $next));
$c1 = $connections();
$q0 = $questions();
$ahead = $rows($adapter->products($next));
$aheadQueries = $questions() - $q0 - 1;
$adapter->end_read_ahead();
$c2 = $connections();

// Read ahead for one batch, then asked for another: that one is read cold, the same rows.
$other = new Aisle\Plugin\Catalog\WooAdapter();
$other->products($first, $next);
$mismatch = $rows($other->products(array($ids['variable'], $ids['stock'])));
$after = $rows($other->products($next));

// The second connection refused (wrong password): read without read-ahead.
$saved = $wpdb->dbpassword;
$wpdb->dbpassword = 'not-the-password';
$refused = new Aisle\Plugin\Catalog\WooAdapter();
$refused->products($first, $next);
$refusedRows = $rows($refused->products($next));
$wpdb->dbpassword = $saved;

return array('cold' => $cold, 'ahead' => $ahead, 'first' => $firstRows, 'cold_queries' => $coldQueries, 'ahead_queries' => $aheadQueries,
    'connections' => array($c0, $c1, $c2), 'mismatch' => $mismatch, 'after' => $after, 'refused' => $refusedRows, 'first_cold' => $rows((new Aisle\Plugin\Catalog\WooAdapter())->products($first)));
PHP);
        $this->assertCount(4, $r['cold']);
        $this->assertSame($r['cold'], $r['ahead'], 'rows read ahead are the rows read cold');
        $this->assertSame($r['first_cold'], $r['first'], 'sending the read-ahead does not change the batch being built');
        $this->assertSame($r['cold_queries'] - 2, $r['ahead_queries'], 'the variations and postmeta queries ran on the other connection');
        [$c0, $c1, $c2] = $r['connections'];
        $this->assertSame([$c0 + 1, $c0], [$c1, $c2], 'one more connection while reading ahead, closed by end_read_ahead()');
        $this->assertSame(array_intersect_key($r['cold'], $r['mismatch']), $r['mismatch'], 'a read-ahead for other ids is not used');
        $this->assertSame($r['cold'], $r['after']);
        $this->assertSame($r['cold'], $r['refused'], 'no second connection: read as before');
    }
    /**
     * A full sync of a small store reads its next products' meta, variations, term relationships, terms
     * and lookup rows in whole-table passes (Catalog/ReadWindow.php), and each batch's posts ahead
     * on the second connection. Batches built from the window must be the rows read cold, and must
     * not send those queries on wpdb's connection again (counted by MariaDB); what the window does
     * not cover is read as before.
     */
    public function testReadWindowGivesTheSameRowsWithFewerQueries(): void
    {
        $r = self::$h->wp('$ids = ' . var_export(self::$ids, true) . ';' . self::COUNTING . <<<'PHP'
$first = array($ids['simple'], $ids['sale'], $ids['out'], $ids['hidden']);
$second = array($ids['stock'], $ids['variable'], $ids['custom_variable']);
sort($first);
sort($second);
$cold = $rows((new Aisle\Plugin\Catalog\WooAdapter())->products($first)) + $rows((new Aisle\Plugin\Catalog\WooAdapter())->products($second));
$q0 = $questions();
(new Aisle\Plugin\Catalog\WooAdapter())->products($second);
$coldQueries = $questions() - $q0 - 1;

$adapter = new Aisle\Plugin\Catalog\WooAdapter();
$opened = $adapter->open_window(array_merge($first, $second));
// As a sync reads: the next batch named, so its posts query is sent ahead on the second connection.
$fromWindow = $rows($adapter->products($first, $second));
$q0 = $questions();
$fromWindow += $rows($adapter->products($second));
$windowQueries = $questions() - $q0 - 1;
// Taken once: asked again, the batch is read as before, with the same rows.
$again = $rows($adapter->products($second));
$adapter->end_read_ahead();
// A batch the window holds only part of is read as before too.
$outside = new Aisle\Plugin\Catalog\WooAdapter();
$outside->open_window($first);
$mixed = $rows($outside->products(array_merge($first, $second)));
ksort($cold);
ksort($fromWindow);
ksort($mixed);
return array('opened' => $opened, 'cold' => $cold, 'window' => $fromWindow, 'again' => $again, 'mixed' => $mixed,
    'cold_queries' => $coldQueries, 'window_queries' => $windowQueries);
PHP);
        $this->assertTrue($r['opened']);
        $this->assertCount(7, $r['cold']);
        $this->assertSame($r['cold'], $r['window'], 'rows built from the read window are the rows read cold');
        $this->assertSame($r['cold_queries'] - 6, $r['window_queries'], 'no postmeta, variations, relationships, terms or lookup query for a batch the window holds, and its posts read ahead');
        $this->assertSame(array_intersect_key($r['cold'], $r['again']), $r['again']);
        $this->assertSame($r['cold'], $r['mixed'], 'a batch the window holds only part of is read as before');
    }

    /**
     * The addresses come from one template while only WooCommerce's own filters are on the way
     * (WooAdapter::link_template()); they must still be get_permalink()'s, and another plugin's
     * address filter, a home_url filter or a custom product base must be honoured as
     * get_permalink() honours them.
     */
    public function testAddressesFollowGetPermalinkAndOtherPluginsFilters(): void
    {
        $set = static fn (string $base) => self::$h->wp('$p = (array) get_option("woocommerce_permalinks"); $p["product_base"] = ' . var_export($base, true) . '; update_option("woocommerce_permalinks", $p); return true;');
        $code = '$ids = ' . var_export(array_values(self::$ids), true) . ';' . <<<'PHP'
$pass = static function () use ($ids): array {
    $adapter = array_column((new Aisle\Plugin\Catalog\WooAdapter())->products($ids), 'permalink', 'id');
    $crud = array();
    foreach (array_keys($adapter) as $id) {
        $crud[$id] = get_permalink($id);
    }
    return array($adapter, $crud);
};
$out = array('plain' => $pass());
// Each touches one product in the middle of the batch (the template is checked on its ends).
add_filter('post_type_link', static fn ($link, $post) => 'parity-sale-lamp' === $post->post_name ? add_query_arg('lang', 'fr', $link) : $link, 10, 2);
$out['post_type_link'] = $pass();
remove_all_filters('post_type_link', 10);
add_filter('home_url', static fn ($url, $path) => str_contains((string) $path, 'parity-sale-lamp') ? $url . '#lamp' : $url, 10, 2);
$out['home_url'] = $pass();
return $out;
PHP;
        $r = self::$h->wp($code);
        $set('/boutique/articles/');
        try {
            $r['base'] = self::$h->wp($code)['plain'];
        } finally {
            $set('product');
        }
        foreach ($r as $case => [$adapter, $crud]) {
            $this->assertCount(count(self::$ids), $adapter, $case);
            $this->assertSame($crud, $adapter, $case);
        }
        $this->assertStringContainsString('lang=fr', $r['post_type_link'][0][self::$ids['sale']], "another plugin's filter is applied");
        $this->assertStringNotContainsString('lang=fr', $r['post_type_link'][0][self::$ids['simple']]);
        $this->assertStringEndsWith('#lamp', $r['home_url'][0][self::$ids['sale']]);
        $this->assertStringNotContainsString('#lamp', $r['home_url'][0][self::$ids['simple']]);
        $this->assertStringContainsString('/boutique/articles/parity-mug/', $r['base'][0][self::$ids['simple']]);
    }

    /**
     * With WooCommerce's "Shop base with category" product base (/shop/%product_cat%/), every
     * product's address holds its category: the adapter's permalinks are still the CRUD path's,
     * and its queries do not grow with the number of products (the categories are cached for
     * the batch in one query, instead of get_the_terms() running one query a product).
     */
    public function testCategoryPermalinksCostNoQueryPerProduct(): void
    {
        $set = static fn (string $base) => self::$h->wp('$p = (array) get_option("woocommerce_permalinks"); $p["product_base"] = ' . var_export($base, true) . '; update_option("woocommerce_permalinks", $p); return true;');
        $set('/shop/%product_cat%/');
        try {
            $r = self::$h->wp('$ids = ' . var_export(array_values(self::$ids), true) . ';' . <<<'PHP'
global $wpdb;
$questions = static fn () => (int) $wpdb->get_row("SHOW SESSION STATUS LIKE 'Questions'", ARRAY_N)[1];
$count = static function (array $ids) use ($questions): array {
    wp_cache_flush();
    $q0 = $questions();
    $rows = (new Aisle\Plugin\Catalog\WooAdapter())->products($ids);
    $queries = $questions() - $q0 - 1;
    return array($queries, $rows, count(array_filter(wp_cache_get_multiple($ids, 'product_cat_relationships'))));
};
[$one] = $count(array($ids[0]));
[$all, $rows, $left] = $count($ids);
$crud = array();
wp_cache_flush();
foreach ($ids as $id) {
    $crud[$id] = get_permalink($id);
}
return array('one' => $one, 'all' => $all, 'adapter' => array_column($rows, 'permalink', 'id'), 'crud' => $crud,
    'left_cached' => $left);
PHP);
        } finally {
            $set('product');
        }
        $this->assertMatchesRegularExpression('#/shop/(gifts|kitchen)/parity-mug/$#', $r['crud'][self::$ids['simple']], 'the store really uses category addresses');
        foreach ($r['adapter'] as $id => $permalink) {
            $this->assertSame($r['crud'][$id], $permalink, "product $id");
        }
        $this->assertCount(count(self::$ids), $r['adapter']);
        $this->assertSame($r['one'], $r['all'], 'as many queries for all the products as for one');
        $this->assertSame(0, $r['left_cached'], 'the relationships cached for the batch are dropped again');
    }
}
