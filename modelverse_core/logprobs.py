"""Log probabilities in the two shapes servers send, normalised to :class:`TokenLogprob`.

Entries or fields of the wrong type are left out (a ``logprob`` that is not a number reads as
``None``): log probabilities accompany an answer, and an odd one never costs the answer.

- the legacy completions shape: parallel lists ``tokens``, ``token_logprobs``,
  ``top_logprobs`` (a ``{token: logprob}`` mapping per position) and ``text_offset``
  (OpenAI, vLLM);
- the chat shape: a ``content`` list of ``{token, logprob, bytes, top_logprobs}``
  objects (every chat endpoint, and llama.cpp's ``/v1/completions``).

:func:`legacy_logprobs` writes the normalised form back in the legacy shape, the one
LangChain's completion models report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .types import TokenLogprob


def parse_logprobs(data: object) -> tuple[TokenLogprob, ...] | None:
    """Normalise a ``logprobs`` object of either shape; ``None`` when there is none."""
    if not isinstance(data, Mapping):
        return None
    if isinstance(data.get("content"), list):
        return tuple(_from_content(entry) for entry in data["content"] if isinstance(entry, Mapping))
    if isinstance(data.get("tokens"), list):
        return _from_legacy(data)
    return None


def _from_content(entry: Mapping[str, Any]) -> TokenLogprob:
    top = entry.get("top_logprobs")
    return TokenLogprob(
        token=str(entry.get("token") or ""),
        logprob=_number(entry.get("logprob")),
        bytes=_byte_values(entry.get("bytes")),
        top=tuple(_from_content(alt) for alt in top if isinstance(alt, Mapping)) if isinstance(top, list) else (),
    )


def _byte_values(value: object) -> tuple[int, ...] | None:
    """A token's UTF-8 bytes: a list of integers in [0, 255], else ``None``."""
    if not isinstance(value, list):
        return None
    if all(isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255 for b in value):
        return tuple(value)
    return None


def _from_legacy(data: Mapping[str, Any]) -> tuple[TokenLogprob, ...]:
    tokens: list[Any] = data["tokens"]
    logprobs = _column(data, "token_logprobs", len(tokens))
    tops = _column(data, "top_logprobs", len(tokens))
    offsets = _column(data, "text_offset", len(tokens))
    return tuple(
        TokenLogprob(
            token=str(token),
            logprob=_number(logprob),
            offset=offset if isinstance(offset, int) else None,
            top=tuple(TokenLogprob(str(t), _number(lp)) for t, lp in top.items()) if isinstance(top, Mapping) else (),
        )
        for token, logprob, top, offset in zip(tokens, logprobs, tops, offsets, strict=True)
    )


def _column(data: Mapping[str, Any], key: str, length: int) -> Sequence[Any]:
    """One of the parallel lists, cut or padded with ``None`` to ``length``."""
    values = data.get(key)
    values = list(values[:length]) if isinstance(values, list) else []
    return values + [None] * (length - len(values))


def _number(value: object) -> float | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except OverflowError:  # an integer beyond any float
        return None


def legacy_logprobs(tokens: Sequence[TokenLogprob]) -> dict[str, list[Any]]:
    """The legacy completions shape: ``tokens``, ``token_logprobs``, ``top_logprobs``, ``text_offset``.

    A position without alternatives has ``None`` in ``top_logprobs``, and one whose
    offset the server did not send has ``None`` in ``text_offset``.
    """
    return {
        "tokens": [t.token for t in tokens],
        "token_logprobs": [t.logprob for t in tokens],
        "top_logprobs": [{alt.token: alt.logprob for alt in t.top} if t.top else None for t in tokens],
        "text_offset": [t.offset for t in tokens],
    }
