"""``POST /v1/completions``: a prompt in, ``choices[].text`` out, over the same core types as chat.

The request is the prompt and :class:`~modelverse_core.limits.CompletionParams`;
the answer parses into a :class:`ChatResult` whose choices carry the text as
``content`` (a leading ``<think>`` block becomes ``reasoning``, as on chat) and
the log probabilities, of either shape servers send, as ``token_logprobs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from .. import shape
from ..catalog import ModelInfo, model_info
from ..errors import ParameterError
from ..limits import CompletionParams, check_completion_params
from ..logprobs import parse_logprobs
from ..request import encode_params, finish_body
from ..response import parse_response
from ..stream import StreamAccumulator, StreamMeta
from ..thinking import split_think
from ..types import Choice, StreamDelta
from . import Wire


def build_completion_request(
    model: str,
    prompt: str,
    params: CompletionParams | None = None,
    *,
    stream: bool = False,
    include_usage: bool = True,
    extra_body: Mapping[str, Any] | None = None,
    info: ModelInfo | None = None,
) -> dict[str, Any]:
    """Validate everything, then build the ``POST /completions`` body.

    ``extra_body`` is merged last, so it can set anything the typed parameters do not.
    """
    params = params or CompletionParams()
    if not isinstance(prompt, str):
        raise ParameterError("prompt", "must be a string", type(prompt).__name__)
    check_completion_params(params, info or model_info(model))
    body: dict[str, Any] = {"model": model, "prompt": prompt, **encode_params(params)}
    return finish_body(body, stream=stream, include_usage=include_usage, extra_body=extra_body)


def parse_text_choice(data: Mapping[str, Any]) -> Choice:
    """Parse one ``choices[]`` entry of a ``text_completion``."""
    reasoning, content = split_think(shape.text(data.get("text"), "choices[].text"))
    return Choice(
        index=shape.index(data.get("index"), "choices[].index"),
        content=content,
        reasoning=reasoning,
        finish_reason=shape.optional_text(data.get("finish_reason"), "choices[].finish_reason"),
        token_logprobs=parse_logprobs(data.get("logprobs")),
    )


parse_completion = partial(parse_response, choice_parser=parse_text_choice)
"""Parse a whole ``text_completion`` body into a :class:`ChatResult`."""


class CompletionAccumulator(StreamAccumulator):
    """Assembles a streamed ``text_completion``: text by choice index, log probabilities, usage."""

    def _add_choice(self, choice: object, meta: StreamMeta) -> StreamDelta:
        choice, index, parts, finish_reason = self._parts(choice)
        text = shape.text(choice.get("text"), "choices[].text")
        reasoning, content = parts.add_text("", text, last=finish_reason is not None)
        logprobs = choice.get("logprobs")
        token_logprobs = parts.add_logprobs(logprobs) if logprobs else None
        return StreamDelta(index, content, reasoning, (), finish_reason, None, *meta, token_logprobs)


COMPLETIONS = Wire("completions", "/completions", parse_completion, CompletionAccumulator)
"""``POST /v1/completions``."""

__all__ = [
    "COMPLETIONS",
    "CompletionAccumulator",
    "build_completion_request",
    "parse_completion",
    "parse_text_choice",
]
