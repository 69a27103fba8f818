<?php
/**
 * Brings up a private WooCommerce store for the tests, the demo and the benchmarks: its own
 * MariaDB (datadir and socket in a temp folder, no networking), a site built from the official
 * WordPress and WooCommerce release archives (Platform.php) with its own wp-config.php and
 * wp-content (our plugin symlinked), installed with wp_install(), WooCommerce activated the
 * real way (its installer creates its tables, HPOS on as for a new store), served by `php -S`
 * with the extension. Everything it starts is stopped by PID in stop().
 */

declare(strict_types=1);

require_once __DIR__ . '/Platform.php';

final class Harness
{
    public string $root;
    public string $site;
    public string $host;
    public string $url;
    public string $ext;
    public string $repo;
    /** @var array<string, resource> name => proc handle */
    private array $procs = [];
    private ?mysqli $db = null;

    public function __construct(?string $root = null, ?int $port = null)
    {
        $this->repo = dirname(__DIR__, 2);
        $this->ext  = getenv('AISLE_EXT') ?: $this->repo . '/build/aisle.so';
        $this->root = $root ?? sys_get_temp_dir() . '/aisle-wp-' . getmypid();
        $port     ??= self::freePort();
        $this->host = "127.0.0.1:$port";
        $this->url  = "http://{$this->host}";
        $this->site = $this->root . '/site';
    }

