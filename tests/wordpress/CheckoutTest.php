<?php
declare(strict_types=1);

require_once __DIR__ . '/ChatTest.php';

/** Shopper journeys over HTTP, shared by CheckoutTest and OrderStorageTest. */
trait CheckoutFlows
{
    private function chat(string $message, string $session): array
    {
        $r = $this->http('POST', '/?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => $session, 'message' => $message, 'page_url' => self::$h->url . '/shop/']);
        $this->assertSame(200, $r['status'], $r['body']);
        return $r['json'];
    }

    /** The card for $name in the reply to $message, asked in chat session $sid. */
    private function card(string $message, string $sid, string $name): array
    {
        $reply = $this->chat($message, $sid);
        foreach ($reply['products'] as $p) {
            if ($p['name'] === $name) {
                return $p;
            }
        }
        $this->fail("no card for $name in: " . json_encode($reply));
    }

    private function jar(): array
    {
        return ['jar' => tempnam(self::$h->root, 'jar'), 'nonce' => null];
    }

    /** A site-relative path from one of the site's absolute URLs. */
    private function local(string $url): string
    {
        $this->assertStringStartsWith(self::$h->url . '/', $url);
        return substr($url, strlen(self::$h->url));
    }

    private static function address(string $email): array
    {
        return ['first_name' => 'Ada', 'last_name' => 'Shopper', 'company' => '', 'address_1' => '350 Fifth Avenue', 'address_2' => '', 'city' => 'New York',
            'state' => 'NY', 'postcode' => '10118', 'country' => 'US', 'email' => $email, 'phone' => '(212) 555-0199'];
    }

    private function storeApi(string $method, string $route, array $jar, ?array $json = null, ?string $nonce = null): array
    {
        return $this->http($method, '/wp-json/wc/store/v1' . $route, $json, $jar, $nonce ? ['Nonce: ' . $nonce] : []);
    }

    private static function header(string $headers, string $name): ?string
    {
        return preg_match('/^' . preg_quote($name, '/') . ':\s*(.+?)\r?$/mi', $headers, $m) ? $m[1] : null;
    }

    /** Block checkout: cart and checkout through the Store API with the shopper's cookies; returns the order id. */
    private function storeApiCheckout(array $jar, int $productId, string $email): int
    {
        $cart = $this->storeApi('GET', '/cart', $jar);
        $this->assertSame(200, $cart['status'], $cart['body']);
        $nonce = self::header($cart['headers'], 'Nonce');
        $this->assertNotNull($nonce, 'the Store API hands out a Nonce header: ' . $cart['headers']);
        $add = $this->storeApi('POST', '/cart/add-item', $jar, ['id' => $productId, 'quantity' => 1], $nonce);
        $this->assertSame(201, $add['status'], $add['body']);
        $this->assertContains($productId, array_column($add['json']['items'], 'id'));
        $rates = $add['json']['shipping_rates'][0]['shipping_rates'] ?? [];
        $this->assertContains('free_shipping', array_column($rates, 'method_id'), 'the US zone offers free shipping: ' . json_encode($add['json']['shipping_rates']));
        $addr = self::address($email);
        $shipping = $addr;
        unset($shipping['email']);
        $out = $this->storeApi('POST', '/checkout', $jar, ['billing_address' => $addr, 'shipping_address' => $shipping, 'payment_method' => 'cod', 'customer_note' => ''], self::header($add['headers'], 'Nonce') ?? $nonce);
        $this->assertSame(200, $out['status'], $out['body']);
        $this->assertSame('success', $out['json']['payment_result']['payment_status'], $out['body']);
        $this->assertSame('processing', $out['json']['status'], 'Cash on delivery leaves the order processing');
        return (int) $out['json']['order_id'];
    }

    /** Classic checkout: the [woocommerce_checkout] page's own form, posted to ?wc-ajax=checkout; returns the order id. */
    private function classicCheckout(array $jar, string $page, string $email): int
    {
        $html = $this->http('GET', $page, null, $jar);
        $this->assertSame(200, $html['status']);
        $this->assertSame(1, preg_match('/name="woocommerce-process-checkout-nonce" value="([^"]+)"/', $html['body'], $n), 'the classic checkout form renders');
        $form = ['woocommerce-process-checkout-nonce' => $n[1], '_wp_http_referer' => $page, 'payment_method' => 'cod'];
        foreach (self::address($email) as $k => $v) {
            $form["billing_$k"] = $v;
        }
        // The shipping method the page chose, as its radio button or hidden input carries it.
        if (preg_match('/name="shipping_method\[0\]"[^>]*value="([^"]+)"/', $html['body'], $m) || preg_match('/value="([^"]+)"[^>]*name="shipping_method\[0\]"/', $html['body'], $m)) {
            $form['shipping_method[0]'] = html_entity_decode($m[1]);
        }
        $r = $this->http('POST', '/?wc-ajax=checkout', null, $jar, ['X-Requested-With: XMLHttpRequest'], $form);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertSame('success', $r['json']['result'] ?? null, $r['body']);
        $this->assertStringContainsString('order-received', $r['json']['redirect']);
        $this->assertSame(1, preg_match('~order-received/(\d+)/~', $r['json']['redirect'], $id), $r['json']['redirect']);
        return (int) $id[1];
    }

    /** The order's meta as WooCommerce's CRUD reads it, and where the row is (HPOS table or postmeta). */
    private function orderFacts(int $id): array
    {
        return self::$h->wp(<<<PHP
global \$wpdb;
\$o = wc_get_order($id);
return array('meta' => \$o->get_meta('_aisle_session'), 'status' => \$o->get_status(), 'payment' => \$o->get_payment_method(), 'created_via' => \$o->get_created_via(),
  'items' => array_values(array_map(static fn (\$i) => \$i->get_name(), \$o->get_items())),
  'hpos' => \$wpdb->get_col(\$wpdb->prepare("SELECT meta_value FROM {\$wpdb->prefix}wc_orders_meta WHERE order_id = %d AND meta_key = '_aisle_session'", $id)),
  'posts' => \$wpdb->get_col(\$wpdb->prepare("SELECT meta_value FROM {\$wpdb->postmeta} WHERE post_id = %d AND meta_key = '_aisle_session'", $id)));
PHP);
    }
}

/**
 * Chat-assisted orders through WooCommerce's real checkouts: a shopper follows a chat card's
 * link (?aisle_session=<uuid>), Attribution keeps the id in WooCommerce's session, and the order
 * placed through the block checkout (Store API) or the classic shortcode checkout
 * (?wc-ajax=checkout) carries it as order meta, counted on the dashboard and shown in the order's
 * "Aisle" meta box. Then the same journey in Chromium (tests/e2e/checkout.mjs).
 */
final class CheckoutTest extends WpTestCase
{
    use CheckoutFlows;

