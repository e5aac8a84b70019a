"""The SDK's aiohttp backend (``http_async_client=openai.DefaultAioHttpClient()``), live against the stand-in.

The SDK still builds, retries and times every request; aiohttp only carries it (and pools the
connections). Each endpoint's async call and stream behaves as over httpx, with two differences
the tests pin. aiohttp reads a connection reset in a body delimited by the connection's close
(the stand-in's streams) as the end of the body, so such a stream is reported as truncated,
which is the same ``APIConnectionError``; in a chunked body (llama-server's) the reset is a read
error, as over httpx. And the SDK's aiohttp adapter reports a refused or dropped connection as
a connect timeout; the core maps it back to ``APIConnectionError`` from the aiohttp error behind it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

import openai
import pytest

import modelverse_core
from modelverse_core.compat import httpx
from tests.reliability.drivers import Driver
from tests.reliability.test_faults import MARGIN, TIMEOUT, model_requests, zip_n
from tests.standin import StandinServer

pytestmark = pytest.mark.timeout(30)


async def acollect(stream: AsyncIterator[str]) -> tuple[list[str], BaseException | None]:
    pieces: list[str] = []
    try:
        async for piece in stream:
            pieces.append(piece)
    except Exception as exc:
        return pieces, exc
    return pieces, None


async def test_answers_and_streams_as_over_httpx(driver: Driver, standin: StandinServer, aio: Any) -> None:
    over_httpx = driver.make(standin.base_url)
    over_aiohttp = driver.make(standin.base_url, http_async_client=aio)
    try:
        expected = await driver.acall(over_httpx, "hello there")
    finally:
        await over_httpx._mv_client_for_settings().aclose()
    assert expected.startswith("You said: hello there")
    assert await driver.acall(over_aiohttp, "hello there") == expected
    assert "".join([piece async for piece in driver.astream(over_aiohttp, "hello there")]) == expected


async def test_200_concurrent_calls_and_20_concurrent_streams(driver: Driver, standin: StandinServer) -> None:
    limits = httpx.Limits(max_connections=20, max_keepalive_connections=20)
    async with openai.DefaultAioHttpClient(limits=limits) as client:
        model = driver.make(standin.base_url, http_async_client=client, max_retries=0)
        answers = await asyncio.gather(*(driver.acall(model, f"call {i}") for i in range(200)))
        assert [a.split(".")[0] for a in answers] == [f"You said: call {i}" for i in range(200)]

        async def consume(i: int) -> str:
            return "".join([piece async for piece in driver.astream(model, f"stream {i}")])

        streams = await asyncio.gather(*(consume(i) for i in range(20)))
        assert [s.split(".")[0] for s in streams] == [f"You said: stream {i}" for i in range(20)]
    assert standin.peak_connections <= 20  # the limits given reach aiohttp's pool


async def test_retries_stay_the_sdks(driver: Driver, standin: StandinServer, aio: Any) -> None:
    model = driver.make(standin.base_url, "retry-429", http_async_client=aio, max_retries=2)
    assert (await driver.acall(model, "hello")).startswith("You said: hello")
    assert model_requests(standin) == 2


async def test_server_errors_map_as_over_httpx(driver: Driver, standin: StandinServer, aio: Any) -> None:
    model = driver.make(standin.base_url, "always-503", http_async_client=aio, max_retries=1)
    with pytest.raises(modelverse_core.ServerError) as info:
        await driver.acall(model, "hello")
    assert "HTTP 503" in str(info.value) and model_requests(standin) == 2


async def test_a_dropped_stream_is_reported_as_truncated(driver: Driver, standin: StandinServer, aio: Any) -> None:
    """The stand-in's stream ends with its connection: over httpx a reset there is a read error, over aiohttp the
    end of the body. Either way: APIConnectionError."""
    model = driver.make(standin.base_url, "drop-mid-stream", http_async_client=aio)
    pieces, error = await acollect(driver.astream(model, "hello there"))
    assert "".join(pieces) == "You "  # what arrived stays delivered
    assert isinstance(error, modelverse_core.StreamTruncatedError) and isinstance(error, openai.APIConnectionError)


async def test_a_refused_connection_is_a_connection_error(driver: Driver, refusing_port: int, aio: Any) -> None:
    """The SDK's aiohttp adapter raises a connect timeout here; the aiohttp error behind it says what happened."""
    model = driver.make(f"http://127.0.0.1:{refusing_port}/v1", http_async_client=aio, max_retries=0)
    with pytest.raises(modelverse_core.APIConnectionError) as info:
        await driver.acall(model, "hello")
    assert not isinstance(info.value, modelverse_core.APITimeoutError)
    assert "connection failed: ClientConnectorError" in str(info.value)
    assert isinstance(info.value, openai.APIConnectionError)


