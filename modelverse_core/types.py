"""Framework-neutral, immutable types shared by both plugins.

Plugins convert their framework's messages into these types and back; only
:mod:`modelverse_core` ever sees the wire format.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._deprecated import moved
from .errors import ParameterError
from .jsonio import encode_arguments, standard_loads

Role = Literal["system", "user", "assistant", "tool"]
ReasoningPolicy = Literal["auto", "always", "never"]


@dataclass(frozen=True, slots=True)
class TextPart:
    """A piece of text inside a multi-part message."""

    text: str


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image given by an ``http(s)`` URL or a ``data:`` URL."""

    url: str
    detail: str | None = None

    @classmethod
    def from_bytes(cls, data: bytes, mime_type: str = "image/png", detail: str | None = None) -> ImagePart:
        """Build an image part from raw bytes, sent as a base64 data URL."""
        return cls.from_base64(base64.b64encode(data).decode("ascii"), mime_type, detail)

    @classmethod
    def from_base64(cls, data: str, mime_type: str = "image/png", detail: str | None = None) -> ImagePart:
        """Build an image part from base64 text, sent as a data URL."""
        return cls(url=f"data:{mime_type};base64,{data}", detail=detail)


Part = TextPart | ImagePart
Content = str | tuple[Part, ...]


class _Factory:
    """The default of a field made by its ``default_factory``, shown as the dataclass's own ``__init__`` shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY: Any = _Factory()


@dataclass(frozen=True, slots=True, init=False)
class ToolCall:
    """A complete tool call; ``arguments`` is the JSON text exactly as sent or received.

    ``args`` is the decoded object, or ``None`` with ``error`` set when the
    text is not a JSON object: a bad call is kept, never dropped.
    """

    id: str
    name: str
    arguments: str
    args: Mapping[str, Any] | None = None
    error: str | None = None

    def __init__(
        self, id: str, name: str, arguments: str, args: Mapping[str, Any] | None = None, error: str | None = None
    ) -> None:
        # The dataclass's own __init__, with each slot set through its descriptor (see _slot_setters).
        _CALL_ID(self, id)
        _CALL_NAME(self, name)
        _CALL_ARGUMENTS(self, arguments)
        _CALL_ARGS(self, args)
        _CALL_ERROR(self, error)

    @classmethod
    def from_arguments(cls, id: str, name: str, arguments: str) -> ToolCall:
        """Build a call from JSON text, decoding it and keeping any decoding error."""
        args, error = decode_arguments(arguments)
        return cls(id=id, name=name, arguments=arguments, args=args, error=error)

    @classmethod
    def from_args(cls, id: str, name: str, args: Mapping[str, Any], *, field: str = "tool_calls") -> ToolCall:
        """Build a call from decoded arguments.

        Raises :class:`~modelverse_core.errors.ParameterError` naming ``field`` when they cannot
        be written as JSON (``NaN``, bytes, other objects).
        """
        try:
            text = encode_arguments(args)
        except (TypeError, ValueError, RecursionError) as exc:
            raise ParameterError(field, f"tool-call arguments must be JSON values ({exc})", args) from None
        return cls(id=id, name=name, arguments=text, args=dict(args))


def decode_arguments(arguments: str) -> tuple[dict[str, Any] | None, str | None]:
    """Decode tool-call arguments; an empty string means no arguments."""
    if not arguments.strip():
        return {}, None
    try:
        value = standard_loads(arguments)
    except json.JSONDecodeError as exc:
        return None, f"arguments are not valid JSON: {exc}"
    if not isinstance(value, dict):
        return None, f"arguments must be a JSON object, got {type(value).__name__}"
    return value, None


@dataclass(frozen=True, slots=True, init=False)
class Message:
    """One chat message in neutral form.

    ``reasoning`` is the chain of thought of an earlier assistant turn; whether it
    is sent back is decided by the request's reasoning policy.
    """

    role: Role
    content: Content = ""
    reasoning: str | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    tool_call_id: str | None = None
    name: str | None = None

    def __init__(
        self,
        role: Role,
        content: Content = "",
        reasoning: str | None = None,
        tool_calls: tuple[ToolCall, ...] = (),
        tool_call_id: str | None = None,
        name: str | None = None,
    ) -> None:
        # The dataclass's own __init__, with each slot set through its descriptor (see _slot_setters).
        _ROLE(self, role)
        _CONTENT(self, content)
        _REASONING(self, reasoning)
        _TOOL_CALLS(self, tool_calls)
        _TOOL_CALL_ID(self, tool_call_id)
        _NAME(self, name)


def _slot_setters(cls: type, *names: str) -> tuple[Callable[[Any, Any], None], ...]:
    """The ``__set__`` of each named slot of a frozen dataclass.

    A frozen dataclass's generated ``__init__`` sets each field with ``object.__setattr__``, which looks
    the slot up again every time; a history builds one :class:`Message` per message and one
    :class:`ToolCall` per earlier call on every request, and this sets them in half the time.
    """
    return tuple(cls.__dict__[name].__set__ for name in names)


_CALL_ID, _CALL_NAME, _CALL_ARGUMENTS, _CALL_ARGS, _CALL_ERROR = _slot_setters(
    ToolCall, "id", "name", "arguments", "args", "error"
)
_ROLE, _CONTENT, _REASONING, _TOOL_CALLS, _TOOL_CALL_ID, _NAME = _slot_setters(
    Message, "role", "content", "reasoning", "tool_calls", "tool_call_id", "name"
)


def no_parameters() -> dict[str, Any]:
    """The JSON schema of a function that takes no arguments: a tool's parameters when none are given."""
    return {"type": "object", "properties": {}}


