"""Load through one model object: bounded connections, no descriptor or memory growth."""

from __future__ import annotations

import asyncio
import gc
import json
import os
from typing import Any

import pytest

from modelverse_core.compat import httpx
from tests.reliability.drivers import DRIVERS, Driver
from tests.standin import ROUTES, StandinServer

pytestmark = pytest.mark.timeout(180)
POOL = 20
SDK_BOTH = ("langchain", "llamaindex")
"""The drivers whose load tests run on both SDK majors; the other endpoints share their client and
transport, so on openai 2.x they are left out (marker ``once``): the soak of all six there would be
the longest part of ``make test``."""


@pytest.fixture(
    params=[d if d.name in SDK_BOTH else pytest.param(d, marks=pytest.mark.once) for d in DRIVERS],
    ids=lambda d: d.name,
)
def driver(request: pytest.FixtureRequest) -> Driver:
    """Every plugin on every endpoint; on openai 2.x only chat completions."""
    return request.param  # type: ignore[no-any-return]


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def test_500_concurrent_calls_and_50_concurrent_streams(driver: Driver, standin: StandinServer) -> None:
    fds_before = open_fds()
    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=POOL, max_keepalive_connections=POOL))
    model = driver.make(standin.base_url, http_async_client=client, max_retries=0)
    answers = await asyncio.gather(*(driver.acall(model, f"call {i}") for i in range(500)))
    assert answers == [
        f"You said: call {i}. This is the stand-in answering as deepseek-ai/DeepSeek-V3-0324." for i in range(500)
    ]

    async def consume(i: int) -> str:
        return "".join([piece async for piece in driver.astream(model, f"stream {i}")])

    streams = await asyncio.gather(*(consume(i) for i in range(50)))
    assert all(text.startswith(f"You said: stream {i}.") for i, text in enumerate(streams))
    assert standin.peak_connections <= POOL
    await client.aclose()
    gc.collect()
    assert open_fds() <= fds_before


def instant_transport() -> httpx.MockTransport:
    """Answers in-process as the stand-in's route does, so 10,000 calls exercise the whole client path quickly."""

    def answer(request: httpx.Request) -> httpx.Response:
        route = ROUTES[request.url.path]
        return httpx.Response(200, json=route.answer(json.loads(request.content), "chatcmpl-mem", request.headers))

    return httpx.MockTransport(answer)


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def test_10000_sequential_calls_keep_memory_flat(driver: Driver) -> None:
    client = httpx.Client(transport=instant_transport())
    model: Any = driver.make("http://127.0.0.1:9/v1", http_client=client)
    for _ in range(1000):
        driver.call(model, "warm up")
    gc.collect()
    objects, rss = len(gc.get_objects()), resident_bytes()
    for _ in range(10_000):
        driver.call(model, "hello")
    gc.collect()
    object_growth = len(gc.get_objects()) - objects
    rss_growth = resident_bytes() - rss
    assert object_growth < 200, f"{object_growth} more live objects after 10,000 calls"
    assert rss_growth < 8 * 1024 * 1024, f"resident memory grew by {rss_growth} bytes over 10,000 calls"
