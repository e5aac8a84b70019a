"""Client-side CPU of 200 concurrent async calls with no network: our clients against their floors.

Over the loopback server, a burst's time also depends on httpcore's pool: how many
connections it holds when the burst starts decides how many requests queue for how
few connections, and that moves best-of figures by about a tenth between runs. Here
each client's async HTTP client answers at once from an ``httpx.MockTransport`` with
the loopback server's completion bytes, so no pool and no server are involved: what is
left is each client's own CPU per call (framework, request building, the SDK, parsing).
``python -m benchmarks.measures.client_cpu`` prints it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks.clients import KEY, LANGCHAIN_FLOOR, LLAMAINDEX_FLOOR, MODEL, langchain_acall, llamaindex_acall
from benchmarks.harness.server import completion
from benchmarks.measures.request_path import BASE_URL, answering
from modelverse_core.compat import httpx

ANSWER = completion()


def _mock() -> Any:
    headers = {"Authorization": f"Bearer {KEY}"}
    return httpx.AsyncClient(base_url=BASE_URL, headers=headers, transport=answering(ANSWER))


def _clients() -> dict[str, tuple[Any, Callable[[Any], Awaitable[Any]]]]:
    """Each floor and our client of the same framework, every one over its own mock transport."""
    from benchmarks.floors.langchain import FloorChatModel
    from benchmarks.floors.llamaindex import FloorLLM
    from langchain_modelverse import ChatModelverse
    from llamaindex_modelverse import Modelverse

    settings = {"model": MODEL, "api_key": KEY, "base_url": BASE_URL}
    langchain_floor, llamaindex_floor = FloorChatModel(**settings), FloorLLM(**settings)
    langchain_floor._async = _mock()
    llamaindex_floor._async = _mock()
    return {
        LANGCHAIN_FLOOR: (langchain_floor, langchain_acall),
        "ChatModelverse": (ChatModelverse(**settings, http_async_client=_mock()), langchain_acall),
        LLAMAINDEX_FLOOR: (llamaindex_floor, llamaindex_acall),
        "Modelverse (llama-index)": (Modelverse(**settings, http_async_client=_mock()), llamaindex_acall),
    }


def client_cpu(calls: int = 200, rounds: int = 9) -> dict[str, float]:
    """CPU microseconds per call in bursts of ``calls`` concurrent calls, best of ``rounds`` shuffled rounds."""

    async def measure() -> dict[str, float]:
        clients = _clients()
        best: dict[str, float] = {}
        order = list(clients)
        for round_ in range(rounds + 1):  # the first round warms up and is not counted
            random.shuffle(order)
            for name in order:
                instance, acall = clients[name]
                started = time.process_time()
                await asyncio.gather(*(acall(instance) for _ in range(calls)))
                micros = (time.process_time() - started) / calls * 1e6
                if round_:
                    best[name] = min(best.get(name, float("inf")), micros)
        return best

    return asyncio.run(measure())


def measure(ctx: Any) -> dict[str, Any]:
    """``client_cpu_us``: CPU microseconds per concurrent call with no network, our clients and their floors."""
    return {"client_cpu_us": client_cpu()}


if __name__ == "__main__":
    for name, micros in client_cpu().items():
        print(f"{name:26} {micros:6.1f} µs of CPU per call")
