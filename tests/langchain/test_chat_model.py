"""ChatModelverse behaviour, replaying cassettes through the real SDK and httpx2 stack."""

from __future__ import annotations

import base64
import json
from typing import Any

import openai
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAuthenticationError,
    ModelInvalidRequestError,
    ModelPermissionDeniedError,
)
from langchain_core.load import dumpd, dumps, load
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool
from pydantic import BaseModel, ValidationError

import modelverse_core
from langchain_modelverse import ChatModelverse

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

R1 = "deepseek-ai/DeepSeek-R1"
V3 = "deepseek-ai/DeepSeek-V3-0324"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\nstand-in image").decode()


@tool
def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


class Joke(BaseModel):
    """A joke with a setup and a punchline."""

    setup: str
    punchline: str


def sent(vcr: Any, index: int = 0) -> dict[str, Any]:
    """The JSON body of the index-th recorded request."""
    return json.loads(vcr.requests[index].body)


def summed(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    total = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    return total


# ---------------------------------------------------------------- construction (no requests)


def test_vendor_sample_names_are_aliases() -> None:
    model = ChatModelverse(model_name=R1, openai_api_key="sk-alias", openai_api_base="https://api.modelverse.cn/v1/")
    assert model.model == R1 and model.base_url == "https://api.modelverse.cn/v1"
    assert model.api_key is not None and model.api_key.get_secret_value() == "sk-alias"


def test_unknown_and_invalid_values_fail_at_construction() -> None:
    with pytest.raises(ValidationError, match="temprature"):
        ChatModelverse(model=R1, temprature=0.2)
    with pytest.raises(ValidationError, match=r"stop: at most 4 entries"):
        ChatModelverse(model=R1, stop=["a", "b", "c", "d", "e"])
    with pytest.raises(ValidationError, match=r"max_completion_tokens: must be an integer in \[1, 16384\]"):
        ChatModelverse(model=R1, max_tokens=20000)


def test_missing_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODELVERSE_API_KEY")
    with pytest.raises(ValidationError, match="MODELVERSE_API_KEY"):
        ChatModelverse(model=R1)


def test_key_never_in_repr_or_serialization() -> None:
    model = ChatModelverse(model=R1, api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(model) and "sk-very-secret" not in str(model)
    assert "sk-very-secret" not in dumps(model)


def test_serialization_round_trip_never_writes_the_key() -> None:
    model = ChatModelverse(model=R1, api_key="sk-round-trip", temperature=0.3, reasoning_in_history="never")
    data = dumpd(model)
    assert data["kwargs"]["api_key"] == {"lc": 1, "type": "secret", "id": ["MODELVERSE_API_KEY"]}
    revived = load(
        data,
        valid_namespaces=["langchain_modelverse"],
        allowed_objects=[ChatModelverse],
        secrets_map={"MODELVERSE_API_KEY": "sk-restored"},
    )
    assert isinstance(revived, ChatModelverse)
    assert revived.temperature == 0.3 and revived.reasoning_in_history == "never"
    assert revived.api_key is not None and revived.api_key.get_secret_value() == "sk-restored"


def test_profile_comes_from_the_catalog() -> None:
    profile = ChatModelverse(model=R1).profile
    assert profile is not None
    assert profile["max_output_tokens"] == 16384 and profile["reasoning_output"] is True
    assert profile["tool_calling"] is True and profile["image_inputs"] is False
    assert ChatModelverse(model="MiniCPM-V").profile["image_inputs"] is True  # type: ignore[index]


def test_langsmith_params() -> None:
    model = ChatModelverse(model=R1, temperature=0.1, max_tokens=256, stop=["END"])
    params = model._get_ls_params()
    assert params == {
        "ls_provider": "modelverse",
        "ls_model_name": R1,
        "ls_model_type": "chat",
        "ls_temperature": 0.1,
        "ls_max_tokens": 256,
        "ls_stop": ["END"],
    }


def test_unsupported_structured_output_method_is_an_error_before_any_request() -> None:
    with pytest.raises(
        ValueError, match=r"does not support method='json_schema' \(it supports: function_calling, json_mode\)"
    ):
        ChatModelverse(model=R1).with_structured_output(Joke, method="json_schema")


def test_image_for_a_text_only_model_is_refused_before_sending() -> None:
    message = HumanMessage(
        content=[{"type": "text", "text": "what is it?"}, {"type": "image", "url": "https://example.com/a.png"}]
    )
    with pytest.raises(modelverse_core.ParameterError, match="does not accept images"):
        ChatModelverse(model=R1).invoke([message])


def test_unknown_content_part_is_refused() -> None:
    message = HumanMessage(content=[{"type": "audio", "base64": "AAAA", "mime_type": "audio/wav"}])
    with pytest.raises(modelverse_core.ParameterError, match="parts must be text, image_url or image blocks"):
        ChatModelverse(model=R1).invoke([message])


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("get_weather", {"type": "function", "function": {"name": "get_weather"}}),
        ("auto", "auto"),
        ("none", "none"),
        ("any", "required"),
        ("required", "required"),
        (True, "required"),
        (
            {"type": "function", "function": {"name": "get_weather"}},
            {"type": "function", "function": {"name": "get_weather"}},
        ),
    ],
)
def test_bind_tools_every_tool_choice(choice: Any, wire: Any) -> None:
    model = ChatModelverse(model=R1)
    binding = model.bind_tools([get_weather], tool_choice=choice, strict=True, parallel_tool_calls=False)
    body = model._prepared([HumanMessage("weather in Shanghai?")], None, dict(binding.kwargs), stream=False).body
    assert body["tool_choice"] == wire
    assert body["parallel_tool_calls"] is False
    assert body["tools"][0]["function"]["name"] == "get_weather" and body["tools"][0]["function"]["strict"] is True


