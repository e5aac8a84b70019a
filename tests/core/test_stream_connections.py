"""Streams over a keep-alive server: a finished async stream leaves its connection to the pool."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from modelverse_core import Message, ModelverseParams

CHUNK = {"id": "c", "model": "deepseek-ai/DeepSeek-R1", "choices": [{"index": 0, "delta": {"content": "hi"}}]}
FINISH = {
    "id": "c",
    "model": "deepseek-ai/DeepSeek-R1",
    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
}
BODY = b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in (CHUNK, FINISH)) + b"data: [DONE]\n\n"


class KeepAliveServer:
    """Answers every request with the same SSE body, chunked, and keeps the connection open."""

    def __init__(self) -> None:
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                await reader.readexactly(length)
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                )
                writer.write(b"%x\r\n%s\r\n" % (len(BODY), BODY))
                await writer.drain()
                writer.write(b"0\r\n\r\n")  # the end of the body, in a write of its own after [DONE]
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def server() -> AsyncIterator[tuple[KeepAliveServer, str]]:
    state = KeepAliveServer()
    listener = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    async with listener:
        yield state, f"http://127.0.0.1:{port}/v1"


async def test_successive_async_streams_share_one_connection(server: tuple[KeepAliveServer, str]) -> None:
    state, base_url = server
    params = ModelverseParams(model="deepseek-ai/DeepSeek-R1", api_key="sk-test", base_url=base_url)
    client = params._mv_client_for_settings()
    for _ in range(3):
        stream = client.aopen(params._mv_prepare([Message("user", "hi")], stream=True))
        assert "".join([d.content async for d in stream]) == "hi"
        assert stream.result().finish_reason == "stop"
    await client.aclose()
    assert state.connections == 1
