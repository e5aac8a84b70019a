"""``/v1/responses`` (``use_responses_api=True``) against llama-server, for both plugins.

llama-server puts the reasoning in ``reasoning`` items with ``reasoning_text`` content and
streams typed events; the assertions are the chat suite's, on the other endpoint. It also
takes reasoning items back only with that ``content`` (we send the text as a ``summary``),
so tool loops here run with ``reasoning_in_history="never"``.
"""

from __future__ import annotations

from typing import Any

import openai
import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import TextBlock, ThinkingBlock

import modelverse_core
from langchain_modelverse import ChatModelverse
from llamaindex_modelverse import Modelverse
from tests.real.test_langchain import assert_reasoned_answer, get_weather, streamed_like
from tests.real.test_llamaindex import WEATHER, user

pytestmark = pytest.mark.vcr


def test_langchain_invoke_and_stream(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection, use_responses_api=True)
    reply = model.invoke("Hello there.")
    assert_reasoned_answer(reply)
    assert reply.response_metadata["id"].startswith("resp_")
    streamed_like(list(model.stream("Hello there.")), reply)


async def test_langchain_async_stream(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection, use_responses_api=True)
    reply = await model.ainvoke("Good morning.")
    streamed_like([c async for c in model.astream("Good morning.")], reply)


def test_langchain_tool_round_trip(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection, use_responses_api=True, reasoning_in_history="never").bind_tools([get_weather])
    history: list[Any] = [HumanMessage("What is the weather in Paris?")]
    call = model.invoke(history)
    (tool_call,) = call.tool_calls
    assert tool_call["name"] == "get_weather" and set(tool_call["args"]) == {"city"}
    assert call.additional_kwargs["reasoning_content"]
    streamed = streamed_like(list(model.stream(history)), call)
    assert [(c["name"], c["args"]) for c in streamed.tool_calls] == [(tool_call["name"], tool_call["args"])]
    history += [call, ToolMessage(get_weather.invoke(tool_call["args"]), tool_call_id=tool_call["id"])]
    answer = model.invoke(history)
    assert isinstance(answer, AIMessage) and answer.content and not answer.tool_calls


def test_llamaindex_chat_and_stream(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection, use_responses_api=True)
    whole = llm.chat(user("Say hello."))
    thinking, text = whole.message.blocks
    assert isinstance(thinking, ThinkingBlock) and thinking.content
    assert isinstance(text, TextBlock) and text.text
    chunks = list(llm.stream_chat(user("Say hello.")))
    assert "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks) == thinking.content
    assert "".join(c.delta or "" for c in chunks) == whole.message.content


async def test_llamaindex_function_agent(connection: dict[str, Any]) -> None:
    llm = Modelverse(**connection, use_responses_api=True, reasoning_in_history="never")
    agent = FunctionAgent(tools=[WEATHER], llm=llm)
    result = await agent.run("What is the weather in Paris?")
    assert [c.tool_name for c in result.tool_calls] == ["get_weather"]
    assert str(result)


def test_reasoning_item_without_content_is_refused_by_llama_server(connection: dict[str, Any]) -> None:
    # The tool loop sends the turn's reasoning back ("auto") as a reasoning item with a
    # summary_text summary; llama-server wants content of type reasoning_text and answers 400.
    model = ChatModelverse(**connection, use_responses_api=True, max_retries=0).bind_tools([get_weather])
    call = model.invoke("What is the weather in Paris?")
    (tool_call,) = call.tool_calls
    history = [HumanMessage("What is the weather in Paris?"), call, ToolMessage("sunny", tool_call_id=tool_call["id"])]
    with pytest.raises(modelverse_core.InvalidRequestError) as caught:
        model.invoke(history)
    assert isinstance(caught.value, openai.BadRequestError) and "item['content']" in str(caught.value)
