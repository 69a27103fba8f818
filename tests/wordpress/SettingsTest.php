<?php
declare(strict_types=1);

final class SettingsTest extends WpTestCase
{
    private const AI_KEY = 'sk-test-SECRETVALUE-0123456789-abcd';
    private const CONSUMER_SECRET = 'cs_0123456789abcdef0123456789abcdefWXYZ';

    public function testSecretsAreStoredAsEnvelopesAndNeverShown(): void
    {
        $r = $this->rest('POST', '/settings', $this->admin(), [
            'ai_provider' => 'openai', 'ai_base_url' => 'https://api.openai.com/v1', 'ai_model' => 'gpt-4o-mini',
            'ai_api_key' => self::AI_KEY, 'remote_consumer_secret' => self::CONSUMER_SECRET,
            'store_name' => 'Test Store', 'faq' => [['question' => 'Do you ship abroad?', 'answer' => 'Yes, to the EU.']],
        ]);
        $this->assertSame(200, $r['status'], $r['body']);
        $this->assertStringNotContainsString(self::AI_KEY, $r['body']);
        $this->assertSame(['saved' => true, 'ends_with' => 'abcd', 'readable' => true], $r['json']['secrets']['ai_api_key']);
        $this->assertSame('WXYZ', $r['json']['secrets']['remote_consumer_secret']['ends_with']);
        $this->assertFalse($r['json']['secrets']['license_key']['saved']);

        // Straight from the table: envelopes only, and nothing anywhere holds the plaintext.
        foreach (['aisle_ai_api_key', 'aisle_remote_consumer_secret'] as $option) {
            $this->assertMatchesRegularExpression('/^aisle:v1:wp:[A-Za-z0-9_-]+$/', (string) $this->option($option));
        }
        $leak = self::$h->query("SELECT option_name FROM wp_options WHERE option_value LIKE '%SECRETVALUE%' OR option_value LIKE '%0123456789abcdefWXYZ%'");
        $this->assertSame([], $leak);
        $this->assertSame('off', self::$h->query("SELECT autoload FROM wp_options WHERE option_name = 'aisle_ai_api_key'")[0]['autoload'], 'not autoloaded (WordPress 6.6+ writes off)');

        // The envelope is bound to its option name and site: the same bytes under another name do not open.
        $decrypted = self::$h->wp(<<<'PHP'
$v = Aisle\Vault::fromSecret(AUTH_KEY . SECURE_AUTH_KEY);
$e = get_option('aisle_ai_api_key');
try { $v->decrypt($e, 'aisle_license_key|site:1'); $wrong = 'opened'; } catch (Aisle\VaultException $x) { $wrong = $x->reason(); }
return [$v->decrypt($e, 'aisle_ai_api_key|site:1'), $wrong];
PHP);
        $this->assertSame([self::AI_KEY, 'auth_failed'], $decrypted);

        // GET and the page show the hint only.
        $get = $this->rest('GET', '/settings', $this->admin());
        $this->assertStringNotContainsString(self::AI_KEY, $get['body']);
        $page = $this->http('GET', '/wp-admin/admin.php?page=aisle&tab=settings', null, $this->admin());
        $this->assertSame(200, $page['status']);
        $this->assertStringNotContainsString(self::AI_KEY, $page['body']);
        $this->assertStringNotContainsString('SECRETVALUE', $page['body']);

        // Empty keeps the saved secret; clear_secrets removes it.
        $this->rest('POST', '/settings', $this->admin(), ['ai_api_key' => '']);
        $this->assertNotNull($this->option('aisle_ai_api_key'));
        $this->rest('POST', '/settings', $this->admin(), ['clear_secrets' => ['remote_consumer_secret']]);
        $this->assertNull($this->option('aisle_remote_consumer_secret'));
    }

