"""Standard content blocks for ModelVerse messages: reasoning first, then text and tool calls."""

from __future__ import annotations

from typing import Any, cast

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator

from .convert import PROVIDER


def _reasoning(message: AIMessage) -> list[types.ContentBlock]:
    reasoning = message.additional_kwargs.get("reasoning_content")
    if not (isinstance(reasoning, str) and reasoning):
        return []
    return [cast("types.ReasoningContentBlock", {"type": "reasoning", "reasoning": reasoning})]


def _text(message: AIMessage) -> list[types.ContentBlock]:
    if isinstance(message.content, str):
        return [cast("types.TextContentBlock", {"type": "text", "text": message.content})] if message.content else []
    return [
        {"type": "text", "text": block} if isinstance(block, str) else block  # type: ignore[misc]
        for block in message.content
        if isinstance(block, str) or block.get("type") != "reasoning"
    ]


def _tool_calls(message: AIMessage) -> list[types.ContentBlock]:
    blocks: list[Any] = [
        {"type": "tool_call", "id": c.get("id"), "name": c["name"], "args": c["args"]} for c in message.tool_calls
    ]
    blocks += [{**c, "type": "invalid_tool_call"} for c in message.invalid_tool_calls]
    return blocks


def translate_content(message: AIMessage) -> list[types.ContentBlock]:
    """Blocks of a complete message."""
    return _reasoning(message) + _text(message) + _tool_calls(message)


def translate_content_chunk(message: AIMessageChunk) -> list[types.ContentBlock]:
    """Blocks of a streamed chunk, indexed per kind so that summing chunks merges each block.

    Tool calls stay ``tool_call_chunk`` blocks until the stream is aggregated.
    """
    if message.chunk_position == "last" or not (message.tool_call_chunks or _text(message) or _reasoning(message)):
        return translate_content(message)
    blocks: list[Any] = [{**b, "index": "lc_rs_0"} for b in _reasoning(message)]
    blocks += [{**b, "index": "lc_txt_0"} for b in _text(message)]
    blocks += [
        {**c, "type": "tool_call_chunk", "index": f"lc_tc_{c.get('index') or 0}"} for c in message.tool_call_chunks
    ]
    return blocks


def register() -> None:
    """Register the translator for ``response_metadata["model_provider"] == "modelverse"``."""
    register_translator(PROVIDER, translate_content, translate_content_chunk)
