"""Server-sent events, decoded straight from a streamed response's bytes.

The SDK sends the request (retries, timeouts, pool) and hands over the raw response;
this module turns its body into decoded events, with the semantics of the SDK's own
stream: lines end with CRLF, LF or CR; comment lines and fields other than ``data``
are skipped; the ``data`` lines of one event are joined with newlines and the event is
dispatched at the blank line that ends it (an unterminated event at the end of the body
is discarded, as the SSE specification says); ``[DONE]`` ends the stream; an event
whose data is an object carrying ``error`` is raised as :class:`~modelverse_core.errors.StreamEventError`, as the other
endpoints' error events are. Events
are split on raw bytes and each one decoded whole, so a UTF-8 character cut across
network writes arrives intact.
"""

from __future__ import annotations

from typing import Any

from .errors import StreamEventError
from .jsonio import loads_utf8

_DONE = b"[DONE]"
_DONE_EVENT = b"data: " + _DONE
_FALLBACK_ERROR = "An error occurred during streaming"


class EventSplitter:
    """Splits a byte stream into the ``data`` of its events; feed it the chunks as they arrive.

    ``done`` turns true at ``[DONE]``; nothing after it is returned.
    """

    __slots__ = ("_after_cr", "_pending", "done")

    def __init__(self) -> None:
        self._pending: list[bytes] = []
        self._after_cr = False  # the last chunk ended in CR: an LF opening the next one ends no line
        self.done = False

    def feed(self, chunk: bytes) -> list[bytes]:
        """The data of every event that ``chunk`` completes, in order."""
        if self._after_cr and chunk:
            self._after_cr = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        self._pending.append(chunk)
        if b"\n" not in chunk and b"\r" not in chunk:
            return []
        text = b"".join(self._pending)
        if b"\r" in text:
            self._after_cr = text.endswith(b"\r")
            text = text.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        *blocks, rest = text.split(b"\n\n")
        self._pending = [rest] if rest else []
        return _one_line_events(text, blocks, len(text) - len(rest)) or self._events(blocks)

    def _events(self, blocks: list[bytes]) -> list[bytes]:
        """The data of each event of ``blocks``, up to ``[DONE]``."""
        found = []
        for data in map(_data, blocks):
            if data is None:
                continue
            if data.startswith(_DONE):
                self.done = True
                break
            found.append(data)
        return found


def _one_line_events(text: bytes, blocks: list[bytes], end: int) -> list[bytes] | None:
    """The data of ``blocks`` when each is one ``data: `` line and none is ``[DONE]`` (as nearly every
    chunk is); ``None`` otherwise. ``text[:end]`` is the blocks, each followed by its blank line.

    Looked at whole (newlines counted, ``[DONE]`` searched for) rather than block by block.
    """
    if text.count(b"\n", 0, end) != 2 * len(blocks) or text.find(_DONE_EVENT, 0, end) >= 0:
        return None
    found = [block[6:] for block in blocks if block.startswith(b"data: ")]
    return found if len(found) == len(blocks) else None


def _data(block: bytes) -> bytes | None:
    """The data of one event (its lines, without the blank line that ended it); ``None`` if it has none."""
    if block.startswith(b"data: ") and b"\n" not in block:
        return block[6:]  # the common case: one data line
    lines = [line[5:] for line in block.split(b"\n") if line.startswith(b"data:") or line == b"data"]
    if not lines:
        return None
    return b"\n".join(line[1:] if line.startswith(b" ") else line for line in lines)


def decode_event(data: bytes) -> Any:
    """An event's JSON. Raises :class:`~modelverse_core.errors.StreamEventError` for an error object.

    Raises :class:`json.JSONDecodeError` (or :class:`UnicodeDecodeError`) when the data is not JSON.
    """
    event = loads_utf8(data)  # SSE is UTF-8: no encoding to detect
    if isinstance(event, dict) and event.get("error"):
        error = event["error"]
        details = error if isinstance(error, dict) else {"message": error}  # a bare string or other value
        message = error.get("message") if isinstance(error, dict) else None
        raise StreamEventError(message if message and isinstance(message, str) else _FALLBACK_ERROR, details)
    return event
