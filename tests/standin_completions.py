"""The stand-in's ``POST /v1/completions``: the chat route's planning, answered as ``text_completion``.

The prompt is read as one user turn, so the documented errors, ``stop``,
``max_tokens`` and ``n`` behave as on chat. Reasoning models inline their
reasoning in a leading ``<think>`` block, as prompt-completion deployments do.
Log probabilities come in the legacy shape (``tokens``, ``token_logprobs``,
``top_logprobs``, ``text_offset``), or in the chat-style ``content`` list that
llama.cpp sends when the request carries ``X-Standin-Logprobs: content``.
``echo`` returns the prompt first, its first token without a log probability.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from tests.standin import CREATED, ROUTES, Plan, Route, plan_for, response_model, usage_for, words

LOGPROB = -0.25
ALTERNATIVES = ("the", "a", "an", "this", "that")


def as_chat(body: dict[str, Any]) -> dict[str, Any]:
    """The prompt as one user message, so the chat route's checks and planning apply."""
    chat = {key: value for key, value in body.items() if key != "prompt"}
    return {**chat, "messages": [{"role": "user", "content": str(body.get("prompt") or "")}]}


def visible_text(plan: Plan) -> str:
    if plan.reasoning:
        return f"<think>\n{plan.reasoning}\n</think>\n\n{plan.content}"
    return plan.content


def alternatives(token: str, top: int) -> dict[str, float]:
    """The ``top`` most likely tokens at a position, the chosen one first."""
    return dict([(token, LOGPROB), *((other, LOGPROB * 4) for other in ALTERNATIVES)][:top])


def logprobs_for(tokens: list[str], top: int, shape: str, start: int = 0, echoed: int = 0) -> dict[str, Any]:
    """Log probabilities of ``tokens`` from character ``start``; the first of ``echoed`` prompt tokens has none."""
    values = [None if i == 0 and echoed else LOGPROB for i in range(len(tokens))]
    if shape == "content":
        return {
            "content": [content_entry(token, value or 0.0, top) for token, value in zip(tokens, values, strict=True)]
        }
    offsets = [start + sum(len(t) for t in tokens[:i]) for i in range(len(tokens))]
    return {
        "tokens": tokens,
        "token_logprobs": values,
        "top_logprobs": [None if v is None else alternatives(t, top) for t, v in zip(tokens, values, strict=True)],
        "text_offset": offsets,
    }


def content_entry(token: str, logprob: float, top: int) -> dict[str, Any]:
    """One position in llama.cpp's chat-style shape."""
    others = [{"token": t, "logprob": lp, "bytes": list(t.encode())} for t, lp in alternatives(token, top).items()]
    return {"token": token, "logprob": logprob, "bytes": list(token.encode()), "top_logprobs": others}


def choice_logprobs(body: dict[str, Any], shape: str, piece: str, start: int) -> dict[str, Any] | None:
    """The log probabilities of one streamed piece (one token), when asked for."""
    top = body.get("logprobs")
    if top is None or isinstance(top, bool):
        return None
    return logprobs_for([piece], int(top), shape, start)


def prompt_part(body: dict[str, Any]) -> str:
    return str(body.get("prompt") or "") if body.get("echo") else ""


def completion_body(body: dict[str, Any], response_id: str, headers: Mapping[str, str]) -> dict[str, Any]:
    """A non-streamed ``text_completion``."""
    shape = shape_of(headers)
    chat = as_chat(body)
    plans = [plan_for(chat) for _ in range(int(body.get("n") or 1))]
    choices = []
    for index, plan in enumerate(plans):
        echoed, text = prompt_part(body), visible_text(plan)
        choice: dict[str, Any] = {"index": index, "text": echoed + text, "logprobs": None}
        if body.get("logprobs") is not None:
            choice["logprobs"] = echo_logprobs(body, shape, echoed, text)
        choice["finish_reason"] = plan.finish_reason
        choices.append(choice)
    return {
        "id": response_id,
        "object": "text_completion",
        "created": CREATED,
        "model": response_model(body),
        "choices": choices,
        "usage": completion_usage(chat, plans),
        "system_fingerprint": "",
    }


def echo_logprobs(body: dict[str, Any], shape: str, echoed: str, text: str) -> dict[str, Any]:
    """Log probabilities of the echoed prompt (first token without one) and of the text."""
    prompt_tokens = words(echoed)
    return logprobs_for(prompt_tokens + words(text), int(body["logprobs"]), shape, echoed=len(prompt_tokens))


def shape_of(headers: Mapping[str, str]) -> str:
    """``content`` (llama.cpp) when the request asks for it, else the legacy shape."""
    return "content" if headers.get("X-Standin-Logprobs") == "content" else "legacy"


def completion_usage(chat: dict[str, Any], plans: list[Plan]) -> dict[str, Any]:
    usage = usage_for(chat, plans)
    return {key: usage[key] for key in ("prompt_tokens", "completion_tokens", "total_tokens")}


def stream_events(body: dict[str, Any], response_id: str, headers: Mapping[str, str]) -> Iterator[str]:
    """The SSE lines of a streamed completion, ``[DONE]`` included."""
    shape = shape_of(headers)
    chat = as_chat(body)
    plans = [plan_for(chat) for _ in range(int(body.get("n") or 1))]
    include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
    base = {"id": response_id, "object": "text_completion", "created": CREATED, "model": response_model(body)}

    def chunk(index: int, text: str, finish: str | None = None, logprobs: Any = None) -> str:
        choice = {"index": index, "text": text, "logprobs": logprobs, "finish_reason": finish}
        data = {**base, "choices": [choice]}
        if include_usage:
            data["usage"] = None
        return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"

    for index, plan in enumerate(plans):
        echoed = prompt_part(body)  # the first chunk carries the echoed prompt, or nothing
        asked = body.get("logprobs") is not None and echoed
        yield chunk(index, echoed, logprobs=echo_logprobs(body, shape, echoed, "") if asked else None)
        yield ": keep-alive\n\n"
        offset = len(echoed)
        for piece in words(visible_text(plan)):
            yield chunk(index, piece, logprobs=choice_logprobs(body, shape, piece, offset))
            offset += len(piece)
        yield chunk(index, "", plan.finish_reason)
    if include_usage:
        final = {**base, "choices": [], "usage": completion_usage(chat, plans)}
        yield f"data: {json.dumps(final, ensure_ascii=False)}\n\n"
    yield "data: [DONE]\n\n"


ROUTES["/v1/completions"] = Route(as_chat, completion_body, stream_events)
