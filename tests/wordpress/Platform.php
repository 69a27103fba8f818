<?php
/**
 * The real WordPress and WooCommerce the tests, the demo and the benchmarks run on: the official
 * release archives, checked against the SHA-256 sums pinned in tests/wordpress/platform.sha256
 * and unpacked once into build/platform/ (reused while the archive's sum stays the same).
 *
 * An archive is found at $WORDPRESS_ZIP / $WOOCOMMERCE_ZIP if set, else in ../shared/vendor/,
 * else downloaded from the official download address of its pinned version.
 */

declare(strict_types=1);

final class Platform
{
    /** The supported pairs: the current release and the oldest pair Aisle supports. */
    public const PAIRS = [
        'current' => ['wordpress' => '7.0.4', 'woocommerce' => '11.0.1'],
        'oldest'  => ['wordpress' => '6.8.3', 'woocommerce' => '9.9.5'],
    ];

    private const URLS = [
        'wordpress'   => 'https://wordpress.org/wordpress-%s.zip',
        'woocommerce' => 'https://downloads.wordpress.org/plugin/woocommerce.%s.zip',
    ];

    private const ENV = ['wordpress' => 'WORDPRESS_ZIP', 'woocommerce' => 'WOOCOMMERCE_ZIP'];

    /** Where verified trees are unpacked (build/platform/ unless a test points it elsewhere). */
    public static ?string $cacheDir = null;

    /** The pair named by $AISLE_PLATFORM (current|oldest), current by default. */
    public static function pair(?string $name = null): array
    {
        $name ??= getenv('AISLE_PLATFORM') ?: 'current';
        if (!isset(self::PAIRS[$name])) {
            throw new RuntimeException("AISLE_PLATFORM=$name: expected one of " . implode(', ', array_keys(self::PAIRS)));
        }
        return self::PAIRS[$name] + ['name' => $name];
    }

    public static function fileName(string $product, string $version): string
    {
        return $product === 'wordpress' ? "wordpress-$version.zip" : "woocommerce.$version.zip";
    }

    /** @return array<string, string> file name => pinned SHA-256 */
    public static function pins(): array
    {
        $pins = [];
        foreach (file(__DIR__ . '/platform.sha256', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
            if ($line[0] !== '#' && preg_match('/^([0-9a-f]{64})\s+\*?(\S+)$/', $line, $m)) {
                $pins[$m[2]] = $m[1];
            }
        }
        return $pins;
    }

    /**
     * The unpacked tree of $product at $version (the folder holding wp-load.php, or
     * woocommerce.php), verified and cached under build/platform/.
     */
    public static function unpacked(string $product, string $version): string
    {
        $file = self::fileName($product, $version);
        $pin  = self::pins()[$file] ?? throw new RuntimeException("no SHA-256 pinned for $file in tests/wordpress/platform.sha256");
        $cache = (self::$cacheDir ?? dirname(__DIR__, 2) . '/build/platform') . "/$product-$version-" . substr($pin, 0, 12);
        $tree  = "$cache/$product";
        if (is_file("$cache/.complete")) {
            return $tree;
        }
        $zip = self::archive($product, $version, $file);
        $sum = hash_file('sha256', $zip);
        if (!hash_equals($pin, $sum)) {
            throw new RuntimeException("$zip: SHA-256 is $sum, but $file is pinned at $pin (tests/wordpress/platform.sha256). Refusing an archive that is not the official $product $version release.");
        }
        Harness::removeTree($cache);
        mkdir($cache, 0755, true);
        self::run(['unzip', '-q', $zip, '-d', $cache]);
        if (!is_dir($tree)) {
            throw new RuntimeException("$zip has no top folder $product/: not a $product release archive");
        }
        touch("$cache/.complete");
        return $tree;
    }

    private static function archive(string $product, string $version, string $file): string
    {
        $env = getenv(self::ENV[$product]) ?: '';
        if ($env !== '') {
            if (!is_file($env)) {
                throw new RuntimeException(self::ENV[$product] . "=$env: no such file");
            }
            return $env;
        }
        $vendor = dirname(__DIR__, 3) . "/shared/vendor/$file";
        if (is_file($vendor)) {
            return $vendor;
        }
        // No local copy: the official download, over verified TLS, then the same checksum.
        $dir = dirname(__DIR__, 2) . '/build/downloads';
        @mkdir($dir, 0755, true);
        $target = "$dir/$file";
        if (!is_file($target)) {
            $url = sprintf(self::URLS[$product], $version);
            fwrite(STDERR, "platform: downloading $url\n");
            self::run(['curl', '--fail', '--location', '--silent', '--show-error', '--proto', '=https', '-o', "$target.part", $url]);
            rename("$target.part", $target);
        }
        return $target;
    }

    private static function run(array $cmd): void
    {
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        if (proc_close($proc) !== 0) {
            throw new RuntimeException(implode(' ', $cmd) . " failed:\n$out");
        }
    }
}
