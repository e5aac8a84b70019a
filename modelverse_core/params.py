"""The settings the plugins expose, declared once as pydantic mixins.

:class:`ModelverseConnection` holds what every endpoint needs (model, key,
endpoint, timeouts, retries, HTTP clients, ``extra_body``), :class:`ModelverseSampling`
the sampling parameters every endpoint shares; :class:`ModelverseParams` adds the chat
settings (``ChatModelverse``, LlamaIndex's ``Modelverse``) and
:class:`ModelverseCompletionParams` the completions ones (LangChain's ``Modelverse``).
The framework classes inherit fields, aliases and validation and only add framework
hooks. The mixins import pydantic and core, never a framework.

:class:`ModelverseConnection` also decides how a model travels to another process
or is copied: the settings go, the SDK clients (connection pools, locks, per-loop
state) never do; every copy builds its own on first use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from .catalog import ModelInfo, model_info
from .client import ModelverseClient
from .coerce import response_format_from, tool_choice_from, tool_spec_from_openai
from .compat import httpx
from .errors import ParameterError, Resolver, _identity
from .limits import CompletionParams, SamplingParams, check_completion_params, check_params
from .request import build_request
from .settings import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ConnectionSettings,
    api_key_from_env,
    check_connection,
    require_api_key,
    resolve_base_url,
)
from .types import Message, ReasoningPolicy
from .wire import CHAT, Wire
from .wire.completions import build_completion_request
from .wire.responses import RESPONSES, build_responses_request, check_responses_params

if TYPE_CHECKING:
    from typing_extensions import Self

_RENAMED = {"max_tokens": "max_completion_tokens", "request_metadata": "metadata"}
_SAMPLING_FIELDS = (
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
_PER_CALL_NAMES = frozenset(_SAMPLING_FIELDS) | frozenset(_RENAMED.values()) | {"parallel_tool_calls"}
_CALLER_CLIENTS = ("http_client", "http_async_client")


class ModelverseConnection(BaseModel):
    """Model, key, endpoint and transport settings: what every ModelVerse model needs."""

    model_config = ConfigDict(
        populate_by_name=True,
        protected_namespaces=(),
        arbitrary_types_allowed=True,
        hide_input_in_errors=True,
        extra="forbid",
        # A validator is built on a class's first construction, not at import: the plugins'
        # models build theirs when first used, and the mixins, which no plugin constructs, never do.
        defer_build=True,
    )

    model: str = Field(validation_alias=AliasChoices("model", "model_name"))
    """Model id, e.g. ``deepseek-ai/DeepSeek-R1`` (alias ``model_name``)."""

    api_key: SecretStr | None = Field(
        default_factory=api_key_from_env,
        validation_alias=AliasChoices("api_key", "openai_api_key"),
        exclude=True,
    )
    """API key; defaults to ``MODELVERSE_API_KEY`` (alias ``openai_api_key``)."""

    base_url: str | None = Field(default=None, validation_alias=AliasChoices("base_url", "openai_api_base"))
    """Endpoint; defaults to ``MODELVERSE_BASE_URL`` or the region's host (alias ``openai_api_base``)."""

    region: Literal["cn", "global"] | None = None
    """``global`` selects ``https://api.umodelverse.ai/v1``; ignored when ``base_url`` is set."""

    timeout: float | httpx.Timeout | None = Field(
        default=DEFAULT_TIMEOUT, validation_alias=AliasChoices("timeout", "request_timeout")
    )
    """Seconds per request (or an ``httpx.Timeout``)."""

    max_retries: int = DEFAULT_MAX_RETRIES
    """Retries of 408/409/429/5xx and connection errors, done by the SDK (the only retry layer)."""

    default_headers: dict[str, str] | None = None
    """Headers added to every request."""

    http_client: httpx.Client | None = Field(default=None, exclude=True)
    """A caller-supplied sync HTTP client (proxies, custom transports)."""

    http_async_client: httpx.AsyncClient | None = Field(default=None, exclude=True)
    """A caller-supplied async HTTP client."""

    extra_body: dict[str, Any] | None = None
    """Merged last into every request body."""

    model_info: ModelInfo | None = None
    """Overrides the catalog entry for this model (context window, limits, capabilities)."""

    _mv_client: ModelverseClient | None = PrivateAttr(default=None)
    _mv_error_resolver: ClassVar[Resolver] = staticmethod(_identity)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _modelverse_check_connection(self) -> Self:
        """Fail at construction on a missing key or unusable connection settings."""
        require_api_key(self.api_key)  # checked, not assigned: model_fields_set keeps saying who gave the key
        self.base_url = resolve_base_url(self.base_url, self.region)
        check_connection(self.timeout, self.max_retries)
        return self

    # ------------------------------------------------------------------ copies and pickles

    def __getstate__(self) -> dict[Any, Any]:
        """The settings, for a pickle: never the SDK clients, and a key only if the caller passed one.

        A key read from ``MODELVERSE_API_KEY`` is left out and read again from the
        environment where the pickle is loaded. A key passed as ``api_key`` travels
        as the ``SecretStr`` it is: a pickle is how a worker gets its configuration.
        Nothing is dropped silently: a value that cannot be pickled fails the pickle.
        """
        self._mv_refuse_caller_clients()
        state = BaseModel.__getstate__(self)
        values = dict(state["__dict__"])
        if "api_key" not in self.model_fields_set:
            values["api_key"] = None
        private = {**(state["__pydantic_private__"] or {}), "_mv_client": None}
        return {**state, "__dict__": values, "__pydantic_private__": private}

    def __setstate__(self, state: dict[Any, Any]) -> None:
        """Restore the settings as they were validated; a key left out is read from the environment."""
        BaseModel.__setstate__(self, state)
        if "api_key" not in self.model_fields_set:
            self.__dict__["api_key"] = api_key_from_env()

    def __copy__(self) -> Self:
        """A shallow copy with its own SDK clients, built on first use."""
        copied = super().__copy__()
        copied._mv_client = None
        return copied

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        """A deep copy with its own SDK clients; a caller-supplied HTTP client is shared, not copied."""
        memo = {} if memo is None else memo
        if self._mv_client is not None:
            memo[id(self._mv_client)] = None  # deepcopy answers None for it
        for name in _CALLER_CLIENTS:
            client = getattr(self, name)
            if client is not None:
                memo[id(client)] = client
        return super().__deepcopy__(memo)

    def _mv_refuse_caller_clients(self) -> None:
        """A caller-supplied HTTP client holds sockets and locks: say which field stops the pickle."""
        for name in _CALLER_CLIENTS:
            if getattr(self, name) is not None:
                raise TypeError(
                    f"cannot pickle {type(self).__name__} with {name} set: an HTTP client holds open connections "
                    f"and locks and cannot travel to another process. Leave {name} unset, or build the model "
                    "where it is used (for example in each worker)"
                )

    def _mv_extra_body(self, extra: Mapping[str, Any], call_extra_body: Mapping[str, Any] | None) -> dict[str, Any]:
        """What is merged last into a request body.

        Later wins: this object's ``extra_body``, then unknown call options, then the call's ``extra_body``.
        """
        return {**(self.extra_body or {}), **extra, **(call_extra_body or {})}

    def _mv_info(self, model: str) -> ModelInfo:
        """The catalog entry for ``model``, honouring the override."""
        return model_info(model, self.model_info if model == self.model else None)

    def _mv_client_for_settings(self) -> ModelverseClient:
        """The one client of this object, created on first use and reused."""
        client = self._mv_client
        if client is None:
            settings = ConnectionSettings(
                api_key=require_api_key(self.api_key),
                base_url=self.base_url or resolve_base_url(),
                timeout=self.timeout,
                max_retries=self.max_retries,
                default_headers=self.default_headers,
                http_client=self.http_client,
                http_async_client=self.http_async_client,
            )
            client = self._mv_client = ModelverseClient(settings, type(self)._mv_error_resolver)
        return client


