"""Offline token estimates for messages, tools, images and reasoning; no tokenizer download.

The estimate is calibrated on DeepSeek's published ratios (one English character is about
0.3 token, one Chinese character about 0.6 token); a GPT-2 tokenizer, the usual fallback,
has almost no Chinese in its vocabulary and counts most Chinese characters as two or three
tokens, and four characters per token (langchain-core's approximation) undercounts Chinese
by more than half. Each message adds a fixed overhead for its role markers, each image a fixed
cost, and tool schemas are counted as the JSON that is sent. It is an approximation for
budgeting and trimming history, not the server's count (that is in ``usage``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from .pipeline import reasoning_sent
from .types import Message, ReasoningPolicy, ToolSpec
from .wire.chat import encode_messages, encode_tool

TOKENS_PER_ASCII_CHAR = 0.3
"""English text, code and JSON: about 3.3 characters per token."""
TOKENS_PER_WIDE_CHAR = 0.6
"""Chinese (and other non-ASCII) characters: about 1.7 characters per token."""
TOKENS_PER_MESSAGE = 3
"""Role markers around each message."""
TOKENS_PER_IMAGE = 85
"""A fixed cost per image part (langchain-core's approximate counter uses the same figure)."""


def count_text_tokens(text: str) -> int:
    """Estimated tokens of ``text``: ASCII characters at 0.3 token, others at 0.6."""
    ascii_chars = len(text.encode("ascii", "ignore"))
    return math.ceil(ascii_chars * TOKENS_PER_ASCII_CHAR + (len(text) - ascii_chars) * TOKENS_PER_WIDE_CHAR)


def count_message_tokens(
    messages: Sequence[Message], tools: Sequence[ToolSpec] = (), policy: ReasoningPolicy = "auto"
) -> int:
    """Estimated prompt tokens of ``messages`` (reasoning counted where ``policy`` sends it) and ``tools``."""
    sends = reasoning_sent(messages, policy)
    total = sum(_wire_message_tokens(message) for message in encode_messages(messages, sends))
    if tools:
        total += count_text_tokens(json.dumps([encode_tool(tool) for tool in tools], ensure_ascii=False))
    return total


def _wire_message_tokens(message: Mapping[str, Any]) -> int:
    tokens = TOKENS_PER_MESSAGE + _content_tokens(message.get("content"))
    texts = [message.get(key) or "" for key in ("reasoning_content", "name", "tool_call_id")]
    for call in message.get("tool_calls") or ():
        texts += [call["id"], call["function"]["name"], call["function"]["arguments"]]
    return tokens + sum(count_text_tokens(text) for text in texts)


def _content_tokens(content: str | list[dict[str, Any]] | None) -> int:
    if not content:
        return 0
    if isinstance(content, str):
        return count_text_tokens(content)
    return sum(
        TOKENS_PER_IMAGE if part["type"] == "image_url" else count_text_tokens(part.get("text", "")) for part in content
    )
