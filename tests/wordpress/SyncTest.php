<?php
declare(strict_types=1);

final class SyncTest extends WpTestCase
{
    private function catalogAvailable(): bool
    {
        return (bool) self::$h->wp('return class_exists("Aisle\\\\Catalog");');
    }

    /**
     * Runs due Action Scheduler actions (what `wp action-scheduler run` does); $jobSeconds: the
     * batch jobs' time budget (aisle_sync_job_seconds; 0 = one batch a job), else the plugin's.
     */
    private function runActions(int $max = 1000, ?float $jobSeconds = null): int
    {
        $budget = $jobSeconds === null ? '' : 'add_filter("aisle_sync_job_seconds", fn () => ' . var_export($jobSeconds, true) . ');';
        return (int) self::$h->wp($budget . "return aisle_test_run_actions($max);");
    }

    public function testAdapterReadsProductsInBulk(): void
    {
        $rows = self::$h->wp(<<<'PHP'
aisle_test_add_attribute('color', 'Color');
wp_insert_term('Blue', 'pa_color', array('slug' => 'blue'));
wp_insert_term('Red', 'pa_color', array('slug' => 'red'));
$id = aisle_test_save_product(array(
  'name' => 'Adapter Tee', 'description' => '<p>Soft &amp; warm</p>', 'sku' => 'TEE-1', 'regular_price' => '20.00', 'sale_price' => '15.00',
  'categories' => array('Shirts'), 'tags' => array('cotton'), 'attributes' => array('pa_color' => array('blue', 'red'), 'Fit' => array('Slim', 'Loose')),
  'variations' => array(
    array('sku' => 'TEE-1-B', 'regular_price' => '20.00', 'sale_price' => '15.00', 'attributes' => array('pa_color' => 'blue')),
    array('sku' => 'TEE-1-R', 'regular_price' => '22.00', 'stock_status' => 'outofstock', 'attributes' => array('pa_color' => 'red')),
  ),
));
global $wpdb;
$before = $wpdb->num_queries;
$rows = (new Aisle\Plugin\Catalog\WooAdapter())->products(array($id));
$rows[0]['_queries'] = $wpdb->num_queries - $before;
aisle_test_delete_product($id, true);
return $rows;
PHP);
        $this->assertCount(1, $rows);
        $p = $rows[0];
        $this->assertSame('Adapter Tee', $p['name']);
        $this->assertSame('TEE-1', $p['sku']);
        $this->assertSame('variable', $p['type']);
        $this->assertSame(['Shirts'], $p['categories']);
        $this->assertSame(['cotton'], $p['tags']);
        $this->assertSame(['Blue', 'Red'], $p['attributes']['Color']);
        $this->assertSame(['Slim', 'Loose'], $p['attributes']['Fit']);
        $this->assertCount(2, $p['variations']);
        $this->assertSame(['Color' => 'Blue'], $p['variations'][0]['attributes']);
        $this->assertSame('15.00', $p['variations'][0]['price']);
        $this->assertSame('outofstock', $p['variations'][1]['stock_status']);
        $this->assertSame('USD', $p['currency']);
        $this->assertLessThanOrEqual(8, $p['_queries'], 'a batch is read with a few bulk queries');
    }

