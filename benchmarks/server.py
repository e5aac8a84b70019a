"""A loopback server for benchmarks, in its own process, answering from pre-rendered bytes.

``POST /v1/chat/completions`` answers a DeepSeek-R1-style completion (reasoning,
answer, usage with reasoning and cached tokens), or, when the body asks for a
stream, an SSE stream of ``STREAM_CHUNKS`` chunks: the role, reasoning, then
content, a finish chunk and the usage chunk last. The server prints its port,
then stops by itself when idle for ``IDLE_SECONDS``, after ``LIFETIME_SECONDS``,
or when its parent process goes away.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time

STREAM_CHUNKS = 2000
IDLE_SECONDS = 60.0
LIFETIME_SECONDS = 1800.0
MODEL = "deepseek-ai/DeepSeek-R1"
USAGE = {
    "prompt_tokens": 1200,
    "completion_tokens": 2000,
    "total_tokens": 3200,
    "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 1000, "audio_tokens": 0},
}


def completion() -> bytes:
    """A non-streamed completion with reasoning and usage."""
    message = {
        "role": "assistant",
        "reasoning_content": "The user asks about UCloud. " * 20,
        "content": "UCloud is a neutral, secure and reliable cloud computing provider. " * 4,
    }
    body = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1763020876,
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": USAGE,
        "system_fingerprint": "",
    }
    return json.dumps(body).encode()


def stream(chunks: int = STREAM_CHUNKS) -> bytes:
    """An SSE stream: role, reasoning, content, finish, usage, ``[DONE]``."""
    base = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1763020876, "model": MODEL}

    def event(delta: dict[str, object] | None, finish: str | None = None, usage: object = None) -> bytes:
        choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
        return b"data: " + json.dumps({**base, "choices": choices, "usage": usage}).encode() + b"\n\n"

    half = chunks // 2
    events = [event({"role": "assistant", "content": ""})]
    events += [event({"reasoning_content": f"step {i} ", "content": None}) for i in range(half)]
    events += [event({"content": f"word{i} "}) for i in range(chunks - half)]
    events += [event({}, "stop"), event(None, usage=USAGE), b"data: [DONE]\n\n"]
    return b"".join(events)


def response(body: bytes, content_type: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type + b"\r\nContent-Length: " + str(len(body)).encode()
    return head + b"\r\nx-request-id: bench\r\n\r\n" + body


COMPLETION = response(completion(), b"application/json")
STREAM = response(stream(), b"text/event-stream")
MODELS = response(
    json.dumps({"object": "list", "data": [{"id": MODEL, "object": "model"}]}).encode(), b"application/json"
)


class Server:
    """Keeps the time of the last request, for the idle shutdown."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                self.last = time.monotonic()
                body = await reader.readexactly(content_length(head))
                writer.write(answer(head, body))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def watchdog(self, parent: int) -> None:
        started = time.monotonic()
        while True:
            await asyncio.sleep(1.0)
            now = time.monotonic()
            if now - self.last > IDLE_SECONDS or now - started > LIFETIME_SECONDS or os.getppid() != parent:
                return


def content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def answer(head: bytes, body: bytes) -> bytes:
    if head.startswith(b"GET"):
        return MODELS
    compact = body.replace(b" ", b"")
    return STREAM if b'"stream":true' in compact else COMPLETION


async def main() -> None:
    server = Server()
    listener = await asyncio.start_server(
        server.handle, "127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0, backlog=1024
    )
    print(listener.sockets[0].getsockname()[1], flush=True)
    await server.watchdog(os.getppid())
    listener.close()


if __name__ == "__main__":
    asyncio.run(main())
