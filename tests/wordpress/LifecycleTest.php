<?php
declare(strict_types=1);

/** Runs last: deactivation, upgrade, uninstall, then puts the plugin back. */
final class LifecycleTest extends WpTestCase
{
    private function aisleActions(): array
    {
        return self::$h->query("SELECT hook, status FROM wp_actionscheduler_actions WHERE hook LIKE 'aisle\\_%' AND status = 'pending'");
    }

    public function testDeclaresHposAndBlocksCompatibility(): void
    {
        // WooCommerce's own record of what each plugin declared (its Features screen reads it).
        $declared = self::$h->wp(<<<'PHP'
$features = wc_get_container()->get(Automattic\WooCommerce\Internal\Features\FeaturesController::class);
return array(
  'hpos' => $features->get_compatible_plugins_for_feature('custom_order_tables')['compatible'],
  'blocks' => $features->get_compatible_plugins_for_feature('cart_checkout_blocks')['compatible'],
);
PHP);
        $this->assertContains('aisle/aisle.php', $declared['hpos']);
        $this->assertContains('aisle/aisle.php', $declared['blocks']);
    }

    public function testUpgradeRecreatesSchemaOnVersionChange(): void
    {
        self::$h->query('DROP TABLE wp_aisle_catalog_hashes');
        self::$h->query("UPDATE wp_options SET option_value = '0' WHERE option_name = 'aisle_db_version'");
        // Any request boots the plugin, which notices the old version.
        $this->assertSame(200, $this->http('GET', '/wp-admin/admin.php?page=aisle', null, $this->admin())['status']);
        $this->assertSame('3', $this->option('aisle_db_version'));
        $this->assertCount(1, self::$h->query("SHOW TABLES LIKE 'wp\\_aisle\\_catalog\\_hashes'"));
        foreach (['conversations', 'messages', 'leads'] as $t) {
            $this->assertCount(1, self::$h->query("SHOW TABLES LIKE 'wp\\_aisle\\_$t'"), "chat table $t");
        }
    }

    public function testDeactivationUnschedulesJobs(): void
    {
        // Visiting wp-admin schedules the daily license re-check; a sync job may be queued too.
        $this->http('GET', '/wp-admin/', null, $this->admin());
        self::$h->wp("as_enqueue_async_action('aisle_sync_batch', array('some-run'), 'aisle'); return true;");
        $this->assertNotSame([], $this->aisleActions());
        self::$h->wp("deactivate_plugins('aisle/aisle.php'); return true;");
        $this->assertSame([], $this->aisleActions());
        self::$h->wp("return activate_plugin('aisle/aisle.php');");
    }

    public function testUninstallLeavesNoTrace(): void
    {
        // Leave something of every kind behind first.
        $this->rest('POST', '/settings', $this->admin(), ['store_name' => 'Before uninstall', 'ai_api_key' => 'sk-uninstall-me-123456']);
        $this->http('GET', '/wp-admin/', null, $this->admin());
        self::$h->wp("set_transient('aisle_probe', 1, 60); Aisle\\Plugin\\Storage::ensure_dir(); as_enqueue_async_action('aisle_sync_delta', array(), 'aisle'); update_user_meta(1, 'aisle_display_name', 'Ana'); return true;");
        $uploads = self::$h->site . '/wp-content/uploads/aisle';
        $this->assertDirectoryExists($uploads);

        self::$h->wp("deactivate_plugins('aisle/aisle.php'); return uninstall_plugin('aisle/aisle.php');");

        $this->assertSame([], self::$h->query("SELECT option_name FROM wp_options WHERE option_name LIKE 'aisle%' OR option_name LIKE '\\_%transient%aisle%'"));
        $this->assertSame([], self::$h->query("SHOW TABLES LIKE '%aisle%'"));
        $this->assertSame([], $this->aisleActions());
        clearstatcache(); // Another process deleted it; this one cached the earlier stat.
        $this->assertDirectoryDoesNotExist($uploads);
        $this->assertSame([], self::$h->query("SELECT meta_key FROM wp_usermeta WHERE meta_key LIKE '%aisle%'"));

        $this->assertSame([false, false], self::$h->wp('return array(get_role("administrator")->has_cap("aisle_answer_chats"), get_role("shop_manager")->has_cap("aisle_answer_chats"));'), 'the chat capability is taken back');

        // And it comes back cleanly.
        self::$h->wp("return activate_plugin('aisle/aisle.php');");
        $this->assertSame('3', $this->option('aisle_db_version'));
        $this->assertSame([true, true], self::$h->wp('return array(get_role("administrator")->has_cap("aisle_answer_chats"), get_role("shop_manager")->has_cap("aisle_answer_chats"));'), 'activation gives admins and shop managers aisle_answer_chats');
    }
}
