<?php
/**
 * A fake incoming webhook (Slack's wire format): POST with a JSON body {"text": "..."}; answers
 * 200 with the plain-text body "ok", or 400 "invalid_payload" when there is no text, as Slack does.
 * Run: FAKE_LOG=/tmp/hooks.jsonl php -S 127.0.0.1:PORT tests/fakes/webhook.php
 * Every request is appended to $FAKE_LOG as one JSON line (method, path, content type, body).
 */
declare(strict_types=1);

$raw = file_get_contents('php://input');
if ($log = getenv('FAKE_LOG')) {
    file_put_contents($log, json_encode(['method' => $_SERVER['REQUEST_METHOD'], 'path' => parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH), 'type' => $_SERVER['CONTENT_TYPE'] ?? '', 'body' => $raw]) . "\n", FILE_APPEND | LOCK_EX);
}
header('Content-Type: text/plain');
$body = json_decode((string) $raw, true);
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !is_array($body) || !is_string($body['text'] ?? null) || $body['text'] === '') {
    http_response_code(400);
    echo 'invalid_payload';
    return;
}
echo 'ok';