    /** @return array<string, array{array, string}> */
    public static function invalid(): array
    {
        return [
            'color' => [['accent_color' => 'blue'], 'accent_color'],
            'position' => [['position' => 'top'], 'position'],
            'retention' => [['retention_days' => 0], 'retention_days'],
            'tone' => [['tone' => 'rude'], 'tone'],
            'faq shape' => [['faq' => [['question' => 'Only a question']]], 'faq'],
            'email' => [['support_email' => 'not-an-email'], 'support_email'],
            'openai needs base url' => [['ai_provider' => 'openai', 'ai_base_url' => '', 'ai_model' => 'm'], 'ai_base_url'],
            'remote must be https' => [['remote_endpoint' => 'http://backend.example.com/push'], 'remote_endpoint'],
            'avatar not a url' => [['avatar_url' => 'not a url'], 'avatar_url'],
            'avatar without scheme' => [['avatar_url' => 'example.com/me.png'], 'avatar_url'],
            'avatar bad host' => [['avatar_url' => 'https://exa mple.com/me.png'], 'avatar_url'],
            'unknown secret to clear' => [['clear_secrets' => ['nope']], 'clear_secrets'],
        ];
    }

    /** @dataProvider invalid */
    public function testValidationNamesTheField(array $body, string $field): void
    {
        $before = $this->option('aisle_settings');
        $r = $this->rest('POST', '/settings', $this->admin(), $body);
        $this->assertSame(400, $r['status'], $r['body']);
        $this->assertSame('rest_invalid_param', $r['json']['code']);
        $this->assertArrayHasKey($field, $r['json']['data']['params']);
        $this->assertNotSame('', $r['json']['data']['params'][$field]);
        $this->assertSame($before, $this->option('aisle_settings'), 'a rejected request changed nothing');
    }

    public function testValidSettingsRoundTrip(): void
    {
        $r = $this->rest('POST', '/settings', $this->admin(), [
            'accent_color' => '#aa3300', 'position' => 'left', 'retention_days' => 7, 'tone' => 'concise',
            'support_email' => 'help@example.com', 'shareable_coupons' => ['WELCOME10'], 'welcome_message' => "Hi <script>x</script>there",
            'ai_provider' => 'none', 'avatar_url' => 'https://cdn.example.com/team/ana.png',
        ]);
        $this->assertSame(200, $r['status'], $r['body']);
        $s = $this->rest('GET', '/settings', $this->admin())['json']['settings'];
        $this->assertSame('https://cdn.example.com/team/ana.png', $s['avatar_url']);
        $this->assertSame('#aa3300', $s['accent_color']);
        $this->assertSame('left', $s['position']);
        $this->assertSame(7, $s['retention_days']);
        $this->assertSame(['welcome10'], $s['shareable_coupons']);
        $this->assertStringNotContainsString('<script>', $s['welcome_message']);
        // Store facts follow the assistant settings at once (the assistant reads them, not the settings).
        $facts = self::$h->wp('return get_option("aisle_store_facts");');
        $this->assertSame('help@example.com', $facts['support_email']);
    }

    /**
     * Moving to an operator key: rotation re-encrypts every stored secret under it and loses none.
     */
    public function testRotationReEncryptsEverySecret(): void
    {
        $this->rest('POST', '/settings', $this->admin(), ['ai_api_key' => self::AI_KEY, 'remote_consumer_key' => 'ck_rotation_test_1234']);
        $env = ['AISLE_MASTER_KEY' => 'k2:' . base64_encode(str_repeat("\x42", 32))];
        $result = self::$h->wp(<<<'PHP'
$s = new Aisle\Plugin\Privacy\Secrets();
$r = $s->rotate_all();
return [$r, $s->reveal('ai_api_key'), $s->reveal('remote_consumer_key'), $s->rotate_all()];
PHP, true, $env);
        [$first, $ai, $ck, $second] = $result;
        $this->assertEqualsCanonicalizing(['ai_api_key', 'remote_consumer_key'], $first['rotated']);
        $this->assertSame([], $first['failed']);
        $this->assertSame([self::AI_KEY, 'ck_rotation_test_1234'], [$ai, $ck]);
        $this->assertEqualsCanonicalizing(['ai_api_key', 'remote_consumer_key'], $second['current']);
        $this->assertStringStartsWith('aisle:v1:k2:', (string) $this->option('aisle_ai_api_key'));
        // Back to the salts for the other tests: the site (no AISLE_MASTER_KEY) can no longer read them.
        $this->assertFalse($this->rest('GET', '/settings', $this->admin())['json']['secrets']['ai_api_key']['readable']);
        $this->rest('POST', '/settings', $this->admin(), ['clear_secrets' => ['ai_api_key', 'remote_consumer_key']]);
    }
}
