<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/** php/aisle.stub.php and the loaded extension describe the same API. */
final class StubTest extends TestCase
{
    public function testStubMatchesExtension(): void
    {
        $root = dirname(__DIR__, 2);
        $script = __DIR__ . '/reflect_api.php';
        $fromStub = shell_exec('php -n ' . escapeshellarg($script) . ' ' . escapeshellarg("$root/php/aisle.stub.php"));
        $fromExt = shell_exec('php -n -dextension=' . escapeshellarg(aisle_ext_path()) . ' ' . escapeshellarg($script));
        $stub = json_decode((string) $fromStub, true, 512, JSON_THROW_ON_ERROR);
        $ext = json_decode((string) $fromExt, true, 512, JSON_THROW_ON_ERROR);
        $this->assertNotEmpty($ext, 'the extension declares no Aisle classes');
        $this->assertSame(array_keys($stub), array_keys($ext), 'classes differ');
        foreach ($ext as $class => $api) {
            $this->assertSame($stub[$class], $api, "$class differs between stub and extension");
        }
    }
}
