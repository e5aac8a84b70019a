"""What the wire formats share: finishing a body, content and parameter encoding, tool-call ids, streamed parts.

Chat completions, the Responses API and completions each encode, parse and
accumulate in their own module; the pieces they have in common live here, so
no wire module reaches into another.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from typing import Any

from ..limits import CompletionParams, SamplingParams
from ..thinking import ThinkSplitter
from ..types import Part, ToolCall

# ---------------------------------------------------------------- requests


def finish_body(
    body: dict[str, Any], *, stream: bool, include_usage: bool, extra_body: Mapping[str, Any] | None
) -> dict[str, Any]:
    """Add the stream switches (usage on the last chunk unless turned off), then ``extra_body`` last.

    The client encodes it when it sends it (:func:`encode_body`).
    """
    if stream:
        body["stream"] = True
        if include_usage:
            body["stream_options"] = {"include_usage": True}
    if extra_body:
        body.update(extra_body)
    return body


def encode_content(
    content: str | Sequence[Part], encode: Callable[[Part], dict[str, Any]]
) -> str | list[dict[str, Any]]:
    """A string stays a string; each part becomes what the wire format's ``encode`` makes of it."""
    if isinstance(content, str):
        return content
    return [encode(part) for part in content]


def as_dict(value: Mapping[str, Any]) -> dict[str, Any]:
    """``value`` as a dict the JSON encoder takes: itself when it is one (the body is encoded before it can change)."""
    return value if type(value) is dict else dict(value)


_PARAM_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls)) for cls in (SamplingParams, CompletionParams)
}


def encode_params(params: SamplingParams | CompletionParams) -> dict[str, Any]:
    """The parameters that are set, under their documented names."""
    out: dict[str, Any] = {}
    for name in _PARAM_NAMES[type(params)]:
        value = getattr(params, name)
        if value is not None:
            out[name] = list(value) if name in ("stop", "stop_token_ids") else value
    return out


# ---------------------------------------------------------------- answers


def response_id(value: object) -> str | None:
    """The server's response id, ``None`` when missing or blank (the documented examples send ``" "``).

    It is a request id for troubleshooting, not a message id: answers may share it.
    """
    return value if isinstance(value, str) and value.strip() else None


def new_tool_call_id() -> str:
    """A fresh tool-call id, for calls a server left without a usable one."""
    return f"call_{uuid.uuid4().hex[:24]}"


def usable_tool_call_id(value: str | None, taken: Iterable[str]) -> str:
    """``value`` when it is not blank and not already used in the message, else a fresh id."""
    return value if value and value.strip() and value not in taken else new_tool_call_id()


def unique_tool_call_ids(calls: Iterable[ToolCall]) -> tuple[ToolCall, ...]:
    """The calls of one message, each with an id no other call in it has, so every tool result answers one call."""
    out: list[ToolCall] = []
    taken: set[str] = set()
    for call in calls:
        call_id = usable_tool_call_id(call.id, taken)
        out.append(call if call_id == call.id else replace(call, id=call_id))
        taken.add(call_id)
    return tuple(out)


# ---------------------------------------------------------------- streams


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
                self._call = ToolCall(self.id, self.name, text, None, self._open_string)  # positional: one per chunk
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


class TextParts:
    """An answer's text as it streams: its content and reasoning pieces.

    A leading ``<think>`` block of the content moves to the reasoning, however the tags are cut.
    """

    __slots__ = ("content", "reasoning", "splitter")

    def __init__(self) -> None:
        self.splitter = ThinkSplitter()
        self.content: list[str] = []
        self.reasoning: list[str] = []

    def add_text(self, reasoning: str, content: str, last: bool = False) -> tuple[str, str]:
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


def joined(pieces: list[str]) -> str:
    """The pieces as one string, kept as the list's only piece: a snapshot per chunk joins only what is new.

    An empty list stays empty.
    """
    if len(pieces) > 1:
        text = "".join(pieces)
        pieces.clear()  # then append: a third faster than assigning a new list to the whole slice
        pieces.append(text)
        return text
    return pieces[0] if pieces else ""