    /** The page with [woocommerce_checkout] (the classic checkout) and the US free-shipping zone. */
    public static function prepareStore(): array
    {
        ChatTest::seed();
        ChatTest::resetLimits();
        $store = self::$h->wp(<<<'PHP'
// Shipping for the US address the tests check out with: a zone of its own, added beside the
// store's zones (none deleted), with free shipping, ordered before them: an earlier test may have
// added a United States zone of its own (the sample store's, flat rate), and WooCommerce takes
// the first zone that matches.
$found = null;
foreach (WC_Shipping_Zones::get_zones() as $z) {
  if ($z['zone_name'] === 'Aisle tests US') {
    $found = $z['id'];
  } elseif ((int) $z['zone_order'] < 1) {
    $other = new WC_Shipping_Zone($z['id']); // Orders are unsigned: the others move back one.
    $other->set_zone_order(1);
    $other->save();
  }
}
$zone = $found ? new WC_Shipping_Zone($found) : new WC_Shipping_Zone();
if (!$found) {
  $zone->set_zone_name('Aisle tests US');
  $zone->add_location('US', 'country');
}
$zone->set_zone_order(0);
$zone->save();
if (!$found) {
  $zone->add_shipping_method('free_shipping');
}
WC_Cache_Helper::get_transient_version('shipping', true);
$page = (int) get_option('aisle_test_classic_checkout');
if (!$page || !get_post($page)) {
  $page = wp_insert_post(array('post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Classic checkout', 'post_name' => 'classic-checkout',
    'post_content' => '<!-- wp:shortcode -->[woocommerce_checkout]<!-- /wp:shortcode -->'));
  update_option('aisle_test_classic_checkout', $page);
}
// ChatE2ETest leaves a product whose stored title is markup (<img src=x onerror=alert(1)>), as an
// importer could store it. WordPress prints post titles as stored, so the theme's product grids,
// related products and the cart's suggestions would run it on every page checked here: to the trash.
global $wpdb;
foreach ($wpdb->get_col("SELECT ID FROM {$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish' AND post_title LIKE 'Aisle <img%'") as $hostile) {
  wc_get_product((int) $hostile)->delete(false);
}
$s = get_option('aisle_settings'); $s['assistant_paused'] = false; $s['ai_provider'] = 'none'; update_option('aisle_settings', $s);
return array('classic' => wp_make_link_relative(get_permalink($page)), 'checkout' => wp_make_link_relative(wc_get_checkout_url()), 'cart' => wp_make_link_relative(wc_get_cart_url()),
  'blue' => wc_get_product_id_by_sku('AH-BLUE-1'));
PHP);
        self::$h->wp('return aisle_test_run_actions();'); // Catalog deltas of the trashed product.
        return $store;
    }

