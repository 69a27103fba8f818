<?php
declare(strict_types=1);

final class LicenseTest extends WpTestCase
{
    public function testLicenseRouteReportsStatus(): void
    {
        $r = $this->rest('GET', '/license', $this->admin());
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertTrue($r['json']['development_site'], 'a 127.0.0.1 site is flagged as development');
        $this->assertArrayHasKey('available', $r['json']);
        $this->assertFalse($r['json']['license_key']['saved']);
    }

    public function testWithoutLicenseSupportActivationSaysUnavailable(): void
    {
        if (self::$h->wp('return class_exists("Aisle\\\\License");')) {
            $this->markTestSkipped('this extension build has Aisle\License; covered by the activation test');
        }
        $this->assertFalse($this->rest('GET', '/license', $this->admin())['json']['available']);
        $r = $this->rest('POST', '/license/activate', $this->admin(), ['token' => 'anything']);
        $this->assertSame(503, $r['status']);
        $this->assertSame('aisle_license_unavailable', $r['json']['code']);
    }

    public function testGarbageTokenIsRejectedClearly(): void
    {
        if (!self::$h->wp('return class_exists("Aisle\\\\License");')) {
            $this->markTestSkipped('Aisle\License is not in this extension build yet (issue 4)');
        }
        $r = $this->rest('POST', '/license/activate', $this->admin(), ['token' => 'not-a-token']);
        $this->assertSame(400, $r['status'], $r['body']);
        $this->assertSame('aisle_license_malformed', $r['json']['code']);
        $this->assertNull($this->option('aisle_license_token'));
    }
}
