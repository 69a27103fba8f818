<?php
/**
 * Fuzzes every class of the aisle extension from PHP, each class's campaign in a child process.
 *
 *   php tests/fuzz/run.php [--seed=N] [--cases=N] [--memory-calls=N] [--classes=Vault,Catalog] [--jobs=2]
 *                          [--no-shrink] [--regressions=DIR]
 *
 * Each case is generated from (seed, class, index) alone, so a finding is reproduced by its seed and index.
 * A finding (an unexpected exception, a PHP warning, a crash, a hang) is shrunk and written as a regression
 * case (tests/fuzz/regressions/*.json, replayed by tests/php/FuzzRegressionTest.php). The memory check runs
 * each class's cases for --memory-calls calls after a 10,000-call warm-up and fails when RSS or PHP's heap
 * grows over the second half by more than the bounds below. Exit status 1 on any finding or leak.
 */
declare(strict_types=1);

namespace Aisle\Fuzz;

require __DIR__ . '/Gen.php';
require __DIR__ . '/Exec.php';
require __DIR__ . '/Targets.php';

/** RSS may grow this much over the second half (kB): malloc arenas and the allocator's caches settle in steps. */
const RSS_BOUND_KB = 2048;
/** PHP's own heap (memory_get_usage) this much (bytes): it is exact, so anything kept per call shows at once. */
const PHP_BOUND_BYTES = 256 * 1024;
/** No output from a child for this long is a hang. */
const HANG_SECONDS = 30;

$opt = getopt('', ['seed:', 'cases:', 'memory-calls:', 'classes:', 'jobs:', 'no-shrink', 'regressions:']);
$seed = (int) ($opt['seed'] ?? (getenv('SEED') ?: 20261201));
$cases = (int) ($opt['cases'] ?? (getenv('CASES') ?: 10000));
$memCalls = (int) ($opt['memory-calls'] ?? 100000);
$classes = isset($opt['classes']) ? explode(',', $opt['classes']) : Targets::CLASSES;
$jobs = max(1, (int) ($opt['jobs'] ?? 2));
$shrink = !isset($opt['no-shrink']);
$regDir = $opt['regressions'] ?? __DIR__ . '/regressions';
$ext = getenv('AISLE_EXT') ?: dirname(__DIR__, 2) . '/build/aisle.so';
if (!is_file($ext)) {
    fwrite(STDERR, "run.php: no extension at $ext (make ext, or set AISLE_EXT)\n");
    exit(2);
}
foreach ($classes as $c) {
    if (!in_array($c, Targets::CLASSES, true)) {
        fwrite(STDERR, "run.php: unknown class $c (one of " . implode(', ', Targets::CLASSES) . ")\n");
        exit(2);
    }
}

$root = sys_get_temp_dir() . '/aisle-fuzz-' . getmypid();
@mkdir($root, 0700, true);
register_shutdown_function(static fn () => Exec::rmTree($root));

// Interrupted (Ctrl-C, a CI timeout): stop the children by PID, then the shutdown functions stop the fakes
// and remove the temp dir.
$running = [];
pcntl_async_signals(true);
foreach ([SIGINT, SIGTERM] as $sig) {
    pcntl_signal($sig, static function () use (&$running): void {
        foreach (array_keys($running) as $pid) {
            posix_kill($pid, SIGKILL);
        }
        fwrite(STDERR, "fuzz: interrupted\n");
        exit(130);
    });
}

// The fake AI provider and Graph API, shared by every child and stopped by PID at the end.
$fakes = new Exec("$root/fakes");
putenv('AISLE_FUZZ_AI_URL=' . $fakes->server('provider.php'));
putenv('AISLE_FUZZ_GRAPH_URL=' . $fakes->server('graph.php'));

printf("fuzz: seed %d, %d cases per class, %s memory calls per class, %d classes, %d jobs (reproduce: make fuzz SEED=%d CASES=%d)\n",
    $seed, $cases, number_format($memCalls), count($classes), $jobs, $seed, $cases);

