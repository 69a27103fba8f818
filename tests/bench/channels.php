<?php
/**
 * Benchmark (not a test): what Meta waits for. Server time of a signed WhatsApp delivery
 * (POST /aisle/v1/channels/whatsapp: size check, signature in the extension, parse, redact, store,
 * queue), p50/p95 over N deliveries, next to WordPress's own GET /wp-json/ on the same server; and the
 * signature check alone, Aisle\Channels\Signature against PHP's hash_hmac() + hash_equals().
 * Usage: php -dextension=build/aisle.so tests/bench/channels.php [N]
 */
declare(strict_types=1);

require __DIR__ . '/../wordpress/Harness.php';
require __DIR__ . '/http_timing.php';

$n = (int) ($argv[1] ?? 200);
$secret = 'bench-app-secret-0123456789';

// The signature check alone, on a typical delivery body (2 KB) and a large one (512 KB).
foreach ([2048, 524288] as $size) {
    $body = json_encode(['object' => 'whatsapp_business_account', 'pad' => str_repeat('x', $size - 60)]);
    $header = 'sha256=' . hash_hmac('sha256', $body, $secret);
    $rounds = $size > 10000 ? 500 : 50000;
    $t = hrtime(true);
    for ($i = 0; $i < $rounds; $i++) {
        Aisle\Channels\Signature::verifyPlain($body, $header, $secret) || throw new RuntimeException('not verified');
    }
    $ext = (hrtime(true) - $t) / $rounds / 1000;
    $t = hrtime(true);
    for ($i = 0; $i < $rounds; $i++) {
        hash_equals('sha256=' . hash_hmac('sha256', $body, $secret), $header) || throw new RuntimeException('not verified');
    }
    $php = (hrtime(true) - $t) / $rounds / 1000;
    printf("signature check, %4d KB body: extension %8.2f µs, hash_hmac+hash_equals %8.2f µs, ratio %.2fx\n", $size / 1024, $ext, $php, $php / $ext);
}

$h = new Harness();
register_shutdown_function(static fn () => $h->stop());
$h->start();
$h->wp(<<<PHP
\$s = get_option('aisle_settings', array()); \$s['whatsapp_enabled'] = true; \$s['whatsapp_phone_number_id'] = '1098'; \$s['channel_rate_limit'] = 1000000; update_option('aisle_settings', \$s);
(new Aisle\Plugin\Privacy\Secrets())->save('whatsapp_app_secret', '$secret');
return true;
PHP);

$hook = [];
$core = [];
for ($i = 0; $i < $n; $i++) {
    $from = '1555' . str_pad((string) ($i % 50), 7, '0', STR_PAD_LEFT); // 50 shoppers, so conversations are reused too.
    $raw = json_encode(['object' => 'whatsapp_business_account', 'entry' => [['id' => '1', 'changes' => [['field' => 'messages', 'value' => [
        'messaging_product' => 'whatsapp', 'metadata' => ['phone_number_id' => '1098'],
        'contacts' => [['profile' => ['name' => 'Bench'], 'wa_id' => $from]],
        'messages' => [['from' => $from, 'id' => 'wamid.BENCH' . $i . '.' . bin2hex(random_bytes(6)), 'timestamp' => (string) time(), 'type' => 'text', 'text' => ['body' => 'Do you have a blue hoodie? Call me on +1 415 555 0123']]],
    ]]]]]]);
    $hook[] = timed('POST', $h->url . '/?rest_route=/aisle/v1/channels/whatsapp', $raw, ['X-Hub-Signature-256: sha256=' . hash_hmac('sha256', $raw, $secret)]);
    $core[] = timed('GET', $h->url . '/?rest_route=/', null);
}
printf("%-46s %10s %10s\n", "server time over $n requests", 'p50 ms', 'p95 ms');
printf("%-46s %10.1f %10.1f\n", 'POST channels/whatsapp (signed, stored, queued)', pct($hook, 50), pct($hook, 95));
printf("%-46s %10.1f %10.1f\n", 'GET /wp-json/ (WordPress core)', pct($core, 50), pct($core, 95));
printf("%-46s %10.2fx %9.2fx\n", 'ratio webhook / core', pct($hook, 50) / pct($core, 50), pct($hook, 95) / pct($core, 95));
