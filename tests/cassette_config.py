"""How cassettes are recorded and matched, shared by the test suite and the examples.

Requests are stored under the canonical host whatever was called, headers that
could carry a key are scrubbed, and bodies match as JSON with tool-call ids
compared by position (frameworks generate random ones).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
REPLAY_BASE_URL = "https://api.modelverse.cn/v1"
TEST_KEY = "sk-test-0000-not-a-real-key"
SCRUBBED_HEADERS = ["authorization", "api-key", "x-api-key", "cookie", "set-cookie", "openai-organization", "host"]
MATCH_ON = ["method", "scheme", "host", "port", "path", "query", "json_body"]


def vcr_options(target: str) -> dict[str, Any]:
    """``VCR``/``use_cassette`` options for a session whose requests go to ``target``."""
    return {
        "filter_headers": SCRUBBED_HEADERS,
        "before_record_request": partial(_normalize_request, target.rstrip("/")),
        "before_record_response": _scrub_response,
        "match_on": MATCH_ON,
        "decode_compressed_response": True,
    }


def _normalize_request(target: str, request: Any) -> Any:
    """Record every request under the canonical host, whatever was called."""
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
    if not isinstance(body, dict):
        return body
    names: dict[str, str] = {}

    def stable(value: str) -> str:
        return names.setdefault(value, f"id-{len(names)}")

    for item in body.get("input") if isinstance(body.get("input"), list) else []:
        if isinstance(item, dict) and "call_id" in item:
            item["call_id"] = stable(item["call_id"])
    if not isinstance(body.get("messages"), list):
        return body
    for message in body["messages"]:
        for call in message.get("tool_calls") or []:
            call["id"] = stable(call.get("id", ""))
        if "tool_call_id" in message:
            message["tool_call_id"] = stable(message["tool_call_id"])
    return body


def json_body_matcher(r1: Any, r2: Any) -> None:
    """Match bodies as JSON values, with tool-call ids compared by position."""

    def load(body: Any) -> Any:
        if not body:
            return None
        try:
            return _canonical_ids(json.loads(body))
        except ValueError:
            return body

    assert load(r1.body) == load(r2.body), "request bodies differ"