    public function testFullSyncOf2000ProductsThenDelta(): void
    {
        if (!$this->catalogAvailable()) {
            $this->fail('Aisle\Catalog is not in this extension build yet (issue 3)');
        }
        self::$h->wp(<<<'PHP'
aisle_test_generate_products(2000);
aisle_test_configure_store(array(
  'zones' => array(array('zone_name' => 'Gulf', 'locations' => array(array('type' => 'country', 'code' => 'SA')),
    'methods' => array(array('id' => 'flat_rate', 'title' => 'Courier', 'settings' => array('cost' => '25')),
                       array('id' => 'free_shipping', 'title' => 'Free shipping', 'settings' => array('min_amount' => '200'))))),
  'gateways' => array(array('id' => 'cod', 'title' => 'Cash on delivery', 'description' => 'Pay when it arrives.'),
                      array('id' => 'bacs', 'title' => 'Bank transfer', 'enabled' => 'no')),
));
$page = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Refunds', 'post_content' => '<p>Returns within <b>30 days</b>.</p>'));
update_option('woocommerce_refund_returns_page_id', $page);
return true;
PHP);
        $this->runActions(); // Drain what earlier tests queued, so the counts below are this run's.
        $start = $this->rest('POST', '/sync', $this->admin());
        $this->assertSame(200, $start['status'], $start['body']);
        // The request that starts the sync reads the first batch itself (no queue runner needed).
        $this->assertSame('running', $start['json']['state']);
        $this->assertSame(500, $start['json']['done']);
        $this->assertSame(2000, $start['json']['total']);
        $this->assertSame(409, $this->rest('POST', '/sync', $this->admin())['status'], 'two syncs never run at once');

        // One batch a job here, to see the progress between two batches.
        $this->assertSame(1, $this->runActions(1, 0));
        $mid = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('running', $mid['state']);
        $this->assertSame(1000, $mid['done']);
        // With the plugin's budget, the next job reads the remaining batches, saving the state
        // after each one (a throughput mark a batch: the start's, and one for each of the four).
        $this->assertSame(1, $this->runActions(1));
        $read = self::$h->wp('return get_option("aisle_sync_state");');
        $this->assertSame(2000, $read['done']);
        $this->assertSame('finish', $read['next']);
        $this->assertSame([0, 500, 1000, 1500, 2000], array_column($read['marks'], 1));

        $this->runActions();
        $done = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $done['state'], json_encode($done));
        $this->assertSame(2000, $done['done']);
        $this->assertSame(2000, $done['result']['indexed']);
        $this->assertSame(0, $done['error_count']);
        $this->assertNotNull($done['finished_at']);
        $this->assertTrue($done['facts']);
        $this->assertSame('2000', self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n']);

        // The index is private: deny rules and an index.php, and not served.
        $dir = self::$h->site . '/wp-content/uploads/aisle';
        $this->assertFileExists("$dir/.htaccess");
        $this->assertFileExists("$dir/index.php");
        // The live generation: index.current names its folder, and the database records it.
        $generation = trim((string) file_get_contents("$dir/index.current"));
        $this->assertDirectoryExists("$dir/index-$generation");
        $this->assertSame(['generation' => $generation, 'products' => 2000], array_intersect_key((array) self::$h->wp('return get_option("aisle_index_generation");'), ['generation' => 1, 'products' => 1]));

        // Delta after an edit through WooCommerce's save path.
        $id = (int) self::$h->query("SELECT ID FROM wp_posts WHERE post_type = 'product' ORDER BY ID LIMIT 1 OFFSET 41")[0]['ID'];
        self::$h->wp("return aisle_test_save_product(array('id' => $id, 'name' => 'Zanzibar Lantern', 'regular_price' => '99.00', 'sku' => 'SKU-Z'));");
        $this->assertSame(1, $this->rest('GET', '/sync', $this->admin())['json']['pending']);
        $this->runActions();
        $after = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame([$id], $after['last_delta']['ids']);
        $this->assertSame(1, $after['last_delta']['counts']['changed']);
        $this->assertSame(2000, $after['last_delta']['counts']['indexed']);
        $hits = self::$h->wp('return Aisle\CatalogIndex::open(Aisle\Plugin\Catalog\CatalogSync::index_dir())->search("Zanzibar Lantern", 3);');
        $this->assertSame($id, (int) $hits[0]['id']);

        // Trash through WooCommerce's delete path: the product leaves the index.
        $trashed = $id + 1;
        self::$h->wp("aisle_test_delete_product($trashed); return true;");
        $this->runActions();
        $gone = $this->rest('GET', '/sync', $this->admin())['json']['last_delta'];
        $this->assertSame([$trashed], $gone['ids']);
        $this->assertSame(1999, $gone['counts']['indexed']);
        $this->assertSame(1, $gone['counts']['deleted']);
        self::$h->wp("wp_untrash_post($trashed); wp_publish_post($trashed); return true;");
        $this->runActions();
        $this->assertSame(2000, $this->rest('GET', '/sync', $this->admin())['json']['last_delta']['counts']['indexed']);

        $facts = self::$h->wp('return get_option("aisle_store_facts");');
        $this->assertSame('Courier', $facts['shipping_zones'][0]['methods'][0]['title']);
        $this->assertSame('200', $facts['shipping_zones'][0]['methods'][1]['free_minimum']);
        $this->assertSame(['cod'], array_column($facts['payment_gateways'], 'id'));
        $this->assertSame('Returns within 30 days.', $facts['policies']['refund']['text']);
    }

