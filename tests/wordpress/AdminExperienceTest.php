<?php
declare(strict_types=1);

/**
 * What a store admin meets first (issue 15): validation in one pass and in plain words, Sync now
 * that moves with no other traffic (the test site's queue is manual: nothing else runs it), a
 * measured ETA and Cancel, Pause and the Advanced limits on the page, an email for each new lead,
 * and lead actions that confirm a delete and follow the lead's state.
 */
final class AdminExperienceTest extends WpTestCase
{
    private function runActions(int $max = 1000): int
    {
        return (int) self::$h->wp("return aisle_test_run_actions($max);");
    }

    /** @return string[] Hooks of the pending sync jobs (other Aisle jobs, e.g. the license check, aside). */
    private function syncJobs(): array
    {
        return array_values(array_filter(array_column(self::$h->wp('return aisle_test_pending_actions();'), 'hook'), static fn (string $h): bool => str_starts_with($h, 'aisle_sync_')));
    }

    private function ensureProducts(int $n): void
    {
        self::$h->wp(<<<PHP
global \$wpdb;
\$have = (int) \$wpdb->get_var("SELECT COUNT(*) FROM {\$wpdb->posts} WHERE post_type = 'product' AND post_status = 'publish'");
if (\$have < $n) { aisle_test_generate_products($n - \$have); }
return true;
PHP);
    }

    /**
     * Runs the queue until the sync in progress (if any) has finished, then the deltas it put off
     * (a delta during a full sync waits 60 s), so only the jobs a test starts are left.
     */
    private function drainSync(): array
    {
        for ($i = 0; $i < 100; $i++) {
            $s = $this->rest('GET', '/sync', $this->admin())['json'];
            if (!$s['busy']) {
                self::$h->wp("aisle_test_make_due('aisle_sync_delta'); return aisle_test_run_actions(1000);");
                return $s;
            }
            $this->runActions();
        }
        $this->fail('the sync did not finish');
    }

    public function testEveryFieldIsCheckedInOnePassInPlainWords(): void
    {
        $before = $this->option('aisle_settings');
        $r = $this->rest('POST', '/settings', $this->admin(), [
            'welcome_message' => str_repeat('a', 600), 'retention_days' => -1, 'support_email' => 'bob@',
            'faq' => [['question' => 'Do you ship?', 'answer' => '']], 'avatar_url' => 'not a url', 'rate_limit_ip' => 0,
        ]);
        $this->assertSame(400, $r['status'], $r['body']);
        $this->assertSame('rest_invalid_param', $r['json']['code']);
        $params = $r['json']['data']['params'];
        // Schema errors and the checks the schema cannot express, together.
        $this->assertEqualsCanonicalizing(['welcome_message', 'retention_days', 'support_email', 'faq', 'avatar_url', 'rate_limit_ip'], array_keys($params));
        $this->assertSame('The welcome message can be at most 500 characters.', $params['welcome_message']);
        $this->assertSame('"Keep conversations (days)" must be a whole number from 1 to 365.', $params['retention_days']);
        $this->assertSame('Enter a valid email address, or leave it empty.', $params['support_email']);
        $this->assertSame('"Messages per visitor address" must be a whole number from 1 to 1000.', $params['rate_limit_ip']);
        foreach ($params as $field => $message) {
            $this->assertDoesNotMatchRegularExpression('/inclusive|\[\d\]|must be at least|Invalid parameter|' . $field . '/', $message, "$field is in plain words");
        }
        $this->assertStringNotContainsString('Invalid parameter', $r['json']['message']);
        $this->assertStringContainsString('Nothing was saved', $r['json']['message']);
        $this->assertSame($before, $this->option('aisle_settings'), 'nothing saved when anything is invalid');

        // Valid values of the new fields round-trip.
        $ok = $this->rest('POST', '/settings', $this->admin(), ['rate_limit_ip' => '40', 'ai_timeout' => 45]);
        $this->assertSame(200, $ok['status'], $ok['body']);
        $this->assertSame(40, $ok['json']['settings']['rate_limit_ip']);
        $this->assertSame(45, $ok['json']['settings']['ai_timeout']);
        $this->rest('POST', '/settings', $this->admin(), ['rate_limit_ip' => 30, 'ai_timeout' => 30]);
    }

