"""LangChain's floor: the thinnest honest LangChain models, over raw httpx.

A minimal ``BaseChatModel`` over chat completions: it converts a history as LangChain's own
OpenAI-compatible models do (tool calls with JSON arguments, tool results by call id, the
reasoning text sent back beside tool calls), binds tools with ``convert_to_openai_tool``,
streams one chunk per event (tool-call pieces as ``tool_call_chunks``, the usage last, the
reasoning text in ``additional_kwargs``). The same over ``/v1/responses`` (non-streamed calls
with history and tools, and the typed events' stream), and a minimal ``LLM`` reading
``choices[0].text`` of ``/v1/completions``. They surface what the clients under test surface of
a reasoning model and do nothing else: no validation, no retries, no error mapping.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.llms import LLM
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult, GenerationChunk
from langchain_core.runnables import Runnable
from langchain_core.utils.function_calling import convert_to_openai_tool

from benchmarks.floors.wire import (
    COMPLETIONS_PATH,
    PATH,
    RESPONSES_PATH,
    RawHttpx,
    assistant,
    completions_payload,
    events,
    responses_output,
    responses_payload,
    tool_call,
    typed_deltas,
)

ROLES = {"human": "user", "ai": "assistant", "system": "system"}


def lc_usage(usage: dict[str, Any]) -> UsageMetadata:
    return UsageMetadata(
        input_tokens=usage["prompt_tokens"],
        output_tokens=usage["completion_tokens"],
        total_tokens=usage["total_tokens"],
        input_token_details={"cache_read": (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)},
        output_token_details={"reasoning": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)},
    )


def lc_wire(message: BaseMessage) -> dict[str, Any]:
    """One LangChain message as a chat-completions message."""
    if isinstance(message, ToolMessage):
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    if isinstance(message, AIMessage):
        calls = [tool_call(c["id"] or "", c["name"], json.dumps(c["args"])) for c in message.tool_calls]
        return assistant(message.text, message.additional_kwargs.get("reasoning_content", ""), calls)
    return {"role": ROLES[message.type], "content": message.content}


def lc_tool_calls(calls: Sequence[dict[str, Any]]) -> list[Any]:
    return [
        {"name": c["function"]["name"], "args": json.loads(c["function"]["arguments"] or "{}"), "id": c["id"]}
        for c in calls
    ]


def lc_chunk(chunk: dict[str, Any]) -> Iterator[ChatGenerationChunk]:
    for choice in chunk["choices"]:
        delta = choice["delta"]
        reasoning = delta.get("reasoning_content")
        pieces = [
            {
                "index": c["index"],
                "id": c.get("id"),
                "name": c["function"].get("name"),
                "args": c["function"]["arguments"],
            }
            for c in delta.get("tool_calls") or ()
        ]
        message = AIMessageChunk(
            content=delta.get("content") or "",
            additional_kwargs={"reasoning_content": reasoning} if reasoning else {},
            response_metadata={"finish_reason": choice["finish_reason"]} if choice.get("finish_reason") else {},
            tool_call_chunks=pieces,
        )
        yield ChatGenerationChunk(message=message)
    if chunk.get("usage"):
        yield ChatGenerationChunk(message=AIMessageChunk(content="", usage_metadata=lc_usage(chunk["usage"])))


def lc_result(
    reasoning: str, content: str, calls: list[dict[str, Any]], usage: dict[str, Any], **meta: Any
) -> ChatResult:
    message = AIMessage(
        content=content,
        additional_kwargs={"reasoning_content": reasoning} if reasoning else {},
        tool_calls=lc_tool_calls(calls),
        usage_metadata=lc_usage(usage),
        response_metadata=meta,
    )
    return ChatResult(generations=[ChatGeneration(message=message)])


class FloorChatModel(RawHttpx, BaseChatModel):
    """A minimal LangChain chat model over raw httpx."""

    @property
    def _llm_type(self) -> str:
        return "floor"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> Runnable[Any, AIMessage]:
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _wire(self, messages: list[BaseMessage]) -> list[dict[str, Any]]:
        return [lc_wire(m) for m in messages]

    def _result(self, body: dict[str, Any]) -> ChatResult:
        choice = body["choices"][0]
        message = choice["message"]
        return lc_result(
            message.get("reasoning_content") or "",
            message.get("content") or "",
            message.get("tool_calls") or [],
            body["usage"],
            finish_reason=choice["finish_reason"],
            model_name=body["model"],
        )

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return self._result(self._post(self._wire(messages), kw.get("tools")))

    async def _agenerate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        return self._result(await self._apost(self._wire(messages), kw.get("tools")))

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> Iterator[ChatGenerationChunk]:
        payload = self._payload(self._wire(messages), True, kw.get("tools"))
        with self._sync.stream("POST", PATH, json=payload) as response:
            for event in events(response):
                for chunk in lc_chunk(event):
                    if run_manager:
                        run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                    yield chunk


class FloorResponsesChatModel(FloorChatModel):
    """A minimal LangChain chat model over ``/v1/responses``: calls with history and tools, typed-event streams."""

    def _generate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        body = self._post(self._wire(messages), kw.get("tools"), RESPONSES_PATH)
        return lc_result(*responses_output(body), model_name=body["model"])

    async def _agenerate(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None, **kw: Any
    ) -> ChatResult:
        body = await self._apost(self._wire(messages), kw.get("tools"), RESPONSES_PATH)
        return lc_result(*responses_output(body), model_name=body["model"])

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
