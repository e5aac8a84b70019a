"""200 concurrent async calls: shuffled bursts, bursts from the same pool state, and over the SDK's aiohttp backend."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from benchmarks.clients import AIOHTTP_CLIENTS, CLIENTS, LANGCHAIN_FLOOR, LLAMAINDEX_FLOOR, Client
from benchmarks.harness.stats import trials
from benchmarks.measures.common import Context, summarize

BURST = 200  # concurrent async calls per burst


def concurrent(
    loop: asyncio.AbstractEventLoop, calls: int, cpu: dict[str, list[float]]
) -> Callable[[Client, Any], float]:
    """Seconds per burst of ``calls`` concurrent async calls; each burst's CPU seconds per call go to ``cpu``."""

    def run(client: Client, instance: Any) -> float:
        async def burst() -> float:
            started = time.perf_counter()
            await asyncio.gather(*(client.acall(instance) for _ in range(calls)))
            return time.perf_counter() - started

        cpu_started = time.process_time()
        seconds = loop.run_until_complete(burst())
        cpu.setdefault(client.name, []).append((time.process_time() - cpu_started) / calls)
        return seconds

    return run


def fresh_bursts(ctx: Context, calls: int) -> Callable[[Client, Any], float]:
    """Seconds per burst of ``calls`` concurrent async calls, each on a client built for it.

    The client makes one call first, so every burst starts with one pooled connection,
    whatever the bursts before it left; it is closed afterwards.
    """

    def run(client: Client, _instance: Any) -> float:
        assert client.aclose is not None
        instance = client.make(ctx.base_url)
        ctx.loop.run_until_complete(client.acall(instance))
        seconds = concurrent(ctx.loop, calls, {})(client, instance)
        ctx.loop.run_until_complete(client.aclose(instance))
        return seconds

    return run


def aiohttp_bursts(ctx: Context, calls: int, rounds: int) -> dict[str, list[float]]:
    """Bursts of our clients over the SDK's aiohttp backend, shuffled with the floors' bursts over httpx."""
    floors = [c for c in CLIENTS if c.name in (LANGCHAIN_FLOOR, LLAMAINDEX_FLOOR)]
    over = {c.name: c.make(ctx.base_url) for c in AIOHTTP_CLIENTS}
    try:
        for client in AIOHTTP_CLIENTS:  # opens each aiohttp session on the run's loop
            ctx.loop.run_until_complete(client.acall(over[client.name]))
        return trials([*floors, *AIOHTTP_CLIENTS], ctx.built | over, rounds, concurrent(ctx.loop, calls, {}))
    finally:
        for client in AIOHTTP_CLIENTS:
            assert client.aclose is not None
            ctx.loop.run_until_complete(client.aclose(over[client.name]))


def measure(ctx: Context) -> dict[str, Any]:
    """``concurrent`` (shuffled bursts), ``concurrent_cpu_us``, ``concurrent_fresh``, ``concurrent_aiohttp``."""
    rounds = ctx.pick(ctx.rounds, 21)  # connection churn makes bursts noisy: more rounds
    burst_cpu: dict[str, list[float]] = {}
    shuffled = summarize(trials(CLIENTS, ctx.built, rounds, concurrent(ctx.loop, BURST, burst_cpu)))
    fresh = [c for c in CLIENTS if c.aclose]
    return {
        "concurrent": shuffled,
        "concurrent_cpu_us": {name: min(values) * 1e6 for name, values in burst_cpu.items()},
        "concurrent_fresh": trials(fresh, ctx.built, rounds, fresh_bursts(ctx, BURST)),
        "concurrent_aiohttp": aiohttp_bursts(ctx, BURST, rounds),
    }
