<?php
declare(strict_types=1);

/**
 * Stored XSS: payloads written straight to the database (no sanitizing on the way in, as an import
 * or another plugin could) through a product name, the FAQ, a shopper's, the assistant's and a
 * staff message, and a lead's name and message; then every admin tab, the transcript and the
 * widget render them in Chromium (tests/e2e/stored-xss.mjs): the window.__xss sentinel stays
 * unset, no dialog, no page error.
 */
final class StoredXssTest extends ProductionTestCase
{
    private const PAYLOAD = '"><img src=x onerror=window.__xss=1><script>window.__xss=2</script><svg onload=window.__xss=3>\'"`<a href="javascript:window.__xss=4">x</a>';

    public function testPayloadsInTheDatabaseNeverRunOnAnyScreen(): void
    {
        ChatSeed::seed(self::$h);
        $p = var_export(self::PAYLOAD, true);
        $conv = (int) self::$h->wp(<<<PHP
\$p = $p;
aisle_test_save_product(array('name' => 'Aisle XSS Hoodie ' . \$p, 'regular_price' => '19.00', 'stock_status' => 'instock', 'sku' => 'XSS-1', 'categories' => array('Hoodies'), 'short_description' => \$p));
\$s = get_option('aisle_settings', array());
\$s['faq'] = array(array('question' => 'What is your xss policy? ' . \$p, 'answer' => 'Our xss policy: ' . \$p));
update_option('aisle_settings', \$s);
\$c = new Aisle\\Plugin\\Chat\\Conversations(new Aisle\\Plugin\\Settings());
\$conv = \$c->open('77777777-2222-4333-8444-555555555555', 'http://example.com/' . rawurlencode(\$p));
foreach (array('user', 'assistant', 'human', 'system') as \$role) { \$c->add(\$conv, \$role, \$role . ' says ' . \$p); }
(new Aisle\\Plugin\\Chat\\Leads(\$c))->create('77777777-2222-4333-8444-555555555555', 'xss@example.com', '', 'I agree ' . \$p, '/', 'Name ' . \$p, 'Message ' . \$p);
\$sync = new Aisle\\Plugin\\Catalog\\CatalogSync(new Aisle\\Plugin\\Catalog\\WooAdapter(), new Aisle\\Plugin\\Settings(), new Aisle\\Plugin\\Knowledge\\StoreFacts(new Aisle\\Plugin\\Catalog\\WooAdapter(), new Aisle\\Plugin\\Settings()));
if (!\$sync->progress()['busy']) { \$sync->start(); }
for (\$i = 0; \$i < 20 && \$sync->progress()['busy']; \$i++) { aisle_test_run_actions(); }
return \$conv->id;
PHP);
        $this->assertGreaterThan(0, $conv);
        $repo = dirname(__DIR__, 2);
        try {
            $log = self::$h->cli(['node', "$repo/tests/e2e/stored-xss.mjs", self::$s->url, 'admin', 'admin-password-123', (string) $conv]);
        } catch (RuntimeException $e) {
            $this->fail($e->getMessage());
        }
        $this->assertMatchesRegularExpression('/^ok: \d+ pages, window.__xss unset/m', $log);
        fwrite(STDERR, 'stored XSS: ' . trim($log) . "\n");
    }
}
