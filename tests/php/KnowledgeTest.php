<?php
declare(strict_types=1);

use Aisle\Knowledge;
use Aisle\KnowledgeException;
use Aisle\KnowledgeIndex;
use PHPUnit\Framework\TestCase;

/**
 * Aisle\Knowledge and Aisle\KnowledgeIndex on real files: tests/fixtures/knowledge/ holds PDFs printed by
 * Chromium (subset fonts behind ToUnicode CMaps, Type 3 fonts for CJK) and DOCX files, made by make.py there.
 */
final class KnowledgeTest extends TestCase
{
    private const FIXTURES = __DIR__ . '/../fixtures/knowledge/';

    /** @var list<string> */
    private array $dirs = [];

    protected function tearDown(): void
    {
        foreach ($this->dirs as $dir) {
            exec('rm -rf ' . escapeshellarg($dir));
        }
    }

    private function dir(): string
    {
        $dir = sys_get_temp_dir() . '/aisle-knowledge-' . getmypid() . '-' . bin2hex(random_bytes(4));
        $this->dirs[] = $dir;
        return $dir;
    }

    private static function reason(callable $f): string
    {
        try {
            $f();
        } catch (KnowledgeException $e) {
            self::assertNotSame('', $e->getMessage());
            return $e->reason();
        }
        self::fail('no KnowledgeException');
    }

    /** @param array{blocks: list<array{type: string, level: int, text: string}>} $doc */
    private static function blocks(array $doc, string $type): array
    {
        return array_values(array_column(array_filter($doc['blocks'], static fn ($b) => $b['type'] === $type), 'text'));
    }

    public function testChromiumPdfKeepsHeadingsListsAndEveryScript(): void
    {
        $doc = Knowledge::extractFile(self::FIXTURES . 'returns.pdf');
        $this->assertSame('pdf', $doc['format']);
        $this->assertSame(1, $doc['pages']);
        $this->assertSame('Returns policy', $doc['title']);
        $headings = self::blocks($doc, 'heading');
        $this->assertSame(['Returns policy', 'How to return', 'Exchanges', 'Ελληνικά', 'Русский', 'العربية', '中文'], $headings);
        $levels = array_column(array_filter($doc['blocks'], static fn ($b) => $b['type'] === 'heading'), 'level');
        $this->assertSame([1, 2, 2, 2, 2, 2, 2], array_values($levels));
        $this->assertSame(['Pack the item in its original box.', 'Print the prepaid label from your account.', 'Drop the parcel at any post office.'], self::blocks($doc, 'list_item'));
        $paragraphs = self::blocks($doc, 'paragraph');
        $this->assertContains('You can return any unworn item within 30 days of delivery for a full refund. Refunds reach your card within five working days.', $paragraphs);
        $this->assertContains('Η επιστροφή είναι δωρεάν για όλες τις παραγγελίες μέσα σε 30 ημέρες.', $paragraphs);
        $this->assertContains('Возврат бесплатный для всех заказов в течение 30 дней.', $paragraphs);
        // Right to left, in reading order, with the number inside it left to right, letters not presentation forms.
        $this->assertContains('الإرجاع مجاني لجميع الطلبات خلال 30 يوما من الاستلام.', $paragraphs);
        $this->assertContains('所有订单均可在三十天内免费退货。', $paragraphs);
        $this->assertStringContainsString("## How to return\n\n- Pack the item", $doc['text']);
    }

    public function testDocxHeadingsByStyleNameListsTablesAndTitle(): void
    {
        $doc = Knowledge::extract((string) file_get_contents(self::FIXTURES . 'care.docx'), 'care.docx');
        $this->assertSame('docx', $doc['format']);
        $this->assertSame('Wool care guide', $doc['title']);
        // "berschrift1" is a German Word's id for the style named "heading 1".
        $this->assertSame([['heading', 1, 'Wool care guide'], ['heading', 2, 'Drying'], ['heading', 2, 'العناية بالصوف']], array_map(
            static fn ($b) => [$b['type'], $b['level'], $b['text']],
            array_values(array_filter($doc['blocks'], static fn ($b) => $b['type'] === 'heading')),
        ));
        $this->assertSame(['Dry flat in the shade.', 'Never tumble dry.'], self::blocks($doc, 'list_item'));
        $this->assertContains('Chest 96 cm', self::blocks($doc, 'paragraph'));
        $this->assertContains('اغسل الصوف بماء بارد.', self::blocks($doc, 'paragraph'));
    }

