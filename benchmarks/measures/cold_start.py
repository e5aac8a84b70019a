"""Cold start: import, construct and first call per client in a fresh interpreter, and each framework's import floor.

Each round runs everything at a different call depth. CPython 3.11 grows its frame stack in
16 KiB chunks and unmaps a chunk as soon as it empties, so an import whose hot loops sit on a
chunk boundary pays an mmap and munmap per call: thousands in one import (2,000 to 35,000
pairs for the same client, about 10 µs each), by the accident of where the caller's stack
ends within a chunk. The rounds' depths are spread evenly over one whole chunk
(:data:`CHUNK_DEPTH` frames of the child's ``at_depth``), so the median measures the packages
over every position of that boundary rather than over a few neighbouring ones. Wall clock and
CPU time of each fresh interpreter are both kept: on a busy machine the CPU time is the steadier.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from benchmarks.clients import CLIENTS, IMPORT_FLOORS
from benchmarks.harness.fresh import run_fresh
from benchmarks.harness.stats import shuffled_rounds
from benchmarks.measures.common import Context, summarize

# How many frames of the child's ``at_depth`` (136 bytes each on CPython 3.11) fill one 16 KiB chunk.
CHUNK_DEPTH = 16 * 1024 // 136


def cold_starts(base_url: str, rounds: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Wall-clock and CPU seconds of every client's cold start and every import floor, per round."""
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}

    def measured(label: str, *args: Any) -> float:
        seconds, spent = run_fresh("cold", *args)
        cpu.setdefault(label, []).append(spent)
        return float(seconds)

    for depth in (i * CHUNK_DEPTH // rounds for i in range(rounds)):
        jobs = {c.name: partial(measured, c.name, depth, "client", c.name, base_url) for c in CLIENTS}
        floors = {name: partial(measured, name, depth, "floor", *modules) for name, modules in IMPORT_FLOORS.items()}
        for name, values in shuffled_rounds(jobs | floors, 1).items():
            wall.setdefault(name, []).extend(values)
    return wall, cpu


def measure(ctx: Context) -> dict[str, Any]:
    """``cold_start`` and ``cold_start_cpu``: seconds, with ratios to the raw SDK."""
    wall, cpu = cold_starts(ctx.base_url, ctx.pick(1, 11))
    return {"cold_start": summarize(wall), "cold_start_cpu": summarize(cpu)}
