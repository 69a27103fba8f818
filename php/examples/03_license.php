<?php
// Verify a license token offline, read what it grants, and see how grace works.
// The token is signed here with the development key committed in keys/ — a
// real token comes from `aisle-license issue` or License::activate().
declare(strict_types=1);

use Aisle\License;
use Aisle\LicenseException;

$root = dirname(__DIR__, 2);
$bin = "$root/target/release/aisle-license";
$token = trim((string) shell_exec(escapeshellarg($bin) . ' issue --key ' . escapeshellarg("$root/keys/dev-license.key")
    . ' --site "*.example.com" --plan pro --days 30 --grace-days 14 --features ai,leads,order_status 2>/dev/null'));
if ($token === '') {
    fwrite(STDERR, "run `make build` first: $bin is missing\n");
    exit(1);
}
echo "Token from `aisle-license issue` (", strlen($token), " bytes):\n  ", substr($token, 0, 60), "…\n";
echo "This build trusts the public key ", License::vendorPublicKey(), "\n\n";

$lic = License::verify($token, 'https://www.shop.example.com/checkout');
printf("License %s, plan %s, for %s: %s until %s\n", $lic->licenseId(), $lic->plan(), $lic->site(), $lic->status(), gmdate('Y-m-d', $lic->expiresAt()));
echo "Features: ", implode(', ', $lic->features()), "; has('ai') = ", var_export($lic->has('ai'), true), "\n\n";

echo "The same token seen at later dates (pass \$now to check a date; omit it for the real clock):\n";
foreach ([0, 29, 30, 43, 44] as $day) {
    $at = License::verify($token, 'shop.example.com', null, $lic->issuedAt() + $day * 86400);
    printf("  day %2d: %-7s has('ai') = %s\n", $day, $at->status(), var_export($at->has('ai'), true));
}
echo "  (grace keeps features on for grace_days after expiry, so a late renewal never breaks a store)\n\n";

$dev = License::verify($token, 'http://mystore.test:8080');
echo "On a development host (mystore.test): status ", $dev->status(), ", isDevelopment = ", var_export($dev->isDevelopment(), true), "\n";

foreach (['https://another-shop.com' => $token, 'shop.example.com' => substr($token, 0, -2) . 'AA'] as $site => $t) {
    try {
        License::verify($t, $site);
    } catch (LicenseException $e) {
        echo "Refused ($site): {$e->reason()} — {$e->getMessage()}\n";
    }
}
try {
    License::normalizeKey('AISLE-7K2M-QX4R-9TBV-HC3N-0000');
} catch (LicenseException $e) {
    echo "A mistyped license key is caught before any network call: {$e->reason()} — {$e->getMessage()}\n";
}
