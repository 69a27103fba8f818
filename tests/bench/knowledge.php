<?php
/**
 * Benchmark: Aisle\Knowledge extraction vs Poppler's pdftotext (PDF) and vs the idiomatic pure-PHP way
 * (ZipArchive + DOMDocument, DOCX), side by side in one run on one generated corpus; then passage
 * search latency at 10,000 passages beside a 100,000-product catalog index. Not a test.
 * Run: make bench-knowledge  (needs chromium, fonts-noto-core, fonts-noto-cjk, poppler-utils, php-zip).
 *
 * The corpus: documents generated as HTML (headings, paragraphs, lists; English with Greek, Cyrillic,
 * Arabic and Chinese sections), printed to PDF by Chromium (real-world PDFs: subset fonts behind
 * ToUnicode CMaps, Type 3 fonts for CJK) and written as DOCX. Cached in tests/artifacts/bench-knowledge/.
 * There is no pure-PHP PDF parser available offline (the common ones are Composer packages), so the
 * PDF comparison is with pdftotext only.
 *
 * Fidelity = share of the source's words (a multiset; CJK counted per character) found in the output.
 * Speed: each side runs in its own child process (one per document for pdftotext, as a plugin shelling
 * out to it would; the extension and pure PHP read the whole corpus in one process, as a plugin would),
 * median of RUNS; peak memory = the largest peak RSS of a child (VmHWM; /usr/bin/time for pdftotext).
 */
declare(strict_types=1);

const RUNS = 3;
const CORPUS_VERSION = 'v1';