    public function testSettingsPageHasPauseAndAdvancedLimitsWithDefaults(): void
    {
        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=settings', null, $this->admin())['body'];
        $this->assertMatchesRegularExpression('/<input type="checkbox" id="aisle-assistant_paused" name="assistant_paused"/', $page);
        $this->assertStringContainsString('id="aisle-section-advanced"', $page);
        foreach (['rate_limit_ip' => 30, 'rate_limit_session' => 20, 'ai_connect_timeout' => 5, 'ai_timeout' => 30] as $key => $default) {
            $this->assertMatchesRegularExpression('/id="aisle-' . $key . '"/', $page);
            $this->assertMatchesRegularExpression('/id="aisle-' . $key . '-help">[^<]*Default: ' . $default . ' /', $page);
        }
        $this->assertStringContainsString('id="aisle-snackbar"', $page);
        $this->assertStringContainsString('id="aisle-sync-cancel"', $page);

        // Pausing from the page's field stops the storefront chat; resuming brings it back.
        $this->assertSame(200, $this->rest('POST', '/settings', $this->admin(), ['assistant_paused' => true])['status']);
        $chat = $this->http('POST', '/?rest_route=/aisle/v1/chat', ['session_id' => '6f1d3c2a-4b5e-4f6a-8b7c-9d0e1f2a3b4c', 'message' => 'hi', 'page_url' => self::$h->url . '/']);
        $this->assertSame('aisle_paused', $chat['json']['code']);
        $this->assertSame(200, $this->rest('POST', '/settings', $this->admin(), ['assistant_paused' => false])['status']);
    }

    public function testSyncNowMovesWithNobodyRunningTheQueueAndCanBeCancelled(): void
    {
        $this->ensureProducts(1600);
        $this->runActions();
        $this->drainSync();
        if ('done' !== $this->rest('GET', '/sync', $this->admin())['json']['state']) {
            $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
            $this->drainSync();
        }
        $previous = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame('done', $previous['state']);
        $hashes = self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n'];

        // The request that starts the sync reads the first batch itself.
        $start = $this->rest('POST', '/sync', $this->admin());
        $this->assertSame(200, $start['status'], $start['body']);
        $this->assertSame('running', $start['json']['state']);
        $this->assertSame(500, $start['json']['done'], 'the first batch ran in the request that started it');
        $this->assertSame(['aisle_sync_batch'], $this->syncJobs(), 'one chain of jobs');

        // The admin's poll moves a run nobody has moved for a few seconds (no cron, no loopback).
        self::$h->wp('$s = get_option("aisle_sync_state"); $s["updated_at"] = time() - 5; update_option("aisle_sync_state", $s, false); return true;');
        $polled = $this->rest('GET', '/sync', $this->admin())['json'];
        $this->assertSame(1000, $polled['done'], 'the poll read one batch');
        $this->assertSame(['aisle_sync_batch'], $this->syncJobs(), 'still one chain: the poll did not add a second');
        // A poll while the run is moving leaves it alone.
        $this->assertSame(1000, $this->rest('GET', '/sync', $this->admin())['json']['done']);

        // The ETA is measured: remaining products at the measured rate.
        $this->assertIsInt($polled['eta_seconds']);
        $this->assertGreaterThan(0, $polled['throughput']);
        $expected = ($polled['total'] - $polled['done']) / $polled['throughput'];
        $this->assertEqualsWithDelta($expected, $polled['eta_seconds'], max(2, 0.1 * $expected));

        // Cancel: stops the run, unschedules its jobs, keeps the previous index.
        $cancel = $this->rest('POST', '/sync/cancel', $this->admin());
        $this->assertSame(200, $cancel['status'], $cancel['body']);
        $this->assertSame('cancelled', $cancel['json']['state']);
        $this->assertFalse($cancel['json']['busy']);
        $this->assertSame([], $this->syncJobs(), 'no job of the run left');
        $this->runActions();
        $this->assertSame('cancelled', $this->rest('GET', '/sync', $this->admin())['json']['state']);
        $this->assertSame($previous['result'], $cancel['json']['result'], 'the last finished sync is still the one in use');
        $this->assertSame($hashes, self::$h->query('SELECT COUNT(*) AS n FROM wp_aisle_catalog_hashes')[0]['n']);
        $this->assertFileDoesNotExist(self::$h->site . '/wp-content/uploads/aisle/catalog.ndjson.partial');
        $hits = self::$h->wp('return count(Aisle\CatalogIndex::open(Aisle\Plugin\Catalog\CatalogSync::index_dir())->search("product", 3));');
        $this->assertGreaterThan(0, $hits, 'the previous index still answers');
        $this->assertSame(409, $this->rest('POST', '/sync/cancel', $this->admin())['status'], 'nothing to cancel');

        // A new sync after a cancel runs to the end.
        $this->assertSame(200, $this->rest('POST', '/sync', $this->admin())['status']);
        $this->assertSame('done', $this->drainSync()['state']);
    }

    public function testSyncInChromiumMovesWithNoOtherTrafficAndCancels(): void
    {
        $this->ensureProducts(2500);
        $this->runActions();
        $this->drainSync();
        $this->postLead('e2e@example.com', '');
        $repo = dirname(__DIR__, 2);
        @mkdir("$repo/tests/artifacts", 0755, true);
        $log = self::$h->cli(['node', "$repo/tests/e2e/admin-experience.mjs", self::$h->url, 'admin', 'admin-password-123', "$repo/tests/artifacts"]);
        $this->assertStringContainsString('admin experience ok', $log);
        foreach (['admin-validation.png', 'admin-sync-progress.png', 'admin-lead-delete-confirm.png'] as $shot) {
            $this->assertFileExists("$repo/tests/artifacts/$shot");
        }
        $this->assertSame([], $this->syncJobs(), 'the cancelled run left no job');
        $this->rest('POST', '/settings', $this->admin(), ['support_email' => '', 'retention_days' => 2]);
    }

