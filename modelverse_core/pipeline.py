"""The request pipeline: every check of a call, role merging and the reasoning policy, then the wire's encoder.

:func:`prepare` is the one way from a :class:`~modelverse_core.call.Request` to the
body sent: the documented limits are checked (errors name the caller's fields and
positions), runs of same-role messages are merged for models with strict role
alternation, the reasoning policy decides which earlier reasoning is sent back, and
the endpoint's :class:`~modelverse_core.wire.Wire` encodes the result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from .call import Prepared, Request
from .catalog import ModelInfo, model_info
from .errors import ParameterError
from .limits import (
    CompletionParams,
    SamplingParams,
    check_completion_params,
    check_endpoint,
    check_messages,
    check_params,
)
from .types import (
    Content,
    ForcedTool,
    Message,
    Part,
    ReasoningPolicy,
    ResponseFormat,
    TextPart,
    ToolChoice,
    ToolSpec,
)
from .wire import CHAT, COMPLETIONS, RESPONSES, Wire

REASONING_POLICIES: tuple[ReasoningPolicy, ...] = ("auto", "always", "never")


def prepare(request: Request, wire: Wire) -> Prepared:
    """``request`` checked, its history as every wire sends it, and encoded for ``wire``'s endpoint."""
    checked = check_prompt(request) if wire.name == "completions" else check_chat(request, wire.name)
    history = wire.history
    if history is not None and request.extra_body and history in request.extra_body:
        history = None  # extra_body's own, unchecked
    return Prepared(wire, wire.build(checked), checked, history)


def check_chat(request: Request, endpoint: str) -> Request:
    """Every check of a request of messages, then its history as sent: role runs merged, reasoning flags set."""
    params = request.params
    if not isinstance(params, SamplingParams):
        raise ParameterError("params", "must be SamplingParams for a request of messages", type(params).__name__)
    check_request(
        request.messages,
        params,
        request.info,
        tools=request.tools,
        tool_choice=request.tool_choice,
        reasoning_policy=request.reasoning_policy,
    )
    check_endpoint(endpoint, params)
    messages = merge_role_runs(request.messages) if request.info.alternating_roles else request.messages
    return request.with_history(messages, reasoning_sent(messages, request.reasoning_policy))


def check_prompt(request: Request) -> Request:
    """Every check of a completions request: a text prompt, the parameters' limits, one choice when streaming."""
    params = request.params
    if not isinstance(params, CompletionParams):
        raise ParameterError("params", "must be CompletionParams for a completions request", type(params).__name__)
    if request.stream and isinstance(params.n, int) and params.n > 1:  # a value of another type is refused below
        raise ParameterError("n", "must be 1 when streaming a completion", params.n)
    if not isinstance(request.prompt, str):
        raise ParameterError("prompt", "must be a string", type(request.prompt).__name__)
    check_completion_params(params, request.info)
    return request


def build_request(
    model: str,
    messages: Sequence[Message],
    params: SamplingParams | None = None,
    *,
    tools: Sequence[ToolSpec] = (),
    tool_choice: ToolChoice | None = None,
    response_format: ResponseFormat | None = None,
    stream: bool = False,
    include_usage: bool = True,
    reasoning_policy: ReasoningPolicy = "auto",
    extra_body: Mapping[str, Any] | None = None,
    info: ModelInfo | None = None,
    wire: Wire = CHAT,
) -> dict[str, Any]:
    """Check everything, then give the body of a request of ``messages`` (``POST /chat/completions`` by default).

    For models with strict role alternation, runs of same-role messages are merged after the
    checks (so errors name the caller's positions). ``extra_body`` is merged last, so it can
    set anything the typed settings do not. ``wire=RESPONSES`` gives the ``/v1/responses`` body.
    """
    request = Request(
        model,
        info or model_info(model),
        messages,
        params=params or SamplingParams(),
        tools=tools,
        tool_choice=tool_choice,
        response_format=response_format,
        stream=stream,
        include_usage=include_usage,
        reasoning_policy=reasoning_policy,
        extra_body=extra_body,
    )
    return prepare(request, wire).body


