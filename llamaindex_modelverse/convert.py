"""LlamaIndex messages to core types and core results back to LlamaIndex responses.

The only conversion code of the plugin: it never sees a wire dict.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, cast

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    ImageBlock,
    LogProb,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from llama_index.core.bridge.pydantic import BaseModel

from modelverse_core import (
    Accumulator,
    Choice,
    ImagePart,
    Message,
    ParameterError,
    Result,
    StreamDelta,
    TextPart,
    TokenLogprob,
    ToolCall,
    Usage,
)
from modelverse_core.assembly import Layout, assemblable, assembled
from modelverse_core.options import tool_call_to_openai, tool_calls_from_openai
from modelverse_core.types import Part, Role

_ROLES: dict[str, Role] = {
    MessageRole.SYSTEM.value: "system",
    MessageRole.DEVELOPER.value: "system",
    MessageRole.USER.value: "user",
    MessageRole.ASSISTANT.value: "assistant",
    MessageRole.MODEL.value: "assistant",
    MessageRole.CHATBOT.value: "assistant",
    MessageRole.TOOL.value: "tool",
    MessageRole.FUNCTION.value: "tool",
}
_MEMBER_ROLES: dict[MessageRole, Role] = {
    member: _ROLES[member.value] for member in MessageRole if member.value in _ROLES
}
""":data:`_ROLES` by ``MessageRole`` member, which hashes by its name, not its value."""


# ------------------------------------------------------------------ LlamaIndex -> core


def to_core_messages(messages: Sequence[ChatMessage]) -> list[Message]:
    """Convert LlamaIndex chat messages to core messages."""
    return [to_core_message(position, message) for position, message in enumerate(messages)]


def to_core_message(position: int, message: ChatMessage) -> Message:
    """Convert one message; thinking blocks become the assistant's reasoning."""
    role = _MEMBER_ROLES.get(message.role) or _ROLES.get(str(message.role.value))
    if role is None:
        raise ParameterError(f"messages[{position}].role", f"must be one of {', '.join(_ROLES)}", message.role.value)
    if role == "assistant":
        return _assistant(position, message)
    if role == "tool":
        call_id = message.additional_kwargs.get("tool_call_id")
        return Message("tool", _text(message), tool_call_id=str(call_id) if call_id is not None else None)
    return Message(role, _content(position, message))


def _assistant(position: int, message: ChatMessage) -> Message:
    texts: list[str] = []
    reasoning: list[str] = []
    call_blocks: list[ToolCallBlock] = []
    other = None
    for block in message.blocks:
        kind = _block_kind(block)
        if kind is TextBlock:
            texts.append(cast(TextBlock, block).text)
        elif kind is ThinkingBlock:
            reasoning.append(cast(ThinkingBlock, block).content or "")
        elif kind is ToolCallBlock:
            call_blocks.append(cast(ToolCallBlock, block))
        elif other is None:
            other = block
    field = f"messages[{position}].tool_calls"
    if call_blocks:
        calls = tuple(_tool_call(b, field) for b in call_blocks)
    else:
        calls = tool_calls_from_openai(message.additional_kwargs.get("tool_calls"), field)
    if other is not None:
        raise ParameterError(
            f"messages[{position}].content", "assistant blocks must be text, thinking or tool calls", other.block_type
        )
    return Message("assistant", "".join(texts), reasoning="".join(reasoning) or None, tool_calls=calls)


def _block_kind(block: object) -> type | None:
    """The first of :data:`_ASSISTANT_BLOCKS` that ``block`` is an instance of.

    The block's own class is looked up first: ``isinstance`` against a pydantic class that
    does not match is an ABC check costing several times as much.
    """
    kind = type(block)
    if kind in _ASSISTANT_BLOCK_SET:
        return kind
    return next((k for k in _ASSISTANT_BLOCKS if isinstance(block, k)), None)


