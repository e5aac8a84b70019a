"""``POST /v1/chat/completions``, the default endpoint: its request encoder, body parser and stream accumulator.

Requests: messages in the documented form (``text`` and ``image_url`` parts, tool calls
and results, earlier reasoning as ``reasoning_content`` where the request says), the
parameters under their documented names, function tools, ``tool_choice`` and
``response_format``. Answers: each choice's ``message`` (``reasoning_content``, or
``reasoning`` as some servers name it, and a leading ``<think>`` block moved to the
reasoning), tool calls with unique ids, usage, ``search_results`` and the SFT model version.
Streams: deltas by choice index, tool calls grouped as real servers send them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import shape
from ..errors import ParameterError
from ..logprobs import parse_logprobs
from ..thinking import split_think
from ..types import (
    Choice,
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
)
from .base import Wire
from .choices import ChoiceParts, ChoicesAccumulator, StreamMeta, parse_choices
from .common import (
    ToolCallParts,
    as_dict,
    encode_content,
    encode_params,
    finish_body,
    unique_tool_call_ids,
    usable_tool_call_id,
)

if TYPE_CHECKING:
    from ..call import Request

# ---------------------------------------------------------------- requests


def build(request: Request) -> dict[str, Any]:
    """The ``POST /chat/completions`` body of a checked request; ``extra_body`` is merged last."""
    body: dict[str, Any] = {
        "model": request.model,
        "messages": encode_messages(request.messages, request.send_reasoning),
    }
    body.update(encode_params(request.params))
    if request.tools:
        body["tools"] = [encode_tool(tool) for tool in request.tools]
    if request.tool_choice is not None:
        body["tool_choice"] = encode_tool_choice(request.tool_choice)
    if request.response_format is not None:
        body["response_format"] = encode_response_format(request.response_format)
    return finish_body(body, stream=request.stream, include_usage=request.include_usage, extra_body=request.extra_body)


def encode_messages(messages: Sequence[Message], send_reasoning: Sequence[bool]) -> list[dict[str, Any]]:
    """Encode messages, each with its reasoning where ``send_reasoning`` says."""
    return [encode_message(m, send_reasoning=send) for m, send in zip(messages, send_reasoning, strict=True)]


def encode_message(message: Message, *, send_reasoning: bool = False) -> dict[str, Any]:
    """Encode one message in the documented wire form."""
    content = message.content
    out: dict[str, Any] = {
        "role": message.role,
        "content": content if isinstance(content, str) else encode_content(content, encode_part),
    }
    if message.name:
        out["name"] = message.name
    if message.role == "tool":
        out["tool_call_id"] = message.tool_call_id
    if message.tool_calls:
        out["content"] = out["content"] or None
        out["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
            for c in message.tool_calls
        ]
    if send_reasoning and message.role == "assistant" and message.reasoning:
        out["reasoning_content"] = message.reasoning
    return out


def encode_part(part: Part) -> dict[str, Any]:
    """Encode one content part."""
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart):
        image: dict[str, Any] = {"url": part.url}
        if part.detail:
            image["detail"] = part.detail
        return {"type": "image_url", "image_url": image}
    raise ParameterError("content", "parts must be text or image_url", part)


def encode_tool(tool: ToolSpec) -> dict[str, Any]:
    """Encode a tool spec as an OpenAI ``function`` tool."""
    function: dict[str, Any] = {
        "name": tool.name,
        "description": tool.description,
        "parameters": as_dict(tool.parameters),
    }
    if tool.strict is not None:
        function["strict"] = tool.strict
    return {"type": "function", "function": function}


def encode_tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    """``auto`` / ``none`` / ``required``, or one forced function."""
    if isinstance(choice, ForcedTool):
        return {"type": "function", "function": {"name": choice.name}}
    return choice


def encode_response_format(fmt: ResponseFormat) -> dict[str, Any]:
    """``json_object`` or ``json_schema``."""
    if isinstance(fmt, JsonObjectFormat):
        return {"type": "json_object"}
    schema: dict[str, Any] = {"name": fmt.name, "schema": as_dict(fmt.schema)}
    if fmt.description:
        schema["description"] = fmt.description
    if fmt.strict is not None:
        schema["strict"] = fmt.strict
    return {"type": "json_schema", "json_schema": schema}


# ---------------------------------------------------------------- answers


def parse_response(body: Mapping[str, Any]) -> Result:
    """Parse a ``chat.completion`` body; unknown fields are kept in ``raw``.

    A body carrying an ``error`` object raises it; one without choices, or with a field of
    the wrong type, raises :class:`~modelverse_core.errors.ShapeError`.
    """
    return parse_choices(body, parse_choice)


def parse_choice(data: Mapping[str, Any]) -> Choice:
    """Parse one ``choices[]`` entry, splitting reasoning from the answer."""
    message = shape.obj(data.get("message"), "choices[].message")
    inline_reasoning, content = split_think(shape.text(message.get("content"), "choices[].message.content"))
    calls = shape.array(message.get("tool_calls"), "choices[].message.tool_calls")
    return Choice(
        index=shape.index(data.get("index"), "choices[].index"),
        content=content,
        reasoning=reasoning_field(message) + inline_reasoning,
        tool_calls=unique_tool_call_ids(parse_tool_call(shape.event(c, "a tool call")) for c in calls),
        finish_reason=shape.optional_text(data.get("finish_reason"), "choices[].finish_reason"),
        logprobs=data.get("logprobs"),
        token_logprobs=parse_logprobs(data.get("logprobs")),
    )


def reasoning_field(message: Mapping[str, Any]) -> str:
    """The reasoning text of a message or delta: ``reasoning_content``, else ``reasoning``."""
    value = message.get("reasoning_content")
    if value is None:
        return shape.text(message.get("reasoning"), "reasoning")
    return shape.text(value, "reasoning_content")


def parse_tool_call(data: Mapping[str, Any]) -> ToolCall:
    """Parse one tool call; invalid JSON arguments are kept with the error, an object of arguments as its JSON."""
    function = shape.obj(data.get("function"), "tool_calls[].function")
    return ToolCall.from_arguments(
        id=shape.text(data.get("id"), "tool_calls[].id"),
        name=shape.text(function.get("name"), "tool_calls[].function.name"),
        arguments=shape.arguments(function.get("arguments"), "tool_calls[].function.arguments"),
    )


# ---------------------------------------------------------------- streams


class _ChatToolCallParts(ToolCallParts):
    """A chat stream's tool call, with its position in the message and the id the server gave it."""

    __slots__ = ("position", "source_id")

    def __init__(self, call_id: str, position: int, source_id: str | None) -> None:
        super().__init__(call_id)
        self.position = position
        self.source_id = source_id

    def add(self, fragment: _Fragment) -> None:
        if fragment.name and not self.name:
            self.name = fragment.name
            self._call = None
        self.append(fragment.arguments)


