"""One call in neutral form, and the same call prepared for an endpoint.

A plugin turns its framework's messages and a call's options into a
:class:`Request` (:mod:`modelverse_core.options`); the pipeline checks it and the
endpoint's wire encodes it (:func:`modelverse_core.pipeline.prepare`), giving a
:class:`Prepared` call, which the client sends whatever the endpoint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .catalog import ModelInfo
from .limits import CompletionParams, SamplingParams
from .structured import relaxed_body
from .types import Message, ReasoningPolicy, ResponseFormat, ToolChoice, ToolSpec
from .wire.base import Wire


@dataclass(slots=True)
class Request:
    """What one call asks for, whichever endpoint it goes to.

    ``messages`` for chat completions and the Responses API, ``prompt`` for completions;
    ``params`` are :class:`SamplingParams`, or :class:`CompletionParams` for completions.
    ``send_reasoning`` says, per message, whether its reasoning is sent back: the pipeline
    sets it from ``reasoning_policy``. ``retry_unforced``: a refused forced ``tool_choice``
    is sent again with ``"auto"`` (see :mod:`modelverse_core.structured`).

    Like :class:`~modelverse_core.types.StreamDelta` it is not frozen: one is built, and checked
    into another, on every call, and a frozen dataclass takes twice as long to build. Treat it
    as read-only; nothing in this package changes one it is given.
    """

    model: str
    info: ModelInfo
    messages: Sequence[Message] = ()
    prompt: str | None = None
    params: SamplingParams | CompletionParams = field(default_factory=SamplingParams)
    tools: Sequence[ToolSpec] = ()
    tool_choice: ToolChoice | None = None
    response_format: ResponseFormat | None = None
    stream: bool = False
    include_usage: bool = True
    reasoning_policy: ReasoningPolicy = "auto"
    send_reasoning: Sequence[bool] = ()
    extra_body: Mapping[str, Any] | None = None
    retry_unforced: bool = False

    def with_history(self, messages: Sequence[Message], send_reasoning: Sequence[bool]) -> Request:
        """This request with ``messages`` as sent, and whether each one's reasoning is sent."""
        return Request(  # positional, in field order: this runs on every call
            self.model,
            self.info,
            messages,
            self.prompt,
            self.params,
            self.tools,
            self.tool_choice,
            self.response_format,
            self.stream,
            self.include_usage,
            self.reasoning_policy,
            send_reasoning,
            self.extra_body,
            self.retry_unforced,
        )


@dataclass(frozen=True, slots=True)
class Prepared:
    """A checked request, its endpoint and the body to send there: what the client sends.

    ``text_history`` names the body field holding the history the wire encoded from the checked
    messages (:func:`~modelverse_core.jsonio.encode_body` encodes it faster); ``None`` when the
    body has none, or ``extra_body`` replaced it.
    """

    wire: Wire
    body: dict[str, Any]
    request: Request
    text_history: str | None = None

    def unforced(self, error: BaseException) -> Prepared | None:
        """This call with ``tool_choice: "auto"``, when it may be sent so and ``error`` refused its forced choice.

        ``None`` otherwise: the error stands.
        """
        if not self.request.retry_unforced:
            return None
        body = relaxed_body(self.body, error)
        if body is None:
            return None
        return Prepared(self.wire, body, replace(self.request, tool_choice="auto"), self.text_history)
