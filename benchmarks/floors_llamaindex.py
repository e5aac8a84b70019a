"""llama-index's floor: the thinnest honest llama-index LLMs, over raw httpx.

A minimal ``CustomLLM`` chatting over chat completions (each streamed chunk carries the
message so far and ``thinking_delta``), the same streaming the typed events of
``/v1/responses``, and a minimal completion ``CustomLLM`` reading ``choices[0].text`` of
``/v1/completions``. They surface what the clients under test surface of a reasoning model
and do nothing else: no validation, no retries, no error mapping, no tool calls. The last
two only stream: the benchmark measures nothing else of them.
"""

from __future__ import annotations

from collections.abc import Sequence
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
