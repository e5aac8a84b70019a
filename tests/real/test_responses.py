"""``/v1/responses`` (``use_responses_api=True``) against llama-server, for both plugins.

llama-server puts the reasoning in ``reasoning`` items with ``reasoning_text`` content and
streams typed events; the assertions are the chat suite's, on the other endpoint. It also
takes reasoning items back only with that ``content``, which the package sends beside the
``summary``, so tool loops here send the reasoning back (``reasoning_in_history="auto"``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import TextBlock, ThinkingBlock

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
    model = ChatModelverse(**connection, use_responses_api=True).bind_tools([get_weather])
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
    llm = Modelverse(**connection, use_responses_api=True)
    agent = FunctionAgent(tools=[WEATHER], llm=llm)
    result = await agent.run("What is the weather in Paris?")
    assert [c.tool_name for c in result.tool_calls] == ["get_weather"]
    assert str(result)


def test_reasoning_sent_back_is_taken_by_llama_server(connection: dict[str, Any], vcr: Any) -> None:
    # "auto" sends the tool-calling turn's reasoning back as a reasoning item; llama-server
    # refuses one without content of type reasoning_text (400) and answers this one.
    model = ChatModelverse(**connection, use_responses_api=True, max_retries=0).bind_tools([get_weather])
    call = model.invoke("What is the weather in Paris?")
    (tool_call,) = call.tool_calls
    reasoning = call.additional_kwargs["reasoning_content"]
    history = [HumanMessage("What is the weather in Paris?"), call, ToolMessage("sunny", tool_call_id=tool_call["id"])]
    answer = model.invoke(history)
    assert isinstance(answer, AIMessage) and answer.content
    if vcr is not None:  # recorded or replayed (not live): the request as sent
        (item,) = [item for item in json.loads(vcr.requests[-1].body)["input"] if item["type"] == "reasoning"]
        assert item["content"] == [{"type": "reasoning_text", "text": reasoning}]
        assert item["summary"] == [{"type": "summary_text", "text": reasoning}]
