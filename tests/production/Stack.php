<?php
/**
 * The production stack for the tests and the load benchmark: the Harness's real WordPress +
 * WooCommerce site and private MariaDB, served the way stores run it — nginx (page cache:
 * fastcgi_cache for storefront HTML, stale allowed) in front of PHP-FPM 8.2 (pm = dynamic, the
 * extension loaded by its own ini in that pool's scan dir) — with Redis behind a persistent
 * object cache drop-in (object-cache.php, php-redis) and a db-error.php drop-in (503 +
 * Retry-After while the database is away). All on loopback, in one temp folder, every process
 * stopped by its PID in stop().
 *
 * startNode() adds another web node, as a second machine behind a load balancer has: its own
 * nginx on its own port and its own PHP-FPM master (pool, socket, PID file, the extension by its
 * ini), on the same MariaDB, Redis, WordPress tree and uploads folder (shared storage), with its
 * own local catalog index folder (AISLE_INDEX_DIR, from the pool's env[AISLE_NODE_INDEX_DIR]).
 */

declare(strict_types=1);

require_once dirname(__DIR__) . '/wordpress/Harness.php';

final class Stack
{
    public Harness $h;
    public string $root;
    public string $url;
    public int $port;
    public int $redisPort;
    /** @var array<string, resource> */
    private array $procs = [];
    /** @var array<string, array{url: string, port: int, root: string, index_dir: string}> the extra web nodes, by name */
    public array $nodes = [];

    /**
     * @param int $workers pm.max_children of the FPM pool
     * @param int $maxRequests pm.max_requests: workers are recycled during load, as on a store
     */
    public function __construct(public int $workers = 8, public int $maxRequests = 500, ?string $root = null)
    {
        $this->port      = Harness::freePort();
        $this->redisPort = Harness::freePort();
        $this->root      = $root ?? sys_get_temp_dir() . '/aisle-prod-' . getmypid();
        $this->url       = "http://127.0.0.1:{$this->port}";
    }

    public function start(array $plugins = ['woocommerce/woocommerce.php', 'aisle/aisle.php']): void
    {
        foreach (['nginx', 'php-fpm8.2', 'redis-server'] as $bin) {
            if (!is_executable("/usr/sbin/$bin") && !is_executable("/usr/bin/$bin")) {
                throw new RuntimeException("$bin is missing: scripts/install-deps.sh production");
            }
        }
        if (!extension_loaded('redis')) {
            throw new RuntimeException('php-redis is missing: scripts/install-deps.sh production');
        }
        // wp-config.php gets the Redis address; the drop-ins read it.
        putenv("AISLE_WP_CONFIG_EXTRA=define('AISLE_REDIS_HOST', '127.0.0.1');\ndefine('AISLE_REDIS_PORT', {$this->redisPort});\ndefine('WP_CACHE_KEY_SALT', 'aisle-prod');\n"
            // A web node's local index folder comes from its FPM pool's environment (startNode()).
            . "if (getenv('AISLE_NODE_INDEX_DIR')) { define('AISLE_INDEX_DIR', getenv('AISLE_NODE_INDEX_DIR')); }");
        $this->h = new Harness($this->root . '/wp', $this->port);
        $this->h->start($plugins);
        putenv('AISLE_WP_CONFIG_EXTRA');
        $this->h->stopServer('web'); // The Harness's php -S; nginx takes its port.
        $this->endStrayWorkers();
        mkdir($this->root . '/nginx/cache', 0700, true);
        $this->startRedis();
        foreach (['object-cache.php', 'db-error.php'] as $dropin) {
            symlink(__DIR__ . "/$dropin", $this->h->site . "/wp-content/$dropin");
        }
        symlink(__DIR__ . '/mu-plugins/stack-probe.php', $this->h->site . '/wp-content/mu-plugins/stack-probe.php');
        $this->startFpm();
        $this->startNginx();
    }

