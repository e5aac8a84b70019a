"""``POST /v1/responses``: the Responses API wire format over the core types.

Requests: messages become ``input`` items (``message`` items for system and
user text and images, assistant text; ``function_call`` and
``function_call_output`` items joined by ``call_id``; earlier reasoning as
``reasoning`` items where the reasoning policy says). Settings take their
Responses names (``max_output_tokens``, ``reasoning: {effort}``, flat function
tools, ``text: {format}``); chat-only settings are refused before sending.

Answers: ``reasoning`` items (their ``summary`` and ``reasoning_text``
content), ``message`` output text and ``function_call`` items become the same
:class:`~modelverse_core.types.Result` and
:class:`~modelverse_core.types.StreamDelta` objects chat completions give,
through the same think-tag splitting, so the plugins read both alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

from .. import shape
from .._deprecated import moved
from ..catalog import split_model_version
from ..errors import ParameterError, StreamEventError
from ..limits import SamplingParams
from ..thinking import split_think
from ..types import (
    Choice,
    Content,
    ForcedTool,
    ImagePart,
    JsonObjectFormat,
    Message,
    Part,
    ResponseFormat,
    Result,
    StreamDelta,
    TextPart,
    ToolCall,
    ToolCallDelta,
    ToolChoice,
    ToolSpec,
    Usage,
)
from .base import Wire
from .common import (
    TextParts,
    ToolCallParts,
    as_dict,
    encode_content,
    finish_body,
    joined,
    response_id,
    unique_tool_call_ids,
    usable_tool_call_id,
)

if TYPE_CHECKING:
    from ..call import Request

REASONING_SEPARATOR = "\n\n"
"""Between the texts of separate reasoning parts (summary paragraphs, items)."""

_INCOMPLETE_REASONS = {"max_output_tokens": "length"}
_FAILURE_STATUS = {"server_error": 500, "rate_limit_exceeded": 429}


# ---------------------------------------------------------------- requests


def build(request: Request) -> dict[str, Any]:
    """The ``POST /responses`` body of a checked request; ``extra_body`` is merged last.

    Usage always arrives with ``response.completed``, so streams need no usage option.
    """
    body: dict[str, Any] = {"model": request.model, "input": encode_input(request.messages, request.send_reasoning)}
    body.update(encode_settings(cast(SamplingParams, request.params)))  # the pipeline checked its type
    if request.tools:
        body["tools"] = [encode_tool(tool) for tool in request.tools]
    if request.tool_choice is not None:
        body["tool_choice"] = encode_tool_choice(request.tool_choice)
    if request.response_format is not None:
        body["text"] = {"format": encode_text_format(request.response_format)}
    return finish_body(body, stream=request.stream, include_usage=False, extra_body=request.extra_body)


def encode_settings(params: SamplingParams) -> dict[str, Any]:
    """The settings that are set, under their Responses names."""
    out: dict[str, Any] = {}
    if params.max_completion_tokens is not None:
        out["max_output_tokens"] = params.max_completion_tokens
    if params.reasoning_effort is not None:
        out["reasoning"] = {"effort": params.reasoning_effort}
    if params.metadata is not None:
        out["metadata"] = as_dict(params.metadata)
    for name in ("temperature", "top_p", "user", "parallel_tool_calls"):
        value = getattr(params, name)
        if value is not None:
            out[name] = value
    return out


def encode_input(messages: Sequence[Message], send_reasoning: Sequence[bool]) -> list[dict[str, Any]]:
    """The ``input`` items of ``messages``, each with its reasoning where ``send_reasoning`` says."""
    items: list[dict[str, Any]] = []
    for message, send in zip(messages, send_reasoning, strict=True):
        items += encode_items(message, send_reasoning=send)
    return items


def encode_items(message: Message, *, send_reasoning: bool = False) -> list[dict[str, Any]]:
    """One message as input items: an assistant turn may give reasoning, text and calls."""
    if message.role == "tool":
        return [{"type": "function_call_output", "call_id": message.tool_call_id, "output": _text(message.content)}]
    if message.role != "assistant":
        return [{"type": "message", "role": message.role, "content": encode_content(message.content, encode_part)}]
    items: list[dict[str, Any]] = []
    if send_reasoning and message.reasoning:
        items.append(reasoning_item(message.reasoning))
    text = _text(message.content)
    if text or not message.tool_calls:
        items.append({"type": "message", "role": "assistant", "content": text})
    items += [
        {"type": "function_call", "call_id": call.id, "name": call.name, "arguments": call.arguments}
        for call in message.tool_calls
    ]
    return items


def reasoning_item(text: str) -> dict[str, Any]:
    """Earlier reasoning as an input item: the text as its ``summary`` and as ``reasoning_text`` content.

    OpenAI's schema requires ``summary`` and allows ``content``; llama-server takes the item
    only with ``content``, so both carry the text and either kind of server accepts it.
    """
    return {
        "type": "reasoning",
        "summary": [{"type": "summary_text", "text": text}],
        "content": [{"type": "reasoning_text", "text": text}],
    }


def encode_part(part: Part) -> dict[str, Any]:
    """One input part: an ``input_text`` or ``input_image`` object."""
    if isinstance(part, TextPart):
        return {"type": "input_text", "text": part.text}
    if isinstance(part, ImagePart):
        image: dict[str, Any] = {"type": "input_image", "image_url": part.url}
        if part.detail:
            image["detail"] = part.detail
        return image
    raise ParameterError("content", "parts must be text or images", part)


def _text(content: Content) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.text for part in content if isinstance(part, TextPart))


def encode_tool(tool: ToolSpec) -> dict[str, Any]:
    """A function tool in the Responses' flat form."""
    out: dict[str, Any] = {
        "type": "function",
        "name": tool.name,
        "description": tool.description,
        "parameters": as_dict(tool.parameters),
    }
    if tool.strict is not None:
        out["strict"] = tool.strict
    return out


