"""ChatModelverse against llama.cpp's llama-server (live with ``make test-real``, else replayed).

The tiny model follows a script (see ``tiny_model.py``): reasoning then a greeting, a
``get_weather`` call when tools are offered, an answer once a tool result is in the prompt.
The assertions are about shapes and round trips, never about the wording.
"""

from __future__ import annotations

from typing import Any

import openai
import pytest
from langchain_core.exceptions import ContextOverflowError
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.messages.ai import add_ai_message_chunks
from langchain_core.tools import tool
from pydantic import BaseModel

import modelverse_core
from langchain_modelverse import ChatModelverse
from tests.real.server import MODEL_NAME

pytestmark = pytest.mark.vcr


@tool
def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


class Weather(BaseModel):
    """The city a weather report is about."""

    city: str


def counts(message: AIMessage) -> dict[str, Any]:
    """Usage without the cached-token detail: the second of two equal prompts hits llama-server's prompt cache."""
    usage = message.usage_metadata
    assert usage is not None and usage["input_token_details"]["cache_read"] <= usage["input_tokens"]
    return {k: v for k, v in usage.items() if k != "input_token_details"}


def streamed_like(chunks: list[AIMessageChunk], reply: AIMessage) -> AIMessageChunk:
    """The chunks' sum, checked against the non-streamed reply: reasoning first, usage only last."""
    reasoning_at = [i for i, c in enumerate(chunks) if c.additional_kwargs.get("reasoning_content")]
    answer_at = [i for i, c in enumerate(chunks) if c.content or c.tool_call_chunks]
    assert reasoning_at and answer_at and max(reasoning_at) < min(answer_at)
    assert [i for i, c in enumerate(chunks) if c.usage_metadata] == [len(chunks) - 1]
    total = add_ai_message_chunks(*chunks)
    assert (total.content, total.additional_kwargs, counts(total)) == (
        reply.content,
        reply.additional_kwargs,
        counts(reply),
    )
    assert total.response_metadata["finish_reason"] == reply.response_metadata["finish_reason"]
    return total


def assert_reasoned_answer(reply: AIMessage) -> None:
    assert isinstance(reply.content, str) and reply.content.strip()
    assert reply.additional_kwargs["reasoning_content"].strip()
    assert reply.additional_kwargs["reasoning_content"] not in reply.content
    assert "<think>" not in reply.content and "</think>" not in reply.content
    usage = reply.usage_metadata
    assert usage is not None and usage["input_tokens"] > 0 and usage["output_tokens"] > 0
    assert usage["total_tokens"] == usage["input_tokens"] + usage["output_tokens"]
    meta = reply.response_metadata
    assert meta["finish_reason"] == "stop" and meta["model_provider"] == "modelverse"
    assert meta["model_name"] == MODEL_NAME
    assert [b["type"] for b in reply.content_blocks] == ["reasoning", "text"]


def test_invoke_reasoning_content_and_usage(connection: dict[str, Any]) -> None:
    assert_reasoned_answer(ChatModelverse(**connection).invoke("Hello there."))


def test_stream_reasoning_first_usage_last_and_sum_equals_invoke(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection)
    reply = model.invoke("Say hello.")
    assert_reasoned_answer(reply)
    streamed_like(list(model.stream("Say hello.")), reply)


async def test_async_invoke_and_stream_agree(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection)
    reply = await model.ainvoke("Good morning.")
    assert_reasoned_answer(reply)
    streamed_like([c async for c in model.astream("Good morning.")], reply)


def test_tool_round_trip(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection).bind_tools([get_weather])
    history: list[Any] = [HumanMessage("What is the weather in Paris?")]
    call = model.invoke(history)
    assert isinstance(call, AIMessage) and not call.invalid_tool_calls
    (tool_call,) = call.tool_calls
    assert tool_call["name"] == "get_weather" and set(tool_call["args"]) == {"city"}
    assert call.response_metadata["finish_reason"] == "tool_calls"
    assert call.additional_kwargs["reasoning_content"]
    history += [call, ToolMessage(get_weather.invoke(tool_call["args"]), tool_call_id=tool_call["id"])]
    answer = model.invoke(history)
    assert isinstance(answer.content, str) and answer.content and not answer.tool_calls
    assert answer.response_metadata["finish_reason"] == "stop"


