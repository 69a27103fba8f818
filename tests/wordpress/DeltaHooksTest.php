<?php
declare(strict_types=1);

/**
 * Deltas from writes that bypass WooCommerce's data store: a price written straight to post
 * meta, a stock hook, and a product deleted for good with core's wp_delete_post(). It needs an
 * index to update: the sync tests' in the suite, its own when run alone.
 */
final class DeltaHooksTest extends WpTestCase
{
    private function pending(): int
    {
        return (int) $this->rest('GET', '/sync', $this->admin())['json']['pending'];
    }

    public function testCoreWritesAndStockHooksQueueDeltas(): void
    {
        if (!self::$h->wp('return class_exists("Aisle\\\\Catalog");')) {
            $this->fail('Aisle\Catalog is not in this extension build');
        }
        // In the suite the sync tests left an index; alone, this makes its own (103 products at least).
        self::$h->wp(<<<'PHP'
global $wpdb;
$have = (int) $wpdb->get_var("SELECT COUNT(*) FROM {$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish'");
if ($have < 103) { aisle_test_generate_products(103 - $have); }
aisle_test_run_actions(1000);
return true;
PHP);
        if ($this->rest('GET', '/sync', $this->admin())['json']['state'] !== 'done') {
            $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
            self::$h->wp('aisle_test_run_actions(1000); return true;');
        }
        $this->assertSame(0, $this->pending());
        $this->assertSame('done', $this->rest('GET', '/sync', $this->admin())['json']['state']);
        $ids = array_map('intval', array_column(self::$h->query("SELECT ID FROM wp_posts WHERE post_type = 'product' AND post_status = 'publish' ORDER BY ID LIMIT 3 OFFSET 100"), 'ID'));

        // A price written straight to post meta (an importer) is a delta for that product.
        self::$h->wp("update_post_meta({$ids[0]}, '_price', '1.23'); return true;");
        $this->assertSame(1, $this->pending());

        // WooCommerce's stock hook passes the product object.
        self::$h->wp("do_action('woocommerce_product_set_stock', wc_get_product({$ids[1]})); return true;");
        $this->assertSame(2, $this->pending());

        // Deleted for good through core, not WooCommerce: before_delete_post still knows the type.
        self::$h->wp("wp_delete_post({$ids[2]}, true); return true;");
        $this->assertSame(3, $this->pending());

        $before = (int) self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n'];
        self::$h->wp('aisle_test_run_actions(1000); return true;');
        $delta = $this->rest('GET', '/sync', $this->admin())['json']['last_delta'];
        $this->assertEqualsCanonicalizing($ids, $delta['ids']);
        $this->assertSame(1, $delta['counts']['deleted']);
        $this->assertSame($before - 1, (int) self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n']);
    }
}
