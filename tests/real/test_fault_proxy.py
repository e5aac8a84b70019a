"""Transport faults injected by :mod:`tests.real.fault_proxy` between both plugins and a server.

Against a live llama-server (``make test-real`` only; nothing here is replayed), every fault
for both plugins, sync and async, streamed and not, and the faults that strike inside a stream
on every endpoint. Each case holds to four rules:

- a typed error of the package's hierarchy, or the whole answer for the faults a client rides
  through (latency, a throttled link);
- no wait past the configured timeout plus :data:`MARGIN`, counted from the moment the fault
  struck (the error's time is taken, never slept for);
- no retry once a stream has yielded text: the proxy counts the requests, and the text
  received is exactly what went through before the fault, never repeated;
- nothing left open: every connection the proxy saw is closed by the client (without closing
  the client, after a failure), and the process holds no more file descriptors than before.

The proxy itself is checked against the stand-in (in ``make test`` too): every fault strikes
where it says, on a streamed call.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from langchain_core.exceptions import ModelConnectionError, ModelTimeoutError

import modelverse_core
from tests.real.conftest import TINY
from tests.real.fault_proxy import AT_MARKER, BEFORE_HEADERS, FAULTS, SURVIVABLE, FaultProxy
from tests.real.server import MODEL_NAME
from tests.reliability.drivers import DRIVERS, Driver
from tests.standin import StandinServer

pytestmark = pytest.mark.timeout(60)

TIMEOUT = 0.5
MARGIN = 1.0
RETRY_PAUSE = 1.0
"""The longest pause the SDK takes before its retry of a connection error (0.5 s, less jitter)."""
RETRIES = 1
PROMPT = "Say hello.\n"  # the tiny model's script on every endpoint: reasoning, then "Hello! How can I help?"
STREAMED = ("stream", "astream")
MODES = ("call", "stream", "acall", "astream")
PLUGINS = [d for d in DRIVERS if d.name in ("langchain", "llamaindex")]
OTHER_ENDPOINTS = [d for d in DRIVERS if d not in PLUGINS]
TIMEOUT_FAULTS = ("stall", "slow-headers")


@dataclass
class Outcome:
    """What a call through the proxy gave: the text pieces received, the error, and when it ended."""

    pieces: list[str] = field(default_factory=list)
    error: BaseException | None = None
    ended: float = 0.0

    @property
    def text(self) -> str:
        return "".join(self.pieces)


@dataclass(frozen=True)
class Answer:
    """The answer a driver gets with no fault: the whole text and its first streamed piece."""

    text: str
    first: str

    @property
    def marker(self) -> bytes:
        """The first piece as it appears on the wire, where the proxy's mid-stream faults strike."""
        return json.dumps(self.first, ensure_ascii=False)[1:-1].encode()


def attempt(driver: Driver, model: Any, mode: str, text: str) -> Outcome:
    """Call ``model`` once in ``mode``; a successful call closes its client (its pooled connection)."""
    if mode.startswith("a"):
        return asyncio.run(_attempt_async(driver, model, mode, text))
    outcome = Outcome()
    try:
        pieces = driver.stream(model, text) if mode == "stream" else iter([driver.call(model, text)])
        outcome.pieces.extend(pieces)
    except Exception as exc:
        outcome.error = exc
    outcome.ended = time.monotonic()
    if outcome.error is None:
        model._mv_client_for_settings().close()
    return outcome


async def _attempt_async(driver: Driver, model: Any, mode: str, text: str) -> Outcome:
    outcome = Outcome()
    try:
        if mode == "astream":
            async for piece in driver.astream(model, text):
                outcome.pieces.append(piece)
        else:
            outcome.pieces.append(await driver.acall(model, text))
    except Exception as exc:
        outcome.error = exc
    outcome.ended = time.monotonic()
    if outcome.error is None:
        await model._mv_client_for_settings().aclose()
    return outcome


def open_descriptors() -> int:
    """File descriptors this process holds open (sockets, pipes, files), from ``/proc/self/fd``."""
    return len(os.listdir("/proc/self/fd"))


def expected_requests(fault: str, mode: str) -> int:
    """One request, unless the fault struck before the SDK had a response to return: then it retries."""
    if fault in SURVIVABLE or (mode in STREAMED and fault not in BEFORE_HEADERS):
        return 1
    return RETRIES + 1


def check(outcome: Outcome, driver: Driver, fault: str, mode: str, proxy: FaultProxy, answer: Answer) -> None:
    """The four rules of the module docstring, but the count of descriptors (the caller's)."""
    requests = expected_requests(fault, mode)
    assert proxy.requests == requests
    if fault in SURVIVABLE:
        assert outcome.error is None, outcome.error
        assert outcome.text == answer.text
        assert proxy.strikes == []
    else:
        check_error(outcome.error, driver, fault)
        assert outcome.text == (answer.first if mode in STREAMED and fault in AT_MARKER else "")
        assert len(proxy.strikes) == requests
        assert outcome.ended - proxy.strikes[-1] < TIMEOUT + MARGIN
    assert proxy.wait_closed(TIMEOUT + MARGIN), f"{proxy.open_connections} connection(s) left open"


