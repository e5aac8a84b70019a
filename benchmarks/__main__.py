"""``python -m benchmarks``: run the measures and write their results file.

Every client side by side in one run: one call, streams on every endpoint, concurrent calls,
the SDK's request path, cold start, memory, and the work that grows (history length, bound
tools, long tool-call arguments, agent steps), against the raw ``openai`` SDK, each framework's
floor and the peers. Trials interleave the clients in a new random order each time.
``--quick`` runs every measure on a small budget (minutes in all), to prove the harness works (its
figures are not results); ``--only`` runs some measures. Writes ``benchmarks/results/latest.json``
(``quick.json`` in quick mode); ``python -m benchmarks.report`` renders it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from benchmarks.harness.heap import compile_sources, settle_heap
from benchmarks.harness.results import header, path_for, write
from benchmarks.harness.server import serving
from benchmarks.measures import (
    agent_step,
    call,
    client_cpu,
    cold_start,
    concurrent,
    history,
    long_arguments,
    memory,
    request_path,
    stream,
)
from benchmarks.measures.common import Context

MEASURES: dict[str, Callable[[Context], dict[str, Any]]] = {
    "call": call.measure,
    "stream": stream.measure,
    "concurrent": concurrent.measure,
    "request_path": request_path.measure,
    "client_cpu": client_cpu.measure,
    "history": history.measure,
    "long_arguments": long_arguments.measure,
    "agent_step": agent_step.measure,
    "cold_start": cold_start.measure,
    "memory": memory.measure,
}


def run(names: list[str], quick: bool) -> dict[str, Any]:
    """Run the named measures against one loopback server; their results under one header."""
    report = header(quick)
    with serving() as base_url:
        ctx = Context(base_url=base_url, quick=quick)
        ctx.build()
        settle_heap()
        for name in names:
            print(f"{name} ...", flush=True)
            report |= MEASURES[name](ctx)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="every measure on a small budget (a smoke run)")
    parser.add_argument("--only", nargs="+", choices=list(MEASURES), default=list(MEASURES), metavar="MEASURE")
    args = parser.parse_args()
    compile_sources()
    path = write(run(args.only, args.quick), path_for(args.quick))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