    public function startRedis(): void
    {
        $this->spawn('redis', ['redis-server', '--bind', '127.0.0.1', '--port', (string) $this->redisPort, '--save', '', '--appendonly', 'no',
            '--daemonize', 'no', '--dir', $this->root, '--maxmemory', '256mb', '--maxmemory-policy', 'allkeys-lru', '--protected-mode', 'yes']);
        $this->waitPort($this->redisPort, 'redis-server');
    }

    public function stopRedis(): void
    {
        $this->end('redis');
    }

    /**
     * Another web node on this stack's database, Redis and site files: its own PHP-FPM master
     * and nginx (port, page cache), and its own local index folder. Returns its URL.
     */
    public function startNode(string $name, ?string $indexDir = null): string
    {
        if (!preg_match('/^[a-z0-9]+$/', $name) || isset($this->nodes[$name])) {
            throw new InvalidArgumentException("node name '$name' is taken or not [a-z0-9]+");
        }
        $base = "{$this->root}/node-$name";
        $indexDir ??= "$base/index";
        @mkdir($indexDir, 0700, true);
        $port = Harness::freePort();
        $this->nodes[$name] = ['url' => "http://127.0.0.1:$port", 'port' => $port, 'root' => $base, 'index_dir' => $indexDir];
        @mkdir("$base/nginx/cache", 0700, true);
        $this->startFpm($name);
        $this->startNginx($name);
        return $this->nodes[$name]['url'];
    }

    /** Stops a node's nginx and PHP-FPM (by the PIDs it started); its files stay until stop(). */
    public function stopNode(string $name): void
    {
        $this->end("nginx-$name");
        $this->end("fpm-$name");
        unset($this->nodes[$name]);
    }

    /** The folder a node's FPM master, sockets and logs live in ('' = the stack's first node). */
    private function base(string $node): string
    {
        return $node === '' ? $this->root : $this->nodes[$node]['root'];
    }

    private static function proc(string $what, string $node): string
    {
        return $node === '' ? $what : "$what-$node";
    }

    private function startFpm(string $node = ''): void
    {
        $base = $this->base($node);
        $conf = $base . '/fpm';
        @mkdir("$conf/conf.d", 0700, true);
        // The extension's own ini, as the Debian package installs it for FPM.
        file_put_contents("$conf/conf.d/50-aisle.ini", "extension={$this->h->ext}\n");
        $user = posix_getpwuid(posix_geteuid())['name'];
        $group = posix_getgrgid(posix_getegid())['name'];
        $pool = self::proc('aisle', $node);
        $env = $node === '' ? '' : "env[AISLE_NODE_INDEX_DIR] = {$this->nodes[$node]['index_dir']}";
        file_put_contents("$conf/php-fpm.conf", <<<INI
[global]
pid = $base/fpm.pid
error_log = $base/fpm.log
daemonize = no
log_level = notice

[$pool]
user = $user
group = $group
listen = $base/fpm.sock
listen.mode = 0600
listen.backlog = 1024
pm = dynamic
pm.max_children = {$this->workers}
pm.start_servers = {$this->startServers()}
pm.min_spare_servers = 2
pm.max_spare_servers = {$this->workers}
pm.max_requests = {$this->maxRequests}
pm.status_path = /fpm-status
request_terminate_timeout = 120s
catch_workers_output = yes
php_admin_value[memory_limit] = 256M
php_admin_value[error_log] = $base/fpm-php.log
$env
INI);
        $cmd = ['php-fpm8.2', '--nodaemonize', '--fpm-config', "$conf/php-fpm.conf"];
        if (posix_geteuid() === 0) {
            $cmd[] = '--allow-to-run-as-root';
        }
        $this->spawn(self::proc('fpm', $node), $cmd, ['PHP_INI_SCAN_DIR' => "/etc/php/8.2/fpm/conf.d:$conf/conf.d"]);
        for ($i = 0; $i < 100 && !file_exists("$base/fpm.sock"); $i++) {
            usleep(50000);
        }
        if (!file_exists("$base/fpm.sock")) {
            throw new RuntimeException('php-fpm did not start: ' . @file_get_contents("$base/fpm.log"));
        }
    }

