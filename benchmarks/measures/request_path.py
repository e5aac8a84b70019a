"""The CPU cost of the SDK's request path alone, against raw httpx's, with no network.

Every call our clients make goes through the SDK's ``post`` (request options, URL, headers,
retry loop, response wrapper), which the framework floors, calling httpx directly, do not.
It is measured here as our clients call it: the SDK client they configure, absolute URLs.
Both here send the same body through one ``httpx.MockTransport`` answering at once, so what
is measured is client-side CPU only. ``python -m benchmarks.measures.request_path`` prints it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import SecretStr

from modelverse_core.client import ModelverseClient
from modelverse_core.compat import httpx
from modelverse_core.settings import ConnectionSettings

BASE_URL = "http://127.0.0.1:9/v1"
BODY = {"model": "deepseek-ai/DeepSeek-R1", "messages": [{"role": "user", "content": "Describe UCloud."}]}
ANSWER = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "choices": []}).encode()


def answering(body: bytes) -> Any:
    """A mock transport answering every request at once with ``body`` as JSON."""

    def answer(request: Any) -> Any:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    return httpx.MockTransport(answer)


def senders() -> dict[str, Callable[[], Awaitable[Any]]]:
    """One async call through the SDK's ``post`` as our clients make it, and one through httpx's.

    Both go over the same mock transport. Ours is :meth:`~modelverse_core.client.ModelverseClient.apost`,
    which every call of our clients goes through.
    """
    transport = answering(ANSWER)
    settings = ConnectionSettings(
        api_key=SecretStr("sk-bench"), base_url=BASE_URL, http_async_client=httpx.AsyncClient(transport=transport)
    )
    ours = ModelverseClient(settings)
    raw = httpx.AsyncClient(base_url=BASE_URL, headers={"Authorization": "Bearer sk-bench"}, transport=transport)
    return {
        "openai SDK post": lambda: ours.apost("/chat/completions", BODY),
        "raw httpx post": lambda: raw.post("/chat/completions", json=BODY),
    }


def request_path_cpu(calls: int = 2000, rounds: int = 5) -> dict[str, float]:
    """CPU microseconds per call of each sender, best of ``rounds`` alternating rounds."""

    async def measure() -> dict[str, float]:
        best: dict[str, float] = {}
        sending = senders()
        for _ in range(rounds):
            for name, send in sending.items():
                started = time.process_time()
                for _ in range(calls):
                    await send()
                best[name] = min(best.get(name, float("inf")), (time.process_time() - started) / calls * 1e6)
        return best

    return asyncio.run(measure())


def measure(ctx: Any) -> dict[str, Any]:
    """``request_path_us``: the SDK's request path and raw httpx's, CPU microseconds per call."""
    return {"request_path_us": request_path_cpu()}


if __name__ == "__main__":
    for name, micros in request_path_cpu().items():
        print(f"{name:16} {micros:6.1f} µs of CPU per call")
