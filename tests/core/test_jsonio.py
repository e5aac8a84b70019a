"""``modelverse_core.jsonio``: orjson's speed, and always ``json.loads``'s values and errors."""

from __future__ import annotations

import json

import pytest

from modelverse_core.jsonio import loads, loads_utf8

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
