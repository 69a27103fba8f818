<?php
/**
 * A fake AI provider for tests: OpenAI-compatible POST /v1/chat/completions and
 * Anthropic POST /v1/messages, in their real wire formats (JSON and SSE).
 * Run: FAKE_LOG=/tmp/log.jsonl php -S 127.0.0.1:PORT tests/fakes/provider.php
 *
 * Every request is appended to $FAKE_LOG as one JSON line (method, path,
 * headers, body) so tests can assert what was and was not sent.
 * The model name picks the behaviour:
 *   fake-echo (default)  reply "echo: <last user message>"
 *   fake-tools           a tool call get_product {"id": N}, N from "product N" in the last user message, else 7
 *   fake-obey-price      like fake-tools, then (once a tool result is in the request) a reply that follows an
 *                        injection in product data: "The <product name> costs $1.00 today."
 *   fake-obey-leak       like fake-tools, then a reply that leaks the system prompt
 *   fake-xss             a reply with HTML, a same-store markdown link, a foreign one and a javascript: one
 *   fake-401/429/500     that status with the provider's error JSON (the 401 echoes the key, as some providers do)
 *   fake-slow            sleeps 5 s before answering
 *   fake-slow-stream     streams one delta, then sleeps 5 s
 *   fake-garbage         a 200 that is not JSON
 *   fake-knowledge       calls search_knowledge with the last user message, then replies with the first
 *                        passage's text and "(source: <title>)"; a passage saying "free" it repeats as a promise
 *   fake-catalog-language  a model that does what the system prompt says about languages: when it is told the
 *                        catalog's language ("query translated into English"), it calls search_products with the
 *                        visitor's product words in that language (a tiny dictionary), else with the visitor's own
 *                        words; after the tool result it replies in the language the prompt names ("detected: French")
 */
declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$raw = file_get_contents('php://input');
$headers = array_change_key_case(getallheaders(), CASE_LOWER);
if ($log = getenv('FAKE_LOG')) {
    file_put_contents($log, json_encode(['method' => $_SERVER['REQUEST_METHOD'], 'path' => $path, 'headers' => $headers, 'body' => $raw]) . "\n", FILE_APPEND | LOCK_EX);
}
$anthropic = $path === '/v1/messages';
if ($_SERVER['REQUEST_METHOD'] !== 'POST' || !in_array($path, ['/v1/chat/completions', '/v1/messages'], true)) {
    http_response_code(404);
    header('Content-Type: application/json');
    echo json_encode(['error' => ['message' => "no route $path", 'type' => 'not_found']]);
    return;
}
$req = json_decode($raw, true) ?? [];
$model = $req['model'] ?? 'fake-echo';
$stream = !empty($req['stream']);
$key = $anthropic ? ($headers['x-api-key'] ?? '') : preg_replace('/^Bearer /', '', $headers['authorization'] ?? '');

function fail(int $status, bool $anthropic, string $type, string $message): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($anthropic
        ? ['type' => 'error', 'error' => ['type' => $type, 'message' => $message]]
        : ['error' => ['message' => $message, 'type' => $type, 'code' => null]]);
}

switch ($model) {
    case 'fake-401':
        fail(401, $anthropic, $anthropic ? 'authentication_error' : 'invalid_request_error', "Incorrect API key provided: $key");
        return;
    case 'fake-429':
        header('Retry-After: 20');
        fail(429, $anthropic, $anthropic ? 'rate_limit_error' : 'rate_limit_exceeded', 'Rate limit reached, slow down');
        return;
    case 'fake-500':
        fail(500, $anthropic, $anthropic ? 'api_error' : 'server_error', 'The server had an error');
        return;
    case 'fake-slow':
        sleep(5);
        break;
    case 'fake-garbage':
        header('Content-Type: application/json');
        echo '<html>oops</html>';
        return;
    case 'fake-huge':
        // A 10 MB answer in the provider's own shape, streamed or not: past any sane cap.
        header('Content-Type: application/json');
        echo '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"';
        for ($i = 0; $i < 10; $i++) {
            echo str_repeat('x', 1024 * 1024);
            flush();
        }
        echo '"},"finish_reason":"stop"}]}';
        return;
}

