<?php
/**
 * Benchmark: Aisle\Vault vs the same envelope built in pure PHP (openssl, sodium).
 * Not a test: prints ops/s side by side. Run: make bench-vault
 */
declare(strict_types=1);

$n = (int) ($argv[1] ?? 100000);
$key = random_bytes(32);
$secret = random_bytes(64);
$ctx = 'aisle_ai_api_key';

function b64url(string $b): string { return rtrim(strtr(base64_encode($b), '+/', '-_'), '='); }
function unb64url(string $s): string { return base64_decode(strtr($s, '-_', '+/'), true); }

$paths = [];

$vault = Aisle\Vault::fromKey($key, 'k1');
$paths['aisle extension'] = [
    fn (string $p) => $vault->encrypt($p, $ctx),
    fn (string $e) => $vault->decrypt($e, $ctx),
];

$paths['php openssl_*'] = [
    function (string $p) use ($key, $ctx) {
        $nonce = random_bytes(12);
        $tag = '';
        $ct = openssl_encrypt($p, 'aes-256-gcm', $key, OPENSSL_RAW_DATA, $nonce, $tag, $ctx, 16);
        return 'aisle:v1:k1:' . b64url($nonce . $ct . $tag);
    },
    function (string $e) use ($key, $ctx) {
        [, , $id, $body] = explode(':', $e, 4);
        $raw = unb64url($body);
        $out = openssl_decrypt(substr($raw, 12, -16), 'aes-256-gcm', $key, OPENSSL_RAW_DATA, substr($raw, 0, 12), substr($raw, -16), $ctx);
        if ($out === false) { throw new RuntimeException('auth failed'); }
        return $out;
    },
];

if (function_exists('sodium_crypto_aead_aes256gcm_is_available') && sodium_crypto_aead_aes256gcm_is_available()) {
    $paths['php sodium aes256gcm'] = [
        function (string $p) use ($key, $ctx) {
            $nonce = random_bytes(12);
            return 'aisle:v1:k1:' . b64url($nonce . sodium_crypto_aead_aes256gcm_encrypt($p, $ctx, $nonce, $key));
        },
        function (string $e) use ($key, $ctx) {
            [, , $id, $body] = explode(':', $e, 4);
            $raw = unb64url($body);
            $out = sodium_crypto_aead_aes256gcm_decrypt(substr($raw, 12), $ctx, substr($raw, 0, 12), $key);
            if ($out === false) { throw new RuntimeException('auth failed'); }
            return $out;
        },
    ];
} else {
    echo "(sodium AES-256-GCM not available on this CPU/build: skipped)\n";
}

// Cross-check: every path reads every other path's envelopes.
foreach ($paths as $a => [$enc]) {
    foreach ($paths as $b => [, $dec]) {
        if ($dec($enc($secret)) !== $secret) { fwrite(STDERR, "$b cannot read $a\n"); exit(1); }
    }
}

printf("Vault benchmark: %d x (encrypt + decrypt) of a 64-byte secret, PHP %s\n\n", $n, PHP_VERSION);
printf("%-22s %14s %14s %12s\n", 'path', 'encrypt ops/s', 'decrypt ops/s', 'µs/decrypt');
$results = [];
foreach ($paths as $name => [$enc, $dec]) {
    $envs = [];
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) { $envs[] = $enc($secret); }
    $encS = (hrtime(true) - $t) / 1e9;
    $t = hrtime(true);
    foreach ($envs as $e) { $dec($e); }
    $decS = (hrtime(true) - $t) / 1e9;
    $results[$name] = [$n / $encS, $n / $decS];
    printf("%-22s %14s %14s %12.2f\n", $name, number_format($n / $encS), number_format($n / $decS), $decS / $n * 1e6);
}
echo "\nRatios (extension ÷ path, >1 means the extension is faster):\n";
[$ee, $ed] = $results['aisle extension'];
foreach ($results as $name => [$pe, $pd]) {
    if ($name === 'aisle extension') { continue; }
    printf("  vs %-20s encrypt %.2fx   decrypt %.2fx\n", $name, $ee / $pe, $ed / $pd);
}
