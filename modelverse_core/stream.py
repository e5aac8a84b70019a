"""A transport-free stream accumulator shared by the sync and async paths.

``add(chunk)`` turns one decoded ``chat.completion.chunk`` into
:class:`StreamDelta` objects; ``result()`` gives the same :class:`ChatResult`
that parsing the equivalent non-streamed response gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from . import shape
from .catalog import split_model_version
from .logprobs import parse_logprobs
from .response import parse_search_results, parse_usage, reasoning_field, response_id, usable_tool_call_id
from .thinking import ThinkSplitter
from .types import ChatResult, Choice, StreamDelta, TokenLogprob, ToolCall, ToolCallDelta, Usage


class ToolCallParts:
    """A streamed tool call: its id, its name and its argument pieces.

    A snapshot per chunk builds every call so far; a call that got no new piece since is
    not joined and parsed again. Nor is one whose arguments stopped inside a JSON string
    (a long string argument, streamed piece by piece) and got only pieces that cannot end
    that string: parsing them would fail where it failed before, with the same error.
    """

    __slots__ = ("_call", "_open_string", "arguments", "id", "name")

    def __init__(self, call_id: str, name: str = "") -> None:
        self.id = call_id
        self.name = name
        self.arguments: list[str] = []
        self._call: ToolCall | None = None
        self._open_string: str | None = None  # the error of arguments ending inside a string

    def append(self, arguments: str) -> None:
        """Add a piece of the arguments."""
        if arguments:
            self.arguments.append(arguments)
            self._call = None
            if self._open_string is not None and not _INSIDE_STRING.fullmatch(arguments):
                self._open_string = None

    def build(self) -> ToolCall:
        """The call as received so far; its arguments may still be partial."""
        if self._call is None:
            text = joined(self.arguments)
            if self._open_string is not None:
                self._call = ToolCall(id=self.id, name=self.name, arguments=text, args=None, error=self._open_string)
            else:
                self._call = ToolCall.from_arguments(self.id, self.name, text)
                self._open_string = self._call.error if _ends_inside_string(text, self._call.error) else None
        return self._call


# What JSON decoding says of arguments that end inside a string, and the pieces that stay
# inside it: no quote, no escape, no control character (each of which ``json`` reads differently).
_UNTERMINATED_STRING = "arguments are not valid JSON: Unterminated string starting at"
_INSIDE_STRING = re.compile(r'[^"\\\x00-\x1f]*')
_LONGEST_ESCAPE = len("\\ud83d\\ude00")


def _ends_inside_string(text: str, error: str | None) -> bool:
    """Whether ``text`` failed to decode only for ending inside a string, clear of any escape sequence.

    A text ending in a backslash, or part of a ``\\u`` escape, fails the same way, but what
    comes next decides whether the escape is valid.
    """
    return error is not None and error.startswith(_UNTERMINATED_STRING) and "\\" not in text[-_LONGEST_ESCAPE:]


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


class TextParts:
    """An answer's text as it streams: its content and reasoning pieces.

    A leading ``<think>`` block of the content moves to the reasoning, however the tags are cut.
    """

    __slots__ = ("content", "reasoning", "splitter")

    def __init__(self) -> None:
        self.splitter = ThinkSplitter()
        self.content: list[str] = []
        self.reasoning: list[str] = []

    def add_text(self, reasoning: str, content: str, *, last: bool = False) -> tuple[str, str]:
        """Add a chunk's reasoning and content (an inline ``<think>`` block moves to reasoning); return both.

        With ``last`` (the chunk that finishes the answer) what the splitter still holds is
        added too, so the deltas of a stream end with all of its text.
        """
        if content:  # an empty piece leaves the splitter as it is
            inline_reasoning, content = self.splitter.feed(content)
            reasoning += inline_reasoning
        reasoning, content = self._keep(reasoning, content)
        if not last:
            return reasoning, content
        held_reasoning, held_content = self.finish()
        return reasoning + held_reasoning, content + held_content

    def finish(self) -> tuple[str, str]:
        """Add what the splitter still holds at the end of the answer; return it."""
        return self._keep(*self.splitter.finish())

    def _keep(self, reasoning: str, content: str) -> tuple[str, str]:
        if reasoning:
            self.reasoning.append(reasoning)
        if content:
            self.content.append(content)
        return reasoning, content


class _ChoiceParts(TextParts):
    __slots__ = ("_open", "finish_reason", "logprobs", "token_logprobs", "tool_calls")

    def __init__(self) -> None:
        super().__init__()
        self.tool_calls: list[_ChatToolCallParts] = []
        self._open: dict[int, _ChatToolCallParts] = {}  # the call each server index last started
        self.finish_reason: str | None = None
        self.logprobs: list[Any] = []
        self.token_logprobs: list[TokenLogprob] = []

    def choice(self, index: int) -> Choice:
        return Choice(  # positional: one is built per chunk for the plugins' snapshots
            index,
            joined(self.content),
            joined(self.reasoning),
            tuple(parts.build() for parts in self.tool_calls) if self.tool_calls else (),
            self.finish_reason,
            {"content": self.logprobs} if self.logprobs else None,
            tuple(self.token_logprobs) if self.token_logprobs else None,
        )

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

    def add_logprobs(self, data: object) -> tuple[TokenLogprob, ...] | None:
        """Add one chunk's log probabilities, of either shape; return them normalised."""
        tokens = parse_logprobs(data)
        if tokens:
            self.token_logprobs.extend(tokens)
        return tokens

    def build(self, index: int) -> Choice:
        self.finish()
        return self.choice(index)


