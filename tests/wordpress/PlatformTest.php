<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/** The release archives: a wrong checksum is refused with a clear message, the right one unpacks. */
final class PlatformTest extends TestCase
{
    private string $dir;

    protected function setUp(): void
    {
        $this->dir = sys_get_temp_dir() . '/aisle-platform-' . getmypid();
        Platform::$cacheDir = "$this->dir/cache";
        mkdir($this->dir, 0700, true);
    }

    protected function tearDown(): void
    {
        Platform::$cacheDir = null;
        putenv('WOOCOMMERCE_ZIP');
        Harness::removeTree($this->dir);
    }

    public function testAnArchiveWhoseChecksumDiffersIsRefused(): void
    {
        // Not the official release's bytes (the checksum is checked before anything is unpacked).
        $zip = "$this->dir/woocommerce.11.0.1.zip";
        file_put_contents($zip, "PK\x03\x04 not the WooCommerce release");
        putenv("WOOCOMMERCE_ZIP=$zip");
        try {
            Platform::unpacked('woocommerce', '11.0.1');
            $this->fail('a tampered archive was accepted');
        } catch (RuntimeException $e) {
            $this->assertStringContainsString('is pinned at ' . Platform::pins()['woocommerce.11.0.1.zip'], $e->getMessage());
            $this->assertStringContainsString('Refusing', $e->getMessage());
        }
        $this->assertDirectoryDoesNotExist("$this->dir/cache/woocommerce-11.0.1-" . substr(Platform::pins()['woocommerce.11.0.1.zip'], 0, 12), 'nothing unpacked');
    }

    public function testAVersionWithoutAPinIsRefused(): void
    {
        $this->expectExceptionMessage('no SHA-256 pinned for woocommerce.1.2.3.zip');
        Platform::unpacked('woocommerce', '1.2.3');
    }

    public function testTheOfficialArchiveUnpacksOnceAndIsReused(): void
    {
        $tree = Platform::unpacked('woocommerce', Platform::PAIRS['oldest']['woocommerce']);
        $this->assertFileExists("$tree/woocommerce.php");
        $this->assertFileExists("$tree/sample-data/sample_products.csv");
        touch("$tree/.probe");
        $this->assertSame($tree, Platform::unpacked('woocommerce', Platform::PAIRS['oldest']['woocommerce']));
        $this->assertFileExists("$tree/.probe", 'the verified tree is reused, not unpacked again');
    }
}
