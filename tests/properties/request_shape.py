"""A validator of the documented request bodies (``/v1/chat/completions``, ``/v1/responses``, ``/v1/completions``).

Written from the service reference, independently of the request builders: it says what a
body the service accepts looks like, so a generated call can be checked against it.
:func:`problems` lists what is wrong with a body (nothing, for a good one).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

ROLES = ("system", "user", "assistant", "tool")


def problems(endpoint: str, body: object) -> list[str]:
    """What breaks the documented format in ``body``; an empty list for a body the service accepts."""
    if not isinstance(body, dict):
        return ["the body is not an object"]
    found = _encodable(body)
    found += _common(body)
    found += {"chat": _chat, "responses": _responses, "completions": _completions}[endpoint](body)
    return found


def _encodable(body: dict[str, Any]) -> list[str]:
    try:
        json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
    except (TypeError, ValueError) as exc:
        return [f"not JSON in UTF-8: {exc}"]
    return []


def _number(value: object, low: float, high: float, integer: bool = False) -> bool:
    kinds = int if integer else (int, float)
    return isinstance(value, kinds) and not isinstance(value, bool) and math.isfinite(value) and low <= value <= high


RANGES: dict[str, Callable[[object], bool]] = {
    "temperature": lambda v: _number(v, 0, 2),
    "top_p": lambda v: _number(v, 0, 1),
    "frequency_penalty": lambda v: _number(v, -2, 2),
    "presence_penalty": lambda v: _number(v, -2, 2),
    "penalty_score": lambda v: _number(v, 1, 2),
    "seed": lambda v: _number(v, 1, 2147483646, integer=True),
    "max_completion_tokens": lambda v: _number(v, 1, 2**31 - 1, integer=True),
    "max_output_tokens": lambda v: _number(v, 1, 2**31 - 1, integer=True),
    "max_tokens": lambda v: _number(v, 1, 2**31 - 1, integer=True),
    "n": lambda v: _number(v, 1, 128, integer=True),
    "stop": lambda v: isinstance(v, list) and len(v) <= 4 and all(isinstance(w, str) and len(w) <= 20 for w in v),
    "user": lambda v: isinstance(v, str),
    "stream": lambda v: isinstance(v, bool),
    "metadata": lambda v: isinstance(v, dict) and len(v) <= 16 and all(isinstance(x, str) for x in v.values()),
}


def _common(body: dict[str, Any]) -> list[str]:
    found = [] if isinstance(body.get("model"), str) and body["model"] else ["model is not a name"]
    return found + [
        f"{name} out of its documented range: {body[name]!r}"
        for name, ok in RANGES.items()
        if name in body and not ok(body[name])
    ]


def _chat(body: dict[str, Any]) -> list[str]:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return ["messages is not a non-empty list"]
    found: list[str] = []
    open_calls: set[str] = set()
    for position, message in enumerate(messages):
        where = f"messages[{position}]"
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return [f"{where} has no documented role"]
        role = message["role"]
        if role == "system" and any(m.get("role") != "system" for m in messages[:position]):
            found.append(f"{where}: system after the start")
        found += _chat_content(where, message)
        if role == "tool":
            if message.get("tool_call_id") not in open_calls:
                found.append(f"{where}: a tool result answering no call")
            continue
        calls = message.get("tool_calls") or []
        if role != "assistant" and calls:
            found.append(f"{where}: tool calls outside an assistant message")
        open_calls = {c.get("id") for c in calls if _is_call(c)}
        found += [f"{where}: a malformed tool call" for c in calls if not _is_call(c)]
    if messages[0].get("role") not in ("system", "user"):
        found.append("the first message is not system or user")
    if messages[-1].get("role") not in ("user", "tool"):
        found.append("the last message is not user or tool")
    return found


def _is_call(call: object) -> bool:
    if not isinstance(call, dict) or not isinstance(call.get("id"), str) or call.get("type") != "function":
        return False
    function = call.get("function")
    return (
        isinstance(function, dict)
        and isinstance(function.get("name"), str)
        and isinstance(function.get("arguments"), str)
    )


def _chat_content(where: str, message: dict[str, Any]) -> list[str]:
    content = message.get("content")
    if isinstance(content, str) or (content is None and message.get("tool_calls")):
        return []
    if not isinstance(content, list):
        return [f"{where}.content is neither text nor parts"]
    return [f"{where}.content has an undocumented part: {part!r:.80}" for part in content if not _chat_part(part)]


def _chat_part(part: object) -> bool:
    if not isinstance(part, dict):
        return False
    if part.get("type") == "text":
        return isinstance(part.get("text"), str)
    image = part.get("image_url")
    return part.get("type") == "image_url" and isinstance(image, dict) and isinstance(image.get("url"), str)


def _responses(body: dict[str, Any]) -> list[str]:
    items = body.get("input")
    if not isinstance(items, list) or not items:
        return ["input is not a non-empty list"]
    found: list[str] = []
    for position, item in enumerate(items):
        where = f"input[{position}]"
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "message":
            found += _responses_message(where, item)
        elif kind == "function_call":
            if not all(isinstance(item.get(k), str) for k in ("call_id", "name", "arguments")):
                found.append(f"{where}: a malformed function call")
        elif kind == "function_call_output":
            if not isinstance(item.get("call_id"), str) or not isinstance(item.get("output"), str):
                found.append(f"{where}: a malformed function call output")
        elif kind != "reasoning":
            found.append(f"{where}: an undocumented item")
    return found


def _responses_message(where: str, item: dict[str, Any]) -> list[str]:
    if item.get("role") not in ("system", "user", "assistant", "developer"):
        return [f"{where}: no documented role"]
    content = item.get("content")
    if isinstance(content, str):
        return []
    if not isinstance(content, list):
        return [f"{where}.content is neither text nor parts"]
    return [f"{where}.content has an undocumented part" for part in content if not _responses_part(part)]


def _responses_part(part: object) -> bool:
    if not isinstance(part, dict):
        return False
    if part.get("type") == "input_text":
        return isinstance(part.get("text"), str)
    return part.get("type") == "input_image" and isinstance(part.get("image_url"), str)


def _completions(body: dict[str, Any]) -> list[str]:
    return [] if isinstance(body.get("prompt"), str) else ["prompt is not text"]
