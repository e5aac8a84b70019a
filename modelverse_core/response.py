"""Parsing a non-streamed chat completion body into a :class:`ChatResult`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .catalog import split_model_version
from .thinking import split_think
from .types import ChatResult, Choice, RemoteModel, ToolCall, Usage


def parse_response(body: Mapping[str, Any]) -> ChatResult:
    """Parse a ``chat.completion`` body; unknown fields are kept in ``raw``."""
    model, version = split_model_version(str(body.get("model") or "")) if body.get("model") else (None, None)
    choices = tuple(parse_choice(c) for c in body.get("choices") or ())
    return ChatResult(
        choices=tuple(sorted(choices, key=lambda c: c.index)),
        id=body.get("id"),
        created=body.get("created"),
        model=model,
        model_version=version,
        system_fingerprint=body.get("system_fingerprint"),
        usage=parse_usage(body.get("usage")),
        search_results=parse_search_results(body),
        raw=body,
    )


def parse_choice(data: Mapping[str, Any]) -> Choice:
    """Parse one ``choices[]`` entry, splitting reasoning from the answer."""
    message = data.get("message") or {}
    inline_reasoning, content = split_think(message.get("content") or "")
    return Choice(
        index=int(data.get("index") or 0),
        content=content,
        reasoning=reasoning_field(message) + inline_reasoning,
        tool_calls=tuple(parse_tool_call(c) for c in message.get("tool_calls") or ()),
        finish_reason=data.get("finish_reason"),
        logprobs=data.get("logprobs"),
    )


def reasoning_field(message: Mapping[str, Any]) -> str:
    """The reasoning text of a message or delta: ``reasoning_content``, else ``reasoning``."""
    value = message.get("reasoning_content")
    if value is None:
        value = message.get("reasoning")
    return value if isinstance(value, str) else ""


def parse_tool_call(data: Mapping[str, Any]) -> ToolCall:
    """Parse one tool call; invalid JSON arguments are kept with the error."""
    function = data.get("function") or {}
    return ToolCall.from_arguments(
        id=str(data.get("id") or ""),
        name=str(function.get("name") or ""),
        arguments=function.get("arguments") or "",
    )


def parse_usage(data: object) -> Usage | None:
    """Parse ``usage``, tolerating ``null`` details; ``None`` when absent."""
    if not isinstance(data, Mapping):
        return None
    prompt_details = data.get("prompt_tokens_details") or {}
    completion_details = data.get("completion_tokens_details") or {}
    cached = prompt_details.get("cached_tokens") or data.get("prompt_cache_hit_tokens")
    return Usage(
        prompt_tokens=int(data.get("prompt_tokens") or 0),
        completion_tokens=int(data.get("completion_tokens") or 0),
        total_tokens=int(data.get("total_tokens") or 0),
        reasoning_tokens=int(completion_details.get("reasoning_tokens") or 0),
        cached_tokens=int(cached or 0),
    )


def parse_search_results(body: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """``search_results`` (one document spells it ``search_result``), when not empty."""
    value = body.get("search_results")
    if value is None:
        value = body.get("search_result")
    if not value:
        return None
    return tuple(value) if isinstance(value, list) else (value,)


def parse_models(body: Mapping[str, Any]) -> list[RemoteModel]:
    """Parse the ``GET /v1/models`` list."""
    return [
        RemoteModel(id=str(item.get("id")), created=item.get("created"), owned_by=item.get("owned_by"))
        for item in body.get("data") or ()
        if isinstance(item, Mapping) and item.get("id")
    ]