def test_settings_reach_the_body_under_documented_names() -> None:
    model = ChatModelverse(
        model=R1,
        max_tokens=64,
        request_metadata={"team": "a"},
        penalty_score=1.1,
        web_search={"enable": True},
        model_kwargs={"top_k": 5},
    )
    body = model._prepared([HumanMessage("hi")], ["STOP"], {"reasoning_effort": "low"}, stream=True).body
    assert body["max_completion_tokens"] == 64 and "max_tokens" not in body
    assert body["metadata"] == {"team": "a"} and body["penalty_score"] == 1.1 and body["web_search"] == {"enable": True}
    assert body["stop"] == ["STOP"] and body["reasoning_effort"] == "low" and body["top_k"] == 5
    assert body["stream_options"] == {"include_usage": True}
    unasked = model._prepared([HumanMessage("hi")], None, {"stream_usage": False}, stream=True).body
    assert "stream_options" not in unasked


# ---------------------------------------------------------------- on cassettes


@pytest.mark.vcr
def test_invoke_separates_reasoning_and_reports_usage() -> None:
    reply = ChatModelverse(model=R1).invoke("Describe UCloud in one sentence.")
    assert isinstance(reply, AIMessage)
    assert reply.content and "user asks" not in reply.content
    assert reply.additional_kwargs["reasoning_content"].startswith("The user asks")
    usage = reply.usage_metadata
    assert usage is not None and usage["output_token_details"]["reasoning"] > 0
    assert usage["input_token_details"]["cache_read"] == 0
    meta = reply.response_metadata
    assert meta["model_name"] == R1 and meta["model_provider"] == "modelverse" and meta["finish_reason"] == "stop"
    assert meta["id"] is None and "system_fingerprint" in meta  # the server's blank id is not a message id
    blocks = reply.content_blocks
    assert [b["type"] for b in blocks] == ["reasoning", "text"]


