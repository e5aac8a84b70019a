"""Role runs merged for strict-alternation models, and which reasoning goes back in history."""

from __future__ import annotations

import pytest

from modelverse_core import CATALOG, ImagePart, Message, ParameterError, TextPart, ToolCall, build_request
from modelverse_core.history import merge_role_runs, reasoning_sent

R1 = "deepseek-ai/DeepSeek-R1"
QWEN = "Qwen/Qwen3-235B-A22B"
CALL = ToolCall.from_args("c1", "f", {})


def roles(body: dict[str, object]) -> list[str]:
    return [m["role"] for m in body["messages"]]  # type: ignore[attr-defined,index]


def test_the_role_rule_is_a_catalog_property_of_the_deepseek_models() -> None:
    assert CATALOG.get(R1).alternating_roles and CATALOG.get("DeepSeek-Chat").alternating_roles
    assert not CATALOG.get(QWEN).alternating_roles and not CATALOG.get("acme/new-model").alternating_roles


def test_double_messages_are_merged_for_strict_models_in_order_with_a_blank_line() -> None:
    history = [
        Message("system", "Be brief."),
        Message("system", "Answer in English."),
        Message("user", "hello"),
        Message("user", "how are you?"),
        Message("assistant", "fine", reasoning="r1"),
        Message("assistant", "thanks", reasoning="r2"),
        Message("user", "bye"),
    ]
    body = build_request(R1, history, reasoning_policy="always")
    assert body["messages"] == [
        {"role": "system", "content": "Be brief.\n\nAnswer in English."},
        {"role": "user", "content": "hello\n\nhow are you?"},
        {"role": "assistant", "content": "fine\n\nthanks", "reasoning_content": "r1\n\nr2"},
        {"role": "user", "content": "bye"},
    ]


def test_other_models_receive_the_messages_as_given() -> None:
    history = [Message("system", "a"), Message("system", "b"), Message("user", "c"), Message("user", "d")]
    assert roles(build_request(QWEN, history)) == ["system", "system", "user", "user"]
    assert roles(build_request("acme/new-model", history)) == ["system", "system", "user", "user"]


def test_parts_are_kept_in_order_and_nothing_is_dropped() -> None:
    image = ImagePart("https://example.com/a.png")
    merged = merge_role_runs(
        [Message("user", "look"), Message("user", (image, TextPart("at this"))), Message("user", "")]
    )
    assert merged == [Message("user", (TextPart("look"), image, TextPart("at this")))]


def test_tool_results_are_never_merged_and_a_tool_call_ends_a_run() -> None:
    history = [
        Message("user", "a"),
        Message("assistant", "let me check"),
        Message("assistant", "", tool_calls=(CALL, ToolCall.from_args("c2", "f", {}))),
        Message("tool", "r1", tool_call_id="c1"),
        Message("tool", "r2", tool_call_id="c2"),
    ]
    body = build_request(R1, history)
    assert roles(body) == ["user", "assistant", "tool", "tool"]
    assert body["messages"][1]["content"] == "let me check" and len(body["messages"][1]["tool_calls"]) == 2


def test_a_system_message_not_at_the_start_is_refused_naming_the_callers_position() -> None:
    history = [Message("user", "a"), Message("user", "b"), Message("system", "s"), Message("user", "c")]
    with pytest.raises(ParameterError) as info:
        build_request(R1, history)
    assert info.value.field == "messages[2].role" and "only at the start" in str(info.value)


def _two_turn_agent_history() -> list[Message]:
    return [
        Message("user", "weather in Shanghai?"),
        Message("assistant", "", reasoning="call the tool", tool_calls=(CALL,)),
        Message("tool", "sunny", tool_call_id="c1"),
        Message("assistant", "It is sunny.", reasoning="answer"),
        Message("user", "and in Beijing?"),
        Message("assistant", "", reasoning="call it again", tool_calls=(ToolCall.from_args("c2", "f", {}),)),
        Message("tool", "rainy", tool_call_id="c2"),
    ]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("auto", [False, True, False, False, False, True, False]),
        ("always", [False, True, False, True, False, True, False]),
        ("never", [False] * 7),
    ],
)
def test_auto_sends_back_the_reasoning_of_every_tool_call_in_every_turn(policy: str, expected: list[bool]) -> None:
    assert reasoning_sent(_two_turn_agent_history(), policy) == expected  # type: ignore[arg-type]


def test_auto_reasoning_in_history_for_an_unknown_model() -> None:
    body = build_request("acme/thinking-model", _two_turn_agent_history())
    sent = [m.get("reasoning_content") for m in body["messages"]]
    assert sent == [None, "call the tool", None, None, None, "call it again", None]