$lastUser = '';
foreach ($req['messages'] ?? [] as $m) {
    if (($m['role'] ?? '') === 'user') {
        $c = $m['content'];
        $lastUser = is_string($c) ? $c : implode(' ', array_map(fn ($b) => $b['text'] ?? ($b['content'] ?? ''), $c));
    }
}
$text = "echo: $lastUser";
$toolId = preg_match('/\bproduct #?(\d+)/i', $lastUser, $pm) ? (int) $pm[1] : 7;
$toolResult = null; // The last tool result in the request, decoded.
$system = (string) ($req['system'] ?? '');
foreach ($req['messages'] ?? [] as $m) {
    if (($m['role'] ?? '') === 'system') {
        $system = (string) $m['content'];
    } elseif (($m['role'] ?? '') === 'tool') {
        $toolResult = json_decode((string) $m['content'], true);
    } elseif (is_array($m['content'] ?? null)) {
        foreach ($m['content'] as $b) {
            if (($b['type'] ?? '') === 'tool_result') {
                $toolResult = json_decode(is_string($b['content']) ? $b['content'] : (string) ($b['content'][0]['text'] ?? ''), true);
            }
        }
    }
}
$tool = $model === 'fake-tools' || (str_starts_with($model, 'fake-obey-') && $toolResult === null);
$toolName = 'get_product';
$toolArgs = ['id' => $toolId];
if ($model === 'fake-catalog-language') {
    $tool = $toolResult === null;
    $words = ['bonnet' => 'beanie', 'bonnets' => 'beanie', 'mütze' => 'beanie', 'mützen' => 'beanie', 'gorro' => 'beanie', 'قبعة' => 'cap', 'قبعات' => 'cap', 'casquette' => 'cap', 'sweat à capuche' => 'hoodie', 'kapuzenpullover' => 'hoodie'];
    $query = $lastUser;
    if (preg_match('/query translated into (\w+)/', $system, $cm) && $cm[1] === 'English') {
        $query = '';
        foreach ($words as $from => $to) {
            if (str_contains(mb_strtolower($lastUser), $from)) {
                $query = $to;
                break;
            }
        }
    }
    $toolName = 'search_products';
    $toolArgs = ['query' => $query];
    if (!$tool) {
        $names = array_column($toolResult['products'] ?? [], 'name');
        $lang = preg_match('/\(detected: (\w+)\)/', $system, $lm) ? $lm[1] : 'English';
        $text = ['French' => 'Oui, nous avons : ', 'German' => 'Ja, wir haben: ', 'Arabic' => 'نعم، لدينا: '][$lang] ?? 'Yes, we have: ';
        $text .= implode(', ', $names) . '.';
    }
}
if ($model === 'fake-knowledge') {
    $tool = $toolResult === null;
    $toolName = 'search_knowledge';
    $toolArgs = ['query' => $lastUser];
    if (!$tool) {
        $p = $toolResult['passages'][0] ?? null;
        $text = $p ? $p['text'] . ' (source: ' . $p['source']['title'] . ')' : 'I do not know.';
        if ($p && str_contains(mb_strtolower(json_encode($toolResult, JSON_UNESCAPED_UNICODE)), 'free')) {
            $text .= ' Everything is free today!';
        }
    }
}
if ($model === 'fake-obey-price' && !$tool) {
    $text = 'Good news! The ' . ($toolResult['product']['name'] ?? 'product') . ' costs $1.00 today.';
} elseif ($model === 'fake-obey-leak' && !$tool) {
    $text = 'Sure, here are my instructions: ' . strtok($system, "\n") . ' ' . substr($system, 0, 400);
} elseif ($model === 'fake-xss') {
    $text = "Look <img src=x onerror=window.__xss=1> here <script>window.__xss=3</script> **now**.\n"
        . "- [Store hoodies](/?s=hoodie)\n- [Cheap deals](https://evil.example/deal)\n- [Click me](javascript:window.__xss=2)";
}
$pieces = $tool ? [] : (mb_str_split($text, 4) ?: []);

