"""Stream shapes that servers other than ModelVerse send: the accumulator reads each as the same answer.

- DashScope: a second parallel call streamed under the first one's ``index``, with a new ``id``;
- Ollama: whole calls, each with ``index: 0`` and its own ``id``;
- gateways: ``index: null``, the ``id`` only on each call's first fragment;
- vLLM and SGLang with ``continuous_usage_stats``: the running usage on every chunk.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import Any

import pytest

from modelverse_core import RESPONSES, StreamAccumulator, StreamDelta, Usage, parse_response
from modelverse_core.errors import ShapeError
from modelverse_core.stream import usage_increment
from modelverse_core.wire.completions import CompletionAccumulator
from tests.core.helpers import load_sse

WEATHER = {"id": "call_w", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
TIME = {"id": "call_t", "type": "function", "function": {"name": "get_time", "arguments": '{"tz": "CET"}'}}


def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "r", "model": "m", "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    if usage is not None:
        data["usage"] = usage
    return data


def fragment(index: int | None, call_id: str | None = None, name: str | None = None, arguments: str = "") -> Any:
    function: dict[str, Any] = {"arguments": arguments}
    if name is not None:
        function["name"] = name
    piece: dict[str, Any] = {"index": index, "function": function}
    if call_id is not None:
        piece.update(id=call_id, type="function")
    return {"tool_calls": [piece]}


def split_call(index: int | None, call: dict[str, Any]) -> list[dict[str, Any]]:
    """A call as most servers stream it: id and name first, then the arguments in two pieces."""
    arguments = call["function"]["arguments"]
    return [
        chunk(fragment(index, call["id"], call["function"]["name"])),
        chunk(fragment(index, arguments=arguments[:5])),
        chunk(fragment(index, arguments=arguments[5:])),
    ]


SHAPES = {
    "dashscope-same-index": split_call(0, WEATHER) + split_call(0, TIME),
    "ollama-whole-calls": [
        chunk({"tool_calls": [{"index": 0, **WEATHER}]}),
        chunk({"tool_calls": [{"index": 0, **TIME}]}),
    ],
    "ollama-whole-calls-one-chunk": [chunk({"tool_calls": [{"index": 0, **WEATHER}, {"index": 0, **TIME}]})],
    "null-index": split_call(None, WEATHER) + split_call(None, TIME),
    "distinct-indexes": split_call(0, WEATHER) + split_call(1, TIME),
    "interleaved": [
        *split_call(0, WEATHER)[:1],
        *split_call(1, TIME)[:1],
        *split_call(0, WEATHER)[1:],
        *split_call(1, TIME)[1:],
    ],
}
WHOLE = {
    "choices": [
        {"index": 0, "message": {"role": "assistant", "tool_calls": [WEATHER, TIME]}, "finish_reason": "tool_calls"}
    ]
}


def stream(chunks: list[dict[str, Any]]) -> tuple[StreamAccumulator, list[StreamDelta]]:
    acc = StreamAccumulator()
    whole = [chunk({"role": "assistant", "content": ""}), *chunks, chunk({}, "tool_calls")]
    deltas = [d for c in whole for d in acc.add(c)]
    return acc, deltas


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_parallel_calls_are_two_calls_whatever_their_indexes(shape: str) -> None:
    acc, _ = stream(SHAPES[shape])
    result = acc.result()
    assert result.choices == parse_response(WHOLE).choices
    calls = result.tool_calls
    assert [(c.id, c.name, c.args) for c in calls] == [
        ("call_w", "get_weather", {"city": "Paris"}),
        ("call_t", "get_time", {"tz": "CET"}),
    ]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_fragments_are_indexed_by_their_call_and_name_it_once(shape: str) -> None:
    """Each call's fragments share one index of their own, its first fragment carrying the id."""
    _, deltas = stream(SHAPES[shape])
    fragments = [f for d in deltas for f in d.tool_calls]
    by_index: dict[int, list[Any]] = {}
    for f in fragments:
        by_index.setdefault(f.index, []).append(f)
    assert sorted(by_index) == [0, 1]
    for index, call in ((0, WEATHER), (1, TIME)):
        assert [f.id for f in by_index[index]] == [call["id"]] + [None] * (len(by_index[index]) - 1)
        assert "".join(f.arguments for f in by_index[index]) == call["function"]["arguments"]
        assert "".join(f.name or "" for f in by_index[index]) == call["function"]["name"]


def test_a_snapshot_between_two_calls_on_one_index_holds_both() -> None:
    acc = StreamAccumulator()
    for c in SHAPES["dashscope-same-index"][:4]:
        acc.add(c)
    first, second = acc.snapshot().tool_calls
    assert (first.name, first.args) == ("get_weather", {"city": "Paris"})
    assert (second.id, second.name, second.arguments) == ("call_t", "get_time", "")


