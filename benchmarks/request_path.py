"""The CPU cost of the SDK's request path alone, against raw httpx's, with no network.

Every call our clients make goes through the SDK's ``post`` (request options, URL, headers,
retry loop, response wrapper), which the framework floors, calling httpx directly, do not.
Both here send the same body through one ``httpx.MockTransport`` answering at once, so what
is measured is client-side CPU only. ``python benchmarks/request_path.py`` prints it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import openai

from modelverse_core.compat import httpx

BASE_URL = "http://127.0.0.1:9/v1"
BODY = {"model": "deepseek-ai/DeepSeek-R1", "messages": [{"role": "user", "content": "Describe UCloud."}]}
ANSWER = json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "choices": []}).encode()


async def _answer(request: Any) -> Any:
    return httpx.Response(200, content=ANSWER, headers={"content-type": "application/json"})


def senders() -> dict[str, Callable[[], Awaitable[Any]]]:
    """One async call through the SDK's ``post`` and one through httpx's, over the same mock transport."""
    transport = httpx.MockTransport(_answer)
    sdk = openai.AsyncOpenAI(api_key="sk-bench", base_url=BASE_URL, http_client=httpx.AsyncClient(transport=transport))
    raw = httpx.AsyncClient(base_url=BASE_URL, headers={"Authorization": "Bearer sk-bench"}, transport=transport)
    return {
        "openai SDK post": lambda: sdk.post("/chat/completions", body=BODY, cast_to=httpx.Response),
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


if __name__ == "__main__":
    for name, micros in request_path_cpu().items():
        print(f"{name:16} {micros:6.1f} µs of CPU per call")
