"""Every documented limit and wrong type is refused with the field and the limit named."""

from __future__ import annotations

import re
from typing import Any

import pytest

from modelverse_core import ImagePart, Message, ParameterError, SamplingParams, TextPart, ToolCall, build_request

R1 = "deepseek-ai/DeepSeek-R1"
HI = [Message("user", "hi")]

PARAM_CASES: list[tuple[dict[str, Any], str, str]] = [
    ({"stop": ("a", "b", "c", "d", "e")}, "stop", "at most 4 entries"),
    ({"stop": ("x" * 21,)}, "stop", "at most 20 characters"),
    ({"stop": "single"}, "stop", "list of strings"),
    ({"stop": (1,)}, "stop", "at most 20 characters"),
    ({"metadata": {f"k{i}": "v" for i in range(17)}}, "metadata", "at most 16 pairs"),
    ({"metadata": {"k": 1}}, "metadata", "keys and values must be strings"),
    ({"metadata": ["k"]}, "metadata", "mapping of strings"),
    ({"top_p": 1.5}, "top_p", "[0.0, 1.0]"),
    ({"top_p": "0.5"}, "top_p", "a number"),
    ({"penalty_score": 0.5}, "penalty_score", "[1.0, 2.0]"),
    ({"penalty_score": 2.5}, "penalty_score", "[1.0, 2.0]"),
    ({"frequency_penalty": 2.1}, "frequency_penalty", "[-2.0, 2.0]"),
    ({"presence_penalty": -3}, "presence_penalty", "[-2.0, 2.0]"),
    ({"temperature": 3}, "temperature", "[0.0, 2.0]"),
    ({"seed": 0}, "seed", "(0, 2147483647)"),
    ({"seed": 2147483647}, "seed", "(0, 2147483647)"),
    ({"seed": 1.5}, "seed", "an integer"),
    ({"seed": True}, "seed", "an integer"),
    (
        {"max_completion_tokens": 16385},
        "max_completion_tokens",
        "[1, 16384] (the maximum output of deepseek-ai/DeepSeek-R1)",
    ),
    ({"max_completion_tokens": 0}, "max_completion_tokens", "[1, 16384]"),
    ({"n": 0}, "n", "[1, 128]"),
    ({"top_logprobs": 21}, "top_logprobs", "[0, 20]"),
    ({"reasoning_effort": 3}, "reasoning_effort", "must be one of none, minimal, low, medium, high, xhigh"),
    ({"reasoning_effort": "banana"}, "reasoning_effort", "must be one of none, minimal, low, medium, high, xhigh"),
    ({"user": 3}, "user", "must be a str"),
    ({"web_search": True}, "web_search", "must be a Mapping"),
    ({"stop_token_ids": ["1"]}, "stop_token_ids", "list of integers"),
]


@pytest.mark.parametrize(
    ("params", "field", "limit"), PARAM_CASES, ids=[c[1] + "-" + str(i) for i, c in enumerate(PARAM_CASES)]
)
def test_parameter_limits(params: dict[str, Any], field: str, limit: str) -> None:
    with pytest.raises(ParameterError) as info:
        build_request(R1, HI, SamplingParams(**params))
    assert info.value.field == field
    assert field in str(info.value) and limit in str(info.value)
    assert isinstance(info.value, ValueError)


def test_limits_at_their_edges_are_accepted() -> None:
    edge = SamplingParams(
        stop=("a" * 20,) * 4,
        metadata={f"k{i}": "v" for i in range(16)},
        top_p=1.0,
        penalty_score=2.0,
        frequency_penalty=-2.0,
        presence_penalty=2.0,
        seed=2147483646,
        max_completion_tokens=16384,
    )
    assert build_request(R1, HI, edge)["max_completion_tokens"] == 16384


def test_unknown_model_output_limit_is_left_to_the_server() -> None:
    body = build_request("acme/new-model", HI, SamplingParams(max_completion_tokens=100000))
    assert body["max_completion_tokens"] == 100000


CALL = ToolCall.from_args("c1", "f", {})
MESSAGE_CASES: list[tuple[list[Message], str, str]] = [
    ([], "messages", "must not be empty"),
    ([Message("assistant", "hi"), Message("user", "x")], "messages[0].role", "'system' or 'user'"),
    ([Message("user", "hi"), Message("assistant", "x")], "messages[1].role", "'user' or 'tool'"),
    ([Message("user", "a"), Message("system", "s"), Message("user", "b")], "messages[1].role", "only at the start"),
    (
        [Message("system", "s"), Message("user", "a"), Message("user", "b"), Message("system", "t")],
        "messages[3].role",
        "only at the start",
    ),
    (
        [
            Message("user", "a"),
            Message("assistant", "", tool_calls=(CALL,)),
            Message("tool", "r", tool_call_id="other"),
        ],
        "messages[2].tool_call_id",
        "answer a tool call",
    ),
    ([Message("robot", "a")], "messages[0].role", "must be one of"),  # type: ignore[arg-type]
    ([Message("user", (TextPart("a"), "raw"))], "messages[0].content", "text or image_url"),  # type: ignore[arg-type]
    ([Message("user", (ImagePart("https://example.com/a.png"),))], "messages[0].content", "does not accept images"),
]


@pytest.mark.parametrize(
    ("messages", "field", "limit"), MESSAGE_CASES, ids=[c[1] + "-" + str(i) for i, c in enumerate(MESSAGE_CASES)]
)
def test_message_rules(messages: list[Message], field: str, limit: str) -> None:
    with pytest.raises(ParameterError) as info:
        build_request(R1, messages)
    assert info.value.field == field and limit in str(info.value)


def test_tool_loop_may_break_alternation() -> None:
    messages = [
        Message("user", "a"),
        Message("assistant", "", tool_calls=(CALL, ToolCall.from_args("c2", "f", {}))),
        Message("tool", "r1", tool_call_id="c1"),
        Message("tool", "r2", tool_call_id="c2"),
    ]
    assert len(build_request(R1, messages)["messages"]) == 4


@pytest.mark.parametrize(
    ("messages", "field"),
    [
        ([Message("user", "hi", name=7)], "messages[0].name"),  # type: ignore[arg-type]
        ([*HI, Message("assistant", "a", reasoning=float("nan")), *HI], "messages[1].reasoning"),  # type: ignore[arg-type]
        (
            [*HI, Message("assistant", "", tool_calls=(ToolCall(1, "f", "{}"),)), Message("tool", "x", tool_call_id=1)],  # type: ignore[arg-type]
            "messages[1].tool_calls[0].id",
        ),
        ([*HI, Message("assistant", "", tool_calls=(ToolCall("c", "f", {}),))], "messages[1].tool_calls[0].arguments"),  # type: ignore[arg-type]
        ([Message("user", (ImagePart("data:,", detail=2),))], "messages[0].content"),  # type: ignore[arg-type]
    ],
)
def test_the_text_fields_of_a_message_must_be_strings(messages: list[Message], field: str) -> None:
    """Nothing but text goes out where text belongs: a number there is refused, never written in its place."""
    with pytest.raises(ParameterError, match=f"^{re.escape(field)}: .*must be a string"):
        build_request(R1, messages)
