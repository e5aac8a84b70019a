"""``Modelverse``: a LlamaIndex function-calling LLM for UCloud ModelVerse."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from contextlib import aclosing
from typing import Any, TypeVar

from llama_index.core.base.llms.generic_utils import messages_to_prompt as generic_messages_to_prompt
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
    ToolCallBlock,
)
from llama_index.core.bridge.pydantic import Field
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.llms.utils import parse_partial_json
from llama_index.core.tools.types import BaseTool

from modelverse_core import Accumulator, ModelverseParams, Prepared, StreamDelta
from modelverse_core.options import RELAX_TOOL_CHOICE
from modelverse_core.structured import FORCED, structured_tool_choice

from .convert import (
    to_chat_response,
    to_completion,
    to_core_messages,
    to_stream_completion,
    to_stream_response,
)

DEFAULT_NUM_OUTPUTS = 4096
_R = TypeVar("_R", ChatResponse, CompletionResponse)
_Build = Callable[[StreamDelta, Accumulator], _R]
"""Makes one streamed response of a delta and the answer accumulated so far."""


class Modelverse(ModelverseParams, FunctionCallingLLM):
    """UCloud ModelVerse models (DeepSeek-R1/V3, Qwen3, QwQ, GLM, vision models) for LlamaIndex.

    Reasoning arrives as a ``ThinkingBlock`` (its ``num_tokens`` the reasoning
    token count) and, when streaming, as ``additional_kwargs["thinking_delta"]``;
    usage with reasoning and cached tokens is in ``additional_kwargs``; thinking
    blocks in history are sent back per ``reasoning_in_history``. With
    ``is_chat_model=False`` it is a completion model over ``/v1/completions``, log
    probabilities (``logprobs=True``, ``top_logprobs``) in ``CompletionResponse.logprobs``.

    Example:
        .. code-block:: python

            from llama_index.llms.modelverse import Modelverse

            llm = Modelverse(model="deepseek-ai/DeepSeek-R1")  # key from MODELVERSE_API_KEY
            response = llm.complete("Describe UCloud in one sentence.")
            response.text, response.additional_kwargs["reasoning_tokens"]
    """

    context_window: int | None = Field(
        default=None,
        gt=0,
        description="Overrides the context window that metadata reports (what LlamaIndex sizes prompts and memory "
        "by). int > 0; default None: the catalog's figure (32768 for an id it does not know). Never sent; "
        "pydantic checks it at construction.",
    )

    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict,
        description="Options given to every call, as if passed to each: a setting's name is checked as a per-call "
        "value, any other key goes into the request body unchecked; a call's own options and extra_body "
        "win. dict; default {}. Every endpoint.",
    )

    is_chat_model: bool = Field(
        default=True,
        description="False makes this a completion model, as llama-index's OpenAILike(is_chat_model=False): "
        "complete goes to /v1/completions and chat completes messages_to_prompt(messages); tools are then "
        "not offered. bool; default True.",
    )

    @classmethod
    def class_name(cls) -> str:
        """The name LlamaIndex serializes this class under."""
        return "Modelverse"

    @property
    def metadata(self) -> LLMMetadata:
        """Context window, output tokens and tool calling, from the catalog unless overridden."""
        info = self._mv_info(self.model)
        return LLMMetadata(
            context_window=self.context_window or info.context_window,
            num_output=self.max_tokens or info.max_output_tokens or DEFAULT_NUM_OUTPUTS,
            is_chat_model=self.is_chat_model,
            is_function_calling_model=bool(info.tool_calling) and self.is_chat_model,
            model_name=self.model,
            system_role=MessageRole.SYSTEM,
        )

    def _request(self, messages: Sequence[ChatMessage], kwargs: dict[str, Any], *, stream: bool) -> Prepared:
        """A chat call: the messages, or for a completion model their prompt, through the core's one request path."""
        if not self.is_chat_model:
            to_prompt = self.messages_to_prompt or generic_messages_to_prompt  # set by LLM's validator
            return self._prompt_request(to_prompt(messages), kwargs, stream=stream)
        options = {**self.additional_kwargs, **kwargs}
        return self._mv_prepare(to_core_messages(messages), stream=stream, options=options)

    def _prompt_request(self, prompt: str, kwargs: dict[str, Any], *, stream: bool) -> Prepared:
        """A ``/v1/completions`` call of a formatted prompt."""
        return self._mv_prepare_prompt(prompt, stream=stream, options={**self.additional_kwargs, **kwargs})

    def _send(self, prepared: Prepared) -> ChatResponse:
        return to_chat_response(self._mv_client_for_settings().send(prepared))

    async def _asend(self, prepared: Prepared) -> ChatResponse:
        return to_chat_response(await self._mv_client_for_settings().asend(prepared))

    def _stream(self, prepared: Prepared, build: _Build[_R]) -> Generator[_R, None, None]:
        """The call's stream, each chunk built by ``build`` from its delta and the answer so far."""
        stream = self._mv_client_for_settings().open(prepared)

        def gen() -> Generator[_R, None, None]:
            state = stream.accumulator
            for delta in stream:
                yield build(delta, state)

        return gen()

    def _astream(self, prepared: Prepared, build: _Build[_R]) -> AsyncGenerator[_R, None]:
        """The call's stream, asynchronously."""
        stream = self._mv_client_for_settings().aopen(prepared)

        async def gen() -> AsyncGenerator[_R, None]:
            state = stream.accumulator
            async with aclosing(stream.__aiter__()) as deltas:
                async for delta in deltas:
                    yield build(delta, state)

        return gen()

    # ------------------------------------------------------------------ chat

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        """Send a chat request (a completion model completes ``messages_to_prompt(messages)``)."""
        return self._send(self._request(messages, kwargs, stream=False))

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        """Send a chat request asynchronously."""
        return await self._asend(self._request(messages, kwargs, stream=False))

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        """Stream a chat response: reasoning (``thinking_delta``), then text, usage on the last chunk."""
        return self._stream(self._request(messages, kwargs, stream=True), to_stream_response)

    @llm_chat_callback()
    async def astream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseAsyncGen:
        """Stream a chat response asynchronously."""
        return self._astream(self._request(messages, kwargs, stream=True), to_stream_response)

    # ------------------------------------------------------------------ complete

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        """Complete a prompt; ``additional_kwargs`` keeps the reasoning and usage, ``logprobs`` the log probabilities.

        A chat model completes it as one user message; a completion model sends
        ``completion_to_prompt(prompt)`` (the prompt itself when ``formatted``) to ``/v1/completions``.
        """
        prepared = self._complete_request(prompt, formatted, kwargs, stream=False)
        return to_completion(self._mv_client_for_settings().send(prepared))

    @llm_completion_callback()
    async def acomplete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        """Complete a prompt asynchronously."""
        prepared = self._complete_request(prompt, formatted, kwargs, stream=False)
        return to_completion(await self._mv_client_for_settings().asend(prepared))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        """Stream a completion; each chunk keeps its ``thinking_delta`` and its tokens' log probabilities."""
        return self._stream(self._complete_request(prompt, formatted, kwargs, stream=True), to_stream_completion)

    @llm_completion_callback()
    async def astream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseAsyncGen:
        """Stream a completion asynchronously."""
        return self._astream(self._complete_request(prompt, formatted, kwargs, stream=True), to_stream_completion)

    def _complete_request(self, prompt: str, formatted: bool, kwargs: dict[str, Any], *, stream: bool) -> Prepared:
        """A chat model's prompt is one user message; a completion model's is formatted unless it already is."""
        if self.is_chat_model:
            return self._request([ChatMessage(role=MessageRole.USER, content=prompt)], kwargs, stream=stream)
        if not formatted and self.completion_to_prompt is not None:
            prompt = self.completion_to_prompt(prompt)
        return self._prompt_request(prompt, kwargs, stream=stream)

    # ------------------------------------------------------------------ tools

    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: str | dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The ``chat`` arguments for a tool call; ``tool_choice`` is sent only with tools.

        ``tool_required`` sends ``required``, or ``auto`` to a thinking model, which refuses a forced
        choice (see :mod:`modelverse_core.structured`).
        """
        messages = list(chat_history or [])
        if user_msg is not None:
            messages.append(
                ChatMessage(role=MessageRole.USER, content=user_msg) if isinstance(user_msg, str) else user_msg
            )
        prepared: dict[str, Any] = {"messages": messages, **kwargs}
        specs = [tool.metadata.to_openai_tool(skip_length_check=True) for tool in tools]
        if specs:
            prepared["tools"] = specs
            required = structured_tool_choice(self._mv_info(kwargs.get("model") or self.model), FORCED)
            prepared["tool_choice"] = tool_choice or (required if tool_required else "auto")
            prepared["parallel_tool_calls"] = allow_parallel_tool_calls
            if tool_required and not tool_choice:
                prepared[RELAX_TOOL_CHOICE] = True
        return prepared

    def _validate_chat_with_tools_response(
        self,
        response: ChatResponse,
        tools: Sequence[BaseTool],
        allow_parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        """Keep only the first tool call (block and legacy entry) unless parallel calls were allowed."""
        if allow_parallel_tool_calls:
            return response
        message = response.message
        first = next((i for i, b in enumerate(message.blocks) if isinstance(b, ToolCallBlock)), len(message.blocks))
        message.blocks = message.blocks[: first + 1] + [
            b for b in message.blocks[first + 1 :] if not isinstance(b, ToolCallBlock)
        ]
        if message.additional_kwargs.get("tool_calls"):
            message.additional_kwargs["tool_calls"] = message.additional_kwargs["tool_calls"][:1]
        return response

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        """The tool calls of a response (partial ones while streaming).

        Arguments that are not valid JSON are listed in
        ``message.additional_kwargs["invalid_tool_calls"]`` with the error.
        """
        calls = [b for b in response.message.blocks if isinstance(b, ToolCallBlock)]
        if not calls and error_on_no_tool_call:
            raise ValueError(f"Expected at least one tool call from {self.model}, but got none")
        return [
            ToolSelection(tool_id=c.tool_call_id or "", tool_name=c.tool_name, tool_kwargs=_tool_kwargs(c.tool_kwargs))
            for c in calls
        ]


def _tool_kwargs(value: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    try:
        parsed = parse_partial_json(value) if value.strip() else {}
    except (ValueError, TypeError):
        return {}
    return parsed if isinstance(parsed, dict) else {}
