<?php
// Remove phones, emails and card numbers from a visitor message before it is stored or sent to an AI.
declare(strict_types=1);

use Aisle\Redactor;

$messages = [
    'Where is order #1042? Call me on +966 50 123 4567 or mail sara.k+shop@gmail.com',
    'رقمي ٠٥٠١٢٣٤٥٦٧ — هل يتوفر المنتج SKU-12345 بسعر 1,299.00؟',
    'I paid with 4111 1111 1111 1111 on 2024-01-15; is AB-2024-0001 in stock?',
];
foreach ($messages as $m) {
    $r = Redactor::redact($m);
    echo "in:    $m\nout:   {$r['text']}\nfound: ",
        implode(', ', array_map(fn ($f) => "{$f['kind']}={$f['value']}", $r['found'])) ?: '(none)', "\n\n";
}

echo "Only emails: ", Redactor::redact('a@b.co 0501234567', ['email'])['text'], "\n";
try {
    Redactor::redact('x', ['ssn']);
} catch (Aisle\Exception $e) {
    echo "Unknown kind: {$e->reason()} ({$e->getMessage()})\n";
}
