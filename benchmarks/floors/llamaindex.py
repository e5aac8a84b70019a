"""llama-index's floor: the thinnest honest llama-index LLMs, over raw httpx.

A minimal ``FunctionCallingLLM`` over chat completions: it converts a history as llama-index's
own OpenAI-compatible LLMs do (``ToolCallBlock``s with JSON arguments, tool results by the
``tool_call_id`` agents set, the ``ThinkingBlock`` text sent back beside tool calls), takes
tools as ``to_openai_tool()``, and streams each chunk with the message so far and
``thinking_delta`` (tool-call arguments accumulated into ``ToolCallBlock``s). The same over
``/v1/responses`` (non-streamed calls with history and tools, and the typed events' stream), and
a minimal completion ``CustomLLM`` reading ``choices[0].text`` of ``/v1/completions``. They
surface what the clients under test surface of a reasoning model and do nothing else: no
validation, no retries, no error mapping.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.custom import CustomLLM
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection

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


def li_usage(usage: dict[str, Any]) -> dict[str, Any]:
    return {
        "prompt_tokens": usage["prompt_tokens"],
        "completion_tokens": usage["completion_tokens"],
        "total_tokens": usage["total_tokens"],
        "reasoning_tokens": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0),
        "cached_tokens": (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0),
    }


def li_message(reasoning: str, content: str, calls: Sequence[dict[str, Any]] = ()) -> ChatMessage:
    blocks: list[Any] = [ThinkingBlock(content=reasoning)] if reasoning else []
    blocks.append(TextBlock(text=content))
    blocks += [
        ToolCallBlock(tool_call_id=c["id"], tool_name=c["function"]["name"], tool_kwargs=c["function"]["arguments"])
        for c in calls
    ]
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks)


def li_wire(message: ChatMessage) -> dict[str, Any]:
    """One llama-index message as a chat-completions message."""
    if message.role == MessageRole.TOOL:
        return {"role": "tool", "tool_call_id": message.additional_kwargs["tool_call_id"], "content": message.content}
    if message.role == MessageRole.ASSISTANT:
        calls, reasoning = [], ""
        for block in message.blocks:
            if isinstance(block, ToolCallBlock):
                arguments = block.tool_kwargs
                text = arguments if isinstance(arguments, str) else json.dumps(arguments)
                calls.append(tool_call(block.tool_call_id or "", block.tool_name, text))
            elif isinstance(block, ThinkingBlock):
                reasoning += block.content or ""
        return assistant(message.content or "", reasoning, calls)
    return {"role": message.role.value, "content": message.content}


class FloorLLM(RawHttpx, FunctionCallingLLM):
    """A minimal llama-index function-calling LLM over raw httpx."""

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(is_chat_model=True, is_function_calling_model=True, model_name=self.model)

    def _wire(self, messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
        return [li_wire(m) for m in messages]

    def _response(self, body: dict[str, Any]) -> ChatResponse:
        message = body["choices"][0]["message"]
        reasoning, content = message.get("reasoning_content") or "", message.get("content") or ""
        return ChatResponse(
            message=li_message(reasoning, content, message.get("tool_calls") or ()),
            raw=body,
            additional_kwargs=li_usage(body["usage"]),
        )

    def _prepare_chat_with_tools(
        self,
        tools: Sequence[Any],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        messages = list(chat_history or [])
        if user_msg:
            messages.append(
                ChatMessage(role=MessageRole.USER, content=user_msg) if isinstance(user_msg, str) else user_msg
            )
        return {"messages": messages, "tools": [t.metadata.to_openai_tool() for t in tools] or None, **kwargs}

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        calls = [b for b in response.message.blocks if isinstance(b, ToolCallBlock)]
        if not calls and error_on_no_tool_call:
            raise ValueError("Expected at least one tool call")
        return [
            ToolSelection(
                tool_id=c.tool_call_id or "",
                tool_name=c.tool_name,
                tool_kwargs=json.loads(c.tool_kwargs) if isinstance(c.tool_kwargs, str) else c.tool_kwargs,
            )
            for c in calls
        ]

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._response(self._post(self._wire(messages), kwargs.get("tools")))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._response(await self._apost(self._wire(messages), kwargs.get("tools")))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        payload = self._payload(self._wire(messages), True, kwargs.get("tools"))

        def gen() -> ChatResponseGen:
            reasoning, content, calls = "", "", []
            with self._sync.stream("POST", PATH, json=payload) as response:
                for event in events(response):
                    extra: dict[str, Any] = li_usage(event["usage"]) if event.get("usage") else {}
                    delta: dict[str, Any] = event["choices"][0]["delta"] if event["choices"] else {}
                    thinking, text = delta.get("reasoning_content") or "", delta.get("content") or ""
                    reasoning, content = reasoning + thinking, content + text
                    for piece in delta.get("tool_calls") or ():
                        if piece["index"] == len(calls):
                            calls.append(tool_call(piece.get("id") or "", piece["function"].get("name") or "", ""))
                        calls[piece["index"]]["function"]["arguments"] += piece["function"]["arguments"]
                    if thinking:
                        extra["thinking_delta"] = thinking
                    message = li_message(reasoning, content, calls)
                    yield ChatResponse(message=message, delta=text, additional_kwargs=extra)

        return gen()

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        raise NotImplementedError

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        raise NotImplementedError

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        raise NotImplementedError

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseAsyncGen:
        raise NotImplementedError


class FloorResponsesLLM(FloorLLM):
    """A minimal llama-index LLM over ``/v1/responses``: calls with history and tools, typed-event streams."""

    def _answer(self, body: dict[str, Any]) -> ChatResponse:
        reasoning, content, calls, usage = responses_output(body)
        return ChatResponse(message=li_message(reasoning, content, calls), raw=body, additional_kwargs=li_usage(usage))

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._answer(self._post(self._wire(messages), kwargs.get("tools"), RESPONSES_PATH))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return self._answer(await self._apost(self._wire(messages), kwargs.get("tools"), RESPONSES_PATH))

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
