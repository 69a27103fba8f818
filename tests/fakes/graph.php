<?php
/**
 * A fake Meta Graph API for tests, in its real wire format: WhatsApp Cloud API
 * POST /{version}/{phone_number_id}/messages and Messenger/Instagram POST /{version}/{page_id|me}/messages.
 * Run: FAKE_DIR=/tmp/dir FAKE_GRAPH_TOKEN=EAAG… php -S 127.0.0.1:PORT tests/fakes/graph.php
 *
 * Every request is appended to $FAKE_DIR/log.jsonl (method, path, headers, body).
 * A bearer token other than $FAKE_GRAPH_TOKEN gets Graph's 401 OAuthException (code 190).
 * Malformed bodies get Graph's 400 (#100) errors, as the real API answers them.
 * Scripted failures: POST /_fake/fail with {"responses":[{"status":429},{"status":500}]} makes the next
 * sends answer those statuses (with Graph's error bodies) in order; POST /_fake/reset clears log and script.
 */
declare(strict_types=1);

$dir = (string) getenv('FAKE_DIR');
$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$raw = (string) file_get_contents('php://input');
$headers = array_change_key_case(getallheaders(), CASE_LOWER);
header('Content-Type: application/json; charset=UTF-8');

if ($path === '/_fake/reset') {
    @unlink("$dir/log.jsonl");
    @unlink("$dir/script.json");
    echo '{}';
    return;
}
if ($path === '/_fake/fail') {
    $queue = json_decode($raw, true)['responses'] ?? [];
    file_put_contents("$dir/script.json", json_encode($queue), LOCK_EX);
    echo '{}';
    return;
}
file_put_contents("$dir/log.jsonl", json_encode(['method' => $_SERVER['REQUEST_METHOD'], 'path' => $path, 'headers' => $headers, 'body' => $raw]) . "\n", FILE_APPEND | LOCK_EX);

function graph_error(int $status, int $code, string $type, string $message): void
{
    http_response_code($status);
    echo json_encode(['error' => ['message' => $message, 'type' => $type, 'code' => $code, 'fbtrace_id' => 'A' . bin2hex(random_bytes(8))]]);
}

if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !preg_match('~^/(v\d+\.\d+)/([A-Za-z0-9_]+)/messages$~', $path, $m)) {
    graph_error(400, 100, 'GraphMethodException', "Unsupported request - method type: " . strtolower($_SERVER['REQUEST_METHOD']) . " $path");
    return;
}
$token = preg_replace('/^Bearer /', '', $headers['authorization'] ?? '');
if ($token === '' || !hash_equals((string) getenv('FAKE_GRAPH_TOKEN'), $token)) {
    graph_error(401, 190, 'OAuthException', 'Error validating access token: Session has expired on Tuesday, 01-Dec-26 10:00:00 PST.');
    return;
}
// Scripted failures, one per send, in order.
$script = is_file("$dir/script.json") ? (array) json_decode((string) file_get_contents("$dir/script.json"), true) : [];
if ($script) {
    $next = array_shift($script);
    file_put_contents("$dir/script.json", json_encode($script), LOCK_EX);
    $status = (int) ($next['status'] ?? 500);
    match (true) {
        $status === 429 => graph_error(429, 130429, 'OAuthException', '(#130429) Rate limit hit'),
        $status === 403 => graph_error(403, 10, 'OAuthException', '(#10) This message is sent outside of allowed window.'),
        $status >= 500 => graph_error($status, 2, 'OAuthException', 'An unexpected error has occurred. Please retry your request later.'),
        default => graph_error($status, (int) ($next['code'] ?? 100), 'OAuthException', (string) ($next['message'] ?? '(#100) Invalid parameter')),
    };
    return;
}
$req = json_decode($raw, true);
if (!is_array($req)) {
    graph_error(400, 100, 'OAuthException', '(#100) The parameter messaging_product is required.');
    return;
}
if (isset($req['messaging_product'])) { // WhatsApp Cloud API
    $body = $req['text']['body'] ?? null;
    if ($req['messaging_product'] !== 'whatsapp' || ($req['type'] ?? 'text') !== 'text' || !is_string($req['to'] ?? null) || !is_string($body) || $body === '') {
        graph_error(400, 100, 'OAuthException', '(#100) Invalid parameter');
        return;
    }
    if (mb_strlen($body) > 4096) {
        graph_error(400, 100, 'OAuthException', '(#100) Param text[body] must be at most 4096 characters long.');
        return;
    }
    echo json_encode([
        'messaging_product' => 'whatsapp',
        'contacts' => [['input' => $req['to'], 'wa_id' => $req['to']]],
        'messages' => [['id' => 'wamid.' . strtoupper(bin2hex(random_bytes(12)))]],
    ]);
    return;
}
$text = $req['message']['text'] ?? null;
$recipient = $req['recipient']['id'] ?? null;
if (!is_string($recipient) || !is_string($text) || $text === '' || !in_array($req['messaging_type'] ?? '', ['RESPONSE', 'UPDATE', 'MESSAGE_TAG'], true)) {
    graph_error(400, 100, 'OAuthException', '(#100) param recipient must be non-empty.');
    return;
}
if (mb_strlen($text) > 2000) {
    graph_error(400, 100, 'OAuthException', '(#100) Length of param message[text] must be less than or equal to 2000');
    return;
}
echo json_encode(['recipient_id' => $recipient, 'message_id' => 'm_' . bin2hex(random_bytes(16))]);
