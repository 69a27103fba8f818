<?php
/**
 * Benchmark: Aisle\License::verify() vs the same verification in pure PHP
 * (sodium_crypto_sign_verify_detached + json_decode + host matching).
 * Not a test: prints ops/s side by side. Run: make bench-license
 */
declare(strict_types=1);

$n = (int) ($argv[1] ?? 20000);
$root = dirname(__DIR__, 2);

function b64url(string $b): string { return rtrim(strtr(base64_encode($b), '+/', '-_'), '='); }

$seed = null;
foreach (file("$root/keys/dev-license.key") as $line) {
    if (($line = trim($line)) !== '' && $line[0] !== '#') { $seed = base64_decode($line, true); }
}
$kp = sodium_crypto_sign_seed_keypair($seed);
$pk = sodium_crypto_sign_publickey($kp);
$pkB64 = base64_encode($pk);
$json = json_encode(['v' => 1, 'lid' => 'lic_0123456789abcdef', 'site' => '*.example.com', 'plan' => 'pro',
    'features' => ['ai', 'leads', 'order_status', 'analytics'], 'iat' => time(), 'exp' => time() + 365 * 86400,
    'grace_days' => 14], JSON_UNESCAPED_SLASHES);
$token = b64url($json) . '.' . b64url(sodium_crypto_sign_detached($json, sodium_crypto_sign_secretkey($kp)));
$site = 'https://www.shop.example.com/checkout/';

/** What a careful pure-PHP plugin would do; returns [status, features] or throws. */
function php_verify(string $token, string $siteUrl, string $pk, ?int $now = null): array
{
    $parts = explode('.', $token);
    if (count($parts) !== 2) { throw new RuntimeException('malformed'); }
    $payload = base64_decode(strtr($parts[0], '-_', '+/'), true);
    $sig = base64_decode(strtr($parts[1], '-_', '+/'), true);
    if ($payload === false || $sig === false || strlen($sig) !== SODIUM_CRYPTO_SIGN_BYTES) { throw new RuntimeException('malformed'); }
    if (!sodium_crypto_sign_verify_detached($sig, $payload, $pk)) { throw new RuntimeException('bad_signature'); }
    $c = json_decode($payload, true, 8, JSON_THROW_ON_ERROR);
    if (($c['v'] ?? null) !== 1 || !is_string($c['site'] ?? null) || !is_int($c['exp'] ?? null)) { throw new RuntimeException('malformed'); }
    $host = parse_url(str_contains($siteUrl, '://') ? $siteUrl : "//$siteUrl", PHP_URL_HOST);
    if (!is_string($host) || $host === '') { throw new RuntimeException('wrong_site'); }
    $host = strtolower(rtrim(trim($host, '[]'), '.'));
    if (str_starts_with($host, 'www.')) { $host = substr($host, 4); }
    $dev = in_array($host, ['localhost', '127.0.0.1', '::1'], true)
        || preg_match('/\.(localhost|local|test)$/', $host) === 1;
    $pattern = $c['site'];
    $ok = str_starts_with($pattern, '*.')
        ? ($host === substr($pattern, 2) || str_ends_with($host, substr($pattern, 1)))
        : $host === $pattern;
    if (!$dev && !$ok) { throw new RuntimeException('wrong_site'); }
    $now ??= time();
    $status = $now < $c['exp'] ? 'active' : ($now < $c['exp'] + 86400 * ($c['grace_days'] ?? 0) ? 'grace' : 'expired');
    return [$status, $status === 'expired' ? [] : ($c['features'] ?? [])];
}

$paths = [
    'aisle (compiled-in key)' => fn () => Aisle\License::verify($token, $site)->status(),
    'aisle (explicit key)' => fn () => Aisle\License::verify($token, $site, $pkB64)->status(),
    'php sodium + json' => fn () => php_verify($token, $site, $pk)[0],
];
if (Aisle\License::vendorPublicKey() !== $pkB64) {
    unset($paths['aisle (compiled-in key)']);
    echo "(built with a vendor key: the compiled-in path is skipped)\n";
}
foreach ($paths as $name => $fn) {
    if ($fn() !== 'active') { fwrite(STDERR, "$name does not verify the token\n"); exit(1); }
}

printf("License::verify benchmark: %d verifications of a %d-byte token, PHP %s\n\n", $n, strlen($token), PHP_VERSION);
printf("%-26s %12s %12s\n", 'path', 'ops/s', 'µs/verify');
$results = [];
foreach ($paths as $name => $fn) {
    for ($i = 0; $i < 200; $i++) { $fn(); }
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) { $fn(); }
    $s = (hrtime(true) - $t) / 1e9;
    $results[$name] = $n / $s;
    printf("%-26s %12s %12.2f\n", $name, number_format($n / $s), $s / $n * 1e6);
}
$php = $results['php sodium + json'];
echo "\nRatios (extension ÷ pure PHP, >1 means the extension is faster):\n";
foreach ($results as $name => $ops) {
    if ($name !== 'php sodium + json') { printf("  %-26s %.2fx\n", $name, $ops / $php); }
}
$best = max(array_diff_key($results, ['php sodium + json' => 0]));
printf("\nGoal: under 100 µs per verify — %s (%.1f µs)\n", 1e6 / $best < 100 ? 'met' : 'MISSED', 1e6 / $best);
