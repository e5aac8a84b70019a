from __future__ import annotations

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
    build_request,
)

R1 = "deepseek-ai/DeepSeek-R1"
WEATHER = ToolSpec("get_weather", "Weather of a city", {"type": "object", "properties": {"city": {"type": "string"}}})


def tool_loop() -> list[Message]:
    call = ToolCall.from_args("call_1", "get_weather", {"city": "Shanghai"})
    return [
        Message("system", "Be brief."),
        Message("user", "first question"),
        Message("assistant", "first answer", reasoning="old thoughts"),
        Message("user", "weather in Shanghai?"),
        Message("assistant", "", reasoning="I need the tool", tool_calls=(call,)),
        Message("tool", "sunny", tool_call_id="call_1"),
    ]


def test_minimal_body() -> None:
    assert build_request(R1, [Message("user", "hi")]) == {"model": R1, "messages": [{"role": "user", "content": "hi"}]}


def test_every_documented_parameter_is_sent_under_its_name() -> None:
    params = SamplingParams(
        temperature=0.5,
        top_p=0.9,
        max_completion_tokens=100,
        stop=("a", "b"),
        seed=42,
        frequency_penalty=0.5,
        presence_penalty=-0.5,
        penalty_score=1.2,
        reasoning_effort="low",
        web_search={"enable": True},
        metadata={"team": "search"},
        user="u-1",
        n=2,
        logprobs=True,
        top_logprobs=3,
        stop_token_ids=(151329,),
        parallel_tool_calls=False,
    )
    body = build_request(R1, [Message("user", "hi")], params)
    assert body == {
        "model": R1,
        "messages": [{"role": "user", "content": "hi"}],
        "temperature": 0.5,
        "top_p": 0.9,
        "max_completion_tokens": 100,
        "stop": ["a", "b"],
        "seed": 42,
        "frequency_penalty": 0.5,
        "presence_penalty": -0.5,
        "penalty_score": 1.2,
        "reasoning_effort": "low",
        "web_search": {"enable": True},
        "metadata": {"team": "search"},
        "user": "u-1",
        "n": 2,
        "logprobs": True,
        "top_logprobs": 3,
        "stop_token_ids": [151329],
        "parallel_tool_calls": False,
    }


def test_stream_asks_for_usage_by_default() -> None:
    body = build_request(R1, [Message("user", "hi")], stream=True)
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert "stream_options" not in build_request(R1, [Message("user", "hi")], stream=True, include_usage=False)


def test_extra_body_is_merged_last() -> None:
    body = build_request(
        R1, [Message("user", "hi")], SamplingParams(temperature=0.1), extra_body={"temperature": 0.7, "x": 1}
    )
    assert body["temperature"] == 0.7 and body["x"] == 1


def test_images_as_url_and_base64() -> None:
    parts = (
        TextPart("what is this?"),
        ImagePart("https://example.com/a.png", detail="low"),
        ImagePart.from_bytes(b"\x89PNG", "image/png"),
    )
    body = build_request("MiniCPM-V", [Message("user", parts)])
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "what is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}},
    ]


def test_tool_calls_and_results_in_history() -> None:
    messages = build_request(R1, tool_loop(), tools=[WEATHER])["messages"]
    assert messages[4] == {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Shanghai"}'},
            }
        ],
        "reasoning_content": "I need the tool",
    }
    assert messages[5] == {"role": "tool", "content": "sunny", "tool_call_id": "call_1"}


@pytest.mark.parametrize(
    ("policy", "sent"),
    [("auto", [False, True]), ("always", [True, True]), ("never", [False, False])],
)
def test_reasoning_in_history_policy(policy: Any, sent: list[bool]) -> None:
    messages = build_request(R1, tool_loop(), tools=[WEATHER], reasoning_policy=policy)["messages"]
    assert ["reasoning_content" in messages[2], "reasoning_content" in messages[4]] == sent


def test_unknown_reasoning_policy() -> None:
    with pytest.raises(ParameterError, match="reasoning_in_history"):
        build_request(R1, [Message("user", "hi")], reasoning_policy="sometimes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("auto", "auto"),
        ("none", "none"),
        ("required", "required"),
        (ForcedTool("get_weather"), {"type": "function", "function": {"name": "get_weather"}}),
    ],
)
def test_tool_specs_and_every_tool_choice(choice: Any, wire: Any) -> None:
    strict = ToolSpec("get_weather", "Weather", WEATHER.parameters, strict=True)
    body = build_request(R1, [Message("user", "hi")], tools=[strict], tool_choice=choice)
    assert body["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "description": "Weather",
                "parameters": dict(WEATHER.parameters),
                "strict": True,
            },
        }
    ]
    assert body["tool_choice"] == wire


def test_tool_choice_never_goes_without_tools() -> None:
    with pytest.raises(ParameterError, match="tool_choice"):
        build_request(R1, [Message("user", "hi")], tool_choice="required")
    with pytest.raises(ParameterError, match="must name one of the tools"):
        build_request(R1, [Message("user", "hi")], tools=[WEATHER], tool_choice=ForcedTool("other"))


def test_tools_for_a_model_without_tool_calling() -> None:
    with pytest.raises(ParameterError, match="does not support tool calling"):
        build_request("deepseek-ai/DeepSeek-Prover-V2-671B", [Message("user", "hi")], tools=[WEATHER])


def test_response_formats() -> None:
    assert build_request(R1, [Message("user", "hi")], response_format=JsonObjectFormat())["response_format"] == {
        "type": "json_object"
    }
    fmt = JsonSchemaFormat("joke", {"type": "object"}, strict=True, description="A joke")
    assert build_request("gpt-5", [Message("user", "hi")], response_format=fmt)["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "joke", "schema": {"type": "object"}, "description": "A joke", "strict": True},
    }


def test_message_name_is_kept() -> None:
    body = build_request(R1, [Message("user", "hi", name="alice")])
    assert body["messages"][0] == {"role": "user", "content": "hi", "name": "alice"}


def test_the_encoded_history_is_marked_as_text_unless_extra_body_replaces_it() -> None:
    from modelverse_core import CHAT, COMPLETIONS, RESPONSES, Request, model_info, prepare
    from modelverse_core.limits import CompletionParams

    info = model_info(R1)
    assert prepare(Request(R1, info, [Message("user", "hi")]), CHAT).text_history == "messages"
    assert prepare(Request(R1, info, [Message("user", "hi")]), RESPONSES).text_history == "input"
    replaced = Request(R1, info, [Message("user", "hi")], extra_body={"messages": [{"role": "user", "content": 1.5}]})
    assert prepare(replaced, CHAT).text_history is None
    prompt = Request(R1, info, prompt="2+2=", params=CompletionParams())
    assert prepare(prompt, COMPLETIONS).text_history is None
