"""Modelverse (LlamaIndex) against llama.cpp's llama-server (live with ``make test-real``, else replayed).

The tiny model follows a script (see ``tiny_model.py``); the assertions are about shapes and
round trips, never about the wording.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import TextBlock, ThinkingBlock
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llamaindex_modelverse import Modelverse

pytestmark = pytest.mark.vcr


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


WEATHER = FunctionTool.from_defaults(get_weather)
USAGE = ("prompt_tokens", "completion_tokens", "total_tokens")


class Weather(BaseModel):
    """The city a weather report is about."""

    city: str


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role=MessageRole.USER, content=text)]


def test_chat_thinking_block_text_and_usage(connection: dict[str, Any]) -> None:
    response = Modelverse(**connection).chat(user("Hello there."))
    thinking, text = response.message.blocks
    assert isinstance(thinking, ThinkingBlock) and isinstance(text, TextBlock)
    assert thinking.content and text.text and "</think>" not in text.text
    assert response.message.content == text.text
    kwargs = response.additional_kwargs
    assert kwargs["prompt_tokens"] > 0 and kwargs["completion_tokens"] > 0
    assert kwargs["total_tokens"] == kwargs["prompt_tokens"] + kwargs["completion_tokens"]


def test_stream_chat_thinking_then_text_and_sums_equal_chat(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection)
    whole = llm.chat(user("Say hello."))
    chunks = list(llm.stream_chat(user("Say hello.")))
    thinking_at = [i for i, c in enumerate(chunks) if c.additional_kwargs.get("thinking_delta")]
    text_at = [i for i, c in enumerate(chunks) if c.delta]
    assert thinking_at and text_at and max(thinking_at) < min(text_at)
    thinking = "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks)
    assert thinking == whole.message.blocks[0].content  # type: ignore[union-attr]
    assert "".join(c.delta or "" for c in chunks) == whole.message.content
    last = chunks[-1]
    assert {k: last.additional_kwargs[k] for k in USAGE} == {k: whole.additional_kwargs[k] for k in USAGE}


async def test_async_chat_and_stream_agree(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection)
    whole = await llm.achat(user("Good morning."))
    chunks = [c async for c in await llm.astream_chat(user("Good morning."))]
    assert chunks[-1].message.content == whole.message.content and whole.message.content


def test_complete_keeps_reasoning_and_usage(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection)
    completion = llm.complete("Hello.")
    assert completion.text and completion.additional_kwargs["reasoning_content"]
    chunks = list(llm.stream_complete("Hello."))
    assert chunks[-1].text == completion.text
    assert chunks[-1].additional_kwargs["total_tokens"] == completion.additional_kwargs["total_tokens"]


def test_tool_round_trip(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection)
    response = llm.chat_with_tools([WEATHER], user_msg="What is the weather in Paris?")
    (selection,) = llm.get_tool_calls_from_response(response)
    assert selection.tool_name == "get_weather" and set(selection.tool_kwargs) == {"city"}
    history = [
        *user("What is the weather in Paris?"),
        response.message,
        ChatMessage(
            role=MessageRole.TOOL,
            content=get_weather(**selection.tool_kwargs),
            additional_kwargs={"tool_call_id": selection.tool_id},
        ),
    ]
    answer = llm.chat_with_tools([WEATHER], chat_history=history)
    assert answer.message.content and not llm.get_tool_calls_from_response(answer, error_on_no_tool_call=False)


def test_streamed_tool_call_matches_the_chat_one(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection)
    whole = llm.get_tool_calls_from_response(llm.chat_with_tools([WEATHER], user_msg="Weather in Paris?"))
    partials = list(llm.stream_chat_with_tools([WEATHER], user_msg="Weather in Paris?"))
    streamed = llm.get_tool_calls_from_response(partials[-1])
    assert [(c.tool_name, c.tool_kwargs) for c in streamed] == [(c.tool_name, c.tool_kwargs) for c in whole]


def test_required_tool_call(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection)
    response = llm.chat_with_tools([WEATHER], user_msg="Anything.", tool_required=True)
    (selection,) = llm.get_tool_calls_from_response(response)
    assert selection.tool_name == "get_weather" and isinstance(selection.tool_kwargs["city"], str)


async def test_function_agent(connection: dict[str, Any]) -> None:
    agent = FunctionAgent(tools=[WEATHER], llm=Modelverse(**connection))
    handler = agent.run("What is the weather in Paris?")
    thinking = [e.thinking_delta async for e in handler.stream_events() if getattr(e, "thinking_delta", None)]
    result = await handler
    assert [c.tool_name for c in result.tool_calls] == ["get_weather"]
    assert str(result) and thinking


def test_structured_predict(connection: dict[str, Any]) -> None:
    # The tiny model thinks, so by the catalog it would be asked with tool_choice "auto"; scripted
    # to call get_weather, it answers the schema's tool only under the grammar of a forced choice,
    # which llama-server takes: the deployment says so.
    info = replace(connection["model_info"], accepts_forced_tool_choice=True)
    llm = Modelverse(**{**connection, "model_info": info})
    result = llm.structured_predict(Weather, PromptTemplate("Which city is {topic} about?"), topic="the weather")
    assert isinstance(result, Weather) and isinstance(result.city, str)