    public function testMarkdownHtmlAndText(): void
    {
        $md = Knowledge::extract("# Shipping\n\nWe ship **worldwide** in 3-5 days.\n\n## Costs\n\n- Free over 50 €\n- 4.90 € otherwise\n", 'shipping.md');
        $this->assertSame('markdown', $md['format']);
        $this->assertSame([['heading', 1, 'Shipping'], ['paragraph', 0, 'We ship worldwide in 3-5 days.'], ['heading', 2, 'Costs'], ['list_item', 0, 'Free over 50 €'], ['list_item', 0, '4.90 € otherwise']],
            array_map(static fn ($b) => [$b['type'], $b['level'], $b['text']], $md['blocks']));

        $html = Knowledge::extract('<html><head><title>About us</title><style>p{color:red}</style></head><body><h2>Our story</h2><p>Founded in 1998 &amp; still <b>family</b>-run.[gallery ids="1"]</p><script>alert(1)</script><ul><li>Fair trade</li><li>Organic</li></ul></body></html>');
        $this->assertSame('html', $html['format']);
        $this->assertSame('About us', $html['title']);
        $this->assertSame([['heading', 2, 'Our story'], ['paragraph', 0, 'Founded in 1998 & still family-run.'], ['list_item', 0, 'Fair trade'], ['list_item', 0, 'Organic']],
            array_map(static fn ($b) => [$b['type'], $b['level'], $b['text']], $html['blocks']));

        $text = Knowledge::extract("Opening hours\nMonday to Friday.\n\n- Saturday 10-14\n", 'hours.txt');
        $this->assertSame('text', $text['format']);
        $this->assertSame([['paragraph', 'Opening hours Monday to Friday.'], ['list_item', 'Saturday 10-14']], array_map(static fn ($b) => [$b['type'], $b['text']], $text['blocks']));
        $utf16 = Knowledge::extract("\xFF\xFE" . mb_convert_encoding('Größe ändern', 'UTF-16LE', 'UTF-8'), 'a.txt');
        $this->assertSame('Größe ändern', $utf16['blocks'][0]['text']);
    }

    public function testTheContentDecidesTheFormatNotTheExtension(): void
    {
        $pdf = (string) file_get_contents(self::FIXTURES . 'returns.pdf');
        $this->assertSame('pdf', Knowledge::detect($pdf, 'returns.docx'));
        $this->assertSame('pdf', Knowledge::extract($pdf, 'returns.docx')['format']);
        $this->assertSame('docx', Knowledge::detect((string) file_get_contents(self::FIXTURES . 'care.docx'), 'care.pdf'));
        $this->assertSame('unsupported', self::reason(static fn () => Knowledge::extract("\x89PNG\r\n\x1a\n" . str_repeat("\0", 100), 'photo.pdf')));
        $this->assertSame('unsupported', self::reason(static fn () => Knowledge::extract("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" . str_repeat("\0", 600), 'old.doc')));
        $this->assertSame('unsupported', self::reason(static fn () => Knowledge::extract("PK\x03\x04" . str_repeat('x', 100), 'a.docx')));
    }

    public function testBadFilesAreClearErrorsWithAStableReason(): void
    {
        $pdf = (string) file_get_contents(self::FIXTURES . 'returns.pdf');
        $this->assertSame('encrypted', self::reason(static fn () => Knowledge::extractFile(self::FIXTURES . 'encrypted.pdf')));
        foreach ([100, 2000, intdiv(strlen($pdf), 2)] as $cut) {
            $this->assertSame('malformed', self::reason(static fn () => Knowledge::extract(substr($pdf, 0, $cut))), "cut at $cut");
        }
        // Cut inside its cross-reference table: the table is rebuilt from the objects (as pdftotext does).
        $this->assertStringContainsString('Refunds reach your card', Knowledge::extract(substr($pdf, 0, strlen($pdf) - 2000))['text']);
        $this->assertSame('malformed', self::reason(static fn () => Knowledge::extract('')));
        // A DOCX whose document.xml inflates to 8 MB, against a 4 MB cap.
        $this->assertSame('too_large', self::reason(static fn () => Knowledge::extractFile(self::FIXTURES . 'bomb.docx', ['max_inflated_bytes' => 4_000_000])));
        $this->assertSame('docx', Knowledge::extractFile(self::FIXTURES . 'bomb.docx')['format']);
        $this->assertSame('malformed', self::reason(static fn () => Knowledge::extractFile(self::FIXTURES . 'deep.docx')));
        $this->assertSame('malformed', self::reason(static fn () => Knowledge::extract((string) substr((string) file_get_contents(self::FIXTURES . 'care.docx'), 0, 700))));
        // A million objects: refused by counting, before any is parsed.
        $t = microtime(true);
        $this->assertSame('too_large', self::reason(static fn () => Knowledge::extract("%PDF-1.4\n" . str_repeat("1 0 obj null endobj\n", 1_000_000))));
        $this->assertLessThan(5.0, microtime(true) - $t);
        $this->assertSame('too_large', self::reason(static fn () => Knowledge::extract($pdf, null, ['max_bytes' => 1000])));
        $this->assertSame('too_large', self::reason(static fn () => Knowledge::extractFile(self::FIXTURES . 'returns.pdf', ['max_bytes' => 1000])));
        $this->assertSame('too_large', self::reason(static fn () => Knowledge::extract($pdf, null, ['max_text_bytes' => 100])));
        $this->assertSame('io', self::reason(static fn () => Knowledge::extractFile(self::FIXTURES . 'missing.pdf')));
        $this->assertSame('invalid_argument', self::reason(static fn () => Knowledge::extract('x', null, ['timeout' => 5])));
        $this->assertSame('invalid_argument', self::reason(static fn () => Knowledge::extract('x', null, ['timeout_ms' => -1])));
    }

