<?php
declare(strict_types=1);

/**
 * What the request benches (chat, channels) time the same way: the server's time for one request,
 * and percentiles of those times.
 */

/**
 * Milliseconds from the request sent to the first byte back, minus connect (loopback, keep-alive
 * off): the server's time, not the client's. Anything but 200 stops the bench.
 */
function timed(string $method, string $url, ?string $body, array $headers = []): float
{
    $ch = curl_init($url);
    curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_HTTPHEADER => array_merge(['Content-Type: application/json'], $headers)]);
    if ($body !== null) {
        curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
    }
    curl_exec($ch);
    $code = curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
    $t = curl_getinfo($ch, CURLINFO_STARTTRANSFER_TIME) - curl_getinfo($ch, CURLINFO_CONNECT_TIME);
    curl_close($ch);
    if ($code !== 200) {
        throw new RuntimeException("$method $url: HTTP $code");
    }
    return $t * 1000;
}

/** The p-th percentile (nearest rank below) of $v. */
function pct(array $v, float $p): float
{
    sort($v);
    return $v[(int) floor(($p / 100) * (count($v) - 1))];
}
