"""Property: a corrupted stream or body gives exactly the content that was sent, or a documented error.

A valid answer of each endpoint is corrupted one way (a field given a value of another JSON
type, an unknown field, an error event, a huge event, truncation, a hostile byte, invalid
UTF-8, no ``[DONE]``, JSON nested too deep) and served to each plugin, called each of the
four ways. Whatever happens, the plugin either completes with the content an independent
reading of the served bytes finds (:func:`sent_content`, from the SSE specification and
:func:`json.loads`), or raises one of the package's errors; never ``KeyError``,
``TypeError``, ``AttributeError``, ``IndexError``, a bare ``JSONDecodeError`` or
``RecursionError``. Where that reading finds no complete answer, the plugin must raise.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from modelverse_core import ParameterError, split_think
from tests.properties.answers import ENDPOINTS, body, dumps, events, sse
from tests.properties.conftest import budget
from tests.properties.harness import DRIVER_BY_NAME, ENDPOINT_DRIVERS, WAYS, body_answer, documented, run, stream_answer
from tests.properties.strategies import JSON_VALUE, answers
from tests.properties.test_sse import reference_events

pytestmark = pytest.mark.once  # generated cases at a fixed budget; test_found_cases.py runs on both SDKs

MUST_RAISE = None
HOSTILE_BYTES = b'\x00\xff"{}[]\\:\n\r'
INVALID_UTF8 = [b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe6\x97"]
ERROR_CODES = ["invalid_messages", "tokens_too_long", "server_error", None]


# ------------------------------------------------------------------ what was sent, read independently


def sent_content(endpoint: str, streamed: bool, data: bytes) -> str | None:
    """The content of the answer in ``data``, or ``MUST_RAISE`` when it holds no complete answer."""
    try:
        # SSE is UTF-8; a body is read as json.loads reads bytes (its encoding detected)
        values = [json.loads(e.decode()) for e in reference_events(data)] if streamed else [json.loads(data)]
    except (ValueError, RecursionError):
        return MUST_RAISE
    if any(not isinstance(v, dict) or v.get("error") for v in values):
        return MUST_RAISE
    if endpoint == "responses":
        return _responses_stream(values) if streamed else _responses_body(values[0])
    key = "text" if endpoint == "completions" else "content"
    return _choices_stream(values, key) if streamed else _choices_body(values[0], key)


def _choices_stream(values: list[dict[str, Any]], key: str) -> str | None:
    text, finished = [], False
    for value in values:
        choices = value.get("choices")
        if choices is None:
            continue
        if not isinstance(choices, list) or not all(isinstance(c, dict) and _index_ok(c) for c in choices):
            return MUST_RAISE
        for choice in choices:
            part = choice if key == "text" else choice.get("delta")
            if part is None:
                part = {}
            if not isinstance(part, dict) or not isinstance(part.get(key) or "", str):
                return MUST_RAISE
            text.append(part.get(key) or "")
            finished = finished or bool(choice.get("finish_reason"))
    return split_think("".join(text))[1] if finished else MUST_RAISE


def _choices_body(value: dict[str, Any], key: str) -> str | None:
    choices = value.get("choices")
    if not choices or not isinstance(choices, list) or not all(isinstance(c, dict) and _index_ok(c) for c in choices):
        return MUST_RAISE
    first = sorted(choices, key=lambda c: c.get("index") or 0)[0]
    part = first if key == "text" else first.get("message")
    if part is None:
        part = {}
    if not isinstance(part, dict) or not isinstance(part.get(key) or "", str):
        return MUST_RAISE
    return split_think(part.get(key) or "")[1]


def _index_ok(choice: Mapping[str, Any]) -> bool:
    index = choice.get("index")
    return index is None or (isinstance(index, int) and not isinstance(index, bool) and index >= 0)


def _responses_stream(values: list[dict[str, Any]]) -> str | None:
    text, finished = [], False
    for value in values:
        kind = value.get("type")
        if kind in ("error", "response.failed"):
            return MUST_RAISE
        if kind == "response.output_text.delta":
            if not isinstance(value.get("delta") or "", str):
                return MUST_RAISE
            text.append(value.get("delta") or "")
        finished = finished or kind in ("response.completed", "response.incomplete")
    return split_think("".join(text))[1] if finished else MUST_RAISE


def _responses_body(value: dict[str, Any]) -> str | None:
    output = value.get("output")
    if output is None:
        output = []
    if not isinstance(output, list) or not all(isinstance(item, dict) for item in output):
        return MUST_RAISE
    texts = []
    for item in output:
        if item.get("type") != "message":
            continue
        parts = item.get("content") or []
        if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
            return MUST_RAISE
        for part in parts:
            if part.get("type") == "output_text":
                if not isinstance(part.get("text") or "", str):
                    return MUST_RAISE
                texts.append(part.get("text") or "")
    return split_think("".join(texts))[1]


# ------------------------------------------------------------------ corruptions


def _slots(value: object, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value``."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _slots(item, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            found += _slots(item, (*path, position))
    return found


def _set(value: Any, path: tuple[Any, ...], new: object) -> Any:
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _set(value[path[0]], path[1:], new)
    return copy


def _json_type(value: object) -> str:
    return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__


@st.composite
def wrong_type(draw: st.DrawFn, value: Any) -> Any:
    """``value`` with one field (at any depth, the whole of it included) given a value of another JSON type."""
    path = draw(st.sampled_from(_slots(value)))
    old: Any = value
    for step in path:
        old = old[step]
    new = draw(JSON_VALUE.filter(lambda v: _json_type(v) != _json_type(old)))
    return _set(value, path, new)


@st.composite
def unknown_field(draw: st.DrawFn, value: Any) -> Any:
    objects = [path for path in _slots(value) if isinstance(_get(value, path), dict)]
    path = draw(st.sampled_from(objects)) if objects else ()
    target = _get(value, path)
    if not isinstance(target, dict):
        return value
    return _set(value, path, {**target, draw(st.text(max_size=6).map(lambda t: "x_" + t)): draw(JSON_VALUE)})


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def error_event(endpoint: str, code: str | None) -> dict[str, Any]:
    error = {"message": "boom", "code": code}
    if endpoint == "responses":
        return {"type": "error", **error}
    return {"error": error}


@st.composite
def corrupted(draw: st.DrawFn, endpoint: str, streamed: bool) -> bytes:
    """A valid answer of ``endpoint``, streamed or whole, corrupted one way."""
    answer = draw(answers(endpoint))
    values: list[Any] = events(endpoint, answer) if streamed else [body(endpoint, answer)]
    kind = draw(
        st.sampled_from(
            ["wrong type", "unknown field", "error", "huge", "truncate", "byte", "utf-8", "no done", "deep", "none"]
        )
    )
    event(f"corruption: {kind}")
    position = draw(st.integers(0, len(values) - 1))
    done = True
    if kind == "wrong type":
        values[position] = draw(wrong_type(values[position]))
    elif kind == "unknown field":
        values[position] = draw(unknown_field(values[position]))
    elif kind == "error":
        error = error_event(endpoint, draw(st.sampled_from(ERROR_CODES)))
        values = [*values[:position], error, *values[position:]] if streamed else [error]
    elif kind == "huge":
        values = _huge(endpoint, streamed, values, position)
    elif kind == "no done":
        done = False
    data = _write(values, streamed, done)
    if kind == "deep":
        deep = b"[" * 50_000 + b"]" * 50_000
        data = (b"data: " + deep + b"\n\n" + data) if streamed else deep
    if kind in ("truncate", "byte", "utf-8"):
        at = draw(st.integers(0, len(data)))
        if kind == "truncate":
            data = data[:at]
        elif kind == "byte":
            data = data[:at] + bytes([draw(st.sampled_from(HOSTILE_BYTES))]) + data[at + 1 :]
        else:
            data = data[:at] + draw(st.sampled_from(INVALID_UTF8)) + data[at:]
    return data


def _huge(endpoint: str, streamed: bool, values: list[Any], position: int) -> list[Any]:
    text = "huge " * 60_000
    if not streamed:
        return [body(endpoint, _with_text(text))]
    first = events(endpoint, _with_text(text))
    huge = next(e for e in first if text in json.dumps(e))
    return [*values[:position], huge, *values[position:]]


def _with_text(text: str) -> Any:
    from tests.properties.answers import Answer

    return Answer(content=(text,))


def _write(values: list[Any], streamed: bool, done: bool) -> bytes:
    return sse(values, done=done) if streamed else dumps(values[0])


# ------------------------------------------------------------------ the property

CASES = [(endpoint, plugin, way) for endpoint in ENDPOINTS for plugin in (0, 1) for way in WAYS]


@budget(2.0)
@given(st.sampled_from(CASES), st.data())
def test_a_corrupted_answer_gives_the_content_sent_or_a_documented_error(
    case: tuple[str, int, str], data: st.DataObject
) -> None:
    endpoint, plugin, way = case
    streamed = way in ("stream", "astream")
    served_bytes = data.draw(corrupted(endpoint, streamed))
    served = stream_answer(served_bytes) if streamed else body_answer(served_bytes)
    outcome = run(DRIVER_BY_NAME[ENDPOINT_DRIVERS[endpoint][plugin]], way, served)
    expected = sent_content(endpoint, streamed, served_bytes)
    event(f"outcome: {type(outcome.error).__name__ if outcome.error else 'completed'}")
    if outcome.error is not None:
        assert documented(outcome.error), repr(outcome.error)
        assert not isinstance(outcome.error, ParameterError)  # the request was valid
        return
    assert expected is not MUST_RAISE, f"completed with {outcome.text!r} where no complete answer was sent"
    assert outcome.text == expected
