"""Client-side checks of every documented limit, run before a request is sent.

Each failure is a :class:`~modelverse_core.errors.ParameterError` naming the
field and the limit. Nothing is clipped or rewritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

from .catalog import ModelInfo
from .errors import ParameterError
from .types import ImagePart, Message, TextPart

MAX_STOP_WORDS = 4
MAX_STOP_CHARS = 20
MAX_METADATA_PAIRS = 16
SEED_RANGE = (0, 2147483647)
MAX_CHOICES = 128
MAX_TOP_LOGPROBS = 20
ROLES = ("system", "user", "assistant", "tool")
REASONING_EFFORTS = ("none", "minimal", "low", "medium", "high", "xhigh")
"""The values of ``reasoning_effort`` in OpenAI's specification (ModelVerse documents ``"low"``)."""


@dataclass(frozen=True, slots=True)
class SamplingParams:
    """The documented sampling and vendor parameters; ``None`` means not sent."""

    temperature: float | None = None
    top_p: float | None = None
    max_completion_tokens: int | None = None
    stop: Sequence[str] | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    penalty_score: float | None = None
    reasoning_effort: str | None = None
    web_search: Mapping[str, Any] | None = None
    metadata: Mapping[str, str] | None = None
    user: str | None = None
    n: int | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    stop_token_ids: Sequence[int] | None = None
    parallel_tool_calls: bool | None = None


@dataclass(frozen=True, slots=True)
class CompletionParams:
    """The parameters of ``POST /v1/completions``; ``None`` means not sent.

    ``logprobs`` is a count: the alternatives returned per position (0 returns only
    the chosen tokens'); ``echo`` returns the prompt before the completion;
    ``suffix`` is text that comes after the completion.
    """

    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: Sequence[str] | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    user: str | None = None
    n: int | None = None
    logprobs: int | None = None
    echo: bool | None = None
    suffix: str | None = None
    stop_token_ids: Sequence[int] | None = None


def check_number(
    field: str, value: object, low: float, high: float, *, integer: bool = False, open_ends: bool = False
) -> None:
    """Check that ``value`` is a number within ``[low, high]`` (or ``(low, high)``)."""
    if value is None:
        return
    kind = int if integer else (int, float)
    bounds = f"({low}, {high})" if open_ends else f"[{low}, {high}]"
    limit = f"must be {'an integer' if integer else 'a number'} in {bounds}"
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ParameterError(field, limit, value)
    inside = low < value < high if open_ends else low <= value <= high
    if not inside:
        raise ParameterError(field, limit, value)


def check_stop(stop: object) -> None:
    """At most 4 stop words, each a string of at most 20 characters."""
    if stop is None:
        return
    if isinstance(stop, str) or not isinstance(stop, Sequence):
        raise ParameterError("stop", "must be a list of strings", stop)
    if len(stop) > MAX_STOP_WORDS:
        raise ParameterError("stop", f"at most {MAX_STOP_WORDS} entries", list(stop))
    for word in stop:
        if not isinstance(word, str) or len(word) > MAX_STOP_CHARS:
            raise ParameterError("stop", f"each entry must be a string of at most {MAX_STOP_CHARS} characters", word)


def check_metadata(metadata: object) -> None:
    """At most 16 pairs, keys and values both strings."""
    if metadata is None:
        return
    if not isinstance(metadata, Mapping):
        raise ParameterError("metadata", "must be a mapping of strings to strings", metadata)
    if len(metadata) > MAX_METADATA_PAIRS:
        raise ParameterError("metadata", f"at most {MAX_METADATA_PAIRS} pairs", len(metadata))
    for key, value in metadata.items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise ParameterError("metadata", "keys and values must be strings", {key: value})


def check_max_tokens(value: object, info: ModelInfo, field: str = "max_completion_tokens") -> None:
    """A positive integer, no more than the model's documented maximum output."""
    if value is None:
        return
    high = info.max_output_tokens or 2**31 - 1
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        where = f" (the maximum output of {info.id})" if info.max_output_tokens else ""
        raise ParameterError(field, f"must be an integer in [1, {high}]{where}", value)


