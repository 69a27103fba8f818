<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * A subdirectory multisite network (its own Harness site, converted the way WordPress's Network
 * Setup does: install_network() + populate_network() + the MULTISITE constants), WooCommerce and
 * Aisle network-activated. Each shop's tables, settings, secrets, conversations, index folder and
 * rate limits are its own; a new site gets Aisle's tables at once; deleting a site removes its
 * Aisle data and nothing of the other's.
 */
final class MultisiteTest extends TestCase
{
    private static Harness $ms;
    private static string $domain;
    private int $logSize = 0;

    public static function setUpBeforeClass(): void
    {
        self::$ms = new Harness(sys_get_temp_dir() . '/aisle-ms-' . getmypid());
        try {
            self::$ms->start();
            self::network();
        } catch (Throwable $e) {
            self::$ms->stop(); // PHPUnit skips tearDownAfterClass when this throws: stop what started here.
            throw $e;
        }
    }

    /** Network Setup as wp-admin/network.php does it, then Aisle and WooCommerce network-activated. */
    private static function network(): void
    {
        self::$domain = self::$ms->host;
        $r = self::$ms->wp('require_once ABSPATH . "wp-admin/includes/upgrade.php"; global $wpdb; foreach ($wpdb->tables("ms_global") as $t => $prefixed) { $wpdb->$t = $prefixed; } install_network(); $r = populate_network(1, ' . var_export(self::$domain, true) . ', "admin@example.com", "Aisle Network", "/", false); return is_wp_error($r) ? $r->get_error_message() : true;');
        if ($r !== true) {
            throw new RuntimeException('populate_network: ' . json_encode($r));
        }
        file_put_contents(self::$ms->site . '/test-config.php', "<?php\ndefine('MULTISITE', true);\ndefine('SUBDOMAIN_INSTALL', false);\ndefine('DOMAIN_CURRENT_SITE', " . var_export(self::$domain, true) . ");\ndefine('PATH_CURRENT_SITE', '/');\ndefine('SITE_ID_CURRENT_SITE', 1);\ndefine('BLOG_ID_CURRENT_SITE', 1);\n");
        $r = self::$ms->wp('foreach (array("woocommerce/woocommerce.php", "aisle/aisle.php") as $p) { $r = activate_plugin($p, "", true); if (is_wp_error($r)) { return $r->get_error_message(); } } return is_plugin_active_for_network("aisle/aisle.php");');
        if ($r !== true) {
            throw new RuntimeException('network activation: ' . json_encode($r));
        }
    }

    public static function tearDownAfterClass(): void
    {
        self::$ms->stop();
    }

    protected function setUp(): void
    {
        $this->logSize = strlen(self::$ms->debugLog());
    }

    protected function tearDown(): void
    {
        $new = substr(self::$ms->debugLog(), $this->logSize);
        $this->assertDoesNotMatchRegularExpression('~/plugins/aisle/|Aisle\\\\~', $new, 'debug.log gained lines from Aisle');
    }

    private function addSite(string $path): int
    {
        return (int) self::$ms->wp('$id = wp_insert_site(array("domain" => ' . var_export(self::$domain, true) . ', "path" => ' . var_export($path, true) . ', "title" => "Shop", "user_id" => 1)); return is_wp_error($id) ? $id->get_error_message() : $id;');
    }

    /** @return list<string> Aisle's tables of site $id, by name */
    private function aisleTables(int $id): array
    {
        $prefix = $id === 1 ? 'wp_' : "wp_{$id}_";
        $rows = self::$ms->query("SHOW TABLES LIKE '" . str_replace('_', '\\_', $prefix) . "aisle\\_%'");
        $names = array_map(static fn (array $r): string => (string) array_values($r)[0], $rows);
        sort($names);
        return $names;
    }