@dataclass(frozen=True, slots=True, init=False)
class ToolSpec:
    """A function the model may call; ``parameters`` is a JSON schema."""

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(default_factory=no_parameters)
    strict: bool | None = None

    def __init__(
        self, name: str, description: str = "", parameters: Mapping[str, Any] = _FACTORY, strict: bool | None = None
    ) -> None:
        # The dataclass's own __init__, with each slot set through its descriptor (see _slot_setters).
        _SPEC_NAME(self, name)
        _SPEC_DESCRIPTION(self, description)
        _SPEC_PARAMETERS(self, no_parameters() if parameters is _FACTORY else parameters)
        _SPEC_STRICT(self, strict)


_SPEC_NAME, _SPEC_DESCRIPTION, _SPEC_PARAMETERS, _SPEC_STRICT = _slot_setters(
    ToolSpec, "name", "description", "parameters", "strict"
)


@dataclass(frozen=True, slots=True)
class ForcedTool:
    """A ``tool_choice`` that forces one named tool."""

    name: str


ToolChoice = Literal["auto", "none", "required"] | ForcedTool


@dataclass(frozen=True, slots=True)
class JsonObjectFormat:
    """``response_format`` of type ``json_object``."""


@dataclass(frozen=True, slots=True)
class JsonSchemaFormat:
    """``response_format`` of type ``json_schema``."""

    name: str
    schema: Mapping[str, Any]
    strict: bool | None = None
    description: str | None = None


ResponseFormat = JsonObjectFormat | JsonSchemaFormat


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts, with the reasoning and cached shares always present."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int = 0
    cached_tokens: int = 0


def usage_increment(usage: Usage, before: Usage | None) -> Usage:
    """What the usage reported now adds to the usage reported ``before`` in the same stream.

    Usage is the request's running total, and a server may report it on every chunk (vLLM and
    SGLang with ``stream_options.continuous_usage_stats``): the increments of a stream's
    reports add up to its last report, so a framework that sums per-chunk usage counts it once.
    """
    if before is None:
        return usage
    return Usage(
        usage.prompt_tokens - before.prompt_tokens,
        usage.completion_tokens - before.completion_tokens,
        usage.total_tokens - before.total_tokens,
        usage.reasoning_tokens - before.reasoning_tokens,
        usage.cached_tokens - before.cached_tokens,
    )