def check_common(params: SamplingParams | CompletionParams) -> None:
    """Check the documented limits of the parameters every endpoint shares."""
    check_number("temperature", params.temperature, 0.0, 2.0)
    check_number("top_p", params.top_p, 0.0, 1.0)
    check_number("frequency_penalty", params.frequency_penalty, -2.0, 2.0)
    check_number("presence_penalty", params.presence_penalty, -2.0, 2.0)
    check_number("seed", params.seed, *SEED_RANGE, integer=True, open_ends=True)
    check_number("n", params.n, 1, MAX_CHOICES, integer=True)
    check_stop(params.stop)
    check_type("user", params.user, str)
    _check_int_list("stop_token_ids", params.stop_token_ids)


def check_params(params: SamplingParams, info: ModelInfo) -> None:
    """Check every documented limit on the sampling and vendor parameters."""
    check_common(params)
    check_number("penalty_score", params.penalty_score, 1.0, 2.0)
    check_number("top_logprobs", params.top_logprobs, 0, MAX_TOP_LOGPROBS, integer=True)
    check_max_tokens(params.max_completion_tokens, info)
    check_metadata(params.metadata)
    check_reasoning_effort(params.reasoning_effort)
    check_type("web_search", params.web_search, Mapping)


def check_completion_params(params: CompletionParams, info: ModelInfo) -> None:
    """Check every documented limit on the completions parameters."""
    check_common(params)
    check_number("logprobs", params.logprobs, 0, MAX_TOP_LOGPROBS, integer=True)
    check_max_tokens(params.max_tokens, info, "max_tokens")
    check_type("echo", params.echo, bool)
    check_type("suffix", params.suffix, str)


RESPONSES_REFUSES = (
    "stop",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "penalty_score",
    "web_search",
    "n",
    "logprobs",
    "top_logprobs",
    "stop_token_ids",
)
COMPLETIONS_REFUSES = (
    "tools",
    "tool_choice",
    "response_format",
    "messages",
    "penalty_score",
    "reasoning_effort",
    "web_search",
    "metadata",
    "parallel_tool_calls",
)
ENDPOINT_REFUSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "responses": (
        "is a chat completions setting that /v1/responses does not take (use_responses_api=True)",
        RESPONSES_REFUSES,
    ),
    "completions": ("is not a parameter of /v1/completions (a chat setting)", COMPLETIONS_REFUSES),
}
"""The one table of the settings an endpoint has no field for, by endpoint, with what is said when one is set.

Chat completions take every setting. A setting refused here is never dropped: one that is
set fails before the request, naming it (an empty list asks for nothing and passes).
"""


def check_endpoint(endpoint: str, values: object) -> None:
    """Refuse each setting of ``values`` (parameters, or a mapping of options) that ``endpoint`` has no field for."""
    limit, names = ENDPOINT_REFUSES.get(endpoint, ("", ()))
    for name in names:
        value = values.get(name) if isinstance(values, Mapping) else getattr(values, name, None)
        if value is not None and not (isinstance(value, (list, tuple)) and not value):
            raise ParameterError(name, limit, value)


def check_reasoning_effort(value: object) -> None:
    """``None`` or one of :data:`REASONING_EFFORTS`; another value goes only through ``extra_body``, unchecked."""
    if value is None or value in REASONING_EFFORTS:
        return
    limit = f"must be one of {', '.join(REASONING_EFFORTS)} (send another value unchecked with extra_body)"
    raise ParameterError("reasoning_effort", limit, value)


def check_type(field: str, value: object, kind: type) -> None:
    """``None`` or an instance of ``kind``."""
    if value is not None and not isinstance(value, kind):
        raise ParameterError(field, f"must be a {kind.__name__}", value)


def _check_int_list(field: str, value: object) -> None:
    if value is None:
        return
    if not isinstance(value, Sequence) or any(isinstance(v, bool) or not isinstance(v, int) for v in value):
        raise ParameterError(field, "must be a list of integers", value)


