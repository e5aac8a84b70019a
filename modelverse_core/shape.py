"""Shape checks for what the service sends: every parser and stream accumulator reads fields through these.

A body or stream event is decoded JSON, so any field may hold any JSON type. Each
helper takes a field's value and where it was found, and gives the value as the type
the parsers need, or raises :class:`~modelverse_core.errors.ShapeError` naming the
field: the client reports that as :class:`~modelverse_core.errors.MalformedResponseError`,
never as an ``AttributeError`` or ``TypeError`` from deep inside a parser.

Missing fields and ``null`` read as empty, as servers use both for "nothing".
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from .errors import ShapeError, StreamEventError

_EMPTY: Mapping[str, Any] = {}


def obj(value: object, where: str) -> Mapping[str, Any]:
    """A JSON object; ``null`` or missing reads as an empty one."""
    if type(value) is dict or isinstance(value, Mapping):  # decoded JSON: dict, tested first as the cheaper check
        return value
    if value is None:
        return _EMPTY
    raise _wrong(where, "an object", value)


def event(value: object, where: str = "a stream event") -> Mapping[str, Any]:
    """A whole body or stream event: always an object, never ``null``."""
    if type(value) is dict or isinstance(value, Mapping):
        return value
    raise _wrong(where, "an object", value)


def array(value: object, where: str) -> list[Any]:
    """A JSON array; ``null`` or missing reads as an empty one."""
    if isinstance(value, list):
        return value
    if value is None:
        return []
    raise _wrong(where, "an array", value)


def text(value: object, where: str) -> str:
    """A string; ``null`` or missing reads as empty."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    raise _wrong(where, "a string", value)


def optional_text(value: object, where: str) -> str | None:
    """A string, or ``None`` for ``null``, missing or empty."""
    if value is None:
        return None
    return text(value, where) or None


def index(value: object, where: str, default: int = 0) -> int:
    """A non-negative integer position; ``null`` or missing reads as ``default``."""
    if value is None:
        return default
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _wrong(where, "a non-negative integer", value)


def count(value: object, where: str) -> int:
    """A token count: a non-negative whole number (``12.0`` reads as 12); ``null`` or missing reads as 0."""
    if value is None:
        return 0
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, float) and math.isfinite(value) and value >= 0 and value.is_integer():
        return int(value)
    raise _wrong(where, "a non-negative whole number", value)


def arguments(value: object, where: str) -> str:
    """Tool-call arguments as JSON text.

    Arguments sent as a JSON object (or array) rather than as the documented string,
    as some servers do, are written back as JSON text: the call is kept as sent.
    """
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    written = json_text(value)
    if written is None:
        raise _wrong(where, "a string of JSON", value)
    return written


def json_text(value: object) -> str | None:
    """An object or array as JSON text; ``None`` for any other value or one that cannot be written."""
    if not isinstance(value, (Mapping, list)):
        return None
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return None


def reported_error(body: Mapping[str, Any]) -> None:
    """Raise the error object a body carries in place of an answer (``{"error": {...}}``), if any.

    Raised as :class:`~modelverse_core.errors.StreamEventError`, which the client maps by
    the error's documented code, as it does an error event in a stream.
    """
    error = body.get("error")
    if not error:
        return
    details = error if isinstance(error, Mapping) else {"message": error}
    message = details.get("message")
    kept = {key: details[key] for key in ("message", "type", "code", "param") if key in details}
    raise StreamEventError(message if isinstance(message, str) and message else "the service reported an error", kept)


def _wrong(where: str, expected: str, value: object) -> ShapeError:
    return ShapeError(f"{where} must be {expected}, got {_json_type(value)}")


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"[:60]
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
