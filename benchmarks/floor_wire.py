"""What the framework floors share, and nothing of either framework: raw httpx and ``json.loads``.

Each floor (``floors_langchain.py``, ``floors_llamaindex.py``) holds raw ``httpx`` clients,
reads SSE with ``iter_lines`` and ``json.loads``, and imports only its own framework, so its
cold start in a fresh interpreter is that framework's and this module's alone.
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

    def _payload(self, messages: list[dict[str, Any]], stream: bool) -> dict[str, Any]:
        payload: dict[str, Any] = {"model": self.model, "messages": messages}
        if stream:
            payload |= {"stream": True, "stream_options": {"include_usage": True}}
        return payload

    def _post(self, messages: list[dict[str, Any]]) -> Any:
        return json.loads(self._sync.post(PATH, json=self._payload(messages, False)).content)

    async def _apost(self, messages: list[dict[str, Any]]) -> Any:
        return json.loads((await self._async.post(PATH, json=self._payload(messages, False))).content)


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
