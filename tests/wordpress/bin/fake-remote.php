<?php
/**
 * A fake hosted backend for the remote-sync test: an HTTPS server on loopback (its own
 * self-signed certificate, so WordPress verifies TLS for real) that appends every request
 * to DIR/requests.ndjson. While DIR/fail holds a number N > 0 it answers N requests with 503
 * (decrementing it), to exercise retries. Prints "listening on HOST:PORT"; stops on SIGTERM.
 *
 * Usage: php fake-remote.php DIR CERT.pem KEY.pem
 */
declare(strict_types=1);

[$self, $dir, $cert, $key] = $argv;
$ctx = stream_context_create(['ssl' => ['local_cert' => $cert, 'local_pk' => $key, 'verify_peer' => false]]);
$server = stream_socket_server('tls://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
if (!$server) {
    fwrite(STDERR, "cannot listen: $errstr\n");
    exit(1);
}
echo 'listening on ' . stream_socket_get_name($server, false) . "\n";
flush();
pcntl_async_signals(true);
pcntl_signal(SIGTERM, static fn () => exit(0));

while (true) {
    $conn = @stream_socket_accept($server, 3600);
    if (!$conn) {
        continue; // A failed TLS handshake (or a timeout): wait for the next client.
    }
    stream_set_timeout($conn, 10);
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && ($chunk = fgets($conn)) !== false) {
        $head .= $chunk;
    }
    [$request] = explode("\r\n", $head);
    $headers = [];
    foreach (array_slice(explode("\r\n", trim($head)), 1) as $line) {
        [$name, $value] = array_map('trim', explode(':', $line, 2) + [1 => '']);
        $headers[strtolower($name)] = $value;
    }
    $body = '';
    $length = (int) ($headers['content-length'] ?? 0);
    while (strlen($body) < $length && !feof($conn)) {
        $body .= fread($conn, $length - strlen($body));
    }
    $fail = (int) @file_get_contents("$dir/fail");
    $status = $fail > 0 ? 503 : 200;
    if ($fail > 0) {
        file_put_contents("$dir/fail", (string) ($fail - 1));
    }
    file_put_contents("$dir/requests.ndjson", json_encode(['request' => $request, 'headers' => $headers, 'body' => $body, 'status' => $status]) . "\n", FILE_APPEND);
    $answer = $status === 200 ? '{"ok":true}' : '{"error":"unavailable"}';
    fwrite($conn, "HTTP/1.1 $status X\r\nContent-Type: application/json\r\nContent-Length: " . strlen($answer) . "\r\nConnection: close\r\n\r\n$answer");
    fclose($conn);
}
