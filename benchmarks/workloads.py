"""The work that grows with an application: a long history of tool-calling turns, many tools.

A history of ``length`` messages (a multiple of 4) is what an agent sends on a step: a system
prompt, earlier turns (the user's question; an assistant message with reasoning and a tool call;
the tool's result; the answer with reasoning), then the current turn up to its tool result.
The same history and tools are built in each framework's own types; :func:`request` gives
the call a framework's application makes with them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

LANGCHAIN, LLAMAINDEX = "langchain", "llama-index"
REASONING = "The user asks for the weather in a city; the get_weather tool answers that. "
QUESTION = "What is the weather in Shanghai today, and should I take an umbrella?"
RESULT = json.dumps({"city": "Shanghai", "sky": "rain", "celsius": 18, "humidity": 0.83})
ANSWER = "It is raining in Shanghai today, 18 °C: take an umbrella."


def turns(length: int) -> list[tuple[str, ...]]:
    """The history as framework-neutral tuples: (kind, text, [call id])."""
    if length < 4 or length % 4:
        raise ValueError(f"a history is a multiple of 4 messages, at least 4, not {length}")
    unit: list[tuple[str, ...]] = [
        ("user", QUESTION),
        ("call", REASONING, ""),
        ("tool", RESULT, ""),
        ("answer", ANSWER),
    ]
    messages: list[tuple[str, ...]] = [("system", "You are a helpful assistant with tools.")]
    for turn in range(length // 4):
        call_id = f"call_{turn}"
        body = unit if turn < length // 4 - 1 else unit[:3]
        messages += [(kind, text, call_id) if kind in ("call", "tool") else (kind, text) for kind, text, *_ in body]
    return messages


def langchain_history(length: int) -> list[Any]:
    """The history as LangChain messages (the reasoning in ``additional_kwargs["reasoning_content"]``)."""
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

    def message(kind: str, text: str, call_id: str = "") -> Any:
        if kind == "call":
            call = {"name": "get_weather", "args": {"city": "Shanghai"}, "id": call_id, "type": "tool_call"}
            return AIMessage(content="", tool_calls=[call], additional_kwargs={"reasoning_content": text})
        if kind == "tool":
            return ToolMessage(content=text, tool_call_id=call_id)
        if kind == "answer":
            return AIMessage(content=text, additional_kwargs={"reasoning_content": REASONING})
        return (SystemMessage if kind == "system" else HumanMessage)(content=text)

    return [message(*turn) for turn in turns(length)]


def llamaindex_history(length: int) -> list[Any]:
    """The history as llama-index messages (``ThinkingBlock``, ``ToolCallBlock``, tool results by call id)."""
    from llama_index.core.base.llms.types import ChatMessage, TextBlock, ThinkingBlock, ToolCallBlock

    def message(kind: str, text: str, call_id: str = "") -> Any:
        if kind == "call":
            call = ToolCallBlock(tool_call_id=call_id, tool_name="get_weather", tool_kwargs={"city": "Shanghai"})
            return ChatMessage(role="assistant", blocks=[ThinkingBlock(content=text), call])
        if kind == "tool":
            return ChatMessage(role="tool", content=text, additional_kwargs={"tool_call_id": call_id})
        if kind == "answer":
            return ChatMessage(role="assistant", blocks=[ThinkingBlock(content=REASONING), TextBlock(text=text)])
        return ChatMessage(role=kind, content=text)

    return [message(*turn) for turn in turns(length)]


def tool_function(index: int) -> dict[str, Any]:
    """The ``index``-th tool, in the OpenAI function shape (three parameters, one an enum)."""
    return {
        "type": "function",
        "function": {
            "name": f"lookup_{index}",
            "description": f"Look up record kind {index} for a city, in a unit, for a number of days.",
            "parameters": {
                "type": "object",
                "properties": {
                    "city": {"type": "string", "description": "The city's name."},
                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                    "days": {"type": "integer", "description": "How many days ahead."},
                },
                "required": ["city"],
            },
        },
    }


def langchain_tools(count: int) -> list[Any]:
    """``count`` tools as LangChain binds them (OpenAI-shaped dicts pass through ``convert_to_openai_tool``)."""
    return [tool_function(i) for i in range(count)]


def lookup(city: str, unit: str = "celsius", days: int = 1) -> str:
    """Look up a record for a city."""
    return f"{city}: 18 {unit}, {days} day(s)"


def llamaindex_tools(count: int) -> list[Any]:
    """``count`` llama-index ``FunctionTool``s (each converted with ``to_openai_tool()`` on every call)."""
    from llama_index.core.tools import FunctionTool

    return [
        FunctionTool.from_defaults(
            fn=lookup, name=f"lookup_{i}", description=tool_function(i)["function"]["description"]
        )
        for i in range(count)
    ]


def history(framework: str, length: int) -> list[Any]:
    """The history of ``length`` messages in ``framework``'s types."""
    return langchain_history(length) if framework == LANGCHAIN else llamaindex_history(length)


def tools(framework: str, count: int) -> list[Any]:
    """``count`` tools in ``framework``'s types."""
    return langchain_tools(count) if framework == LANGCHAIN else llamaindex_tools(count)


def request(framework: str, model: Any, messages: list[Any], bound: list[Any]) -> Callable[[], Any]:
    """The call an application makes: LangChain binds its tools once and invokes; llama-index passes them per call."""
    if framework == LANGCHAIN:
        runnable = model.bind_tools(bound) if bound else model
        return lambda: runnable.invoke(messages)
    if bound:
        return lambda: model.chat_with_tools(bound, chat_history=messages)
    return lambda: model.chat(messages)