function rss_kib(string $field): int
{
    preg_match('/^' . $field . ':\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

/** Words of a text as a multiset: letters and digits runs, lower-cased; each CJK character counts alone. */
function words(string $text): array
{
    $text = mb_strtolower(Normalizer::normalize($text, Normalizer::FORM_KC) ?: $text);
    preg_match_all('/\p{Han}|[\p{L}\p{M}\p{N}]+/u', $text, $m);
    return array_count_values($m[0]);
}

function fidelity(array $source, string $out): float
{
    $got = words($out);
    $total = array_sum($source);
    $found = 0;
    foreach ($source as $w => $n) {
        $found += min($n, $got[$w] ?? 0);
    }
    return $total ? $found / $total : 0.0;
}

if (($argv[1] ?? '') === '--child') {
    [, , $side, $list, $outDir] = $argv;
    $files = json_decode((string) file_get_contents($list), true);
    @file_put_contents('/proc/self/clear_refs', '5');
    $t = hrtime(true);
    foreach ($files as $i => $file) {
        if ($side === 'aisle') {
            $text = Aisle\Knowledge::extractFile($file)['text'];
        } else {
            $zip = new ZipArchive();
            $zip->open($file);
            $dom = new DOMDocument();
            $dom->loadXML((string) $zip->getFromName('word/document.xml'), LIBXML_NONET | LIBXML_COMPACT);
            $zip->close();
            $lines = [];
            foreach ($dom->getElementsByTagNameNS('http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'p') as $p) {
                $lines[] = $p->textContent;
            }
            $text = implode("\n", $lines);
        }
        file_put_contents("$outDir/$i.txt", $text);
    }
    echo json_encode(['seconds' => (hrtime(true) - $t) / 1e9, 'peak_kib' => rss_kib('VmHWM')]);
    exit(0);
}

$root = dirname(__DIR__, 2);
$ext = getenv('AISLE_EXT') ?: "$root/build/aisle.so";
if (!extension_loaded('aisle')) {
    fwrite(STDERR, "load the extension: php -dextension=build/aisle.so tests/bench/knowledge.php\n");
    exit(1);
}

// ---- corpus ----
$dir = "$root/tests/artifacts/bench-knowledge/" . CORPUS_VERSION;
@mkdir($dir, 0777, true);
$vocabulary = explode(' ', 'return refund delivery parcel warranty cotton wool linen leather stitch seam button zipper collar sleeve size chart measure chest waist hip length fit relaxed slim regular wash cold gentle cycle tumble dry iron steam bleach shade fabric organic recycled fair trade factory supplier craft heritage family workshop coffee bean roast grind brew kettle ceramic glaze porcelain mug handle order account payment invoice shipping express standard courier tracking customs duty exchange voucher gift card loyalty points member discount season sale limited edition colour navy olive cream charcoal burgundy mustard');
$scripts = [
    'Ελληνικά' => explode(' ', 'επιστροφή δωρεάν παραγγελία μέγεθος ύφασμα πλύσιμο μάλλινο βαμβάκι εγγύηση αποστολή'),
    'Русский' => explode(' ', 'возврат бесплатный заказ размер ткань стирка шерсть хлопок гарантия доставка'),
    'العربية' => explode(' ', 'الإرجاع مجاني الطلب المقاس القماش الغسيل الصوف القطن الضمان الشحن'),
    '中文' => ['退货', '免费', '订单', '尺寸', '面料', '洗涤', '羊毛', '棉花', '保修', '配送'],
];
mt_srand(17);
$sentence = static function (array $words, int $n, string $sep = ' '): string {
    $out = [];
    for ($i = 0; $i < $n; $i++) {
        $out[] = $words[mt_rand(0, count($words) - 1)];
    }
    return ucfirst(implode($sep, $out)) . ($sep === '' ? '。' : '.');
};
$docs = [];
foreach ([1, 2, 5, 10, 20, 40, 1, 3, 8, 15, 30, 60] as $n => $pages) {
    $html = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Guide $n</title><style>body{font-family:\"Noto Sans\",\"Noto Sans Arabic\",\"Noto Sans CJK SC\",sans-serif;font-size:11pt}</style></head><body>";
    $body = [];
    $html .= "<h1>Store guide $n</h1>";
    $body[] = ['h1', "Store guide $n"];
    for ($s = 0; $s < $pages * 3; $s++) {
        $script = $s % 5 === 4 ? array_keys($scripts)[intdiv($s, 5) % 4] : null;
        $words = $script ? $scripts[$script] : $vocabulary;
        $sep = $script === '中文' ? '' : ' ';
        $title = $script ?? ucfirst($vocabulary[mt_rand(0, count($vocabulary) - 1)]) . ' ' . $vocabulary[mt_rand(0, count($vocabulary) - 1)];
        $dirAttr = $script === 'العربية' ? ' dir="rtl"' : '';
        $html .= "<h2$dirAttr>" . htmlspecialchars($title) . '</h2>';
        $body[] = ['h2', $title];
        for ($p = 0; $p < 2; $p++) {
            $text = implode(' ', array_map(static fn () => $sentence($words, mt_rand(6, 16), $sep), range(1, 4)));
            $html .= "<p$dirAttr>" . htmlspecialchars($text) . '</p>';
            $body[] = ['p', $text];
        }
        $html .= "<ul$dirAttr>";
        for ($l = 0; $l < 3; $l++) {
            $text = $sentence($words, mt_rand(3, 7), $sep);
            $html .= '<li>' . htmlspecialchars($text) . '</li>';
            $body[] = ['li', $text];
        }
        $html .= '</ul>';
    }
    $html .= '</body></html>';
    $docs[] = ['name' => "guide-$n", 'html' => $html, 'body' => $body];
}
$W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
foreach ($docs as &$d) {
    $d['pdf'] = "$dir/{$d['name']}.pdf";
    $d['docx'] = "$dir/{$d['name']}.docx";
    $d['source'] = words(implode("\n", array_column($d['body'], 1)));
    if (!is_file($d['pdf'])) {
        file_put_contents("$dir/{$d['name']}.html", $d['html']);
        exec('chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf=' . escapeshellarg($d['pdf']) . ' ' . escapeshellarg("file://$dir/{$d['name']}.html") . ' 2>/dev/null', $o, $rc);
        if ($rc !== 0 || !is_file($d['pdf'])) {
            fwrite(STDERR, "chromium could not print {$d['name']}\n");
            exit(1);
        }
    }
    if (!is_file($d['docx'])) {
        $xml = '';
        foreach ($d['body'] as [$tag, $text]) {
            $ppr = match ($tag) { 'h1' => '<w:pPr><w:pStyle w:val="Heading1"/></w:pPr>', 'h2' => '<w:pPr><w:pStyle w:val="Heading2"/></w:pPr>', 'li' => '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>', default => '' };
            $xml .= "<w:p>$ppr<w:r><w:t xml:space=\"preserve\">" . htmlspecialchars($text, ENT_XML1) . '</w:t></w:r></w:p>';
        }
        $zip = new ZipArchive();
        $zip->open($d['docx'], ZipArchive::CREATE | ZipArchive::OVERWRITE);
        $zip->addFromString('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
        $zip->addFromString('word/document.xml', "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"$W\"><w:body>$xml</w:body></w:document>");
        $zip->close();
    }
}
unset($d);

function run_child(string $ext, string $side, array $files, string $out): array
{
    $list = tempnam(sys_get_temp_dir(), 'kb');
    file_put_contents($list, json_encode($files));
    $cmd = [PHP_BINARY, '-dmemory_limit=-1', '-dextension=' . $ext, __FILE__, '--child', $side, $list, $out];
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $json = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    unlink($list);
    if (proc_close($proc) !== 0) {
        fwrite(STDERR, "child $side failed: $err\n");
        exit(1);
    }
    return json_decode((string) $json, true, 512, JSON_THROW_ON_ERROR);
}

function run_pdftotext(array $files, string $out): array
{
    $t = hrtime(true);
    $peak = 0;
    foreach ($files as $i => $file) {
        exec('/usr/bin/time -f %M pdftotext -enc UTF-8 ' . escapeshellarg($file) . ' ' . escapeshellarg("$out/$i.txt") . ' 2>&1', $lines, $rc);
        if ($rc !== 0) {
            fwrite(STDERR, "pdftotext failed on $file\n");
            exit(1);
        }
        $peak = max($peak, (int) end($lines));
        $lines = [];
    }
    return ['seconds' => (hrtime(true) - $t) / 1e9, 'peak_kib' => $peak];
}

function median_of(callable $run): array
{
    $runs = [];
    for ($i = 0; $i < RUNS; $i++) {
        $runs[] = $run();
    }
    usort($runs, static fn ($a, $b) => $a['seconds'] <=> $b['seconds']);
    return $runs[intdiv(RUNS, 2)];
}

$pdfs = array_column($docs, 'pdf');
$docxs = array_column($docs, 'docx');
$pdfBytes = array_sum(array_map('filesize', $pdfs));
$docxBytes = array_sum(array_map('filesize', $docxs));
$pages = 0;
foreach ($pdfs as $f) {
    $pages += Aisle\Knowledge::extractFile($f)['pages'];
}
$sides = [
    ['PDF', 'Aisle\\Knowledge', $pdfs, $pdfBytes, static fn ($o) => run_child($ext, 'aisle', $pdfs, $o)],
    ['PDF', 'pdftotext (Poppler)', $pdfs, $pdfBytes, static fn ($o) => run_pdftotext($pdfs, $o)],
    ['DOCX', 'Aisle\\Knowledge', $docxs, $docxBytes, static fn ($o) => run_child($ext, 'aisle', $docxs, $o)],
    ['DOCX', 'ZipArchive + DOMDocument', $docxs, $docxBytes, static fn ($o) => run_child($ext, 'php', $docxs, $o)],
];
printf("Knowledge extraction: %d documents, %d PDF pages (%.1f MB of PDF from Chromium), %.1f MB of DOCX; median of %d runs\n\n", count($docs), $pages, $pdfBytes / 1e6, $docxBytes / 1e6, RUNS);
printf("%-5s %-26s | %8s %8s %9s | %9s | %8s\n", 'kind', 'extractor', 'seconds', 'MB/s', 'pages/s', 'peak MiB', 'fidelity');
$results = [];
foreach ($sides as [$kind, $name, $files, $bytes, $run]) {
    $out = sys_get_temp_dir() . '/aisle-kbench-' . getmypid() . '-' . md5($name . $kind);
    @mkdir($out);
    $r = median_of(static fn () => $run($out));
    $fid = [];
    foreach ($docs as $i => $d) {
        $fid[] = fidelity($d['source'], (string) @file_get_contents("$out/$i.txt"));
    }
    exec('rm -rf ' . escapeshellarg($out));
    $r['fidelity'] = array_sum($fid) / count($fid);
    $results["$kind $name"] = $r;
    printf("%-5s %-26s | %8.3f %8.1f %9s | %9.1f | %7.2f%%\n", $kind, $name, $r['seconds'], $bytes / 1e6 / $r['seconds'], $kind === 'PDF' ? sprintf('%.0f', $pages / $r['seconds']) : '-', $r['peak_kib'] / 1024, 100 * $r['fidelity']);
}
$a = $results['PDF Aisle\\Knowledge'];
$p = $results['PDF pdftotext (Poppler)'];
printf("\nPDF: Aisle is %.2fx pdftotext's speed (%s), fidelity %.2f%% vs %.2f%%\n", $p['seconds'] / $a['seconds'], 'pdftotext started once per document, as a plugin shelling out would', 100 * $a['fidelity'], 100 * $p['fidelity']);
$a = $results['DOCX Aisle\\Knowledge'];
$p = $results['DOCX ZipArchive + DOMDocument'];
printf("DOCX: Aisle is %.2fx the pure-PHP speed, fidelity %.2f%% vs %.2f%%\n", $p['seconds'] / $a['seconds'], 100 * $a['fidelity'], 100 * $p['fidelity']);
echo "peak MiB: the largest peak RSS of a child (PHP's own ~20 MiB included for Aisle and pure PHP; per pdftotext process for Poppler).\n\n";

// ---- passage search beside the catalog ----
require __DIR__ . '/catalog_generator.php';
$products = (int) (getenv('PRODUCTS') ?: 100000);
$wanted = (int) (getenv('PASSAGES') ?: 10000);
$base = sys_get_temp_dir() . '/aisle-kbench-index-' . getmypid();
$t = hrtime(true);
$catalog = new Aisle\Catalog();
$catalog->addMany(aisle_generate_catalog($products, 42));
$catalog->writeIndex("$base/catalog");
unset($catalog);
$catalogSeconds = (hrtime(true) - $t) / 1e9;
$all = [];
foreach ($docs as $d) {
    $all[] = Aisle\Knowledge::chunk(Aisle\Knowledge::extractFile($d['pdf'])['blocks'], ['id' => 'x', 'title' => 'x']);
}
$passages = array_merge(...$all);
$index = Aisle\KnowledgeIndex::open("$base/knowledge", ['language' => 'en']);
$t = hrtime(true);
$count = 0;
for ($s = 0; $count < $wanted; $s++) {
    $batch = [];
    foreach ($passages as $p) {
        if ($count + count($batch) >= $wanted) {
            break;
        }
        // Each copy its own source and words, so passages differ.
        $p['source'] = "doc:$s";
        $p['title'] = "Guide $s";
        $p['text'] .= ' ' . $vocabulary[($s * 7 + count($batch)) % count($vocabulary)] . " $s";
        $p['hash'] = '';
        $batch[] = $p;
    }
    $index->replaceSource("doc:$s", $batch);
    $count += count($batch);
}
$indexSeconds = (hrtime(true) - $t) / 1e9;
$queries = ['how long does a refund take', 'can I wash wool in the machine', 'warranty on kettles', 'size chart chest waist', 'express shipping tracking', 'gift card voucher', 'is the coffee fair trade', 'tumbel dry', 'возврат бесплатный', 'الإرجاع مجاني', '免费退货', 'επιστροφή δωρεάν', 'recycled fabric supplier', 'customs duty', 'loyalty points discount'];
$lat = ['knowledge' => [], 'products' => []];
for ($i = 0; $i < 2000; $i++) {
    $q = $queries[$i % count($queries)];
    $t = hrtime(true);
    Aisle\KnowledgeIndex::open("$base/knowledge")->search($q, 5);
    $lat['knowledge'][] = (hrtime(true) - $t) / 1e6;
    $t = hrtime(true);
    Aisle\CatalogIndex::open("$base/catalog")->search($q, 5);
    $lat['products'][] = (hrtime(true) - $t) / 1e6;
}
printf("Search: %d passages (indexed in %.1f s through replaceSource) beside %d products (index %.1f s); 2,000 queries each, open() + search()\n", Aisle\KnowledgeIndex::open("$base/knowledge")->count(), $indexSeconds, $products, $catalogSeconds);
foreach ($lat as $what => $l) {
    sort($l);
    printf("  %-9s p50 %.3f ms  p95 %.3f ms  p99 %.3f ms\n", $what, $l[intdiv(count($l), 2)], $l[(int) (count($l) * 0.95)], $l[(int) (count($l) * 0.99)]);
}
exec('rm -rf ' . escapeshellarg($base));
