"""LangChain's floor: the thinnest honest LangChain models, over raw httpx.

A minimal ``BaseChatModel`` streaming chat completions (one chunk per event, the usage last,
the reasoning text in ``additional_kwargs``), the same reading the typed events of
``/v1/responses``, and a minimal ``LLM`` reading ``choices[0].text`` of ``/v1/completions``.
They surface what the clients under test surface of a reasoning model and do nothing else:
no validation, no retries, no error mapping, no tool calls. The last two only stream: the
benchmark measures nothing else of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from floor_wire import (
    COMPLETIONS_PATH,
    PATH,
    RESPONSES_PATH,
    RawHttpx,
    completions_payload,
    events,
    responses_payload,
    typed_deltas,
)
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.llms import LLM
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult, GenerationChunk


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
