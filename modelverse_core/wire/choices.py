"""The ``choices`` envelope that chat completions and completions share, whole and streamed.

Both endpoints answer with an object holding ``id``, ``model``, ``usage``,
``search_results`` and a list of ``choices``; only what one choice holds differs
(a ``message`` or ``delta``, or ``text``). :func:`parse_choices` and
:class:`ChoicesAccumulator` read the envelope and leave each choice to the
wire module's own parser or :meth:`ChoicesAccumulator.add_choice`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from .. import shape
from ..catalog import split_model_version
from ..errors import ShapeError
from ..logprobs import parse_logprobs
from ..types import Choice, Result, StreamDelta, TokenLogprob, ToolCall, ToolCallDelta, Usage
from .common import TextParts, joined, response_id

# ---------------------------------------------------------------- whole answers


def parse_choices(body: Mapping[str, Any], parse_choice: Callable[[Mapping[str, Any]], Choice]) -> Result:
    """Parse a body of ``choices``, each read by ``parse_choice``; unknown fields are kept in ``raw``.

    A body carrying an ``error`` object raises it (:class:`~modelverse_core.errors.StreamEventError`);
    one without choices, or with a field of the wrong type, raises
    :class:`~modelverse_core.errors.ShapeError`.
    """
    body = shape.event(body, "the response body")
    shape.reported_error(body)
    model, version = split_model_version(str(body.get("model") or "")) if body.get("model") else (None, None)
    raw_choices = shape.array(body.get("choices"), "choices")
    if not raw_choices:
        raise ShapeError("the response has no choices")
    choices = tuple(parse_choice(shape.event(c, f"choices[{i}]")) for i, c in enumerate(raw_choices))
    return Result(
        choices=tuple(sorted(choices, key=lambda c: c.index)),
        id=response_id(body.get("id")),
        created=body.get("created"),
        model=model,
        model_version=version,
        system_fingerprint=body.get("system_fingerprint"),
        usage=parse_usage(body.get("usage")),
        search_results=parse_search_results(body),
        raw=body,
    )


def parse_usage(data: object) -> Usage | None:
    """Parse ``usage``, tolerating ``null`` details; ``None`` when absent."""
    if data is None:
        return None
    data = shape.obj(data, "usage")
    prompt_details = shape.obj(data.get("prompt_tokens_details"), "usage.prompt_tokens_details")
    completion_details = shape.obj(data.get("completion_tokens_details"), "usage.completion_tokens_details")
    cached = prompt_details.get("cached_tokens")
    return Usage(
        prompt_tokens=shape.count(data.get("prompt_tokens"), "usage.prompt_tokens"),
        completion_tokens=shape.count(data.get("completion_tokens"), "usage.completion_tokens"),
        total_tokens=shape.count(data.get("total_tokens"), "usage.total_tokens"),
        reasoning_tokens=shape.count(completion_details.get("reasoning_tokens"), "usage.reasoning_tokens"),
        cached_tokens=shape.count(cached, "usage.cached_tokens")
        or shape.count(data.get("prompt_cache_hit_tokens"), "usage.prompt_cache_hit_tokens"),
    )


def parse_search_results(body: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """``search_results`` (one document spells it ``search_result``), when not empty."""
    value = body.get("search_results")
    if value is None:
        value = body.get("search_result")
    if not value:
        return None
    return tuple(value) if isinstance(value, list) else (value,)


# ---------------------------------------------------------------- streams


class StreamMeta(NamedTuple):
    """What every delta of a stream carries, in the order of :class:`StreamDelta`'s fields."""

    id: str | None
    model: str | None
    model_version: str | None
    system_fingerprint: str | None
    search_results: tuple[Any, ...] | None = None

    def delta(
        self,
        index: int,
        content: str,
        reasoning: str,
        tool_calls: tuple[ToolCallDelta, ...],
        finish_reason: str | None,
        token_logprobs: tuple[TokenLogprob, ...] | None,
    ) -> StreamDelta:
        """What one streamed choice added, carrying this metadata."""
        id_, model, version, fingerprint, search = self  # unpacked: a starred call takes half as long again
        return StreamDelta(
            index, content, reasoning, tool_calls, finish_reason, None, id_, model, version, fingerprint, search,
            token_logprobs,
        )  # fmt: skip


