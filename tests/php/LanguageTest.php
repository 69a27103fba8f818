<?php
declare(strict_types=1);

use Aisle\Exception as AisleException;
use Aisle\Language;
use PHPUnit\Framework\TestCase;

final class LanguageTest extends TestCase
{
    /** Short shopper messages, the way they are typed in the widget. */
    public static function messages(): array
    {
        return [
            ['do you have caps?', 'en'],
            ['is the beanie in stock?', 'en'],
            ['avez-vous des bonnets ?', 'fr'],
            ['sweats à capuche', 'fr'],
            ['habt ihr Mützen?', 'de'],
            ['liefert ihr nach Kanada?', 'de'],
            ['هل لديكم قبعات؟', 'ar'],
            ['هل تشحنون إلى كندا؟', 'ar'],
            ['¿tienen gorras?', 'es'],
            ['vocês têm bonés?', 'pt'],
            ['avete dei cappelli?', 'it'],
            ['merci', 'fr'],
            ['Есть ли у вас шапки?', 'ru'],
        ];
    }

    /** @dataProvider messages */
    public function testDetectsShortQuestions(string $text, string $want): void
    {
        $this->assertSame($want, Language::detect($text), $text);
        $d = Language::detectWithConfidence($text);
        $this->assertSame(['language', 'confidence'], array_keys($d));
        $this->assertSame($want, $d['language']);
        $this->assertIsFloat($d['confidence']);
        $this->assertGreaterThan(0.0, $d['confidence']);
        $this->assertLessThanOrEqual(1.0, $d['confidence']);
    }

    public function testUnsureIsEmpty(): void
    {
        foreach (['hi', 'ok', '42', '1042', '', '?!', '😀', "\xff\xfe", 'hoodie', 'SKU-000123', 'Nike Air Max 90'] as $text) {
            $this->assertSame('', Language::detect($text), var_export($text, true));
            $this->assertSame(['language' => '', 'confidence' => 0.0], Language::detectWithConfidence($text));
        }
    }

    public function testNotDanishOrDutch(): void
    {
        // Among all of whatlang's languages these short texts come out Danish or Dutch.
        $this->assertSame('de', Language::detect('Mützen'));
        $this->assertSame('de', Language::detect('habt ihr Mützen'));
    }

    public function testLanguagesNarrowTheChoice(): void
    {
        $this->assertSame('', Language::detect('habt ihr Mützen?', ['en', 'fr']));
        $this->assertSame('nl', Language::detect('Hebben jullie deze trui ook in het blauw?', ['nl', 'en', 'de']));
        $this->assertSame('fr', Language::detect('avez-vous des bonnets ?', ['FR', ' en ']));
        $this->assertContains('nl', Language::supported());
        $this->assertContains('ar', Language::supported());
        try {
            Language::detect('hello', ['en', 'klingon']);
            $this->fail('unknown code accepted');
        } catch (AisleException $e) {
            $this->assertSame('invalid_argument', $e->reason());
            $this->assertStringContainsString('klingon', $e->getMessage());
        }
    }

    public function testBadInputNeverCrashes(): void
    {
        $this->assertIsString(Language::detect(str_repeat("\xd9", 9999)));
        $this->assertIsString(Language::detect(str_repeat('Ünïcödé ', 100000)));
        $this->assertIsString(Language::detect("\0\0\0abc\0"));
        $this->expectException(TypeError::class);
        Language::detect('x', [['en']]);
    }

    public function testNormalizeDigits(): void
    {
        $this->assertSame('أقل من 50 ريال', Language::normalizeDigits('أقل من ٥٠ ريال'));
        $this->assertSame('طلب 1042 جوال 0501234567', Language::normalizeDigits('طلب ١٠٤٢ جوال ٠٥٠١٢٣٤٥٦٧'));
        $this->assertSame('09121234567', Language::normalizeDigits('۰۹۱۲۱۲۳۴۵۶۷'));
        $this->assertSame('3.5 / 1,000', Language::normalizeDigits('٣٫٥ / ١٬٠٠٠'));
        $this->assertSame('order 1042', Language::normalizeDigits('order 1042'));
        $this->assertSame("\xff5\xd9", Language::normalizeDigits("\xff\xd9\xa5\xd9"), 'other bytes are kept as they are');
        $this->assertSame('', Language::normalizeDigits(''));
    }

    public function testNotConstructible(): void
    {
        $this->expectException(\Throwable::class);
        new Language();
    }
}
