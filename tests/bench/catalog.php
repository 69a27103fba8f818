<?php
/**
 * Benchmark: Aisle\Catalog vs the pure-PHP reference (normalize + hash + NDJSON),
 * index build and search latency. Not a test. Run: make bench-catalog
 * Each side runs in its own child process so peak memory is measured fairly:
 * the child generates the catalog, resets the kernel's peak-RSS counter, then
 * does the work; reported memory = peak RSS during the work − RSS before it.
 * Each child runs RUNS times and the median run is reported (a shared 2-core
 * machine varies by ±20% from run to run). The extension runs with its
 * default threads (the machine's cores, at most 4) and again with one thread.
 */
declare(strict_types=1);

require __DIR__ . '/catalog_generator.php';
require __DIR__ . '/catalog_reference.php';

function rss_kib(string $field): int
{
    preg_match('/^' . $field . ':\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) ($m[1] ?? 0);
}

if (($argv[1] ?? '') === '--child') {
    [, , $side, $n] = $argv;
    $threads = (int) ($argv[4] ?? 0);
    $products = aisle_generate_catalog((int) $n, 42);
    gc_collect_cycles();
    @file_put_contents('/proc/self/clear_refs', '5'); // resets VmHWM (peak RSS) to the current RSS
    $before = rss_kib('VmRSS');
    $t = hrtime(true);
    $catalog = $side === 'ext' ? new Aisle\Catalog(['threads' => $threads]) : new CatalogReference();
    $catalog->addMany($products);
    $ndjson = $catalog->toNdjson();
    $seconds = (hrtime(true) - $t) / 1e9;
    $out = ['seconds' => $seconds, 'peak_kib' => rss_kib('VmHWM') - $before, 'bytes' => strlen($ndjson), 'md5' => md5($ndjson), 'count' => $catalog->count()];
    if ($side === 'ext' && $threads === 0) {
        $dir = sys_get_temp_dir() . '/aisle-bench-index-' . getmypid();
        $t = hrtime(true);
        $catalog->writeIndex($dir);
        $out['index_s'] = (hrtime(true) - $t) / 1e9;
        $words = ['shirt', 'blue', 'wallet', 'walet', 'coffee mug', 'SKU-000123', 'قميص', '耳机', 'crème', 'leather backpack', 'headphnes', 'sneakers', 'yoga mat', 'organic tea', 'scarf'];
        $filters = [[], ['in_stock' => true], ['price_max' => 100], ['category' => 'Clothing']];
        $lat = [];
        $index = Aisle\CatalogIndex::open($dir);
        for ($i = 0; $i < 1000; $i++) {
            $t = hrtime(true);
            $index = Aisle\CatalogIndex::open($dir); // as a request would: cached open + search
            $index->search($words[$i % count($words)], 5, $filters[$i % count($filters)]);
            $lat[] = (hrtime(true) - $t) / 1e6;
        }
        sort($lat);
        $out['p50_ms'] = $lat[499];
        $out['p95_ms'] = $lat[949];
        exec('rm -rf ' . escapeshellarg($dir));
    }
    echo json_encode($out);
    exit(0);
}

const RUNS = 3;

/** The median of RUNS child runs, by seconds. */
function run_median(string $side, int $n, int $threads = 0): array
{
    $runs = [];
    for ($i = 0; $i < RUNS; $i++) {
        $runs[] = run_child($side, $n, $threads);
    }
    usort($runs, static fn (array $a, array $b): int => $a['seconds'] <=> $b['seconds']);
    return $runs[intdiv(RUNS, 2)];
}

function run_child(string $side, int $n, int $threads): array
{
    $ext = getenv('AISLE_EXT') ?: dirname(__DIR__, 2) . '/build/aisle.so';
    $cmd = [PHP_BINARY, '-dmemory_limit=-1', '-dextension=' . $ext, __FILE__, '--child', $side, (string) $n, (string) $threads];
    $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $json = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    if (proc_close($proc) !== 0) {
        fwrite(STDERR, "child $side $n failed: $err\n");
        exit(1);
    }
    return json_decode($json, true, 512, JSON_THROW_ON_ERROR);
}

if (!extension_loaded('aisle')) {
    fwrite(STDERR, "load the extension: php -dextension=build/aisle.so tests/bench/catalog.php\n");
    exit(1);
}
$sizes = array_map('intval', array_slice($argv, 1)) ?: [10000, 100000];
printf("Catalog benchmark: normalize + hash + NDJSON, extension vs pure-PHP reference (PHP %s)\n\n", PHP_VERSION);
printf("%9s | %9s %9s %9s | %8s %8s | %8s %8s %6s | %9s | %8s %7s %7s\n", 'products', 'ext s', 'ext 1t s', 'ref s', 'speedup', '1t', 'ext MiB', 'ref MiB', 'mem', 'NDJSON', 'index s', 'p50 ms', 'p95 ms');
foreach ($sizes as $n) {
    $ext = run_median('ext', $n);
    $one = run_median('ext', $n, 1);
    $ref = run_median('ref', $n);
    $same = $ext['md5'] === $ref['md5'] && $one['md5'] === $ref['md5'] ? 'identical' : 'DIFFERENT';
    printf(
        "%9d | %9.3f %9.3f %9.3f | %7.1fx %7.1fx | %8.1f %8.1f %5.2fx | %9s | %8.2f %7.3f %7.3f\n",
        $n, $ext['seconds'], $one['seconds'], $ref['seconds'],
        $ref['seconds'] / max($ext['seconds'], 1e-9), $ref['seconds'] / max($one['seconds'], 1e-9),
        $ext['peak_kib'] / 1024, $ref['peak_kib'] / 1024, $ext['peak_kib'] / max($ref['peak_kib'], 1),
        $same, $ext['index_s'], $ext['p50_ms'], $ext['p95_ms'],
    );
}
printf("\nmedian of %d runs each; ext = default threads (%d here), 1t = threads => 1;\n", RUNS, min(4, (int) shell_exec('nproc') ?: 1));
echo "speedup = ref s / ext s (1t: with one thread); mem = ext MiB / ref MiB (peak RSS growth during the work, default threads);\n";
echo "p50/p95 = CatalogIndex::open() + search() over 1,000 queries (mixed words, typos, SKUs, Arabic, Chinese, filters).\n";