class ChoiceParts(TextParts):
    """One streamed choice: its text, finish reason and log probabilities; a wire module may add more."""

    __slots__ = ("finish_reason", "logprobs", "token_logprobs")

    def __init__(self) -> None:
        super().__init__()
        self.finish_reason: str | None = None
        self.logprobs: list[Any] = []
        self.token_logprobs: list[TokenLogprob] = []

    def calls(self) -> tuple[ToolCall, ...]:
        """The tool calls so far (none here; chat's choices have them)."""
        return ()

    def choice(self, index: int) -> Choice:
        """The choice as accumulated so far."""
        return Choice(  # positional: one is built per chunk for the plugins' snapshots
            index,
            joined(self.content),
            joined(self.reasoning),
            self.calls(),
            self.finish_reason,
            {"content": self.logprobs} if self.logprobs else None,
            tuple(self.token_logprobs) if self.token_logprobs else None,
        )

    def add_logprobs(self, data: object) -> tuple[TokenLogprob, ...] | None:
        """Add one chunk's log probabilities, of either shape; return them normalised."""
        tokens = parse_logprobs(data)
        if tokens:
            self.token_logprobs.extend(tokens)
        return tokens

    def build(self, index: int) -> Choice:
        """The finished choice: what the think-tag splitter still holds is added first."""
        self.finish()
        return self.choice(index)


P = TypeVar("P", bound=ChoiceParts)


class ChoicesAccumulator(Generic[P]):
    """Assembles a streamed answer of ``choices``: each choice by index, usage, metadata.

    ``usage`` is the latest usage the server reported (a running total of the request, whether
    it comes once, on the last chunk, or on every chunk); ``raw`` is the chunk last added. A
    wire module says what one streamed choice holds in :meth:`add_choice`.
    """

    def __init__(self, parts_type: Callable[[], P]) -> None:
        self._parts_type = parts_type  # what is accumulated for each choice
        self._choices: dict[int, P] = {}
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
        if type(chunk) is not dict:  # as in choice_parts: the shape helper only off the common path
            chunk = shape.event(chunk)
        meta = self._update_meta(chunk)
        raw_usage = chunk.get("usage")
        usage = None if raw_usage is None else parse_usage(raw_usage)
        choices = chunk.get("choices")
        if type(choices) is not list:
            choices = shape.array(choices, "choices")
        deltas = [self.add_choice(choice, meta) for choice in choices]
        self.raw = chunk
        if usage is not None:
            self.usage = usage
            if deltas:  # a server that sends usage on every chunk adds no deltas for it
                deltas[-1].usage = usage
            else:
                deltas.append(StreamDelta(usage=usage, **meta._asdict()))
        return deltas

    def result(self) -> Result:
        """The whole answer, as parsing the equivalent non-streamed body would give it."""
        choices = tuple(self._choices[i].build(i) for i in sorted(self._choices))
        self._choices = {}
        meta = self._meta._asdict() if self._meta is not None else {}
        meta |= {"created": self._created, "search_results": self._search_results}
        return Result(choices=choices, usage=self.usage, raw=meta, **meta)

    def add_choice(self, choice: object, meta: StreamMeta) -> StreamDelta:
        """Take one streamed entry of ``choices``; return what it added. Each wire module says how."""
        raise NotImplementedError

    def choice_parts(self, choice: object) -> tuple[Mapping[str, Any], int, P, str | None]:
        """A streamed choice, its index, what has been accumulated for it, and its finish reason (on its last chunk)."""
        # Read through the shape helpers unless of the types a decoded chunk nearly always has:
        # an object, a non-negative integer index, no finish reason (one call less per field).
        if type(choice) is not dict:
            choice = shape.event(choice, "choices[]")
        index = choice.get("index")
        if type(index) is not int or index < 0:
            index = shape.index(index, "choices[].index")
        finish_reason = choice.get("finish_reason")
        if finish_reason is not None:
            finish_reason = shape.optional_text(finish_reason, "choices[].finish_reason")
        parts = self._choices.get(index)
        if parts is None:
            parts = self._choices[index] = self._parts_type()
        if finish_reason:
            parts.finish_reason = finish_reason
        return choice, index, parts, finish_reason

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