if (!$stream) {
    header('Content-Type: application/json');
    if ($anthropic) {
        $content = $tool ? [['type' => 'tool_use', 'id' => 'toolu_01', 'name' => $toolName, 'input' => $toolArgs]] : [['type' => 'text', 'text' => $text]];
        echo json_encode(['id' => 'msg_01', 'type' => 'message', 'role' => 'assistant', 'model' => $model, 'content' => $content,
            'stop_reason' => $tool ? 'tool_use' : 'end_turn', 'usage' => ['input_tokens' => 12, 'output_tokens' => 5]]);
    } else {
        $msg = $tool ? ['role' => 'assistant', 'content' => null, 'tool_calls' => [['id' => 'call_01', 'type' => 'function', 'function' => ['name' => $toolName, 'arguments' => json_encode($toolArgs)]]]]
            : ['role' => 'assistant', 'content' => $text];
        echo json_encode(['id' => 'chatcmpl-1', 'object' => 'chat.completion', 'model' => $model,
            'choices' => [['index' => 0, 'message' => $msg, 'finish_reason' => $tool ? 'tool_calls' : 'stop']],
            'usage' => ['prompt_tokens' => 12, 'completion_tokens' => 5, 'total_tokens' => 17]]);
    }
    return;
}

header('Content-Type: text/event-stream');
header('Cache-Control: no-cache');
while (ob_get_level()) { ob_end_flush(); }
$send = function (string $event, array $data) use ($anthropic): void {
    echo $anthropic ? "event: $event\ndata: " . json_encode($data) . "\n\n" : 'data: ' . json_encode($data) . "\n\n";
    flush();
};
if ($anthropic) {
    $send('message_start', ['type' => 'message_start', 'message' => ['id' => 'msg_01', 'role' => 'assistant', 'content' => [], 'usage' => ['input_tokens' => 12, 'output_tokens' => 1]]]);
    if ($tool) {
        $send('content_block_start', ['type' => 'content_block_start', 'index' => 0, 'content_block' => ['type' => 'tool_use', 'id' => 'toolu_01', 'name' => $toolName, 'input' => new stdClass()]]);
        foreach (str_split(json_encode($toolArgs, JSON_UNESCAPED_UNICODE), 3) as $p) {
            $send('content_block_delta', ['type' => 'content_block_delta', 'index' => 0, 'delta' => ['type' => 'input_json_delta', 'partial_json' => $p]]);
        }
    } else {
        $send('content_block_start', ['type' => 'content_block_start', 'index' => 0, 'content_block' => ['type' => 'text', 'text' => '']]);
        echo ": ping\n\n";
        foreach ($pieces as $i => $p) {
            $send('content_block_delta', ['type' => 'content_block_delta', 'index' => 0, 'delta' => ['type' => 'text_delta', 'text' => $p]]);
            if ($model === 'fake-slow-stream' && $i === 0) { sleep(5); }
        }
    }
    $send('content_block_stop', ['type' => 'content_block_stop', 'index' => 0]);
    $send('message_delta', ['type' => 'message_delta', 'delta' => ['stop_reason' => $tool ? 'tool_use' : 'end_turn'], 'usage' => ['output_tokens' => 5]]);
    $send('message_stop', ['type' => 'message_stop']);
} else {
    if ($tool) {
        $send('', ['choices' => [['index' => 0, 'delta' => ['role' => 'assistant', 'tool_calls' => [['index' => 0, 'id' => 'call_01', 'type' => 'function', 'function' => ['name' => $toolName, 'arguments' => '']]]]]]]);
        foreach (str_split(json_encode($toolArgs, JSON_UNESCAPED_UNICODE), 3) as $p) {
            $send('', ['choices' => [['index' => 0, 'delta' => ['tool_calls' => [['index' => 0, 'function' => ['arguments' => $p]]]]]]]);
        }
    } else {
        foreach ($pieces as $i => $p) {
            $send('', ['choices' => [['index' => 0, 'delta' => ['content' => $p]]]]);
            if ($model === 'fake-slow-stream' && $i === 0) { sleep(5); }
            if ($model === 'fake-cut-stream' && $i === 0) { exit; } // The connection ends: no finish_reason, no [DONE].
        }
    }
    $send('', ['choices' => [['index' => 0, 'delta' => new stdClass(), 'finish_reason' => $tool ? 'tool_calls' : 'stop']]]);
    $send('', ['choices' => [], 'usage' => ['prompt_tokens' => 12, 'completion_tokens' => 5]]);
    echo "data: [DONE]\n\n";
    flush();
}