_ASSISTANT_BLOCKS: tuple[type, ...] = (TextBlock, ThinkingBlock, ToolCallBlock)
_ASSISTANT_BLOCK_SET = frozenset(_ASSISTANT_BLOCKS)


def _tool_call(block: ToolCallBlock, field: str) -> ToolCall:
    kwargs = block.tool_kwargs
    if isinstance(kwargs, str):
        return ToolCall.from_arguments(block.tool_call_id or "", block.tool_name, kwargs)
    return ToolCall.from_args(block.tool_call_id or "", block.tool_name, kwargs, field=field)


def _text(message: ChatMessage) -> str:
    blocks = message.blocks
    if len(blocks) == 1 and type(blocks[0]) is TextBlock:  # most messages: the answer without a generator
        return blocks[0].text
    return "".join(block.text for block in blocks if type(block) is TextBlock or isinstance(block, TextBlock))


def _content(position: int, message: ChatMessage) -> str | tuple[Part, ...]:
    blocks = message.blocks
    if len(blocks) == 1 and type(blocks[0]) is TextBlock:
        return blocks[0].text
    if all(type(block) is TextBlock or isinstance(block, TextBlock) for block in blocks):
        return _text(message)
    return tuple(_part(position, block) for block in message.blocks)


def _part(position: int, block: Any) -> Part:
    if isinstance(block, TextBlock):
        return TextPart(block.text)
    if isinstance(block, ImageBlock):
        return _image(block)
    raise ParameterError(
        f"messages[{position}].content", "blocks must be text or image", getattr(block, "block_type", block)
    )


def _image(block: ImageBlock) -> ImagePart:
    """An image from a URL, a path or bytes; local images travel as base64 data URLs."""
    if block.url is not None and not block.image and not block.path:
        return ImagePart(str(block.url), block.detail)
    return ImagePart(block.inline_url(), block.detail)


# ------------------------------------------------------------------ core -> LlamaIndex


def usage_kwargs(usage: Usage | None) -> dict[str, int]:
    """Token counts, reasoning and cached ones included, as LlamaIndex keeps them."""
    if usage is None:
        return {}
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "total_tokens": usage.total_tokens,
        "reasoning_tokens": usage.reasoning_tokens,
        "cached_tokens": usage.cached_tokens,
    }


def response_kwargs(result: Result | StreamDelta) -> dict[str, Any]:
    """``ChatResponse.additional_kwargs``: usage, model, and the optional extras."""
    out: dict[str, Any] = {**usage_kwargs(result.usage), "model": result.model}
    if result.model_version:
        out["model_version"] = result.model_version
    if result.search_results:
        out["search_results"] = list(result.search_results)
    return out


def to_message(choice: Choice, usage: Usage | None = None) -> ChatMessage:
    """A choice as an assistant message: thinking, text, then tool calls.

    Tool calls are ``ToolCallBlock``s and, for code that still reads them, OpenAI-style
    ``additional_kwargs["tool_calls"]``.
    """
    blocks: list[Any] = []
    if choice.reasoning:
        reasoning_tokens = usage.reasoning_tokens if usage else None
        blocks.append(_thinking_block(choice.reasoning, reasoning_tokens))
    blocks.append(_text_block(choice.content))
    if choice.tool_calls:
        blocks += [
            _tool_call_block(c.id, c.name, dict(c.args) if c.args is not None else c.arguments)
            for c in choice.tool_calls
        ]
    return _message(blocks, message_kwargs(choice))


def message_kwargs(choice: Choice) -> dict[str, Any]:
    """A message's ``additional_kwargs``: the reasoning; the tool calls in OpenAI's shape, and the invalid ones."""
    extra: dict[str, Any] = {}
    if choice.reasoning:
        extra["reasoning_content"] = choice.reasoning
    calls = choice.tool_calls
    if not calls:
        return extra
    extra["tool_calls"] = [tool_call_to_openai(c) for c in calls]
    invalid = [{"id": c.id, "name": c.name, "arguments": c.arguments, "error": c.error} for c in calls if c.error]
    if invalid:
        extra["invalid_tool_calls"] = invalid
    return extra


