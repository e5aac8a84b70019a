"""Modelverse (LlamaIndex) with ``use_responses_api=True``: the same messages and responses over /v1/responses."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import ImageBlock, TextBlock, ThinkingBlock, ToolCallBlock
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.prompts import PromptTemplate
from pydantic import ValidationError

import modelverse_core
from llamaindex_modelverse import Modelverse
from tests.llamaindex.test_llm import R1, V3, WEATHER, Joke, sent, user

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers


def responses(model: str = R1, **kwargs: Any) -> Modelverse:
    return Modelverse(model=model, use_responses_api=True, **kwargs)


def test_chat_only_settings_are_refused_before_sending() -> None:
    with pytest.raises(ValidationError, match=r"seed: is a chat completions setting"):
        responses(seed=7)
    with pytest.raises(modelverse_core.ParameterError, match=r"^seed: is a chat completions setting"):
        responses().chat(user("hi"), seed=7)


@pytest.mark.vcr
def test_chat_thinking_block_usage_and_raw(vcr: Any) -> None:
    response = responses().chat(user("Describe UCloud in one sentence."))
    assert vcr.requests[0].path == "/v1/responses"
    thinking, text = response.message.blocks
    assert isinstance(thinking, ThinkingBlock) and isinstance(text, TextBlock)
    assert thinking.content and thinking.content.startswith("The user asks")
    assert thinking.num_tokens == response.additional_kwargs["reasoning_tokens"] > 0
    assert text.text.startswith("You said: Describe UCloud")
    assert response.additional_kwargs["cached_tokens"] == 0 and response.additional_kwargs["model"] == R1
    assert response.raw is not None and response.raw["id"].startswith("resp_") and "output" in response.raw


@pytest.mark.vcr
def test_stream_chat_thinking_deltas_then_text_usage_last() -> None:
    llm = responses("Qwen/Qwen3-235B-A22B")
    whole = llm.chat(user("Say hello to UCloud."))
    chunks = list(llm.stream_chat(user("Say hello to UCloud.")))
    thinking_at = [i for i, c in enumerate(chunks) if c.additional_kwargs.get("thinking_delta")]
    text_at = [i for i, c in enumerate(chunks) if c.delta]
    assert thinking_at and text_at and max(thinking_at) < min(text_at)
    assert "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks) == whole.message.blocks[0].content  # type: ignore[union-attr]
    assert chunks[-1].message.content == whole.message.content
    assert chunks[-1].additional_kwargs["total_tokens"] == whole.additional_kwargs["total_tokens"]


@pytest.mark.vcr
async def test_async_chat_stream_complete_and_per_call_switch(vcr: Any) -> None:
    llm = responses("Qwen/QwQ-32B")
    whole = await llm.achat(user("What is 3 + 5?"))
    chunks = [c async for c in await llm.astream_chat(user("What is 3 + 5?"))]
    assert chunks[-1].message.content == whole.message.content
    completion = await llm.acomplete("hello")
    assert completion.text.startswith("You said: hello") and completion.additional_kwargs["reasoning_content"]
    streamed = [c async for c in await llm.astream_complete("hello")]
    assert streamed[-1].text == completion.text
    Modelverse(model=V3).chat(user("hello"), use_responses_api=True)
    assert {r.path for r in vcr.requests} == {"/v1/responses"}


@pytest.mark.vcr
def test_thinking_and_tool_calls_in_history_become_items(vcr: Any) -> None:
    call = ToolCallBlock(tool_call_id="call_1", tool_name="get_weather", tool_kwargs={"city": "Hangzhou"})
    history = [
        ChatMessage(role=MessageRole.USER, content="weather in 'Hangzhou'?"),
        ChatMessage(role=MessageRole.ASSISTANT, blocks=[ThinkingBlock(content="look it up"), TextBlock(text=""), call]),
        ChatMessage(role=MessageRole.TOOL, content="rainy", additional_kwargs={"tool_call_id": "call_1"}),
    ]
    response = responses().chat(history, tools=[WEATHER.metadata.to_openai_tool()])
    assert response.message.content == "The tool returned rainy."
    assert sent(vcr)["input"][1:] == [
        {
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": "look it up"}],
            "content": [{"type": "reasoning_text", "text": "look it up"}],
        },
        {"type": "function_call", "call_id": "call_1", "name": "get_weather", "arguments": '{"city": "Hangzhou"}'},
        {"type": "function_call_output", "call_id": "call_1", "output": "rainy"},
    ]


@pytest.mark.vcr
async def test_chat_with_tools_sync_async_and_streamed(vcr: Any) -> None:
    llm = responses(V3)
    response = llm.chat_with_tools([WEATHER], user_msg="Weather in 'Paris'?", tool_required=True)
    (selection,) = llm.get_tool_calls_from_response(response)
    assert (selection.tool_name, selection.tool_kwargs) == ("get_weather", {"city": "Paris"})
    assert sent(vcr, 0)["tool_choice"] == "required" and sent(vcr, 0)["tools"][0]["name"] == "get_weather"
    async_response = await llm.achat_with_tools([WEATHER], user_msg="Weather in 'Rome'?")
    assert llm.get_tool_calls_from_response(async_response)[0].tool_kwargs == {"city": "Rome"}
    partials = list(llm.stream_chat_with_tools([WEATHER], user_msg="Weather in 'Oslo'?"))
    assert llm.get_tool_calls_from_response(partials[-1])[0].tool_kwargs == {"city": "Oslo"}
    assert llm.predict_and_call([WEATHER], user_msg="Weather in 'Kyiv'?").response == "sunny in Kyiv"


@pytest.mark.vcr
async def test_function_agent_with_a_thinking_model() -> None:
    agent = FunctionAgent(tools=[WEATHER], llm=responses())
    handler = agent.run("What is the weather in 'Shenzhen'?")
    thinking = [e.thinking_delta async for e in handler.stream_events() if getattr(e, "thinking_delta", None)]
    result = await handler
    assert str(result) == "The tool returned sunny in Shenzhen."
    assert [c.tool_name for c in result.tool_calls] == ["get_weather"]
    assert "".join(thinking).startswith("The user asks")


@pytest.mark.vcr
async def test_structured_prediction(vcr: Any) -> None:
    llm = responses(V3)
    prompt = PromptTemplate("Tell a joke about {a} and {b}.")
    assert llm.structured_predict(Joke, prompt, a="'cats'", b="'dogs'") == Joke(setup="cats", punchline="dogs")
    assert await llm.astructured_predict(Joke, prompt, a="'owls'", b="'mice'") == Joke(setup="owls", punchline="mice")
    streamed = list(llm.stream_structured_predict(Joke, prompt, a="'ants'", b="'bees'"))
    assert streamed[-1] == Joke(setup="ants", punchline="bees")
    assert sent(vcr, 0)["tool_choice"] == "required" and sent(vcr, 0)["tools"][0]["name"] == "Joke"


@pytest.mark.vcr
def test_images_and_documented_errors(vcr: Any) -> None:
    message = ChatMessage(
        role=MessageRole.USER,
        blocks=[TextBlock(text="Describe this."), ImageBlock(url="https://example.com/cat.png", detail="low")],
    )
    response = responses("gpt-5").chat([message])
    assert (response.message.content or "").startswith("I see an image.")
    assert sent(vcr)["input"][0]["content"] == [
        {"type": "input_text", "text": "Describe this."},
        {"type": "input_image", "image_url": "https://example.com/cat.png", "detail": "low"},
    ]
    with pytest.raises(modelverse_core.SensitiveContentError):
        responses().chat(user("SENSITIVE-CONTENT"))