class _ChatChoiceParts(ChoiceParts):
    """A streamed chat choice: what every choice holds, and its tool calls."""

    __slots__ = ("_open", "tool_calls")

    def __init__(self) -> None:
        super().__init__()
        self.tool_calls: list[_ChatToolCallParts] = []
        self._open: dict[int, _ChatToolCallParts] = {}  # the call each server index last started

    def calls(self) -> tuple[ToolCall, ...]:
        """The tool calls so far; arguments may still be partial."""
        return tuple([parts.build() for parts in self.tool_calls]) if self.tool_calls else ()

    def add_tool_call(self, fragment: _Fragment) -> ToolCallDelta:
        """Add a fragment; return it as a delta indexed by its call's position in the message.

        The first fragment of a call carries its id, made unique in the message. A fragment
        continues the call open at its index (without an index, the last call), unless it
        starts one: there is none, or it names a function under an id other than that call's
        (parallel calls that share an index, as DashScope and Ollama send them). A new call
        always names its function, so an id that changes inside one call does not split it.
        """
        parts = self._continued(fragment)
        first = parts is None
        if parts is None:
            call_id = usable_tool_call_id(fragment.id, (p.id for p in self.tool_calls))
            parts = _ChatToolCallParts(call_id, len(self.tool_calls), fragment.id)
            self.tool_calls.append(parts)
            if fragment.server_index is not None:
                self._open[fragment.server_index] = parts
        parts.add(fragment)
        return ToolCallDelta(parts.position, parts.id if first else None, fragment.name, fragment.arguments)

    def _continued(self, fragment: _Fragment) -> _ChatToolCallParts | None:
        """The call a fragment continues; ``None`` when it starts one."""
        if fragment.server_index is None:
            parts = self.tool_calls[-1] if self.tool_calls else None
        else:
            parts = self._open.get(fragment.server_index)
        if parts is not None and fragment.id and fragment.name and fragment.id != parts.source_id:
            return None
        return parts