def encode_tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    """``auto`` / ``none`` / ``required``, or one forced function."""
    if isinstance(choice, ForcedTool):
        return {"type": "function", "name": choice.name}
    return choice


def encode_text_format(fmt: ResponseFormat) -> dict[str, Any]:
    """``text.format``: ``json_object`` or a flat ``json_schema``."""
    if isinstance(fmt, JsonObjectFormat):
        return {"type": "json_object"}
    out: dict[str, Any] = {"type": "json_schema", "name": fmt.name, "schema": as_dict(fmt.schema)}
    if fmt.description:
        out["description"] = fmt.description
    if fmt.strict is not None:
        out["strict"] = fmt.strict
    return out


# ---------------------------------------------------------------- answers


def parse_responses(body: Mapping[str, Any]) -> Result:
    """Parse a ``response`` object: reasoning, output text, function calls, usage, status.

    A body carrying an ``error`` object raises it; a field of the wrong type raises
    :class:`~modelverse_core.errors.ShapeError`.
    """
    body = shape.event(body, "the response body")
    shape.reported_error(body)
    reasoning: list[str] = []
    texts: list[str] = []
    calls: list[ToolCall] = []
    for item in shape.array(body.get("output"), "output"):
        item = shape.event(item, "output[]")
        kind = item.get("type")
        if kind == "reasoning":
            reasoning += reasoning_texts(item)
        elif kind == "message":
            texts += output_texts(item)
        elif kind == "function_call":
            calls.append(parse_function_call(item))
    inline_reasoning, content = split_think("".join(texts))
    choice = Choice(
        content=content,
        reasoning=REASONING_SEPARATOR.join(reasoning) + inline_reasoning,
        tool_calls=unique_tool_call_ids(calls),
        finish_reason=finish_reason(body, bool(calls)),
    )
    return Result(choices=(choice,), usage=parse_responses_usage(body.get("usage")), raw=body, **response_meta(body))


