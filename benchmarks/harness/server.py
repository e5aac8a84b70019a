"""A loopback server for benchmarks, in its own process, answering from pre-rendered bytes.

``POST /v1/chat/completions`` answers a DeepSeek-R1-style completion (reasoning,
answer, usage with reasoning and cached tokens), or, when the body asks for a
stream, an SSE stream of ``STREAM_CHUNKS`` chunks: the role, reasoning, then
content, a finish chunk and the usage chunk last. ``POST /v1/responses`` streams the
same answer as typed Responses-API events (reasoning text deltas, then output text
deltas, ``response.completed`` with the usage), and ``POST /v1/completions`` as
``text_completion`` chunks (``choices[0].text``, then the finish and usage chunks), both
``STREAM_CHUNKS`` deltas long, in the shapes the test stand-in sends; without ``"stream": true``,
``/v1/responses`` answers one Responses-API object with a reasoning item and a message. A chat
stream asked under the path prefix :data:`LONG_TOOL_CALL` (a base URL of
``http://127.0.0.1:<port>/long-tool-call/v1``) is one tool call whose arguments (about 50 KB)
come in :data:`TOOL_CALL_PIECES` pieces. Request bodies are read and never parsed beyond that. The
server prints its port, then stops by itself when idle for ``IDLE_SECONDS``, after
``LIFETIME_SECONDS``, or when its parent process goes away. :func:`serving` runs it for a block.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STREAM_CHUNKS = 2000
# Safety nets for a server its parent did not stop; the parent's exit stops it too. A measure may
# go minutes without a request (the no-network ones, on a busy machine), and a full run can pass half an hour.
IDLE_SECONDS = 900.0
LIFETIME_SECONDS = 4 * 3600.0
MODEL = "deepseek-ai/DeepSeek-R1"
LONG_TOOL_CALL = "/long-tool-call"  # the path prefix that asks for the long tool-call stream
TOOL_CALL_PIECES = 10_000
TOOL_CALL_BYTES = 50_000
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


def typed(kind: str, sequence: int, **data: object) -> bytes:
    payload = {"type": kind, "sequence_number": sequence, **data}
    return f"event: {kind}\ndata: ".encode() + json.dumps(payload).encode() + b"\n\n"


def responses_stream(chunks: int = STREAM_CHUNKS) -> bytes:
    """Typed events: created, reasoning text deltas, output text deltas, done events, completed."""
    half = chunks // 2
    reasoning = [f"step {i} " for i in range(half)]
    words = [f"word{i} " for i in range(chunks - half)]
    reasoning_item = {"type": "reasoning", "id": "rs_bench", "summary": []}
    message = {"type": "message", "id": "msg_bench", "status": "in_progress", "role": "assistant", "content": []}
    text = "".join(words)
    part = {"type": "output_text", "text": text, "annotations": []}
    output = [
        {**reasoning_item, "content": [{"type": "reasoning_text", "text": "".join(reasoning)}]},
        {**message, "status": "completed", "content": [part]},
    ]
    start = {
        "id": "resp_bench",
        "object": "response",
        "created_at": 1763020876,
        "status": "in_progress",
        "model": MODEL,
        "output": [],
        "usage": None,
    }
    usage = {
        "input_tokens": USAGE["prompt_tokens"],
        "input_tokens_details": {"cached_tokens": 1024},
        "output_tokens": USAGE["completion_tokens"],
        "output_tokens_details": {"reasoning_tokens": 1000},
        "total_tokens": USAGE["total_tokens"],
    }
    final = {**start, "status": "completed", "output": output, "usage": usage}
    kinds: list[tuple[str, dict[str, object]]] = [("response.created", {"response": start})]
    kinds.append(("response.in_progress", {"response": start}))
    kinds.append(("response.output_item.added", {"output_index": 0, "item": {**reasoning_item, "content": []}}))
    where = {"output_index": 0, "item_id": "rs_bench", "content_index": 0}
    kinds += [("response.reasoning_text.delta", {**where, "delta": piece}) for piece in reasoning]
    kinds.append(("response.reasoning_text.done", {**where, "text": "".join(reasoning)}))
    kinds.append(("response.output_item.done", {"output_index": 0, "item": output[0]}))
    kinds.append(("response.output_item.added", {"output_index": 1, "item": message}))
    where = {"output_index": 1, "item_id": "msg_bench", "content_index": 0}
    kinds.append(("response.content_part.added", {**where, "part": {**part, "text": ""}}))
    kinds += [("response.output_text.delta", {**where, "delta": piece}) for piece in words]
    kinds.append(("response.output_text.done", {**where, "text": text}))
    kinds.append(("response.output_item.done", {"output_index": 1, "item": output[1]}))
    kinds.append(("response.completed", {"response": final}))
    return b"".join(typed(kind, sequence, **data) for sequence, (kind, data) in enumerate(kinds))


def completions_stream(chunks: int = STREAM_CHUNKS) -> bytes:
    """``text_completion`` chunks: the text pieces, the finish chunk, the usage chunk, ``[DONE]``."""
    base = {"id": "cmpl-bench", "object": "text_completion", "created": 1763020876, "model": MODEL}
    usage = {key: USAGE[key] for key in ("prompt_tokens", "completion_tokens", "total_tokens")}

    def event(text: str | None, finish: str | None = None) -> bytes:
        choices = [] if text is None else [{"index": 0, "text": text, "logprobs": None, "finish_reason": finish}]
        data = {**base, "choices": choices, "usage": usage if text is None else None}
        return b"data: " + json.dumps(data).encode() + b"\n\n"

    events = [event(f"word{i} ") for i in range(chunks)]
    events += [event("", "stop"), event(None), b"data: [DONE]\n\n"]
    return b"".join(events)


def tool_call_stream(pieces: int = TOOL_CALL_PIECES, size: int = TOOL_CALL_BYTES) -> bytes:
    """One streamed tool call: its name and id, then its JSON arguments (one long string) in ``pieces`` deltas."""
    base = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1763020876, "model": MODEL}

    def event(delta: dict[str, object] | None, finish: str | None = None, usage: object = None) -> bytes:
        choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
        return b"data: " + json.dumps({**base, "choices": choices, "usage": usage}).encode() + b"\n\n"

    arguments = json.dumps({"text": ("lorem ipsum " * (size // 12 + 1))[:size]})
    cuts = [i * len(arguments) // pieces for i in range(pieces + 1)]
    call = {"index": 0, "id": "call_bench", "type": "function", "function": {"name": "write", "arguments": ""}}
    events = [event({"role": "assistant", "content": None, "tool_calls": [call]})]
    events += [
        event({"tool_calls": [{"index": 0, "function": {"arguments": arguments[start:end]}}]})
        for start, end in itertools.pairwise(cuts)
    ]
    events += [event({}, "tool_calls"), event(None, usage=USAGE), b"data: [DONE]\n\n"]
    return b"".join(events)


def responses_answer() -> bytes:
    """A non-streamed ``/v1/responses`` answer: a reasoning item, a message, the usage."""
    body = {
        "id": "resp_bench",
        "object": "response",
        "created_at": 1763020876,
        "status": "completed",
        "model": MODEL,
        "output": [
            {
                "type": "reasoning",
                "id": "rs_bench",
                "summary": [],
                "content": [{"type": "reasoning_text", "text": "The user asks about UCloud. " * 20}],
            },
            {
                "type": "message",
                "id": "msg_bench",
                "status": "completed",
                "role": "assistant",
                "content": [
                    {
                        "type": "output_text",
                        "text": "UCloud is a neutral, secure and reliable cloud computing provider. " * 4,
                        "annotations": [],
                    }
                ],
            },
        ],
        "usage": {
            "input_tokens": USAGE["prompt_tokens"],
            "input_tokens_details": {"cached_tokens": 1024},
            "output_tokens": USAGE["completion_tokens"],
            "output_tokens_details": {"reasoning_tokens": 1000},
            "total_tokens": USAGE["total_tokens"],
        },
    }
    return json.dumps(body).encode()


def response(body: bytes, content_type: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type + b"\r\nContent-Length: " + str(len(body)).encode()
    return head + b"\r\nx-request-id: bench\r\n\r\n" + body


COMPLETION = response(completion(), b"application/json")
STREAM = response(stream(), b"text/event-stream")
RESPONSES_STREAM = response(responses_stream(), b"text/event-stream")
COMPLETIONS_STREAM = response(completions_stream(), b"text/event-stream")
TOOL_CALL_STREAM = response(tool_call_stream(), b"text/event-stream")
RESPONSES_ANSWER = response(responses_answer(), b"application/json")
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
    streamed = b'"stream":true' in body.replace(b" ", b"")
    if head.startswith(b"POST /v1/responses"):
        return RESPONSES_STREAM if streamed else RESPONSES_ANSWER
    if head.startswith(b"POST /v1/completions"):
        return COMPLETIONS_STREAM
    if not streamed:
        return COMPLETION
    return TOOL_CALL_STREAM if head.startswith(b"POST " + LONG_TOOL_CALL.encode()) else STREAM


async def main() -> None:
    server = Server()
    listener = await asyncio.start_server(
        server.handle, "127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0, backlog=1024
    )
    print(listener.sockets[0].getsockname()[1], flush=True)
    await server.watchdog(os.getppid())
    listener.close()


@contextmanager
def serving() -> Iterator[str]:
    """Run the server in its own process for the block; yields its base URL (``http://127.0.0.1:<port>/v1``)."""
    command = [sys.executable, "-m", "benchmarks.harness.server"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2])
    try:
        assert server.stdout is not None
        yield f"http://127.0.0.1:{server.stdout.readline().strip()}/v1"
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    asyncio.run(main())
