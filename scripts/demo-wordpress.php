<?php
/**
 * make demo: a real local WordPress at http://127.0.0.1:8080 with a private MariaDB, the aisle
 * extension loaded and the plugin active. Left running; `make demo-stop` stops it by PID.
 *
 * WOOCOMMERCE_ZIP=/path/woocommerce.zip installs real WooCommerce (WORDPRESS_ZIP=/path/wordpress.zip
 * when that WooCommerce needs a newer WordPress than Debian's 6.1), generates a demo catalog and
 * syncs it. Without it the demo runs against the test stand-in and says so.
 */
declare(strict_types=1);

require dirname(__DIR__) . '/tests/wordpress/Harness.php';

$root = dirname(__DIR__) . '/.demo';
$port = (int) (getenv('AISLE_DEMO_PORT') ?: 8080);
$wcZip = getenv('WOOCOMMERCE_ZIP') ?: '';
$wpZip = getenv('WORDPRESS_ZIP') ?: '';

Harness::stopLeftovers($root);
$h = new Harness($root, $port);
$real = $wcZip !== '';
foreach (array_filter([$wcZip, $wpZip]) as $zip) {
    if (!is_file($zip)) {
        fwrite(STDERR, "demo: $zip does not exist\n");
        exit(1);
    }
}
if ($wpZip !== '') {
    $unpacked = sys_get_temp_dir() . '/aisle-demo-wordpress';
    Harness::removeTree($unpacked);
    $h->cli(['unzip', '-q', $wpZip, '-d', $unpacked]);
    $h->wpSource = "$unpacked/wordpress";
}
$plugins = $real
    ? ['woocommerce/woocommerce.php', 'aisle/aisle.php']
    : ['woocommerce-standin/woocommerce-standin.php', 'aisle/aisle.php'];
$h->start($plugins, static function (Harness $h) use ($wcZip): void {
    if ($wcZip !== '') {
        $h->cli(['unzip', '-q', $wcZip, '-d', $h->site . '/wp-content/plugins']);
    }
});

echo "\n";
if ($real) {
    echo "WooCommerce: installed from $wcZip. Generating a demo catalog (200 products through WooCommerce's own API)…\n";
    $h->wp(<<<'PHP'
$colors = array('Blue', 'Red', 'Green', 'Black');
for ($i = 1; $i <= 200; $i++) {
    $p = new WC_Product_Simple();
    $c = $colors[$i % 4];
    $p->set_name("Demo shirt $i ($c)");
    $p->set_sku("DEMO-$i");
    $p->set_regular_price((string) (10 + $i % 50));
    $p->set_description("A comfortable $c cotton shirt, model $i.");
    $p->save();
}
return true;
PHP);
} else {
    echo "WooCommerce: NOT installed (no WOOCOMMERCE_ZIP given; it is not in the package registries).\n";
    echo "             The demo runs against the TEST STAND-IN \"WooCommerce stand-in (Aisle tests only — NOT WooCommerce)\".\n";
    echo "             For the real thing: make demo WOOCOMMERCE_ZIP=/path/to/woocommerce.zip [WORDPRESS_ZIP=/path/to/wordpress.zip]\n";
    $h->wp('aisle_test_generate_products(500); return true;');
}

$sync = $h->wp(<<<'PHP'
if (!Aisle\Plugin\CatalogSync::available()) {
    return 'unavailable: ' . Aisle\Plugin\CatalogSync::unavailable()->get_error_message();
}
$sync = new Aisle\Plugin\CatalogSync(new Aisle\Plugin\WooAdapter(), new Aisle\Plugin\Settings(), new Aisle\Plugin\StoreFacts(new Aisle\Plugin\WooAdapter(), new Aisle\Plugin\Settings()));
$r = $sync->start();
if (is_wp_error($r)) {
    return 'failed: ' . $r->get_error_message();
}
// Run the queue here rather than waiting for WP-Cron (disabled on this site).
for ($i = 0; $i < 200 && in_array($sync->state()['state'], array('queued', 'running', 'indexing'), true); $i++) {
    if (function_exists('standin_run_actions')) {
        aisle_test_run_actions(50);
    } else {
        ActionScheduler_QueueRunner::instance()->run('aisle-demo');
    }
}
return $sync->progress();
PHP);
echo "Catalog sync: " . (is_array($sync) ? "{$sync['state']}, {$sync['done']} of {$sync['total']} products" . (isset($sync['result']['indexed']) ? ", {$sync['result']['indexed']} indexed" : '') : $sync) . "\n";

echo <<<TXT

Aisle demo is up (extension: {$h->ext})
  Site:      {$h->url}/
  Admin:     {$h->url}/wp-admin/admin.php?page=aisle
  User:      admin
  Password:  admin-password-123
  Files:     $root (debug log: $root/debug.log)
Stop it with: make demo-stop

TXT;