def reasoning_texts(item: Mapping[str, Any]) -> list[str]:
    """The non-empty texts of a reasoning item: ``summary`` parts, then ``reasoning_text`` content."""
    summary, content = shape.array(item.get("summary"), "reasoning.summary"), item.get("content")
    parts = [*summary, *shape.array(content, "reasoning.content")]
    texts = (shape.text(shape.event(part, "reasoning part").get("text"), "reasoning part.text") for part in parts)
    return [text for text in texts if text]


def output_texts(item: Mapping[str, Any]) -> list[str]:
    """The ``output_text`` parts of a ``message`` item."""
    parts = (shape.event(part, "message.content[]") for part in shape.array(item.get("content"), "message.content"))
    return [shape.text(part.get("text"), "output_text.text") for part in parts if part.get("type") == "output_text"]


def parse_function_call(item: Mapping[str, Any]) -> ToolCall:
    """A ``function_call`` item; its ``call_id`` is the id tool results answer."""
    return ToolCall.from_arguments(
        _call_id(item),
        shape.text(item.get("name"), "function_call.name"),
        shape.arguments(item.get("arguments"), "function_call.arguments"),
    )


def _call_id(item: Mapping[str, Any]) -> str:
    return shape.text(item.get("call_id"), "function_call.call_id") or shape.text(item.get("id"), "function_call.id")


def finish_reason(body: Mapping[str, Any], called: bool) -> str | None:
    """The chat finish reason a response's ``status`` stands for."""
    status = body.get("status")
    if status == "incomplete":
        details = shape.obj(body.get("incomplete_details"), "incomplete_details")
        reason = str(details.get("reason") or "max_output_tokens")
        return _INCOMPLETE_REASONS.get(reason, reason)
    if status in ("completed", None):
        return "tool_calls" if called else "stop"
    return str(status)


def parse_responses_usage(data: object) -> Usage | None:
    """``input_tokens``, ``output_tokens`` and their cached and reasoning details; ``None`` when absent."""
    if data is None:
        return None
    data = shape.obj(data, "usage")
    input_details = shape.obj(data.get("input_tokens_details"), "usage.input_tokens_details")
    output_details = shape.obj(data.get("output_tokens_details"), "usage.output_tokens_details")
    prompt = shape.count(data.get("input_tokens"), "usage.input_tokens")
    completion = shape.count(data.get("output_tokens"), "usage.output_tokens")
    return Usage(
        prompt_tokens=prompt,
        completion_tokens=completion,
        total_tokens=shape.count(data.get("total_tokens"), "usage.total_tokens") or prompt + completion,
        reasoning_tokens=shape.count(output_details.get("reasoning_tokens"), "usage.reasoning_tokens"),
        cached_tokens=shape.count(input_details.get("cached_tokens"), "usage.cached_tokens"),
    )


def response_meta(response: Mapping[str, Any]) -> dict[str, Any]:
    """``id``, ``created``, ``model`` and the SFT ``model_version`` of a response object."""
    model, version = split_model_version(str(response.get("model") or ""))
    return {
        "id": response_id(response.get("id")),
        "created": response.get("created_at"),
        "model": model or None,
        "model_version": version,
    }


# ---------------------------------------------------------------- streams


class _CallParts(ToolCallParts):
    __slots__ = ("index",)

    def __init__(self, index: int, item: Mapping[str, Any], taken: Iterable[str]) -> None:
        call_id = usable_tool_call_id(_call_id(item), taken)
        super().__init__(call_id, shape.text(item.get("name"), "function_call.name"))
        self.index = index

    def add(self, arguments: str, *, first: bool = False) -> ToolCallDelta:
        """Record more arguments; the call's first delta also names it."""
        self.append(arguments)
        if first:
            return ToolCallDelta(index=self.index, id=self.id, name=self.name, arguments=arguments)
        return ToolCallDelta(index=self.index, arguments=arguments)


