"""Server-sent events decoded from raw bytes, however the network cuts them."""

from __future__ import annotations

import json

import pytest

from modelverse_core.errors import StreamEventError
from modelverse_core.sse import EventSplitter, decode_event

STREAM = (
    b": keep-alive\n\n"
    b'data: {"n": 1, "text": "\xe4\xbc\x98\xe5\x88\xbb\xe5\xbe\x97"}\n\n'
    b"event: response.output_text.delta\n"
    b'data: {"n": 2, "type": "response.output_text.delta"}\n\n'
    b'data: {"n": 3,\n'
    b": a comment inside an event\n"
    b'data:"multi": "line"}\n\n'
    b"\n\n\n"
    b'data: {"n": 4}\n\n'
    b"data: [DONE]\n\n"
    b'data: {"n": 5}\n\n'
)
EXPECTED = [
    {"n": 1, "text": "优刻得"},
    {"n": 2, "type": "response.output_text.delta"},
    {"n": 3, "multi": "line"},
    {"n": 4},
]


def decode(chunks: list[bytes]) -> tuple[list[object], bool]:
    splitter, events = EventSplitter(), []
    for chunk in chunks:
        events += [json.loads(data) for data in splitter.feed(chunk)]
        if splitter.done:
            break
    return events, splitter.done


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n", b"\r"], ids=["LF", "CRLF", "CR"])
def test_every_cut_of_the_stream_gives_the_same_events(line_end: bytes) -> None:
    stream = STREAM.replace(b"\n", line_end)
    for cut in range(1, len(stream)):
        assert decode([stream[:cut], stream[cut:]]) == (EXPECTED, True), f"cut at byte {cut}"


def test_byte_by_byte() -> None:
    stream = STREAM.replace(b"\n", b"\r\n")
    assert decode([stream[i : i + 1] for i in range(len(stream))]) == (EXPECTED, True)


def test_a_stream_without_done_ends_with_its_last_complete_event() -> None:
    assert decode([b'data: {"n": 1}\n\ndata: {"n": 2}\n\n', b'data: {"n": 3}']) == ([{"n": 1}, {"n": 2}], False)


def test_a_bare_data_field_is_an_empty_line_of_data() -> None:
    assert EventSplitter().feed(b"data\ndata: x\n\n") == [b"\nx"]


def test_an_error_object_is_raised_with_its_body() -> None:
    error = {"message": "sensitive content", "code": "invalid_messages"}
    with pytest.raises(StreamEventError) as info:
        decode_event(json.dumps({"error": error}).encode())
    assert info.value.message == "sensitive content" and info.value.body == error


def test_an_error_without_a_message_gets_a_generic_one() -> None:
    with pytest.raises(StreamEventError, match="An error occurred during streaming"):
        decode_event(b'{"error": {"code": 500}}')


@pytest.mark.parametrize("error", ["rate limited", ["busy"], 503])
def test_an_error_that_is_no_object_is_raised_with_it_as_the_message_field(error: object) -> None:
    with pytest.raises(StreamEventError, match="An error occurred during streaming") as info:
        decode_event(json.dumps({"error": error}).encode())
    assert info.value.body == {"message": error}


def test_an_empty_error_field_is_not_an_error() -> None:
    assert decode_event(b'{"error": null, "choices": []}') == {"error": None, "choices": []}


def test_data_that_is_not_json_raises() -> None:
    with pytest.raises(json.JSONDecodeError):
        decode_event(b"{not json")
    with pytest.raises(UnicodeDecodeError):
        decode_event(b'{"text": "\xe4\xbc"}')


@pytest.mark.parametrize("text", ['{"a": 1}', ' {"a": 1}', '{"a": 1}  ', "[1, 2]", '"x"', "3"])
def test_json_values_decode_as_json_loads_does(text: str) -> None:
    assert decode_event(text.encode()) == json.loads(text)


@pytest.mark.parametrize("text", ['{"a": 1} {"b": 2}', '{"a": 1', "", "   "])
def test_what_json_loads_refuses_is_refused(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        decode_event(text.encode())
