"""The ``/v1/responses`` wire format: request items and settings, response parsing, typed stream events."""

from __future__ import annotations

import random
from typing import Any

import pytest

from modelverse_core import (
    ForcedTool,
    ImagePart,
    JsonObjectFormat,
    JsonSchemaFormat,
    Message,
    ParameterError,
    SamplingParams,
    TextPart,
    ToolCall,
    ToolSpec,
    Usage,
)
from modelverse_core.errors import StreamEventError
from modelverse_core.wire.responses import (
    CHAT_ONLY_PARAMS,
    RESPONSES,
    ResponsesAccumulator,
    build_responses_request,
    parse_responses,
)
from tests.core.helpers import load_json, load_sse

R1 = "deepseek-ai/DeepSeek-R1"
WEATHER = ToolSpec("get_weather", "Weather of a city.", {"type": "object", "properties": {"city": {"type": "string"}}})
CALL = ToolCall.from_args("call_1", "get_weather", {"city": "Paris"})
FIXTURES = ["responses_reasoning_text", "responses_summary_tool_call", "responses_think_tag", "responses_incomplete"]


def accumulate(events: list[dict[str, Any]]) -> tuple[ResponsesAccumulator, list[Any]]:
    acc = ResponsesAccumulator()
    return acc, [delta for event in events for delta in acc.add(event)]


# ---------------------------------------------------------------- requests


def test_messages_become_input_items_with_call_ids_and_reasoning_per_policy() -> None:
    history = [
        Message("system", "Be brief."),
        Message("user", (TextPart("What is this?"), ImagePart("https://example.com/a.png", "low"))),
        Message("assistant", "", reasoning="look it up", tool_calls=(CALL,)),
        Message("tool", "sunny", tool_call_id="call_1"),
    ]
    body = build_responses_request("gpt-5", history, tools=[WEATHER])
    assert body["input"] == [
        {"type": "message", "role": "system", "content": "Be brief."},
        {
            "type": "message",
            "role": "user",
            "content": [
                {"type": "input_text", "text": "What is this?"},
                {"type": "input_image", "image_url": "https://example.com/a.png", "detail": "low"},
            ],
        },
        {
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": "look it up"}],
            "content": [{"type": "reasoning_text", "text": "look it up"}],
        },
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Paris"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": "sunny"},
    ]
    never = build_responses_request("gpt-5", history, tools=[WEATHER], reasoning_policy="never")
    assert all(item["type"] != "reasoning" for item in never["input"])


def test_earlier_answers_keep_their_text_and_drop_old_reasoning_under_auto() -> None:
    history = [Message("user", "hi"), Message("assistant", "hello", reasoning="greet"), Message("user", "bye")]
    items = build_responses_request(R1, history)["input"]
    assert items[1] == {"type": "message", "role": "assistant", "content": "hello"}
    assert [item["type"] for item in items] == ["message", "message", "message"]


def test_settings_take_their_responses_names() -> None:
    params = SamplingParams(
        temperature=0.2,
        top_p=0.9,
        max_completion_tokens=128,
        reasoning_effort="low",
        metadata={"team": "a"},
        user="u-1",
        parallel_tool_calls=False,
    )
    body = build_responses_request(
        R1,
        [Message("user", "hi")],
        params,
        tools=[WEATHER],
        tool_choice=ForcedTool("get_weather"),
        response_format=JsonSchemaFormat("Joke", {"type": "object"}, strict=True),
        stream=True,
        extra_body={"store": False},
    )
    assert body == {
        "model": R1,
        "input": [{"type": "message", "role": "user", "content": "hi"}],
        "max_output_tokens": 128,
        "reasoning": {"effort": "low"},
        "metadata": {"team": "a"},
        "temperature": 0.2,
        "top_p": 0.9,
        "user": "u-1",
        "parallel_tool_calls": False,
        "tools": [
            {
                "type": "function",
                "name": "get_weather",
                "description": "Weather of a city.",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
            }
        ],
        "tool_choice": {"type": "function", "name": "get_weather"},
        "text": {"format": {"type": "json_schema", "name": "Joke", "schema": {"type": "object"}, "strict": True}},
        "stream": True,
        "store": False,
    }
    json_mode = build_responses_request(R1, [Message("user", "hi")], response_format=JsonObjectFormat())
    assert json_mode["text"] == {"format": {"type": "json_object"}}