def test_streamed_tool_call_sums_to_the_invoked_one(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection).bind_tools([get_weather])
    call = model.invoke("Weather in Paris?")
    total = streamed_like(list(model.stream("Weather in Paris?")), call)
    assert [(c["name"], c["args"]) for c in total.tool_calls] == [(c["name"], c["args"]) for c in call.tool_calls]
    assert total.tool_calls


@pytest.mark.parametrize("choice", ["any", "required"])
def test_required_tool_choice_is_a_constrained_call(connection: dict[str, Any], choice: str) -> None:
    call = ChatModelverse(**connection).bind_tools([get_weather], tool_choice=choice).invoke("Anything.")
    (tool_call,) = call.tool_calls
    assert tool_call["name"] == "get_weather" and isinstance(tool_call["args"]["city"], str)


def test_llama_server_reads_the_object_form_of_tool_choice_as_auto(connection: dict[str, Any]) -> None:
    # ModelVerse documents {"type": "function", "function": {"name": ...}} to force one tool;
    # llama-server reads only the string forms and treats the object as "auto", so the model
    # calls the tool it prefers (the script's get_weather), not the forced one.
    @tool
    def get_time(city: str) -> str:
        """Get the local time of a city."""
        return f"noon in {city}"

    model = ChatModelverse(**connection).bind_tools([get_weather, get_time], tool_choice="get_time")
    assert [c["name"] for c in model.invoke("What time is it in Paris?").tool_calls] == ["get_weather"]


def test_langgraph_agent_two_turns_with_a_checkpointer(connection: dict[str, Any]) -> None:
    from langchain.agents import create_agent
    from langgraph.checkpoint.memory import InMemorySaver

    agent = create_agent(model=ChatModelverse(**connection), tools=[get_weather], checkpointer=InMemorySaver())
    config: Any = {"configurable": {"thread_id": "real-server"}}
    first = agent.invoke({"messages": [HumanMessage("What is the weather in Paris?")]}, config)["messages"]
    kinds = [type(m).__name__ for m in first]
    assert kinds == ["HumanMessage", "AIMessage", "ToolMessage", "AIMessage"]
    assert first[1].tool_calls[0]["name"] == "get_weather" and first[2].content.startswith("sunny in")
    assert isinstance(first[-1].content, str) and first[-1].content
    second = agent.invoke({"messages": [HumanMessage("And tomorrow?")]}, config)["messages"]
    assert [m.id for m in second[: len(first)]] == [m.id for m in first]
    assert isinstance(second[len(first)], HumanMessage) and isinstance(second[-1], AIMessage)
    assert second[-1].content


def test_structured_output_by_json_schema(connection: dict[str, Any]) -> None:
    result = ChatModelverse(**connection).with_structured_output(Weather, method="json_schema", include_raw=True)
    out = result.invoke("Which city?")
    assert isinstance(out["parsed"], Weather) and out["parsing_error"] is None


def test_structured_output_by_json_mode(connection: dict[str, Any]) -> None:
    result = ChatModelverse(**connection).with_structured_output(None, method="json_mode")
    assert isinstance(result.invoke("Answer in JSON."), dict)


def test_chat_logprobs(connection: dict[str, Any]) -> None:
    reply = ChatModelverse(**connection, logprobs=True, top_logprobs=2).invoke("Hello.")
    entries = reply.response_metadata["logprobs"]["content"]
    assert entries and all(isinstance(e["token"], str) and e["logprob"] <= 0 for e in entries)
    assert all(len(e["top_logprobs"]) == 2 for e in entries)


# ---------------------------------------------------------------- what the server refuses


def test_prompt_beyond_the_context_window_is_a_context_overflow(connection: dict[str, Any]) -> None:
    # every byte is one token of the tiny model, whose server runs with a 4096-token context
    with pytest.raises(ContextOverflowError) as caught:
        ChatModelverse(**connection, max_retries=0).invoke("word " * 1000)
    assert isinstance(caught.value, modelverse_core.PromptTooLongError)
    assert isinstance(caught.value, openai.BadRequestError) and "HTTP 400" in str(caught.value)


def test_logprobs_with_tools_while_streaming_is_refused(connection: dict[str, Any]) -> None:
    model = ChatModelverse(**connection, logprobs=True, max_retries=0).bind_tools([get_weather])
    with pytest.raises(modelverse_core.InvalidRequestError) as caught:
        list(model.stream("Weather in Paris?"))
    assert isinstance(caught.value, openai.BadRequestError) and "logprobs" in str(caught.value)