class StreamMeta(NamedTuple):
    """What every delta of a stream carries, in the order of :class:`StreamDelta`'s fields."""

    id: str | None
    model: str | None
    model_version: str | None
    system_fingerprint: str | None
    search_results: tuple[Any, ...] | None = None


class StreamAccumulator:
    """Assembles a streamed completion: content, reasoning and tool calls by index, usage, metadata.

    ``usage`` is the latest usage the server reported (a running total of the request, whether
    it comes once, on the last chunk, or on every chunk); ``raw`` is the chunk last added.
    """

    def __init__(self) -> None:
        self._choices: dict[int, _ChoiceParts] = {}
        self._meta: StreamMeta | None = None
        self._created: int | None = None
        self._search_results: tuple[Any, ...] | None = None
        self.usage: Usage | None = None
        self.raw: Mapping[str, Any] | None = None

    @property
    def finished(self) -> bool:
        """Whether the server sent a finish reason: a stream ending without one was cut short."""
        return any(parts.finish_reason for parts in self._choices.values())

    def snapshot(self, index: int = 0) -> Choice:
        """A choice as accumulated so far; tool-call arguments may still be partial."""
        parts = self._choices.get(index)
        return parts.choice(index) if parts is not None else Choice(index=index)

    def add(self, chunk: Mapping[str, Any]) -> list[StreamDelta]:
        """Take one decoded chunk; return what it added, one delta per choice."""
        chunk = shape.event(chunk)
        meta = self._update_meta(chunk)
        raw_usage = chunk.get("usage")
        usage = None if raw_usage is None else parse_usage(raw_usage)
        deltas = [self._add_choice(choice, meta) for choice in shape.array(chunk.get("choices"), "choices")]
        self.raw = chunk
        if usage is not None:
            self.usage = usage
            if deltas:  # a server that sends usage on every chunk adds no deltas for it
                deltas[-1].usage = usage
            else:
                deltas.append(StreamDelta(usage=usage, **meta._asdict()))
        return deltas

    def result(self) -> ChatResult:
        """The whole completion, as :func:`~modelverse_core.response.parse_response` would give it."""
        choices = tuple(self._choices[i].build(i) for i in sorted(self._choices))
        self._choices = {}
        meta = self._meta._asdict() if self._meta is not None else {}
        meta |= {"created": self._created, "search_results": self._search_results}
        return ChatResult(choices=choices, usage=self.usage, raw=meta, **meta)

    def _update_meta(self, chunk: Mapping[str, Any]) -> StreamMeta:
        """The metadata the deltas of this chunk carry; built once, updated only when it changes.

        ``search_results`` go only on the deltas of the chunk that brought them.
        """
        if self._meta is None:
            model, version = split_model_version(str(chunk.get("model") or ""))
            self._created = chunk.get("created")
            self._meta = StreamMeta(
                response_id(chunk.get("id")), model or None, version, chunk.get("system_fingerprint")
            )
        fingerprint = chunk.get("system_fingerprint")
        if fingerprint and fingerprint != self._meta.system_fingerprint:
            self._meta = self._meta._replace(system_fingerprint=fingerprint)
        if "search_results" not in chunk and "search_result" not in chunk:
            return self._meta
        search = parse_search_results(chunk)
        if search is None:
            return self._meta
        self._search_results = search
        return self._meta._replace(search_results=search)

    def _parts(self, choice: object) -> tuple[Mapping[str, Any], int, _ChoiceParts, str | None]:
        """A streamed choice, its index, what has been accumulated for it, and its finish reason (on its last chunk)."""
        choice = shape.event(choice, "choices[]")
        index = shape.index(choice.get("index"), "choices[].index")
        finish_reason = shape.optional_text(choice.get("finish_reason"), "choices[].finish_reason")
        parts = self._choices.get(index)
        if parts is None:
            parts = self._choices[index] = _ChoiceParts()
        if finish_reason:
            parts.finish_reason = finish_reason
        return choice, index, parts, finish_reason

    def _add_choice(self, choice: object, meta: StreamMeta) -> StreamDelta:
        choice, index, parts, finish_reason = self._parts(choice)
        delta = shape.obj(choice.get("delta"), "choices[].delta")
        content = shape.text(delta.get("content"), "choices[].delta.content")
        reasoning, content = parts.add_text(reasoning_field(delta), content, last=finish_reason is not None)
        raw_calls = shape.array(delta.get("tool_calls"), "choices[].delta.tool_calls")
        tool_calls = tuple(parts.add_tool_call(_tool_call_fragment(raw)) for raw in raw_calls) if raw_calls else ()
        logprobs = choice.get("logprobs")
        token_logprobs = None
        if logprobs and isinstance(logprobs, Mapping):
            entries = logprobs.get("content")
            if isinstance(entries, list):
                parts.logprobs.extend(entries)
            token_logprobs = parts.add_logprobs(logprobs)
        return StreamDelta(index, content, reasoning, tool_calls, finish_reason, None, *meta, token_logprobs)


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


def joined(pieces: list[str]) -> str:
    """The pieces as one string, kept as the list's only piece: a snapshot per chunk joins only what is new.

    An empty list stays empty.
    """
    if len(pieces) > 1:
        pieces[:] = ["".join(pieces)]
    return pieces[0] if pieces else ""


class _Fragment(NamedTuple):
    """One streamed tool-call fragment as the server sent it; ``id`` is ``None`` when missing or blank."""

    server_index: int | None
    id: str | None
    name: str | None
    arguments: str


def _tool_call_fragment(raw: object) -> _Fragment:
    raw = shape.event(raw, "choices[].delta.tool_calls[]")
    function = shape.obj(raw.get("function"), "choices[].delta.tool_calls[].function")
    index = raw.get("index")
    call_id = shape.text(raw.get("id"), "choices[].delta.tool_calls[].id")
    return _Fragment(
        None if index is None else shape.index(index, "choices[].delta.tool_calls[].index"),
        call_id if call_id.strip() else None,
        shape.optional_text(function.get("name"), "choices[].delta.tool_calls[].function.name"),
        shape.arguments(function.get("arguments"), "choices[].delta.tool_calls[].function.arguments"),
    )