    /** Half the pool up front, as a store sizes it: a burst meets idle workers, not a cold pool. */
    private function startServers(): int
    {
        return max(2, intdiv($this->workers, 2));
    }

    private function startNginx(string $node = ''): void
    {
        $base = $this->base($node);
        $n = $base . '/nginx';
        $port = $node === '' ? $this->port : $this->nodes[$node]['port'];
        $user = posix_geteuid() === 0 ? 'user root root;' : '';
        // Debian's fastcgi_params, but HTTP_HOST keeps the port (WordPress's home URL has one;
        // without it every page redirects to itself). Built from $host, never the raw header.
        // Another node answers for the same site, as behind a load balancer: the site's host.
        $params = preg_replace('/^fastcgi_param\s+HTTP_HOST\s.*$/m', '', (string) file_get_contents('/etc/nginx/fastcgi_params'));
        $host = $node === '' ? '$host:$server_port' : $this->h->host;
        file_put_contents("$n/fastcgi_params", $params . "fastcgi_param  HTTP_HOST        $host;\n");
        file_put_contents("$n/nginx.conf", <<<CONF
$user
worker_processes 2;
pid $n/nginx.pid;
error_log $n/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $n/body;
    fastcgi_temp_path $n/fastcgi;
    proxy_temp_path $n/proxy;
    uwsgi_temp_path $n/uwsgi;
    scgi_temp_path $n/scgi;
    keepalive_requests 10000;
    # The page cache: storefront HTML for visitors without a session, served stale while it is
    # refreshed and while PHP or the database is down.
    fastcgi_cache_path $n/cache levels=1:2 keys_zone=aisle_pages:10m inactive=60m max_size=200m;
    upstream fpm { server unix:$base/fpm.sock; }
    server {
        listen 127.0.0.1:$port backlog=4096;
        server_name 127.0.0.1;
        root {$this->h->site};
        index index.php;
        client_max_body_size 8m;

        set \$skip_cache 0;
        if (\$request_method !~ ^(GET|HEAD)\$) { set \$skip_cache 1; }
        if (\$query_string != "") { set \$skip_cache 1; }
        if (\$request_uri ~* "^/(wp-admin|wp-login\.php|wp-json|wp-cron\.php|xmlrpc\.php|cart|checkout|my-account|fpm-status)") { set \$skip_cache 1; }
        if (\$http_cookie ~* "wordpress_logged_in_|wp-postpass_|woocommerce_items_in_cart|wp_woocommerce_session_|comment_author") { set \$skip_cache 1; }

        location = /fpm-status {
            allow 127.0.0.1; deny all;
            include $n/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root/fpm-status;
            fastcgi_param SCRIPT_NAME /fpm-status;
            fastcgi_pass fpm;
        }
        # Aisle's index and snapshot: Apache honours the .htaccess Aisle writes there, nginx needs this.
        location ^~ /wp-content/uploads/aisle/ { deny all; }
        location / { try_files \$uri \$uri/ /index.php?\$args; }
        location ~ \.php\$ {
            try_files \$uri =404;
            include $n/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_pass fpm;
            fastcgi_read_timeout 120s;
            fastcgi_cache aisle_pages;
            fastcgi_cache_key "\$scheme\$request_method\$host\$request_uri";
            fastcgi_cache_bypass \$skip_cache;
            fastcgi_no_cache \$skip_cache;
            fastcgi_cache_valid 200 301 302 10m;
            fastcgi_cache_use_stale error timeout updating invalid_header http_500 http_503;
            fastcgi_cache_background_update on;
            fastcgi_cache_lock on;
            fastcgi_ignore_headers Cache-Control Expires;
            add_header X-Cache \$upstream_cache_status always;
        }
    }
}
CONF);
        $this->spawn(self::proc('nginx', $node), ['nginx', '-p', "$n/", '-e', "$n/error.log", '-c', "$n/nginx.conf", '-g', 'daemon off;']);
        $this->waitPort($port, 'nginx', "$n/error.log");
    }

    /** Stops nginx, PHP-FPM, Redis, then the Harness (MariaDB): each by the PID it was started with. */
    public function stop(bool $keepFiles = false): void
    {
        foreach (array_reverse(array_keys($this->procs)) as $name) {
            $this->end($name);
        }
        if (isset($this->h)) {
            $this->h->stop(true);
        }
        if (!$keepFiles) {
            Harness::removeTree($this->root);
        }
    }

    /** PID of the FPM master this stack started (of node $node, '' = the first). */
    public function fpmMaster(string $node = ''): int
    {
        return proc_get_status($this->procs[self::proc('fpm', $node)])['pid'];
    }

    /** PIDs of the FPM pool's workers (children of our master). */
    public function fpmWorkers(string $node = ''): array
    {
        return self::children($this->fpmMaster($node));
    }

    /** The pool's status page (JSON): active/idle processes, listen queue, max children reached, per process with `full`. */
    public function fpmStatus(bool $full = false, string $node = ''): array
    {
        $raw = @file_get_contents(($node === '' ? $this->url : $this->nodes[$node]['url']) . '/fpm-status?json' . ($full ? '&full' : ''));
        return is_string($raw) ? (json_decode($raw, true) ?? []) : [];
    }

    /** Resident memory (kB) of each FPM worker, from /proc. */
    public function workerMemory(): array
    {
        $out = [];
        foreach ($this->fpmWorkers() as $pid) {
            if (preg_match('/^VmRSS:\s+(\d+) kB/m', (string) @file_get_contents("/proc/$pid/status"), $m)) {
                $out[$pid] = (int) $m[1];
            }
        }
        return $out;
    }

    /** PHP errors the FPM workers logged (outside WordPress's debug.log). */
    public function fpmPhpLog(string $node = ''): string
    {
        return (string) @file_get_contents($this->base($node) . '/fpm-php.log');
    }

    private function spawn(string $name, array $cmd, array $env = []): void
    {
        $log = "{$this->root}/$name.out";
        $proc = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env + getenv());
        if (!is_resource($proc)) {
            throw new RuntimeException("could not start $name");
        }
        $this->procs[$name] = $proc;
        file_put_contents("{$this->root}/$name.pid", (string) proc_get_status($proc)['pid']);
    }

    private function end(string $name): void
    {
        if (isset($this->procs[$name])) {
            Harness::endProcess($this->procs[$name]);
            unset($this->procs[$name]);
            @unlink("{$this->root}/$name.pid");
        }
    }

    /**
     * php -S forks its workers one by one after it listens; stopped right after start, it can
     * leave one it forked after its children were listed. Those serve this stack's own site
     * folder (unique to it): found by that, and ended by PID.
     */
    private function endStrayWorkers(): void
    {
        $needle = "-S\0127.0.0.1:{$this->port}\0-t\0{$this->h->site}\0";
        for ($round = 0; $round < 20; $round++) {
            $left = [];
            foreach (glob('/proc/[0-9]*/cmdline') ?: [] as $file) {
                if (str_contains((string) @file_get_contents($file), $needle)) {
                    $left[] = (int) basename(dirname($file));
                }
            }
            if (!$left) {
                return;
            }
            foreach ($left as $pid) {
                posix_kill($pid, $round < 10 ? SIGTERM : SIGKILL);
            }
            usleep(100000);
        }
    }

    private function waitPort(int $port, string $what, ?string $log = null): void
    {
        for ($i = 0; $i < 200; $i++) {
            $s = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.2);
            if ($s) {
                fclose($s);
                return;
            }
            usleep(50000);
        }
        throw new RuntimeException("$what did not listen on 127.0.0.1:$port: " . @file_get_contents($log ?? "{$this->root}/" . ($what === 'nginx' ? 'nginx/error.log' : 'redis.out')));
    }

    private static function children(int $pid): array
    {
        $kids = [];
        foreach (glob('/proc/[0-9]*/stat') ?: [] as $stat) {
            $line = @file_get_contents($stat);
            if ($line !== false && (int) explode(' ', substr($line, strrpos($line, ')') + 2))[1] === $pid) {
                $kids[] = (int) $line;
            }
        }
        return $kids;
    }
}
