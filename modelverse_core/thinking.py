"""Splitting a leading ``<think>...</think>`` out of the content, incrementally.

Models served without a reasoning parser (QwQ and R1 distills on private
deployments) inline their reasoning at the start of the content. The same
splitter handles whole responses and streams, where a tag may be cut across
chunks, so both give the same result for the same text.
"""

from __future__ import annotations

OPEN_TAG = "<think>"
CLOSE_TAG = "</think>"

_START, _THINK, _AFTER, _PLAIN = range(4)


class ThinkSplitter:
    """Feed content pieces in order; get back ``(reasoning, content)`` pieces.

    Whitespace around the reasoning and before the answer is dropped; content
    that does not start with ``<think>`` passes through untouched.
    """

    __slots__ = ("_pending", "_reasoning_started", "_state")

    def __init__(self) -> None:
        self._state = _START
        self._pending = ""
        self._reasoning_started = False

    def feed(self, text: str) -> tuple[str, str]:
        """Take the next piece of content; return the reasoning and content it completes."""
        if self._state == _PLAIN:
            return "", text
        self._pending += text
        if self._state == _START:
            return self._decide()
        if self._state == _THINK:
            return self._in_think()
        return "", self._after_think()

    def finish(self) -> tuple[str, str]:
        """Flush what is held back at the end of the content."""
        pending, self._pending = self._pending, ""
        if self._state == _THINK:
            return (pending if self._reasoning_started else pending.lstrip()), ""
        if self._state == _AFTER:
            return "", pending.lstrip()
        return "", pending

    def _decide(self) -> tuple[str, str]:
        stripped = self._pending.lstrip()
        if not stripped or (len(stripped) < len(OPEN_TAG) and OPEN_TAG.startswith(stripped)):
            return "", ""
        if not stripped.startswith(OPEN_TAG):
            self._state = _PLAIN
            pending, self._pending = self._pending, ""
            return "", pending
        self._state = _THINK
        self._pending = stripped[len(OPEN_TAG) :]
        return self._in_think()

    def _in_think(self) -> tuple[str, str]:
        pending = self._pending
        if not self._reasoning_started:
            pending = pending.lstrip()
        end = pending.find(CLOSE_TAG)
        if end >= 0:
            self._state = _AFTER
            self._pending = pending[end + len(CLOSE_TAG) :]
            return self._emit_reasoning(pending[:end].rstrip()), self._after_think()
        keep = _held_back(pending)
        self._pending = pending[len(pending) - keep :]
        return self._emit_reasoning(pending[: len(pending) - keep]), ""

    def _emit_reasoning(self, text: str) -> str:
        if text:
            self._reasoning_started = True
        return text

    def _after_think(self) -> str:
        stripped = self._pending.lstrip()
        if not stripped:
            self._pending = ""
            return ""
        self._state = _PLAIN
        self._pending = ""
        return stripped


def _held_back(text: str) -> int:
    """How many trailing characters may still belong to the close tag or trailing space."""
    keep = 0
    for size in range(min(len(CLOSE_TAG) - 1, len(text)), 0, -1):
        if CLOSE_TAG.startswith(text[-size:]):
            keep = size
            break
    body = text[: len(text) - keep]
    return keep + (len(body) - len(body.rstrip()))


def split_think(content: str) -> tuple[str, str]:
    """Split a whole content string into ``(reasoning, answer)``."""
    splitter = ThinkSplitter()
    reasoning, answer = splitter.feed(content)
    tail_reasoning, tail_answer = splitter.finish()
    return reasoning + tail_reasoning, answer + tail_answer
