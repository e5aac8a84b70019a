"""One non-streamed call per client (wall clock, 100 back to back), and what each surfaced."""

from __future__ import annotations

from typing import Any

from benchmarks.clients import CLIENTS
from benchmarks.harness.stats import batched, trials
from benchmarks.measures.common import Context, summarize, surfaced


def measure(ctx: Context) -> dict[str, Any]:
    """``call``: seconds per call against the raw SDK and the floors; ``surfaced``: reasoning and usage seen."""
    return {
        "call": summarize(trials(CLIENTS, ctx.built, ctx.rounds, batched(lambda c: c.call, 100))),
        "surfaced": surfaced(CLIENTS, ctx.built),
    }
