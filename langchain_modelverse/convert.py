"""LangChain messages to core types and core results back to LangChain messages.

The only conversion code of the plugin: it never sees a wire dict.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any, cast

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk
from langchain_core.outputs import (
    ChatGeneration,
    ChatGenerationChunk,
    ChatResult,
    Generation,
    GenerationChunk,
    LLMResult,
)

from modelverse_core import (
    Accumulator,
    Choice,
    ImagePart,
    Message,
    ParameterError,
    StreamDelta,
    TextPart,
    ToolCall,
    Usage,
    legacy_logprobs,
)
from modelverse_core import Result as CoreResult
from modelverse_core.assembly import assemblable, assembled
from modelverse_core.types import Part, Role, usage_increment

PROVIDER = "modelverse"
_CALL_BLOCKS = frozenset({"tool_call", "tool_call_chunk", "invalid_tool_call", "tool_use", "function_call"})
"""Blocks that repeat what ``AIMessage.tool_calls`` already holds."""
_ROLES: dict[str, Role] = {
    "system": "system",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "tool": "tool",
}


# ------------------------------------------------------------------ LangChain -> core


def to_core_messages(messages: Sequence[BaseMessage]) -> list[Message]:
    """Convert LangChain messages to core messages."""
    return [to_core_message(position, message) for position, message in enumerate(messages)]


def to_core_message(position: int, message: BaseMessage) -> Message:
    """Convert one LangChain message."""
    kind = type(message)
    if kind not in _KIND_SET:
        kind = _kind(message)
    if kind is AIMessage:
        return _assistant(position, message)  # type: ignore[arg-type]  # kind says it is one; no cast call per message
    if kind is ToolMessage:
        content = message.content
        text = content if isinstance(content, str) else _tool_content(position, content)
        return Message("tool", text, tool_call_id=message.tool_call_id)  # type: ignore[attr-defined]  # kind says it is one
    if kind is HumanMessage or kind is SystemMessage:
        role: Role = "user" if kind is HumanMessage else "system"
    elif kind is ChatMessage and cast(ChatMessage, message).role in _ROLES:
        role = _ROLES[cast(ChatMessage, message).role]
    else:
        raise ParameterError(
            f"messages[{position}]", "must be a system, human, ai, tool or chat message", type(message).__name__
        )
    content = message.content
    return Message(role, content if isinstance(content, str) else _content(position, content), name=message.name)


def _kind(message: BaseMessage) -> type[BaseMessage]:
    """The first of :data:`_KINDS` that ``message`` is an instance of (its own class when it is one of them).

    :func:`to_core_message` looks the message's own class up first: ``isinstance`` against a pydantic
    class that does not match is an ABC check costing four times as much.
    """
    return next((k for k in _KINDS if isinstance(message, k)), type(message))


_KINDS: tuple[type[BaseMessage], ...] = (AIMessage, ToolMessage, HumanMessage, SystemMessage, ChatMessage)
_KIND_SET = frozenset(_KINDS)


def _assistant(position: int, message: AIMessage) -> Message:
    content = message.content
    text, reasoning = (content, "") if isinstance(content, str) else _assistant_text(position, content)
    stored = message.additional_kwargs.get("reasoning_content")
    calls: tuple[ToolCall, ...] = ()
    if message.tool_calls:
        field = f"messages[{position}].tool_calls"
        calls = tuple(
            [ToolCall.from_args(c.get("id") or "", c["name"], c["args"], field=field) for c in message.tool_calls]
        )
    if message.invalid_tool_calls:
        calls += tuple(
            ToolCall.from_arguments(c.get("id") or "", c.get("name") or "", c.get("args") or "")
            for c in message.invalid_tool_calls
        )
    sent = stored if isinstance(stored, str) and stored else reasoning or None
    return Message("assistant", text, sent, calls, None, message.name)  # positional: one per message


def _assistant_text(position: int, content: str | list[Any]) -> tuple[str, str]:
    """The answer text and reasoning of assistant content, a string or v1 blocks."""
    if isinstance(content, str):
        return content, ""
    texts, reasoning = [], []
    for block in content:
        kind = block if isinstance(block, str) else block.get("type")
        if isinstance(block, str):
            texts.append(block)
        elif kind == "text":
            texts.append(_block_text(position, block, "text"))
        elif kind == "reasoning":
            reasoning.append(_block_text(position, block, "reasoning"))
        elif kind not in _CALL_BLOCKS:
            raise ParameterError(f"messages[{position}].content", "assistant content must be text or reasoning", kind)
    return "".join(texts), "".join(reasoning)


def _content(position: int, content: str | list[Any]) -> str | tuple[Part, ...]:
    if isinstance(content, str):
        return content
    return tuple(_part(position, block) for block in content)


def _part(position: int, block: str | dict[str, Any]) -> Part:
    """Text, OpenAI ``image_url`` parts and LangChain's standard image blocks (URL or base64)."""
    if isinstance(block, str):
        return TextPart(block)
    kind = block.get("type")
    if kind == "text":
        return TextPart(block.get("text", ""))
    if kind == "image_url":
        return _image_url(position, block.get("image_url"))
    if kind == "image":
        return _image_block(position, block)
    raise ParameterError(f"messages[{position}].content", "parts must be text, image_url or image blocks", kind)


