"""Per-call options and OpenAI-shaped values, turned into one neutral :class:`~modelverse_core.call.Request`.

Pure functions, shared by both plugins and every endpoint. A call's options are what
the framework passes through (``model_kwargs``, bound arguments, keyword arguments): a
setting's name overrides that setting for the call, ``model``, ``extra_body``,
``use_responses_api``, ``tools``, ``tool_choice`` and ``response_format`` have their own
meaning, and any other key goes into the request body as it is. Tools, tool choices,
response formats and tool calls may come in the OpenAI shapes both frameworks produce
(LangChain's ``convert_to_openai_tool``, LlamaIndex's ``to_openai_tool``); they become
core types here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any, NamedTuple

from .call import Request
from .catalog import ModelInfo
from .errors import ParameterError
from .limits import CompletionParams, SamplingParams, check_endpoint
from .structured import retried_unforced
from .types import (
    ForcedTool,
    JsonObjectFormat,
    JsonSchemaFormat,
    Message,
    ReasoningPolicy,
    ResponseFormat,
    ToolCall,
    ToolChoice,
    ToolSpec,
    no_parameters,
)
from .wire import CHAT, COMPLETIONS, RESPONSES, Wire

RENAMED = {"max_tokens": "max_completion_tokens", "request_metadata": "metadata"}
"""Settings whose documented parameter has another name (``metadata`` is LangChain's own field)."""

SAMPLING_SETTINGS = (
    "temperature",
    "top_p",
    "max_tokens",
    "stop",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "penalty_score",
    "reasoning_effort",
    "web_search",
    "request_metadata",
    "user",
    "n",
    "logprobs",
    "top_logprobs",
    "stop_token_ids",
)
"""The settings of a chat model that make its :class:`SamplingParams`."""

SAMPLING_PARAMS = tuple((name, RENAMED.get(name, name)) for name in SAMPLING_SETTINGS)
"""Each of :data:`SAMPLING_SETTINGS` with the :class:`SamplingParams` field it sets."""

COMPLETION_SETTINGS = tuple(f.name for f in fields(CompletionParams))
"""The settings of a completions model, each a :class:`CompletionParams` field of the same name."""

_PER_CALL = frozenset(SAMPLING_SETTINGS) | frozenset(RENAMED.values()) | {"parallel_tool_calls"}

RELAX_TOOL_CHOICE = "_mv_relax_tool_choice"
"""The call option asking that a refused forced ``tool_choice`` be sent again with ``auto`` (structured output)."""


class Defaults(NamedTuple):
    """What a model object's settings give each of its calls."""

    model: str
    values: Mapping[str, Any]
    """The settings that make the call's parameters, by parameter name (:data:`SAMPLING_PARAMS`, or
    :data:`COMPLETION_SETTINGS` for a completions model)."""
    info: Callable[[str], ModelInfo]
    """The catalog entry of a model id, with the object's override."""
    extra_body: Mapping[str, Any] | None = None
    reasoning_policy: ReasoningPolicy = "auto"
    use_responses_api: bool = False


# ---------------------------------------------------------------- requests


def chat_request(
    defaults: Defaults,
    messages: Sequence[Message],
    options: Mapping[str, Any] | None = None,
    *,
    stream: bool = False,
    include_usage: bool = True,
) -> tuple[Request, Wire]:
    """A request of ``messages`` with a call's ``options``, and the endpoint it goes to (chat, or the Responses API)."""
    options = dict(options or {})
    wire = RESPONSES if options.pop("use_responses_api", defaults.use_responses_api) else CHAT
    model = options.pop("model", None) or defaults.model
    raw_tools, choice = options.pop("tools", None), options.pop("tool_choice", None)
    tools = tuple(map(_remembered_spec, raw_tools)) if raw_tools else ()
    tool_choice = tool_choice_from(choice, frozenset([t.name for t in tools])) if choice is not None else None
    response_format = response_format_from(options.pop("response_format", None))
    relax = bool(options.pop(RELAX_TOOL_CHOICE, False))
    call_extra_body = options.pop("extra_body", None)
    params, extra = sampling_params(defaults.values, options)
    info = defaults.info(model)
    request = Request(
        model,
        info,
        messages,
        params=params,
        tools=tools,
        tool_choice=tool_choice,
        response_format=response_format,
        stream=stream,
        include_usage=include_usage,
        reasoning_policy=defaults.reasoning_policy,
        extra_body=merged_extra_body(defaults.extra_body, extra, call_extra_body),
        retry_unforced=relax and retried_unforced(info),
    )
    return request, wire


def prompt_request(
    defaults: Defaults,
    prompt: str,
    options: Mapping[str, Any] | None,
    params_of: Callable[[Mapping[str, Any], Mapping[str, Any]], tuple[CompletionParams, dict[str, Any]]],
    *,
    stream: bool = False,
    include_usage: bool = True,
) -> tuple[Request, Wire]:
    """A ``/v1/completions`` request of ``prompt`` with a call's ``options``.

    ``params_of(values, overrides)`` makes its parameters: :func:`completion_params` for a
    completions model, :func:`chat_completion_params` for a chat model used as one.

    A chat input or setting among the options (tools, response formats, web search, ...) is refused.
    """
    options = dict(options or {})
    model = options.pop("model", None) or defaults.model
    call_extra_body = options.pop("extra_body", None)
    check_endpoint(COMPLETIONS.name, options)
    params, extra = params_of(defaults.values, options)
    request = Request(
        model,
        defaults.info(model),
        prompt=prompt,
        params=params,
        stream=stream,
        include_usage=include_usage,
        extra_body=merged_extra_body(defaults.extra_body, extra, call_extra_body),
    )
    return request, COMPLETIONS


def merged_extra_body(
    settings: Mapping[str, Any] | None, extra: Mapping[str, Any], call: Mapping[str, Any] | None
) -> dict[str, Any]:
    """What is merged last into a request body. Later wins: the object's ``extra_body``, unknown options, the call's."""
    return {**(settings or {}), **extra, **(call or {})}


# ---------------------------------------------------------------- parameters


def sampling_params(values: Mapping[str, Any], overrides: Mapping[str, Any]) -> tuple[SamplingParams, dict[str, Any]]:
    """A chat model's settings (``values``, by :class:`SamplingParams` field) with a call's overrides.

    Overrides that are no setting are returned, for the body.
    """
    params = dict(values)
    extra: dict[str, Any] = {}
    for name, value in overrides.items():
        if name in _PER_CALL:
            params[RENAMED.get(name, name)] = value
        else:
            extra[name] = value
    parallel = params.pop("parallel_tool_calls", None)
    return SamplingParams(**params, parallel_tool_calls=parallel), extra


def completion_params(
    values: Mapping[str, Any], overrides: Mapping[str, Any]
) -> tuple[CompletionParams, dict[str, Any]]:
    """A completions model's settings (``values``, by :data:`COMPLETION_SETTINGS` name) with a call's overrides.

    Overrides that are no setting are returned, for the body.
    """
    params = dict(values)
    extra = {name: value for name, value in overrides.items() if name not in params}
    params.update((name, value) for name, value in overrides.items() if name in params)
    return CompletionParams(**params), extra


def chat_completion_params(
    values: Mapping[str, Any], overrides: Mapping[str, Any]
) -> tuple[CompletionParams, dict[str, Any]]:
    """A chat model's settings as completions parameters, for a chat model used as a completion model.

    ``logprobs=True`` asks for ``top_logprobs`` alternatives per position (0 when unset);
    ``echo`` and ``suffix`` may be given per call. A chat-only setting that is set is
    refused, never dropped.
    """
    overrides = dict(overrides)
    echo, suffix = overrides.pop("echo", None), overrides.pop("suffix", None)
    sampling, extra = sampling_params(values, overrides)
    check_endpoint(COMPLETIONS.name, sampling)
    if sampling.top_logprobs is not None and not sampling.logprobs:
        raise ParameterError("top_logprobs", "is sent only together with logprobs=True", sampling.top_logprobs)
    asked: object = sampling.logprobs  # a count may be given per call, as on /v1/completions
    count = asked if isinstance(asked, int) and not isinstance(asked, bool) else None
    if asked is True:
        count = sampling.top_logprobs or 0
    params = CompletionParams(
        temperature=sampling.temperature,
        top_p=sampling.top_p,
        max_tokens=sampling.max_completion_tokens,
        stop=sampling.stop,
        seed=sampling.seed,
        frequency_penalty=sampling.frequency_penalty,
        presence_penalty=sampling.presence_penalty,
        user=sampling.user,
        n=sampling.n,
        logprobs=count,
        echo=echo,
        suffix=suffix,
        stop_token_ids=sampling.stop_token_ids,
    )
    return params, extra


# ---------------------------------------------------------------- OpenAI-shaped values


_MODES: dict[Any, ToolChoice] = {
    "auto": "auto",
    "none": "none",
    "required": "required",
    "any": "required",
    True: "required",
}


def tool_spec_from_openai(tool: Mapping[str, Any]) -> ToolSpec:
    """An OpenAI ``{"type": "function", "function": {...}}`` dict (or its inner function) as a ToolSpec."""
    return ToolSpec(*_tool_fields(tool))  # positional: this runs for every tool bound to a model, on every call


def _tool_fields(tool: Mapping[str, Any]) -> tuple[str, str, Mapping[str, Any], bool | None]:
    """An OpenAI tool's name, description, parameters and strictness, as its ToolSpec holds them."""
    function = tool.get("function", tool)
    if not (type(function) is dict or isinstance(function, Mapping)) or not function.get("name"):
        raise ParameterError("tools", "each tool must be a function with a name", tool)
    return (
        function["name"],
        function.get("description") or "",
        function.get("parameters") or no_parameters(),
        function.get("strict"),
    )


_SPECS: dict[int, tuple[Mapping[str, Any], ToolSpec]] = {}
"""The spec last made of each OpenAI tool dict, by the dict's ``id`` (the dict is kept, so the id is not reused)."""
_SPECS_KEPT = 512


def _remembered_spec(tool: Mapping[str, Any]) -> ToolSpec:
    """:func:`tool_spec_from_openai`, the spec made of the same dict before when its fields are still the same objects.

    LangChain binds tools once and sends the same dicts with every call; a spec holds the very
    objects the dict holds (its parameters are encoded as they are at sending), so one whose
    name, description, parameters and strictness are still those objects is what converting the
    dict again would give.
    """
    name, description, parameters, strict = fields = _tool_fields(tool)
    kept = _SPECS.get(id(tool))
    if kept is not None and kept[0] is tool:
        spec = kept[1]
        if (
            name is spec.name
            and description is spec.description
            and parameters is spec.parameters
            and strict is spec.strict
        ):
            return spec
    spec = ToolSpec(*fields)
    if len(_SPECS) >= _SPECS_KEPT:
        _SPECS.clear()
    _SPECS[id(tool)] = (tool, spec)
    return spec


def tool_choice_from(value: object, tool_names: frozenset[str] = frozenset()) -> ToolChoice | None:
    """``auto``/``none``/``required`` (``any`` and ``True`` mean required), a tool name, or a forced-function dict."""
    if value is None or value is False:
        return None
    if isinstance(value, ForcedTool):
        return value
    if isinstance(value, Mapping):
        function = value.get("function") or {}
        if value.get("type") == "function" and function.get("name"):
            return ForcedTool(function["name"])
        raise ParameterError("tool_choice", "a dict must be {'type': 'function', 'function': {'name': ...}}", value)
    if isinstance(value, str) and value in tool_names:
        return ForcedTool(value)
    if value in _MODES:
        return _MODES[value]  # type: ignore[index]
    if isinstance(value, str):
        return ForcedTool(value)
    raise ParameterError("tool_choice", "must be auto, none, required/any, a tool name or a function dict", value)


def response_format_from(value: object) -> ResponseFormat | None:
    """``{"type": "json_object"}``, ``{"type": "json_schema", "json_schema": {...}}`` or a core format."""
    if value is None or isinstance(value, (JsonObjectFormat, JsonSchemaFormat)):
        return value
    if isinstance(value, Mapping) and value.get("type") == "json_object":
        return JsonObjectFormat()
    if (
        isinstance(value, Mapping)
        and value.get("type") == "json_schema"
        and isinstance(value.get("json_schema"), Mapping)
    ):
        spec = value["json_schema"]
        return JsonSchemaFormat(
            name=spec.get("name") or "response",
            schema=spec.get("schema") or {},
            strict=spec.get("strict"),
            description=spec.get("description"),
        )
    raise ParameterError("response_format", "must be {'type': 'json_object'} or {'type': 'json_schema', ...}", value)


def tool_call_to_openai(call: ToolCall) -> dict[str, Any]:
    """A tool call as OpenAI's ``{"id", "type": "function", "function": {"name", "arguments"}}``."""
    return {"id": call.id, "type": "function", "function": {"name": call.name, "arguments": call.arguments}}


def tool_calls_from_openai(calls: object, field: str) -> tuple[ToolCall, ...]:
    """A list of OpenAI tool calls (dicts or SDK objects) as core calls; ``field`` names it in errors."""
    if not calls:
        return ()
    if not isinstance(calls, (list, tuple)):
        raise ParameterError(field, "additional_kwargs['tool_calls'] must be a list of OpenAI tool calls", calls)
    return tuple(tool_call_from_openai(call, f"{field}[{i}]") for i, call in enumerate(calls))


def tool_call_from_openai(call: object, field: str) -> ToolCall:
    """One OpenAI ``{"id", "function": {"name", "arguments"}}`` dict or SDK object; arguments text or an object."""
    dump = getattr(call, "model_dump", None)
    data = call if isinstance(call, Mapping) else dump() if callable(dump) else None
    function = data.get("function") if isinstance(data, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(function, Mapping) or not isinstance(function.get("name"), str):
        raise ParameterError(field, "must be {'id': ..., 'function': {'name': <string>, 'arguments': ...}}", call)
    arguments = function.get("arguments")
    call_id = str(data.get("id") or "")
    if isinstance(arguments, Mapping):
        return ToolCall.from_args(call_id, function["name"], arguments, field=field)
    if arguments is not None and not isinstance(arguments, str):
        raise ParameterError(f"{field}.function.arguments", "must be JSON text or an object", arguments)
    return ToolCall.from_arguments(call_id, function["name"], arguments or "")
