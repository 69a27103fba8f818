<?php
// Encrypt a secret for storage, read it back, rotate to a new key.
declare(strict_types=1);

use Aisle\Vault;
use Aisle\VaultException;

$vault = Vault::fromSecret('example-secret: in WordPress this is AUTH_KEY . SECURE_AUTH_KEY');
$envelope = $vault->encrypt('sk-live-EXAMPLE-1234', 'aisle_ai_api_key');
echo "Encrypted an API key under key id '{$vault->keyId()}':\n  $envelope\n";
echo "Decrypted with the same context: ", $vault->decrypt($envelope, 'aisle_ai_api_key') === 'sk-live-EXAMPLE-1234' ? "ok\n" : "MISMATCH\n";

try {
    $vault->decrypt($envelope, 'aisle_license_key');
} catch (VaultException $e) {
    echo "Decrypting under another option name is refused: {$e->reason()} ({$e->getMessage()})\n";
}

$rotated = $vault->withKey(Vault::generateKey(), 'k2025');
echo "After adding key 'k2025': needsRotation = ", var_export($rotated->needsRotation($envelope), true), "\n";
$fresh = $rotated->rotate($envelope, 'aisle_ai_api_key');
echo "Rotated envelope: ", substr($fresh, 0, 24), "…\n";
echo "Old and new envelopes both decrypt: ",
    $rotated->decrypt($envelope, 'aisle_ai_api_key') === $rotated->decrypt($fresh, 'aisle_ai_api_key') ? "yes\n" : "no\n";
