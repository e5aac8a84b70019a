"""The stand-in's ``POST /v1/responses``: the Responses API over the chat route's planning.

A request is read as the equivalent chat request (``input`` items to
messages, flat tools, ``text.format``, ``max_output_tokens``), checked and
planned by :mod:`tests.standin` exactly as chat is, and answered as a
``response`` object or as the typed SSE events. Reasoning comes in both shapes
real servers use: DeepSeek models send ``reasoning_text`` content, the others a
``summary``; the MaaS distills inline ``<think>`` in the output text.
Faults (``X-Standin-Fault``) behave as on the chat route; ``error-event``
sends the typed ``error`` event and ``failed-event`` a ``response.failed``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from tests.standin import (
    CREATED,
    ROUTES,
    Plan,
    Route,
    plan_for,
    response_model,
    usage_for,
    visible,
    words,
)

PATH = "/v1/responses"


# ---------------------------------------------------------------- the request, read as chat


def chat_body(body: dict[str, Any]) -> dict[str, Any]:
    """The chat request a Responses request stands for."""
    out: dict[str, Any] = {"model": body.get("model"), "messages": chat_messages(body)}
    tools = [
        {"type": "function", "function": {k: v for k, v in t.items() if k != "type"}}
        for t in body.get("tools") or []
        if t.get("type") == "function"
    ]
    if tools:
        out["tools"] = tools
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        out["tool_choice"] = {"type": "function", "function": {"name": choice.get("name")}}
    elif choice is not None:
        out["tool_choice"] = choice
    fmt = ((body.get("text") or {}).get("format")) or {}
    if fmt.get("type") == "json_schema":
        out["response_format"] = {"type": "json_schema", "json_schema": {k: v for k, v in fmt.items() if k != "type"}}
    elif fmt.get("type") == "json_object":
        out["response_format"] = {"type": "json_object"}
    for name in ("parallel_tool_calls", "_break_tool_arguments", "_blank_tool_call_ids"):
        if name in body:
            out[name] = body[name]
    if body.get("max_output_tokens") is not None:
        out["max_completion_tokens"] = body["max_output_tokens"]
    return out


def chat_messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    """``instructions`` and ``input`` items as chat messages; calls join the assistant turn before them."""
    messages: list[dict[str, Any]] = []
    if body.get("instructions"):
        messages.append({"role": "system", "content": body["instructions"]})
    items = body.get("input") or []
    if isinstance(items, str):
        items = [{"type": "message", "role": "user", "content": items}]
    for item in items:
        kind = item.get("type", "message")
        if kind == "message":
            messages.append({"role": item["role"], "content": chat_content(item.get("content"))})
        elif kind == "function_call":
            if not messages or messages[-1]["role"] != "assistant":
                messages.append({"role": "assistant", "content": None})
            call = {"name": item["name"], "arguments": item["arguments"]}
            messages[-1].setdefault("tool_calls", []).append(
                {"id": item["call_id"], "type": "function", "function": call}
            )
        elif kind == "function_call_output":
            messages.append({"role": "tool", "tool_call_id": item["call_id"], "content": item["output"]})
    return messages


def chat_content(content: Any) -> Any:
    if not isinstance(content, list):
        return content
    parts = []
    for part in content:
        if part.get("type") in ("input_text", "output_text"):
            parts.append({"type": "text", "text": part["text"]})
        elif part.get("type") == "input_image":
            parts.append({"type": "image_url", "image_url": {"url": part["image_url"]}})
    return parts


# ---------------------------------------------------------------- the answer


def reasoning_in_content(model: str) -> bool:
    """DeepSeek models send ``reasoning_text`` content; the others a summary."""
    return "deepseek" in model.lower()


def output_items(plan: Plan, model: str, request_id: str) -> list[dict[str, Any]]:
    reasoning, content = visible(plan, model)
    items: list[dict[str, Any]] = []
    if reasoning:
        item: dict[str, Any] = {"type": "reasoning", "id": f"rs_{request_id}", "summary": []}
        if reasoning_in_content(model):
            item["content"] = [{"type": "reasoning_text", "text": reasoning}]
        else:
            item["summary"] = [{"type": "summary_text", "text": reasoning}]
        items.append(item)
    if content:
        part = {"type": "output_text", "text": content, "annotations": []}
        items.append(message_item(f"msg_{request_id}", [part], "completed"))
    for call in plan.tool_calls:
        items.append(
            {
                "type": "function_call",
                "id": f"fc_{call['id']}",
                "call_id": call["id"],
                "name": call["function"]["name"],
                "arguments": call["function"]["arguments"],
                "status": "completed",
            }
        )
    return items


def message_item(item_id: str, content: list[dict[str, Any]], status: str) -> dict[str, Any]:
    return {"type": "message", "id": item_id, "status": status, "role": "assistant", "content": content}


def usage(chat: dict[str, Any], plan: Plan) -> dict[str, Any]:
    counts = usage_for(chat, [plan])
    return {
        "input_tokens": counts["prompt_tokens"],
        "input_tokens_details": {"cached_tokens": counts["prompt_tokens_details"]["cached_tokens"]},
        "output_tokens": counts["completion_tokens"],
        "output_tokens_details": {"reasoning_tokens": counts["completion_tokens_details"]["reasoning_tokens"]},
        "total_tokens": counts["total_tokens"],
    }


def response_object(body: dict[str, Any], chat: dict[str, Any], request_id: str, plan: Plan | None) -> dict[str, Any]:
    """The ``response`` object: in progress (``plan`` None) or final."""
    done = plan is not None
    incomplete = done and plan.finish_reason == "length"
    return {
        "id": request_id,
        "object": "response",
        "created_at": CREATED,
        "status": ("incomplete" if incomplete else "completed") if done else "in_progress",
        "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None,
        "error": None,
        "model": response_model(chat),
        "output": output_items(plan, str(chat.get("model")), request_id) if plan is not None else [],
        "parallel_tool_calls": body.get("parallel_tool_calls", True),
        "tool_choice": body.get("tool_choice", "auto"),
        "tools": body.get("tools") or [],
        "text": body.get("text") or {"format": {"type": "text"}},
        "usage": usage(chat, plan) if plan is not None else None,
    }


class Events:
    """Typed SSE events with their sequence numbers."""

    def __init__(self) -> None:
        self.sequence = 0

    def __call__(self, kind: str, **data: Any) -> str:
        payload = {"type": kind, "sequence_number": self.sequence, **data}
        self.sequence += 1
        return f"event: {kind}\ndata: {json.dumps(payload, ensure_ascii=False)}\n\n"


def stream_events(body: dict[str, Any], chat: dict[str, Any], request_id: str) -> list[str]:
    """The writes of a streamed response. The first text delta shares a write with its item's opening
    events, so the chat route's cut after three writes (faults) leaves the same text delivered."""
    plan = plan_for(chat)
    event = Events()
    final = response_object(body, chat, request_id, plan)
    start = response_object(body, chat, request_id, None)
    writes = [event("response.created", response=start) + event("response.in_progress", response=start)]
    writes.append(": keep-alive\n\n")
    for index, item in enumerate(final["output"]):
        writes += item_events(event, index, item)
    closing = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
    writes.append(event(closing, response=final))
    return writes


