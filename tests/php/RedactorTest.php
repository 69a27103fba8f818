<?php
declare(strict_types=1);

use Aisle\Redactor;
use PHPUnit\Framework\TestCase;

final class RedactorTest extends TestCase
{
    /** [text, kind, value that must be found]: at least 40 cases across countries. */
    public static function pii(): array
    {
        return [
            'SA intl' => ['call me on +966 50 123 4567 please', 'phone', '+966 50 123 4567'],
            'SA compact' => ['+966501234567', 'phone', '+966501234567'],
            'SA local' => ['جوالي 050 123 4567', 'phone', '050 123 4567'],
            'SA local compact' => ['0501234567', 'phone', '0501234567'],
            'SA Arabic-Indic' => ['رقمي ٠٥٠١٢٣٤٥٦٧ شكرا', 'phone', '٠٥٠١٢٣٤٥٦٧'],
            'SA Arabic-Indic intl' => ['+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧', 'phone', '+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧'],
            'IR Persian digits' => ['شماره من ۰۹۱۲۱۲۳۴۵۶۷ است', 'phone', '۰۹۱۲۱۲۳۴۵۶۷'],
            'AE 00 prefix' => ['dubai 00971 50 123 4567', 'phone', '00971 50 123 4567'],
            'AE 00 compact' => ['00971501234567', 'phone', '00971501234567'],
            'UK intl' => ['UK: +44 20 7946 0958.', 'phone', '+44 20 7946 0958'],
            'UK intl (0)' => ['+44 (0)20 7946 0958', 'phone', '+44 (0)20 7946 0958'],
            'UK local' => ['ring 020 7946 0958', 'phone', '020 7946 0958'],
            'US intl' => ['US +1 (415) 555-2671', 'phone', '+1 (415) 555-2671'],
            'US parens' => ['(415) 555-2671', 'phone', '(415) 555-2671'],
            'US dashes' => ['text 415-555-2671 ok', 'phone', '415-555-2671'],
            'US dots' => ['415.555.2671', 'phone', '415.555.2671'],
            'US bare' => ['my number is 4155552671', 'phone', '4155552671'],
            'FR spaces' => ['06 12 34 56 78', 'phone', '06 12 34 56 78'],
            'FR dots' => ['06.12.34.56.78', 'phone', '06.12.34.56.78'],
            'FR intl' => ['+33 6 12 34 56 78', 'phone', '+33 6 12 34 56 78'],
            'DE local' => ['030 12345678', 'phone', '030 12345678'],
            'DE slash' => ['0171/1234567', 'phone', '0171/1234567'],
            'DE intl' => ['+49 171 1234567', 'phone', '+49 171 1234567'],
            'JP dashes' => ['03-1234-5678', 'phone', '03-1234-5678'],
            'BR intl' => ['+55 11 91234-5678', 'phone', '+55 11 91234-5678'],
            'BR local' => ['(11) 91234-5678', 'phone', '(11) 91234-5678'],
            'IN intl' => ['+91 98765 43210', 'phone', '+91 98765 43210'],
            'IN local' => ['98765 43210', 'phone', '98765 43210'],
            'EG intl' => ['+20 10 1234 5678', 'phone', '+20 10 1234 5678'],
            'in parentheses' => ['(call 0501234567)', 'phone', '0501234567'],
            'email plain' => ['mail john.doe@example.com now', 'email', 'john.doe@example.com'],
            'email subaddress' => ['a+shop@gmail.com.', 'email', 'a+shop@gmail.com'],
            'email angle' => ['<sara_k@mail.co.uk>', 'email', 'sara_k@mail.co.uk'],
            'email IDN' => ['jürgen@münchen.de', 'email', 'jürgen@münchen.de'],
            'email Arabic' => ['علي@مثال.السعودية', 'email', 'علي@مثال.السعودية'],
            'email digits local' => ['0501234567@example.com', 'email', '0501234567@example.com'],
            'email punycode' => ['x@xn--mgbh0fb.xn--kgbechtv', 'email', 'x@xn--mgbh0fb.xn--kgbechtv'],
            'visa spaces' => ['card 4111 1111 1111 1111 exp 12/27', 'card', '4111 1111 1111 1111'],
            'mastercard dashes' => ['5555-5555-5555-4444', 'card', '5555-5555-5555-4444'],
            'visa compact' => ['4242424242424242', 'card', '4242424242424242'],
            'amex grouped' => ['amex 3782 822463 10005', 'card', '3782 822463 10005'],
            'amex compact' => ['378282246310005', 'card', '378282246310005'],
            'discover' => ['6011 1111 1111 1117', 'card', '6011 1111 1111 1117'],
            'visa 13' => ['4222222222222', 'card', '4222222222222'],
            'mastercard 2-series' => ['2223 0031 2200 3222', 'card', '2223 0031 2200 3222'],
        ];
    }

