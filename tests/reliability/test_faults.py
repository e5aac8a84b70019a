"""Faults injected live by the stand-in on 127.0.0.1; every loop is bounded and every test times out."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from contextlib import aclosing
from typing import Any

import openai
import pytest
from langchain_core.exceptions import ModelAPIError, ModelConnectionError, ModelRateLimitError, ModelTimeoutError

import modelverse_core
from tests.reliability.drivers import Driver
from tests.standin import StandinServer

pytestmark = pytest.mark.timeout(30)
TIMEOUT = 0.5
MARGIN = 1.5


def model_requests(server: StandinServer) -> int:
    """Requests that asked for an answer (every ``POST``), on whichever endpoint."""
    return sum(1 for r in server.requests if r["body"] is not None)


def test_429_with_retry_after_is_retried_once_then_succeeds(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "retry-429", max_retries=2)
    assert driver.call(model, "hello").startswith("You said: hello")
    assert model_requests(standin) == 2


@pytest.mark.parametrize("fault", ["always-500", "always-502", "always-503"])
def test_server_errors_are_retried_by_exactly_one_layer(driver: Driver, standin: StandinServer, fault: str) -> None:
    model = driver.make(standin.base_url, fault, max_retries=2)
    with pytest.raises(modelverse_core.ServerError) as info:
        driver.call(model, "hello")
    assert model_requests(standin) == 3  # one try and max_retries=2 retries, no nested layer
    assert isinstance(info.value, openai.InternalServerError)
    assert f"HTTP {fault[-3:]}" in str(info.value)
    if driver.framework == "langchain":
        assert isinstance(info.value, ModelAPIError)


def test_rate_limit_error_after_retries_run_out(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "always-429", max_retries=1)
    with pytest.raises(modelverse_core.RateLimitError) as info:
        driver.call(model, "hello")
    assert model_requests(standin) == 2
    if driver.framework == "langchain":
        assert isinstance(info.value, ModelRateLimitError)


def test_a_400_is_never_retried(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "bad-request", max_retries=5)
    with pytest.raises(modelverse_core.InvalidRequestError):
        driver.call(model, "hello")
    assert model_requests(standin) == 1


@pytest.mark.parametrize(
    ("fault", "status", "shown"),
    [("html-502", 502, "502 Bad Gateway"), ("not-envelope-500", 500, "broken"), ("empty-500", 500, "(empty body)")],
)
def test_bodies_that_are_not_the_error_envelope(
    driver: Driver, standin: StandinServer, fault: str, status: int, shown: str
) -> None:
    model = driver.make(standin.base_url, fault, max_retries=0)
    with pytest.raises(modelverse_core.ServerError) as info:
        driver.call(model, "hello")
    assert f"HTTP {status}" in str(info.value) and shown in str(info.value)


def collect(stream: Any) -> tuple[list[str], BaseException | None]:
    pieces: list[str] = []
    try:
        for piece in stream:
            pieces.append(piece)
    except Exception as exc:
        return pieces, exc
    return pieces, None


def test_connection_dropped_mid_stream(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "drop-mid-stream")
    pieces, error = collect(driver.stream(model, "hello there"))
    assert "".join(pieces) == "You "  # what arrived stays delivered
    assert isinstance(error, modelverse_core.APIConnectionError) and isinstance(error, openai.APIConnectionError)
    if driver.framework == "langchain":
        assert isinstance(error, ModelConnectionError)


def test_connection_dropped_before_the_answer(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "drop-before-answer", max_retries=1)
    with pytest.raises(modelverse_core.APIConnectionError) as info:
        driver.call(model, "hello")
    assert not isinstance(info.value, modelverse_core.APITimeoutError)
    assert str(info.value).startswith("connection failed: ")
    assert model_requests(standin) == 2  # retried as a connection error, by the SDK only


def test_clean_eof_before_the_end_is_reported_as_truncated(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "eof-mid-stream")
    pieces, error = collect(driver.stream(model, "hello there"))
    assert "".join(pieces) == "You "
    assert isinstance(error, modelverse_core.StreamTruncatedError)
    assert "incomplete" in str(error)


def test_malformed_event(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "malformed-event")
    _, error = collect(driver.stream(model, "hello"))
    assert isinstance(error, modelverse_core.MalformedResponseError) and "not JSON" in str(error)


@pytest.mark.parametrize("fault", ["error-event", "failed-event"])
def test_error_event_inside_a_stream_is_mapped_by_its_code(driver: Driver, standin: StandinServer, fault: str) -> None:
    if fault == "failed-event" and not driver.defaults.get("use_responses_api"):
        pytest.skip("response.failed is a /v1/responses event")
    model = driver.make(standin.base_url, fault)
    _, error = collect(driver.stream(model, "hello"))
    assert isinstance(error, modelverse_core.SensitiveContentError) and "invalid_messages" in str(error)


def test_utf8_split_across_writes_and_comment_lines(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "split-utf8")
    text = "优刻得 UCloud 云计算"
    assert (
        "".join(driver.stream(model, text))
        == f"You said: {text}. This is the stand-in answering as deepseek-ai/DeepSeek-V3-0324."
    )


def test_stall_before_answering_times_out(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "stall", timeout=TIMEOUT, max_retries=0)
    started = time.monotonic()
    with pytest.raises(modelverse_core.APITimeoutError) as info:
        driver.call(model, "hello")
    assert time.monotonic() - started < TIMEOUT + MARGIN
    if driver.framework == "langchain":
        assert isinstance(info.value, ModelTimeoutError)


def test_stall_mid_stream_times_out(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "stall-mid-stream", timeout=TIMEOUT, max_retries=0)
    started = time.monotonic()
    pieces, error = collect(driver.stream(model, "hello there"))
    assert time.monotonic() - started < TIMEOUT + MARGIN
    assert "".join(pieces) == "You " and isinstance(error, modelverse_core.APITimeoutError)


async def test_cancelling_an_async_stream_closes_its_connection(driver: Driver, standin: StandinServer) -> None:
    model = driver.make(standin.base_url, "slow-stream")
    async with aclosing(driver.astream(model, "hello")) as stream:  # type: ignore[type-var]
        received = [piece async for piece, _ in zip_n(stream, 3)]
    assert len(received) == 3
    closed = await asyncio.to_thread(standin.client_disconnected.wait, 10)
    assert closed, "the server kept writing to a stream the client had cancelled"


async def zip_n(stream: Any, n: int) -> Any:
    count = 0
    async for piece in stream:
        yield piece, count
        count += 1
        if count == n:
            return


def test_invalid_tool_arguments_never_crash(chat_driver: Driver, standin: StandinServer) -> None:
    driver = chat_driver
    model = driver.make(standin.base_url, "invalid-tool-arguments")
    result = driver.call_with_tool(model, "weather in 'Paris'?")
    if driver.framework == "langchain":
        assert result.tool_calls == []
        (invalid,) = result.invalid_tool_calls
        assert invalid["name"] == "get_weather" and "not valid JSON" in invalid["error"]
    else:
        (marker,) = result.message.additional_kwargs["invalid_tool_calls"]
        assert marker["name"] == "get_weather" and "not valid JSON" in marker["error"]
        (selection,) = model.get_tool_calls_from_response(result)
        assert selection.tool_name == "get_weather"


def test_async_calls_from_successive_event_loops(
    driver: Driver, standin: StandinServer, caplog: pytest.LogCaptureFixture
) -> None:
    """``asyncio.run`` twice (scripts, notebooks): pooled connections of a closed loop are not reused.

    Nor are they closed from the next loop: that fails inside a task nobody awaits, which
    asyncio reports as "Task exception was never retrieved ... Event loop is closed".
    """
    model = driver.make(standin.base_url)
    answers = []
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        for i in range(3):
            answers.append(asyncio.run(driver.acall(model, f"loop {i}")))
            gc.collect()  # asyncio logs a failed task's error when the task is collected
    assert [a.split(".")[0] for a in answers] == ["You said: loop 0", "You said: loop 1", "You said: loop 2"]
    assert not [r.getMessage() for r in caplog.records if r.name == "asyncio"]


def test_a_stream_that_declares_gzip_but_sends_plain_bytes(driver: Driver, standin: StandinServer) -> None:
    """The HTTP library's decoding error is a connection error, as the SDK classes it on a non-streamed call."""
    model = driver.make(standin.base_url, "gzip-plain-stream", max_retries=0)
    pieces, error = collect(driver.stream(model, "hello"))
    assert pieces == []
    assert isinstance(error, modelverse_core.APIConnectionError) and "DecodingError" in str(error)
    if driver.framework == "langchain":
        assert isinstance(error, ModelConnectionError)


async def test_an_async_stream_that_declares_gzip_but_sends_plain_bytes(
    driver: Driver, standin: StandinServer, aio: Any
) -> None:
    """The same over httpx and over aiohttp (which reads it as a payload error)."""
    for http in (None, aio):
        model = driver.make(standin.base_url, "gzip-plain-stream", max_retries=0, http_async_client=http)
        pieces: list[str] = []
        with pytest.raises(modelverse_core.APIConnectionError) as info:
            async for piece in driver.astream(model, "hello"):
                pieces.append(piece)
        assert pieces == [] and not isinstance(info.value, modelverse_core.APITimeoutError)
        if driver.framework == "langchain":
            assert isinstance(info.value, ModelConnectionError)
        await model._mv_client_for_settings().aclose()
