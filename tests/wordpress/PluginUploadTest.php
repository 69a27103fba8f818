<?php
declare(strict_types=1);

/**
 * The plugin zip `make dist` builds, installed the way a merchant does it: Plugins → Add New →
 * Upload Plugin (WordPress's File_Upload_Upgrader and Plugin_Upgrader), then the Activate link,
 * on a second real WordPress + WooCommerce site that has never seen the plugin.
 */
final class PluginUploadTest extends WpTestCase
{
    private static ?Harness $site = null;
    private static string $zip = '';

    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        $repo = dirname(__DIR__, 2);
        $dist = self::$h->root . '/dist';
        self::$h->cli(["$repo/scripts/dist.sh", 'zip'], null, ['DIST_DIR' => $dist]);
        self::$zip = (string) (glob("$dist/aisle-*.zip")[0] ?? '');
        self::$site = new Harness(self::$h->root . '/upload-site');
        self::$site->linkPlugin = false;
        self::$site->start(['woocommerce/woocommerce.php']);
    }

    public static function tearDownAfterClass(): void
    {
        self::$site?->stop();
    }

    public function testUploadedZipInstallsAndActivates(): void
    {
        $this->assertFileExists(self::$zip, 'scripts/dist.sh zip built the plugin zip');
        $base = self::$site->url;
        $session = $this->login('admin', 'admin-password-123', $base);

        $form = $this->http('GET', '/wp-admin/plugin-install.php?tab=upload', null, $session, [], null, $base);
        $this->assertSame(200, $form['status']);
        $this->assertSame(1, preg_match('~<form[^>]+action="[^"]*update\.php\?action=upload-plugin".*?name="_wpnonce" value="([0-9a-f]+)"~s', $form['body'], $m), 'the upload form and its nonce');

        // The form's own multipart POST, as the browser sends it.
        $ch = curl_init("$base/wp-admin/update.php?action=upload-plugin");
        curl_setopt_array($ch, [
            CURLOPT_POST => true,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_COOKIEFILE => $session['jar'],
            CURLOPT_COOKIEJAR => $session['jar'],
            CURLOPT_POSTFIELDS => ['_wpnonce' => $m[1], '_wp_http_referer' => '/wp-admin/plugin-install.php?tab=upload', 'pluginzip' => new CURLFile(self::$zip, 'application/zip', basename(self::$zip)), 'install-plugin-submit' => 'Install Now'],
        ]);
        $page = (string) curl_exec($ch);
        $this->assertSame(200, curl_getinfo($ch, CURLINFO_RESPONSE_CODE));
        curl_close($ch);
        $this->assertStringContainsString('Plugin installed successfully.', $page);
        $this->assertSame(1, preg_match('~href="([^"]*plugins\.php\?action=activate(?:&amp;|&)plugin=aisle%2Faisle\.php[^"]*)"~', $page, $link), 'an Activate link for aisle/aisle.php');

        $activate = $this->http('GET', '/wp-admin/' . html_entity_decode(basename($link[1])), null, $session, [], null, $base);
        $this->assertSame(302, $activate['status']);
        $this->assertStringContainsString('activate=true', $activate['headers']);

        $dir = self::$site->site . '/wp-content/plugins/aisle';
        $this->assertDirectoryExists($dir);
        $this->assertFalse(is_link($dir), 'installed from the zip, not linked');
        $this->assertFileExists("$dir/readme.txt");
        $this->assertDirectoryDoesNotExist("$dir/tests");
        $this->assertSame([true, []], self::$site->wp('return array(is_plugin_active("aisle/aisle.php"), Aisle\Plugin\Requirements::missing());'));
        $this->assertSame('3', self::$site->wp('return get_option("aisle_db_version");'), 'the activation hook made its tables');
        $settings = $this->http('GET', '/wp-admin/admin.php?page=aisle', null, $session, [], null, $base);
        $this->assertSame(200, $settings['status']);
        $this->assertStringNotContainsString('aisle-requirements-notice', $settings['body']);
        $this->assertSame([], array_values(preg_grep('~/plugins/aisle/|Aisle\\\\~', explode("\n", self::$site->debugLog()))), 'no debug.log line from Aisle');
    }
}