    /** @dataProvider pii */
    public function testFindsAndReplaces(string $text, string $kind, string $value): void
    {
        $r = Redactor::redact($text);
        $this->assertSame([['kind' => $kind, 'value' => $value]], $r['found']);
        $this->assertSame(str_replace($value, "[$kind]", $text), $r['text']);
        $this->assertStringNotContainsString($value, $r['text']);
    }

    public static function nearMisses(): array
    {
        $cases = [
            'SKU-12345', 'AB-2024-0001', 'SKU 1234567890', 'ref: 0501234567', 'price 1,299.00', '49.99 €',
            '€ 1234567890', '$4155552671', '1.234.567.890 riyal', '1 299 000', 'order #1042', 'order 10423',
            'order no. 0501234567', 'on 2024-01-15 at 10:30', '15/01/2024', '15.01.2024 10.30',
            '01.01.2024-31.01.2024', 'size 42, qty 3', '1234 5678 9012 3456', '1234567812345678',
            'v10.0.19045.2965', '10.0.19045.2965', 'version 2.10.4', '192.168.100.200', '1234567890.50',
            '12345678901abc', '50%', 'ISBN 9780306406157', 'a@b', 'not an email: user@localhost',
            'call 555-2671', 'ext. 1234', '1+1=2', 'model XR-4155552671',
        ];
        return array_combine($cases, array_map(fn ($c) => [$c], $cases));
    }

    /** @dataProvider nearMisses */
    public function testLeavesNearMissesAlone(string $text): void
    {
        $this->assertSame(['text' => $text, 'found' => []], Redactor::redact($text));
    }

    public function testSeveralKindsInOneMessage(): void
    {
        $r = Redactor::redact("Hi, I'm at john@x.io or 0501234567 0559876543; card 4111-1111-1111-1111.");
        $this->assertSame("Hi, I'm at [email] or [phone] [phone]; card [card].", $r['text']);
        $this->assertSame(['email', 'phone', 'phone', 'card'], array_column($r['found'], 'kind'));
    }

    public function testOnlyRequestedKinds(): void
    {
        $text = 'john@x.io 0501234567 4111111111111111';
        $this->assertSame('john@x.io [phone] 4111111111111111', Redactor::redact($text, ['phone'])['text']);
        $this->assertSame('[email] 0501234567 [card]', Redactor::redact($text, ['email', 'card'])['text']);
        $this->assertSame($text, Redactor::redact($text, [])['text']);
    }

    public function testUnknownKindIsInvalidArgument(): void
    {
        try {
            Redactor::redact('x', ['phone', 'ssn']);
            $this->fail('expected an exception');
        } catch (\Aisle\Exception $e) {
            $this->assertSame('invalid_argument', $e->reason());
            $this->assertSame(\Aisle\Exception::class, get_class($e));
            $this->assertStringContainsString('ssn', $e->getMessage());
        }
    }

    public function testInvalidUtf8IsRepaired(): void
    {
        $r = Redactor::redact("call \xff0501234567\xc3");
        $this->assertSame("call \u{FFFD}[phone]\u{FFFD}", $r['text']);
        $this->assertTrue(mb_check_encoding($r['text'], 'UTF-8'));
        $this->assertNotFalse(json_encode($r));
    }

    public function testLargeAndEmptyInput(): void
    {
        $this->assertSame(['text' => '', 'found' => []], Redactor::redact(''));
        $big = str_repeat('Do you have it in blue under 50 €? Call 0501234567. ', 20000);
        $r = Redactor::redact($big);
        $this->assertCount(20000, $r['found']);
        $this->assertStringNotContainsString('0501234567', $r['text']);
    }

    public function testNoLeakOverManyCalls(): void
    {
        $before = memory_get_usage();
        for ($i = 0; $i < 20000; $i++) {
            Redactor::redact('mail a@b.co or +44 20 7946 0958');
        }
        $this->assertLessThan(256 * 1024, memory_get_usage() - $before);
    }
}