@pytest.mark.vcr
def test_output_version_v1_puts_reasoning_first() -> None:
    model = ChatModelverse(model=R1, output_version="v1")
    reply = model.invoke("What is 2 + 2?")
    assert isinstance(reply.content, list) and reply.content[0]["type"] == "reasoning"  # type: ignore[index]
    chunks = list(model.stream("What is 2 + 2?"))
    assert chunks[-1].chunk_position == "last"
    total = summed(chunks)
    assert [b["type"] for b in total.content_blocks] == ["reasoning", "text"]
    assert total.content_blocks[1]["text"] == reply.content_blocks[1]["text"]  # type: ignore[typeddict-item]


@pytest.mark.vcr
def test_stream_reasoning_then_content_usage_last_and_sum_equals_invoke() -> None:
    model = ChatModelverse(model=R1)
    prompt = "Say hello to UCloud."
    reply = model.invoke(prompt)
    chunks = list(model.stream(prompt))
    reasoning_at = [i for i, c in enumerate(chunks) if c.additional_kwargs.get("reasoning_content")]
    content_at = [i for i, c in enumerate(chunks) if c.content]
    assert reasoning_at and content_at and max(reasoning_at) < min(content_at)
    assert [i for i, c in enumerate(chunks) if c.usage_metadata] == [len(chunks) - 1]
    total = summed(chunks)
    assert total.content == reply.content
    assert total.additional_kwargs == reply.additional_kwargs
    assert total.usage_metadata == reply.usage_metadata
    assert {k: v for k, v in total.response_metadata.items() if k != "id"} == {
        k: v for k, v in reply.response_metadata.items() if k != "id"
    }


@pytest.mark.vcr
async def test_async_invoke_stream_and_batch() -> None:
    model = ChatModelverse(model="Qwen/QwQ-32B")
    reply = await model.ainvoke("What is 3 + 5?")
    chunks = [c async for c in model.astream("What is 3 + 5?")]
    assert summed(chunks).content == reply.content and reply.additional_kwargs["reasoning_content"]
    replies = await model.abatch(["first", "second"])
    assert [r.content for r in replies] == [
        "You said: first. This is the stand-in answering as Qwen/QwQ-32B.",
        "You said: second. This is the stand-in answering as Qwen/QwQ-32B.",
    ]


@pytest.mark.vcr
def test_batch() -> None:
    replies = ChatModelverse(model=V3).batch(["one", "two"], config={"max_concurrency": 1})
    assert [r.content[:13] for r in replies] == ["You said: one", "You said: two"]


@pytest.mark.vcr
async def test_stream_events_and_token_callbacks() -> None:
    class Tokens(BaseCallbackHandler):
        def __init__(self) -> None:
            self.tokens: list[str] = []

        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            self.tokens.append(token)

    handler = Tokens()
    model = ChatModelverse(model=V3, callbacks=[handler])
    events = [e async for e in model.astream_events("hello", version="v2")]
    streamed = [e["data"]["chunk"].content for e in events if e["event"] == "on_chat_model_stream"]
    assert "".join(streamed).startswith("You said: hello")
    assert "".join(handler.tokens) == "".join(streamed)


@pytest.mark.vcr
def test_streaming_flag_streams_under_invoke() -> None:
    reply = ChatModelverse(model=V3, streaming=True).invoke("hello")
    assert reply.content.startswith("You said: hello")  # type: ignore[union-attr]
    assert reply.usage_metadata is not None


@pytest.mark.vcr
def test_per_call_model_override(vcr: Any) -> None:
    reply = ChatModelverse(model=R1).invoke("hello", model=V3)
    assert reply.response_metadata["model_name"] == V3
    assert sent(vcr)["model"] == V3


@pytest.mark.vcr
def test_tool_loop_with_a_thinking_model_passes_reasoning_back(vcr: Any) -> None:
    model = ChatModelverse(model=R1).bind_tools([get_weather])
    history: list[Any] = [SystemMessage("Use tools."), HumanMessage("What is the weather in 'Shanghai'?")]
    first = model.invoke(history)
    assert isinstance(first, AIMessage)
    (call,) = first.tool_calls
    assert call["name"] == "get_weather" and call["args"] == {"city": "Shanghai"}
    history += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    final = model.invoke(history)
    assert final.content == "The tool returned sunny in Shanghai."
    assistant = sent(vcr, 1)["messages"][2]
    assert assistant["reasoning_content"] == first.additional_kwargs["reasoning_content"]
    assert assistant["tool_calls"][0]["id"] == call["id"]