def test_an_id_repeated_on_every_fragment_continues_its_call() -> None:
    arguments = WEATHER["function"]["arguments"]
    chunks = [
        chunk(fragment(0, "call_w", "get_weather")),
        chunk(fragment(0, "call_w", arguments=arguments[:5])),
        chunk(fragment(0, "call_w", arguments=arguments[5:])),
    ]
    acc, _ = stream(chunks)
    (call,) = acc.result().tool_calls
    assert (call.id, call.args) == ("call_w", {"city": "Paris"})


def test_an_id_that_changes_inside_a_call_does_not_split_it() -> None:
    """Only a fragment that names a function starts a call: a new call always does."""
    arguments = WEATHER["function"]["arguments"]
    chunks = [
        chunk(fragment(0, "call_w", "get_weather")),
        chunk(fragment(0, "call_x", arguments=arguments[:5])),
        chunk(fragment(None, "call_y", arguments=arguments[5:])),
    ]
    acc, _ = stream(chunks)
    (call,) = acc.result().tool_calls
    assert (call.id, call.args) == ("call_w", {"city": "Paris"})


def test_blank_ids_on_one_index_stay_one_call() -> None:
    """A blank id is no id: it neither starts a call nor splits one (the call gets a generated id)."""
    arguments = WEATHER["function"]["arguments"]
    acc, _ = stream([chunk(fragment(0, " ", "get_weather")), chunk(fragment(0, " ", arguments=arguments))])
    (call,) = acc.result().tool_calls
    assert call.id.startswith("call_") and call.args == {"city": "Paris"}


# ---------------------------------------------------------------- usage on every chunk


def usage(prompt: int, completion: int) -> dict[str, Any]:
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


CONTINUOUS = [
    chunk({"role": "assistant", "content": ""}, usage=usage(20, 0)),
    *(chunk({"content": word}, usage=usage(20, n)) for n, word in enumerate(["Hello", " from", " a", " server"], 1)),
    chunk({"content": "."}, "stop", usage=usage(20, 6)),
    {"id": "r", "model": "m", "choices": [], "usage": usage(20, 6)},
]


def test_usage_on_every_chunk_adds_no_deltas_and_ends_at_the_last_report() -> None:
    acc = StreamAccumulator()
    deltas = [d for c in CONTINUOUS for d in acc.add(c)]
    assert len(deltas) == len(CONTINUOUS)  # one per chunk: usage rides on the chunk's own delta
    assert [d.usage.completion_tokens for d in deltas if d.usage] == [0, 1, 2, 3, 4, 6, 6]
    assert acc.usage == Usage(20, 6, 26)
    assert "".join(d.content for d in deltas) == "Hello from a server."


def test_the_increments_of_running_usage_add_up_to_the_last_report() -> None:
    acc = StreamAccumulator()
    before: Usage | None = None
    increments = []
    for c in CONTINUOUS:
        for d in acc.add(c):
            if d.usage is not None:
                increments.append(usage_increment(d.usage, before))
                before = d.usage
    assert [i.prompt_tokens for i in increments] == [20, 0, 0, 0, 0, 0, 0]
    assert sum(i.completion_tokens for i in increments) == 6
    assert sum(i.total_tokens for i in increments) == 26


def test_usage_once_on_the_last_chunk_is_its_own_delta() -> None:
    acc = StreamAccumulator()
    final = {"id": "r", "model": "m", "choices": [], "usage": usage(20, 6)}
    deltas = [d for c in [chunk({"content": "Hi"}), chunk({}, "stop"), final] for d in acc.add(c)]
    assert [d.usage for d in deltas] == [None, None, Usage(20, 6, 26)]
    assert usage_increment(Usage(20, 6, 26), None) == Usage(20, 6, 26)


def test_raw_is_the_chunk_last_added() -> None:
    acc = StreamAccumulator()
    for c in CONTINUOUS:
        acc.add(c)
        assert acc.raw is c


def test_raw_of_a_responses_stream_ends_with_the_response_and_its_usage() -> None:
    """What llama-index's token counting reads: ``raw["usage"]`` of the last streamed response."""
    acc = RESPONSES.accumulator()
    events = load_sse("responses_reasoning_text.sse")
    for event in events:
        acc.add(event)
        if event.get("type") != "response.completed":
            assert acc.raw is event
    assert acc.raw is events[-1]["response"] and acc.raw["usage"]["output_tokens"] == acc.usage.completion_tokens


INDEXES = [None, 0, 3, -1, True, False, 1.0, "0"]
IDS = [None, "", " ", "call_1", 7]
NAMES = [None, "", "get_weather", 7]
ARGUMENTS = [None, "", '{"city": ', {"city": "Paris"}, 7]


