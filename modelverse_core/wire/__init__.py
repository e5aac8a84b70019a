"""The documented inference endpoints, one wire format each, over the same core types.

A :class:`Wire` names where a request goes and how its answer becomes core
types: ``parse`` turns a whole response body into a :class:`ChatResult`, and
``accumulator()`` gives a fresh :class:`Accumulator` that turns decoded stream
events into :class:`StreamDelta` objects. The client sends any wire the same
way (one retry layer, one error table, one stream wrapper); the plugins pick a
wire, they never learn a second format. Each format's request encoding lives
beside its parser: chat in :mod:`modelverse_core.request`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..response import parse_response
from ..stream import StreamAccumulator
from ..types import ChatResult, Choice, StreamDelta, Usage


class Accumulator(Protocol):
    """Assembles one streamed answer from decoded events; shared by sync and async paths."""

    usage: Usage | None
    raw: Mapping[str, Any] | None
    """The event last added as the server sent it; for the Responses API, once it completes, the response."""

    @property
    def finished(self) -> bool:
        """Whether the server said the answer is complete; a stream ending before that was cut short."""

    def add(self, event: Mapping[str, Any]) -> list[StreamDelta]:
        """Take one decoded event; return what it added."""

    def snapshot(self, index: int = 0) -> Choice:
        """A choice as accumulated so far."""

    def result(self) -> ChatResult:
        """The whole answer, as parsing the equivalent non-streamed body would give it."""


@dataclass(frozen=True)
class Wire:
    """One endpoint's path, body parser and stream accumulator."""

    name: str
    path: str
    parse: Callable[[Mapping[str, Any]], ChatResult]
    accumulator: Callable[[], Accumulator]


CHAT = Wire("chat", "/chat/completions", parse_response, StreamAccumulator)
"""``POST /v1/chat/completions``, the default."""

__all__ = ["CHAT", "Accumulator", "Wire"]
