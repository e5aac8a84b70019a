"""The 2000-chunk chat stream per client, and the ``/v1/responses`` and ``/v1/completions`` streams of our clients.

Wall clock per stream (3 back to back), and the client process's CPU time per chunk, each
against its framework's floor over the same endpoint.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from benchmarks.clients import CLIENTS, STREAMERS
from benchmarks.harness.heap import settle_heap
from benchmarks.harness.stats import batched, trials
from benchmarks.measures.common import Context, against_floors, summarize
from benchmarks.measures.per_chunk import cpu_per_chunk


def endpoint_streams(ctx: Context) -> dict[str, Any]:
    """The ``/v1/responses`` and ``/v1/completions`` streams: wall clock, CPU per chunk, what was surfaced."""
    built = {s.name: s.make(ctx.base_url) for s in STREAMERS}
    seen = {s.name: asdict(s.stream(built[s.name])) for s in STREAMERS}  # also warms connections up
    settle_heap()
    return {
        "stream": against_floors(trials(STREAMERS, built, ctx.rounds, batched(lambda s: s.stream, 3))),
        "cpu_per_chunk_us": cpu_per_chunk(STREAMERS, built, ctx.rounds),
        "surfaced": seen,
    }


def measure(ctx: Context) -> dict[str, Any]:
    """``stream``, ``cpu_per_chunk_us`` (chat), and ``endpoints`` (the other two endpoints' streams)."""
    return {
        "stream": summarize(trials(CLIENTS, ctx.built, ctx.rounds, batched(lambda c: c.stream, 3))),
        "cpu_per_chunk_us": cpu_per_chunk(CLIENTS, ctx.built, ctx.rounds),
        "endpoints": endpoint_streams(ctx),
    }