    public function testANewSiteGetsAisleTablesAtOnce(): void
    {
        $b = self::$ms->wp('$id = wp_insert_site(array("domain" => ' . var_export(self::$domain, true) . ', "path" => "/new/", "title" => "New shop", "user_id" => 1));
            global $wpdb; return array($id, $wpdb->get_col($wpdb->prepare("SHOW TABLES LIKE %s", $wpdb->esc_like("wp_{$id}_aisle_") . "%")));');
        [$id, $tables] = $b;
        $this->assertGreaterThan(1, $id);
        $expected = array_map(static fn (string $t): string => str_replace('wp_', "wp_{$id}_", $t), $this->aisleTables(1));
        sort($tables);
        $this->assertNotEmpty($expected);
        $this->assertSame($expected, $tables, 'in the request that created the site (wp_initialize_site), every table of the main site has its copy');
    }

    public function testEachShopKeepsItsOwnConversationsSettingsSecretsIndexAndLimits(): void
    {
        $b = $this->addSite('/b/');
        $r = self::$ms->wp(<<<PHP
\$conv = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings());
\$a = \$conv->open('11111111-2222-4333-8444-555555555555', '');
\$conv->add(\$a, 'user', 'site A secret question');
(new Aisle\\Plugin\\Privacy\\Secrets())->save('ai_api_key', 'sk-site-a-only');
\$s = get_option('aisle_settings', array()); \$s['welcome_message'] = 'Welcome to shop A'; update_option('aisle_settings', \$s);
for (\$i = 0; \$i < 3; \$i++) { Aisle\\Plugin\\Chat\\RateLimiter::hit('chat_ip:203.0.113.9', 2, 60); }
\$out = array('a_dir' => Aisle\\Plugin\\Storage::dir(), 'a_limited' => Aisle\\Plugin\\Chat\\RateLimiter::hit('chat_ip:203.0.113.9', 2, 60) > 0);
switch_to_blog($b);
\$out['b_conversation'] = \$conv->find('11111111-2222-4333-8444-555555555555');
\$out['b_key'] = get_option('aisle_ai_api_key');
\$out['b_welcome'] = (get_option('aisle_settings') ?: array())['welcome_message'] ?? null;
\$out['b_dir'] = Aisle\\Plugin\\Storage::dir();
\$out['b_limited'] = Aisle\\Plugin\\Chat\\RateLimiter::hit('chat_ip:203.0.113.9', 2, 60) > 0;
restore_current_blog();
return \$out;
PHP);
        $this->assertTrue($r['a_limited'], 'site A reached its limit');
        $this->assertNull($r['b_conversation'], "site B cannot find site A's conversation");
        $this->assertFalse($r['b_key'], "site B has no copy of site A's key");
        $this->assertNotSame('Welcome to shop A', $r['b_welcome']);
        $this->assertNotSame($r['a_dir'], $r['b_dir'], 'each site has its own index folder');
        $this->assertStringContainsString("/uploads/sites/$b/aisle", $r['b_dir']);
        $this->assertFalse($r['b_limited'], "site A's rate limit is not site B's");
    }

