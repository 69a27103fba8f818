<?php
declare(strict_types=1);

if (!extension_loaded('aisle')) {
    fwrite(STDERR, "The aisle extension is not loaded: run through `make test-php` (php -dextension=build/aisle.so).\n");
    exit(1);
}
error_reporting(E_ALL);
set_error_handler(static function (int $no, string $str, string $file, int $line): bool {
    throw new ErrorException($str, 0, $no, $file, $line);
});

/** Path of the built extension, for tests that start a second PHP process. */
function aisle_ext_path(): string
{
    $path = getenv('AISLE_EXT') ?: dirname(__DIR__, 2) . '/build/aisle.so';
    return $path;
}

/** Runs PHP code in a child process with the extension; returns [exit code, stdout, stderr]. */
function aisle_run_php(string $code, array $env = [], array $ini = []): array
{
    $args = ['php', '-dextension=' . aisle_ext_path()];
    foreach ($ini as $k => $v) {
        $args[] = "-d{$k}={$v}";
    }
    $args[] = '-r';
    $args[] = $code;
    $proc = proc_open($args, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
    $out = stream_get_contents($pipes[1]);
    $err = stream_get_contents($pipes[2]);
    fclose($pipes[1]);
    fclose($pipes[2]);
    return [proc_close($proc), $out, $err];
}