    private function ordersToday(): int
    {
        $days = self::$h->wp('return Aisle\Plugin\Admin\Stats::days(1);');
        return (int) array_values($days)[0]['orders'];
    }

    /** The "Chat-assisted orders" figure for today on the Aisle dashboard, as the page shows it. */
    private function dashboardOrdersToday(): int
    {
        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=overview', null, $this->admin())['body'];
        $this->assertSame(1, preg_match('~<table class="widefat striped" id="aisle-stats"><thead><tr>(.*?)</tr></thead><tbody><tr>(.*?)</tr>~s', $page, $m), 'dashboard table');
        preg_match_all('~<th>(.*?)</th>~', $m[1], $heads);
        preg_match_all('~<td>(.*?)</td>~', $m[2], $cells);
        $col = array_search('Chat-assisted orders', $heads[1], true);
        $this->assertNotFalse($col);
        $this->assertSame(gmdate('Y-m-d'), $cells[1][0]);
        return (int) str_replace(',', '', $cells[1][$col]);
    }

    public function testBlockCheckoutThroughStoreApiCarriesTheChatSession(): void
    {
        $store = self::prepareStore();
        $before = $this->ordersToday();
        $sid = ChatTest::uuid();
        $card = $this->card('Do you have hoodies under 50?', $sid, 'Aisle Blue Hoodie');
        $this->assertStringContainsString('aisle_session=' . $sid, $card['url']);

        $jar = $this->jar();
        $page = $this->http('GET', $this->local($card['url']), null, $jar); // The shopper follows the card.
        $this->assertSame(200, $page['status']);
        $this->assertStringContainsString('Aisle Blue Hoodie', $page['body']);
        $this->assertMatchesRegularExpression('/wp_woocommerce_session_/', (string) file_get_contents($jar['jar']), 'WooCommerce started its session for the guest');

        $id = $this->storeApiCheckout($jar, (int) $store['blue'], 'block-buyer@example.com');
        $facts = $this->orderFacts($id);
        $this->assertSame($sid, $facts['meta'], 'the order carries the chat session');
        $this->assertSame('store-api', $facts['created_via']);
        $this->assertSame(['Aisle Blue Hoodie'], $facts['items']);
        $this->assertSame('cod', $facts['payment']);
        $this->assertSame([$sid], $facts['hpos'], 'HPOS store: the meta is in wc_orders_meta');
        $this->assertSame([], $facts['posts'], 'and not in postmeta (compatibility sync is off)');
        $this->assertSame($before + 1, $this->ordersToday(), 'counted once as a chat-assisted order');

        // The same shopper's session already carries the chat: a second order is attributed too.
        // A shopper who never came from the chat is not.
        $plain = $this->jar();
        $this->http('GET', '/shop/?aisle_session=not-a-uuid', null, $plain);
        $other = $this->storeApiCheckout($plain, (int) $store['blue'], 'plain-buyer@example.com');
        $this->assertSame('', $this->orderFacts($other)['meta'], 'no chat, no attribution');
        $this->assertSame($before + 1, $this->ordersToday(), 'an order without chat is not counted');
        self::$h->wp("update_option('aisle_test_checkout_orders', array('block' => $id, 'plain' => $other, 'sid' => '$sid')); return true;");
    }

