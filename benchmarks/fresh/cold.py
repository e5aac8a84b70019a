"""Cold start: import, construct and first call of one client, or a framework's imports alone.

``python -m benchmarks.fresh.cold DEPTH client NAME BASE_URL`` or
``python -m benchmarks.fresh.cold DEPTH floor MODULE...`` prints the seconds from this
module's first line to the end, the work done ``DEPTH`` frames down the stack.

openai 2.x imports aiohttp at its own import when the ``openai[aiohttp]`` extra's
``httpx_aiohttp`` is installed (about 95 ms), as the benchmark's environment has it for the
aiohttp bursts. Cold starts are measured as users without the extra start: this interpreter
refuses ``httpx_aiohttp``, and the SDK falls back as it does when it is absent.
"""

import time

started = time.perf_counter()

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402

sys.modules["httpx_aiohttp"] = None  # type: ignore[assignment]


def at_depth(depth: int, work: Callable[[], None]) -> None:
    """Run ``work`` ``depth`` frames further down the stack."""
    if depth:
        return at_depth(depth - 1, work)
    return work()


def client(name: str, base_url: str) -> None:
    """Import, construct and call the client named ``name``."""
    from benchmarks.clients import CLIENTS

    chosen = next(c for c in CLIENTS if c.name == name)
    chosen.call(chosen.make(base_url))


def floor(*modules: str) -> None:
    """Import ``modules`` (after :mod:`benchmarks.clients`, which every client's cold start imports too)."""
    importlib.import_module("benchmarks.clients")
    for module in modules:
        importlib.import_module(module)


if __name__ == "__main__":
    depth, kind, *args = sys.argv[1:]
    at_depth(int(depth), lambda: client(*args) if kind == "client" else floor(*args))
    print(json.dumps(time.perf_counter() - started))