def to_chat_response(result: Result) -> ChatResponse:
    """A parsed completion as a ``ChatResponse`` (the first choice); ``raw`` is the body."""
    return ChatResponse(
        message=to_message(result.choice, result.usage),
        raw=result.raw,
        additional_kwargs=response_kwargs(result),
        logprobs=to_logprobs(result.choice.token_logprobs),
    )


def to_stream_response(delta: StreamDelta, state: Accumulator) -> ChatResponse:
    """One streamed chunk: the message so far, the text ``delta`` and ``thinking_delta``.

    ``logprobs`` are those of the chunk's own tokens; ``raw`` is the chunk as the server sent it
    (with its ``usage`` where the server reported it, which llama-index's token counting reads).
    """
    return _stream_response(
        to_message(state.snapshot(), state.usage),
        delta.content,
        state.raw,
        _chunk_kwargs(delta),
        to_logprobs(delta.token_logprobs),
    )


def to_stream_completion(delta: StreamDelta, state: Accumulator) -> CompletionResponse:
    """One streamed chunk as a completion: the text so far, the ``delta``, and both kinds of extras.

    The same response llama-index's chat-to-completion conversion makes of :func:`to_stream_response`'s
    (the message's ``additional_kwargs``, then the chunk's), without building the message; ``raw`` is the chunk.
    """
    so_far = state.snapshot()
    extra = _chunk_kwargs(delta, message_kwargs(so_far))
    return _stream_completion(so_far.content, extra, delta.content, state.raw, to_logprobs(delta.token_logprobs))


