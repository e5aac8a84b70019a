"""Request cost as the work grows: CPU per call against history length and against the number of bound tools.

For our clients, each framework's floor and the peers, on chat completions and on
``/v1/responses``: the client process's CPU per call (best of shuffled rounds) for histories of
:data:`LENGTHS` messages with no tools, and for :data:`TOOL_COUNTS` tools over the shortest
history; the least-squares slopes give the cost per message and per tool.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from benchmarks.clients import CHAT_CALLERS, RESPONSES_CALLERS, Caller
from benchmarks.harness.heap import settle_heap
from benchmarks.harness.stats import best_cpu, calibrated, slope
from benchmarks.measures.common import Context
from benchmarks.workloads import history, request, tools

LENGTHS = (4, 16, 100, 400, 1600)
QUICK_LENGTHS = (4, 100, 1600)
TOOL_COUNTS = (0, 20, 100)
SAMPLE_SECONDS = 0.05
ROUNDS = 15
"""Rounds per point: a slope rests most on its end points, where one disturbed sample moves it most."""


def series(
    callers: Sequence[Caller], built: Mapping[str, Any], points: Sequence[int], workload: Any, ctx: Context
) -> dict[str, dict[str, float]]:
    """CPU microseconds per call of each caller at each point; ``workload(framework, x)`` gives (history, tools).

    Each sample is as many back-to-back calls as take about :data:`SAMPLE_SECONDS` (one in quick mode).
    Every round takes one sample of every caller at every point, in a new order: whatever state the
    process is in at one moment (the allocator after a long history, another load on the machine)
    falls on a few samples of several points, not on every sample of one point, which would tilt
    the slope. The rounds start once all the histories are built and settled out of the
    collector's walk (:func:`settle_heap`).
    """
    jobs: dict[tuple[str, int], Callable[[], Any]] = {}
    for x in points:
        for caller in callers:
            messages, bound = workload(caller.framework, x)
            jobs[caller.name, x] = request(caller.framework, built[caller.name], messages, bound)
    batch = {key: ctx.pick(1, calibrated(job, SAMPLE_SECONDS)) for key, job in jobs.items()}  # also warms
    settle_heap()
    out: dict[str, dict[str, float]] = {c.name: {} for c in callers}
    for (name, x), seconds in best_cpu(jobs, ctx.pick(1, ROUNDS), batch).items():
        out[name][str(x)] = seconds * 1e6
    return out


def growth(callers: Sequence[Caller], ctx: Context) -> dict[str, Any]:
    """CPU per call against history length and tool count, and the slopes per message and per tool."""
    built = {c.name: c.make(ctx.base_url) for c in callers}
    shortest = LENGTHS[0]
    messages = series(callers, built, ctx.pick(QUICK_LENGTHS, LENGTHS), lambda f, n: (history(f, n), []), ctx)
    with_tools = series(callers, built, TOOL_COUNTS, lambda f, n: (history(f, shortest), tools(f, n)), ctx)
    return {
        "floors": {c.name: c.floor for c in callers},
        "messages_us": messages,
        "tools_us": with_tools,
        "tools_history": shortest,
        "per_message_us": {name: slope({int(x): y for x, y in v.items()}) for name, v in messages.items()},
        "per_tool_us": {name: slope({int(x): y for x, y in v.items()}) for name, v in with_tools.items()},
    }


def measure(ctx: Context) -> dict[str, Any]:
    """``growth``: chat and ``/v1/responses``, each as :func:`growth` gives it."""
    return {"growth": {"chat": growth(CHAT_CALLERS, ctx), "responses": growth(RESPONSES_CALLERS, ctx)}}
