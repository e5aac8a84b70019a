"""Parsing a non-streamed chat completion body into a :class:`ChatResult`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from .catalog import split_model_version
from .logprobs import parse_logprobs
from .thinking import split_think
from .types import ChatResult, Choice, RemoteModel, ToolCall, Usage


def parse_response(
    body: Mapping[str, Any], choice_parser: Callable[[Mapping[str, Any]], Choice] | None = None
) -> ChatResult:
    """Parse a ``chat.completion`` body; unknown fields are kept in ``raw``.

    ``choice_parser`` reads one ``choices[]`` entry (another endpoint's choice shape);
    everything around the choices is the same for every endpoint.
    """
    model, version = split_model_version(str(body.get("model") or "")) if body.get("model") else (None, None)
    parse = choice_parser or parse_choice
    choices = tuple(parse(c) for c in body.get("choices") or ())
    return ChatResult(
        choices=tuple(sorted(choices, key=lambda c: c.index)),
        id=response_id(body.get("id")),
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
        tool_calls=unique_tool_call_ids(parse_tool_call(c) for c in message.get("tool_calls") or ()),
        finish_reason=data.get("finish_reason"),
        logprobs=data.get("logprobs"),
        token_logprobs=parse_logprobs(data.get("logprobs")),
    )


def response_id(value: object) -> str | None:
    """The server's response id, ``None`` when missing or blank (the documented examples send ``" "``).

    It is a request id for troubleshooting, not a message id: answers may share it.
    """
    return value if isinstance(value, str) and value.strip() else None


def new_tool_call_id() -> str:
    """A fresh tool-call id, for calls a server left without a usable one."""
    return f"call_{uuid.uuid4().hex[:24]}"


def usable_tool_call_id(value: str | None, taken: Iterable[str]) -> str:
    """``value`` when it is not blank and not already used in the message, else a fresh id."""
    return value if value and value.strip() and value not in taken else new_tool_call_id()


def unique_tool_call_ids(calls: Iterable[ToolCall]) -> tuple[ToolCall, ...]:
    """The calls of one message, each with an id no other call in it has, so every tool result answers one call."""
    out: list[ToolCall] = []
    taken: set[str] = set()
    for call in calls:
        call_id = usable_tool_call_id(call.id, taken)
        out.append(call if call_id == call.id else replace(call, id=call_id))
        taken.add(call_id)
    return tuple(out)


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