@pytest.mark.parametrize("name", CHAT_ONLY_PARAMS)
def test_chat_only_settings_are_refused_by_name(name: str) -> None:
    values: dict[str, Any] = {"stop": ["x"], "web_search": {"enable": True}, "logprobs": True, "stop_token_ids": [1]}
    params = SamplingParams(**{name: values.get(name, 1.5 if "penalty" in name else 1)})
    with pytest.raises(ParameterError, match=rf"^{name}: is a chat completions setting"):
        build_responses_request(R1, [Message("user", "hi")], params)


def test_the_chat_checks_apply_too() -> None:
    with pytest.raises(ParameterError, match="max_completion_tokens"):
        build_responses_request(R1, [Message("user", "hi")], SamplingParams(max_completion_tokens=10**6))
    with pytest.raises(ParameterError, match="does not accept images"):
        build_responses_request(R1, [Message("user", (ImagePart("https://example.com/a.png"),))])


# ---------------------------------------------------------------- whole responses


def test_reasoning_text_content_output_text_and_usage() -> None:
    result = parse_responses(load_json("responses_reasoning_text.json"))
    assert result.reasoning.startswith("The user asks") and result.content.startswith("You said")
    assert result.finish_reason == "stop" and result.id == "resp_standin-00001" and result.model == R1
    assert result.usage == Usage(
        prompt_tokens=6, completion_tokens=34, total_tokens=40, reasoning_tokens=12, cached_tokens=0
    )


def test_summary_reasoning_and_function_calls() -> None:
    result = parse_responses(load_json("responses_summary_tool_call.json"))
    assert result.reasoning.startswith("The user asks")
    (call,) = result.tool_calls
    assert (call.id, call.name, call.args) == ("call_0_52fbb73d", "get_weather", {"city": "Paris"})
    assert result.finish_reason == "tool_calls"


def test_inline_think_tags_are_split_and_incomplete_is_length() -> None:
    inline = parse_responses(load_json("responses_think_tag.json"))
    assert inline.reasoning.startswith("The user asks") and inline.content.startswith("You said")
    assert parse_responses(load_json("responses_incomplete.json")).finish_reason == "length"


def test_several_reasoning_parts_are_separated_and_cached_tokens_kept() -> None:
    body = {
        "status": "completed",
        "output": [
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": "one"}, {"text": "two"}]},
            {"type": "reasoning", "summary": [], "content": [{"type": "reasoning_text", "text": "three"}]},
            {"type": "message", "content": [{"type": "output_text", "text": "ok"}]},
        ],
        "usage": {"input_tokens": 10, "output_tokens": 2, "input_tokens_details": {"cached_tokens": 8}},
    }
    result = parse_responses(body)
    assert result.reasoning == "one\n\ntwo\n\nthree" and result.content == "ok"
    assert result.usage == Usage(prompt_tokens=10, completion_tokens=2, total_tokens=12, cached_tokens=8)


# ---------------------------------------------------------------- streams


@pytest.mark.parametrize("name", FIXTURES)
def test_stream_equals_the_whole_response(name: str) -> None:
    acc, deltas = accumulate(load_sse(f"{name}.sse"))
    streamed, whole = acc.result(), parse_responses(load_json(f"{name}.json"))
    assert acc.finished
    assert streamed.choices[0].content == whole.content and streamed.reasoning == whole.reasoning
    assert streamed.tool_calls == whole.tool_calls and streamed.finish_reason == whole.finish_reason
    assert streamed.usage == whole.usage and streamed.model == whole.model
    assert deltas[-1].usage == whole.usage and deltas[-1].finish_reason == whole.finish_reason
    assert [d for d in deltas if d.usage] == [deltas[-1]]


def test_reasoning_streams_before_text_and_calls_arrive_as_indexed_fragments() -> None:
    _, deltas = accumulate(load_sse("responses_reasoning_text.sse"))
    reasoning_at = [i for i, d in enumerate(deltas) if d.reasoning]
    content_at = [i for i, d in enumerate(deltas) if d.content]
    assert reasoning_at and content_at and max(reasoning_at) < min(content_at)
    _, deltas = accumulate(load_sse("responses_summary_tool_call.sse"))
    fragments = [call for d in deltas for call in d.tool_calls]
    assert len(fragments) > 1 and {f.index for f in fragments} == {0}
    assert fragments[0].id == "call_0_52fbb73d" and fragments[0].name == "get_weather"