/** @return array{0: resource, 1: array, 2: int} */
function spawn(string $ext, array $args): array
{
    // Address space capped: a call that allocates without bound fails in the child (an abort, reported as a
    // crash) instead of waking the kernel's OOM killer on a machine other jobs share.
    $cmd = array_merge(['prlimit', '--as=' . (6 << 30), 'php', '-dextension=' . $ext, '-dmemory_limit=1G', __DIR__ . '/child.php'], $args);
    $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    stream_set_blocking($pipes[1], false);
    stream_set_blocking($pipes[2], false);
    return [$proc, $pipes, proc_get_status($proc)['pid']];
}

/** Waits for a child's end; returns ['code' => exit code, 'signal' => signal or 0]. */
function reap($proc): array
{
    $signal = 0;
    $code = -1;
    while (true) {
        $st = proc_get_status($proc);
        if (!$st['running']) {
            $signal = $st['signaled'] ? $st['termsig'] : 0;
            $code = $st['exitcode'];
            break;
        }
        usleep(5000);
    }
    proc_close($proc);
    return ['code' => $code, 'signal' => $signal];
}

// The work: one campaign and one memory check per class, at most $jobs children at a time.
$queue = [];
foreach ($classes as $c) {
    $queue[] = ['kind' => 'campaign', 'class' => $c, 'from' => 0, 'count' => $cases];
}
if ($memCalls > 0) {
    foreach ($classes as $c) {
        $queue[] = ['kind' => 'memory', 'class' => $c];
    }
}
$findings = [];
$memory = [];
$times = [];
$t0 = microtime(true);
while ($queue !== [] || $running !== []) {
    while ($queue !== [] && count($running) < $jobs) {
        $job = array_shift($queue);
        $tmp = "$root/" . str_replace('.', '-', $job['class']) . '-' . $job['kind'] . '-' . ($job['from'] ?? 0);
        @mkdir($tmp, 0700, true);
        $args = $job['kind'] === 'campaign'
            ? ['campaign', $job['class'], (string) $seed, (string) $job['from'], (string) $job['count'], $tmp]
            : ['memory', $job['class'], (string) $seed, (string) $memCalls, $tmp];
        [$proc, $pipes, $pid] = spawn($ext, $args);
        $running[$pid] = $job + ['proc' => $proc, 'pipes' => $pipes, 'buf' => '', 'err' => '', 'last' => null, 'seen' => microtime(true), 'start' => microtime(true), 'done' => false, 'tmp' => $tmp];
    }
    $read = [];
    foreach ($running as $r) {
        $read[] = $r['pipes'][1];
        $read[] = $r['pipes'][2];
    }
    $w = $e = null;
    @stream_select($read, $w, $e, 1);
    foreach ($running as $pid => &$r) {
        $chunk = (string) @fread($r['pipes'][1], 1 << 16);
        $r['err'] .= substr((string) @fread($r['pipes'][2], 1 << 16), 0, 4000);
        if ($chunk !== '') {
            $r['seen'] = microtime(true);
            $r['buf'] .= $chunk;
            while (($nl = strpos($r['buf'], "\n")) !== false) {
                $line = substr($r['buf'], 0, $nl);
                $r['buf'] = substr($r['buf'], $nl + 1);
                if (str_starts_with($line, 'c ')) {
                    $r['last'] = (int) substr($line, 2);
                } elseif (str_starts_with($line, 'f ')) {
                    [, $idx, $json] = explode(' ', $line, 3);
                    $findings[] = ['class' => $r['class'], 'index' => (int) $idx, 'problem' => json_decode($json, true)];
                } elseif ($line === 'done') {
                    $r['done'] = true;
                } elseif ($r['kind'] === 'memory' && str_starts_with($line, '{')) {
                    $memory[$r['class']] = json_decode($line, true);
                }
            }
        }
        $hung = microtime(true) - $r['seen'] > HANG_SECONDS;
        if ($hung) {
            posix_kill($pid, SIGKILL);
        }
        $st = proc_get_status($r['proc']);
        if ($st['running']) {
            continue;
        }
        $r['buf'] .= (string) stream_get_contents($r['pipes'][1]);
        foreach (explode("\n", $r['buf']) as $line) {
            if ($line === 'done') {
                $r['done'] = true;
            } elseif (str_starts_with($line, 'f ')) {
                [, $idx, $json] = explode(' ', $line, 3);
                $findings[] = ['class' => $r['class'], 'index' => (int) $idx, 'problem' => json_decode($json, true)];
            } elseif ($r['kind'] === 'memory' && str_starts_with($line, '{')) {
                $memory[$r['class']] = json_decode($line, true);
            } elseif (str_starts_with($line, 'c ')) {
                $r['last'] = (int) substr($line, 2);
            }
        }
        $r['err'] .= (string) stream_get_contents($r['pipes'][2]);
        $signal = $st['signaled'] ? $st['termsig'] : 0;
        $code = $st['exitcode'];
        proc_close($r['proc']);
        $key = $r['class'] . ' ' . $r['kind'];
        $times[$key] = ($times[$key] ?? 0) + microtime(true) - $r['start'];
        if (!$r['done'] && $r['kind'] === 'campaign') {
            $what = $hung ? 'hang: no answer for ' . HANG_SECONDS . ' s' : ($signal ? "crash: signal $signal" : "crash: exit $code");
            $idx = $r['last'] ?? $r['from'];
            $findings[] = ['class' => $r['class'], 'index' => $idx, 'problem' => "$what; stderr: " . trim(substr($r['err'], -500))];
            $left = $r['from'] + $r['count'] - $idx - 1;
            if ($left > 0) { // the rest of the campaign in a new child
                array_unshift($queue, ['kind' => 'campaign', 'class' => $r['class'], 'from' => $idx + 1, 'count' => $left]);
            }
        } elseif ($r['kind'] === 'memory' && !isset($memory[$r['class']])) {
            $memory[$r['class']] = ['error' => ($signal ? "crash: signal $signal" : "exit $code") . ': ' . trim(substr($r['err'], -500))];
        }
        Exec::rmTree($r['tmp']);
        unset($running[$pid]);
    }
    unset($r);
}
$elapsed = microtime(true) - $t0;

