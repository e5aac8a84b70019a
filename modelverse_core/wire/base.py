"""What every wire format is: an endpoint's path, its request encoder, its body parser and its stream accumulator.

A :class:`Wire` is all the client and the plugins know of an endpoint: ``build``
turns a checked :class:`~modelverse_core.call.Request` into the body to send,
``parse`` turns a whole response body into a :class:`~modelverse_core.types.Result`,
and ``accumulator()`` gives a fresh :class:`Accumulator` that turns decoded stream
events into :class:`~modelverse_core.types.StreamDelta` objects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from ..types import Choice, Result, StreamDelta, Usage

if TYPE_CHECKING:
    from ..call import Request


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

    def result(self) -> Result:
        """The whole answer, as parsing the equivalent non-streamed body would give it."""


@dataclass(frozen=True)
class Wire:
    """One endpoint: its name, path, request encoder, body parser and stream accumulator."""

    name: str
    path: str
    build: Callable[[Request], dict[str, Any]]
    """The body of a request the pipeline has checked (:func:`modelverse_core.pipeline.prepare`)."""
    parse: Callable[[Mapping[str, Any]], Result]
    accumulator: Callable[[], Accumulator]
    history: str | None = None
    """The body field ``build`` writes the encoded messages to (text, lists and objects only), if any."""
