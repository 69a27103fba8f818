<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * Replays every minimised reproducer the fuzzer kept (tests/fuzz/regressions/*.json), each in a child PHP
 * process so that a crash or a hang fails the test instead of ending the run. A case passes when every call
 * returns or throws what the API promises (tests/fuzz/Exec.php says exactly what that is).
 */
final class FuzzRegressionTest extends TestCase
{
    private const TIMEOUT_S = 20;

    public static function cases(): array
    {
        $cases = [];
        foreach (glob(dirname(__DIR__) . '/fuzz/regressions/*.json') as $file) {
            $cases[basename($file, '.json')] = [$file];
        }
        return $cases;
    }

    public function testTheRegressionCasesAreThere(): void
    {
        $this->assertGreaterThanOrEqual(11, count(self::cases()), 'the fuzzer\'s reproducers are kept, even after the fix');
    }

    /** @dataProvider cases */
    public function testReproducerRunsClean(string $file): void
    {
        $case = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
        $this->assertNotEmpty($case['steps'], "$file has steps");
        $tmp = sys_get_temp_dir() . '/aisle-fuzz-regression-' . bin2hex(random_bytes(6));
        mkdir($tmp, 0700);
        try {
            [$status, $out, $err] = self::replay($file, $tmp);
        } finally {
            exec('rm -rf ' . escapeshellarg($tmp));
        }
        $this->assertSame('exit 0', $status, "replaying $file ($status): the process must not crash or hang\n$err");
        $this->assertSame('ok', $out, "replaying $file: " . ($case['found']['problem'] ?? '') . "\n$err");
    }

    /** @return array{0: string, 1: string, 2: string} status, stdout, stderr */
    private static function replay(string $file, string $tmp): array
    {
        $cmd = ['php', '-dextension=' . aisle_ext_path(), dirname(__DIR__) . '/fuzz/child.php', 'replay', $file, $tmp];
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        stream_set_blocking($pipes[1], false);
        stream_set_blocking($pipes[2], false);
        $out = $err = '';
        $deadline = microtime(true) + self::TIMEOUT_S;
        while (($st = proc_get_status($proc))['running'] && microtime(true) < $deadline) {
            $r = [$pipes[1], $pipes[2]];
            $w = $e = null;
            @stream_select($r, $w, $e, 0, 100000);
            $out .= (string) fread($pipes[1], 1 << 16);
            $err .= (string) fread($pipes[2], 1 << 16);
        }
        if ($st['running']) {
            posix_kill($st['pid'], SIGKILL);
            proc_close($proc);
            return ['hang: no answer in ' . self::TIMEOUT_S . ' s', trim($out), $err];
        }
        $out .= (string) stream_get_contents($pipes[1]);
        $err .= (string) stream_get_contents($pipes[2]);
        proc_close($proc);
        $status = $st['signaled'] ? 'signal ' . $st['termsig'] : 'exit ' . $st['exitcode'];
        return [$status, trim($out), $err];
    }
}
