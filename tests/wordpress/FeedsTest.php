<?php
declare(strict_types=1);

/**
 * Issue 20 on the real WooCommerce sample catalog plus a scheduled sale, a sale running now, an
 * out-of-stock variation and a hidden product: the OpenAI flat feed (OpenAI's field rules as
 * tests, every price and availability equal to WooCommerce's own), UCP profile and catalog
 * routes validated against the published UCP schemas, llms.txt, the abilities, delta updates,
 * token rotation.
 */
final class FeedsTest extends WpTestCase
{
    private const SPECS = '/work/shared/specs';
    private static array $ids = [];
    private static array $before = [];

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        self::$before = self::$h->wp("return get_option('aisle_settings', array());") ?: [];
        self::$ids = self::$h->wp(<<<'PHP'
            aisle_test_import_sample_catalog();
            aisle_test_store_pages();
            $image = (int) wc_get_product( wc_get_product_id_by_sku( 'woo-hoodie-with-logo' ) )->get_image_id();
            $ids   = array( 'image' => $image );
            $ids['scheduled'] = aisle_test_save_product( array( 'name' => 'Feed Scheduled Sale Tee', 'sku' => 'feed-sched', 'regular_price' => '30', 'sale_price' => '20', 'image_id' => $image, 'description' => '<p>A <b>tee</b> whose sale starts next week.</p>' ) );
            $p = wc_get_product( $ids['scheduled'] );
            $p->set_date_on_sale_from( time() + WEEK_IN_SECONDS );
            $p->set_date_on_sale_to( time() + 2 * WEEK_IN_SECONDS );
            $p->save();
            $ids['running'] = aisle_test_save_product( array( 'name' => 'Feed Running Sale Cap', 'sku' => 'feed-run', 'regular_price' => '18', 'sale_price' => '12.5', 'image_id' => $image, 'description' => 'A cap on sale until next week.' ) );
            $p = wc_get_product( $ids['running'] );
            $p->set_date_on_sale_from( time() - DAY_IN_SECONDS );
            $p->set_date_on_sale_to( time() + WEEK_IN_SECONDS );
            $p->save();
            $ids['jacket'] = aisle_test_save_product( array(
                'name' => 'Feed Rain Jacket', 'sku' => 'feed-jacket', 'image_id' => $image, 'description' => 'Keeps you dry.',
                'attributes' => array( 'Size' => array( 'S', 'L' ) ),
                'variations' => array(
                    array( 'sku' => 'feed-jacket-s', 'regular_price' => '80', 'stock_status' => 'instock', 'attributes' => array( 'Size' => 'S' ) ),
                    array( 'sku' => 'feed-jacket-l', 'regular_price' => '85', 'sale_price' => '79.99', 'stock_status' => 'outofstock', 'attributes' => array( 'Size' => 'L' ) ),
                ),
            ) );
            $ids['hidden'] = aisle_test_save_product( array( 'name' => 'Feed Secret Mug', 'sku' => 'feed-hidden', 'regular_price' => '9', 'image_id' => $image, 'hidden' => true, 'description' => 'Not for sale yet.' ) );
            $ids['noimage'] = aisle_test_save_product( array( 'name' => 'Feed Imageless Sock', 'sku' => 'feed-noimg', 'regular_price' => '5', 'description' => 'No picture.' ) );
            $s = get_option( 'aisle_settings', array() );
            // Hidden products in the index (the assistant may know them): the feeds must still leave them out.
            update_option( 'aisle_settings', array_merge( is_array( $s ) ? $s : array(), array( 'feeds_openai' => true, 'feeds_ucp' => true, 'include_hidden' => true ) ) );
            return $ids;
            PHP);
        self::resetLimits();
    }

    public static function tearDownAfterClass(): void
    {
        $ids = self::$ids;
        unset($ids['image']);
        self::$h->wp('foreach (' . var_export(array_values($ids), true) . ' as $id) { aisle_test_delete_product((int) $id, true); } update_option("aisle_settings", ' . var_export(self::$before, true) . '); return true;');
    }

    private function sync(): array
    {
        self::$h->wp('return aisle_test_run_actions();');
        $start = $this->rest('POST', '/sync', $this->admin());
        $this->assertSame(200, $start['status'], $start['body']);
        for ($i = 0; $i < 100 && in_array($this->rest('GET', '/sync', $this->admin())['json']['state'], ['queued', 'running', 'indexing'], true); $i++) {
            self::$h->wp('return aisle_test_run_actions(5);');
        }
        $done = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $done['state'], json_encode($done));
        return $done;
    }

    /**
     * The address fetched from the test server. php -S has no rewrite to index.php (nginx's
     * try_files, Apache's .htaccess): it answers a missing file's path with its own 404, so the
     * path goes through index.php as PATH_INFO, which WordPress reads the same way.
     */
    private function get(string $url): array
    {
        $this->assertStringStartsWith(self::$h->url, $url);
        return $this->http('GET', '/index.php' . substr($url, strlen(self::$h->url)));
    }

    private function feedRows(string $url): array
    {
        $r = $this->get($url);
        $this->assertSame(200, $r['status'], substr($r['body'], 0, 300));
        $this->assertStringContainsString('application/gzip', $r['headers']);
        $text = gzdecode($r['body']);
        $this->assertIsString($text, 'the feed is gzip');
        $rows = [];
        foreach (explode("\n", rtrim($text, "\n")) as $line) {
            $row = json_decode($line, true, 32, JSON_THROW_ON_ERROR);
            $rows[$row['item_id']] = $row;
        }
        return $rows;
    }

    public function testFeedEqualsWooCommerce(): array
    {
        $this->sync();
        $state = $this->rest('GET', '/feeds', $this->admin());
        $this->assertSame(200, $state['status'], $state['body']);
        $s = $state['json'];
        foreach (['openai_feed_url', 'llms_txt_url', 'ucp_profile_url', 'rows', 'skipped', 'generated_at'] as $k) {
            $this->assertArrayHasKey($k, $s);
        }
        $this->assertNotNull($s['generated_at']);
        $this->assertMatchesRegularExpression('#/aisle-feeds/[a-f0-9]{32}/openai-feed\.jsonl\.gz$#', $s['openai_feed_url']);
        $this->assertSame(403 === $this->rest('GET', '/feeds', null)['status'] ? 403 : 401, $this->rest('GET', '/feeds', null)['status'], 'admins only');
        $rows = $this->feedRows($s['openai_feed_url']);
        $this->assertCount($s['rows'], $rows);
        $this->assertGreaterThanOrEqual(1, $s['skipped']['hidden'] ?? 0, json_encode($s['skipped']));
        $this->assertGreaterThanOrEqual(1, $s['skipped']['no_image'] ?? 0, json_encode($s['skipped']));

        // WooCommerce's own view of every row (CRUD objects, here in the test only).
        $woo = self::$h->wp('$out = array(); foreach (' . var_export(array_map('intval', array_keys($rows)), true) . ' as $id) { $p = wc_get_product($id); $parent = $p->get_parent_id() ? wc_get_product($p->get_parent_id()) : $p;
            $out[$id] = array("regular" => wc_format_decimal("" !== $p->get_regular_price() ? $p->get_regular_price() : $p->get_price(), 2), "name" => $p->get_name(), "sale" => $p->is_on_sale() ? wc_format_decimal($p->get_sale_price(), 2) : null, "raw" => array($p->get_regular_price(), $p->get_sale_price(), $p->get_price(), get_post_meta($id, "_price")), "price" => wc_format_decimal($p->get_price(), 2), "stock" => $p->get_stock_status(), "status" => $parent->get_status(), "visibility" => $parent->get_catalog_visibility(), "parent" => $parent->get_id(), "type" => $p->get_type()); } return $out;');
        $map = ['instock' => 'in_stock', 'outofstock' => 'out_of_stock', 'onbackorder' => 'backorder'];
        foreach ($rows as $id => $row) {
            $w = $woo[(int) $id];
            $this->assertNotSame('variable', $w['type'], "row $id: a variable parent is not purchasable, its variations are");
            $this->assertSame('publish', $w['status']);
            $this->assertNotSame('hidden', $w['visibility'], "row $id: hidden products never appear");
            // The price is the regular price, or the price it sells at when it has none.
            $this->assertSame($w['regular'] . ' USD', $row['price'], "row $id ({$w['name']}, {$w['type']}) price");
            $this->assertSame($w['sale'] === null ? null : $w['sale'] . ' USD', $row['sale_price'] ?? null, "row $id sale_price: " . json_encode([$w, $row]));
            $this->assertSame($map[$w['stock']], $row['availability'], "row $id availability");
            $this->assertSame((string) $w['parent'], $row['group_id']);
        }
        $i = self::$ids;
        $this->assertArrayNotHasKey((string) $i['hidden'], $rows);
        $this->assertArrayNotHasKey((string) $i['noimage'], $rows, 'no image: the spec would reject it');
        $this->assertArrayNotHasKey((string) $i['jacket'], $rows, 'the variable parent itself is no row');
        $this->assertSame('30.00 USD', $rows[(string) $i['scheduled']]['price']);
        $this->assertArrayNotHasKey('sale_price', $rows[(string) $i['scheduled']], 'a sale that starts next week is not on');
        $this->assertSame('12.50 USD', $rows[(string) $i['running']]['sale_price']);
        $jacket = array_values(array_filter($rows, fn ($r) => $r['group_id'] === (string) $i['jacket']));
        $this->assertCount(2, $jacket);
        $this->assertEqualsCanonicalizing(['in_stock', 'out_of_stock'], array_column($jacket, 'availability'));
        // Every purchasable variant of every published, visible sample product with an image and a price is a row.
        $expected = self::$h->wp('$ids = array(); foreach (wc_get_products(array("status" => "publish", "limit" => -1)) as $p) { if ("hidden" === $p->get_catalog_visibility() || ! $p->get_image_id()) continue; foreach ($p->is_type("variable") ? $p->get_children() : ($p->is_type("grouped") ? array() : array($p->get_id())) as $c) { $v = wc_get_product($c); if ($v && "publish" === get_post_status($c) && "" !== $v->get_price()) $ids[] = (string) $c; } } return $ids;');
        $this->assertEqualsCanonicalizing($expected, array_map('strval', array_keys($rows)));
        return ['state' => $s, 'rows' => $rows];
    }

    /**
     * OpenAI's flat product feed reference, "currently stable" fields: required fields, types,
     * lengths and formats, as the spec's validation rules state them.
     *
     * @depends testFeedEqualsWooCommerce
     */
    public function testOpenAiFieldRules(array $feed): void
    {
        $refund = self::$h->wp('return get_permalink(wc_get_page_id("refund_returns"));');
        $groups = [];
        foreach ($feed['rows'] as $row) {
            $groups[$row['group_id']][] = $row;
        }
        foreach ($feed['rows'] as $id => $row) {
            foreach (['is_eligible_search', 'is_eligible_checkout', 'item_id', 'title', 'description', 'url', 'brand', 'image_url', 'price', 'availability', 'seller_name', 'target_countries', 'store_country', 'group_id', 'listing_has_variations'] as $required) {
                $this->assertArrayHasKey($required, $row, "row $id lacks $required");
            }
            $this->assertTrue($row['is_eligible_search']);
            $this->assertFalse($row['is_eligible_checkout'], 'checkout stays on the store');
            $this->assertIsString($row['item_id']);
            $this->assertMatchesRegularExpression('/^[A-Za-z0-9_-]{1,100}$/', $row['item_id']);
            $this->assertLessThanOrEqual(70, mb_strlen($row['group_id']));
            $this->assertNotSame('', trim($row['title']));
            $this->assertLessThanOrEqual(150, mb_strlen($row['title']));
            $this->assertNotSame('', trim($row['description']));
            $this->assertLessThanOrEqual(5000, mb_strlen($row['description']));
            $this->assertSame(strip_tags($row['description']), $row['description'], 'plain text');
            $this->assertNotFalse(filter_var($row['url'], FILTER_VALIDATE_URL));
            $this->assertStringContainsString('utm_source=chatgpt&utm_medium=ai_agent', $row['url']);
            $this->assertNotFalse(filter_var($row['image_url'], FILTER_VALIDATE_URL));
            $this->assertNotSame('', $row['brand']);
            $this->assertLessThanOrEqual(70, mb_strlen($row['brand']));
            $this->assertLessThanOrEqual(70, mb_strlen($row['seller_name']));
            $this->assertMatchesRegularExpression('/^\d+\.\d{2} [A-Z]{3}$/', $row['price']);
            if (isset($row['sale_price'])) {
                $this->assertMatchesRegularExpression('/^\d+\.\d{2} [A-Z]{3}$/', $row['sale_price']);
                $this->assertLessThan((float) $row['price'], (float) $row['sale_price'], "row $id: a sale price is below the price");
            }
            $this->assertContains($row['availability'], ['in_stock', 'out_of_stock', 'pre_order', 'backorder']);
            $this->assertMatchesRegularExpression('/^[A-Z]{2}$/', $row['store_country']);
            $this->assertNotEmpty($row['target_countries']);
            foreach ($row['target_countries'] as $c) {
                $this->assertMatchesRegularExpression('/^[A-Z]{2}$/', $c);
            }
            $this->assertIsBool($row['listing_has_variations']);
            $this->assertSame($refund, $row['return_policy'] ?? null, 'the refund page');
            if (isset($row['gtin'])) {
                $this->assertMatchesRegularExpression('/^\d{8,14}$/', $row['gtin']);
            }
        }
        $this->assertSame(count($feed['rows']), count(array_unique(array_keys($feed['rows']))), 'item_id is unique');
        $countries = self::$h->wp('return array(WC()->countries->get_base_country(), array_keys(WC()->countries->get_allowed_countries()));');
        $any = reset($feed['rows']);
        $this->assertSame($countries[0], $any['store_country']);
        $this->assertSame($countries[1], $any['target_countries']);
    }

    /** Validates JSON documents against a UCP schema ($def optional) with Python's jsonschema and the local spec files. */
    private function validate(array $docs, string $schema, string $def = '', string $root = self::SPECS . '/ucp/source/schemas'): void
    {
        $script = <<<'PY'
            import json, sys, pathlib
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource
            root = pathlib.Path(sys.argv[1])
            def retrieve(uri):
                raise LookupError(uri)
            resources = []
            for p in root.rglob('*.json'):
                try:
                    d = json.loads(p.read_text())
                except Exception:
                    continue
                if isinstance(d, dict) and '$id' in d:
                    resources.append((d['$id'], Resource.from_contents(d)))
            registry = Registry(retrieve=retrieve).with_resources(resources)
            schema = json.loads((root / sys.argv[2]).read_text())
            target = {'$ref': schema['$id'] + ('#/$defs/' + sys.argv[3] if sys.argv[3] else '')}
            v = Draft202012Validator(target, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
            bad = 0
            for i, doc in enumerate(json.load(sys.stdin)):
                for e in v.iter_errors(doc):
                    bad += 1
                    print(f"doc {i}: {'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
            sys.exit(1 if bad else 0)
            PY;
        $file = tempnam(sys_get_temp_dir(), 'ucpv') . '.py';
        file_put_contents($file, $script);
        $proc = proc_open(['python3', $file, $root, $schema, $def], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        fwrite($pipes[0], json_encode($docs));
        fclose($pipes[0]);
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        $rc = proc_close($proc);
        unlink($file);
        $this->assertSame(0, $rc, "not valid against $schema $def:\n" . substr($out, 0, 3000));
    }

    private function ucp(string $method, string $route, ?array $body = null, array $headers = []): array
    {
        return $this->http($method, '/?rest_route=' . rawurlencode('/aisle/ucp/v1' . $route), $body, null, $headers);
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testUcpProfileAndCatalogValidate(array $feed): void
    {
        $profile = $this->get($feed['state']['ucp_profile_url']);
        $this->assertSame(200, $profile['status'], substr($profile['body'], 0, 300));
        $this->assertStringContainsString('application/json', $profile['headers']);
        $p = json_decode($profile['body'], true);
        // Validated as sent (decoded to arrays, an empty JSON object would come back as a list).
        $this->validate([json_decode($profile['body'])->ucp], 'ucp.json', 'business_schema');
        $this->assertArrayHasKey('dev.ucp.shopping.catalog.search', $p['ucp']['capabilities']);
        $this->assertArrayNotHasKey('dev.ucp.shopping.checkout', $p['ucp']['capabilities'], 'no checkout capability');
        $endpoint = $p['ucp']['services']['dev.ucp.shopping'][0]['endpoint'];
        $this->assertStringContainsString('aisle/ucp/v1', $endpoint);

        self::resetLimits();
        $search = $this->ucp('POST', '/catalog/search', ['query' => 'hoodie', 'pagination' => ['limit' => 10]], ['UCP-Agent: gemini']);
        $this->assertSame(200, $search['status'], $search['body']);
        $products = $search['json']['products'];
        $this->assertNotEmpty($products);
        $this->assertContains('Hoodie', array_column($products, 'title'));
        $this->validate([$search['json']], 'shopping/catalog_search.json', 'search_response');
        $this->assertStringContainsString('utm_source=gemini&utm_medium=ai_agent', $products[0]['url']);

        $i = self::$ids;
        $jacketS = (string) self::$h->wp('return wc_get_product_id_by_sku("feed-jacket-s");');
        $lookup = $this->ucp('POST', '/catalog/lookup', ['ids' => [(string) $i['running'], $jacketS, (string) $i['hidden'], '999999999']]);
        $this->assertSame(200, $lookup['status'], $lookup['body']);
        $this->validate([$lookup['json']], 'shopping/catalog_lookup.json', 'lookup_response');
        $found = array_column($lookup['json']['products'], null, 'id');
        $this->assertEqualsCanonicalizing([(string) $i['running'], (string) $i['jacket']], array_keys($found), 'the hidden and the unknown id are not found');
        $this->assertSame([['id' => $jacketS, 'match' => 'exact']], $found[(string) $i['jacket']]['variants'][0]['inputs']);
        $cap = $found[(string) $i['running']];
        $this->assertSame(['amount' => 1250, 'currency' => 'USD'], $cap['variants'][0]['price']);
        $this->assertSame(['amount' => 1800, 'currency' => 'USD'], $cap['variants'][0]['list_price']);

        $one = $this->ucp('GET', '/catalog/product/' . $i['jacket']);
        $this->assertSame(200, $one['status'], $one['body']);
        $this->validate([$one['json']['product']], 'shopping/types/product.json');
        $byTitle = array_column($one['json']['product']['variants'], null, 'title');
        $this->assertSame(['available' => false, 'status' => 'out_of_stock'], $byTitle['Feed Rain Jacket – L']['availability']);
        $this->assertSame(['amount' => 7999, 'currency' => 'USD'], $byTitle['Feed Rain Jacket – L']['price']);
        $this->assertSame(8000, $byTitle['Feed Rain Jacket – S']['price']['amount']);
        $this->assertSame(404, $this->ucp('GET', '/catalog/product/' . $i['hidden'])['status']);
        $this->assertSame(400, $this->ucp('POST', '/catalog/lookup', ['ids' => 'nope'])['status']);
        $this->assertSame(400, $this->ucp('POST', '/catalog/search', ['query' => ['x']])['status']);
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testAcpFeedValidatesAndMatchesTheFlatFeed(array $feed): void
    {
        $url = $this->rest('GET', '/feeds', $this->admin())['json']['acp_feed_url'];
        $this->assertStringEndsWith('/acp-products.jsonl.gz', $url);
        $r = $this->get($url);
        $this->assertSame(200, $r['status']);
        $products = array_map(static fn ($l) => json_decode($l), explode("\n", trim(gzdecode($r['body']))));
        $this->assertNotEmpty($products);
        $this->validate($products, 'json-schema/schema.feed.json', 'Product', self::SPECS . '/acp/spec/2026-04-17');
        // Every flat row with a sale shows the same amounts as its ACP variant.
        $variants = [];
        $seller = self::$h->wp('return Aisle\\Plugin\\Feeds\\Generator::store_name();');
        foreach ($products as $p) {
            $this->assertNotContains((string) self::$ids['hidden'], [$p->id]);
            foreach ($p->variants as $v) {
                $variants[$v->id] = $v;
                $this->assertSame($seller, $v->seller->name);
            }
        }
        foreach ($feed['rows'] as $id => $row) {
            $this->assertArrayHasKey((string) $id, $variants);
            $v = $variants[(string) $id];
            $selling = $row['sale_price'] ?? $row['price'];
            $this->assertSame((int) round((float) $selling * 100), $v->price->amount, "variant $id");
            $this->assertSame($row['availability'], $v->availability->status);
        }
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testUcpIsRateLimitedLikeTheChat(): void
    {
        self::resetLimits();
        self::$h->wp('$s = get_option("aisle_settings"); $s["rate_limit_reads"] = 10; update_option("aisle_settings", $s); return true;');
        try {
            $codes = [];
            for ($n = 0; $n < 12; $n++) {
                $codes[] = $this->ucp('POST', '/catalog/search', ['query' => 'cap'])['status'];
            }
            $this->assertSame(array_fill(0, 10, 200), array_slice($codes, 0, 10));
            $this->assertSame([429, 429], array_slice($codes, 10));
        } finally {
            self::$h->wp('$s = get_option("aisle_settings"); unset($s["rate_limit_reads"]); update_option("aisle_settings", $s); return true;');
            self::resetLimits();
        }
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testLlmsTxt(array $feed): void
    {
        $r = $this->get($feed['state']['llms_txt_url']);
        $this->assertSame(200, $r['status'], substr($r['body'], 0, 300));
        $this->assertStringContainsString('text/plain', $r['headers']);
        $text = $r['body'];
        $name = self::$h->wp('return Aisle\\Plugin\\Feeds\\Generator::store_name();'); // The Aisle store name, else the site title.
        $lines = explode("\n", $text);
        $this->assertSame('# ' . $name, $lines[0], 'llmstxt.org: an H1 with the name first');
        $this->assertSame('', $lines[1]);
        $this->assertStringStartsWith('> ', $lines[2], 'then a blockquote summary');
        $this->assertStringContainsString('Prices in USD.', $lines[2]);
        // The biggest categories of whatever store the suite has built by now, each a real one.
        $this->assertSame(1, preg_match('/Sells (.+?)\. Prices/', $lines[2], $sold), $lines[2]);
        $terms = self::$h->wp('return wp_list_pluck(get_terms(array("taxonomy" => "product_cat", "hide_empty" => false)), "name");');
        foreach (explode(', ', $sold[1]) as $category) {
            $this->assertContains(html_entity_decode($category), array_map('html_entity_decode', $terms), 'a category of the store');
        }
        $this->assertLessThanOrEqual(50000, strlen($text));
        // Every other line: blank, an H2, or a Markdown link list item.
        foreach (array_slice($lines, 3) as $l) {
            $this->assertMatchesRegularExpression('/^(|## .+|- \[[^\]]+\]\([^)\s]+\)(: .+)?)$/', $l);
        }
        $this->assertStringContainsString("## Categories\n", $text);
        $this->assertStringContainsString('[Clothing](', $text);
        $this->assertMatchesRegularExpression('/- \[Refund and Returns Policy\]\(http[^)]+\)/', $text);
        $this->assertStringContainsString('[UCP profile](' . $feed['state']['ucp_profile_url'] . ')', $text);
        $this->assertStringNotContainsString('aisle-feeds/', $text, 'the secret feed address is never published');
        $this->assertStringNotContainsString('Feed Secret Mug', $text);
        // Best sellers carry the catalog's price.
        self::$h->wp('global $wpdb; $wpdb->update($wpdb->prefix . "wc_product_meta_lookup", array("total_sales" => 5000), array("product_id" => ' . (int) self::$ids['running'] . ')); return true;');
        self::$h->wp('(new Aisle\Plugin\Feeds\LlmsTxt(new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings())))->refresh(); return true;');
        $text = $this->get($feed['state']['llms_txt_url'])['body'];
        $this->assertMatchesRegularExpression('/## Best sellers\n\n- \[Feed Running Sale Cap\]\([^)]+\): 12\.50 USD/', $text);
        // Switched off: the ordinary 404.
        self::$h->wp('$s = get_option("aisle_settings"); $s["feeds_llms_txt"] = false; update_option("aisle_settings", $s); return true;');
        try {
            $this->assertSame(404, $this->get($feed['state']['llms_txt_url'])['status']);
        } finally {
            self::$h->wp('$s = get_option("aisle_settings"); unset($s["feeds_llms_txt"]); update_option("aisle_settings", $s); return true;');
        }
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testLlmsTxtListsThePublicPagesOfTheKnowledgeBase(array $feed): void
    {
        $made = self::$h->wp(<<<'PHP'
$page = fn ($title, $extra = array()) => wp_insert_post($extra + array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => $title, 'post_content' => '<h2>' . $title . '</h2><p>Everything about ' . $title . ' for our shoppers, written out in full.</p>'));
$ids = array(
  'care'     => $page('Feed Knowledge Care Guide'),
  'post'     => wp_insert_post(array('post_type' => 'post', 'post_status' => 'publish', 'post_title' => 'Feed Knowledge Journal Post', 'post_content' => '<p>How our caps are sewn, step by step.</p>')),
  'private'  => $page('Feed Knowledge Private Page', array('post_status' => 'private')),
  'password' => $page('Feed Knowledge Password Page', array('post_password' => 'hunter2')),
  'off'      => $page('Feed Knowledge Switched Off'),
  'hidden'   => $page('Feed Knowledge Hidden Later'),
);
$tmp = tempnam(sys_get_temp_dir(), 'kb');
file_put_contents($tmp, "# Feed Knowledge Uploaded Sheet\n\nThe wholesale price list, for staff only.\n");
$kb = new Aisle\Plugin\Knowledge\KnowledgeBase();
$kb->add_upload($tmp, 'sheet.md', 'Feed Knowledge Uploaded Sheet');
unlink($tmp);
aisle_test_run_actions();
$kb->update('page:' . $ids['off'], array('enabled' => false));
// Made private behind the knowledge base's back (no hooks): llms.txt checks again itself.
global $wpdb;
$wpdb->update($wpdb->posts, array('post_status' => 'private'), array('ID' => $ids['hidden']));
clean_post_cache($ids['hidden']);
$sources = $kb->all();
return array('ids' => $ids, 'indexed' => array_keys($sources), 'care_url' => get_permalink($ids['care']), 'post_url' => get_permalink($ids['post']));
PHP);
        $ids = $made['ids'];
        foreach (['care', 'post', 'off', 'hidden'] as $k) {
            $this->assertContains('page:' . $ids[$k], $made['indexed'], "$k is a knowledge source");
        }
        $this->assertNotContains('page:' . $ids['private'], $made['indexed']);
        // The knowledge base's own change rebuilt the file: no explicit refresh here.
        $text = $this->get($feed['state']['llms_txt_url'])['body'];
        $this->assertSame(1, preg_match("/\n## Pages\n\n((?:- .+\n)+)/", $text, $m), $text);
        $this->assertStringContainsString('- [Feed Knowledge Care Guide](' . $made['care_url'] . ')', $m[1]);
        $this->assertStringContainsString('- [Feed Knowledge Journal Post](' . $made['post_url'] . ')', $m[1], 'posts are public pages too');
        foreach (['Private Page', 'Password Page', 'Switched Off', 'Hidden Later', 'Uploaded Sheet'] as $never) {
            $this->assertStringNotContainsString('Feed Knowledge ' . $never, $text);
        }
        $this->assertStringNotContainsString('knowledge/files', $text, 'no stored file is ever linked');
        $refund = self::$h->wp('return get_permalink((int) get_option("woocommerce_refund_returns_page_id"));');
        $this->assertSame(1, substr_count($text, '](' . $refund . ')'), 'the refund page is listed once, under Policies');
        $this->assertLessThanOrEqual(50000, strlen($text));
        // Within the size limit: the longest list loses lines, the policies stay.
        $small = self::$h->wp('add_filter("aisle_llms_txt_max_bytes", fn () => 900); return (new Aisle\Plugin\Feeds\LlmsTxt(new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings())))->build();');
        $this->assertLessThanOrEqual(900, strlen($small));
        $this->assertStringContainsString('[Refund and Returns Policy](', $small);
        self::$h->wp('foreach (' . var_export(array_values($ids), true) . ' as $id) { wp_delete_post((int) $id, true); } aisle_test_run_actions(); return true;');
        $this->assertStringNotContainsString('Feed Knowledge Care Guide', $this->get($feed['state']['llms_txt_url'])['body'], 'a deleted page leaves llms.txt');
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testRobotsTxtGainsNothing(): void
    {
        $robots = $this->http('GET', '/?robots=1')['body'];
        $this->assertStringNotContainsString('llms', $robots);
        $this->assertStringNotContainsString('aisle', $robots);
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testAbilitiesAreListedAndRun(): void
    {
        if (!self::$h->wp("return function_exists('wp_register_ability');")) {
            $this->markTestSkipped('this WordPress has no Abilities API');
        }
        $out = self::$h->wp(<<<'PHP'
            $names = array_values( array_filter( array_map( fn ( $a ) => $a->get_name(), wp_get_abilities() ), fn ( $n ) => str_starts_with( $n, 'aisle/' ) ) );
            sort( $names );
            $search = wp_get_ability( 'aisle/search-products' )->execute( array( 'query' => 'hoodie', 'limit' => 3 ) );
            $jacket = wc_get_product_id_by_sku( 'feed-jacket-l' );
            $one    = wp_get_ability( 'aisle/get-product' )->execute( array( 'id' => $jacket ) );
            $pol    = wp_get_ability( 'aisle/store-policies' )->execute();
            $bad    = wp_get_ability( 'aisle/search-products' )->execute( array( 'query' => '' ) );
            $meta   = wp_get_ability( 'aisle/get-product' )->get_meta();
            return array( $names, $search, $one, $pol, is_wp_error( $bad ), $meta['annotations']['readonly'] ?? null, wp_get_ability( 'aisle/get-product' )->get_input_schema() );
            PHP);
        [$names, $search, $one, $pol, $badIsError, $readonly, $schema] = $out;
        $this->assertSame(['aisle/get-product', 'aisle/search-products', 'aisle/store-policies'], $names);
        $this->assertTrue($readonly);
        $this->assertSame(['id'], $schema['required']);
        $this->assertNotEmpty($search['products'], json_encode($search));
        $this->assertContains('Hoodie', array_column($search['products'], 'title'));
        $this->assertSame((string) self::$ids['jacket'], $one['id'], 'a variation id finds its product');
        $this->assertStringContainsString('utm_source=mcp', $one['url']);
        $this->assertTrue($badIsError, 'input is checked against the schema');
        $this->assertSame('USD', $pol['currency']);
        $this->assertContains('Refund and Returns Policy', array_column($pol['policies'], 'title'));
        $json = json_encode([$search, $one, $pol]);
        foreach (['billing', 'email', 'order', 'customer', '@'] as $never) {
            $this->assertStringNotContainsStringIgnoringCase('"' . $never, $json);
        }
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testDeltaUpdatesFeedAndUcp(array $feed): void
    {
        $id = self::$ids['running'];
        self::$h->wp('$p = wc_get_product(' . $id . '); $p->set_regular_price("22"); $p->set_sale_price("15.25"); $p->save(); return true;');
        self::$h->wp('return aisle_test_run_actions();');
        $state = $this->rest('GET', '/feeds', $this->admin())['json'];
        $rows = $this->feedRows($state['openai_feed_url']);
        $this->assertSame('22.00 USD', $rows[(string) $id]['price']);
        $this->assertSame('15.25 USD', $rows[(string) $id]['sale_price']);
        self::resetLimits();
        $one = $this->ucp('GET', '/catalog/product/' . $id)['json']['product'];
        $this->assertSame(1525, $one['variants'][0]['price']['amount']);
        $this->assertSame(2200, $one['variants'][0]['list_price']['amount']);
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testRotationRetiresTheOldAddress(array $feed): void
    {
        $old = $this->rest('GET', '/feeds', $this->admin())['json']['openai_feed_url'];
        $this->assertSame(200, $this->get($old)['status']);
        $new = $this->rest('POST', '/feeds/rotate', $this->admin());
        $this->assertSame(200, $new['status'], $new['body']);
        $this->assertNotSame($old, $new['json']['openai_feed_url']);
        $this->assertSame(404, $this->get($old)['status'], 'the old address is gone at once');
        $this->assertSame(200, $this->get($new['json']['openai_feed_url'])['status']);
        $this->assertSame(404, $this->get(preg_replace('#/[a-f0-9]{32}/#', '/' . str_repeat('0', 32) . '/', $old))['status']);
        $this->assertNotSame(200, $this->rest('POST', '/feeds/rotate', null)['status']);
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testAgentsTabShowsTheFeed(): void
    {
        $page = $this->http('GET', '/wp-admin/admin.php?page=' . self::$h->wp('return Aisle\Plugin\Admin\AdminMenu::SLUG;') . '&tab=agents', null, $this->admin());
        $this->assertSame(200, $page['status']);
        $this->assertStringContainsString('aisle-feed-rotate', $page['body']);
        $this->assertMatchesRegularExpression('#aisle-feeds/[a-f0-9]{32}/openai-feed\.jsonl\.gz#', $page['body']);
        $this->assertStringContainsString('left out: hidden from the catalog', $page['body']);
    }

    /** The feed files' checksums, by name (temporary files included, so a leftover shows). */
    private function feedFiles(): array
    {
        return self::$h->wp('$d = Aisle\Plugin\Feeds\Config::dir(); $out = array(); foreach (scandir($d) as $f) { if ("." !== $f && ".." !== $f && "llms.txt" !== $f) { $out[$f] = md5_file("$d/$f"); } } ksort($out); return $out;');
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testRegenerateWritesTheSyncsFilesFromTheSnapshot(array $feed): void
    {
        $this->sync();
        $synced = $this->feedFiles();
        $this->assertSame(['acp-products.jsonl.gz', 'openai-feed.jsonl.gz', 'ucp-products.idx', 'ucp-products.jsonl'], array_keys($synced));
        $this->assertSame('sync', $this->rest('GET', '/feeds', $this->admin())['json']['source']);
        $this->assertNotSame(200, $this->rest('POST', '/feeds/regenerate', null)['status']);
        $r = $this->rest('POST', '/feeds/regenerate', $this->admin());
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertSame('snapshot', $r['json']['source']);
        $this->assertSame($synced, $this->feedFiles(), 'from the snapshot: byte for byte the files the sync wrote');
        // And those of Catalog::writeProductFeed over the catalog the sync builds from the same snapshot.
        $catalog = self::$h->wp(<<<'PHP'
            $c = new Aisle\Catalog(array('currency' => get_woocommerce_currency()));
            $rows = array();
            foreach (file(Aisle\Plugin\Catalog\CatalogSync::snapshot_file()) as $line) { $r = json_decode($line, true); if (is_array($r)) { $rows[] = $r; } }
            $c->addMany($rows);
            $dir = sys_get_temp_dir() . '/aisle-feeds-inmemory-' . getmypid();
            $settings = new Aisle\Plugin\Settings();
            $c->writeProductFeed($dir, (new Aisle\Plugin\Feeds\Generator(new Aisle\Plugin\Feeds\Config($settings), new Aisle\Plugin\Feeds\LlmsTxt(new Aisle\Plugin\Feeds\Config($settings))))->options());
            $out = array();
            foreach (glob("$dir/*") as $f) { $out[basename($f)] = md5_file($f); unlink($f); }
            rmdir($dir);
            ksort($out);
            return $out;
            PHP);
        $this->assertSame($synced, $catalog);
        $page = $this->http('GET', '/wp-admin/admin.php?page=' . self::$h->wp('return Aisle\Plugin\Admin\AdminMenu::SLUG;') . '&tab=agents', null, $this->admin());
        $this->assertStringContainsString('aisle-feed-regenerate', $page['body']);
    }

    /** @depends testFeedEqualsWooCommerce */
    public function testAMissingFeedAndASettingChangeAreWrittenAgain(array $feed): void
    {
        $this->sync();
        $synced = $this->feedFiles();
        $url = $this->rest('GET', '/feeds', $this->admin())['json']['openai_feed_url'];
        self::$h->wp('foreach (glob(Aisle\Plugin\Feeds\Config::dir() . "/*.{gz,idx,jsonl}", GLOB_BRACE) as $f) { unlink($f); } return true;');
        $this->assertSame(404, $this->get($url)['status'], 'no file yet');
        $this->assertTrue(self::$h->wp('return (bool) as_has_scheduled_action(Aisle\Plugin\Feeds\Generator::REGENERATE_HOOK);'), 'the request queued a regeneration');
        self::$h->wp('return aisle_test_run_actions();');
        $this->assertSame($synced, $this->feedFiles());
        $this->assertSame(200, $this->get($url)['status']);

        // The store name is the seller and the default brand of every row: a change rewrites the feed.
        // Earlier tests of the suite may have set a store name: it is put back as it was, not removed.
        $before = self::$h->wp('$s = get_option("aisle_settings"); return array_key_exists("store_name", $s) ? array($s["store_name"]) : array();');
        self::$h->wp('$s = get_option("aisle_settings"); $s["store_name"] = "Renamed Feed Store"; update_option("aisle_settings", $s); return aisle_test_run_actions();');
        $rows = $this->feedRows($url);
        $this->assertSame(['Renamed Feed Store'], array_values(array_unique(array_column($rows, 'seller_name'))));
        self::$h->wp('$s = get_option("aisle_settings"); $before = ' . var_export($before, true) . '; if ($before) { $s["store_name"] = $before[0]; } else { unset($s["store_name"]); } update_option("aisle_settings", $s); return aisle_test_run_actions();');
        $this->assertSame($synced, $this->feedFiles());
        self::resetLimits();
    }

    /**
     * Issue 13: a sync writes only the files a switched-on surface reads. On the defaults (the OpenAI
     * feed and UCP off, the abilities and llms.txt on) that is the UCP products, no gzip feed; switching
     * the OpenAI feed on writes both gzip feeds from the queued job; off again, the next sync removes them.
     *
     * @depends testFeedEqualsWooCommerce
     */
    public function testOnlyTheFilesOfSwitchedOnSurfacesAreWritten(): void
    {
        $set = fn (array $flags) => self::$h->wp('$s = get_option("aisle_settings"); foreach (' . var_export($flags, true) . ' as $k => $v) { if (null === $v) { unset($s[$k]); } else { $s[$k] = $v; } } update_option("aisle_settings", $s); return true;');
        $queued = fn () => self::$h->wp('return (bool) as_has_scheduled_action(Aisle\Plugin\Feeds\Generator::REGENERATE_HOOK);');
        $agents = fn () => $this->http('GET', '/wp-admin/admin.php?page=' . self::$h->wp('return Aisle\Plugin\Admin\AdminMenu::SLUG;') . '&tab=agents', null, $this->admin());
        $set(['feeds_openai' => null, 'feeds_ucp' => null]);
        try {
            $this->assertSame([false, false, true, true], self::$h->wp('$c = new Aisle\Plugin\Feeds\Config(new Aisle\Plugin\Settings()); return array_map(array($c, "on"), array("openai", "ucp", "abilities", "llms_txt"));'), 'the defaults');
            $this->sync();
            $this->assertSame(['ucp-products.idx', 'ucp-products.jsonl'], array_keys($this->feedFiles()), 'no gzip feed nobody can fetch');
            $state = $this->rest('GET', '/feeds', $this->admin())['json'];
            $this->assertSame(['ucp'], $state['files']);
            $this->assertSame(0, $state['rows'], 'no flat feed, no rows');
            $this->assertGreaterThan(10, $state['products']);
            $this->assertSame(['hidden'], array_keys((array) $state['skipped']), 'only the reasons that apply to the UCP products');
            $url = $state['openai_feed_url'];
            $this->assertSame(404, $this->get($url)['status']);
            // The abilities still find the products.
            if (self::$h->wp("return function_exists('wp_register_ability');")) {
                $one = self::$h->wp('return wp_get_ability("aisle/get-product")->execute(array("id" => ' . (int) self::$ids['jacket'] . '));');
                $this->assertSame((string) self::$ids['jacket'], $one['id'] ?? null, json_encode($one));
            }
            // An admin page finds every file it needs: it queues no regeneration, and says the feed is not written.
            $this->assertFalse($queued());
            $page = $agents();
            $this->assertSame(200, $page['status']);
            $this->assertFalse($queued(), 'an admin page load must not queue a regeneration for files nobody reads');
            $this->assertStringContainsString('aisle-feed-not-written', $page['body']);
            $this->assertStringNotContainsString('0 rows (one per purchasable variant)', $page['body']);

            // Switched on: the job the change queued writes both gzip feeds, served at the tokenized address.
            $set(['feeds_openai' => true]);
            $this->assertTrue($queued(), 'switching the feed on queues its files');
            self::$h->wp('return aisle_test_run_actions();');
            $this->assertSame(['acp-products.jsonl.gz', 'openai-feed.jsonl.gz', 'ucp-products.idx', 'ucp-products.jsonl'], array_keys($this->feedFiles()));
            $state = $this->rest('GET', '/feeds', $this->admin())['json'];
            $this->assertSame(['openai', 'acp', 'ucp'], $state['files']);
            $this->assertSame('snapshot', $state['source']);
            $rows = $this->feedRows($url);
            $this->assertCount($state['rows'], $rows);
            $this->assertArrayHasKey((string) self::$ids['running'], $rows);
            $acp = $this->get($state['acp_feed_url']);
            $this->assertSame(200, $acp['status']);
            $this->assertNotEmpty(gzdecode($acp['body']));
            $this->assertStringNotContainsString('aisle-feed-not-written', $agents()['body']);

            // Off again, the regeneration it queued dropped: the next sync itself removes the gzip feeds.
            $set(['feeds_openai' => null]);
            self::$h->wp('as_unschedule_all_actions(Aisle\Plugin\Feeds\Generator::REGENERATE_HOOK); return true;');
            $this->assertArrayHasKey('openai-feed.jsonl.gz', $this->feedFiles());
            $this->sync();
            $this->assertSame(['ucp-products.idx', 'ucp-products.jsonl'], array_keys($this->feedFiles()));
            $this->assertSame('sync', $this->rest('GET', '/feeds', $this->admin())['json']['source']);
            $set(['feeds_openai' => true]);
            self::$h->wp('as_unschedule_all_actions(Aisle\Plugin\Feeds\Generator::REGENERATE_HOOK); return true;');
            $this->assertSame(404, $this->get($url)['status'], 'switched on, no stale file is served');
            $this->assertTrue($queued(), 'the missing file is written again');
        } finally {
            $set(['feeds_openai' => true, 'feeds_ucp' => true]);
            self::$h->wp('return aisle_test_run_actions();');
            self::resetLimits();
        }
    }
}