def check_messages(messages: Sequence[Message], info: ModelInfo) -> None:
    """The documented role rules, and images only for models that take them.

    Consecutive same-role messages are not refused here: models documented with strict
    alternation get them merged (:func:`~modelverse_core.history.merge_role_runs`), the
    others receive them as given.
    """
    if not messages:
        raise ParameterError("messages", "must not be empty", [])
    leading_system = next((i for i, m in enumerate(messages) if m.role != "system"), len(messages))
    for position, message in enumerate(messages):
        _check_texts(position, message)
        if message.role in _ROLES_ANYWHERE and isinstance(message.content, str):
            continue  # all _check_message would look at
        _check_message(position, message, info, system_allowed=position < leading_system)
    if messages[0].role not in ("system", "user"):
        raise ParameterError("messages[0].role", "the first message must be 'system' or 'user'", messages[0].role)
    if messages[-1].role not in ("user", "tool"):
        last = len(messages) - 1
        raise ParameterError(f"messages[{last}].role", "the last message must be 'user' or 'tool'", messages[-1].role)
    _check_tool_turns(messages)


def _check_texts(position: int, message: Message) -> None:
    """The fields of a message that are text, when set, are strings: nothing else goes out in their place."""
    name, reasoning, call_id = message.name, message.reasoning, message.tool_call_id
    if not (
        (name is None or type(name) is str)
        and (reasoning is None or type(reasoning) is str)
        and (call_id is None or type(call_id) is str)
    ):
        _refuse_non_text(f"messages[{position}]", message, _TEXT_FIELDS, optional=True)
    for index, call in enumerate(message.tool_calls):
        if not (type(call.id) is str and type(call.name) is str and type(call.arguments) is str):
            _refuse_non_text(f"messages[{position}].tool_calls[{index}]", call, _CALL_TEXT_FIELDS, optional=False)


def _refuse_non_text(where: str, value: object, fields: tuple[str, ...], *, optional: bool) -> None:
    """Raise for the first of ``fields`` of ``value`` that is no string (a subclass of ``str`` is one)."""
    for name in fields:
        text = getattr(value, name)
        if not (isinstance(text, str) or (optional and text is None)):
            raise ParameterError(f"{where}.{name}", "must be a string", text)


_TEXT_FIELDS = ("reasoning", "tool_call_id", "name")
_CALL_TEXT_FIELDS = ("id", "name", "arguments")


def _check_message(position: int, message: Message, info: ModelInfo, *, system_allowed: bool) -> None:
    if message.role not in ROLES:
        raise ParameterError(f"messages[{position}].role", f"must be one of {', '.join(ROLES)}", message.role)
    if message.role == "system" and not system_allowed:
        raise ParameterError(f"messages[{position}].role", "'system' is allowed only at the start", "system")
    if isinstance(message.content, str):
        return
    for part in message.content:
        if not isinstance(part, (TextPart, ImagePart)):
            raise ParameterError(f"messages[{position}].content", "parts must be text or image_url", part)
        if isinstance(part, TextPart) and not isinstance(part.text, str):
            raise ParameterError(f"messages[{position}].content", "a text part's text must be a string", part.text)
        if isinstance(part, ImagePart) and not (isinstance(part.url, str) and part.url):
            raise ParameterError(f"messages[{position}].content", "an image part's url must be a string", part.url)
        if isinstance(part, ImagePart) and not isinstance(part.detail, (str, type(None))):
            raise ParameterError(
                f"messages[{position}].content", "an image part's detail must be a string", part.detail
            )
        if isinstance(part, ImagePart) and info.vision is False:
            raise ParameterError(f"messages[{position}].content", f"model {info.id} does not accept images", "image")


def _check_tool_turns(messages: Sequence[Message]) -> None:
    open_calls: AbstractSet[str] = _NO_CALLS
    for position, message in enumerate(messages):
        if message.role == "tool":
            if message.tool_call_id not in open_calls:
                limit = "a tool message must answer a tool call of the assistant message before it"
                raise ParameterError(f"messages[{position}].tool_call_id", limit, message.tool_call_id)
            continue
        open_calls = {call.id for call in message.tool_calls} if message.tool_calls else _NO_CALLS


_ROLES_ANYWHERE = ("user", "assistant", "tool")
"""The roles :func:`_check_message` accepts at any position; with text content it checks nothing else."""
_NO_CALLS: frozenset[str] = frozenset()
