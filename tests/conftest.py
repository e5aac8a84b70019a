"""Test set-up shared by every suite.

Three modes, chosen once per session:

- replay (the default, ``--record-mode=none``): cassettes answer every request;
  an unrecorded request fails the test. The key is a fixed test key and the
  host is the canonical one, which is never reached.
- record against the stand-in (``make cassettes`` without a key): the local
  server in ``tests/standin.py`` answers on 127.0.0.1.
- record against the live service (``make cassettes`` with ``MODELVERSE_API_KEY``).

Models under test read their key and base URL from the environment set here.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import openai
import pytest

from modelverse_core.compat import httpx
from modelverse_core.settings import API_KEY_ENV, BASE_URL_ENV
from tests.cassette_config import CASSETTES, REPLAY_BASE_URL, SCRUBBED_HEADERS, TEST_KEY, json_body_matcher, vcr_options
from tests.standin import StandinServer

__all__ = ["CASSETTES", "SCRUBBED_HEADERS", "TEST_KEY"]

_live_key = os.environ.get(API_KEY_ENV, "")
_session_server: StandinServer | None = None


def is_recording(config: pytest.Config) -> bool:
    """Whether this session records cassettes instead of replaying them."""
    return (config.getoption("--record-mode") or "none") != "none"


def pytest_configure(config: pytest.Config) -> None:
    """Point every model at the target of this session's mode."""
    global _session_server
    if not is_recording(config):
        target, key = REPLAY_BASE_URL, TEST_KEY
    elif _live_key:
        target, key = os.environ.get(BASE_URL_ENV, REPLAY_BASE_URL), _live_key
    else:
        _session_server = StandinServer().start()
        target, key = _session_server.base_url, TEST_KEY
    os.environ[BASE_URL_ENV] = target
    os.environ[API_KEY_ENV] = key


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Recording live, tests that assert the stand-in's answers keep their stand-in cassettes."""
    if not (is_recording(config) and _live_key):
        return
    keep = pytest.mark.skip(reason="asserts the stand-in's deterministic answers; its cassette is kept")
    for item in items:
        if item.get_closest_marker("standin"):
            item.add_marker(keep)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_server is not None:
        _session_server.stop()


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    """A fresh stand-in server for live fault, load and validation tests."""
    server = StandinServer().start()
    yield server
    server.stop()


def carried_by_aiohttp(client: Any) -> bool:
    """Whether ``client``'s requests went through aiohttp: its transport opens a session on the first one."""
    import aiohttp

    return isinstance(client._transport.client, aiohttp.ClientSession)


@pytest.fixture
async def aio() -> AsyncIterator[httpx.AsyncClient]:
    """The SDK's aiohttp-backed client, closed on the test's own event loop; it must have carried the requests."""
    async with openai.DefaultAioHttpClient() as client:
        yield client
        assert carried_by_aiohttp(client)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return vcr_options(os.environ[BASE_URL_ENV])


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("json_body", json_body_matcher)


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """``cassettes/<suite>/<module>/``, e.g. ``cassettes/langchain/test_chat_model``."""
    module = Path(str(request.node.fspath))
    return str(CASSETTES / module.parent.name / module.stem)


@pytest.fixture(autouse=True)
def _cassette_fully_played(request: pytest.FixtureRequest, vcr: Any) -> Iterator[None]:
    """Fail a replayed test that left part of its cassette unplayed."""
    yield
    if vcr is None or is_recording(request.config):
        return
    unplayed = [request.uri for index, (request, _) in enumerate(vcr.data) if not vcr.play_counts[index]]
    if unplayed:
        pytest.fail(f"cassette {vcr._path} was only partly played; unplayed requests: {unplayed}")
