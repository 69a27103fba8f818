<?php
declare(strict_types=1);

/** The same site served by a PHP without the aisle extension: a notice, no fatal, storefront fine. */
final class ExtensionMissingTest extends WpTestCase
{
    public function testNoticeAndNoFatalWithoutTheExtension(): void
    {
        $host = '127.0.0.1:' . Harness::freePort();
        // WordPress redirects to its configured host, so the login cookie is for that host;
        // cookies carry no port, so one session serves both servers.
        self::$h->startServer('noext', $host, false);
        try {
            $base = "http://$host";
            // The Host header of the configured site, so WordPress does not redirect to it.
            $front = $this->http('GET', '/', null, null, ['Host: ' . self::$h->host], null, $base);
            $this->assertSame(200, $front['status']);
            $this->assertStringContainsString('Aisle Test Store', $front['body']);

            $session = $this->admin();
            $plugins = $this->http('GET', '/wp-admin/plugins.php', null, $session, [], null, $base);
            $this->assertSame(200, $plugins['status']);
            $this->assertStringContainsString('id="aisle-requirements-notice"', $plugins['body']);
            $this->assertStringContainsString('aisle PHP extension is not loaded', $plugins['body']);
            $this->assertStringNotContainsString('WooCommerce is not active', $plugins['body']);

            // No routes, no page: the plugin did nothing else.
            $rest = $this->http('GET', '/?rest_route=/aisle/v1/settings', null, $session, [], null, $base);
            $this->assertSame(404, $rest['status']);
        } finally {
            self::$h->stopServer('noext');
        }
        // Under the extension, the same page has no notice.
        $with = $this->http('GET', '/wp-admin/plugins.php', null, $this->admin());
        $this->assertStringNotContainsString('aisle-requirements-notice', $with['body']);
    }

    public function testNoticeWhenWooCommerceIsInactive(): void
    {
        self::$h->wp("deactivate_plugins('woocommerce/woocommerce.php'); return true;");
        try {
            $page = $this->http('GET', '/wp-admin/plugins.php', null, $this->admin());
            $this->assertSame(200, $page['status']);
            $this->assertStringContainsString('WooCommerce is not active', $page['body']);
            $this->assertSame(200, $this->http('GET', '/')['status']);
        } finally {
            self::$h->wp("return activate_plugin('woocommerce/woocommerce.php');");
        }
    }
}
