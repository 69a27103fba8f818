<?php
/**
 * The fuzzer's child process (run with the extension loaded), so that a crash ends only this process.
 *   campaign CLASS SEED FROM COUNT TMP   runs cases FROM..FROM+COUNT-1; before each prints "c <index>", for a
 *                                        finding "f <index> <json problem>", at the end "done"
 *   replay FILE TMP                      runs the case in FILE (JSON); prints "ok" or "f <json problem>"
 *   memory CLASS SEED CALLS TMP          the memory check: prints one JSON line of RSS / memory_get_usage samples
 * AISLE_FUZZ_INJECT=crash|leak|warning makes a campaign misbehave on purpose (to prove the runner notices).
 */
declare(strict_types=1);

namespace Aisle\Fuzz;

require __DIR__ . '/Gen.php';
require __DIR__ . '/Exec.php';
require __DIR__ . '/Targets.php';

error_reporting(E_ALL);
ini_set('display_errors', 'stderr');

if (!extension_loaded('aisle')) {
    fwrite(STDERR, "child.php: the aisle extension is not loaded\n");
    exit(2);
}

$mode = $argv[1] ?? '';

/**
 * Relative paths (any string may be passed where a directory is written) land deep inside the run's temp
 * dir: ten levels, more than the "../" any generated string climbs.
 */
function enter_sandbox(string $tmp): void
{
    $dir = $tmp . '/cwd' . str_repeat('/d', 10);
    @mkdir($dir, 0700, true);
    chdir($dir) || exit(2);
}
$inject = (string) getenv('AISLE_FUZZ_INJECT');

function rss_kb(): int
{
    preg_match('/^VmRSS:\s+(\d+) kB/m', (string) file_get_contents('/proc/self/status'), $m);
    return (int) $m[1];
}

function out(string $line): void
{
    fwrite(STDOUT, $line . "\n");
    fflush(STDOUT);
}

if ($mode === 'campaign') {
    [, , $class, $seed, $from, $count, $tmp] = $argv;
    enter_sandbox($tmp);
    $exec = new Exec($tmp);
    for ($i = (int) $from, $end = (int) $from + (int) $count; $i < $end; $i++) {
        out("c $i");
        $case = Targets::generate($class, (int) $seed, $i);
        if ($inject !== '' && $i === 7) { // once: a campaign restarted after the crash goes on clean
            $case['steps'][] = ['inject', [$inject]];
        }
        $problem = run_case($exec, $case);
        if ($problem !== null) {
            out("f $i " . json_encode($problem, JSON_INVALID_UTF8_SUBSTITUTE));
        }
    }
    out('done');
    exit(0);
}

if ($mode === 'replay') {
    [, , $file, $tmp] = $argv;
    enter_sandbox($tmp);
    $case = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
    $problem = run_case(new Exec($tmp), $case);
    out($problem === null ? 'ok' : 'f ' . json_encode($problem, JSON_INVALID_UTF8_SUBSTITUTE));
    exit(0);
}

if ($mode === 'memory') {
    [, , $class, $seed, $calls, $tmp] = $argv;
    enter_sandbox($tmp);
    $exec = new Exec($tmp);
    $mix = memory_mix($class, (int) $seed);
    $leak = [];
    $samples = [];
    $warmup = 10000;
    $total = $warmup + (int) $calls;
    $n = 0;
    $t0 = microtime(true);
    for ($i = 0; $n < $total; $i++) {
        $case = $mix[$i % count($mix)];
        $exec->run($case);
        $n += count($case['steps']);
        if ($inject === 'leak') {
            $leak[] = str_repeat('x', 100); // grows PHP's heap and RSS by ~5 MB over 50,000 calls
        }
        if ($n >= $warmup && ($samples === [] || $n - $samples[count($samples) - 1]['calls'] >= 5000)) {
            gc_collect_cycles();
            $samples[] = ['calls' => $n, 'rss_kb' => rss_kb(), 'php_bytes' => memory_get_usage()];
            out("p $n"); // progress: the runner takes silence for a hang
        }
    }
    gc_collect_cycles();
    $samples[] = ['calls' => $n, 'rss_kb' => rss_kb(), 'php_bytes' => memory_get_usage()];
    out(json_encode(['class' => $class, 'cases' => count($mix), 'seconds' => round(microtime(true) - $t0, 2), 'samples' => $samples]));
    exit(0);
}

fwrite(STDERR, "usage: child.php campaign|replay|memory …\n");
exit(2);

/** Runs a case; the 'inject' step misbehaves on purpose (only through AISLE_FUZZ_INJECT or a test's case file). */
function run_case(Exec $exec, array $case): ?string
{
    $real = [];
    foreach ($case['steps'] as $step) {
        if ($step[0] === 'inject') {
            if ($real !== []) {
                $problem = $exec->run(['steps' => $real] + $case);
                if ($problem !== null) {
                    return $problem;
                }
                $real = [];
            }
            switch ($step[1][0]) {
                case 'crash': posix_kill(getmypid(), SIGSEGV); sleep(5); break;
                case 'warning': return $exec->run(['class' => 'Vault', 'steps' => [['->encrypt', [['$o' => 'warning'], 'ctx']]]]);
                case 'hang': sleep(3600); break;
            }
            continue;
        }
        $real[] = $step;
    }
    return $real === [] ? null : $exec->run(['steps' => $real] + $case);
}

/** The memory check's calls: the class's own fuzz cases, the slow ones (index writes, servers) one in a thousand. */
function memory_mix(string $class, int $seed): array
{
    $light = [];
    $heavy = [];
    for ($i = 0; count($light) < 400 && $i < 5000; $i++) {
        $case = Targets::generate($class, $seed, $i);
        $json = json_encode(Exec::jsonSafe($case));
        $isHeavy = preg_match('/writeIndex|writeProductFeed|replaceSource|removeSource|url:fake|path:new|"::open"|extractFile|rep":.{0,20}"n":(65536|1048576|1048577)|"\$deep":5000|bytes:(pdf|docx)/', $json);
        if ($isHeavy) {
            $heavy[] = $case;
        } else {
            $light[] = $case;
        }
    }
    $mix = [];
    foreach ($light as $j => $case) {
        $mix[] = $case;
        if ($j % 200 === 0 && $heavy !== []) {
            $mix[] = $heavy[intdiv($j, 200) % count($heavy)];
        }
    }
    return $mix;
}