def _image_url(position: int, image: object) -> ImagePart:
    """An OpenAI ``image_url`` part's value: a URL, or ``{"url": ..., "detail": ...}``."""
    if isinstance(image, str):
        return ImagePart(image)
    if (
        isinstance(image, Mapping)
        and isinstance(image.get("url"), str)
        and isinstance(image.get("detail"), (str, type(None)))
    ):
        return ImagePart(image["url"], image.get("detail"))
    limit = "an image_url part needs a URL string or {'url': <string>, 'detail': <string>}"
    raise ParameterError(f"messages[{position}].content", limit, image)


def _block_text(position: int, block: Mapping[str, Any], key: str) -> str:
    """A content block's text (``""`` when missing); any other value is refused."""
    value = block.get(key, "")
    if not isinstance(value, str):
        raise ParameterError(
            f"messages[{position}].content", f"a {block.get('type')} block's {key} must be a string", value
        )
    return value


def _image_block(position: int, block: Mapping[str, Any]) -> ImagePart:
    mime = block.get("mime_type") or "image/png"
    if block.get("url"):
        return ImagePart(block["url"])
    if block.get("base64"):
        return ImagePart.from_base64(block["base64"], mime)
    if block.get("source_type") == "base64" and block.get("data"):
        return ImagePart.from_base64(block["data"], mime)
    raise ParameterError(f"messages[{position}].content", "image blocks need a url or base64 data", dict(block))


