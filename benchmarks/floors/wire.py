"""What the framework floors share, and nothing of either framework: raw httpx and ``json.loads``.

Each floor (:mod:`benchmarks.floors.langchain`, :mod:`benchmarks.floors.llamaindex`) holds raw
``httpx`` clients, reads SSE with ``iter_lines`` and ``json.loads``, and imports only its own
framework, so its cold start in a fresh interpreter is that framework's and this module's alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, PrivateAttr

from modelverse_core.compat import httpx

PATH = "/chat/completions"


def clients(base_url: str, key: str) -> tuple[Any, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=100)
    return (
        httpx.Client(base_url=base_url, headers=headers),
        httpx.AsyncClient(base_url=base_url, headers=headers, limits=limits),
    )


class RawHttpx(BaseModel):
    """What both floors hold: the model name and raw httpx clients."""

    model: str
    base_url: str
    api_key: str
    _sync: Any = PrivateAttr()
    _async: Any = PrivateAttr()

    def model_post_init(self, context: Any) -> None:
        self._sync, self._async = clients(self.base_url, self.api_key)

    def _payload(self, messages: list[dict[str, Any]], stream: bool, tools: Any = None) -> dict[str, Any]:
        payload: dict[str, Any] = {"model": self.model, "messages": messages}
        if tools:
            payload["tools"] = tools
        if stream:
            payload |= {"stream": True, "stream_options": {"include_usage": True}}
        return payload

    def _post(self, messages: list[dict[str, Any]], tools: Any = None, path: str = PATH) -> Any:
        payload = self._payload(messages, False, tools) if path == PATH else messages_input(self.model, messages, tools)
        return json.loads(self._sync.post(path, json=payload).content)

    async def _apost(self, messages: list[dict[str, Any]], tools: Any = None, path: str = PATH) -> Any:
        payload = self._payload(messages, False, tools) if path == PATH else messages_input(self.model, messages, tools)
        return json.loads((await self._async.post(path, json=payload)).content)


def tool_call(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    """One tool call of an assistant message, in the chat completions' shape."""
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def assistant(content: str, reasoning: str, calls: list[dict[str, Any]]) -> dict[str, Any]:
    """An assistant message on the wire; its reasoning goes back only beside tool calls (DeepSeek's rule)."""
    message: dict[str, Any] = {"role": "assistant", "content": content or None}
    if calls:
        message["tool_calls"] = calls
        if reasoning:
            message["reasoning_content"] = reasoning
    return message


def responses_items(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Chat-completions messages as ``/v1/responses`` input items (reasoning, function calls, their outputs)."""
    items: list[dict[str, Any]] = []
    for message in messages:
        if message["role"] == "tool":
            items.append(
                {"type": "function_call_output", "call_id": message["tool_call_id"], "output": message["content"]}
            )
            continue
        if message.get("reasoning_content"):
            text = message["reasoning_content"]
            items.append(
                {
                    "type": "reasoning",
                    "summary": [{"type": "summary_text", "text": text}],
                    "content": [{"type": "reasoning_text", "text": text}],
                }
            )
        if message.get("content"):
            items.append({"role": message["role"], "content": message["content"]})
        items += [
            {
                "type": "function_call",
                "call_id": c["id"],
                "name": c["function"]["name"],
                "arguments": c["function"]["arguments"],
            }
            for c in message.get("tool_calls") or ()
        ]
    return items


def responses_tools(tools: Any) -> Any:
    """Chat-completions tools in the flat ``/v1/responses`` shape."""
    return [{"type": "function", **tool["function"]} for tool in tools] if tools else None


def messages_input(model: str, messages: list[dict[str, Any]], tools: Any) -> dict[str, Any]:
    """A non-streamed ``/v1/responses`` request for chat-completions messages."""
    payload: dict[str, Any] = {"model": model, "input": responses_items(messages)}
    if tools:
        payload["tools"] = responses_tools(tools)
    return payload


def responses_output(body: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]], dict[str, Any]]:
    """A ``/v1/responses`` answer as (reasoning, text, tool calls in the chat shape, usage in the chat shape)."""
    reasoning, text, calls = [], [], []
    for item in body["output"]:
        if item["type"] == "reasoning":
            reasoning += [part["text"] for part in item.get("content") or item.get("summary") or ()]
        elif item["type"] == "message":
            text += [part["text"] for part in item["content"] if part["type"] == "output_text"]
        elif item["type"] == "function_call":
            calls.append(tool_call(item["call_id"], item["name"], item["arguments"]))
    return "".join(reasoning), "".join(text), calls, responses_usage(body["usage"])


def events(response: Any) -> Iterator[dict[str, Any]]:
    for line in response.iter_lines():
        if line.startswith("data: ") and line != "data: [DONE]":
            yield json.loads(line[6:])


RESPONSES_PATH, COMPLETIONS_PATH = "/responses", "/completions"
REASONING_DELTAS = ("response.reasoning_text.delta", "response.reasoning_summary_text.delta")


def responses_payload(model: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    return {"model": model, "input": messages, "stream": True}


def completions_payload(model: str, prompt: str) -> dict[str, Any]:
    return {"model": model, "prompt": prompt, "stream": True, "stream_options": {"include_usage": True}}


def responses_usage(usage: dict[str, Any]) -> dict[str, Any]:
    """A Responses-API usage in the chat completions' shape, for ``lc_usage`` and ``li_usage``."""
    return {
        "prompt_tokens": usage["input_tokens"],
        "completion_tokens": usage["output_tokens"],
        "total_tokens": usage["total_tokens"],
        "prompt_tokens_details": usage.get("input_tokens_details"),
        "completion_tokens_details": usage.get("output_tokens_details"),
    }


def typed_deltas(response: Any) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """Each typed event as (reasoning delta, text delta, usage in the chat shape or None)."""
    for event in events(response):
        kind = event["type"]
        if kind in REASONING_DELTAS:
            yield event["delta"], "", None
        elif kind == "response.output_text.delta":
            yield "", event["delta"], None
        elif kind == "response.completed" and event["response"].get("usage"):
            yield "", "", responses_usage(event["response"]["usage"])