/** What a problem is, without the details that change from one input to the next. */
function signature(string $problem): string
{
    $p = preg_replace('/^step \d+ /', '', $problem);
    $p = preg_replace("/'[^']*'|\"[^\"]*\"|\\d+/", '_', $p);
    return substr($p, 0, 90);
}

/** Replays a case in a child; the problem text, or null when it ran clean. */
function replay(string $ext, string $root, array $case): ?string
{
    $file = "$root/replay-" . getmypid() . '.json';
    file_put_contents($file, json_encode(Exec::jsonSafe($case), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE));
    @mkdir("$root/replay", 0700);
    [$proc, $pipes] = spawn($ext, ['replay', $file, "$root/replay"]);
    stream_set_blocking($pipes[1], true);
    stream_set_blocking($pipes[2], true);
    $start = time();
    $out = '';
    while (!feof($pipes[1]) && time() - $start < HANG_SECONDS) {
        $out .= (string) fread($pipes[1], 1 << 16);
    }
    $err = (string) stream_get_contents($pipes[2]);
    if (proc_get_status($proc)['running']) {
        posix_kill(proc_get_status($proc)['pid'], SIGKILL);
        $res = reap($proc);
        Exec::rmTree("$root/replay");
        return 'hang: no answer for ' . HANG_SECONDS . ' s';
    }
    $res = reap($proc);
    Exec::rmTree("$root/replay");
    $out = trim($out);
    if ($out === 'ok') {
        return null;
    }
    if (str_starts_with($out, 'f ')) {
        return json_decode(substr($out, 2), true);
    }
    return ($res['signal'] ? "crash: signal {$res['signal']}" : "crash: exit {$res['code']}") . '; stderr: ' . trim(substr($err, -500));
}