class ResponsesAccumulator:
    """Assembles a streamed response from its typed events into the chat deltas and result.

    ``response.failed`` and ``error`` events raise :class:`StreamEventError`,
    which the client maps through the error table; a stream without
    ``response.completed`` (or ``response.incomplete``) is not finished.
    """

    def __init__(self) -> None:
        self._meta: dict[str, Any] = {"id": None, "model": None, "model_version": None}
        self._created: int | None = None
        self._answer = TextParts()
        self._reasoning_key: tuple[Any, ...] | None = None
        self._calls: dict[int, _CallParts] = {}
        self._finish_reason: str | None = None
        self._final: Mapping[str, Any] | None = None
        self.usage: Usage | None = None
        self.raw: Mapping[str, Any] | None = None

    @property
    def finished(self) -> bool:
        """Whether ``response.completed`` (or ``response.incomplete``) arrived."""
        return self._finish_reason is not None

    def add(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        """Take one decoded event; return what it added (most events add nothing)."""
        event = shape.event(event)
        handler = _HANDLERS.get(str(event.get("type")))
        self.raw = event
        return handler(self, event) if handler is not None else []

    def snapshot(self, index: int = 0) -> Choice:
        """The answer so far; tool-call arguments may still be partial.

        Called once per chunk by the plugins' streams, so only the text added since the last call is joined.
        """
        return Choice(
            index=index,
            content=joined(self._answer.content),
            reasoning=joined(self._answer.reasoning),
            tool_calls=tuple(parts.build() for parts in self._calls.values()),
            finish_reason=self._finish_reason,
        )

    def result(self) -> Result:
        """The whole answer, as :func:`parse_responses` gives it for the final response object."""
        return Result(
            choices=(self.snapshot(),),
            usage=self.usage,
            raw=self._final or {},
            created=self._created,
            **self._meta,
        )

    # -- event handlers

    def _started(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        self._take_meta(shape.obj(event.get("response"), "response"))
        return []

    def _take_meta(self, response: Mapping[str, Any]) -> None:
        meta = response_meta(response)
        self._created = meta.pop("created") or self._created
        self._meta.update({k: v for k, v in meta.items() if v is not None})

    def _text(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        reasoning, content = self._answer.add_text("", shape.text(event.get("delta"), "output_text.delta"))
        return self._emit(content=content, reasoning=reasoning)

    def _summary(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        key = (event.get("item_id"), event.get("output_index"), "summary", event.get("summary_index"))
        return self._reasoned(key, shape.text(event.get("delta"), "reasoning_summary_text.delta"))

    def _reasoning_text(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        key = (event.get("item_id"), event.get("output_index"), "content", event.get("content_index"))
        return self._reasoned(key, shape.text(event.get("delta"), "reasoning_text.delta"))

    def _reasoned(self, key: tuple[Any, ...], text: str) -> list[StreamDelta]:
        if not text:
            return []
        if key != self._reasoning_key and self._answer.reasoning:
            text = REASONING_SEPARATOR + text
        self._reasoning_key = key
        self._answer.add_text(text, "")
        return self._emit(reasoning=text)

    def _item_added(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        item = shape.obj(event.get("item"), "output_item.added.item")
        if item.get("type") != "function_call":
            return []
        arguments = shape.arguments(item.get("arguments"), "item.arguments")
        return self._emit(tool_calls=(self._call(event).add(arguments, first=True),))

    def _arguments(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        delta = shape.arguments(event.get("delta"), "function_call_arguments.delta")
        return self._emit(tool_calls=(self._call(event).add(delta),))

    def _item_done(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        """A call whose arguments were not (all) streamed as deltas gets the rest from the finished item."""
        item = shape.obj(event.get("item"), "output_item.done.item")
        if item.get("type") != "function_call":
            return []
        known = shape.index(event.get("output_index"), "output_index") in self._calls
        parts = self._call(event)
        sent, whole = "".join(parts.arguments), shape.arguments(item.get("arguments"), "item.arguments")
        rest = whole[len(sent) :] if whole.startswith(sent) else ""
        if known and not rest:
            return []
        return self._emit(tool_calls=(parts.add(rest, first=not known),))

    def _call(self, event: Mapping[str, Any]) -> _CallParts:
        key = shape.index(event.get("output_index"), "output_index")
        parts = self._calls.get(key)
        if parts is None:
            taken = [other.id for other in self._calls.values()]
            item = shape.obj(event.get("item"), "item")
            parts = self._calls[key] = _CallParts(len(self._calls), item, taken)
        return parts

    def _completed(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        response = shape.obj(event.get("response"), "response")
        self._final = self.raw = response
        self._take_meta(response)
        self.usage = parse_responses_usage(response.get("usage"))
        output = (shape.event(item, "response.output[]") for item in shape.array(response.get("output"), "output"))
        called = bool(self._calls) or any(item.get("type") == "function_call" for item in output)
        self._finish_reason = finish_reason(response, called) or "stop"
        reasoning, content = self._answer.finish()
        return self._emit(content=content, reasoning=reasoning, finish_reason=self._finish_reason, usage=self.usage)

    def _failed(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        response = shape.obj(event.get("response"), "response")
        error = response.get("error") or {"message": f"response {response.get('id')} failed"}
        raise _error_event(error if isinstance(error, Mapping) else {"message": str(error)})

    def _error(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        raise _error_event(event)

    def _emit(
        self,
        *,
        content: str = "",
        reasoning: str = "",
        tool_calls: tuple[ToolCallDelta, ...] = (),
        finish_reason: str | None = None,
        usage: Usage | None = None,
    ) -> list[StreamDelta]:
        if not (content or reasoning or tool_calls or finish_reason):
            return []
        delta = StreamDelta(
            content=content,
            reasoning=reasoning,
            tool_calls=tool_calls,
            finish_reason=finish_reason,
            usage=usage,
            **self._meta,
        )
        return [delta]


def _error_event(error: Mapping[str, Any]) -> StreamEventError:
    body = {key: error.get(key) for key in ("message", "type", "code", "param") if key in error}
    code = str(error.get("code") or "")
    message = str(error.get("message") or "the service reported an error in the stream")
    return StreamEventError(message, body, _FAILURE_STATUS.get(code, 400))


_Handler = Callable[[ResponsesAccumulator, Mapping[str, Any]], list[StreamDelta]]
_HANDLERS: dict[str, _Handler] = {
    "response.created": ResponsesAccumulator._started,
    "response.in_progress": ResponsesAccumulator._started,
    "response.output_text.delta": ResponsesAccumulator._text,
    "response.reasoning_summary_text.delta": ResponsesAccumulator._summary,
    "response.reasoning_text.delta": ResponsesAccumulator._reasoning_text,
    "response.output_item.added": ResponsesAccumulator._item_added,
    "response.function_call_arguments.delta": ResponsesAccumulator._arguments,
    "response.output_item.done": ResponsesAccumulator._item_done,
    "response.completed": ResponsesAccumulator._completed,
    "response.incomplete": ResponsesAccumulator._completed,
    "response.failed": ResponsesAccumulator._failed,
    "error": ResponsesAccumulator._error,
}

RESPONSES = Wire("responses", "/responses", build, parse_responses, ResponsesAccumulator, history="input")
"""``POST /v1/responses``, selected by ``use_responses_api=True``."""


__getattr__ = moved(  # the old names, for one release
    __name__,
    {
        "build_responses_request": "modelverse_core.pipeline",
        "CHAT_ONLY_PARAMS": "modelverse_core.limits:RESPONSES_REFUSES",
    },
)
