#!/usr/bin/env python3
"""The load generator of make bench-load (Python standard library only): N concurrent sessions on
loopback, each on its own keep-alive connection like a browser tab, for a bounded time and a
bounded number of requests. Prints one JSON object: latencies (ms), status counts, and for chat
the sessions and how many 200s each got (so the caller can check every answer was stored).
"messages": each session sends one chat, then reads its conversation back (GET chat/messages with
the token of that reply) for the rest of the run; only the reads are timed.

Usage: load_gen.py '{"port": 8080, "kind": "chat|chat_stream|messages|get", "concurrency": 50,
                     "duration": 10, "think_ms": 500, "paths": ["/"], "messages": ["hello"],
                     "max_requests": 20000, "timeout": 60}'
"""
import asyncio
import json
import sys
import time
import uuid

cfg = json.loads(sys.argv[1])
HOST = "127.0.0.1"
PORT = int(cfg["port"])
KIND = cfg["kind"]
N = int(cfg["concurrency"])
DURATION = float(cfg["duration"])
THINK = float(cfg.get("think_ms", 0)) / 1000
PATHS = cfg.get("paths") or ["/"]
MESSAGES = cfg.get("messages") or ["hello"]
MAX = int(cfg.get("max_requests", 20000))
TIMEOUT = float(cfg.get("timeout", 60))

latencies, statuses, sessions, retry_after_missing = [], {}, {}, [0]
sent = [0]


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for l in lines[1:]:
        if ":" in l:
            k, v = l.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            chunk = await reader.readexactly(size + 2)
            if size == 0:
                break
            body += chunk[:-2]
    else:
        body = await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers, body


async def session(i, deadline):
    await asyncio.sleep((i % 50) * 0.02)  # Sessions arrive over a second, not in one instant.
    sid = str(uuid.uuid4())
    reader = writer = None
    n = 0
    token = None
    while time.monotonic() < deadline and sent[0] < MAX:
        sent[0] += 1
        reading = KIND == "messages" and token is not None
        if reading:
            # The widget reading its conversation back (the handoff's poll), with the token of the first reply.
            path = f"/wp-json/aisle/v1/chat/messages?session_id={sid}&after=0"
            req = (f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUser-Agent: aisle-bench-load\r\n"
                   f"X-Aisle-Session-Token: {token}\r\n\r\n").encode()
        elif KIND == "get":
            path = PATHS[(i + n) % len(PATHS)]
            req = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUser-Agent: aisle-bench-load\r\nAccept: text/html,application/json\r\n\r\n".encode()
        else:
            body = json.dumps({"session_id": sid, "message": MESSAGES[(i + n) % len(MESSAGES)], "page_url": ""}).encode()
            path = "/wp-json/aisle/v1/chat" + ("?stream=1" if KIND == "chat_stream" else "")
            req = (f"POST {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUser-Agent: aisle-bench-load\r\nContent-Type: application/json\r\n"
                   f"Origin: http://{HOST}:{PORT}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        n += 1
        t0 = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, PORT, limit=1 << 24), TIMEOUT)
            writer.write(req)
            status, headers, body = await asyncio.wait_for(read_response(reader), TIMEOUT)
            if headers.get("connection", "").lower() == "close":
                writer.close()
                writer = None
        except (asyncio.TimeoutError, ConnectionError, asyncio.IncompleteReadError, OSError, ValueError, IndexError) as e:
            status = "timeout" if isinstance(e, asyncio.TimeoutError) else "conn_error"
            if writer is not None:
                writer.close()
            writer = None
        ms = (time.monotonic() - t0) * 1000
        statuses[str(status)] = statuses.get(str(status), 0) + 1
        if KIND == "messages" and not reading:
            # The session's first message, which hands out the token: a chat, not a read.
            if status == 200:
                sessions[sid] = sessions.get(sid, 0) + 1
                try:
                    token = json.loads(body)["conversation"]["token"]
                except (ValueError, KeyError, TypeError):
                    statuses["no_token"] = statuses.get("no_token", 0) + 1
                    break
            else:
                statuses["first_chat_" + str(status)] = statuses.get("first_chat_" + str(status), 0) + 1
            if THINK:
                await asyncio.sleep(THINK)
            continue
        if status == 200:
            latencies.append(ms)
            if KIND in ("chat", "chat_stream"):
                ok = KIND == "chat" or b"event: done" in body
                if ok:
                    sessions[sid] = sessions.get(sid, 0) + 1
        elif status == 429 and "retry-after" not in headers:
            retry_after_missing[0] += 1
        if THINK:
            await asyncio.sleep(THINK)
    if writer is not None:
        writer.close()


async def main():
    start = time.monotonic()
    deadline = start + DURATION
    await asyncio.gather(*(session(i, deadline) for i in range(N)))
    return time.monotonic() - start


elapsed = asyncio.run(main())
latencies.sort()


def pct(p):
    return round(latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))], 1) if latencies else None


print(json.dumps({"kind": KIND, "concurrency": N, "elapsed_s": round(elapsed, 2), "requests": sum(statuses.values()),
                  "ok": len(latencies), "throughput_rps": round(len(latencies) / elapsed, 1), "p50_ms": pct(50), "p95_ms": pct(95),
                  "p99_ms": pct(99), "statuses": statuses, "retry_after_missing": retry_after_missing[0], "sessions": sessions}))
