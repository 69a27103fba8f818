<?php
declare(strict_types=1);

/** Headless Chromium renders the settings page without PHP notices or JS errors; screenshot kept. */
final class SettingsPageTest extends WpTestCase
{
    public function testSettingsPageRendersCleanly(): void
    {
        $repo = dirname(__DIR__, 2);
        $this->assertFileExists("$repo/tests/e2e/node_modules/playwright-core/package.json", 'run make test-wordpress (it installs tests/e2e)');
        @mkdir("$repo/tests/artifacts", 0755, true);
        $out = "$repo/tests/artifacts/settings-page.png";
        @unlink($out);
        $log = self::$h->cli(['node', "$repo/tests/e2e/settings-page.mjs", self::$h->url, 'admin', 'admin-password-123', $out]);
        $this->assertStringContainsString('settings page ok', $log);
        $this->assertFileExists($out);
        $this->assertGreaterThan(10000, filesize($out));
    }
}