    public function testATimeLimitStopsALongDocument(): void
    {
        $md = str_repeat("## Part\n\n" . str_repeat('word ', 200) . "\n\n", 40_000);
        $t = microtime(true);
        $this->assertSame('timeout', self::reason(static fn () => Knowledge::extract($md, 'big.md', ['timeout_ms' => 20, 'max_bytes' => 100_000_000])));
        $this->assertLessThan(2.0, microtime(true) - $t);
    }

    public function testChunkingFollowsHeadingsWithTargetSizeAndOverlap(): void
    {
        $doc = Knowledge::extractFile(self::FIXTURES . 'returns.pdf');
        $passages = Knowledge::chunk($doc['blocks'], ['id' => 'doc:7', 'title' => 'Returns policy', 'url' => null]);
        $this->assertSame(['Returns policy'], $passages[0]['heading']);
        $this->assertSame(['Returns policy', 'How to return'], $passages[1]['heading']);
        $this->assertSame("- Pack the item in its original box.\n- Print the prepaid label from your account.\n- Drop the parcel at any post office.", $passages[1]['text']);
        $this->assertSame(range(0, count($passages) - 1), array_column($passages, 'position'));
        $this->assertSame('doc:7', $passages[0]['source']);
        $this->assertMatchesRegularExpression('/^[0-9a-f]{16}$/', $passages[0]['hash']);
        $this->assertCount(count($passages), array_unique(array_column($passages, 'hash')));

        $sentences = [];
        for ($i = 1; $i <= 40; $i++) {
            $sentences[] = "Sentence number $i says something about wool care.";
        }
        $long = [['type' => 'heading', 'level' => 1, 'text' => 'Care'], ['type' => 'paragraph', 'text' => implode(' ', $sentences)]];
        $parts = Knowledge::chunk($long, ['id' => 'x', 'title' => 'X'], ['target_chars' => 400, 'max_chars' => 500, 'overlap_chars' => 120]);
        $this->assertGreaterThan(3, count($parts));
        foreach ($parts as $i => $p) {
            $this->assertLessThanOrEqual(400 + 500, mb_strlen($p['text']));
            if ($i > 0) {
                // The next passage starts with the last sentence of the previous one.
                $last = substr($parts[$i - 1]['text'], (int) strrpos($parts[$i - 1]['text'], 'Sentence number'));
                $this->assertStringStartsWith($last, $p['text']);
            }
        }
        $all = implode(' ', array_column($parts, 'text'));
        foreach ($sentences as $s) {
            $this->assertStringContainsString($s, $all);
        }
        $this->assertSame([], Knowledge::chunk([['type' => 'heading', 'text' => 'Empty']], ['id' => 'e']));
        $this->assertSame('invalid_argument', self::reason(static fn () => Knowledge::chunk([['type' => 'table', 'text' => 'x']], ['id' => 'e'])));
        $this->assertSame('invalid_argument', self::reason(static fn () => Knowledge::chunk([], ['title' => 'no id'])));
    }