def _chunk_kwargs(delta: StreamDelta, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A streamed chunk's ``additional_kwargs``, added to ``extra``: ``thinking_delta``; usage and model on the last."""
    if extra is None:
        extra = {}
    if delta.usage or delta.finish_reason:
        extra |= response_kwargs(delta)
    if delta.reasoning:
        extra["thinking_delta"] = delta.reasoning
    return extra


def to_logprobs(tokens: Sequence[TokenLogprob] | None) -> list[list[LogProb]] | None:
    """LlamaIndex's log probabilities: per position, the most likely tokens (the chosen one if none are given).

    A token without a log probability (the first of an echoed prompt) is left out, never given a
    made-up value, so such a position is an empty list.
    """
    if tokens is None:
        return None
    return [_known(t.top) or _known((t,)) for t in tokens]


def _known(tokens: Sequence[TokenLogprob]) -> list[LogProb]:
    """The tokens that have a log probability, as ``LogProb``s."""
    return [
        LogProb(token=t.token, logprob=t.logprob, bytes=list(t.bytes or ())) for t in tokens if t.logprob is not None
    ]


def to_completion(result: Result) -> CompletionResponse:
    """A parsed completion as a ``CompletionResponse`` (the first choice); ``raw`` is the body.

    The same response llama-index's chat-to-completion conversion makes of :func:`to_chat_response`'s
    (the message's ``additional_kwargs``, then the response's), log probabilities kept, without
    building the message.
    """
    choice = result.choice
    return CompletionResponse(
        text=choice.content,
        additional_kwargs={**message_kwargs(choice), **response_kwargs(result)},
        raw=result.raw,
        logprobs=to_logprobs(choice.token_logprobs),
    )


# ------------------------------------------------------------------ llama-index models, assembled

# A stream builds a response, a message and its blocks for every chunk; every value given below
# already has its field's type and is new or immutable, so these are assembled without validation
# (modelverse_core.assembly) when llama-index's models are laid out as expected.
_LAYOUTS: dict[type[BaseModel], Layout] = {
    TextBlock: {"block_type": "text", "text": ...},
    ThinkingBlock: {"block_type": "thinking", "content": None, "num_tokens": None, "additional_information": dict},
    ToolCallBlock: {"block_type": "tool_call", "tool_call_id": None, "tool_name": ..., "tool_kwargs": dict},
    ChatMessage: {"role": MessageRole.USER, "additional_kwargs": dict, "blocks": list},
    ChatResponse: {"message": ..., "raw": None, "delta": None, "logprobs": None, "additional_kwargs": dict},
    CompletionResponse: {"text": ..., "additional_kwargs": dict, "raw": None, "logprobs": None, "delta": None},
}
_Response = TypeVar("_Response", ChatResponse, CompletionResponse)
_ASSEMBLE = assemblable(_LAYOUTS, {ChatMessage: {"legacy_additional_kwargs_image"}})
"""Whether the models are assembled; ``ChatMessage``'s one validator acts on ``additional_kwargs["images"]`` only."""


def _text_block(text: str) -> TextBlock:
    """``TextBlock(text=text)``."""
    if not _ASSEMBLE:
        return TextBlock(text=text)
    return assembled(TextBlock, {"block_type": "text", "text": text}, {"text"})


def _thinking_block(content: str, num_tokens: int | None) -> ThinkingBlock:
    """``ThinkingBlock(content=content, num_tokens=num_tokens)``."""
    if not _ASSEMBLE:
        return ThinkingBlock(content=content, num_tokens=num_tokens)
    values: dict[str, Any] = {
        "block_type": "thinking",
        "content": content,
        "num_tokens": num_tokens,
        "additional_information": {},
    }
    return assembled(ThinkingBlock, values, {"content", "num_tokens"})


def _tool_call_block(call_id: str, name: str, kwargs: dict[str, Any] | str) -> ToolCallBlock:
    """``ToolCallBlock(tool_call_id=call_id, tool_name=name, tool_kwargs=kwargs)``; a dict ``kwargs`` must be new."""
    if not _ASSEMBLE:
        return ToolCallBlock(tool_call_id=call_id, tool_name=name, tool_kwargs=kwargs)
    values: dict[str, Any] = {
        "block_type": "tool_call",
        "tool_call_id": call_id,
        "tool_name": name,
        "tool_kwargs": kwargs,
    }
    return assembled(ToolCallBlock, values, {"tool_call_id", "tool_name", "tool_kwargs"})


def _message(blocks: list[Any], extra: dict[str, Any]) -> ChatMessage:
    """``ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=extra)``; both must be new."""
    if not _ASSEMBLE or "images" in extra:
        return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=extra)
    values: dict[str, Any] = {"role": MessageRole.ASSISTANT, "additional_kwargs": extra, "blocks": blocks}
    return assembled(ChatMessage, values, {"role", "blocks", "additional_kwargs"})


def _stream_response(
    message: ChatMessage, delta: str, raw: Any, extra: dict[str, Any], logprobs: list[list[LogProb]] | None
) -> ChatResponse:
    """``ChatResponse(message=, delta=, raw=, additional_kwargs=extra, logprobs=)``; ``extra``, ``logprobs`` new."""
    values = {"message": message, "raw": raw, "delta": delta, "logprobs": logprobs, "additional_kwargs": extra}
    return _every_field_given(ChatResponse, values)


def _stream_completion(
    text: str, extra: dict[str, Any], delta: str, raw: Any, logprobs: list[list[LogProb]] | None
) -> CompletionResponse:
    """``CompletionResponse(text=, additional_kwargs=extra, delta=, raw=, logprobs=)``; ``extra``, ``logprobs`` new."""
    values = {"text": text, "additional_kwargs": extra, "raw": raw, "logprobs": logprobs, "delta": delta}
    return _every_field_given(CompletionResponse, values)


def _every_field_given(cls: type[_Response], values: dict[str, Any]) -> _Response:
    """``cls(**values)``, where ``values`` gives every field of ``cls`` in field order."""
    if not _ASSEMBLE:
        return cls(**values)
    return assembled(cls, values, set(values))
