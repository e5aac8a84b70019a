"""Property: the SSE decoder gives the same events however the same bytes are cut.

Every split point, any number of pieces, CR, LF and CRLF line ends, and UTF-8 characters cut
anywhere: the events are always those a plain reading of the SSE specification finds in the
whole body (:func:`reference_events`).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modelverse_core.sse import EventSplitter
from tests.properties.conftest import budget

pytestmark = pytest.mark.once  # the core's SSE decoder, which the SDK never touches

_LINE_END = re.compile(rb"\r\n|\r|\n")


def reference_events(body: bytes) -> list[bytes]:
    """The data of each event in ``body``, read line by line as the SSE specification says.

    ``[DONE]`` ends the stream; an event the body does not end with a blank line is dropped.
    """
    lines = _LINE_END.split(body)
    lines.pop()  # what follows the last line end is not a complete line
    events: list[bytes] = []
    data: list[bytes] | None = None
    for line in lines:
        if not line:
            if data is not None:
                event = b"\n".join(data)
                if event.startswith(b"[DONE]"):
                    return events
                events.append(event)
            data = None
            continue
        name, _, value = line.partition(b":")
        if name == b"data":
            data = [*(data or []), value[1:] if value.startswith(b" ") else value]
    return events


def decoded(pieces: list[bytes]) -> list[bytes]:
    splitter = EventSplitter()
    events: list[bytes] = []
    for piece in pieces:
        if splitter.done:
            break
        events += splitter.feed(piece)
    return events


TEXT = st.text(st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",)), max_size=12)
LINE = st.one_of(
    TEXT.map(lambda t: "data: " + t),
    TEXT.map(lambda t: "data:" + t),
    st.just("data"),
    TEXT.map(lambda t: ": " + t),
    TEXT.map(lambda t: "event: " + t),
    st.just("id: 7"),
    st.just("data: [DONE]"),
    st.just(""),
)
END = st.sampled_from(["\n", "\r", "\r\n"])


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """Lines of every kind SSE has, each with its own line end; usually ending in a blank line."""
    lines = draw(st.lists(st.tuples(LINE, END), max_size=14))
    text = "".join(line + end for line, end in lines)
    if draw(st.booleans()):
        text += draw(END)
    return text.encode()


@budget(1.0)
@given(bodies(), st.data())
def test_any_cut_of_the_bytes_gives_the_events_of_the_specification(body: bytes, data: st.DataObject) -> None:
    expected = reference_events(body)
    assert decoded([body]) == expected
    cuts = sorted(data.draw(st.sets(st.integers(0, len(body)), max_size=8)))
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    assert decoded(pieces) == expected
    assert decoded([body[i : i + 1] for i in range(len(body))]) == expected


@budget(0.3)
@given(bodies())
def test_every_single_split_point_gives_the_same_events(body: bytes) -> None:
    expected = reference_events(body)
    for point in range(len(body) + 1):
        assert decoded([body[:point], body[point:]]) == expected


ONE_LINE_EVENT = st.one_of(
    TEXT.map(lambda t: "data: " + t + "\n\n"),  # what nearly every chunk is made of, read whole
    st.sampled_from(["data: [DONE]\n\n", "data:[DONE]\n\n", ": keep-alive\n\n", "data: a\ndata: b\n\n", "\n\n"]),
)


@budget(0.3)
@given(st.lists(ONE_LINE_EVENT, max_size=12).map(lambda events: "".join(events).encode()), st.data())
def test_runs_of_one_line_events_give_the_events_of_the_specification(body: bytes, data: st.DataObject) -> None:
    expected = reference_events(body)
    assert decoded([body]) == expected
    point = data.draw(st.integers(0, len(body)))
    assert decoded([body[:point], body[point:]]) == expected