    public static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($s, false);
        fclose($s);
        return (int) substr($name, strrpos($name, ':') + 1);
    }

    /** False for a site where the plugin is installed the way a merchant does (PluginUploadTest). */
    public bool $linkPlugin = true;

    /** False for the demo: WP-Cron and Action Scheduler's own runners work as on a real store. */
    public bool $manualQueue = true;

    /** The WordPress + WooCommerce pair (Platform::PAIRS): $AISLE_PLATFORM, else current. */
    public array $platform;

    /** @param string[] $plugins Activated in this order after install. */
    public function start(array $plugins = ['woocommerce/woocommerce.php', 'aisle/aisle.php'], ?callable $beforeInstall = null): void
    {
        $this->platform ??= Platform::pair();
        self::removeTree($this->root);
        mkdir($this->root, 0700, true);
        $this->startDatabase();
        $this->buildSite();
        if ($beforeInstall) {
            $beforeInstall($this);
        }
        $this->cli([PHP_BINARY, '-dextension=' . $this->ext, __DIR__ . '/bin/install.php', $this->site, $this->host]);
        foreach ($plugins as $plugin) {
            $r = $this->wp('$r = activate_plugin(' . var_export($plugin, true) . '); return is_wp_error($r) ? $r->get_error_message() : true;');
            if ($r !== true) {
                throw new RuntimeException("activating $plugin failed: " . json_encode($r));
            }
            if ($plugin === 'woocommerce/woocommerce.php') {
                // What a merchant's setup wizard leaves: a live (not "coming soon") US store.
                $this->cli([PHP_BINARY, '-dextension=' . $this->ext, __DIR__ . '/bin/setup-store.php', $this->site, $this->host]);
            }
        }
        $this->startServer('web', $this->host, true);
    }

    /** Versions actually running, as WordPress and WooCommerce report them. */
    public function versions(): array
    {
        return $this->wp('global $wp_version; return array("wordpress" => $wp_version, "woocommerce" => defined("WC_VERSION") ? WC_VERSION : null, "hpos" => class_exists("Automattic\\WooCommerce\\Utilities\\OrderUtil") && Automattic\\WooCommerce\\Utilities\\OrderUtil::custom_orders_table_usage_is_enabled());');
    }

    /** Stops what a previous Harness left running under $root (make demo-stop), by its PID files. */
    public static function stopLeftovers(string $root): void
    {
        foreach (['web', 'noext', 'mariadb'] as $name) {
            $file = "$root/$name.pid";
            if (is_file($file)) {
                $pid = (int) file_get_contents($file);
                if ($pid > 0 && posix_kill($pid, 0)) {
                    self::terminate($pid);
                }
                unlink($file);
            }
        }
    }

    private function startDatabase(): void
    {
        $data = $this->root . '/db';
        $user = posix_getuid() === 0 ? ['--user=root'] : [];
        $this->cli(array_merge(['mariadb-install-db', '--no-defaults', "--datadir=$data", '--auth-root-authentication-method=normal', '--skip-test-db'], $user));
        $this->spawnDatabase();
        $db = $this->db();
        $db->query('CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci');
        $db->select_db('wordpress');
    }

    /**
     * Stops MariaDB (SIGTERM, by PID) and, unless $down, starts it again on the same datadir and
     * socket: the fault tests' "database restarted". Returns once it accepts connections.
     */
    public function restartDatabase(bool $down = false): void
    {
        $this->db?->close();
        $this->db = null;
        $this->kill('mariadb');
        @unlink("{$this->root}/mysql.sock");
        if (!$down) {
            $this->spawnDatabase();
            $this->db();
        }
    }

    private function spawnDatabase(): void
    {
        $data = $this->root . '/db';
        $user = posix_getuid() === 0 ? ['--user=root'] : [];
        $this->spawn('mariadb', array_merge([
            '/usr/sbin/mariadbd', '--no-defaults', "--datadir=$data", "--socket={$this->root}/mysql.sock",
            '--skip-networking', "--pid-file={$this->root}/mariadbd.pid", "--log-error={$this->root}/mariadb.err",
            '--innodb-buffer-pool-size=128M', '--innodb-flush-log-at-trx-commit=0', '--skip-log-bin',
        ], $user));
        for ($i = 0; $i < 300 && !file_exists("{$this->root}/mysql.sock"); $i++) {
            usleep(100000);
        }
    }

    public function db(): mysqli
    {
        if ($this->db === null) {
            mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
            for ($i = 0; ; $i++) {
                try {
                    $this->db = new mysqli('localhost', 'root', '', '', 0, "{$this->root}/mysql.sock");
                    $this->db->set_charset('utf8mb4'); // As wpdb talks: rows read here compare with what WordPress stored.
                    break;
                } catch (mysqli_sql_exception $e) {
                    if ($i > 100) {
                        throw new RuntimeException('MariaDB did not start: ' . @file_get_contents("{$this->root}/mariadb.err"));
                    }
                    usleep(100000);
                }
            }
        }
        return $this->db;
    }

    /** @return list<array<string, ?string>> */
    public function query(string $sql): array
    {
        $this->db()->select_db('wordpress');
        $r = $this->db()->query($sql);
        return $r === true ? [] : $r->fetch_all(MYSQLI_ASSOC);
    }

    private function buildSite(): void
    {
        $wp = Platform::unpacked('wordpress', $this->platform['wordpress']);
        $wc = Platform::unpacked('woocommerce', $this->platform['woocommerce']);
        mkdir($this->site . '/wp-content/plugins', 0755, true);
        mkdir($this->site . '/wp-content/uploads', 0755, true);
        // Core files that find wp-load.php through __DIR__ (the root scripts, wp-admin) are
        // copied, since PHP resolves symlinks in __DIR__; hard links where the filesystem
        // allows, so a site costs no space. wp-includes only loads from ABSPATH: a symlink.
        foreach (glob("$wp/*.php") as $file) {
            if (basename($file) !== 'wp-config.php') {
                copy($file, $this->site . '/' . basename($file));
            }
        }
        self::copyTree("$wp/wp-admin", $this->site . '/wp-admin');
        symlink("$wp/wp-includes", $this->site . '/wp-includes');
        self::copyTree("$wp/wp-content/themes", $this->site . '/wp-content/themes');
        // A classic theme beside the block themes: Twenty Twenty-One, which WordPress no longer
        // bundles; Debian packages it alone (wordpress-theme-twentytwentyone, no dependencies).
        if (is_dir('/usr/share/wordpress/wp-content/themes/twentytwentyone')) {
            self::copyTree('/usr/share/wordpress/wp-content/themes/twentytwentyone', $this->site . '/wp-content/themes/twentytwentyone');
        }
        self::copyTree($wc, $this->site . '/wp-content/plugins/woocommerce');
        if ($this->linkPlugin) {
            symlink($this->repo . '/plugin/aisle', $this->site . '/wp-content/plugins/aisle');
        }
        mkdir($this->site . '/wp-content/mu-plugins');
        foreach (glob(__DIR__ . '/mu-plugins/*.php') as $mu) {
            symlink($mu, $this->site . '/wp-content/mu-plugins/' . basename($mu));
        }
        $salts = '';
        foreach (['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT'] as $k) {
            $salts .= "define('$k', " . var_export(bin2hex(random_bytes(32)), true) . ");\n";
        }
        $extra = getenv('AISLE_WP_CONFIG_EXTRA') ?: '';
        // Tests run WP-Cron and Action Scheduler themselves, so a test sees exactly the jobs it
        // caused; the demo leaves both on, as on a real store.
        $queue = $this->manualQueue ? "define('DISABLE_WP_CRON', true);\ndefine('AISLE_TEST_MANUAL_QUEUE', true);" : '';
        file_put_contents($this->site . '/wp-config.php', <<<PHP
<?php
// Test site configuration, written by tests/wordpress/Harness.php.
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{$this->root}/mysql.sock');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
\$table_prefix = 'wp_';
$salts
define('WP_HOME', 'http://{$this->host}');
define('WP_SITEURL', 'http://{$this->host}');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('WP_CONTENT_URL', 'http://{$this->host}/wp-content');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '{$this->root}/debug.log');
define('WP_DEBUG_DISPLAY', false);
define('SCRIPT_DEBUG', false);
$queue
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WP_ENVIRONMENT_TYPE', 'local');
define('AISLE_TEST_MAIL_LOG', '{$this->root}/mail.ndjson');
$extra
// Tests add constants here while the site runs (e.g. the license server's address).
if (is_file(__DIR__ . '/test-config.php')) {
    require __DIR__ . '/test-config.php';
}
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP);
    }

    /** Serves the site with PHP's built-in server (4 workers); $withExtension false = a PHP without aisle. */
    public function startServer(string $name, string $host, bool $withExtension): void
    {
        $args = [PHP_BINARY];
        if ($withExtension) {
            $args[] = '-dextension=' . $this->ext;
        }
        $this->spawn($name, array_merge($args, ['-S', $host, '-t', $this->site]), ['PHP_CLI_SERVER_WORKERS' => '4']);
        for ($i = 0; $i < 100; $i++) {
            $s = @fsockopen(explode(':', $host)[0], (int) explode(':', $host)[1]);
            if ($s) {
                fclose($s);
                // It listens before it has forked all its workers: a server stopped before then
                // would leave the late ones running, unknown to terminate()'s list of children.
                $pid = proc_get_status($this->procs[$name])['pid'];
                for ($j = 0; $j < 60 && count(self::children($pid)) < 4; $j++) {
                    usleep(50000);
                }
                return;
            }
            usleep(50000);
        }
        throw new RuntimeException("php -S $host did not start");
    }

    public function stopServer(string $name): void
    {
        $this->kill($name);
    }

    private function spawn(string $name, array $cmd, array $env = []): void
    {
        $log = "{$this->root}/$name.log";
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env + getenv());
        if (!is_resource($proc)) {
            throw new RuntimeException("could not start $name");
        }
        $this->procs[$name] = $proc;
        file_put_contents("{$this->root}/$name.pid", (string) proc_get_status($proc)['pid']);
    }

    private function kill(string $name): void
    {
        if (!isset($this->procs[$name])) {
            return;
        }
        self::terminate(proc_get_status($this->procs[$name])['pid']);
        proc_close($this->procs[$name]);
        unset($this->procs[$name]);
        @unlink("{$this->root}/$name.pid");
    }

    /**
     * Ends a helper process a test started with proc_open (a fake server, `aisle-license serve`):
     * SIGTERM to it and its children, SIGKILL if they linger, then closes its pipes.
     */
    public static function endProcess($proc, array $pipes = []): void
    {
        if (!is_resource($proc)) {
            return;
        }
        self::terminate(proc_get_status($proc)['pid']);
        foreach ($pipes as $pipe) {
            if (is_resource($pipe)) {
                fclose($pipe);
            }
        }
        proc_close($proc);
    }

    /** PIDs whose parent is $pid (php -S forks its workers; they must go too). */
    public static function children(int $pid): array
    {
        $kids = [];
        foreach (glob('/proc/[0-9]*/stat') ?: [] as $stat) {
            $line = @file_get_contents($stat);
            // "pid (comm) state ppid …"; comm may contain spaces, so split after the last ')'.
            if ($line !== false && (int) explode(' ', substr($line, strrpos($line, ')') + 2))[1] === $pid) {
                $kids[] = (int) $line;
            }
        }
        return $kids;
    }

    /** SIGTERM to a process we started and to its children, SIGKILL after 10 s; waits for exit. */
    private static function terminate(int $pid): void
    {
        $all = array_merge(self::children($pid), [$pid]);
        foreach ($all as $p) {
            posix_kill($p, SIGTERM);
        }
        foreach ($all as $p) {
            for ($i = 0; $i < 200 && self::alive($p); $i++) {
                usleep(50000);
            }
            if (self::alive($p)) {
                posix_kill($p, SIGKILL);
            }
        }
    }

    /** Alive and not a zombie waiting for us to reap it. */
    private static function alive(int $pid): bool
    {
        $stat = @file_get_contents("/proc/$pid/stat");
        return $stat !== false && substr($stat, strrpos($stat, ')') + 2, 1) !== 'Z';
    }

    public function stop(bool $keepFiles = false): void
    {
        $this->db?->close();
        $this->db = null;
        foreach (array_reverse(array_keys($this->procs)) as $name) {
            $this->kill($name);
        }
        if (!$keepFiles) {
            self::removeTree($this->root);
        }
    }

    /** cp -al (hard links: instant, no space) where source and target share a filesystem, else cp -a. */
    public static function copyTree(string $from, string $to): void
    {
        exec('cp -al ' . escapeshellarg($from) . ' ' . escapeshellarg($to) . ' 2>/dev/null', $out, $rc);
        if ($rc !== 0) {
            self::removeTree($to);
            exec('cp -a ' . escapeshellarg($from) . ' ' . escapeshellarg($to), $out, $rc);
            if ($rc !== 0) {
                throw new RuntimeException("cp -a $from $to failed");
            }
        }
    }

    /** Runs a command to completion; throws with its output when it fails. */
    public function cli(array $cmd, ?string $stdin = null, array $env = []): string
    {
        $proc = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, $env + getenv());
        fwrite($pipes[0], (string) $stdin);
        fclose($pipes[0]);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        $rc = proc_close($proc);
        if ($rc !== 0) {
            // WordPress shows "a critical error" and logs the cause: name it with the failure.
            $log = is_file("{$this->root}/debug.log") ? preg_grep('/PHP (Fatal|Parse) error/', array_slice(file("{$this->root}/debug.log"), -200)) : [];
            throw new RuntimeException(implode(' ', $cmd) . " exited $rc:\n$out\n$err" . ($log ? "\ndebug.log:\n" . implode('', array_slice($log, -3)) : '') . $this->serverTail($cmd));
        }
        return $out . $err;
    }

    /**
     * For a browser script that failed: the web server's last requests, and those it accepted but
     * never answered (php -S names a request only once answered), so a timeout names what hung.
     */
    private function serverTail(array $cmd): string
    {
        $file = "{$this->root}/web.log";
        if (($cmd[0] ?? '') !== 'node' || !is_file($file)) {
            return '';
        }
        $lines = array_slice(file($file, FILE_IGNORE_NEW_LINES), -3000);
        $open = [];
        $done = [];
        foreach ($lines as $line) {
            if (preg_match('/ (\S+:\d+) Accepted$/', $line, $m)) {
                $open[$m[1]] = $line;
            } elseif (preg_match('/ (\S+:\d+) Closing$/', $line, $m)) {
                unset($open[$m[1]]);
            } elseif ($line !== '') {
                $done[] = $line;
            }
        }
        return "\nweb server, last requests:\n" . implode("\n", array_slice($done, -15))
            . ($open ? "\nweb server, accepted and not answered:\n" . implode("\n", $open) : '');
    }

    /** Evaluates PHP inside WordPress (a CLI request) and returns its JSON-decoded return value. */
    public function wp(string $code, bool $withExtension = true, array $env = []): mixed
    {
        $cmd = [PHP_BINARY];
        if ($withExtension) {
            $cmd[] = '-dextension=' . $this->ext;
        }
        $out = $this->cli(array_merge($cmd, [__DIR__ . '/bin/wp-eval.php', $this->site, $this->host]), $code, $env);
        $pos = strrpos($out, "\n@@AISLE_RESULT@@");
        if ($pos === false) {
            throw new RuntimeException("wp-eval printed no result:\n$out");
        }
        if (trim(substr($out, 0, $pos)) !== '') {
            throw new RuntimeException("wp-eval printed output:\n" . substr($out, 0, $pos));
        }
        $json = substr($out, $pos + strlen("\n@@AISLE_RESULT@@"));
        $result = json_decode($json, true);
        if ($result === null && trim($json) !== 'null') {
            // Something printed after the result: a shutdown hook's warning or fatal error.
            throw new RuntimeException("wp-eval printed after its result:\n$json");
        }
        return $result;
    }

    /** @return list<array{to: list<string>, subject: string, message: string, headers: mixed}> Mail the site sent. */
    public function mails(): array
    {
        $lines = @file("{$this->root}/mail.ndjson", FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) ?: [];
        return array_map(static fn (string $l): array => json_decode($l, true), $lines);
    }

    public function debugLog(): string
    {
        return (string) @file_get_contents("{$this->root}/debug.log");
    }

    public static function removeTree(string $path): void
    {
        if (is_link($path) || is_file($path)) {
            unlink($path);
            return;
        }
        if (!is_dir($path)) {
            return;
        }
        foreach (scandir($path) as $e) {
            if ($e !== '.' && $e !== '..') {
                self::removeTree("$path/$e");
            }
        }
        rmdir($path);
    }
}