@pytest.mark.vcr
def test_reasoning_policy_never_and_v1_reasoning_blocks(vcr: Any) -> None:
    call = {"name": "get_weather", "args": {"city": "Hangzhou"}, "id": "call_1", "type": "tool_call"}
    earlier = AIMessage(
        content=[{"type": "reasoning", "reasoning": "look it up"}, {"type": "text", "text": ""}], tool_calls=[call]
    )
    history = [HumanMessage("weather in 'Hangzhou'?"), earlier, ToolMessage("rainy", tool_call_id="call_1")]
    ChatModelverse(model=R1).bind_tools([get_weather]).invoke(history)
    ChatModelverse(model=R1, reasoning_in_history="never").bind_tools([get_weather]).invoke(history)
    assert sent(vcr, 0)["messages"][1]["reasoning_content"] == "look it up"
    assert "reasoning_content" not in sent(vcr, 1)["messages"][1]


@pytest.mark.vcr
def test_streamed_tool_calls_arrive_as_chunks() -> None:
    model = ChatModelverse(model=V3).bind_tools([get_weather], tool_choice="get_weather")
    chunks = list(model.stream("weather in 'Beijing'?"))
    assert sum(1 for c in chunks if c.tool_call_chunks) > 1
    total = summed(chunks)
    assert total.tool_calls[0]["args"] == {"city": "Beijing"}
    assert total.response_metadata["finish_reason"] == "tool_calls"


@pytest.mark.vcr
def test_structured_output_methods(vcr: Any) -> None:
    prompt = "Tell me a joke about 'cats' with 'dogs'."
    by_tool = ChatModelverse(model=R1).with_structured_output(Joke)
    assert by_tool.invoke(prompt) == Joke(setup="cats", punchline="dogs")
    assert sent(vcr, 0)["tool_choice"] == "auto"  # R1 thinks: thinking mode refuses a forced tool_choice
    by_json_mode = ChatModelverse(model=R1).with_structured_output(None, method="json_mode")  # type: ignore[arg-type]
    assert by_json_mode.invoke("Answer with keys 'setup' and 'punchline'.").keys() == {"setup", "punchline"}  # type: ignore[union-attr]
    assert sent(vcr, 1)["response_format"] == {"type": "json_object"}
    by_schema = ChatModelverse(model="gpt-5").with_structured_output(Joke, method="json_schema", include_raw=True)
    result = by_schema.invoke(prompt)
    assert result["parsed"] == Joke(setup="cats", punchline="dogs") and result["parsing_error"] is None  # type: ignore[index]
    assert isinstance(result["raw"], AIMessage)  # type: ignore[index]
    assert sent(vcr, 2)["response_format"]["json_schema"]["name"] == "Joke"


@pytest.mark.vcr
def test_reasoning_streams_first_with_a_response_format() -> None:
    model = ChatModelverse(model=R1).bind(response_format={"type": "json_object"})
    chunks = list(model.stream("Reply with key 'answer'."))
    first_reasoning = next(i for i, c in enumerate(chunks) if c.additional_kwargs.get("reasoning_content"))
    first_content = next(i for i, c in enumerate(chunks) if c.content)
    assert first_reasoning < first_content
    assert json.loads(summed(chunks).content) == {"answer": "answer about Reply with key 'answer'."}  # type: ignore[arg-type]