@pytest.mark.parametrize("streamed", [False, True])
async def test_a_connection_dropped_before_the_answer_is_a_connection_error(
    driver: Driver, standin: StandinServer, aio: Any, streamed: bool
) -> None:
    model = driver.make(standin.base_url, "drop-before-answer", http_async_client=aio, max_retries=1)
    with pytest.raises(modelverse_core.APIConnectionError) as info:
        await (acollect_or_raise(driver.astream(model, "hello")) if streamed else driver.acall(model, "hello"))
    assert not isinstance(info.value, modelverse_core.APITimeoutError)
    assert "connection failed: ServerDisconnectedError" in str(info.value)
    assert model_requests(standin) == 2  # retried as a connection error, by the SDK only


async def acollect_or_raise(stream: AsyncIterator[str]) -> list[str]:
    return [piece async for piece in stream]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("eof-mid-stream", modelverse_core.StreamTruncatedError),
        ("malformed-event", modelverse_core.MalformedResponseError),
        ("error-event", modelverse_core.SensitiveContentError),
    ],
)
async def test_broken_streams_map_as_over_httpx(
    driver: Driver, standin: StandinServer, aio: Any, fault: str, error: type[Exception]
) -> None:
    model = driver.make(standin.base_url, fault, http_async_client=aio)
    _, raised = await acollect(driver.astream(model, "hello there"))
    assert isinstance(raised, error)


async def test_utf8_split_across_writes(driver: Driver, standin: StandinServer, aio: Any) -> None:
    model = driver.make(standin.base_url, "split-utf8", http_async_client=aio)
    text = "优刻得 UCloud 云计算"
    streamed = "".join([piece async for piece in driver.astream(model, text)])
    assert streamed == f"You said: {text}. This is the stand-in answering as deepseek-ai/DeepSeek-V3-0324."


@pytest.mark.parametrize("fault", ["stall", "stall-mid-stream"])
async def test_stalls_time_out(driver: Driver, standin: StandinServer, aio: Any, fault: str) -> None:
    model = driver.make(standin.base_url, fault, http_async_client=aio, timeout=TIMEOUT, max_retries=0)
    started = time.monotonic()
    pieces, error = await acollect(driver.astream(model, "hello there"))
    assert TIMEOUT <= time.monotonic() - started < TIMEOUT + MARGIN  # the read timeout fired, nothing else
    assert "".join(pieces) == ("You " if fault == "stall-mid-stream" else "")
    assert isinstance(error, modelverse_core.APITimeoutError)


async def test_cancelling_a_stream_closes_its_connection(driver: Driver, standin: StandinServer, aio: Any) -> None:
    model = driver.make(standin.base_url, "slow-stream", http_async_client=aio)
    async with aclosing(driver.astream(model, "hello")) as stream:  # type: ignore[type-var]
        received = [piece async for piece, _ in zip_n(stream, 3)]
    assert len(received) == 3
    closed = await asyncio.to_thread(standin.client_disconnected.wait, 10)
    assert closed, "the server kept writing to a stream the client had cancelled"
