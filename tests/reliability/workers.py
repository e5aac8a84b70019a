"""What worker processes run: module-level, so a spawned process imports it by name."""

from __future__ import annotations

import os
from typing import Any

from tests.reliability.drivers import Driver

_barrier: Any = None


def wait_at(barrier: Any) -> None:
    """Pool initializer: every task waits at ``barrier`` after its call, so each worker takes one."""
    global _barrier
    _barrier = barrier


def call(driver: Driver, model: Any, text: str) -> tuple[int, str]:
    """Call ``model`` (unpickled in this process) and say which process answered."""
    answer = driver.call(model, text)
    if _barrier is not None:
        _barrier.wait(timeout=60)
    return os.getpid(), answer
