"""Structured output through a tool call, on servers that refuse a forced ``tool_choice`` in thinking mode.

The rule, shared by both plugins:

- a model the catalog knows to think (:attr:`~modelverse_core.catalog.ModelInfo.forced_tool_choice`
  is ``False``) is sent ``tool_choice: "auto"`` with the one schema tool, and its answer is
  read from the tool call;
- a model the catalog knows not to think is sent the forced choice (the named tool, or ``required``);
- a model the catalog does not know is sent the forced choice too, and when the server refuses
  it (a 400 whose message names ``tool_choice``, as DeepSeek's "deepseek-reasoner does not
  support this tool_choice"), the same request is sent once more with ``"auto"``.

``ModelInfo(accepts_forced_tool_choice=...)`` says it for a deployment instead (vLLM, for one,
takes a forced choice from a thinking model).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator, Mapping
from contextlib import aclosing
from typing import Any

from .catalog import ModelInfo
from .client import AsyncChatStream, ChatStream, ModelverseClient
from .errors import InvalidRequestError
from .types import ChatResult, StreamDelta
from .wire import Wire

FORCED = "required"
"""The ``tool_choice`` that forces some tool, whichever."""


def structured_tool_choice(info: ModelInfo, forced: str) -> str:
    """The ``tool_choice`` that asks ``info``'s model for a tool call: ``forced``, or ``"auto"`` if it refuses that."""
    return "auto" if info.forced_tool_choice is False else forced


def retried_unforced(info: ModelInfo) -> bool:
    """Whether a refused forced choice is sent again with ``"auto"``: for a model the catalog does not know."""
    return info.forced_tool_choice is None


def relaxed_body(body: Mapping[str, Any], error: BaseException) -> dict[str, Any] | None:
    """``body`` with ``tool_choice: "auto"`` when ``error`` is the server's refusal of its forced choice.

    ``None`` when the body forces no tool or the error is another one.
    """
    forced = body.get("tool_choice")
    if not (forced == FORCED or isinstance(forced, Mapping)):
        return None
    if not isinstance(error, InvalidRequestError) or "tool_choice" not in str(error):
        return None
    return {**body, "tool_choice": "auto"}


def chat_relaxing(client: ModelverseClient, body: Mapping[str, Any], wire: Wire) -> ChatResult:
    """:meth:`ModelverseClient.chat`, sent again with ``tool_choice: "auto"`` if the server refuses the forced one."""
    try:
        return client.chat(body, wire)
    except InvalidRequestError as exc:
        relaxed = relaxed_body(body, exc)
        if relaxed is None:
            raise
    return client.chat(relaxed, wire)


async def achat_relaxing(client: ModelverseClient, body: Mapping[str, Any], wire: Wire) -> ChatResult:
    """:func:`chat_relaxing`, asynchronously."""
    try:
        return await client.achat(body, wire)
    except InvalidRequestError as exc:
        relaxed = relaxed_body(body, exc)
        if relaxed is None:
            raise
    return await client.achat(relaxed, wire)


def stream_relaxing(
    client: ModelverseClient, stream: ChatStream, body: Mapping[str, Any], wire: Wire
) -> Iterator[StreamDelta]:
    """``stream``'s deltas; if the server refuses its forced ``tool_choice``, those of the request with ``"auto"``.

    The second stream's deltas go to ``stream``'s accumulator, which the refused one left empty.
    """
    deltas = iter(stream)
    try:
        first = next(deltas, None)
    except InvalidRequestError as exc:
        relaxed = relaxed_body(body, exc)
        if relaxed is None:
            raise
    else:
        if first is not None:
            yield first
            yield from deltas
        return
    retry = client.stream(relaxed, wire)
    retry.accumulator = stream.accumulator
    yield from retry


async def astream_relaxing(
    client: ModelverseClient, stream: AsyncChatStream, body: Mapping[str, Any], wire: Wire
) -> AsyncGenerator[StreamDelta, None]:
    """:func:`stream_relaxing`, asynchronously."""
    async with aclosing(stream.__aiter__()) as deltas:
        try:
            first = await anext(deltas, None)
        except InvalidRequestError as exc:
            relaxed = relaxed_body(body, exc)
            if relaxed is None:
                raise
        else:
            if first is not None:
                yield first
                async for delta in deltas:
                    yield delta
            return
    retry = client.astream(relaxed, wire)
    retry.accumulator = stream.accumulator
    async with aclosing(retry.__aiter__()) as again:
        async for delta in again:
            yield delta
