#!/usr/bin/env python3
"""A fake OpenAI-compatible provider for make bench-load: POST /v1/chat/completions in the real
wire format (JSON, or SSE with "data: [DONE]"), answering with a real provider's pacing: the
first token after FIRST_MS, then a chunk every CHUNK_MS. asyncio, so hundreds of concurrent
calls cost it nothing (a php -S fake would queue them and measure itself, not Aisle).

Usage: load_provider.py PORT [FIRST_MS=400] [CHUNK_MS=40]  (stops on SIGTERM)
"""
import asyncio
import json
import signal
import sys

PORT = int(sys.argv[1])
FIRST = (int(sys.argv[2]) if len(sys.argv) > 2 else 400) / 1000
CHUNK = (int(sys.argv[3]) if len(sys.argv) > 3 else 40) / 1000
REPLY = "We have warm cotton hoodies in blue and red. The blue one is in stock. Anything else I can help with?"


async def handle(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            try:
                req = json.loads(body or b"{}")
            except ValueError:
                req = {}
            if not lines[0].startswith("POST /v1/chat/completions"):
                msg = b'{"error":{"message":"no such route","type":"not_found"}}'
                writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(msg), msg))
                await writer.drain()
                continue
            pieces = [REPLY[i:i + 8] for i in range(0, len(REPLY), 8)]
            await asyncio.sleep(FIRST)
            if not req.get("stream"):
                await asyncio.sleep(CHUNK * len(pieces))
                msg = json.dumps({"id": "chatcmpl-load", "object": "chat.completion", "model": req.get("model", "load"),
                                  "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}, "finish_reason": "stop"}],
                                  "usage": {"prompt_tokens": 300, "completion_tokens": 25, "total_tokens": 325}}).encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(msg), msg))
                await writer.drain()
                continue
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n")

            def event(data):
                raw = b"data: " + (data if isinstance(data, bytes) else json.dumps(data).encode()) + b"\n\n"
                writer.write(b"%x\r\n%s\r\n" % (len(raw), raw))

            for p in pieces:
                event({"choices": [{"index": 0, "delta": {"content": p}}]})
                await writer.drain()
                await asyncio.sleep(CHUNK)
            event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            event({"choices": [], "usage": {"prompt_tokens": 300, "completion_tokens": 25}})
            event(b"[DONE]")
            writer.write(b"0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", PORT, backlog=1024)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


asyncio.run(main())
