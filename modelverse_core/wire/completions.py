"""``POST /v1/completions``: a prompt in, ``choices[].text`` out, over the same core types as chat.

The request is the prompt and :class:`~modelverse_core.limits.CompletionParams`;
the answer parses into a :class:`~modelverse_core.types.Result` whose choices carry
the text as ``content`` (a leading ``<think>`` block becomes ``reasoning``, as on
chat) and the log probabilities, of either shape servers send, as ``token_logprobs``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import shape
from .._deprecated import moved
from ..logprobs import parse_logprobs
from ..thinking import split_think
from ..types import Choice, Result, StreamDelta
from .base import Wire
from .choices import ChoiceParts, ChoicesAccumulator, StreamMeta, parse_choices
from .common import encode_params, finish_body

if TYPE_CHECKING:
    from ..call import Request


def build(request: Request) -> dict[str, Any]:
    """The ``POST /completions`` body of a checked request; ``extra_body`` is merged last."""
    body: dict[str, Any] = {"model": request.model, "prompt": request.prompt, **encode_params(request.params)}
    return finish_body(body, stream=request.stream, include_usage=request.include_usage, extra_body=request.extra_body)


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


def parse_completion(body: Mapping[str, Any]) -> Result:
    """Parse a whole ``text_completion`` body."""
    return parse_choices(body, parse_text_choice)


class CompletionAccumulator(ChoicesAccumulator[ChoiceParts]):
    """Assembles a streamed ``text_completion``: text by choice index, log probabilities, usage."""

    def __init__(self) -> None:
        super().__init__(ChoiceParts)

    def add_choice(self, choice: object, meta: StreamMeta) -> StreamDelta:
        """One ``choices[]`` entry of a streamed ``text_completion``: its text and log probabilities."""
        choice, index, parts, finish_reason = self.choice_parts(choice)
        text = choice.get("text")
        if type(text) is not str:  # as in choice_parts: the shape helper only off the common path
            text = shape.text(text, "choices[].text")
        reasoning, content = parts.add_text("", text, finish_reason is not None)
        logprobs = choice.get("logprobs")
        token_logprobs = parts.add_logprobs(logprobs) if logprobs else None
        return meta.delta(index, content, reasoning, (), finish_reason, token_logprobs)


COMPLETIONS = Wire("completions", "/completions", build, parse_completion, CompletionAccumulator)
"""``POST /v1/completions``."""

__getattr__ = moved(__name__, {"build_completion_request": "modelverse_core.pipeline"})  # the old home, for one release