    public function testIndexSearchesPassagesInAnyScriptWithTyposAndSourceFilter(): void
    {
        $index = KnowledgeIndex::open($this->dir(), ['language' => 'en']);
        $pdf = Knowledge::extractFile(self::FIXTURES . 'returns.pdf');
        $docx = Knowledge::extractFile(self::FIXTURES . 'care.docx');
        $this->assertSame(['added' => count($p1 = Knowledge::chunk($pdf['blocks'], ['id' => 'doc:1', 'title' => 'Returns policy'])), 'removed' => 0, 'kept' => 0], $index->replaceSource('doc:1', $p1));
        $index->replaceSource('page:9', Knowledge::chunk($docx['blocks'], ['id' => 'page:9', 'title' => 'Wool care', 'url' => 'https://shop.test/care/']));
        $this->assertSame(count($p1) + count(Knowledge::chunk($docx['blocks'], ['id' => 'page:9', 'title' => 'Wool care'])), $index->count());
        $this->assertSame('en', $index->language());

        $hit = $index->search('how do I return an item?', 3)[0];
        $this->assertSame('doc:1', $hit['source']);
        $this->assertSame('Returns policy › How to return', $hit['heading']);
        $this->assertNull($hit['url']);
        $wash = $index->search('is the wool machine washable', 1)[0];
        $this->assertSame('page:9', $wash['source']);
        $this->assertSame('https://shop.test/care/', $wash['url']);
        $this->assertStringContainsString('machine washable', $wash['text']);
        $this->assertGreaterThan(0.5, $wash['coverage']);
        $this->assertSame('page:9', $index->search('tumbel dry', 1)[0]['source'], 'a typo still finds the passage');
        $this->assertStringContainsString('30 يوما', $index->search('الإرجاع مجاني', 1)[0]['text']);
        $this->assertStringContainsString('30 дней', $index->search('возврат бесплатный', 1)[0]['text']);
        $this->assertStringContainsString('δωρεάν', $index->search('επιστροφή', 1)[0]['text']);
        $this->assertStringContainsString('免费退货', $index->search('免费退货', 1)[0]['text']);
        $this->assertSame([], $index->search('xylophone quantum', 5));
        $this->assertSame(['page:9'], array_unique(array_column($index->search('30', 10, ['source' => 'page:9']), 'source')));
        $this->assertSame(['doc:1'], array_unique(array_column($index->search('30', 10, ['source' => ['doc:1']]), 'source')));
        $this->assertSame('invalid_argument', self::reason(static fn () => $index->search('x', 5, ['kind' => 'products'])));
        $this->assertSame(['doc:1' => count($p1), 'page:9' => $index->count() - count($p1)], $index->sources());
    }

    public function testResyncTouchesOnlyChangedPassagesAndRemoveDeletes(): void
    {
        $dir = $this->dir();
        $index = KnowledgeIndex::open($dir);
        $blocks = [
            ['type' => 'heading', 'level' => 1, 'text' => 'Warranty'],
            ['type' => 'paragraph', 'text' => 'Every kettle has a two year warranty.'],
            ['type' => 'heading', 'level' => 1, 'text' => 'Repairs'],
            ['type' => 'paragraph', 'text' => 'We repair kettles for free within the warranty.'],
        ];
        $source = ['id' => 'page:3', 'title' => 'Warranty', 'url' => 'https://shop.test/warranty/'];
        $this->assertSame(['added' => 2, 'removed' => 0, 'kept' => 0], $index->replaceSource('page:3', Knowledge::chunk($blocks, $source)));
        $this->assertSame(['added' => 0, 'removed' => 0, 'kept' => 2], $index->replaceSource('page:3', Knowledge::chunk($blocks, $source)));
        $blocks[3]['text'] = 'Repairs cost 20 euros after the warranty.';
        $this->assertSame(['added' => 1, 'removed' => 1, 'kept' => 1], $index->replaceSource('page:3', Knowledge::chunk($blocks, $source)));
        $this->assertSame(2, $index->count());
        $this->assertStringContainsString('20 euros', KnowledgeIndex::open($dir)->search('repair cost', 1)[0]['text']);
        $this->assertCount(2, $index->hashes('page:3'));
        // Another process sees the committed passages.
        [$code, $out] = aisle_run_php('echo json_encode(Aisle\KnowledgeIndex::open(' . var_export($dir, true) . ')->search("warranty kettle", 5));');
        $this->assertSame(0, $code);
        $this->assertCount(2, json_decode($out, true));
        $this->assertSame(2, $index->removeSource('page:3'));
        $this->assertSame(0, $index->count());
        $this->assertSame([], $index->search('warranty', 5));
        $this->assertSame('invalid_argument', self::reason(static fn () => $index->replaceSource('page:4', Knowledge::chunk($blocks, $source))));
    }
}