def test_arguments_sent_only_with_the_finished_item_are_not_lost() -> None:
    item = {"type": "function_call", "call_id": "c1", "name": "f", "arguments": '{"a": 1}'}
    events = [
        {"type": "response.output_item.added", "output_index": 0, "item": {**item, "arguments": ""}},
        {"type": "response.function_call_arguments.delta", "output_index": 0, "delta": '{"a"'},
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.output_item.done", "output_index": 1, "item": {**item, "call_id": "c2"}},
        {"type": "response.completed", "response": {"status": "completed", "output": []}},
    ]
    acc, _ = accumulate(events)
    assert [(c.id, c.args) for c in acc.result().tool_calls] == [("c1", {"a": 1}), ("c2", {"a": 1})]
    assert acc.result().finish_reason == "tool_calls"


def test_text_before_reasoning_adds_no_separator_in_a_stream_as_in_a_whole_response() -> None:
    reasoning = {"type": "reasoning", "summary": [{"type": "summary_text", "text": "think"}]}
    message = {"type": "message", "content": [{"type": "output_text", "text": "hi"}]}
    body = {"status": "completed", "output": [message, reasoning]}
    events = [
        {"type": "response.output_text.delta", "delta": "hi"},
        {"type": "response.reasoning_summary_text.delta", "item_id": "r", "summary_index": 0, "delta": "think"},
        {"type": "response.completed", "response": body},
    ]
    acc, _ = accumulate(events)
    assert acc.result().reasoning == parse_responses(body).reasoning == "think"


def test_a_blank_response_id_and_blank_or_repeated_call_ids_are_not_kept() -> None:
    call = {"type": "function_call", "call_id": " ", "name": "get_weather", "arguments": "{}"}
    body = {
        "id": " ",
        "status": "completed",
        "output": [call, call, {**call, "call_id": "c1"}, {**call, "call_id": "c1"}],
    }
    events = [
        {"type": "response.created", "response": {"id": " ", "status": "in_progress"}},
        *(
            {"type": "response.output_item.done", "output_index": i, "item": item}
            for i, item in enumerate(body["output"])
        ),
        {"type": "response.completed", "response": body},
    ]
    acc, deltas = accumulate(events)
    for result in (parse_responses(body), acc.result()):
        ids = [c.id for c in result.tool_calls]
        assert result.id is None and len(set(ids)) == 4 and ids[2] == "c1" and all(i.strip() for i in ids)
    assert all(d.id is None for d in deltas)


def test_a_stream_without_its_completed_event_is_not_finished() -> None:
    events = load_sse("responses_reasoning_text.sse")
    acc, _ = accumulate(events[:-1])
    assert not acc.finished


@pytest.mark.parametrize(
    ("event", "status", "code"),
    [
        ({"type": "error", "code": "invalid_messages", "message": "Sensitive information"}, 400, "invalid_messages"),
        (
            {"type": "response.failed", "response": {"error": {"code": "server_error", "message": "boom"}}},
            500,
            "server_error",
        ),
        ({"type": "response.failed", "response": {"id": "resp_1"}}, 400, None),
    ],
)
def test_error_events_raise_for_the_error_table(event: dict[str, Any], status: int, code: str | None) -> None:
    with pytest.raises(StreamEventError) as info:
        ResponsesAccumulator().add(event)
    assert info.value.status == status and info.value.body.get("code") == code


def test_split_points_do_not_change_the_result() -> None:
    events = load_sse("responses_think_tag.sse")
    texts = [e for e in events if e["type"] == "response.output_text.delta"]
    whole = "".join(e["delta"] for e in texts)
    cut = sorted(random.Random(7).sample(range(1, len(whole)), 12))
    pieces = [whole[a:b] for a, b in zip([0, *cut], [*cut, len(whole)], strict=True)]
    others = [e for e in events if e["type"] != "response.output_text.delta"]
    resplit = others[:-1] + [{"type": "response.output_text.delta", "delta": p} for p in pieces] + others[-1:]
    acc, _ = accumulate(resplit)
    assert acc.result().content == parse_responses(load_json("responses_think_tag.json")).content


def test_the_wire_names_the_endpoint() -> None:
    assert RESPONSES.path == "/responses" and RESPONSES.parse is parse_responses
