"""Resident memory, each client in its own fresh interpreter: growth over many calls, peaks of large work.

Peaks: a request with a history of :data:`PEAK_HISTORY` messages, and a 10,000-chunk stream
(the long tool call), ours against the peers' and the floors'.
"""

from __future__ import annotations

from typing import Any

from benchmarks.clients import CHAT_CALLERS, CLIENTS
from benchmarks.harness.fresh import run_fresh
from benchmarks.measures.common import Context
from benchmarks.measures.long_arguments import long_tool_call_url

PEAK_HISTORY = 1600


def measure(ctx: Context) -> dict[str, Any]:
    """``memory_growth_bytes`` over ``memory_calls`` calls; ``peak_rss_bytes`` of the long history and stream."""
    calls = ctx.pick(1000, 10_000)
    long_stream = long_tool_call_url(ctx.base_url)
    return {
        "memory_growth_bytes": {c.name: run_fresh("memory", "growth", c.name, ctx.base_url, calls)[0] for c in CLIENTS},
        "memory_calls": calls,
        "peak_rss_bytes": {
            "history": {
                c.name: run_fresh("memory", "history", c.name, ctx.base_url, PEAK_HISTORY)[0] for c in CHAT_CALLERS
            },
            "history_length": PEAK_HISTORY,
            "stream": {c.name: run_fresh("memory", "stream", c.name, long_stream)[0] for c in CLIENTS},
        },
    }