    public function testDeletingASiteRemovesItsAisleDataAndNothingOfTheOther(): void
    {
        $c = $this->addSite('/c/');
        $this->assertNotEmpty($this->aisleTables($c));
        $dir = (string) self::$ms->wp(<<<PHP
switch_to_blog($c);
\$conv = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings());
\$conv->add(\$conv->open('99999999-2222-4333-8444-555555555555', ''), 'user', 'site C');
\$dir = Aisle\\Plugin\\Storage::ensure_dir();
file_put_contents("\$dir/catalog.ndjson", "{}\\n");
restore_current_blog();
return \$dir;
PHP);
        $this->assertFileExists("$dir/catalog.ndjson");
        $mainBefore = self::$ms->query('SELECT COUNT(*) AS n FROM wp_aisle_conversations')[0]['n'];
        $r = self::$ms->wp("require_once ABSPATH . 'wp-admin/includes/ms.php'; \$r = wp_delete_site($c); return is_wp_error(\$r) ? \$r->get_error_message() : true;");
        $this->assertTrue($r, json_encode($r));
        $this->assertSame([], $this->aisleTables($c), "the deleted site's Aisle tables are dropped (wpmu_drop_tables)");
        $this->assertDirectoryDoesNotExist($dir, 'its index folder went with its uploads');
        $this->assertNotEmpty($this->aisleTables(1));
        $this->assertSame($mainBefore, self::$ms->query('SELECT COUNT(*) AS n FROM wp_aisle_conversations')[0]['n'], "the main site's conversations are untouched");
    }

    /**
     * The site id is in the Vault context: site A's envelope copied into site B's option does not
     * open there, even though the sites share their salts. Migration: an envelope sealed the old
     * way (bare option name) still opens on the main site and is re-sealed with the site context;
     * on any other site it does not open.
     */
    public function testSecretsAreBoundToTheirSite(): void
    {
        $b = $this->addSite('/secrets-b/');
        $r = self::$ms->wp(<<<PHP
\$s = new Aisle\\Plugin\\Privacy\\Secrets();
\$s->save('ai_api_key', 'sk-site-a-bound-0001');
\$copied = get_option('aisle_ai_api_key');
\$v = \$s->vault();
update_option('aisle_license_key', \$v->encrypt('LEGACY-LICENSE-KEY-1', 'aisle_license_key'), false);
\$legacy = get_option('aisle_license_key');
\$out = array('a_key' => \$s->reveal('ai_api_key'), 'a_legacy' => \$s->reveal('license_key'));
\$out['a_resealed'] = get_option('aisle_license_key') !== \$legacy;
try { \$v->decrypt(get_option('aisle_license_key'), 'aisle_license_key'); \$out['bare_after'] = 'opened'; } catch (Aisle\\VaultException \$e) { \$out['bare_after'] = \$e->reason(); }
\$out['a_legacy_again'] = \$s->reveal('license_key');
switch_to_blog($b);
\$sb = new Aisle\\Plugin\\Privacy\\Secrets();
update_option('aisle_ai_api_key', \$copied, false);
try { \$sb->reveal('ai_api_key'); \$out['b_copied'] = 'opened'; } catch (Aisle\\VaultException \$e) { \$out['b_copied'] = \$e->reason(); }
\$out['b_describe'] = \$sb->describe('ai_api_key');
update_option('aisle_license_key', \$legacy, false);
try { \$sb->reveal('license_key'); \$out['b_legacy'] = 'opened'; } catch (Aisle\\VaultException \$e) { \$out['b_legacy'] = \$e->reason(); }
\$out['b_legacy_untouched'] = get_option('aisle_license_key') === \$legacy;
\$sb->save('ai_api_key', 'sk-site-b-own-00002');
\$out['b_own'] = \$sb->reveal('ai_api_key');
\$own_b = get_option('aisle_ai_api_key');
delete_option('aisle_ai_api_key'); delete_option('aisle_license_key');
restore_current_blog();
update_option('aisle_ai_api_key', \$own_b, false);
try { \$s->reveal('ai_api_key'); \$out['a_from_b'] = 'opened'; } catch (Aisle\\VaultException \$e) { \$out['a_from_b'] = \$e->reason(); }
delete_option('aisle_ai_api_key'); delete_option('aisle_license_key');
return \$out;
PHP);
        $this->assertSame('sk-site-a-bound-0001', $r['a_key']);
        $this->assertSame('LEGACY-LICENSE-KEY-1', $r['a_legacy'], 'an envelope from before the binding still opens on the main site');
        $this->assertTrue($r['a_resealed'], 'and is re-sealed with the site context');
        $this->assertSame('auth_failed', $r['bare_after'], 'the re-sealed envelope no longer opens with the bare option name');
        $this->assertSame('LEGACY-LICENSE-KEY-1', $r['a_legacy_again']);
        $this->assertSame('auth_failed', $r['b_copied'], "site A's envelope copied to site B does not open there");
        $this->assertSame(['saved' => true, 'ends_with' => null, 'readable' => false], $r['b_describe']);
        $this->assertSame('auth_failed', $r['b_legacy'], 'the bare-context fallback is the main site\'s only');
        $this->assertTrue($r['b_legacy_untouched']);
        $this->assertSame('sk-site-b-own-00002', $r['b_own']);
        $this->assertSame('auth_failed', $r['a_from_b'], "and site B's envelope does not open on site A");
    }

    /** A logged-in session on the network's main site (cookies in a jar under the harness root). */
    private function login(): string
    {
        $jar = tempnam(self::$ms->root, 'jar');
        $this->get('/wp-login.php', $jar);
        $r = $this->get('/wp-login.php', $jar, ['log' => 'admin', 'pwd' => 'admin-password-123', 'testcookie' => '1', 'wp-submit' => 'Log In']);
        $this->assertSame(302, $r['status'], 'login: ' . substr($r['body'], 0, 300));
        return $jar;
    }

    /** @return array{status: int, body: string} */
    private function get(string $path, ?string $jar = null, ?array $form = null): array
    {
        $ch = curl_init(self::$ms->url . $path);
        curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 60]);
        if ($jar !== null) {
            curl_setopt_array($ch, [CURLOPT_COOKIEFILE => $jar, CURLOPT_COOKIEJAR => $jar]);
        }
        if ($form !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, http_build_query($form));
        }
        $body = (string) curl_exec($ch);
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        return ['status' => $status, 'body' => $body];
    }

    /**
     * Network Admin → Aisle lists every site with its own status, read from that site's tables,
     * in WordPress's list-table markup; a site's name is shown escaped.
     */
    public function testTheNetworkScreenListsEachSitesAisleStatus(): void
    {
        $b = $this->addSite('/status-b/');
        self::$ms->wp(<<<PHP
switch_to_blog($b);
update_option('blogname', 'Shop B <img src=x onerror=alert(1)>');
\$s = get_option('aisle_settings', array()); \$s['handoff_enabled'] = true; update_option('aisle_settings', \$s);
update_option('aisle_sync_state', array('state' => 'done', 'done' => 1234, 'total' => 1234, 'result' => array('indexed' => 1234), 'finished_at' => time() - 600, 'errors' => array(), 'error_count' => 0, 'started_at' => time() - 700), false);
update_option('aisle_license_status', array('status' => 'active', 'checked_at' => time()), false);
restore_current_blog();
\$s = get_option('aisle_settings', array()); \$s['handoff_enabled'] = false; update_option('aisle_settings', \$s);
delete_option('aisle_license_status');
return true;
PHP);
        $jar = $this->login();
        $r = $this->get('/wp-admin/network/admin.php?page=aisle-network', $jar);
        $this->assertSame(200, $r['status'], substr($r['body'], 0, 500));
        $doc = new DOMDocument();
        @$doc->loadHTML($r['body']);
        $xp = new DOMXPath($doc);
        $this->assertSame(1, $xp->query('//table[contains(@class, "wp-list-table") and contains(@class, "aisle-network-sites")]')->length);
        $cells = static function (int $site) use ($xp): array {
            $out = [];
            foreach ($xp->query('//tr[@data-site="' . $site . '"]/td') as $td) {
                $out[] = trim(preg_replace('/\s+/u', ' ', $td->textContent));
            }
            return $out;
        };
        $rowB = $cells($b);
        $this->assertCount(5, $rowB, 'a row for site B: ' . json_encode($rowB));
        $this->assertStringStartsWith('Shop B <img src=x onerror=alert(1)>', $rowB[0], 'the name as text, not markup');
        $this->assertSame(0, $xp->query('//tr[@data-site="' . $b . '"]//img')->length);
        $this->assertSame('1,234', $rowB[1]);
        $this->assertSame('10 minutes ago', $rowB[2]);
        $this->assertSame('On', $rowB[3]);
        $this->assertSame('Active', $rowB[4]);
        $rowA = $cells(1);
        $this->assertCount(5, $rowA);
        $this->assertSame('Off', $rowA[3], "site B's handoff is not the main site's");
        $this->assertSame('Not activated', $rowA[4]);
        $this->assertStringNotContainsString('Not activated', $rowB[4]);
    }

    /** A full sync run in this request (the admin's progress poll advancing it), on site $site. */
    private static function syncInline(int $site): array
    {
        return self::$ms->wp(<<<PHP
switch_to_blog($site);
add_filter('aisle_sync_stall_after', fn () => 0);
\$sync = new Aisle\\Plugin\\Catalog\\CatalogSync(new Aisle\\Plugin\\Catalog\\WooAdapter(), new Aisle\\Plugin\\Settings(), new Aisle\\Plugin\\Knowledge\\StoreFacts(new Aisle\\Plugin\\Catalog\\WooAdapter(), new Aisle\\Plugin\\Settings()));
\$r = \$sync->start();
if (is_wp_error(\$r)) { return \$r->get_error_message(); }
for (\$i = 0; \$i < 50; \$i++) { \$p = \$sync->progress(); if (!\$p['busy']) { break; } }
restore_current_blog();
return \$p;
PHP);
    }

    /** @return array{status: int, body: string, json: mixed} */
    private function send(string $method, string $path, ?array $json, ?string $jar = null, ?string $nonce = null): array
    {
        $ch = curl_init(self::$ms->url . $path);
        $headers = ['Content-Type: application/json'];
        if ($nonce !== null) {
            $headers[] = 'X-WP-Nonce: ' . $nonce;
        }
        curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 60, CURLOPT_HTTPHEADER => $headers]);
        if ($json !== null) {
            curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($json));
        }
        if ($jar !== null) {
            curl_setopt_array($ch, [CURLOPT_COOKIEFILE => $jar, CURLOPT_COOKIEJAR => $jar]);
        }
        $body = (string) curl_exec($ch);
        $status = (int) curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
        curl_close($ch);
        return ['status' => $status, 'body' => $body, 'json' => json_decode($body, true)];
    }

    /** @return list<string> the names of the products a chat turn on the site at $base answered with */
    private function answer(string $base, string $message): array
    {
        $r = $this->send('POST', $base . '?rest_route=' . rawurlencode('/aisle/v1/chat'), ['session_id' => sprintf('%08x-aaaa-4bbb-8ccc-%012x', mt_rand(), mt_rand()), 'message' => $message, 'page_url' => '']);
        $this->assertSame(200, $r['status'], "$base: {$r['body']}");
        return array_map(static fn (array $p): string => (string) $p['name'], (array) ($r['json']['products'] ?? []));
    }

    /**
     * Chat over HTTP on the network's second site answers from that site's catalog only, and
     * that site's staff (an administrator of B, not of A) cannot read the main site's chats.
     */
    public function testSiteBAnswersFromItsOwnCatalogAndItsStaffCannotReadSiteAsChats(): void
    {
        $b = $this->addSite('/chat-b/');
        $made = self::$ms->wp(<<<PHP
\$a = aisle_test_save_product(array('name' => 'Aisle Alpha Desk Lamp', 'regular_price' => '39.00', 'stock_status' => 'instock', 'sku' => 'NET-A-LAMP', 'categories' => array('Lamps'), 'short_description' => 'A brass desk lamp.'));
\$conv = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings());
\$c = \$conv->open('12121212-2222-4333-8444-555555555555', '');
\$conv->add(\$c, 'user', 'main site private question about my order');
switch_to_blog($b);
(new ActionScheduler_StoreSchema())->register_tables(true); // What Action Scheduler does on the site's first request,
(new ActionScheduler_LoggerSchema())->register_tables(true);
WC_Install::install(); // and WooCommerce on the new shop's first admin visit.
update_option('woocommerce_currency', 'EUR');
\$kb = aisle_test_save_product(array('name' => 'Aisle Beta Kettle Lamp', 'regular_price' => '29.00', 'stock_status' => 'instock', 'sku' => 'NET-B-KETTLE', 'categories' => array('Lamps'), 'short_description' => 'A kettle that glows like a lamp.'));
\$user = wp_insert_user(array('user_login' => 'staff-b', 'user_pass' => 'staff-b-password-123', 'user_email' => 'staff-b@example.com', 'role' => 'administrator'));
restore_current_blog();
remove_user_from_blog(\$user, 1);
return array(\$a, \$kb, \$c->id ?? null, \$user);
PHP);
        $this->assertIsArray($made, json_encode($made));
        [, , $convA, $staffB] = $made;
        $this->assertIsInt($staffB, json_encode($made));
        $syncA = self::syncInline(1);
        $this->assertSame('done', $syncA['state'] ?? null, json_encode($syncA));
        $syncB = self::syncInline($b);
        $this->assertSame('done', $syncB['state'] ?? null, json_encode($syncB));
        $this->assertSame(1, $syncB['result']['indexed'] ?? null, "site B's index holds its one product: " . json_encode($syncB));

        $onB = $this->answer('/chat-b/', 'Do you have a lamp?');
        $this->assertContains('Aisle Beta Kettle Lamp', $onB, json_encode($onB));
        $this->assertNotContains('Aisle Alpha Desk Lamp', $onB, "a product of site A never appears in site B's answers");
        $this->assertSame([], array_values(array_filter($this->answer('/chat-b/', 'brass desk lamp NET-A-LAMP'), static fn (string $n): bool => str_contains($n, 'Alpha'))));
        $onA = $this->answer('/', 'Do you have a lamp?');
        $this->assertContains('Aisle Alpha Desk Lamp', $onA, json_encode($onA));
        $this->assertNotContains('Aisle Beta Kettle Lamp', $onA);

        // Site B's administrator, logged in: B's staff routes answer, A's refuse.
        $jar = tempnam(self::$ms->root, 'jar');
        $this->get('/wp-login.php', $jar);
        $login = $this->get('/wp-login.php', $jar, ['log' => 'staff-b', 'pwd' => 'staff-b-password-123', 'testcookie' => '1', 'wp-submit' => 'Log In']);
        $this->assertSame(302, $login['status']);
        $nonce = trim($this->get('/wp-admin/admin-ajax.php?action=rest-nonce', $jar)['body']); // The nonce is the user's and session's, not the site's.
        $this->assertMatchesRegularExpression('/^[0-9a-f]{10}$/', $nonce);
        $own = $this->send('GET', '/chat-b/?rest_route=' . rawurlencode('/aisle/v1/conversations'), null, $jar, $nonce);
        $this->assertSame(200, $own['status'], "B's staff reads B's chats: {$own['body']}");
        foreach (['/aisle/v1/conversations', "/aisle/v1/conversations/$convA"] as $route) {
            $r = $this->send('GET', '/?rest_route=' . rawurlencode($route), null, $jar, $nonce);
            $this->assertContains($r['status'], [401, 403], "$route on site A for B's staff: {$r['body']}");
            $this->assertStringNotContainsString('private question', $r['body']);
        }
        $r = $this->send('GET', '/chat-b/?rest_route=' . rawurlencode("/aisle/v1/conversations/$convA"), null, $jar, $nonce);
        $this->assertStringNotContainsString('private question', $r['body'], "A's chat id on B's route is not A's chat");
    }

    /**
     * License activation is per site: a token activated on site B (the real vendor tool signs it)
     * is stored in B's tables and shown for B only; the main site stays not activated.
     */
    public function testLicenseActivationIsPerSite(): void
    {
        $bin = getenv('AISLE_LICENSE_BIN') ?: dirname(__DIR__, 2) . '/target/release/aisle-license';
        $this->assertTrue(is_executable($bin), '`aisle-license` is built by make build');
        $dir = self::$ms->root . '/license-ms';
        @mkdir($dir, 0700);
        $pub = trim(self::$ms->cli([$bin, 'keygen', '--out', "$dir/signing.key"]));
        $pub = trim((string) preg_replace('/^.*?([A-Za-z0-9+\/_-]{40,}=*).*$/s', '$1', $pub));
        $out = self::$ms->cli([$bin, 'issue', '--key', "$dir/signing.key", '--site', '127.0.0.1', '--plan', 'pro', '--days', '30', '--features', 'ai,leads', '--grace-days', '14']);
        $this->assertSame(1, preg_match('/([A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,})/', $out, $m), $out);
        $b = $this->addSite('/license-b/');
        $r = self::$ms->wp('add_filter("aisle_license_public_key", fn () => ' . var_export($pub, true) . '); delete_option("aisle_license_status"); delete_option("aisle_license_token");
            switch_to_blog(' . $b . '); $lm = new Aisle\Plugin\Licensing\LicenseManager(new Aisle\Plugin\Privacy\Secrets()); $res = $lm->activate(null, ' . var_export($m[1], true) . ');
            $out = array("b" => is_wp_error($res) ? $res->get_error_message() : (get_option("aisle_license_status")["status"] ?? null), "b_token" => is_string(get_option("aisle_license_token")));
            restore_current_blog();
            $out["a_status"] = get_option("aisle_license_status"); $out["a_token"] = get_option("aisle_license_token");
            $out["screen_a"] = Aisle\Plugin\Admin\NetworkScreen::status(1)["license"]; $out["screen_b"] = Aisle\Plugin\Admin\NetworkScreen::status(' . $b . ')["license"];
            return $out;');
        $this->assertSame('active', $r['b'], json_encode($r));
        $this->assertTrue($r['b_token']);
        $this->assertFalse($r['a_status'], "site B's activation is not the main site's");
        $this->assertFalse($r['a_token']);
        $this->assertSame(['none', 'active'], [$r['screen_a'], $r['screen_b']]);
    }
}