    public function testClassicShortcodeCheckoutCarriesTheChatSession(): void
    {
        $store = self::prepareStore();
        $before = $this->ordersToday();
        $sid = ChatTest::uuid();
        $card = $this->card('blue hoodie in stock under 50', $sid, 'Aisle Blue Hoodie');
        $this->assertStringContainsString('add-to-cart=' . $store['blue'], $card['add_to_cart_url']);
        $this->assertStringContainsString('aisle_session=' . $sid, $card['add_to_cart_url']);

        // The card's "Add to cart" link: WooCommerce's own add-to-cart handler puts it in the cart.
        $jar = $this->jar();
        $add = $this->http('GET', $this->local($card['add_to_cart_url']), null, $jar);
        $this->assertContains($add['status'], [200, 302], $add['headers']);
        $cart = $this->storeApi('GET', '/cart', $jar);
        $this->assertSame([(int) $store['blue']], array_column($cart['json']['items'], 'id'), 'the card added the hoodie to WooCommerce\'s cart');

        $id = $this->classicCheckout($jar, $store['classic'], 'classic-buyer@example.com');
        $facts = $this->orderFacts($id);
        $this->assertSame($sid, $facts['meta'], 'the classic checkout order carries the chat session');
        $this->assertSame('checkout', $facts['created_via']);
        $this->assertSame('processing', $facts['status']);
        $this->assertSame(['Aisle Blue Hoodie'], $facts['items']);
        $this->assertSame([$sid], $facts['hpos']);
        $this->assertSame($before + 1, $this->ordersToday());
        $this->assertSame($before + 1, $this->dashboardOrdersToday(), 'the dashboard shows the count');
        self::$h->wp("\$o = get_option('aisle_test_checkout_orders', array()); \$o['classic'] = $id; \$o['classic_sid'] = '$sid'; update_option('aisle_test_checkout_orders', \$o); return true;");
    }

