"""What a conversation's history becomes before it is encoded: role runs merged, reasoning kept or dropped.

Both rules are shared by every wire format and both plugins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .types import Content, Message, Part, ReasoningPolicy, TextPart

MERGED_ROLES = frozenset({"system", "user", "assistant"})
"""Roles whose consecutive messages are merged for models with strict alternation; tool results never are."""


def merge_role_runs(messages: Sequence[Message]) -> list[Message]:
    """Merge each run of consecutive same-role messages into one, as strict-alternation models need.

    Text is joined with a blank line, parts are kept in order, reasoning and tool calls are
    kept; an assistant message with tool calls ends its run, since results must follow it.
    """
    merged: list[Message] = []
    for message in messages:
        if merged and _continues_run(merged[-1], message):
            merged[-1] = _merge(merged[-1], message)
        else:
            merged.append(message)
    return merged


def _continues_run(previous: Message, message: Message) -> bool:
    return previous.role == message.role and message.role in MERGED_ROLES and not previous.tool_calls


def _merge(first: Message, second: Message) -> Message:
    return replace(
        first,
        content=_join_content(first.content, second.content),
        reasoning=_join_text(first.reasoning, second.reasoning) or None,
        tool_calls=second.tool_calls,
        name=first.name if first.name == second.name else None,
    )


def _join_text(*texts: str | None) -> str:
    return "\n\n".join(text for text in texts if text)


def _join_content(first: Content, second: Content) -> Content:
    if isinstance(first, str) and isinstance(second, str):
        return _join_text(first, second)
    return _parts(first) + _parts(second)


def _parts(content: Content) -> tuple[Part, ...]:
    if isinstance(content, str):
        return (TextPart(content),) if content else ()
    return content


def reasoning_sent(messages: Sequence[Message], policy: ReasoningPolicy) -> list[bool]:
    """For each message, whether its reasoning (assistant messages only) is sent back under ``policy``.

    ``auto`` sends the reasoning of every assistant message that called tools, in every
    turn (thinking-mode models refuse a history whose tool-calling messages lack it), and
    of every message after the last user message; it drops it from earlier plain answers,
    which some reasoning models refuse to receive.
    """
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    return [
        m.role == "assistant" and (policy == "always" or (policy == "auto" and (bool(m.tool_calls) or i > last_user)))
        for i, m in enumerate(messages)
    ]