@pytest.mark.vcr
def test_images_standard_blocks_and_openai_parts(vcr: Any) -> None:
    content = [
        {"type": "text", "text": "Describe these."},
        {"type": "image", "url": "https://example.com/cat.png"},
        {"type": "image", "base64": PNG, "mime_type": "image/png"},
        {"type": "image_url", "image_url": {"url": "https://example.com/dog.png", "detail": "low"}},
    ]
    reply = ChatModelverse(model="MiniCPM-V").invoke([HumanMessage(content=content)])
    assert str(reply.content).startswith("I see an image.")
    assert sent(vcr)["messages"][0]["content"][1:] == [
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG}"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/dog.png", "detail": "low"}},
    ]


@pytest.mark.vcr
def test_search_results_and_sft_version_in_metadata() -> None:
    searched = ChatModelverse(model=V3, web_search={"enable": True}).invoke("UCloud news?")
    assert searched.response_metadata["search_results"][0]["url"] == "https://www.ucloud.cn/"
    chunks = list(ChatModelverse(model=V3, web_search={"enable": True}).stream("UCloud news?"))
    assert summed(chunks).response_metadata["search_results"] == searched.response_metadata["search_results"]
    sft = ChatModelverse(model="sft/qwen3-support-bot").invoke("hi")
    assert sft.response_metadata["model_name"] == "sft/qwen3-support-bot"
    assert sft.response_metadata["model_version"] == "mv-20251101-7f3a"


ERRORS = [
    (
        {"api_key": "sk-invalid"},
        R1,
        "hi",
        ModelAuthenticationError,
        modelverse_core.AuthenticationError,
        openai.AuthenticationError,
    ),
    (
        {},
        "acme/not-listed",
        "hi",
        ModelPermissionDeniedError,
        modelverse_core.PermissionDeniedError,
        openai.PermissionDeniedError,
    ),
    (
        {},
        R1,
        "SENSITIVE-CONTENT",
        ModelInvalidRequestError,
        modelverse_core.SensitiveContentError,
        openai.BadRequestError,
    ),
    (
        {},
        "test/tiny-context",
        "word " * 80,
        ContextOverflowError,
        modelverse_core.PromptTooLongError,
        openai.BadRequestError,
    ),
    (
        {"max_tokens": 20000},
        "test/unknown-model",
        "hi",
        ContextOverflowError,
        modelverse_core.OutputLimitError,
        openai.BadRequestError,
    ),
]


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("kwargs", "name", "text", "lc_cls", "core_cls", "sdk_cls"), ERRORS, ids=lambda v: getattr(v, "__name__", None)
)
def test_errors_are_core_openai_and_langchain_errors(
    kwargs: dict[str, Any], name: str, text: str, lc_cls: type, core_cls: type, sdk_cls: type
) -> None:
    with pytest.raises(lc_cls) as info:
        ChatModelverse(model=name, **kwargs).invoke(text)
    assert isinstance(info.value, core_cls) and isinstance(info.value, sdk_cls)
    assert "sk-" not in str(info.value)


@pytest.mark.vcr
def test_init_chat_model_both_spellings() -> None:
    from langchain.chat_models import init_chat_model

    prefixed = init_chat_model(f"modelverse:{R1}")
    named = init_chat_model(R1, model_provider="modelverse", temperature=0.2)
    assert isinstance(prefixed, ChatModelverse) and isinstance(named, ChatModelverse)
    assert prefixed.model == R1 and named.temperature == 0.2
    assert prefixed.invoke("hello").response_metadata["model_provider"] == "modelverse"


@pytest.mark.vcr
def test_create_agent_with_a_thinking_model() -> None:
    from langchain.agents import create_agent

    agent = create_agent(model=f"modelverse:{R1}", tools=[get_weather], system_prompt="Use tools.")
    state = agent.invoke({"messages": [HumanMessage("What is the weather in 'Shenzhen'?")]})
    messages = state["messages"]
    assert isinstance(messages[1], AIMessage) and messages[1].tool_calls[0]["args"] == {"city": "Shenzhen"}
    assert messages[1].additional_kwargs["reasoning_content"]
    assert isinstance(messages[2], ToolMessage) and messages[2].content == "sunny in Shenzhen"
    assert messages[-1].content == "The tool returned sunny in Shenzhen."
