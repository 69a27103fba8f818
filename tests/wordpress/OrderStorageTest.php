<?php
declare(strict_types=1);

require_once __DIR__ . '/CheckoutTest.php';

/**
 * Order status through the chat and chat attribution, once with HPOS (wc_orders tables, what a
 * new store gets) and once with posts storage (compatibility sync off), switched with
 * WooCommerce's own feature switch; the orders of each run are created after switching. HPOS is
 * switched back on afterwards so later tests see a new store's default.
 */
final class OrderStorageTest extends WpTestCase
{
    use CheckoutFlows;

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        CheckoutTest::prepareStore();
    }

    public static function tearDownAfterClass(): void
    {
        if (!self::useStorage(true)['hpos']) {
            throw new RuntimeException('HPOS could not be switched back on');
        }
        parent::tearDownAfterClass();
    }

    /**
     * Switches the authoritative order storage the way the Features screen does
     * (FeaturesController::change_feature_enable), with compatibility sync off. Orders made under
     * the other storage are not copied over (sync is off), so WooCommerce's documented testing
     * filter allows the switch while they are "pending sync".
     */
    private static function useStorage(bool $hpos): array
    {
        $want = $hpos ? 'true' : 'false';
        return self::$h->wp(<<<PHP
use Automattic\\WooCommerce\\Internal\\Features\\FeaturesController;
use Automattic\\WooCommerce\\Utilities\\OrderUtil;
add_filter('wc_allow_changing_orders_storage_while_sync_is_pending', '__return_true');
update_option('woocommerce_custom_orders_table_data_sync_enabled', 'no');
wc_get_container()->get(FeaturesController::class)->change_feature_enable('custom_order_tables', $want); // false when already so
return array('hpos' => OrderUtil::custom_orders_table_usage_is_enabled(), 'sync' => get_option('woocommerce_custom_orders_table_data_sync_enabled'));
PHP);
    }

    public static function storages(): array
    {
        return ['HPOS' => [true], 'posts storage' => [false]];
    }

    private function ask(string $message): string
    {
        ChatTest::resetLimits(); // Order look-ups are limited to 5 per IP in 10 minutes.
        return $this->chat($message, ChatTest::uuid())['reply'];
    }

    /** @dataProvider storages */
    public function testOrderStatusAndAttribution(bool $hpos): void
    {
        $state = self::useStorage($hpos);
        $this->assertSame($hpos, $state['hpos'], 'WooCommerce switched the order storage');
        $this->assertSame('no', $state['sync']);
        $this->assertSame($hpos, self::$h->versions()['hpos']);

        $tag = $hpos ? 'hpos' : 'posts';
        $o = self::$h->wp(<<<PHP
\$user = get_user_by('login', 'storage-customer-$tag');
\$uid = \$user ? \$user->ID : wp_insert_user(array('user_login' => 'storage-customer-$tag', 'user_pass' => 'customer-password-123', 'user_email' => 'customer-$tag@example.com', 'role' => 'customer'));
\$blue = wc_get_product_id_by_sku('AH-BLUE-1');
\$red = wc_get_product_id_by_sku('AH-RED-1');
return array(
  'us' => aisle_test_create_order(array('status' => 'processing', 'customer_id' => \$uid, 'billing_phone' => '(212) 555-0199', 'billing_email' => 'customer-$tag@example.com', 'items' => array(array('product_id' => \$blue, 'qty' => 2)))),
  'uk' => aisle_test_create_order(array('status' => 'on-hold', 'billing_phone' => '+44 7700 900123', 'billing_email' => 'uk-$tag@example.com', 'items' => array(array('product_id' => \$red, 'qty' => 1)))),
  'de' => aisle_test_create_order(array('status' => 'completed', 'billing_phone' => '+49 30 1234567', 'billing_email' => 'de-$tag@example.com', 'shipping_method' => 'DHL Paket', 'items' => array(array('name' => 'Aisle Green Hoodie', 'qty' => 1, 'total' => '30.00')), 'meta' => array('_tracking_number' => 'DE-$tag-77'))),
  'cancelled' => aisle_test_create_order(array('status' => 'cancelled', 'billing_phone' => '+44 7700 900123', 'billing_email' => 'uk-$tag@example.com', 'items' => array(array('product_id' => \$red, 'qty' => 3)))),
  'customer' => \$uid,
);
PHP);
        // Each order is where the storage in use keeps orders, and only there.
        foreach (['us', 'uk', 'de', 'cancelled'] as $k) {
            $inHpos = self::$h->query("SELECT id FROM wp_wc_orders WHERE id = {$o[$k]} AND type = 'shop_order'") !== [];
            $inPosts = self::$h->query("SELECT ID FROM wp_posts WHERE ID = {$o[$k]} AND post_type = 'shop_order'") !== [];
            $this->assertSame([$hpos, !$hpos], [$inHpos, $inPosts], "order $k in the " . ($hpos ? 'wc_orders table' : 'posts table'));
        }
        $this->assertSame((string) $o['customer'], self::$h->wp("return (string) wc_get_order({$o['us']})->get_customer_id();"), 'the registered customer owns the order');

        $none = OrderLookupText::NO_MATCH;
        // The right contact, in the format on the order and in others.
        foreach (["where is order {$o['us']}? my phone is (212) 555-0199", "order {$o['us']} phone +1 212-555-0199", "order {$o['us']}, email Customer-$tag@Example.com"] as $q) {
            $r = $this->ask($q);
            $this->assertStringContainsString('**Processing**', $r, $q);
            $this->assertStringContainsString('Aisle Blue Hoodie × 2', $r, $q);
        }
        foreach (["where is order {$o['uk']}? my phone is +44 7700 900123", "order {$o['uk']} my number is 07700 900123"] as $q) {
            $r = $this->ask($q);
            $this->assertStringContainsString('**On hold**', $r, $q);
            $this->assertStringContainsString('Aisle Red Hoodie × 1', $r, $q);
        }
        foreach (["where is order {$o['de']}? my phone is +49 30 1234567", "order {$o['de']} phone 030 1234567"] as $q) {
            $r = $this->ask($q);
            $this->assertStringContainsString('**Completed**', $r, $q);
            $this->assertStringContainsString("DE-$tag-77", $r, $q);
            $this->assertStringContainsString('DHL Paket', $r, $q);
        }
        $this->assertStringContainsString('**Cancelled**', $this->ask("order {$o['cancelled']} phone +44 7700 900123"));

        // Wrong contacts: another order's phone, another customer's email, a near miss; an
        // unknown order reads exactly the same.
        foreach (["where is order {$o['us']}? my phone is +44 7700 900123", "order {$o['uk']} email customer-$tag@example.com", "order {$o['de']} phone +49 30 1234568",
            'where is order 99999999? my phone is (212) 555-0199'] as $q) {
            $r = $this->ask($q);
            $this->assertSame($none, $r, $q);
        }

        // A chat-assisted order through the block checkout lands in the storage in use.
        $sid = ChatTest::uuid();
        $card = $this->card('Do you have hoodies under 50?', $sid, 'Aisle Blue Hoodie');
        $jar = $this->jar();
        $this->http('GET', $this->local($card['url']), null, $jar);
        $revenue = fn (): int => (int) array_values(self::$h->wp('return Aisle\\Plugin\\Admin\\Stats::days(1);'))[0]['revenue'];
        $before = $revenue();
        $id = $this->storeApiCheckout($jar, (int) self::$h->wp("return wc_get_product_id_by_sku('AH-BLUE-1');"), "chat-$tag@example.com");
        // The Overview's chat-assisted revenue grows by the order's total (in cents).
        $this->assertSame($before + (int) round(100 * (float) self::$h->wp("return wc_get_order($id)->get_total();")), $revenue());
        $facts = $this->orderFacts($id);
        $this->assertSame($sid, $facts['meta']);
        $this->assertSame($hpos ? [$sid] : [], $facts['hpos'], 'wc_orders_meta');
        $this->assertSame($hpos ? [] : [$sid], $facts['posts'], 'wp_postmeta');
        // The shopper asks about it in the chat: the phone from the checkout form finds it.
        $this->assertStringContainsString('**Processing**', $this->ask("where is order $id? my phone is 212 555 0199"));

        // The order screen of this storage shows the Aisle box with the conversation link.
        $conv = (int) self::$h->query("SELECT id FROM wp_aisle_conversations WHERE session_id = '$sid'")[0]['id'];
        $screen = $hpos ? "/wp-admin/admin.php?page=wc-orders&action=edit&id=$id" : "/wp-admin/post.php?post=$id&action=edit";
        $page = $this->http('GET', $screen, null, $this->admin());
        $this->assertSame(200, $page['status'], $screen);
        $this->assertStringContainsString('id="order_data"', $page['body'], "$screen is WooCommerce's order screen");
        $this->assertStringContainsString('id="aisle-order-attribution"', $page['body'], "the Aisle box on $screen");
        $this->assertMatchesRegularExpression('~page=aisle(&|&amp;|&#038;)tab=chats(&|&amp;|&#038;)conversation=' . $conv . '"~', $page['body']);
        // The conversation's transcript shows the add-to-cart from the card and ends with the order, linked to that screen.
        $t = $this->http('GET', "/wp-admin/admin.php?page=aisle&tab=chats&conversation=$conv", null, $this->admin())['body'];
        $this->assertStringContainsString('Added to cart: Aisle Blue Hoodie × 1', $t);
        $list = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=chats&filter=order', null, $this->admin())['body'];
        $this->assertMatchesRegularExpression('~<tr data-conversation="' . $conv . '">.*?aisle-flag-order~s', $list, 'the "With an order" filter and flag in this storage');
        $this->assertMatchesRegularExpression('~<li class="aisle-event aisle-event-order" id="aisle-transcript-order">.*Order #' . $id . ' placed: [^<]*<a href="[^"]*' . preg_quote(str_replace('&', '&#038;', $screen), '~') . '">Open the order</a>~', $t, "the transcript links to $screen");
        $other = $this->http('GET', $hpos ? "/wp-admin/admin.php?page=wc-orders&action=edit&id={$o['uk']}" : "/wp-admin/post.php?post={$o['uk']}&action=edit", null, $this->admin())['body'];
        $this->assertStringContainsString('id="order_data"', $other);
        $this->assertStringNotContainsString('aisle-order-attribution', $other, 'no box without chat');
    }
}

/** The answer for "no such order" and "wrong contact" (OrderLookup::no_match(), English). */
final class OrderLookupText
{
    public const NO_MATCH = 'I could not find an order with that number and contact. Please check both and try again.';
}