class ModelverseSampling(ModelverseConnection):
    """The sampling parameters every inference endpoint shares."""

    temperature: float | None = None
    """Sampling temperature, [0, 2]; unset leaves the server's default."""

    top_p: float | None = None
    """Nucleus sampling, [0, 1]."""

    max_tokens: int | None = Field(default=None, validation_alias=AliasChoices("max_tokens", "max_completion_tokens"))
    """Maximum output tokens (chat sends it as ``max_completion_tokens``); checked against the catalog."""

    stop: list[str] | None = Field(default=None, validation_alias=AliasChoices("stop", "stop_sequences"))
    """At most 4 stop words of at most 20 characters each."""

    seed: int | None = None
    """Best-effort determinism, in (0, 2147483647)."""

    frequency_penalty: float | None = None
    """[-2, 2]."""

    presence_penalty: float | None = None
    """[-2, 2]."""

    user: str | None = None
    """End-user identifier."""

    n: int | None = None
    """Number of choices to generate."""

    stop_token_ids: list[int] | None = None
    """Token ids that stop generation (private deployments)."""

    def _mv_completion_params(self, overrides: Mapping[str, Any]) -> tuple[CompletionParams, dict[str, Any]]:
        """This object's settings as completions parameters, with per-call overrides.

        Unknown overrides are returned, to be sent in the body as they are.
        """
        raise NotImplementedError

    def _mv_completion_request(
        self,
        prompt: str,
        *,
        stream: bool = False,
        include_usage: bool = True,
        options: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The ``/v1/completions`` body for ``prompt`` with this object's settings and per-call ``options``.

        ``options`` may hold ``model``, ``extra_body`` and any parameter of
        :class:`~modelverse_core.limits.CompletionParams`; other keys go into the body
        as they are, except chat-only ones (tools, response formats), which are refused.
        """
        options = dict(options or {})
        model = options.pop("model", None) or self.model
        call_extra_body = options.pop("extra_body", None)
        for name in _NOT_FOR_COMPLETIONS:
            if name in options:
                raise ParameterError(name, "is not a parameter of /v1/completions (a chat setting)", options[name])
        params, extra = self._mv_completion_params(options)
        if stream and (params.n or 1) > 1:
            raise ParameterError("n", "must be 1 when streaming a completion", params.n)
        return build_completion_request(
            model,
            prompt,
            params,
            stream=stream,
            include_usage=include_usage,
            extra_body=self._mv_extra_body(extra, call_extra_body),
            info=self._mv_info(model),
        )


class ModelverseParams(ModelverseSampling):
    """Connection, sampling and vendor settings of the chat models of both plugins."""

    penalty_score: float | None = None
    """ModelVerse's repetition penalty, [1, 2]."""

    reasoning_effort: str | None = None
    """Reasoning effort, e.g. ``"low"``."""

    web_search: dict[str, Any] | None = None
    """Search augmentation settings; off unless set."""

    request_metadata: dict[str, str] | None = None
    """Sent as the API's ``metadata``: at most 16 string pairs."""

    logprobs: bool | None = None
    """Return log probabilities of output tokens."""

    top_logprobs: int | None = None
    """Alternatives per position with ``logprobs``, [0, 20]."""

    use_responses_api: bool = False
    """Call ``POST /v1/responses`` instead of chat completions (per call too); the results read the same."""

    reasoning_in_history: ReasoningPolicy = "auto"
    """Send earlier reasoning back: ``auto`` (only within the current tool loop), ``always`` or ``never``."""

    @model_validator(mode="after")
    def _modelverse_check_settings(self) -> Self:
        """Fail at construction on any value outside its documented limit."""
        sampling = self._mv_sampling({})[0]
        check_params(sampling, self._mv_info(self.model))
        if self.use_responses_api:
            check_responses_params(sampling)
        return self

    def _mv_sampling(self, overrides: Mapping[str, Any]) -> tuple[SamplingParams, dict[str, Any]]:
        """Field values with per-call overrides; unknown overrides are returned for the body."""
        values = {_RENAMED.get(name, name): getattr(self, name) for name in _SAMPLING_FIELDS}
        extra: dict[str, Any] = {}
        for name, value in overrides.items():
            if name in _PER_CALL_NAMES:
                values[_RENAMED.get(name, name)] = value
            else:
                extra[name] = value
        parallel = values.pop("parallel_tool_calls", None)
        return SamplingParams(**values, parallel_tool_calls=parallel), extra

    def _mv_wire(self, options: Mapping[str, Any] | None = None) -> Wire:
        """The endpoint of a call: ``use_responses_api`` from the call's options, else this object's."""
        use_responses = (options or {}).get("use_responses_api", self.use_responses_api)
        return RESPONSES if use_responses else CHAT

    def _mv_request(
        self,
        messages: Sequence[Message],
        *,
        stream: bool = False,
        include_usage: bool = True,
        options: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The request body for ``messages`` with this object's settings and per-call ``options``.

        ``options`` may hold ``tools`` (OpenAI function dicts), ``tool_choice``,
        ``response_format``, ``model``, ``extra_body``, ``use_responses_api`` and
        any sampling parameter; other keys go into the body as they are. The body
        is in the format of :meth:`_mv_wire`'s endpoint for the same options.
        """
        wire = self._mv_wire(options)
        options = dict(options or {})
        options.pop("use_responses_api", None)
        model = options.pop("model", None) or self.model
        tools = [tool_spec_from_openai(t) for t in options.pop("tools", None) or ()]
        tool_choice = tool_choice_from(options.pop("tool_choice", None), frozenset(t.name for t in tools))
        response_format = response_format_from(options.pop("response_format", None))
        call_extra_body = options.pop("extra_body", None)
        params, extra = self._mv_sampling(options)
        shared: dict[str, Any] = {
            "tools": tools,
            "tool_choice": tool_choice,
            "response_format": response_format,
            "stream": stream,
            "reasoning_policy": self.reasoning_in_history,
            "extra_body": self._mv_extra_body(extra, call_extra_body),
            "info": self._mv_info(model),
        }
        if wire is RESPONSES:
            return build_responses_request(model, messages, params, **shared)
        return build_request(model, messages, params, include_usage=include_usage, **shared)

    def _mv_completion_params(self, overrides: Mapping[str, Any]) -> tuple[CompletionParams, dict[str, Any]]:
        """These chat settings as completions parameters, for a model used as a completion model.

        ``logprobs=True`` asks for ``top_logprobs`` alternatives per position (0 when
        unset); ``echo`` and ``suffix`` may be given per call. A chat-only setting
        (web search, reasoning effort, metadata, ...) is refused, never dropped.
        """
        overrides = dict(overrides)
        echo, suffix = overrides.pop("echo", None), overrides.pop("suffix", None)
        sampling, extra = self._mv_sampling(overrides)
        return _completion_params(sampling, echo=echo, suffix=suffix), extra


class ModelverseCompletionParams(ModelverseSampling):
    """Connection and sampling settings of a completions model (``POST /v1/completions``)."""

    logprobs: int | None = None
    """Log probabilities of the chosen tokens plus this many alternatives per position, [0, 20]."""

    echo: bool | None = None
    """Return the prompt before the completion."""

    suffix: str | None = None
    """Text that comes after the completion (fill-in-the-middle models)."""

    @model_validator(mode="after")
    def _modelverse_check_completion_settings(self) -> Self:
        """Fail at construction on any value outside its documented limit."""
        check_completion_params(self._mv_completion_params({})[0], self._mv_info(self.model))
        return self

    def _mv_completion_params(self, overrides: Mapping[str, Any]) -> tuple[CompletionParams, dict[str, Any]]:
        """Field values with per-call overrides; unknown overrides are returned for the body."""
        values = {name: getattr(self, name) for name in _COMPLETION_FIELDS}
        extra = {name: value for name, value in overrides.items() if name not in values}
        values.update((name, value) for name, value in overrides.items() if name in values)
        return CompletionParams(**values), extra


_COMPLETION_FIELDS = tuple(f.name for f in fields(CompletionParams))
_NOT_FOR_COMPLETIONS = ("tools", "tool_choice", "response_format", "messages")
_CHAT_ONLY_PARAMS = ("penalty_score", "reasoning_effort", "web_search", "metadata", "parallel_tool_calls")


def _completion_params(sampling: SamplingParams, *, echo: Any, suffix: Any) -> CompletionParams:
    """Chat settings as completions parameters; a chat-only setting that is set is refused."""
    for name in _CHAT_ONLY_PARAMS:
        value = getattr(sampling, name)
        if value is not None:
            raise ParameterError(name, "is not a parameter of /v1/completions (a chat setting)", value)
    if sampling.top_logprobs is not None and not sampling.logprobs:
        raise ParameterError("top_logprobs", "is sent only together with logprobs=True", sampling.top_logprobs)
    asked: object = sampling.logprobs  # a count may be given per call, as on /v1/completions
    count = asked if isinstance(asked, int) and not isinstance(asked, bool) else None
    if asked is True:
        count = sampling.top_logprobs or 0
    return CompletionParams(
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
