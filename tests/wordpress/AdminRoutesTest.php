<?php
declare(strict_types=1);

final class AdminRoutesTest extends WpTestCase
{
    /** Every aisle/v1 admin route with a harmless body. */
    public static function routes(): array
    {
        return [
            'GET settings' => ['GET', '/settings', null],
            'POST settings' => ['POST', '/settings', ['store_name' => 'Intruder']],
            'GET license' => ['GET', '/license', null],
            'POST license/activate' => ['POST', '/license/activate', ['token' => 'x']],
            'POST sync' => ['POST', '/sync', null],
            'GET sync' => ['GET', '/sync', null],
            'POST sync/cancel' => ['POST', '/sync/cancel', null],
            'POST secrets/rotate' => ['POST', '/secrets/rotate', null],
        ];
    }

    /** @dataProvider routes */
    public function testAnonymousIsRefused(string $method, string $route, ?array $body): void
    {
        $r = $this->rest($method, $route, null, $body);
        $this->assertSame(401, $r['status'], $r['body']);
        $this->assertSame('rest_forbidden', $r['json']['code']);
    }

    /** @dataProvider routes */
    public function testUserWithoutManageWoocommerceIsRefused(string $method, string $route, ?array $body): void
    {
        static $customer = null;
        $customer ??= $this->login('customer', 'customer-password-123');
        $this->assertNotEmpty($customer['nonce']);
        $r = $this->rest($method, $route, $customer, $body);
        $this->assertSame(403, $r['status'], $r['body']);
    }

    /** A logged-in admin without the wp_rest nonce is treated as anonymous (CSRF protection). */
    public function testAdminWithoutNonceIsRefused(): void
    {
        $session = $this->admin();
        $r = $this->rest('POST', '/settings', ['jar' => $session['jar'], 'nonce' => null], ['store_name' => 'Forged']);
        $this->assertSame(401, $r['status'], $r['body']);
        $this->assertNotSame('Forged', $this->rest('GET', '/settings', $session)['json']['settings']['store_name']);
    }

    public function testShopManagerIsAllowed(): void
    {
        $manager = $this->login('manager', 'manager-password-123');
        $r = $this->rest('GET', '/settings', $manager);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertArrayHasKey('settings', $r['json']);
    }
}
