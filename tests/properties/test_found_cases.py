"""The smallest inputs the generated tests found breaking a plugin, each kept as an ordinary test.

Every one raised a raw Python error (``AttributeError``, ``TypeError``, ``KeyError``,
``IndexError``, ``RecursionError``, a pydantic ``ValidationError``) or lost text before it
was fixed. Each runs for both plugins, and for the ways of calling it concerns.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from llama_index.core.llms import ChatMessage, MessageRole

from langchain_modelverse import ChatModelverse
from modelverse_core import (
    MalformedResponseError,
    ParameterError,
    SensitiveContentError,
    StreamAccumulator,
    parse_response,
)
from modelverse_core.errors import ShapeError
from modelverse_core.jsonio import loads
from modelverse_core.response import parse_usage
from modelverse_core.sse import EventSplitter
from tests.properties.answers import Answer, body, dumps, events, sse
from tests.properties.harness import (
    DRIVER_BY_NAME,
    ENDPOINT_DRIVERS,
    body_answer,
    make,
    run,
    stream_answer,
)
from tests.reliability.drivers import Driver

CHAT_DRIVERS = [DRIVER_BY_NAME[name] for name in ENDPOINT_DRIVERS["chat"]]
ALL_DRIVERS = [DRIVER_BY_NAME[name] for names in ENDPOINT_DRIVERS.values() for name in names]
STREAMS = ("stream", "astream")
CALLS = ("call", "acall")
META = {"id": "x", "model": "m"}


def chunk(**choice: Any) -> dict[str, Any]:
    return {**META, "choices": [{"index": 0, **choice}]}


FINISH = chunk(delta={}, finish_reason="stop")
MALFORMED_CHAT_EVENTS: dict[str, list[Any]] = {
    "event not an object": [[1, 2]],
    "event null": [None],
    "choices a string": [{**META, "choices": "abc"}],
    "choice not an object": [{**META, "choices": [5]}],
    "delta a list": [chunk(delta=[1])],
    "index a string": [chunk(index="x", delta={"content": "a"})],
    "content a number": [chunk(delta={"content": 5})],
    "reasoning an object": [chunk(delta={"reasoning_content": {"a": 1}})],
    "tool_calls an object": [chunk(delta={"tool_calls": {"a": 1}})],
    "tool call a string": [chunk(delta={"tool_calls": ["f"]})],
    "function a string": [chunk(delta={"tool_calls": [{"index": 0, "id": "c", "function": "f"}]})],
    "tool name a number": [chunk(delta={"tool_calls": [{"index": 0, "id": "c", "function": {"name": 5}}]})],
    "tool index a string": [chunk(delta={"tool_calls": [{"index": "x", "id": "c", "function": {"name": "f"}}]})],
    "usage a list": [FINISH, {**META, "choices": [], "usage": [1]}],
    "usage count as text": [FINISH, {**META, "choices": [], "usage": {"prompt_tokens": "3.5"}}],
    "usage count a fraction": [FINISH, {**META, "choices": [], "usage": {"prompt_tokens": 3.5}}],
    "usage details a list": [FINISH, {**META, "choices": [], "usage": {"completion_tokens_details": [1]}}],
    "finish reason a number": [chunk(delta={}, finish_reason=1)],
}


@pytest.mark.parametrize("case", MALFORMED_CHAT_EVENTS, ids=list(MALFORMED_CHAT_EVENTS))
@pytest.mark.parametrize("way", STREAMS)
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=lambda d: d.name)
def test_a_malformed_chat_event_raises_malformed_response(driver: Driver, way: str, case: str) -> None:
    outcome = run(driver, way, stream_answer(sse(MALFORMED_CHAT_EVENTS[case])))
    assert isinstance(outcome.error, MalformedResponseError), outcome


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-1", "[1]", '"3"'])
def test_usage_counts_that_are_not_whole_numbers_are_malformed(value: str) -> None:
    usage = loads(b'{"prompt_tokens": %s}' % value.encode())
    with pytest.raises(ShapeError, match=r"usage\.prompt_tokens"):
        parse_usage(usage)


def test_a_usage_count_sent_as_a_whole_float_is_read() -> None:
    assert parse_usage({"prompt_tokens": 12.0, "total_tokens": 12}) is not None


MALFORMED_BODIES: dict[str, dict[str, list[Any] | Any]] = {
    "chat": {
        "no choices": {**META},
        "choices null": {**META, "choices": None},
        "choices empty": {**META, "choices": []},
        "message a string": {**META, "choices": [{"index": 0, "message": "hi"}]},
        "content a list": {**META, "choices": [{"index": 0, "message": {"content": [1]}}]},
        "tool calls a string": {**META, "choices": [{"index": 0, "message": {"content": "", "tool_calls": "f"}}]},
        "usage count infinite": {**META, "choices": [{"message": {"content": "a"}}], "usage": {"total_tokens": 1e999}},
    },
    "responses": {
        "output a string": {"id": "r", "output": "hi"},
        "item a number": {"id": "r", "output": [1]},
        "text a number": {"id": "r", "output": [{"type": "message", "content": [{"type": "output_text", "text": 5}]}]},
        "usage details a number": {"id": "r", "output": [], "usage": {"input_tokens_details": 5}},
    },
    "completions": {
        "no choices": {**META, "choices": []},
        "text a number": {**META, "choices": [{"index": 0, "text": 5}]},
        "index negative": {**META, "choices": [{"index": -1, "text": "a"}]},
    },
}
BODY_CASES = [(endpoint, case) for endpoint, cases in MALFORMED_BODIES.items() for case in cases]


@pytest.mark.parametrize(("endpoint", "case"), BODY_CASES, ids=[f"{e}-{c}" for e, c in BODY_CASES])
@pytest.mark.parametrize("plugin", [0, 1], ids=["langchain", "llamaindex"])
def test_a_malformed_body_raises_malformed_response(plugin: int, endpoint: str, case: str) -> None:
    driver = DRIVER_BY_NAME[ENDPOINT_DRIVERS[endpoint][plugin]]
    outcome = run(driver, "call", body_answer(dumps(MALFORMED_BODIES[endpoint][case])))
    assert isinstance(outcome.error, MalformedResponseError), outcome


@pytest.mark.parametrize("driver", ALL_DRIVERS, ids=lambda d: d.name)
@pytest.mark.parametrize("way", ["call", "astream"])
def test_json_nested_too_deep_is_malformed_not_a_recursion_error(driver: Driver, way: str) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    served = stream_answer(b"data: " + deep + b"\n\n") if way in STREAMS else body_answer(deep)
    assert isinstance(run(driver, way, served).error, MalformedResponseError)


@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=lambda d: d.name)
@pytest.mark.parametrize("way", CALLS)
def test_an_error_object_in_a_200_body_is_mapped_by_its_code(driver: Driver, way: str) -> None:
    error = {"error": {"message": "Sensitive information", "code": "invalid_messages"}}
    outcome = run(driver, way, body_answer(dumps(error))).error
    assert isinstance(outcome, SensitiveContentError)
    assert "[error in an HTTP 200 body, code invalid_messages]" in str(outcome)


def test_tool_arguments_sent_as_an_object_are_kept_as_their_json() -> None:
    call = {"index": 0, "id": "c1", "type": "function", "function": {"name": "f", "arguments": {"city": "Paris"}}}
    accumulator = StreamAccumulator()
    accumulator.add(chunk(delta={"tool_calls": [call]}, finish_reason="tool_calls"))
    streamed = accumulator.result().tool_calls[0]
    whole = parse_response({**META, "choices": [{"message": {"tool_calls": [call]}}]}).tool_calls[0]
    assert streamed.args == whole.args == {"city": "Paris"}
    assert streamed.arguments == whole.arguments == '{"city": "Paris"}'


@pytest.mark.parametrize(
    "logprobs",
    [
        {"content": 5},
        {"content": "abc"},
        {"content": [{"token": "a", "logprob": "x", "bytes": ["z"], "top_logprobs": 5}]},
        {"content": [{"token": "a", "logprob": 10**400, "bytes": [300]}]},
    ],
)
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=lambda d: d.name)
def test_odd_log_probabilities_never_cost_the_answer(driver: Driver, logprobs: dict[str, Any]) -> None:
    stream = [chunk(delta={"content": "Hi"}, logprobs=logprobs), FINISH]
    assert run(driver, "stream", stream_answer(sse(stream))).text == "Hi"


HELD_BACK = ["<", "<thi", "  ", "\n", "<think>why"]


@pytest.mark.parametrize("content", HELD_BACK)
@pytest.mark.parametrize("way", STREAMS)
@pytest.mark.parametrize("driver", ALL_DRIVERS, ids=lambda d: d.name)
def test_text_the_think_splitter_holds_back_ends_the_deltas(driver: Driver, way: str, content: str) -> None:
    endpoint = next(e for e, names in ENDPOINT_DRIVERS.items() if driver.name in names)
    answer = Answer(content=(content,))
    streamed = run(driver, way, stream_answer(sse(events(endpoint, answer)))).text
    whole = run(driver, "call", body_answer(dumps(body(endpoint, answer)))).text
    assert streamed == whole
    assert streamed == ("" if content.startswith("<think>") else content)


# ------------------------------------------------------------------ bad input, refused before sending


def langchain_model(served: Any) -> ChatModelverse:
    return make(DRIVER_BY_NAME["langchain"], served)  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "block",
    [
        {"type": "image_url"},
        {"type": "image_url", "image_url": 5},
        {"type": "image_url", "image_url": {"detail": "low"}},
        {"type": "image_url", "image_url": {"url": 5}},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": 1}},
        {"type": "text", "text": 5},
    ],
)
def test_langchain_malformed_content_blocks_are_parameter_errors(block: dict[str, Any]) -> None:
    served = body_answer(b"{}")
    with pytest.raises(ParameterError, match=r"messages\[0\]\.content"):
        langchain_model(served).invoke([HumanMessage(content=[block])])
    assert served.requests == []


@pytest.mark.parametrize("content", [[{"type": "text", "text": 5}], [{"type": "json", "value": b"x"}]])
def test_langchain_tool_message_blocks_that_are_not_text_or_json_are_parameter_errors(content: Any) -> None:
    served = body_answer(b"{}")
    history = [
        HumanMessage("weather?"),
        AIMessage("", tool_calls=[{"name": "get", "args": {}, "id": "c1"}]),
        ToolMessage(content=content, tool_call_id="c1"),
    ]
    with pytest.raises(ParameterError, match=r"messages\[2\]\.content"):
        langchain_model(served).invoke(history)
    assert served.requests == []


def test_langchain_tool_call_arguments_that_are_not_json_are_parameter_errors() -> None:
    served = body_answer(b"{}")
    history = [
        HumanMessage("weather?"),
        AIMessage("", tool_calls=[{"name": "get", "args": {"x": math.nan}, "id": "c1"}]),
        ToolMessage(content="sunny", tool_call_id="c1"),
    ]
    with pytest.raises(ParameterError, match=r"messages\[1\]\.tool_calls"):
        langchain_model(served).invoke(history)
    assert served.requests == []


def llamaindex_history(calls: Any) -> list[ChatMessage]:
    return [
        ChatMessage(role=MessageRole.USER, content="weather?"),
        ChatMessage(role=MessageRole.ASSISTANT, content="", additional_kwargs={"tool_calls": calls}),
        ChatMessage(role=MessageRole.TOOL, content="sunny", additional_kwargs={"tool_call_id": "c1"}),
    ]


@pytest.mark.parametrize("calls", ["c1", ["c1"], [{"id": "c1", "function": "get"}], [{"id": "c1", "function": {}}]])
def test_llamaindex_malformed_legacy_tool_calls_are_parameter_errors(calls: Any) -> None:
    served = body_answer(b"{}")
    model = make(DRIVER_BY_NAME["llamaindex"], served)
    with pytest.raises(ParameterError, match=r"messages\[1\]\.tool_calls"):
        model.chat(llamaindex_history(calls))
    assert served.requests == []


def test_llamaindex_legacy_tool_call_arguments_as_an_object_are_sent_as_json() -> None:
    answer = body_answer(dumps(body("chat", Answer(content=("ok",)))))
    model = make(DRIVER_BY_NAME["llamaindex"], answer)
    calls = [{"id": "c1", "type": "function", "function": {"name": "get", "arguments": {"city": "Paris"}}}]
    assert model.chat(llamaindex_history(calls)).message.content == "ok"
    sent = answer.requests[0]["messages"][1]["tool_calls"][0]["function"]["arguments"]
    assert sent == '{"city": "Paris"}'


UNSENDABLE = [
    ("lone surrogate", {"note": "a\ud800b"}, "note"),
    ("NaN", {"note": [1, math.nan]}, r"note\[1\]"),
    ("bytes", {"note": {"k": b"x"}}, r"note\.k"),
]


@pytest.mark.parametrize(("case", "kwargs", "field"), UNSENDABLE, ids=[c[0] for c in UNSENDABLE])
@pytest.mark.parametrize("driver", ALL_DRIVERS, ids=lambda d: d.name)
@pytest.mark.parametrize("way", ["call", "astream"])
def test_a_body_that_cannot_be_encoded_is_a_parameter_error_before_sending(
    driver: Driver, way: str, case: str, kwargs: dict[str, Any], field: str
) -> None:
    served = body_answer(b"{}")
    outcome = run(driver, way, served, **{"extra_body": kwargs})
    assert isinstance(outcome.error, ParameterError), outcome
    assert outcome.error.field.startswith(field.replace("\\", "")), outcome.error
    assert served.requests == []


def test_a_lone_surrogate_in_a_message_names_the_message() -> None:
    served = body_answer(b"{}")
    with pytest.raises(ParameterError, match=r"messages\[0\]\.content"):
        langchain_model(served).invoke("hi \udc80")
    assert served.requests == []


@pytest.mark.parametrize("ending", [b"\r\r", b"\n\r", b"\r\n\r"])
def test_an_event_ended_by_a_cr_at_the_end_of_the_body_is_dispatched(ending: bytes) -> None:
    """A blank line written as a lone CR ends its event even when no byte follows it."""
    splitter = EventSplitter()
    assert splitter.feed(b"data: last" + ending) == [b"last"]


def test_a_cr_then_an_lf_in_the_next_chunk_is_one_line_end() -> None:
    splitter = EventSplitter()
    assert splitter.feed(b"data: a\r") == []
    assert splitter.feed(b"\n\r\n") == [b"a"]


@pytest.mark.parametrize("driver", [DRIVER_BY_NAME["langchain-completions"], DRIVER_BY_NAME["llamaindex-completions"]])
def test_a_streamed_completion_with_n_of_the_wrong_type_is_a_parameter_error(driver: Driver) -> None:
    served = body_answer(b"{}")
    outcome = run(driver, "stream", served, {"n": "0"})
    assert isinstance(outcome.error, ParameterError) and outcome.error.field == "n", outcome
    assert served.requests == []