def build_responses_request(
    model: str,
    messages: Sequence[Message],
    params: SamplingParams | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """:func:`build_request` for ``POST /v1/responses``: chat-only settings are refused, usage needs no option."""
    return build_request(model, messages, params, wire=RESPONSES, **settings)


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
    """Check everything, then give the ``POST /v1/completions`` body; ``extra_body`` is merged last."""
    request = Request(
        model,
        info or model_info(model),
        prompt=prompt,
        params=params or CompletionParams(),
        stream=stream,
        include_usage=include_usage,
        extra_body=extra_body,
    )
    return prepare(request, COMPLETIONS).body


def check_request(
    messages: Sequence[Message],
    params: SamplingParams,
    info: ModelInfo,
    *,
    tools: Sequence[ToolSpec] = (),
    tool_choice: ToolChoice | None = None,
    reasoning_policy: str = "auto",
) -> None:
    """Every client-side check of a request, in one place."""
    if reasoning_policy not in REASONING_POLICIES:
        raise ParameterError(
            "reasoning_in_history", f"must be one of {', '.join(REASONING_POLICIES)}", reasoning_policy
        )
    check_params(params, info)
    check_messages(messages, info)
    if tool_choice is not None and not tools:
        raise ParameterError("tool_choice", "is sent only together with at least one tool", tool_choice)
    if isinstance(tool_choice, ForcedTool) and tool_choice.name not in {t.name for t in tools}:
        raise ParameterError("tool_choice", "must name one of the tools given", tool_choice.name)
    if tools and info.tool_calling is False:
        raise ParameterError("tools", f"model {info.id} does not support tool calling", [t.name for t in tools])


# ---------------------------------------------------------------- history as sent


MERGED_ROLES = frozenset({"system", "user", "assistant"})
"""Roles whose consecutive messages are merged for models with strict alternation; tool results never are."""


def merge_role_runs(messages: Sequence[Message]) -> list[Message]:
    """Merge each run of consecutive same-role messages into one, as strict-alternation models need.

    Text is joined with a blank line, parts are kept in order, reasoning and tool calls are
    kept; an assistant message with tool calls ends its run, since results must follow it.
    """
    merged: list[Message] = []
    previous: Message | None = None
    for message in messages:
        if previous is not None and previous.role == message.role and _continues_run(previous, message):
            previous = merged[-1] = _merge(previous, message)
        else:
            merged.append(message)
            previous = message
    return merged


def _continues_run(previous: Message, message: Message) -> bool:
    return previous.role == message.role and message.role in MERGED_ROLES and not previous.tool_calls


def _merge(first: Message, second: Message) -> Message:
    return replace(
        first,
        content=_join_content(first.content, second.content),
        reasoning=_join_text(first.reasoning, second.reasoning) or None,
        tool_calls=second.tool_calls,
        name=first.name if first.name == second.name else None,
    )


def _join_text(*texts: str | None) -> str:
    return "\n\n".join(text for text in texts if text)


def _join_content(first: Content, second: Content) -> Content:
    if isinstance(first, str) and isinstance(second, str):
        return _join_text(first, second)
    return _parts(first) + _parts(second)


def _parts(content: Content) -> tuple[Part, ...]:
    if isinstance(content, str):
        return (TextPart(content),) if content else ()
    return content


def reasoning_sent(messages: Sequence[Message], policy: ReasoningPolicy) -> list[bool]:
    """For each message, whether its reasoning (assistant messages only) is sent back under ``policy``.

    ``auto`` sends the reasoning of every assistant message that called tools, in every
    turn (thinking-mode models refuse a history whose tool-calling messages lack it), and
    of every message after the last user message; it drops it from earlier plain answers,
    which some reasoning models refuse to receive.
    """
    last_user = next((i for i in range(len(messages) - 1, -1, -1) if messages[i].role == "user"), -1)
    return [
        m.role == "assistant" and (policy == "always" or (policy == "auto" and (bool(m.tool_calls) or i > last_user)))
        for i, m in enumerate(messages)
    ]