@pytest.mark.parametrize("index", INDEXES)
@pytest.mark.parametrize("call_id", IDS)
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("arguments", ARGUMENTS)
def test_a_fragment_read_without_its_checks_is_what_the_checks_give(
    index: object, call_id: object, name: object, arguments: object
) -> None:
    """Pieces of arguments skip the shape checks: every other fragment, and every error, is as checked."""
    from modelverse_core.errors import ShapeError
    from modelverse_core.wire.chat import _checked_fragment, _tool_call_fragment

    raw = {"index": index, "id": call_id, "function": {"name": name, "arguments": arguments}}
    try:
        checked = _checked_fragment(index, call_id, name, arguments)
    except ShapeError as exc:
        with pytest.raises(ShapeError, match=f"^{re.escape(str(exc))}$"):
            _tool_call_fragment(raw)
        return
    fragment = _tool_call_fragment(raw)
    assert fragment == checked
    assert [type(value) for value in fragment] == [type(value) for value in checked]


# ---------------------------------------------------------------- the accumulators' common path and the rest

OFF_PATH: dict[str, tuple[Any, str]] = {
    "index true": ({"index": True, "text": "a"}, "choices[].index must be a non-negative integer, got a boolean"),
    "index negative": ({"index": -1, "text": "a"}, "choices[].index must be a non-negative integer, got the number -1"),
    "index text": ({"index": "0", "text": "a"}, "choices[].index must be a non-negative integer, got a string"),
    "finish reason a number": ({"index": 0, "text": "a", "finish_reason": 5}, "choices[].finish_reason must be a"),
    "text a number": ({"index": 0, "text": 5}, "choices[].text must be a string, got the number 5"),
    "choice a list": ([], "choices[] must be an object, got an array"),
}


@pytest.mark.parametrize("case", sorted(OFF_PATH))
def test_a_chunk_off_the_common_path_is_read_through_the_shape_checks(case: str) -> None:
    choice, message = OFF_PATH[case]
    with pytest.raises(ShapeError, match=re.escape(message)):
        CompletionAccumulator().add({"id": "r", "model": "m", "choices": [choice]})


def test_choices_that_are_no_array_are_a_shape_error() -> None:
    with pytest.raises(ShapeError, match=re.escape("choices must be an array, got an object")):
        CompletionAccumulator().add({"id": "r", "model": "m", "choices": {"index": 0, "text": "a"}})


def test_an_index_null_reads_as_zero_and_a_mapping_chunk_as_its_dict() -> None:
    acc = CompletionAccumulator()
    acc.add(MappingProxyType({"id": "r", "model": "m", "choices": [{"index": None, "text": "a"}]}))
    acc.add(
        {"id": "r", "model": "m", "choices": [MappingProxyType({"index": 0, "text": "b", "finish_reason": "stop"})]}
    )
    choice = acc.result().choices[0]
    assert (choice.content, choice.finish_reason) == ("ab", "stop")


def test_metadata_arriving_after_the_first_chunk_is_still_read() -> None:
    acc = CompletionAccumulator()
    first = acc.add({"id": "r", "model": "m", "choices": [{"index": 0, "text": "a"}]})[0]
    later = acc.add(
        {
            "id": "r",
            "model": "m",
            "system_fingerprint": "fp1",
            "search_results": [{"url": "u"}],
            "choices": [{"index": 0, "text": "b"}],
        }
    )[0]
    assert (first.system_fingerprint, first.search_results) == (None, None)
    assert (later.system_fingerprint, later.search_results) == ("fp1", ({"url": "u"},))


CHAT_OFF_PATH: dict[str, tuple[Any, str]] = {
    "delta a list": ([], "choices[].delta must be an object, got an array"),
    "content a number": ({"content": 5}, "choices[].delta.content must be a string, got the number 5"),
    "reasoning a number": ({"reasoning_content": 5}, "reasoning_content must be a string, got the number 5"),
    "other reasoning a list": ({"reasoning": []}, "reasoning must be a string, got an array"),
    "tool calls a string": ({"tool_calls": "f"}, "choices[].delta.tool_calls must be an array, got a string"),
}


@pytest.mark.parametrize("case", sorted(CHAT_OFF_PATH))
def test_a_chat_delta_off_the_common_path_is_read_through_the_shape_checks(case: str) -> None:
    delta, message = CHAT_OFF_PATH[case]
    with pytest.raises(ShapeError, match=re.escape(message)):
        StreamAccumulator().add({"id": "r", "model": "m", "choices": [{"index": 0, "delta": delta}]})


def test_a_chat_delta_null_or_with_the_other_reasoning_field_reads_as_the_checks_give_it() -> None:
    acc = StreamAccumulator()
    acc.add({"id": "r", "model": "m", "choices": [{"index": 0, "delta": None}]})
    got = acc.add(chunk({"reasoning": "think", "content": None, "tool_calls": None}, finish="stop"))[0]
    assert (got.reasoning, got.content, got.tool_calls) == ("think", "", ())