def check_error(error: BaseException | None, driver: Driver, fault: str) -> None:
    """A typed error of the hierarchy: a timeout for the stalls, a broken connection for the others."""
    if fault in TIMEOUT_FAULTS:
        assert isinstance(error, modelverse_core.APITimeoutError), repr(error)
    else:
        assert isinstance(error, modelverse_core.APIConnectionError), repr(error)
        assert not isinstance(error, modelverse_core.APITimeoutError), repr(error)
    if driver.framework == "langchain":
        assert isinstance(error, ModelTimeoutError if fault in TIMEOUT_FAULTS else ModelConnectionError)


# ---------------------------------------------------------------- against llama-server


@pytest.fixture(scope="module")
def live_server(request: pytest.FixtureRequest, llama_server: str) -> str:
    """The base URL of a live llama-server; skipped when the suite replays cassettes."""
    if not request.config.getoption("--llama-server", default=None):
        pytest.skip("faults are injected in front of a live llama-server only: make test-real")
    return llama_server


@pytest.fixture(scope="module")
def answers(live_server: str) -> dict[str, Answer]:
    """Each driver's answer straight from llama-server, with no proxy (the tiny model is greedy)."""
    found = {}
    for driver in DRIVERS:
        model = live_model(driver, live_server)
        text = driver.call(model, PROMPT)
        first = next(piece for piece in driver.stream(model, PROMPT) if piece)
        model._mv_client_for_settings().close()
        assert text.startswith(first), (driver, text, first)
        found[driver.name] = Answer(text, first)
    return found


def live_model(driver: Driver, base_url: str) -> Any:
    return driver.make(base_url, model=MODEL_NAME, model_info=TINY, timeout=TIMEOUT, max_retries=RETRIES)


@pytest.fixture
def upstream(live_server: str) -> tuple[str, int]:
    url = urlsplit(live_server)
    assert url.hostname and url.port
    return url.hostname, url.port


def run_live(driver: Driver, fault: str, mode: str, upstream: tuple[str, int], answer: Answer) -> None:
    with FaultProxy(upstream, fault, answer.marker) as proxy:
        model = live_model(driver, proxy.base_url)
        descriptors = open_descriptors()
        outcome = attempt(driver, model, mode, PROMPT)
        check(outcome, driver, fault, mode, proxy, answer)
        assert open_descriptors() <= descriptors


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("driver", PLUGINS, ids=lambda d: d.name)
@pytest.mark.parametrize("fault", FAULTS)
def test_every_fault_both_plugins_sync_and_async_streamed_and_not(
    fault: str, driver: Driver, mode: str, upstream: tuple[str, int], answers: dict[str, Answer]
) -> None:
    run_live(driver, fault, mode, upstream, answers[driver.name])


@pytest.mark.parametrize("mode", STREAMED)
@pytest.mark.parametrize("driver", OTHER_ENDPOINTS, ids=lambda d: d.name)
@pytest.mark.parametrize("fault", AT_MARKER)
def test_faults_inside_the_streams_of_the_other_endpoints(
    fault: str, driver: Driver, mode: str, upstream: tuple[str, int], answers: dict[str, Answer]
) -> None:
    run_live(driver, fault, mode, upstream, answers[driver.name])


# ---------------------------------------------------------------- the proxy itself, against the stand-in

STANDIN_DRIVER = PLUGINS[0]


@pytest.fixture
def standin_answer(standin: StandinServer) -> Iterator[Answer]:
    """The stand-in's answer to :data:`PROMPT`; the stand-in's log is cleared after it."""
    model = STANDIN_DRIVER.make(standin.base_url)
    text = STANDIN_DRIVER.call(model, PROMPT)
    first = next(piece for piece in STANDIN_DRIVER.stream(model, PROMPT) if piece)
    model._mv_client_for_settings().close()
    standin.requests.clear()
    yield Answer(text, first)


@pytest.mark.parametrize("fault", FAULTS)
def test_the_proxy_strikes_each_fault_where_it_says(fault: str, standin: StandinServer, standin_answer: Answer) -> None:
    """A streamed call through the proxy to the stand-in (its sockets, in this process, are not counted)."""
    host, port = standin.server_address[:2]
    with FaultProxy((str(host), int(port)), fault, standin_answer.marker) as proxy:
        model = STANDIN_DRIVER.make(proxy.base_url, timeout=TIMEOUT, max_retries=RETRIES)
        outcome = attempt(STANDIN_DRIVER, model, "stream", PROMPT)
        check(outcome, STANDIN_DRIVER, fault, "stream", proxy, standin_answer)
    assert len(standin.requests) == proxy.requests