/** Smaller versions of a spec, simplest first. @return iterable<mixed> */
function smaller(mixed $s): iterable
{
    if (is_string($s)) {
        if ($s !== '') {
            yield '';
        }
        $n = strlen($s);
        if ($n > 1) {
            yield substr($s, 0, intdiv($n, 2));
            yield substr($s, intdiv($n, 2));
        }
        return;
    }
    if (is_int($s) && $s !== 0) {
        yield 0;
        return;
    }
    if (!is_array($s)) {
        return;
    }
    $tag = array_key_first($s);
    switch ($tag) {
        case '$a':
            $pairs = $s['$a'];
            if (count($pairs) > 3) { // halves first: long lists shrink in a few steps
                yield ['$a' => array_slice($pairs, 0, intdiv(count($pairs), 2))];
                yield ['$a' => array_slice($pairs, intdiv(count($pairs), 2))];
            }
            foreach ($pairs as $i => $_) { // drop one key
                $p = $pairs;
                array_splice($p, $i, 1);
                yield ['$a' => $p];
            }
            foreach ($pairs as $i => [$k, $v]) { // simplify one value
                foreach (smaller($v) as $sv) {
                    $p = $pairs;
                    $p[$i] = [$k, $sv];
                    yield ['$a' => $p];
                }
            }
            return;
        case '$rep':
            if ($s['n'] > 1) {
                yield ['$rep' => $s['$rep'], 'n' => intdiv($s['n'], 2)];
            }
            foreach (smaller($s['$rep']) as $sv) {
                yield ['$rep' => $sv, 'n' => $s['n']];
            }
            return;
        case '$cat':
            foreach ($s['$cat'] as $part) {
                yield $part;
            }
            foreach ($s['$cat'] as $i => $part) {
                foreach (smaller($part) as $sp) {
                    $c = $s['$cat'];
                    $c[$i] = $sp;
                    yield ['$cat' => $c];
                }
            }
            return;
        case '$deep':
            if ($s['$deep'] > 1) {
                yield ['$deep' => intdiv($s['$deep'], 2), 'leaf' => $s['leaf']];
            }
            return;
        case '$cut':
        case '$flip':
            yield $s[$tag];
            return;
        case '$b':
            $raw = base64_decode($s['$b']);
            foreach (smaller($raw) as $sr) {
                yield Gen::str($sr);
            }
            return;
    }
}

/** Greedy shrinking: keep any smaller case that still fails the same way. */
function shrink(string $ext, string $root, array $case, string $sig, int $budget = 200): array
{
    $tries = 0;
    $improved = true;
    while ($improved && $tries < $budget) {
        $improved = false;
        foreach (candidates($case) as $cand) {
            if (++$tries > $budget) {
                break;
            }
            $p = replay($ext, $root, $cand);
            if ($p !== null && signature($p) === $sig) {
                $case = $cand;
                $improved = true;
                break;
            }
        }
    }
    return $case;
}

function candidates(array $case): iterable
{
    $steps = $case['steps'];
    foreach ($steps as $i => $_) {
        if (count($steps) > 1) {
            $s = $steps;
            array_splice($s, $i, 1);
            yield ['steps' => $s] + $case;
        }
    }
    foreach ($steps as $i => [$call, $args]) {
        foreach ($args as $j => $arg) {
            foreach (array_merge([null], iterator_to_array(smaller($arg), false)) as $sa) {
                if ($sa === $arg) {
                    continue;
                }
                $s = $steps;
                $s[$i][1][$j] = $sa;
                yield ['steps' => $s] + $case;
            }
        }
    }
}

