"""``modelverse_core.jsonio``: orjson's speed, and always ``json.loads``'s values and errors."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelverse_core import ParameterError, jsonio
from modelverse_core.jsonio import LONG_HISTORY, _c_encoder, encode_arguments, encode_body, loads, loads_utf8

SAME_VALUE = [
    b'{"id": "chatcmpl-1", "created": 1740000000, "choices": [{"index": 0, "delta": {"content": "hi"}}]}',
    b' {"a": [1, 2.5, -0, true, false, null]} \n',
    b'{"a": 1, "a": 2}',
    b'"\\u0000 \\u4f60\\u597d"',
    "中文 \u00e9".join(['"', '"']).encode(),
    b"1.0000000000000000000000001",
    b"18446744073709551615",
    b"9223372036854775807",
    # where orjson gives another value or refuses, the standard library decodes
    b"123456789012345678901234567890",
    b"-9223372036854775809",
    b'{"seed": 99999999999999999999}',
    b"NaN",
    b'{"a": Infinity}',
    b"1e400",
    b'"\\ud800"',
]


@pytest.mark.parametrize("data", SAME_VALUE)
def test_values_are_json_loads_values(data: bytes) -> None:
    expected = json.loads(data)
    assert repr(loads(data)) == repr(expected)  # repr: an int that became a float, or NaN, would show
    assert repr(loads_utf8(data)) == repr(json.loads(data.decode()))


@pytest.mark.parametrize("data", [b"", b"   ", b'{"a": 1', b'{"a": 1} {"b": 2}', b"[1,]", b'\xef\xbb\xbf{"a": 1}'])
def test_what_json_loads_refuses_is_refused_the_same_way(data: bytes) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(data.decode())
    with pytest.raises(json.JSONDecodeError) as got:
        loads_utf8(data)
    assert str(got.value) == str(expected.value)


def test_only_utf8_is_read_as_utf8_and_other_encodings_as_json_loads_reads_bytes() -> None:
    utf16 = '{"a": "b"}'.encode("utf-16")
    assert loads(utf16) == json.loads(utf16) == {"a": "b"}
    with pytest.raises(UnicodeDecodeError):
        loads_utf8(utf16)
    with pytest.raises(UnicodeDecodeError):
        loads_utf8(b'{"text": "\xe4\xbc"}')


# ---------------------------------------------------------------- JSON values, as generated

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
ARGUMENTS = st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6)


# ---------------------------------------------------------------- encoding bodies

TEXT_HISTORY: list[dict[str, Any]] = [
    {"role": "user", "content": 'ni hao 你好 \x01 "quoted" \\ \u2028 \x7f'},
    {
        "role": "assistant",
        "content": None,
        "reasoning_content": "think",
        "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": '{"a": 1.5e-05}'}}],
    },
    {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    {"role": "user", "content": [{"type": "text", "text": "look"}, {"type": "image_url", "image_url": {"url": "u"}}]},
] * (LONG_HISTORY // 4 + 1)


@pytest.mark.parametrize(
    "body",
    [
        {"model": "m", "messages": TEXT_HISTORY, "temperature": 1e-05, "stop": ["x"], "stream": True},
        {"messages": TEXT_HISTORY},
        {"model": "m", "messages": TEXT_HISTORY},
        {"model": "m", "input": TEXT_HISTORY, "max_output_tokens": 5, "metadata": {"a": "b"}},
    ],
    ids=["between", "alone", "last", "responses"],
)
def test_a_long_text_history_encodes_to_the_standard_encoders_bytes(body: dict[str, Any]) -> None:
    key = "messages" if "messages" in body else "input"
    assert encode_body(body, key) == json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def test_a_lone_surrogate_in_a_long_history_is_refused_naming_its_field() -> None:
    history = [{"role": "user", "content": "fine"}] * LONG_HISTORY + [{"role": "user", "content": "\ud800"}]
    with pytest.raises(ParameterError, match=rf"^messages\[{LONG_HISTORY}\]\.content: must be text without lone"):
        encode_body({"model": "m", "messages": history}, "messages")


def _standard(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


@given(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=6))
def test_any_body_encodes_to_the_standard_encoders_bytes(body: dict[str, Any]) -> None:
    """Numbers of every kind, text with escapes, nesting: the SDK's bytes, from an encoder built once."""
    assert encode_body(body) == _standard(body)


def test_without_the_c_accelerator_a_body_is_encoded_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    body = {"model": "m", "temperature": 1e-05, "tools": [{"name": "上海", "enum": [1, 2.5, None]}], "x": "\u2028"}
    monkeypatch.setattr(jsonio, "_compact_encoder", _c_encoder(":", ","))
    assert encode_body(body) == _standard(body)


def test_a_circular_body_is_refused_naming_its_field() -> None:
    tool: dict[str, Any] = {"name": "f"}
    tool["parameters"] = tool
    with pytest.raises(ParameterError, match=r"^tools: is nested too deeply to be sent as JSON"):
        encode_body({"model": "m", "tools": [tool]})


def test_a_history_not_known_as_text_goes_through_the_standard_encoder() -> None:
    """A number that is not finite is refused, where orjson would write null."""
    history = [{"role": "user", "content": "fine", "weight": float("nan")}] * LONG_HISTORY
    with pytest.raises(ParameterError, match=r"^messages\[0\]\.weight: must be a finite number"):
        encode_body({"model": "m", "messages": history})


# ---------------------------------------------------------------- encoding tool-call arguments


@given(ARGUMENTS)
def test_arguments_are_written_as_json_dumps_writes_them(args: dict[str, Any]) -> None:
    assert encode_arguments(args) == json.dumps(args, ensure_ascii=False, allow_nan=False)


def test_without_the_c_accelerator_arguments_are_written_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json.encoder, "c_make_encoder", None)
    encode = _c_encoder(": ", ", ")
    args = {"city": "上海", "days": [1, 2.5, None, True], "nested": {"a": "\u2028"}}
    assert encode(args) == encode_arguments(args) == json.dumps(args, ensure_ascii=False, allow_nan=False)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object(), b"bytes"])
def test_arguments_that_are_no_json_are_refused_as_json_dumps_refuses_them(value: object) -> None:
    with pytest.raises((TypeError, ValueError)) as expected:
        json.dumps({"a": value}, ensure_ascii=False, allow_nan=False)
    with pytest.raises(type(expected.value), match=re.escape(str(expected.value))):
        encode_arguments({"a": value})


def test_circular_arguments_end_in_recursion_error() -> None:
    args: dict[str, Any] = {}
    args["self"] = args
    with pytest.raises(RecursionError):
        encode_arguments(args)