def _tool_content(position: int, content: str | list[Any]) -> str:
    """A tool result as text: its text blocks joined, or any other blocks as JSON."""
    if isinstance(content, str):
        return content
    if all(isinstance(b, str) or b.get("type") == "text" for b in content):
        return "".join(b if isinstance(b, str) else _block_text(position, b, "text") for b in content)
    try:
        return json.dumps(content, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise ParameterError(
            f"messages[{position}].content", f"tool result blocks must be JSON values ({exc})"
        ) from None


# ------------------------------------------------------------------ core -> LangChain


def usage_metadata(usage: Usage) -> UsageMetadata:
    """LangChain usage with cache reads and reasoning tokens."""
    return UsageMetadata(
        input_tokens=usage.prompt_tokens,
        output_tokens=usage.completion_tokens,
        total_tokens=usage.total_tokens,
        input_token_details={"cache_read": usage.cached_tokens},
        output_token_details={"reasoning": usage.reasoning_tokens},
    )


def response_metadata(result: CoreResult | StreamDelta, finish_reason: str | None) -> dict[str, Any]:
    """``model_name``, ``model_provider``, ``finish_reason``, ``id`` and the optional extras."""
    meta: dict[str, Any] = {
        "model_name": result.model,
        "model_provider": PROVIDER,
        "finish_reason": finish_reason,
        "id": result.id,
        "system_fingerprint": result.system_fingerprint,
    }
    if result.model_version:
        meta["model_version"] = result.model_version
    if result.search_results:
        meta["search_results"] = list(result.search_results)
    return meta


def to_ai_message(result: CoreResult, choice: Choice) -> AIMessage:
    """One choice of a parsed completion as an ``AIMessage``.

    The message gets no id here: langchain-core gives it a run-based one, unique per
    answer. The server's response id is a request id (answers may share it) and stays
    in ``response_metadata["id"]``. As for chunks, fields left at their defaults are not passed.
    """
    meta = response_metadata(result, choice.finish_reason)
    if choice.logprobs is not None:
        meta["logprobs"] = choice.logprobs
    fields: dict[str, Any] = {"content": choice.content, "response_metadata": meta}
    if choice.reasoning:
        fields["additional_kwargs"] = {"reasoning_content": choice.reasoning}
    if choice.tool_calls:
        fields["tool_calls"] = [
            tool_call(name=c.name, args=dict(c.args), id=c.id) for c in choice.tool_calls if c.args is not None
        ]
        fields["invalid_tool_calls"] = [
            invalid_tool_call(name=c.name, args=c.arguments, id=c.id, error=c.error)
            for c in choice.tool_calls
            if c.args is None
        ]
    if result.usage:
        fields["usage_metadata"] = usage_metadata(result.usage)
    return AIMessage(**fields)


def to_chat_result(result: CoreResult) -> ChatResult:
    """A parsed completion as LangChain's ``ChatResult``, one generation per choice."""
    generations = [
        ChatGeneration(message=to_ai_message(result, choice), generation_info={"finish_reason": choice.finish_reason})
        for choice in result.choices
    ]
    llm_output = {"model_name": result.model, "id": result.id, "system_fingerprint": result.system_fingerprint}
    return ChatResult(generations=generations, llm_output=llm_output)


def to_generation_chunk(delta: StreamDelta, usage: Usage | None = None, *, last: bool = False) -> ChatGenerationChunk:
    """One stream delta as a generation chunk: reasoning, content, tool-call chunks.

    ``usage`` is what the chunk adds to the request's usage (see :class:`GenerationChunks`), and
    ``last`` marks the stream's end (``chunk_position="last"``).
    Fields left at their defaults are not passed: validating them is most of a chunk's cost.
    """
    fields: dict[str, Any] = {"content": delta.content}
    if delta.reasoning:
        fields["additional_kwargs"] = {"reasoning_content": delta.reasoning}
    if delta.tool_calls:
        fields["tool_call_chunks"] = [
            tool_call_chunk(name=c.name, args=c.arguments, id=c.id, index=c.index) for c in delta.tool_calls
        ]
    if usage is not None:
        fields["usage_metadata"] = usage_metadata(usage)
    if last:
        fields["chunk_position"] = "last"
    if delta.finish_reason:
        fields["response_metadata"] = response_metadata(delta, delta.finish_reason)
        return ChatGenerationChunk(
            message=AIMessageChunk(**fields), generation_info={"finish_reason": delta.finish_reason}
        )
    meta = fields["response_metadata"] = {"model_provider": PROVIDER}
    if delta.search_results:
        meta["search_results"] = list(delta.search_results)
    return ChatGenerationChunk(message=AIMessageChunk(**fields))


class GenerationChunks:
    """Makes the generation chunks of one stream, so that summing them gives the request's usage once.

    Usage is the request's running total, and a server may report it on every chunk (vLLM and
    SGLang with ``continuous_usage_stats``): each chunk carries what its report adds to the one
    before, so langchain-core's sum of the chunks, and the usage callbacks, count it once. Usage
    reported once the answer has finished, in a chunk that adds nothing else, is the documented
    last event of a stream, so that chunk is marked ``chunk_position="last"``.
    """

    __slots__ = ("_accumulator", "_reported")

    def __init__(self, accumulator: Accumulator) -> None:
        self._accumulator = accumulator
        self._reported: Usage | None = None

    def __call__(self, delta: StreamDelta) -> ChatGenerationChunk:
        """The chunk of one delta."""
        if delta.usage is None:
            return to_generation_chunk(delta)
        usage, self._reported = usage_increment(delta.usage, self._reported), delta.usage
        last = self._accumulator.finished and not (delta.content or delta.reasoning or delta.tool_calls)
        return to_generation_chunk(delta, usage, last=last)


# ------------------------------------------------------------------ completions -> LangChain text generations


def token_usage(results: Sequence[CoreResult]) -> dict[str, int]:
    """Usage summed over requests, under the API's names (``llm_output["token_usage"]``)."""
    total: dict[str, int] = {}
    for usage in (r.usage for r in results if r.usage is not None):
        for name, value in asdict(usage).items():
            total[name] = total.get(name, 0) + value
    return total


def generation_info(choice: Choice | StreamDelta, usage: Usage | None) -> dict[str, Any]:
    """``finish_reason``, ``logprobs`` in the legacy completions shape, ``usage`` and any reasoning."""
    info: dict[str, Any] = {"finish_reason": choice.finish_reason}
    if choice.token_logprobs is not None:
        info["logprobs"] = legacy_logprobs(choice.token_logprobs)
    if usage is not None:
        info["usage"] = asdict(usage)
    if choice.reasoning:
        info["reasoning_content"] = choice.reasoning
    return info


def to_llm_result(results: Sequence[CoreResult], model: str) -> LLMResult:
    """One parsed completion per prompt as an ``LLMResult``: a generation per choice.

    ``model`` names the model when the server's answers do not.
    """
    generations = [
        [Generation(text=choice.content, generation_info=generation_info(choice, r.usage)) for choice in r.choices]
        for r in results
    ]
    fingerprint = next((r.system_fingerprint for r in results if r.system_fingerprint), None)
    model_name = next((r.model for r in results if r.model), model)
    llm_output: dict[str, Any] = {"token_usage": token_usage(results), "model_name": model_name}
    if fingerprint:
        llm_output["system_fingerprint"] = fingerprint
    return LLMResult(generations=generations, llm_output=llm_output)


def to_text_chunk(delta: StreamDelta) -> GenerationChunk:
    """One stream delta as a text chunk; its ``generation_info`` holds only what the delta carries."""
    info = generation_info(delta, delta.usage)
    if info["finish_reason"] is None:  # the one entry that may be None
        del info["finish_reason"]
    return _text_chunk(delta.content, info or None)


# A text stream builds a GenerationChunk for every chunk: it is assembled without validation
# (modelverse_core.assembly) when langchain-core's model is laid out as expected.
_ASSEMBLE = assemblable({GenerationChunk: {"text": ..., "generation_info": None, "type": "Generation"}}, {})


def _text_chunk(text: str, info: dict[str, Any] | None) -> GenerationChunk:
    """``GenerationChunk(text=text, generation_info=info)``; ``info`` must be new."""
    if not _ASSEMBLE:
        return GenerationChunk(text=text, generation_info=info)
    values = {"text": text, "generation_info": info, "type": "Generation"}
    return assembled(GenerationChunk, values, {"text", "generation_info"})