    private function postLead(string $email, string $phone): int
    {
        self::resetLimits();
        $sid = self::uuid();
        $this->http('POST', '/?rest_route=/aisle/v1/chat', ['session_id' => $sid, 'message' => 'Do you have blue shoes?', 'page_url' => self::$h->url . '/shop/']);
        $r = $this->http('POST', '/?rest_route=/aisle/v1/lead', ['session_id' => $sid, 'email' => $email, 'phone' => $phone, 'consent' => true, 'page_url' => self::$h->url . '/shop/']);
        $this->assertSame(201, $r['status'], $r['body']);
        return (int) $r['json']['id'];
    }

    public function testEachNewLeadIsMailedToTheSupportAddress(): void
    {
        $this->assertSame(200, $this->rest('POST', '/settings', $this->admin(), ['support_email' => 'help@example.com'])['status']);
        $mails = count(self::$h->mails());
        $id = $this->postLead('shopper@example.com', '+1 415 555 0199');
        $new = array_slice(self::$h->mails(), $mails);
        $this->assertCount(1, $new, 'one mail per lead');
        $mail = $new[0];
        $this->assertSame(['help@example.com'], $mail['to']);
        $this->assertStringContainsString('New lead', $mail['subject']);
        $this->assertStringNotContainsString('shopper@example.com', $mail['subject'], 'the contact is in the body, not the subject');
        $this->assertStringNotContainsString('555', $mail['subject']);
        $this->assertStringContainsString('shopper@example.com', $mail['message']);
        $this->assertStringContainsString('+1 415 555 0199', $mail['message']);
        $this->assertStringContainsString(self::$h->url . '/wp-admin/admin.php?page=aisle&tab=leads&lead=' . $id, $mail['message']);

        // No support address: the site's admin email.
        $this->rest('POST', '/settings', $this->admin(), ['support_email' => '']);
        $mails = count(self::$h->mails());
        $this->postLead('second@example.com', '');
        $new = array_slice(self::$h->mails(), $mails);
        $this->assertCount(1, $new);
        $this->assertSame([self::$h->wp('return get_option("admin_email");')], $new[0]['to']);
        self::$h->query("DELETE FROM wp_aisle_leads WHERE email IN ('shopper@example.com', 'second@example.com')");
    }

    public function testLeadDeleteAsksFirstAndActionsFollowTheState(): void
    {
        $id = $this->postLead('actions@example.com', '');
        $admin = $this->admin();
        $row = function () use ($id, $admin): string {
            $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=leads', null, $admin)['body'];
            $this->assertSame(1, preg_match('~<tr id="aisle-lead-' . $id . '".*?</tr>~s', $page, $m), 'the lead is listed');
            return $m[0];
        };
        $this->assertStringContainsString('Mark contacted', $row());
        $this->assertStringNotContainsString('Mark as new', $row());

        // Delete asks first: the link carries the question and the page the box and script that
        // ask it (Chromium clicks it in admin-experience.mjs); the box starts closed.
        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=leads', null, $admin)['body'];
        $this->assertStringContainsString('data-confirm="Delete the lead actions@example.com? This cannot be undone."', $row());
        $this->assertMatchesRegularExpression('~<div class="notice notice-warning" id="aisle-lead-confirm" role="alertdialog"[^>]* hidden>~', $page);
        $this->assertStringContainsString("querySelectorAll( '#aisle-leads .aisle-lead-delete' )", $page);
        $this->assertSame('1', self::$h->query("SELECT COUNT(*) AS n FROM wp_aisle_leads WHERE id = $id")[0]['n'], 'showing the page deleted nothing');

        // Mark contacted: the action gives way to "Mark as new".
        preg_match('~<a class="aisle-lead-contacted" href="([^"]+)"~', $row(), $c);
        $this->assertSame(302, $this->http('GET', str_replace(self::$h->url, '', html_entity_decode($c[1])), null, $admin)['status']);
        $this->assertStringContainsString('data-status="contacted"', $row());
        $this->assertStringNotContainsString('Mark contacted', $row());
        $this->assertStringContainsString('Mark as new', $row());

        // The Delete link (what the confirmation's button follows) deletes.
        preg_match('~<a class="aisle-lead-delete" href="([^"]+)"~', $row(), $d);
        $del = $this->http('GET', str_replace(self::$h->url, '', html_entity_decode($d[1])), null, $admin);
        $this->assertSame(302, $del['status'], $del['body']);
        $this->assertSame('0', self::$h->query("SELECT COUNT(*) AS n FROM wp_aisle_leads WHERE id = $id")[0]['n']);
    }
}
