"""Resident memory of one client in a fresh interpreter: growth over many calls, or the peak of one large request.

``python -m benchmarks.fresh.memory growth NAME BASE_URL CALLS``: the resident memory gained
over ``CALLS`` calls after 200 warm-up calls. ``python -m benchmarks.fresh.memory history NAME
BASE_URL LENGTH``: the peak resident memory above the resting one while the client sends a
history of ``LENGTH`` messages (warmed up by a 4-message one). ``python -m
benchmarks.fresh.memory stream NAME BASE_URL``: the same while it consumes one stream from
``BASE_URL``. Prints bytes, as JSON.
"""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from typing import Any

from benchmarks.clients import CHAT_CALLERS, CLIENTS
from benchmarks.harness.heap import peak, reset_peak, rss
from benchmarks.workloads import history, request


def growth(name: str, base_url: str, calls: str) -> int:
    """Resident memory gained over ``calls`` calls."""
    client = next(c for c in CLIENTS if c.name == name)
    instance = client.make(base_url)
    for _ in range(200):
        client.call(instance)
    gc.collect()
    before = rss()
    for _ in range(int(calls)):
        client.call(instance)
    gc.collect()
    return rss() - before


def peak_above_rest(warm: Callable[[], Any], work: Callable[[], Any]) -> int:
    """The peak resident memory during ``work`` above the resident memory before it, after ``warm``."""
    warm()
    gc.collect()
    before = rss()
    reset_peak()
    work()
    return peak() - before


def long_history(name: str, base_url: str, length: str) -> int:
    """Peak memory of one request with a history of ``length`` messages."""
    caller = next(c for c in CHAT_CALLERS if c.name == name)
    model, messages = caller.make(base_url), history(caller.framework, int(length))
    warm = request(caller.framework, model, history(caller.framework, 4), [])
    return peak_above_rest(warm, request(caller.framework, model, messages, []))


def stream(name: str, base_url: str) -> int:
    """Peak memory of consuming one stream."""
    client = next(c for c in CLIENTS if c.name == name)
    instance = client.make(base_url)
    return peak_above_rest(lambda: client.stream(instance), lambda: client.stream(instance))


if __name__ == "__main__":
    kind, *args = sys.argv[1:]
    programs: dict[str, Callable[..., int]] = {"growth": growth, "history": long_history, "stream": stream}
    print(json.dumps(programs[kind](*args)))
