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

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modelverse_core.settings import API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL
from tests.standin import StandinServer

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
REPLAY_BASE_URL = DEFAULT_BASE_URL
TEST_KEY = "sk-test-0000-not-a-real-key"
SCRUBBED_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization", "host"]

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


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_server is not None:
        _session_server.stop()


@pytest.fixture
def standin() -> Iterator[StandinServer]:
    """A fresh stand-in server for live fault, load and validation tests."""
    server = StandinServer().start()
    yield server
    server.stop()


def _normalize_request(request: Any) -> Any:
    """Record every request under the canonical host, whatever was called."""
    target = os.environ[BASE_URL_ENV].rstrip("/")
    if request.uri.startswith(target):
        request.uri = REPLAY_BASE_URL + request.uri[len(target) :]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers") or {}
    for name in list(headers):
        if name.lower() in SCRUBBED_HEADERS:
            del headers[name]
    return response


def _canonical_ids(body: Any) -> Any:
    """Replace tool-call ids by their order of appearance: frameworks generate random ones."""
    if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
        return body
    names: dict[str, str] = {}

    def stable(value: str) -> str:
        return names.setdefault(value, f"id-{len(names)}")

    for message in body["messages"]:
        for call in message.get("tool_calls") or []:
            call["id"] = stable(call.get("id", ""))
        if "tool_call_id" in message:
            message["tool_call_id"] = stable(message["tool_call_id"])
    return body


def _json_body(r1: Any, r2: Any) -> None:
    """Match bodies as JSON values, with tool-call ids compared by position."""

    def load(body: Any) -> Any:
        if not body:
            return None
        try:
            return _canonical_ids(json.loads(body))
        except ValueError:
            return body

    assert load(r1.body) == load(r2.body), "request bodies differ"


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return {
        "filter_headers": SCRUBBED_HEADERS,
        "before_record_request": _normalize_request,
        "before_record_response": _scrub_response,
        "match_on": ["method", "scheme", "host", "port", "path", "query", "json_body"],
        "decode_compressed_response": True,
    }


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_matcher("json_body", _json_body)


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