    /** @depends testFullSyncOf2000ProductsThenDelta */
    public function testSyncThatDiesMidwayResumesFromItsLastBatch(): void
    {
        $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
        $this->runActions(1, 0); // Two batches (the start's own and one job's): 1,000 products read.
        // The job "dies": half a line written after the last finished batch, its follow-up
        // job gone, and the run silent for longer than the lock lifetime.
        self::$h->wp(<<<'PHP'
file_put_contents(Aisle\Plugin\Storage::dir() . '/catalog.ndjson.partial', '{"id":999999,"na', FILE_APPEND);
as_unschedule_all_actions('aisle_sync_batch');
$s = get_option('aisle_sync_state');
$s['updated_at'] = time() - Aisle\Plugin\Catalog\CatalogSync::LOCK_TTL - 1;
update_option('aisle_sync_state', $s, false);
return true;
PHP);
        // The poll notices the silent run and reads the next batch from the saved cursor itself
        // (dropping the half-written line), then queues the rest.
        $stalled = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame(1500, $stalled['done']);
        $this->assertGreaterThan(0, $this->runActions());
        $done = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $done['state'], json_encode($done));
        $this->assertSame(2000, $done['done'], 'resumed after the last finished batch, nothing read twice');
        $this->assertSame(2000, $done['result']['indexed']);
        $this->assertSame(0, $done['error_count'], 'the half-written line was dropped');
        $this->assertSame(0, $done['result']['changed'], 'same catalog, same hashes');
    }

    /**
     * The finish writes the index on its own thread while it writes the hashes; a failure before
     * the new index is swapped in leaves the index and the hash table of the last finished sync.
     *
     * @depends testSyncThatDiesMidwayResumesFromItsLastBatch
     */
    public function testFailedFinishKeepsTheLastIndexAndHashes(): void
    {
        $table = (string) self::$h->wp('return Aisle\Plugin\Installer::table();');
        $generation = (string) self::$h->wp('return Aisle\CatalogIndex::open(Aisle\Plugin\Catalog\CatalogSync::index_dir())->generation();');
        // An empty table: all 2,000 hashes are written again, two statements of 1,000.
        self::$h->query("DELETE FROM $table");
        $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
        $run = <<<'PHP'
// Something fails after the first 1,000 hashes are written: the extension's own exception
// (one the sync handles), made by asking it for a catalog in a currency that does not exist.
add_filter('query', static function ($sql) {
    static $inserts = 0;
    if (str_starts_with($sql, 'INSERT INTO ' . Aisle\Plugin\Installer::table()) && ++$inserts === 2) {
        new Aisle\Catalog(array('currency' => 'not a currency'));
    }
    return $sql;
});
return aisle_test_run_actions(100);
PHP;
        $this->assertGreaterThan(0, (int) self::$h->wp($run));
        $failed = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('failed', $failed['state'], json_encode($failed));
        $this->assertSame('0', self::$h->query("SELECT COUNT(*) AS n FROM $table")[0]['n'], 'the first 1,000 hashes were rolled back with the rest');
        $state = self::$h->wp('return array((bool) glob(Aisle\Plugin\Catalog\IndexStore::base() . "/.build-*"), Aisle\CatalogIndex::open(Aisle\Plugin\Catalog\CatalogSync::index_dir())->generation(), get_option("aisle_sync_lock"));');
        $this->assertSame([false, $generation, false], $state, 'the half-built index is gone, the last one still answers, the lock is free');

        $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
        $this->runActions();
        $done = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $done['state'], json_encode($done));
        $this->assertSame('2000', self::$h->query("SELECT COUNT(*) AS n FROM $table")[0]['n']);
        $this->assertNotSame($generation, self::$h->wp('return Aisle\CatalogIndex::open(Aisle\Plugin\Catalog\CatalogSync::index_dir())->generation();'));
    }
}
