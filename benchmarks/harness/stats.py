"""Statistics and trial scheduling: quartiles, shuffled rounds, best-of CPU, slopes, burst modes."""

from __future__ import annotations

import gc
import random
import statistics
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from functools import partial
from typing import Any, Protocol, TypeVar

K = TypeVar("K", bound=Hashable)
"""What names a job: a client's name, or a client and a point."""

SLOW = 1.5  # a burst slower than this many times the client's fastest was in httpcore's slow pool mode


class Named(Protocol):
    """Anything measured under a name."""

    name: str


def quartiles(values: Sequence[float]) -> dict[str, float]:
    """Median and interquartile range (a single value is its own three quartiles)."""
    q1, median, q3 = statistics.quantiles(values, n=4) if len(values) > 1 else (values[0],) * 3
    return {"median": median, "q1": q1, "q3": q3}


def shuffled_rounds(jobs: Mapping[K, Callable[[], float]], rounds: int) -> dict[K, list[float]]:
    """Run every job once per round, in a fresh random order each round."""
    samples: dict[K, list[float]] = {name: [] for name in jobs}
    order = list(jobs)
    for _ in range(rounds):
        random.shuffle(order)
        for name in order:
            samples[name].append(jobs[name]())
    return samples


def trials(
    clients: Sequence[Named], built: Mapping[str, Any], rounds: int, run: Callable[[Any, Any], float]
) -> dict[str, list[float]]:
    """Run ``run(client, instance)`` for every client, interleaved and shuffled."""
    return shuffled_rounds({c.name: partial(run, c, built[c.name]) for c in clients}, rounds)


def batched(operation: Callable[[Any], Callable[[Any], Any]], batch: int) -> Callable[[Any, Any], float]:
    """Wall-clock seconds per operation over ``batch`` back-to-back operations."""

    def run(client: Any, instance: Any) -> float:
        act = operation(client)
        started = time.perf_counter()
        for _ in range(batch):
            act(instance)
        return (time.perf_counter() - started) / batch

    return run


def cpu_seconds(act: Callable[[], Any], batch: int = 1) -> float:
    """This process's CPU seconds per call of ``act`` over ``batch`` back-to-back calls."""
    started = time.process_time()
    for _ in range(batch):
        act()
    return (time.process_time() - started) / batch


def collected_cpu_seconds(act: Callable[[], Any], batch: int = 1) -> float:
    """:func:`cpu_seconds`, once the collector has taken (untimed) what the samples before left behind.

    A llama-index call with tools leaves thousands of objects in reference cycles (the tools'
    schema models); whatever the collector has not reached when its sample ends would
    otherwise be collected, and timed, in the next sample, whoever's it is. A sample's own
    garbage is collected during it, every few hundred allocations.
    """
    gc.collect()
    return cpu_seconds(act, batch)


def best_cpu(jobs: Mapping[K, Callable[[], Any]], rounds: int, batch: int | Mapping[K, int] = 1) -> dict[K, float]:
    """Best-of-rounds CPU seconds per call of each job, interleaved in a new order each round.

    CPU time of this process only: other load on the machine and the server's own work count
    far less than in wall-clock figures, and the best round is the one least disturbed. Each
    sample starts from a collected heap (:func:`collected_cpu_seconds`).
    ``batch`` is how many back-to-back calls make one sample, for every job or per job.
    """
    sizes = {name: batch if isinstance(batch, int) else batch[name] for name in jobs}
    samples = shuffled_rounds(
        {name: partial(collected_cpu_seconds, act, sizes[name]) for name, act in jobs.items()}, rounds
    )
    return {name: min(values) for name, values in samples.items()}


def calibrated(act: Callable[[], Any], budget: float) -> int:
    """How many back-to-back calls of ``act`` take about ``budget`` CPU seconds (at least 1).

    One call warms up (lazy imports, schemas, the connection), the next is timed.
    """
    act()
    return max(1, round(budget / max(cpu_seconds(act), 1e-6)))


def slope(points: Mapping[int, float]) -> float:
    """The least-squares slope of ``y`` over ``x`` (cost per unit: per message, per tool)."""
    xs, ys = list(points), list(points.values())
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread if spread else 0.0


def fast_bursts(samples: Sequence[float]) -> list[float]:
    """The bursts that took at most :data:`SLOW` times the client's fastest; the others were in the pool's slow mode."""
    best = min(samples)
    return [value for value in samples if value <= SLOW * best]


def slow_bursts(samples: Sequence[float]) -> int:
    """How many bursts were in the pool's slow mode."""
    return len(samples) - len(fast_bursts(samples))


def fast_median(samples: Sequence[float]) -> float:
    """The median of the bursts that were not in the pool's slow mode."""
    return statistics.median(fast_bursts(samples))