/** A regression case file: one key a line, each value compact JSON. */
function reproducer_json(array $case): string
{
    $lines = [];
    foreach (['class', 'steps', 'found'] as $k) {
        $lines[] = '  ' . json_encode($k) . ': ' . json_encode(Exec::jsonSafe($case[$k]), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    }
    return "{\n" . implode(",\n", $lines) . "\n}";
}

// Findings: one reproducer per distinct problem and class, shrunk, kept as a regression case.
$unique = [];
foreach ($findings as $f) {
    $unique[$f['class'] . '|' . signature($f['problem'])] ??= $f + ['count' => 0];
    $unique[$f['class'] . '|' . signature($f['problem'])]['count']++;
}
$failed = false;
foreach ($unique as $f) {
    $failed = true;
    $case = Targets::generate($f['class'], $seed, $f['index']);
    printf("FINDING %s case %d (%d like it): %s\n", $f['class'], $f['index'], $f['count'], substr($f['problem'], 0, 400));
    if (getenv('AISLE_FUZZ_INJECT')) {
        continue; // an injected fault is not a reproducer worth keeping
    }
    if ($shrink) {
        $case = shrink($ext, $root, $case, signature($f['problem']));
    }
    $case['found'] = ['seed' => $seed, 'index' => $f['index'], 'problem' => substr($f['problem'], 0, 300)];
    $json = reproducer_json($case);
    @mkdir($regDir, 0755, true);
    $file = sprintf('%s/%s-%s.json', $regDir, strtolower(str_replace('.', '-', $f['class'])), substr(hash('xxh3', $json), 0, 8));
    file_put_contents($file, $json . "\n");
    echo "  reproducer: $file\n  " . json_encode(Exec::jsonSafe(['class' => $case['class'], 'steps' => $case['steps']]), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE) . "\n";
}

// Memory: growth over the second half of the measured calls.
if ($memCalls > 0) {
    printf("%-22s %8s %12s %12s %14s %14s %8s\n", 'memory', 'calls', 'RSS start', 'RSS end', 'RSS 2nd half', 'PHP 2nd half', 'seconds');
    foreach ($classes as $c) {
        $m = $memory[$c] ?? ['error' => 'no result'];
        if (isset($m['error'])) {
            printf("%-22s LEAK CHECK FAILED: %s\n", $c, $m['error']);
            $failed = true;
            continue;
        }
        $s = $m['samples'];
        $first = $s[0];
        $last = $s[count($s) - 1];
        $midCalls = ($first['calls'] + $last['calls']) / 2;
        $mid = $first;
        foreach ($s as $x) {
            if ($x['calls'] <= $midCalls) {
                $mid = $x;
            }
        }
        $rssGrowth = $last['rss_kb'] - $mid['rss_kb'];
        $phpGrowth = $last['php_bytes'] - $mid['php_bytes'];
        $bad = $rssGrowth > RSS_BOUND_KB || $phpGrowth > PHP_BOUND_BYTES;
        $failed = $failed || $bad;
        printf("%-22s %8s %9.1f MB %9.1f MB %+11d kB %+11.1f kB %8.1f%s\n", $c, number_format($last['calls'] - $first['calls']),
            $first['rss_kb'] / 1024, $last['rss_kb'] / 1024, $rssGrowth, $phpGrowth / 1024, $m['seconds'], $bad ? '  LEAK' : '');
    }
    printf("bounds: RSS growth over the second half <= %d kB, PHP heap growth <= %d kB\n", RSS_BOUND_KB, PHP_BOUND_BYTES / 1024);
}
$load = sys_getloadavg();
printf("fuzz: %s cases in %.1f s (load average %.2f), %d findings (%d distinct)%s\n",
    number_format($cases * count($classes)), $elapsed, $load[0], count($findings), count($unique), $failed ? ': FAILED' : ': passed');
exit($failed ? 1 : 0);