class ChatAccumulator(ChoicesAccumulator[_ChatChoiceParts]):
    """Assembles a streamed chat completion: content, reasoning and tool calls by choice, usage, metadata."""

    def __init__(self) -> None:
        super().__init__(_ChatChoiceParts)

    def add_choice(self, choice: object, meta: StreamMeta) -> StreamDelta:
        """One ``choices[]`` entry of a ``chat.completion.chunk``: its delta's text, reasoning, tool calls, logprobs."""
        choice, index, parts, finish_reason = self.choice_parts(choice)
        # As in choice_parts: the shape helpers only off the types a decoded chunk nearly always has.
        delta = choice.get("delta")
        if type(delta) is not dict:
            delta = shape.obj(delta, "choices[].delta")
        content = delta.get("content")
        if type(content) is not str:
            content = shape.text(content, "choices[].delta.content")
        reasoning = delta.get("reasoning_content")
        if type(reasoning) is not str:
            reasoning = reasoning_field(delta)
        if reasoning or content or finish_reason is not None:  # otherwise there is nothing to add
            reasoning, content = parts.add_text(reasoning, content, finish_reason is not None)
        raw_calls = delta.get("tool_calls")
        if raw_calls is not None and type(raw_calls) is not list:
            raw_calls = shape.array(raw_calls, "choices[].delta.tool_calls")
        tool_calls = tuple([parts.add_tool_call(_tool_call_fragment(raw)) for raw in raw_calls]) if raw_calls else ()
        logprobs = choice.get("logprobs")
        token_logprobs = None
        if logprobs and isinstance(logprobs, Mapping):
            entries = logprobs.get("content")
            if isinstance(entries, list):
                parts.logprobs.extend(entries)
            token_logprobs = parts.add_logprobs(logprobs)
        return meta.delta(index, content, reasoning, tool_calls, finish_reason, token_logprobs)


class _Fragment(NamedTuple):
    """One streamed tool-call fragment as the server sent it; ``id`` is ``None`` when missing or blank."""

    server_index: int | None
    id: str | None
    name: str | None
    arguments: str


def _tool_call_fragment(raw: object) -> _Fragment:
    raw = shape.event(raw, "choices[].delta.tool_calls[]")
    function = shape.obj(raw.get("function"), "choices[].delta.tool_calls[].function")
    index, call_id, name, arguments = raw.get("index"), raw.get("id"), function.get("name"), function.get("arguments")
    if type(index) is int and index >= 0 and call_id is None and name is None and type(arguments) is str:
        return _Fragment(index, None, None, arguments)  # a piece of arguments, as nearly every one is: as checked
    return _checked_fragment(index, call_id, name, arguments)


def _checked_fragment(index: object, call_id: object, name: object, arguments: object) -> _Fragment:
    """A fragment of these fields' values, each checked; ``ShapeError`` names the field of the wrong type."""
    call_id = shape.text(call_id, "choices[].delta.tool_calls[].id")
    return _Fragment(
        None if index is None else shape.index(index, "choices[].delta.tool_calls[].index"),
        call_id if call_id.strip() else None,
        shape.optional_text(name, "choices[].delta.tool_calls[].function.name"),
        shape.arguments(arguments, "choices[].delta.tool_calls[].function.arguments"),
    )


CHAT = Wire("chat", "/chat/completions", build, parse_response, ChatAccumulator, history="messages")
"""``POST /v1/chat/completions``, the default."""