    /** @depends testBlockCheckoutThroughStoreApiCarriesTheChatSession */
    public function testOrderScreenShowsTheAisleBox(): void
    {
        $o = self::$h->wp("return get_option('aisle_test_checkout_orders');");
        $conv = (int) self::$h->query("SELECT id FROM wp_aisle_conversations WHERE session_id = '{$o['sid']}'")[0]['id'];
        $page = $this->http('GET', '/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $o['block'], null, $this->admin());
        $this->assertSame(200, $page['status']);
        $this->assertStringContainsString('id="aisle-order-attribution"', $page['body'], 'the Aisle meta box is on the HPOS order screen');
        $this->assertStringContainsString('Chat-assisted order', $page['body']);
        $this->assertMatchesRegularExpression('~href="[^"]*page=aisle(&|&amp;|&#038;)tab=chats(&|&amp;|&#038;)conversation=' . $conv . '"~', $page['body'], 'links to the conversation');
        $this->assertStringContainsString($o['sid'], $page['body']);

        $plain = $this->http('GET', '/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $o['plain'], null, $this->admin());
        $this->assertSame(200, $plain['status']);
        $this->assertStringContainsString('id="order_data"', $plain['body'], 'the order screen rendered');
        $this->assertStringNotContainsString('aisle-order-attribution', $plain['body'], 'no box on an order without chat');

        // The conversation expired (retention): the box says so and links nowhere.
        self::$h->query("UPDATE wp_aisle_conversations SET expires_at = UNIX_TIMESTAMP() - 1 WHERE id = $conv");
        $gone = $this->http('GET', '/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $o['block'], null, $this->admin())['body'];
        $this->assertStringContainsString('id="aisle-order-attribution"', $gone);
        $this->assertStringContainsString('no longer kept', $gone);
        $this->assertStringNotContainsString('conversation=' . $conv, $gone);
    }

    /** A role that may edit orders but not manage WooCommerce sees the order without the box. */
    public function testBoxNeedsManageWoocommerce(): void
    {
        $o = self::$h->wp(<<<'PHP'
if (!get_role('order_clerk')) {
  add_role('order_clerk', 'Order clerk', array('read' => true, 'view_admin_dashboard' => true, 'edit_shop_orders' => true, 'edit_others_shop_orders' => true, 'read_shop_order' => true, 'edit_shop_order' => true, 'view_woocommerce_reports' => false));
}
if (!get_user_by('login', 'clerk')) {
  wp_insert_user(array('user_login' => 'clerk', 'user_pass' => 'clerk-password-123', 'user_email' => 'clerk@example.com', 'role' => 'order_clerk'));
}
return get_option('aisle_test_checkout_orders');
PHP);
        $this->assertNotEmpty($o['classic'] ?? null, 'the classic checkout test placed an order');
        $clerk = $this->login('clerk', 'clerk-password-123');
        $page = $this->http('GET', '/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $o['classic'], null, $clerk);
        $this->assertSame(200, $page['status'], 'the clerk may open the order');
        $this->assertStringContainsString('id="order_data"', $page['body']);
        $this->assertStringNotContainsString('aisle-order-attribution', $page['body']);
        $admin = $this->http('GET', '/wp-admin/admin.php?page=wc-orders&action=edit&id=' . $o['classic'], null, $this->admin())['body'];
        $this->assertStringContainsString('id="aisle-order-attribution"', $admin);
        $this->assertStringContainsString($o['classic_sid'], $admin);
    }
    /** tests/e2e/checkout.mjs in Chromium: chat, cards, cart, block checkout, order received, wp-admin. */
    public function testChatToOrderReceivedInChromium(): void
    {
        $store = self::prepareStore();
        $zip = self::$h->wp(<<<'PHP'
$id = wc_get_product_id_by_sku('AH-ZIP');
if (!$id) {
  $id = aisle_test_save_product(array('name' => 'Aisle Zip Hoodie', 'sku' => 'AH-ZIP', 'categories' => array('Hoodies'), 'short_description' => 'A zip hoodie in three sizes.',
    'attributes' => array('Size' => array('S', 'M', 'L')),
    'variations' => array(array('sku' => 'AH-ZIP-S', 'regular_price' => '55.00', 'attributes' => array('Size' => 'S')), array('sku' => 'AH-ZIP-M', 'regular_price' => '55.00', 'attributes' => array('Size' => 'M')),
      array('sku' => 'AH-ZIP-L', 'regular_price' => '57.00', 'attributes' => array('Size' => 'L')))));
}
return $id;
PHP);
        self::$h->wp('return aisle_test_run_actions();'); // The new product's catalog delta.
        $before = $this->ordersToday();
        $repo = dirname(__DIR__, 2);
        $out = $repo . '/tests/artifacts';
        @mkdir($out, 0777, true);
        $log = self::$h->cli(['node', "$repo/tests/e2e/checkout.mjs", self::$h->url, $out, $store['cart'], $store['checkout'], 'admin', 'admin-password-123']);
        $this->assertStringContainsString("\nok", $log, $log);
        $this->assertSame(1, preg_match('/^session=([0-9a-f-]{36})$/m', $log, $sid), $log);
        $this->assertSame(1, preg_match('/^order=(\d+)$/m', $log, $order), $log);
        $facts = $this->orderFacts((int) $order[1]);
        $this->assertSame($sid[1], $facts['meta'], 'the order placed in Chromium carries the widget\'s chat session');
        $this->assertSame([$sid[1]], $facts['hpos']);
        $this->assertSame('store-api', $facts['created_via'], 'placed through the block checkout');
        $this->assertSame('cod', $facts['payment']);
        $this->assertSame('processing', $facts['status']);
        $this->assertSame(['Aisle Blue Hoodie'], $facts['items'], 'only the simple product: Choose options added nothing');
        $this->assertSame($before + 1, $this->ordersToday());
        $this->assertFileExists("$out/checkout-order-received.png");
        $this->assertGreaterThan(0, (int) $zip);
    }
}
