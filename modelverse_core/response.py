"""Parsing a non-streamed chat completion body into a :class:`ChatResult`."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from . import shape
from .catalog import split_model_version
from .errors import ShapeError
from .logprobs import parse_logprobs
from .thinking import split_think
from .types import ChatResult, Choice, RemoteModel, ToolCall, Usage


def parse_response(
    body: Mapping[str, Any], choice_parser: Callable[[Mapping[str, Any]], Choice] | None = None
) -> ChatResult:
    """Parse a ``chat.completion`` body; unknown fields are kept in ``raw``.

    ``choice_parser`` reads one ``choices[]`` entry (another endpoint's choice shape);
    everything around the choices is the same for every endpoint. A body carrying an
    ``error`` object raises it (:class:`~modelverse_core.errors.StreamEventError`); one
    without choices, or with a field of the wrong type, raises
    :class:`~modelverse_core.errors.ShapeError`.
    """
    body = shape.event(body, "the response body")
    shape.reported_error(body)
    model, version = split_model_version(str(body.get("model") or "")) if body.get("model") else (None, None)
    parse = choice_parser or parse_choice
    raw_choices = shape.array(body.get("choices"), "choices")
    if not raw_choices:
        raise ShapeError("the response has no choices")
    choices = tuple(parse(shape.event(c, f"choices[{i}]")) for i, c in enumerate(raw_choices))
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
    message = shape.obj(data.get("message"), "choices[].message")
    inline_reasoning, content = split_think(shape.text(message.get("content"), "choices[].message.content"))
    calls = shape.array(message.get("tool_calls"), "choices[].message.tool_calls")
    return Choice(
        index=shape.index(data.get("index"), "choices[].index"),
        content=content,
        reasoning=reasoning_field(message) + inline_reasoning,
        tool_calls=unique_tool_call_ids(parse_tool_call(shape.event(c, "a tool call")) for c in calls),
        finish_reason=shape.optional_text(data.get("finish_reason"), "choices[].finish_reason"),
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
        return shape.text(message.get("reasoning"), "reasoning")
    return shape.text(value, "reasoning_content")


def parse_tool_call(data: Mapping[str, Any]) -> ToolCall:
    """Parse one tool call; invalid JSON arguments are kept with the error, an object of arguments as its JSON."""
    function = shape.obj(data.get("function"), "tool_calls[].function")
    return ToolCall.from_arguments(
        id=shape.text(data.get("id"), "tool_calls[].id"),
        name=shape.text(function.get("name"), "tool_calls[].function.name"),
        arguments=shape.arguments(function.get("arguments"), "tool_calls[].function.arguments"),
    )


def parse_usage(data: object) -> Usage | None:
    """Parse ``usage``, tolerating ``null`` details; ``None`` when absent."""
    if data is None:
        return None
    data = shape.obj(data, "usage")
    prompt_details = shape.obj(data.get("prompt_tokens_details"), "usage.prompt_tokens_details")
    completion_details = shape.obj(data.get("completion_tokens_details"), "usage.completion_tokens_details")
    cached = prompt_details.get("cached_tokens")
    return Usage(
        prompt_tokens=shape.count(data.get("prompt_tokens"), "usage.prompt_tokens"),
        completion_tokens=shape.count(data.get("completion_tokens"), "usage.completion_tokens"),
        total_tokens=shape.count(data.get("total_tokens"), "usage.total_tokens"),
        reasoning_tokens=shape.count(completion_details.get("reasoning_tokens"), "usage.reasoning_tokens"),
        cached_tokens=shape.count(cached, "usage.cached_tokens")
        or shape.count(data.get("prompt_cache_hit_tokens"), "usage.prompt_cache_hit_tokens"),
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
        for item in shape.array(body.get("data"), "data")
        if isinstance(item, Mapping) and item.get("id")
    ]
