<?php
declare(strict_types=1);

/**
 * Peak PHP memory of a full sync stays under 128 MB (batches, not one big array). Memory, not
 * time: the jobs run in one PHP process whose memory_limit is 128M, so an overrun is a fatal
 * error, and the measured peak is asserted too. Runs after SyncTest/RemoteSyncTest and grows
 * their 2,000-product catalog to 5,000.
 */
final class SyncMemoryTest extends WpTestCase
{
    public function testFullSyncOf5000ProductsStaysUnder128MbOfPhpMemory(): void
    {
        if (!self::$h->wp('return class_exists("Aisle\\\\Catalog");')) {
            $this->fail('Aisle\Catalog is not in this extension build');
        }
        $have = (int) self::$h->query("SELECT COUNT(*) AS n FROM wp_posts WHERE post_type = 'product'")[0]['n'];
        self::$h->wp('aisle_test_generate_products(' . max(0, 5000 - $have) . ', 7); aisle_test_run_actions(1000); return true;');
        $result = self::$h->wp(<<<'PHP'
ini_set('memory_limit', '128M');
$sync = new Aisle\Plugin\Catalog\CatalogSync(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()));
$sync->start();
while (in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true)) {
    aisle_test_run_actions(1);
}
return array('progress' => $sync->progress(), 'peak' => memory_get_peak_usage(), 'limit' => ini_get('memory_limit'));
PHP);
        $this->assertSame('128M', $result['limit']);
        $this->assertSame('done', $result['progress']['state'], json_encode($result['progress']));
        $this->assertGreaterThanOrEqual(4500, $result['progress']['result']['indexed'], 'out-of-stock products may be excluded by settings');
        $this->assertLessThan(128 * 1024 * 1024, $result['peak'], sprintf('peak PHP memory %.1f MB', $result['peak'] / 1048576));
    }
}
