"""The one mapping from neutral messages and settings to the documented request body."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any

from .catalog import ModelInfo, model_info
from .errors import ParameterError
from .history import merge_role_runs, reasoning_sent
from .limits import CompletionParams, SamplingParams, check_messages, check_params
from .types import (
    ForcedTool,
    ImagePart,
    JsonObjectFormat,
    Message,
    Part,
    ReasoningPolicy,
    ResponseFormat,
    TextPart,
    ToolChoice,
    ToolSpec,
)

REASONING_POLICIES: tuple[ReasoningPolicy, ...] = ("auto", "always", "never")


def build_request(
    model: str,
    messages: Sequence[Message],
    params: SamplingParams | None = None,
    *,
    tools: Sequence[ToolSpec] = (),
    tool_choice: ToolChoice | None = None,
    response_format: ResponseFormat | None = None,
    stream: bool = False,
    include_usage: bool = True,
    reasoning_policy: ReasoningPolicy = "auto",
    extra_body: Mapping[str, Any] | None = None,
    info: ModelInfo | None = None,
) -> dict[str, Any]:
    """Validate everything, then build the ``POST /chat/completions`` body.

    For models with strict role alternation, runs of same-role messages are merged
    after the checks (so errors name the caller's positions). ``extra_body`` is merged
    last, so it can set anything the typed settings do not.
    """
    info = info or model_info(model)
    params = params or SamplingParams()
    messages = checked_history(messages, params, info, tools=tools, tool_choice=tool_choice, policy=reasoning_policy)
    body: dict[str, Any] = {"model": model, "messages": encode_messages(messages, reasoning_policy)}
    body.update(encode_params(params))
    if tools:
        body["tools"] = [encode_tool(tool) for tool in tools]
    if tool_choice is not None:
        body["tool_choice"] = encode_tool_choice(tool_choice)
    if response_format is not None:
        body["response_format"] = encode_response_format(response_format)
    return finish_body(body, stream=stream, include_usage=include_usage, extra_body=extra_body)


def finish_body(
    body: dict[str, Any], *, stream: bool, include_usage: bool, extra_body: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Add the stream switches (usage on the last chunk unless turned off), then ``extra_body`` last.

    The client encodes it when it sends it (:func:`encode_body`).
    """
    if stream:
        body["stream"] = True
        if include_usage:
            body["stream_options"] = {"include_usage": True}
    if extra_body:
        body.update(extra_body)
    return body


def encode_body(body: Mapping[str, Any]) -> bytes:
    """``body`` as the JSON bytes to send, encoded as the SDK would (UTF-8, compact).

    A value that cannot be sent (a string with a lone surrogate, a ``NaN`` or infinite
    number, bytes or any other object, nesting too deep) is a :class:`ParameterError`
    naming the field, where the encoder would raise a bare ``UnicodeEncodeError``,
    ``ValueError``, ``TypeError`` or ``RecursionError``. The fields are looked at only then.
    """
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except (TypeError, ValueError, RecursionError) as exc:
        for name, value in body.items():
            try:
                _check_json_value(value, str(name))
            except RecursionError:
                raise ParameterError(str(name), "is nested too deeply to be sent as JSON") from None
        raise ParameterError("body", "cannot be sent as JSON", f"{type(exc).__name__}: {exc}") from None


def _check_json_value(value: object, field: str) -> None:
    """Raise :class:`ParameterError`, naming the field, at the first value of ``value`` that cannot be sent."""
    if isinstance(value, str):
        if not value.isascii() and _SURROGATE.search(value):
            raise ParameterError(field, "must be text without lone surrogates (not sendable as UTF-8)", repr(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError(field, "must be a finite number (JSON has no NaN or Infinity)", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ParameterError(field, "object keys must be strings", key)
            _check_json_value(key, field)
            _check_json_value(item, f"{field}.{key}")
    elif isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            _check_json_value(item, f"{field}[{position}]")
    elif value is not None and not isinstance(value, (bool, int)):
        raise ParameterError(field, "must be a JSON value (text, number, boolean, null, list or object)", value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def checked_history(
    messages: Sequence[Message],
    params: SamplingParams,
    info: ModelInfo,
    *,
    tools: Sequence[ToolSpec],
    tool_choice: ToolChoice | None,
    policy: ReasoningPolicy,
) -> Sequence[Message]:
    """Run every check of a request (:func:`check_request`), then give the history as every wire sends it.

    For models with strict role alternation, runs of same-role messages are merged after the
    checks, so errors name the caller's positions.
    """
    check_request(messages, params, info, tools=tools, tool_choice=tool_choice, reasoning_policy=policy)
    return merge_role_runs(messages) if info.alternating_roles else messages


def check_request(
    messages: Sequence[Message],
    params: SamplingParams,
    info: ModelInfo,
    *,
    tools: Sequence[ToolSpec] = (),
    tool_choice: ToolChoice | None = None,
    reasoning_policy: str = "auto",
) -> None:
    """Every client-side check of a request, in one place."""
    if reasoning_policy not in REASONING_POLICIES:
        raise ParameterError(
            "reasoning_in_history", f"must be one of {', '.join(REASONING_POLICIES)}", reasoning_policy
        )
    check_params(params, info)
    check_messages(messages, info)
    if tool_choice is not None and not tools:
        raise ParameterError("tool_choice", "is sent only together with at least one tool", tool_choice)
    if isinstance(tool_choice, ForcedTool) and tool_choice.name not in {t.name for t in tools}:
        raise ParameterError("tool_choice", "must name one of the tools given", tool_choice.name)
    if tools and info.tool_calling is False:
        raise ParameterError("tools", f"model {info.id} does not support tool calling", [t.name for t in tools])


def encode_messages(messages: Sequence[Message], policy: ReasoningPolicy = "auto") -> list[dict[str, Any]]:
    """Encode messages, sending reasoning back only where the policy says."""
    sends = reasoning_sent(messages, policy)
    return [encode_message(m, send_reasoning=send) for m, send in zip(messages, sends, strict=True)]


def encode_message(message: Message, *, send_reasoning: bool = False) -> dict[str, Any]:
    """Encode one message in the documented wire form."""
    out: dict[str, Any] = {"role": message.role, "content": encode_content(message.content)}
    if message.name:
        out["name"] = message.name
    if message.role == "tool":
        out["tool_call_id"] = message.tool_call_id
    if message.tool_calls:
        out["content"] = out["content"] or None
        out["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if send_reasoning and message.role == "assistant" and message.reasoning:
        out["reasoning_content"] = message.reasoning
    return out


def encode_content(
    content: str | Sequence[Part], encode: Callable[[Part], dict[str, Any]] | None = None
) -> str | list[dict[str, Any]]:
    """A string stays a string; each part becomes what ``encode`` makes of it.

    Chat's ``text`` and ``image_url`` objects, unless another wire format gives its own part encoder.
    """
    if isinstance(content, str):
        return content
    return [(encode or encode_part)(part) for part in content]


def encode_part(part: Part) -> dict[str, Any]:
    """Encode one content part."""
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart):
        image: dict[str, Any] = {"url": part.url}
        if part.detail:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    raise ParameterError("content", "parts must be text or image_url", part)


_PARAM_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls)) for cls in (SamplingParams, CompletionParams)
}


def encode_params(params: SamplingParams | CompletionParams) -> dict[str, Any]:
    """The parameters that are set, under their documented names."""
    out: dict[str, Any] = {}
    for name in _PARAM_NAMES[type(params)]:
        value = getattr(params, name)
        if value is not None:
            out[name] = list(value) if name in ("stop", "stop_token_ids") else value
    return out


def encode_tool(tool: ToolSpec) -> dict[str, Any]:
    """Encode a tool spec as an OpenAI ``function`` tool."""
    function: dict[str, Any] = {"name": tool.name, "description": tool.description, "parameters": dict(tool.parameters)}
    if tool.strict is not None:
        function["strict"] = tool.strict
    return {"type": "function", "function": function}


def encode_tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    """``auto`` / ``none`` / ``required``, or one forced function."""
    if isinstance(choice, ForcedTool):
        return {"type": "function", "function": {"name": choice.name}}
    return choice


def encode_response_format(fmt: ResponseFormat) -> dict[str, Any]:
    """``json_object`` or ``json_schema``."""
    if isinstance(fmt, JsonObjectFormat):
        return {"type": "json_object"}
    schema: dict[str, Any] = {"name": fmt.name, "schema": dict(fmt.schema)}
    if fmt.description:
        schema["description"] = fmt.description
    if fmt.strict is not None:
        schema["strict"] = fmt.strict
    return {"type": "json_schema", "json_schema": schema}
