"""A streamed tool call with long arguments: about 50 KB of JSON in 10,000 pieces, CPU per chunk.

Every client of :data:`~benchmarks.clients.CLIENTS` consumes the loopback server's long
tool-call stream as its users do (LangChain: the chunks, each carrying its piece of the call;
llama-index: the last chunk, each carrying the call so far), interleaved, best of the rounds.
"""

from __future__ import annotations

from typing import Any

from benchmarks.clients import CLIENTS
from benchmarks.harness.server import LONG_TOOL_CALL, TOOL_CALL_PIECES
from benchmarks.measures.common import Context
from benchmarks.measures.per_chunk import cpu_per_chunk

CHUNKS = TOOL_CALL_PIECES + 3  # the call's first chunk, the finish chunk and the usage chunk


def long_tool_call_url(base_url: str) -> str:
    """The base URL under which the loopback server streams the long tool call."""
    root, _, version = base_url.rpartition("/")
    return f"{root}{LONG_TOOL_CALL}/{version}"


def measure(ctx: Context) -> dict[str, Any]:
    """``long_tool_call_us_per_chunk``: CPU microseconds per chunk, every client."""
    url = long_tool_call_url(ctx.base_url)
    built = {c.name: c.make(url) for c in CLIENTS}
    for client in CLIENTS:
        client.stream(built[client.name])
    return {"long_tool_call_us_per_chunk": cpu_per_chunk(CLIENTS, built, ctx.pick(1, 5), CHUNKS)}
