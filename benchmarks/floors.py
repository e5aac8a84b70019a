"""Each framework's floor: the thinnest honest chat model of that framework.

A minimal LangChain ``BaseChatModel`` and a minimal llama-index ``CustomLLM``, each over a
raw ``httpx`` client, SSE read with ``iter_lines`` and ``json.loads``. They surface what the
clients under test surface of a reasoning model (the reasoning text, reasoning and cached
tokens) and follow their framework's streaming contract (LangChain: one chunk per event with
the usage last; llama-index: each chunk carries the message so far and ``thinking_delta``),
and do nothing else: no validation, no retries, no error mapping, no tool calls. The
Responses-API floors read the typed events of ``/v1/responses`` (reasoning and text deltas,
the usage of ``response.completed``); the completion floors read ``choices[0].text`` of
``/v1/completions``. Those four only stream: the benchmark measures nothing else of them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.llms import LLM
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult, GenerationChunk
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
    TextBlock,
    ThinkingBlock,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
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


# ------------------------------------------------------------------ LangChain


def lc_usage(usage: dict[str, Any]) -> UsageMetadata:
    return UsageMetadata(
        input_tokens=usage["prompt_tokens"],
        output_tokens=usage["completion_tokens"],
        total_tokens=usage["total_tokens"],
        input_token_details={"cache_read": (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)},
        output_token_details={"reasoning": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)},
    )


def lc_chunk(chunk: dict[str, Any]) -> Iterator[ChatGenerationChunk]:
    for choice in chunk["choices"]:
        delta = choice["delta"]
        reasoning = delta.get("reasoning_content")
        message = AIMessageChunk(
            content=delta.get("content") or "",
            additional_kwargs={"reasoning_content": reasoning} if reasoning else {},
            response_metadata={"finish_reason": choice["finish_reason"]} if choice.get("finish_reason") else {},
        )
        yield ChatGenerationChunk(message=message)
    if chunk.get("usage"):
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=lc_usage(chunk["usage"])))


class FloorChatModel(RawHttpx, BaseChatModel):
    """A minimal LangChain chat model over raw httpx."""

    @property
    def _llm_type(self) -> str:
        return "floor"

    def _wire(self, messages: list[BaseMessage]) -> list[dict[str, Any]]:
        roles = {"human": "user", "ai": "assistant", "system": "system"}
        return [{"role": roles[m.type], "content": m.content} for m in messages]

    def _result(self, body: dict[str, Any]) -> ChatResult:
        choice = body["choices"][0]
        reasoning = choice["message"].get("reasoning_content")
        message = AIMessage(
            content=choice["message"].get("content") or "",
            additional_kwargs={"reasoning_content": reasoning} if reasoning else {},
            usage_metadata=lc_usage(body["usage"]),
            response_metadata={"finish_reason": choice["finish_reason"], "model_name": body["model"]},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return self._result(self._post(self._wire(messages)))

    async def _agenerate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return self._result(await self._apost(self._wire(messages)))

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> Iterator[ChatGenerationChunk]:
        with self._sync.stream("POST", PATH, json=self._payload(self._wire(messages), True)) as response:
            for event in events(response):
                for chunk in lc_chunk(event):
                    if run_manager:
                        run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                    yield chunk


# ------------------------------------------------------------------ LlamaIndex


def li_usage(usage: dict[str, Any]) -> dict[str, Any]:
    return {
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "total_tokens": usage["total_tokens"],
        "reasoning_tokens": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0),
        "cached_tokens": (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0),
    }


def li_message(reasoning: str, content: str) -> ChatMessage:
    blocks: list[Any] = [ThinkingBlock(content=reasoning)] if reasoning else []
    blocks.append(TextBlock(text=content))
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks)


class FloorLLM(RawHttpx, CustomLLM):
    """A minimal llama-index LLM over raw httpx."""

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True, model_name=self.model)

    def _wire(self, messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
        return [{"role": m.role.value, "content": m.content} for m in messages]

    def _response(self, body: dict[str, Any]) -> ChatResponse:
        message = body["choices"][0]["message"]
        return ChatResponse(
            message=li_message(message.get("reasoning_content") or "", message.get("content") or ""),
            raw=body,
            additional_kwargs=li_usage(body["usage"]),
        )

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._response(self._post(self._wire(messages)))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._response(await self._apost(self._wire(messages)))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        payload = self._payload(self._wire(messages), True)

        def gen() -> ChatResponseGen:
            reasoning, content = "", ""
            with self._sync.stream("POST", PATH, json=payload) as response:
                for event in events(response):
                    extra: dict[str, Any] = li_usage(event["usage"]) if event.get("usage") else {}
                    delta: dict[str, Any] = event["choices"][0]["delta"] if event["choices"] else {}
                    thinking, text = delta.get("reasoning_content") or "", delta.get("content") or ""
                    reasoning, content = reasoning + thinking, content + text
                    if thinking:
                        extra["thinking_delta"] = thinking
                    yield ChatResponse(message=li_message(reasoning, content), delta=text, additional_kwargs=extra)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        raise NotImplementedError


# ------------------------------------------------------------------ the other two endpoints

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


class FloorResponsesChatModel(FloorChatModel):
    """A minimal LangChain chat model streaming ``/v1/responses`` typed events over raw httpx."""

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> Iterator[ChatGenerationChunk]:
        payload = responses_payload(self.model, self._wire(messages))
        with self._sync.stream("POST", RESPONSES_PATH, json=payload) as response:
            for reasoning, text, usage in typed_deltas(response):
                message = AIMessageChunk(
                    content=text,
                    additional_kwargs={"reasoning_content": reasoning} if reasoning else {},
                    usage_metadata=lc_usage(usage) if usage else None,
                )
                chunk = ChatGenerationChunk(message=message)
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk


class FloorCompletionLLM(RawHttpx, LLM):
    """A minimal LangChain ``LLM`` streaming ``/v1/completions`` (``choices[0].text``) over raw httpx."""

    @property
    def _llm_type(self) -> str:
        return "floor"

    def _call(self, prompt: str, stop: Any = None, run_manager: Any = None, **kw: Any) -> str:
        raise NotImplementedError

    def _stream(self, prompt: str, stop: Any = None, run_manager: Any = None, **kw: Any) -> Iterator[GenerationChunk]:
        with self._sync.stream("POST", COMPLETIONS_PATH, json=completions_payload(self.model, prompt)) as response:
            for event in events(response):
                info = {"usage": event["usage"]} if event.get("usage") else None
                chunk = GenerationChunk(
                    text=event["choices"][0]["text"] if event["choices"] else "", generation_info=info
                )
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk


class FloorResponsesLLM(FloorLLM):
    """A minimal llama-index LLM streaming ``/v1/responses`` typed events over raw httpx."""

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        payload = responses_payload(self.model, self._wire(messages))

        def gen() -> ChatResponseGen:
            reasoning, content = "", ""
            with self._sync.stream("POST", RESPONSES_PATH, json=payload) as response:
                for thinking, text, usage in typed_deltas(response):
                    extra: dict[str, Any] = li_usage(usage) if usage else {}
                    reasoning, content = reasoning + thinking, content + text
                    if thinking:
                        extra["thinking_delta"] = thinking
                    yield ChatResponse(message=li_message(reasoning, content), delta=text, additional_kwargs=extra)

        return gen()


class FloorCompletionCustomLLM(RawHttpx, CustomLLM):
    """A minimal llama-index completion LLM streaming ``/v1/completions`` over raw httpx."""

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=False, model_name=self.model)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        payload = completions_payload(self.model, prompt)

        def gen() -> CompletionResponseGen:
            text = ""
            with self._sync.stream("POST", COMPLETIONS_PATH, json=payload) as response:
                for event in events(response):
                    delta = event["choices"][0]["text"] if event["choices"] else ""
                    text += delta
                    extra = li_usage(event["usage"]) if event.get("usage") else {}
                    yield CompletionResponse(text=text, delta=delta, additional_kwargs=extra)

        return gen()
