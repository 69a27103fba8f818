<?php
/**
 * Benchmark: Aisle\Redactor::redact vs the equivalent preg_replace chain in pure PHP,
 * on realistic storefront chat messages. Not a test: prints messages/s side by side.
 * Run: make bench-redact   (optional arg: iterations over the message set)
 */
declare(strict_types=1);

$rounds = (int) ($argv[1] ?? 20000);

$messages = [
    'Hi! Do you have the linen shirt in blue, size M, under 50 €?',
    'Where is my order #1042? My phone is +966 50 123 4567',
    'هل لديكم هذا المنتج باللون الأزرق؟ رقمي ٠٥٠١٢٣٤٥٦٧',
    'Please email me at sara.k+shop@gmail.com when SKU-12345 is back in stock',
    'I paid 1,299.00 with card 4111 1111 1111 1111, order 10423, still nothing since 2024-01-15',
    'Do you ship to Riyadh? What does delivery cost for 3 items?',
    'Call me on (415) 555-2671 or 020 7946 0958 after 6pm',
    'Is AB-2024-0001 compatible with version 2.10.4? Thanks',
    'Bonjour, livrez-vous en France ? Mon numéro : 06 12 34 56 78',
    'What is your return policy for sale items? I bought two on 15/01/2024.',
];

// The pure-PHP equivalent: the usual regex chain (emails, then Luhn-checked
// cards, then phones with the same digit counts), with Arabic-Indic/Persian
// digits folded for the checks.
function php_redact(string $text): array
{
    $found = [];
    $text = preg_replace_callback(
        '/(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+(?:\p{L}{2,}|xn--[a-z0-9-]+)/u',
        function ($m) use (&$found) { $found[] = ['kind' => 'email', 'value' => $m[0]]; return '[email]'; },
        $text
    );
    $fold = fn (string $s) => strtr($s, ['٠' => '0', '١' => '1', '٢' => '2', '٣' => '3', '٤' => '4', '٥' => '5', '٦' => '6', '٧' => '7', '٨' => '8', '٩' => '9',
        '۰' => '0', '۱' => '1', '۲' => '2', '۳' => '3', '۴' => '4', '۵' => '5', '۶' => '6', '۷' => '7', '۸' => '8', '۹' => '9']);
    $text = preg_replace_callback(
        '/(?<![\p{L}\p{N}#-])[2-6]\d{3}(?:[ -]?\d{2,6}){2,4}(?![\p{L}\p{N}])/u',
        function ($m) use (&$found) {
            $d = preg_replace('/\D/', '', $m[0]);
            $n = strlen($d);
            if ($n < 13 || $n > 19) { return $m[0]; }
            $sum = 0;
            for ($i = 0; $i < $n; $i++) {
                $x = (int) $d[$n - 1 - $i];
                if ($i % 2) { $x *= 2; if ($x > 9) { $x -= 9; } }
                $sum += $x;
            }
            if ($sum % 10) { return $m[0]; }
            $found[] = ['kind' => 'card', 'value' => $m[0]];
            return '[card]';
        },
        $text
    );
    $text = preg_replace_callback(
        '/(?<![\p{L}\p{N}#$€£_\/.-])(?:\+|\()?[\d٠-٩۰-۹](?:[\d٠-٩۰-۹]|[ .\-\/()]{1,3}(?=[\d٠-٩۰-۹])){7,20}(?![\p{L}\p{N}%@])/u',
        function ($m) use (&$found, $fold) {
            $v = $m[0];
            $d = preg_replace('/\D/', '', $fold($v));
            $n = strlen($d);
            $ok = $v[0] === '+' ? ($n >= 8 && $n <= 15)
                : (str_starts_with($d, '00') ? ($n >= 10 && $n <= 17)
                : (($v[0] === '(' || $d[0] === '0') ? ($n >= 9 && $n <= 12) : ($n === 10 && $d[0] >= '2')));
            if (!$ok || preg_match('/^\d{1,3}(\.\d{3})+$|^\d+\.\d{1,2}$|\b\d\./', $v)) { return $v; }
            $found[] = ['kind' => 'phone', 'value' => $v];
            return '[phone]';
        },
        $text
    );
    return ['text' => $text, 'found' => $found];
}

// Same message set through both: how many items each finds (the regex chain is
// the simpler, commoner approach and misses or over-matches some of them).
$agree = 0;
foreach ($messages as $m) {
    $a = Aisle\Redactor::redact($m);
    $b = php_redact($m);
    $agree += (int) ($a['text'] === $b['text']);
}

$bytes = array_sum(array_map('strlen', $messages));
printf("Redactor benchmark: %d messages (%d bytes) x %d rounds, PHP %s\n", count($messages), $bytes, $rounds, PHP_VERSION);
printf("outputs identical on %d of %d messages\n\n", $agree, count($messages));

$paths = [
    'aisle extension' => fn (string $m) => Aisle\Redactor::redact($m),
    'php preg_replace chain' => fn (string $m) => php_redact($m),
];
$rates = [];
printf("%-24s %14s %12s %10s\n", 'path', 'messages/s', 'µs/message', 'MB/s');
foreach ($paths as $name => $fn) {
    $fn($messages[0]);
    $t = hrtime(true);
    for ($r = 0; $r < $rounds; $r++) {
        foreach ($messages as $m) { $fn($m); }
    }
    $s = (hrtime(true) - $t) / 1e9;
    $n = $rounds * count($messages);
    $rates[$name] = $n / $s;
    printf("%-24s %14s %12.2f %10.1f\n", $name, number_format($n / $s), $s / $n * 1e6, $rounds * $bytes / $s / 1e6);
}
// One long transcript (100 KB) as well: the per-call overhead no longer dominates.
$long = str_repeat(implode(' ', $messages) . "\n", (int) ceil(100000 / ($bytes + count($messages))));
$lr = [];
foreach ($paths as $name => $fn) {
    $t = hrtime(true);
    for ($r = 0; $r < 50; $r++) { $fn($long); }
    $lr[$name] = 50 * strlen($long) / ((hrtime(true) - $t) / 1e9) / 1e6;
    printf("%-24s %10.1f MB/s on a %d KB transcript\n", $name, $lr[$name], strlen($long) / 1024);
}
printf("\nRatio (extension ÷ preg chain, >1 means the extension is faster): short messages %.2fx, long transcript %.2fx\n",
    $rates['aisle extension'] / $rates['php preg_replace chain'], $lr['aisle extension'] / $lr['php preg_replace chain']);
