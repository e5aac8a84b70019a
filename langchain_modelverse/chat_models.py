"""``ChatModelverse``: a LangChain chat model for UCloud ModelVerse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput, ModelProfile
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap
from langchain_core.utils.function_calling import convert_to_json_schema, convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass
from pydantic import BaseModel, ConfigDict

from modelverse_core import JsonObjectFormat, JsonSchemaFormat, ModelverseParams, Prepared, ResponseFormat
from modelverse_core.catalog import StructuredMethod
from modelverse_core.options import RELAX_TOOL_CHOICE, tool_spec_from_openai
from modelverse_core.structured import structured_tool_choice
from modelverse_core.tokens import count_message_tokens

from .base import LangChainModelverse
from .convert import GenerationChunks, to_chat_result, to_core_messages

if TYPE_CHECKING:
    from langchain_core.tools import BaseTool

_CallArgs = dict[str, Any]


class ChatModelverse(LangChainModelverse, ModelverseParams, BaseChatModel):
    """UCloud ModelVerse chat models (DeepSeek-R1/V3, Qwen3, QwQ, GLM, vision models) for LangChain.

    Reasoning arrives in ``additional_kwargs["reasoning_content"]`` (and first in
    ``content_blocks``), never mixed into ``content``; usage counts reasoning and
    cached tokens; earlier reasoning is sent back per ``reasoning_in_history``.

    Example:
        .. code-block:: python

            from langchain_modelverse import ChatModelverse

            model = ChatModelverse(model="deepseek-ai/DeepSeek-R1")  # key from MODELVERSE_API_KEY
            reply = model.invoke("Describe UCloud in one sentence.")
            reply.additional_kwargs["reasoning_content"], reply.content, reply.usage_metadata
    """

    model_config = ConfigDict(extra="forbid")  # BaseChatModel sets "ignore"; unknown arguments must fail

    @property
    def _llm_type(self) -> str:
        return "modelverse-chat"

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        """``["langchain_modelverse", "chat_models"]``."""
        return ["langchain_modelverse", "chat_models"]

    def _resolve_model_profile(self) -> ModelProfile | None:
        info = self._mv_info(self.model)
        profile = ModelProfile(
            max_input_tokens=info.context_window,
            text_inputs=True,
            text_outputs=True,
            image_inputs=bool(info.vision),
            image_url_inputs=bool(info.vision),
            reasoning_output=info.reasoning,
            tool_calling=info.tool_calling,
            tool_choice=info.tool_calling,
            structured_output=info.json_schema,
        )
        if info.max_output_tokens:
            profile["max_output_tokens"] = info.max_output_tokens
        return profile

    # ------------------------------------------------------------------ token counting (offline)

    def get_num_tokens_from_messages(self, messages: list[BaseMessage], tools: Sequence[Any] | None = None) -> int:
        """Estimated prompt tokens of ``messages`` and ``tools``, offline.

        ``trim_messages(token_counter=model)`` counts with this. Tool calls, tool
        results, images (a fixed cost each) and the reasoning that
        ``reasoning_in_history`` would send back are counted.
        """
        specs = [tool_spec_from_openai(convert_to_openai_tool(tool)) for tool in tools or ()]
        return count_message_tokens(to_core_messages(messages), specs, self.reasoning_in_history)

    # ------------------------------------------------------------------ requests

    def _prepared(
        self, messages: list[BaseMessage], stop: list[str] | None, kwargs: _CallArgs, *, stream: bool
    ) -> Prepared:
        """A call of LangChain messages with its options, through the core's one request path."""
        options, include_usage = self._call_options(stop, kwargs)
        options.pop("ls_structured_output_format", None)
        return self._mv_prepare(to_core_messages(messages), stream=stream, include_usage=include_usage, options=options)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        prepared = self._prepared(messages, stop, kwargs, stream=False)
        return to_chat_result(self._mv_client_for_settings().send(prepared))

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        prepared = self._prepared(messages, stop, kwargs, stream=False)
        return to_chat_result(await self._mv_client_for_settings().asend(prepared))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        stream = self._mv_client_for_settings().open(self._prepared(messages, stop, kwargs, stream=True))
        to_chunk = GenerationChunks(stream.accumulator)
        for delta in stream:
            chunk = to_chunk(delta)
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk)
            yield chunk

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        stream = self._mv_client_for_settings().aopen(self._prepared(messages, stop, kwargs, stream=True))
        to_chunk = GenerationChunks(stream.accumulator)
        async with aclosing(stream.__aiter__()) as deltas:
            async for delta in deltas:
                chunk = to_chunk(delta)
                if run_manager:
                    await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk

    # ------------------------------------------------------------------ tools and structured output

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        strict: bool | None = None,
        parallel_tool_calls: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (any form LangChain converts to OpenAI tools).

        ``tool_choice``: a tool name, ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True``,
        or an OpenAI dict. ``strict`` asks for schema-exact arguments.
        """
        formatted = [convert_to_openai_tool(tool, strict=strict) for tool in tools]
        if tool_choice is not None and tool_choice is not False:
            kwargs["tool_choice"] = tool_choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        return super().bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None,
        *,
        method: StructuredMethod | None = None,
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """Answers parsed into ``schema``: a pydantic class, TypedDict or JSON schema.

        ``schema=None`` with ``method="json_mode"`` returns plain dicts.
        ``method`` defaults to the best one the model serves (catalog); asking for
        one it cannot serve is an error, never a silent switch. Through a tool call, a
        thinking model is sent ``tool_choice: "auto"`` (see :mod:`modelverse_core.structured`);
        a malformed or missing tool call raises ``OutputParserException``, which
        ``include_raw=True`` keeps in ``parsing_error``.
        """
        if kwargs:
            raise ValueError(f"with_structured_output: unexpected arguments {sorted(kwargs)}")
        info = self._mv_info(self.model)
        method = method or info.default_structured_method
        if method not in info.structured_output_methods:
            served = ", ".join(info.structured_output_methods) or "none"
            raise ValueError(
                f"with_structured_output: model {self.model} does not support method={method!r} (it supports: {served})"
            )
        llm, parser = self._structured(schema, method, strict)
        if not include_raw:
            return llm | parser
        from .structured import with_parsing_error

        return RunnableMap(raw=llm) | with_parsing_error(parser)

    def _structured(
        self, schema: dict[str, Any] | type | None, method: str, strict: bool | None
    ) -> tuple[Runnable[Any, Any], Runnable[Any, Any]]:
        # The parsers are imported on first use: a chat application that never asks for
        # structured output does not load them.
        from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser

        from .structured import ToolArgumentsParser, ToolModelParser

        if schema is None:
            if method != "json_mode":
                raise ValueError(f"with_structured_output: schema=None needs method='json_mode', not {method!r}")
            trace: dict[str, Any] = {"kwargs": {"method": method}, "schema": None}
            return self.bind(response_format=JsonObjectFormat(), ls_structured_output_format=trace), JsonOutputParser()
        is_model = isinstance(schema, type) and is_basemodel_subclass(schema)
        spec = tool_spec_from_openai(convert_to_openai_tool(schema, strict=strict))
        trace = {
            "kwargs": {"method": method, "strict": strict},
            "schema": convert_to_json_schema(schema)
            if method != "function_calling"
            else convert_to_openai_tool(schema),
        }
        if method == "function_calling":
            llm = self.bind_tools(
                [schema],
                tool_choice=structured_tool_choice(self._mv_info(self.model), spec.name),
                strict=strict,
                parallel_tool_calls=False,
                ls_structured_output_format=trace,
                **{RELAX_TOOL_CHOICE: True},
            )
            tools_parser = (
                ToolModelParser(tools=[schema], first_tool_only=True, name=spec.name)  # type: ignore[list-item]
                if is_model
                else ToolArgumentsParser(key_name=spec.name, first_tool_only=True)
            )
            return llm, tools_parser
        response_format: ResponseFormat = JsonObjectFormat()
        if method == "json_schema":
            response_format = JsonSchemaFormat(
                spec.name, spec.parameters, strict=strict, description=spec.description or None
            )
        llm = self.bind(response_format=response_format, ls_structured_output_format=trace)
        json_parser = PydanticOutputParser(pydantic_object=schema) if is_model else JsonOutputParser()  # type: ignore[arg-type]
        return llm, json_parser


__all__ = ["ChatModelverse"]