@dataclass(frozen=True, slots=True)
class TokenLogprob:
    """One token's log probability, whichever shape the server sent it in.

    ``offset`` is the token's character position in the text (the legacy shape's
    ``text_offset``; ``None`` when the server does not say); ``top`` holds the most
    likely tokens at this position, each a :class:`TokenLogprob` without ``top``.
    ``logprob`` is ``None`` where the server gives none (the first token of an echoed prompt).
    """

    token: str
    logprob: float | None = None
    bytes: tuple[int, ...] | None = None
    offset: int | None = None
    top: tuple[TokenLogprob, ...] = ()


@dataclass(slots=True)
class Choice:
    """One generated alternative of a response.

    ``logprobs`` is the chat endpoint's object as sent; ``token_logprobs`` the
    same information from any endpoint, normalised (``None`` when none was sent).
    Like :class:`StreamDelta` it is not frozen: a stream builds one, the answer so far, for
    every chunk. Treat it as read-only.
    """

    index: int = 0
    content: str = ""
    reasoning: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None
    logprobs: Any = None
    token_logprobs: tuple[TokenLogprob, ...] | None = None


@dataclass(frozen=True, slots=True)
class Result:
    """A parsed answer of any endpoint; the first choice is reachable directly."""

    choices: tuple[Choice, ...]
    id: str | None = None
    created: int | None = None
    model: str | None = None
    model_version: str | None = None
    system_fingerprint: str | None = None
    usage: Usage | None = None
    search_results: tuple[Any, ...] | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def choice(self) -> Choice:
        """The first choice (an empty one if the server sent none)."""
        return self.choices[0] if self.choices else Choice()

    @property
    def content(self) -> str:
        """The first choice's answer text."""
        return self.choice.content

    @property
    def reasoning(self) -> str:
        """The first choice's reasoning text."""
        return self.choice.reasoning

    @property
    def tool_calls(self) -> tuple[ToolCall, ...]:
        """The first choice's tool calls."""
        return self.choice.tool_calls

    @property
    def finish_reason(self) -> str | None:
        """The first choice's finish reason."""
        return self.choice.finish_reason


@dataclass(frozen=True, slots=True, init=False)
class ToolCallDelta:
    """A fragment of a streamed tool call; fragments with one ``index`` form one call."""

    index: int
    id: str | None = None
    name: str | None = None
    arguments: str = ""

    def __init__(self, index: int, id: str | None = None, name: str | None = None, arguments: str = "") -> None:
        # The dataclass's own __init__, with each slot set through its descriptor (see _slot_setters):
        # a stream builds one per piece of a tool call's arguments.
        _DELTA_INDEX(self, index)
        _DELTA_ID(self, id)
        _DELTA_NAME(self, name)
        _DELTA_ARGUMENTS(self, arguments)


_DELTA_INDEX, _DELTA_ID, _DELTA_NAME, _DELTA_ARGUMENTS = _slot_setters(
    ToolCallDelta, "index", "id", "name", "arguments"
)


@dataclass(slots=True)
class StreamDelta:
    """What one stream chunk added. ``usage`` is set when the chunk carried usage: the request's running
    total (most servers send it once, on the last chunk; some on every chunk).

    ``token_logprobs`` are the log probabilities of this chunk's tokens, when asked for.
    Unlike most core types it is not frozen: one is built for every streamed chunk, and a
    frozen dataclass takes three times as long to build. Treat it as read-only.
    """

    index: int = 0
    content: str = ""
    reasoning: str = ""
    tool_calls: tuple[ToolCallDelta, ...] = ()
    finish_reason: str | None = None
    usage: Usage | None = None
    id: str | None = None
    model: str | None = None
    model_version: str | None = None
    system_fingerprint: str | None = None
    search_results: tuple[Any, ...] | None = None
    token_logprobs: tuple[TokenLogprob, ...] | None = None


@dataclass(frozen=True, slots=True)
class RemoteModel:
    """One entry of ``GET /v1/models``."""

    id: str
    created: int | None = None
    owned_by: str | None = None


__getattr__ = moved(__name__, {"ChatResult": "modelverse_core.types:Result"})  # the old name, for one release
