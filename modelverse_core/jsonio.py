"""JSON in and out: request bodies encoded once, answers decoded with orjson's speed and the standard library's results.

Every request body is encoded by :func:`encode_body`: compact UTF-8, as the SDK would, a
value that cannot be sent refused naming its field.

Every response body and stream event is decoded here. orjson decodes UTF-8 JSON two to
three times faster than :func:`json.loads`, and for nearly every document it gives the same
value. It differs in what it refuses (``NaN``, ``Infinity``, lone surrogates, other encodings)
and in integers past 64 bits, which it turns into floats. So a document orjson refuses, and
one holding a run of 19 digits or more (where such an integer could be), is decoded by the
standard library instead: the values are always exactly :func:`json.loads`'s, and so are the
errors, except that a document the standard library cannot decode for being nested too deep,
or for holding an integer too long to convert, raises :class:`json.JSONDecodeError` too
rather than ``RecursionError`` or a bare ``ValueError``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from .errors import ParameterError

_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
"""A translation table turning every ASCII digit into ``0`` and every other byte into a space."""
_LONG_RUN = b"0" * 19
"""The shortest run of digits that can spell an integer orjson would not decode exactly."""


def standard_loads(data: bytes | str) -> Any:
    """:func:`json.loads`, every failure to decode raised as :class:`json.JSONDecodeError` (or UnicodeDecodeError).

    Nesting deeper than the interpreter's recursion limit and integers past its digit limit
    make :func:`json.loads` raise ``RecursionError`` and ``ValueError``; both are documents it
    cannot decode.
    """
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise
    except (RecursionError, ValueError) as exc:
        raise json.JSONDecodeError(f"cannot decode ({type(exc).__name__}: {exc})"[:200], "", 0) from None


def loads(data: bytes, fallback: Callable[[bytes], Any] = standard_loads) -> Any:
    """Decode ``data`` as ``fallback`` does (:func:`standard_loads` unless given), faster.

    ``fallback`` decodes whatever orjson refuses or might decode differently, and raises
    its own errors for what is not JSON.
    """
    if _LONG_RUN not in data.translate(_DIGITS_ONLY):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return fallback(data)


def loads_utf8(data: bytes) -> Any:
    """Decode UTF-8 ``data`` (no other encoding is tried) as ``json.loads(data.decode())`` does."""
    return loads(data, _standard_utf8)


def _standard_utf8(data: bytes) -> Any:
    return standard_loads(data.decode())


def encode_body(body: Mapping[str, Any], text_history: str | None = None) -> bytes:
    """``body`` as the JSON bytes to send, encoded as the SDK would (UTF-8, compact).

    ``text_history`` names the field holding a history that a wire encoded from checked core
    messages: text, ``null``, lists and objects only, which orjson encodes to the same bytes as
    :func:`json.dumps`, five times as fast. A long one is encoded by orjson; everything else
    by the standard library, which also refuses numbers that are not finite (orjson would
    write ``null``) and writes numbers as it always has. A value that cannot be sent (a string with a lone surrogate, a
    ``NaN`` or infinite number, bytes or any other object, nesting too deep) is a
    :class:`ParameterError` naming the field, where the encoder would raise a bare
    ``UnicodeEncodeError``, ``ValueError``, ``TypeError`` or ``RecursionError``. The fields are
    looked at only then.
    """
    try:
        return _encoded(body, text_history)
    except (TypeError, ValueError, RecursionError) as exc:
        for name, value in body.items():
            try:
                _check_json_value(value, str(name))
            except RecursionError:
                raise ParameterError(str(name), "is nested too deeply to be sent as JSON") from None
        raise ParameterError("body", "cannot be sent as JSON", f"{type(exc).__name__}: {exc}") from None


LONG_HISTORY = 16
"""From this many messages or input items on, the history is encoded by orjson (below, splicing costs more)."""


def _encoded(body: Mapping[str, Any], key: str | None) -> bytes:
    history = body.get(key) if key is not None else None
    if key is not None and type(history) is list and len(history) >= LONG_HISTORY:
        try:
            return _with_history(body, key, orjson.dumps(history))
        except orjson.JSONEncodeError:
            pass  # a value orjson refuses: the standard encoder sends it or says why
    return _dumps(body)


def _with_history(body: Mapping[str, Any], key: str, history: bytes) -> bytes:
    """``body`` encoded with ``history`` as the encoded value of ``key``, in its place."""
    keys = list(body)
    position = keys.index(key)
    before = _dumps({name: body[name] for name in keys[:position]})
    head = before[:-1] + (b"," if position else b"") + _dumps(key) + b":" + history
    if position == len(keys) - 1:
        return head + b"}"
    return head + b"," + _dumps({name: body[name] for name in keys[position + 1 :]})[1:]


def _c_encoder(key_separator: str, item_separator: str) -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, allow_nan=False)`` with these separators, built once.

    :func:`json.dumps` builds an encoder (and CPython's C encoder inside it) for every value,
    and its check for circular references records every list and object it writes (a fifth of
    its time on a tool's schema); this builds the C encoder once, without the check, so a
    circular value ends in ``RecursionError`` (where :func:`json.dumps` raises ``ValueError``).
    The text of everything else is the same.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without CPython's accelerator
        separators = (item_separator, key_separator)
        return json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False, separators=separators).encode
    default = json.JSONEncoder().default
    text = json.encoder.encode_basestring
    encode = make(None, default, text, None, key_separator, item_separator, False, False, False)
    return lambda value: "".join(encode(value, 0))


encode_arguments: Callable[[Any], str] = _c_encoder(": ", ", ")
"""Tool-call arguments as JSON text, as ``json.dumps(args, ensure_ascii=False, allow_nan=False)`` writes them.

:func:`json.dumps`'s default separators (see :func:`_c_encoder`); they are encoded once per call
in every history sent. Raises ``TypeError``, ``ValueError`` or ``RecursionError`` for a value
that is no JSON.
"""

_compact_encoder: Callable[[Any], str] = _c_encoder(":", ",")
"""Request bodies' encoder: the SDK's compact separators (see :func:`_c_encoder`)."""


def _dumps(value: object) -> bytes:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)``, as UTF-8."""
    return _compact_encoder(value).encode()


def _check_json_value(value: object, field: str) -> None:
    """Raise :class:`ParameterError`, naming the field, at the first value of ``value`` that cannot be sent."""
    if isinstance(value, str):
        if not value.isascii() and _SURROGATE.search(value):
            raise ParameterError(field, "must be text without lone surrogates (not sendable as UTF-8)", repr(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ParameterError(field, "must be a finite number (JSON has no NaN or Infinity)", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ParameterError(field, "object keys must be strings", key)
            _check_json_value(key, field)
            _check_json_value(item, f"{field}.{key}")
    elif isinstance(value, (list, tuple)):
        for position, item in enumerate(value):
            _check_json_value(item, f"{field}[{position}]")
    elif value is not None and not isinstance(value, (bool, int)):
        raise ParameterError(field, "must be a JSON value (text, number, boolean, null, list or object)", value)


_SURROGATE = re.compile("[\ud800-\udfff]")
