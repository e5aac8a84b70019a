"""Valid answers of each endpoint, as the events of a stream and as a whole body, built from one description.

An :class:`Answer` is what a server means to say: a content, reasoning, tool calls and usage.
``events(endpoint, answer)`` gives the stream events carrying it, cut into the given pieces;
``body(endpoint, answer)`` gives the equivalent non-streamed body. Both are plain JSON values,
for the generators to corrupt and for :func:`sse` to write out.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

ENDPOINTS = ("chat", "responses", "completions")


@dataclass(frozen=True)
class Call:
    """A tool call: its id, name and arguments text, each cut into pieces as streamed."""

    id: str
    name: str
    pieces: tuple[str, ...]

    @property
    def arguments(self) -> str:
        return "".join(self.pieces)


@dataclass(frozen=True)
class Answer:
    """One answer: content and reasoning pieces as streamed, tool calls, usage counts."""

    content: tuple[str, ...] = ()
    reasoning: tuple[str, ...] = ()
    calls: tuple[Call, ...] = ()
    usage: tuple[int, int] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "".join(self.content)

    @property
    def finish_reason(self) -> str:
        return "tool_calls" if self.calls else "stop"


def sse(events: Sequence[object], *, done: bool = True) -> bytes:
    """The events as a ``text/event-stream`` body, ``[DONE]`` last unless ``done`` is false."""
    out = b"".join(
        b"data: " + json.dumps(e, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n\n" for e in events
    )
    return out + (b"data: [DONE]\n\n" if done else b"")


def dumps(value: object) -> bytes:
    """A body as JSON bytes (lone surrogates kept, as a broken server could send them)."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


# ------------------------------------------------------------------ streams


def events(endpoint: str, answer: Answer) -> list[dict[str, Any]]:
    """The stream events of ``answer`` on ``endpoint``."""
    if endpoint == "responses":
        return _responses_events(answer)
    key = "text" if endpoint == "completions" else None
    out: list[dict[str, Any]] = []
    meta = {"id": "gen-1", "model": "deepseek-ai/DeepSeek-V3-0324", "created": 1, **answer.extra}
    if key is None:
        out += [_chunk(meta, {"reasoning_content": piece}) for piece in answer.reasoning]
        out += [_chunk(meta, {"content": piece}) for piece in answer.content]
        for position, call in enumerate(answer.calls):
            for number, piece in enumerate(call.pieces or ("",)):
                first = {"id": call.id, "type": "function"} if number == 0 else {}
                function = {"name": call.name, "arguments": piece} if number == 0 else {"arguments": piece}
                out.append(_chunk(meta, {"tool_calls": [{"index": position, **first, "function": function}]}))
        out.append({**meta, "choices": [{"index": 0, "delta": {}, "finish_reason": answer.finish_reason}]})
    else:
        out += [{**meta, "choices": [{"index": 0, "text": piece}]} for piece in answer.content]
        out.append({**meta, "choices": [{"index": 0, "text": "", "finish_reason": "stop"}]})
    if answer.usage is not None:
        out.append({**meta, "choices": [], "usage": _usage(answer.usage)})
    return out


def _chunk(meta: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    return {**meta, "choices": [{"index": 0, "delta": delta}]}


def _usage(usage: tuple[int, int]) -> dict[str, int]:
    return {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}


def _responses_events(answer: Answer) -> list[dict[str, Any]]:
    response = {"id": "resp-1", "model": "deepseek-ai/DeepSeek-V3-0324", "created_at": 1, **answer.extra}
    out: list[dict[str, Any]] = [{"type": "response.created", "response": {**response, "status": "in_progress"}}]
    out += [
        {"type": "response.reasoning_text.delta", "item_id": "rs", "output_index": 0, "content_index": 0, "delta": p}
        for p in answer.reasoning
    ]
    out += [
        {"type": "response.output_text.delta", "item_id": "msg", "output_index": 1, "delta": p} for p in answer.content
    ]
    for position, call in enumerate(answer.calls, start=2):
        item = {"type": "function_call", "id": f"fc{position}", "call_id": call.id, "name": call.name, "arguments": ""}
        out.append({"type": "response.output_item.added", "output_index": position, "item": item})
        out += [
            {"type": "response.function_call_arguments.delta", "output_index": position, "delta": piece}
            for piece in call.pieces
        ]
        out.append(
            {
                "type": "response.output_item.done",
                "output_index": position,
                "item": {**item, "arguments": call.arguments},
            }
        )
    out.append({"type": "response.completed", "response": _responses_body(answer)})
    return out


# ------------------------------------------------------------------ bodies


def body(endpoint: str, answer: Answer) -> dict[str, Any]:
    """The non-streamed body of ``answer`` on ``endpoint``."""
    if endpoint == "responses":
        return _responses_body(answer)
    meta = {"id": "gen-1", "model": "deepseek-ai/DeepSeek-V3-0324", "created": 1, **answer.extra}
    usage = {"usage": _usage(answer.usage)} if answer.usage is not None else {}
    if endpoint == "completions":
        choice: dict[str, Any] = {"index": 0, "text": answer.text, "finish_reason": "stop"}
        return {**meta, "object": "text_completion", "choices": [choice], **usage}
    message: dict[str, Any] = {"role": "assistant", "content": answer.text}
    if answer.reasoning:
        message["reasoning_content"] = "".join(answer.reasoning)
    if answer.calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in answer.calls
        ]
    choice = {"index": 0, "message": message, "finish_reason": answer.finish_reason}
    return {**meta, "object": "chat.completion", "choices": [choice], **usage}


def _responses_body(answer: Answer) -> dict[str, Any]:
    output: list[dict[str, Any]] = []
    if answer.reasoning:
        text = "".join(answer.reasoning)
        output.append(
            {"type": "reasoning", "id": "rs", "summary": [], "content": [{"type": "reasoning_text", "text": text}]}
        )
    output.append(
        {
            "type": "message",
            "id": "msg",
            "role": "assistant",
            "content": [{"type": "output_text", "text": answer.text, "annotations": []}],
        }
    )
    output += [
        {"type": "function_call", "id": f"fc{i}", "call_id": c.id, "name": c.name, "arguments": c.arguments}
        for i, c in enumerate(answer.calls, start=2)
    ]
    usage = None
    if answer.usage is not None:
        usage = {"input_tokens": answer.usage[0], "output_tokens": answer.usage[1], "total_tokens": sum(answer.usage)}
    return {
        "id": "resp-1",
        "object": "response",
        "model": "deepseek-ai/DeepSeek-V3-0324",
        "created_at": 1,
        "status": "completed",
        "error": None,
        "output": output,
        "usage": usage,
        **answer.extra,
    }