def item_events(event: Events, index: int, item: dict[str, Any]) -> list[str]:
    """One output item: added, its deltas, done."""
    kind = item["type"]
    if kind == "function_call":
        opened = event("response.output_item.added", output_index=index, item={**item, "arguments": ""})
        arguments = item["arguments"]
        third = max(1, len(arguments) // 3)
        pieces = [arguments[i : i + third] for i in range(0, len(arguments), third)]
        deltas = [
            event("response.function_call_arguments.delta", output_index=index, item_id=item["id"], delta=piece)
            for piece in pieces
        ]
        done = event(
            "response.function_call_arguments.done", output_index=index, item_id=item["id"], arguments=arguments
        )
        return [opened, *deltas, done + event("response.output_item.done", output_index=index, item=item)]
    if kind == "reasoning":
        return reasoning_events(event, index, item)
    text = item["content"][0]["text"]
    opened = event("response.output_item.added", output_index=index, item=message_item(item["id"], [], "in_progress"))
    opened += event(
        "response.content_part.added",
        output_index=index,
        item_id=item["id"],
        content_index=0,
        part={"type": "output_text", "text": "", "annotations": []},
    )
    deltas = [
        event("response.output_text.delta", output_index=index, item_id=item["id"], content_index=0, delta=piece)
        for piece in words(text)
    ]
    deltas[0] = opened + deltas[0]
    done = event("response.output_text.done", output_index=index, item_id=item["id"], content_index=0, text=text)
    return [*deltas, done + event("response.output_item.done", output_index=index, item=item)]


def reasoning_events(event: Events, index: int, item: dict[str, Any]) -> list[str]:
    in_content = bool(item.get("content"))
    text = (item["content"] if in_content else item["summary"])[0]["text"]
    opened = event("response.output_item.added", output_index=index, item={**item, "summary": [], "content": []})
    where = {"output_index": index, "item_id": item["id"]}
    kind = "response.reasoning_text" if in_content else "response.reasoning_summary_text"
    part = {"content_index": 0} if in_content else {"summary_index": 0}
    deltas = [event(f"{kind}.delta", **where, **part, delta=piece) for piece in words(text)]
    deltas[0] = opened + deltas[0]
    done = event(f"{kind}.done", **where, **part, text=text)
    return [*deltas, done + event("response.output_item.done", output_index=index, item=item)]


# ---------------------------------------------------------------- faults and the route


def response_id(body: dict[str, Any]) -> str:
    """A stable ``resp_`` id drawn from the request, so recordings do not change between runs."""
    return f"resp_{zlib.crc32(json.dumps(body, sort_keys=True).encode()):08x}"


def error_event(fault: str, request_id: str) -> str:
    """The typed event a fault sends: ``error``, or ``response.failed`` for ``failed-event``."""
    event = Events()
    error = {"code": "invalid_messages", "message": "Sensitive information", "param": None}
    if fault == "failed-event":
        failed = {"id": request_id, "object": "response", "status": "failed", "output": [], "error": error}
        return event("response.failed", response=failed)
    return event("error", **error)


def answer(body: dict[str, Any], _: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """The non-streamed answer."""
    chat = chat_body(body)
    return response_object(body, chat, response_id(body), plan_for(chat))


def stream(body: dict[str, Any], _: str, headers: Mapping[str, str]) -> Iterator[str]:
    """The streamed answer; the error faults put their typed event second."""
    writes = stream_events(body, chat_body(body), response_id(body))
    fault = headers.get("X-Standin-Fault")
    if fault in ("error-event", "failed-event"):
        writes.insert(1, error_event(fault, response_id(body)))
    return iter(writes)


ROUTES[PATH] = Route(chat_body, answer, stream)
