<?php
declare(strict_types=1);

/** The small store the chat tests answer from (the WordPress suite's ChatTest::seed, shared). */
final class ChatSeed
{
    public static function seed(Harness $h): void
    {
        $h->wp(<<<'PHP'
if (get_option('aisle_test_seeded')) { return true; }
update_option('aisle_test_seeded', 1);
aisle_test_add_attribute('colour', 'Colour');
foreach (array(array('Aisle Blue Hoodie', '45.00', 'instock', 'blue', 'AH-BLUE-1'), array('Aisle Red Hoodie', '65.00', 'instock', 'red', 'AH-RED-1')) as $p) {
  wp_insert_term(ucfirst($p[3]), 'pa_colour', array('slug' => $p[3]));
  aisle_test_save_product(array('name' => $p[0], 'regular_price' => $p[1], 'stock_status' => $p[2], 'sku' => $p[4], 'categories' => array('Hoodies'), 'attributes' => array('pa_colour' => array($p[3])), 'short_description' => 'Warm cotton hoodie.'));
}
aisle_test_configure_store(array(
  'zones' => array(array('zone_name' => 'Germany', 'locations' => array(array('type' => 'country', 'code' => 'DE')), 'methods' => array(array('id' => 'flat_rate', 'title' => 'DHL Paket', 'settings' => array('cost' => '4.90'))))),
  'gateways' => array(array('id' => 'cod', 'title' => 'Cash on delivery')),
));
$s = get_option('aisle_settings', array());
$s['rate_limit_ip'] = 1000;
$s['rate_limit_session'] = 1000;
update_option('aisle_settings', $s);
(new Aisle\Plugin\Knowledge\StoreFacts(new Aisle\Plugin\Catalog\WooAdapter(), new Aisle\Plugin\Settings()))->refresh();
return true;
PHP);
        $h->wp('return aisle_test_run_actions();'); // The deltas the saves queued: indexed now.
    }
}
