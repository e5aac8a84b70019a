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
from pydantic.fields import FieldInfo

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


def with_settings_section(doc: str | None, model_fields: Mapping[str, FieldInfo]) -> str:
    """``doc`` followed by a ``Settings:`` section: each field that has a description, with it."""
    lines = [f"        {name}: {field.description}" for name, field in model_fields.items() if field.description]
    return "\n".join([(doc or "").rstrip(), "", "    Settings:", *lines, ""])


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

    model: str = Field(
        validation_alias=AliasChoices("model", "model_name"),
        description="Model id as GET /v1/models lists it, e.g. 'deepseek-ai/DeepSeek-R1' (alias model_name). str, "
        "required. Every endpoint. An id the catalog does not know is sent as it is, with conservative "
        "limits (see model_info).",
    )

    api_key: SecretStr | None = Field(
        default_factory=api_key_from_env,
        validation_alias=AliasChoices("api_key", "openai_api_key"),
        exclude=True,
        description="API key, sent as a bearer token (alias openai_api_key). SecretStr; default: the "
        "MODELVERSE_API_KEY environment variable. Every endpoint. A missing key fails at construction "
        "(MissingAPIKeyError, inside pydantic's ValidationError). Never shown in repr, logs or errors.",
    )

    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("base_url", "openai_api_base"),
        description="Endpoint root, with /v1 (alias openai_api_base). str; default None: the region's host when "
        "region is set, else MODELVERSE_BASE_URL, else https://api.modelverse.cn/v1. Every endpoint. "
        "Resolved at construction; plain http to a host other than loopback warns.",
    )

    region: Literal["cn", "global"] | None = Field(
        default=None,
        description="'cn' (https://api.modelverse.cn/v1) or 'global' (https://api.umodelverse.ai/v1, for places where"
        " .cn domains cannot be used). Default None: MODELVERSE_BASE_URL or 'cn'. Ignored when base_url "
        "is set. Checked at construction.",
    )

    timeout: float | httpx.Timeout | None = Field(
        default=DEFAULT_TIMEOUT,
        validation_alias=AliasChoices("timeout", "request_timeout"),
        description="Seconds per request, or an httpx.Timeout (from modelverse_core.compat import httpx) for connect,"
        " read, write and pool apart; None waits forever (alias request_timeout). Default 600.0. Every "
        "endpoint. A number must be > 0, checked at construction.",
    )

    max_retries: int = Field(
        default=DEFAULT_MAX_RETRIES,
        description="Retries of 408, 409, 429 and 5xx answers and of connection errors and timeouts, with the openai "
        "SDK's backoff (the only retry layer). int >= 0; default 2. Every endpoint. Checked at "
        "construction.",
    )

    default_headers: dict[str, str] | None = Field(
        default=None,
        description="Headers added to every request. dict[str, str]; default None. Every endpoint. Not checked.",
    )

    http_client: httpx.Client | None = Field(
        default=None,
        exclude=True,
        description="A caller-supplied sync HTTP client (an httpx.Client from modelverse_core.compat), for proxies or"
        " custom transports. Default None: the SDK's own. Every endpoint. Never serialized; a model "
        "holding one cannot be pickled.",
    )

    http_async_client: httpx.AsyncClient | None = Field(
        default=None,
        exclude=True,
        description="A caller-supplied async HTTP client (an httpx.AsyncClient from modelverse_core.compat). Default "
        "None: the SDK's own. Every endpoint. Never serialized; a model holding one cannot be pickled.",
    )

    extra_body: dict[str, Any] | None = Field(
        default=None,
        description="Fields merged last into every request body, over the settings (a call's own extra_body wins over"
        " this one). dict; default None. Every endpoint. Sent unchecked: the way to pass a server's "
        "switch that has no setting here, e.g. {'enable_thinking': False}.",
    )

    model_info: ModelInfo | None = Field(
        default=None,
        description="Overrides the catalog entry for this model (modelverse_core.ModelInfo: context window, maximum "
        "output, reasoning, tool calling, vision, structured-output methods). Default None: the catalog's"
        " entry, or conservative defaults for an id it does not know. Drives the checks before sending "
        "(max_tokens, images) and the reported capabilities; never sent.",
    )

    _mv_client: ModelverseClient | None = PrivateAttr(default=None)
    _mv_error_resolver: ClassVar[Resolver] = staticmethod(_identity)  # type: ignore[assignment]

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """List every described setting in the class docstring, so that ``help()`` shows the reference."""
        super().__pydantic_init_subclass__(**kwargs)
        cls.__doc__ = with_settings_section(cls.__doc__, cls.__pydantic_fields__)  # ~30 µs a class

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
    """The sampling parameters every inference endpoint shares.

    A setting described as "checked before sending" that breaks its limit raises a
    :class:`~modelverse_core.errors.ParameterError` naming it: at construction (inside
    pydantic's ``ValidationError``), or before the request for a value given per call.
    """

    temperature: float | None = Field(
        default=None,
        description="Sampling temperature: higher is more random. float in [0, 2]; default None: not sent (the "
        "server's default). Endpoints: chat, responses, completions. Checked before sending.",
    )

    top_p: float | None = Field(
        default=None,
        description="Nucleus sampling: the probability mass of the tokens sampled from. float in [0, 1]; default "
        "None: not sent (ModelVerse's default is 0.7). Endpoints: chat, responses, completions. Checked "
        "before sending.",
    )

    max_tokens: int | None = Field(
        default=None,
        validation_alias=AliasChoices("max_tokens", "max_completion_tokens"),
        description="Maximum output tokens (alias max_completion_tokens). int in [1, the model's maximum output] "
        "(16384 for the catalog's DeepSeek models; no upper bound checked where the catalog has none); "
        "default None: not sent. Endpoints: chat (sent as max_completion_tokens), responses "
        "(max_output_tokens), completions (max_tokens). Checked before sending.",
    )

    stop: list[str] | None = Field(
        default=None,
        validation_alias=AliasChoices("stop", "stop_sequences"),
        description="Stop words: the output ends before the first of them (alias stop_sequences). list[str], at most "
        "4 words of at most 20 characters each; default None. Endpoints: chat, completions; refused with "
        "use_responses_api=True. Checked before sending.",
    )

    seed: int | None = Field(
        default=None,
        description="Seed for best-effort repeatable samples (same seed and settings). int in (0, 2147483647), both "
        "ends excluded; default None. Endpoints: chat, completions; refused with use_responses_api=True. "
        "Checked before sending.",
    )

    frequency_penalty: float | None = Field(
        default=None,
        description="Penalizes tokens by how often they already appear. float in [-2, 2]; default None. Endpoints: "
        "chat, completions; refused with use_responses_api=True. Checked before sending.",
    )

    presence_penalty: float | None = Field(
        default=None,
        description="Penalizes tokens that already appear at all. float in [-2, 2]; default None. Endpoints: chat, "
        "completions; refused with use_responses_api=True. Checked before sending.",
    )

    user: str | None = Field(
        default=None,
        description="End-user identifier, for the provider's abuse monitoring. str; default None. Endpoints: chat, "
        "responses, completions. Checked before sending.",
    )

    n: int | None = Field(
        default=None,
        description="Number of choices to generate. int in [1, 128]; default None (one). Endpoints: chat, completions"
        " (only 1 when streaming a completion); refused with use_responses_api=True. Checked before "
        "sending.",
    )

    stop_token_ids: list[int] | None = Field(
        default=None,
        description="Token ids that end the output (documented for private deployments, e.g. ChatGLM4-9B). list[int];"
        " default None. Endpoints: chat, completions; refused with use_responses_api=True. Checked before"
        " sending.",
    )

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
        if stream and isinstance(params.n, int) and params.n > 1:  # a value of another type is refused below
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

    penalty_score: float | None = Field(
        default=None,
        description="ModelVerse's repetition penalty; 1.0 is none. float in [1, 2]; default None (the server's 1.0). "
        "Endpoint: chat only; refused with use_responses_api=True and on /v1/completions. Checked before "
        "sending.",
    )

    reasoning_effort: str | None = Field(
        default=None,
        description="How much a reasoning model thinks before it answers. One of 'none', 'minimal', 'low', 'medium', "
        "'high', 'xhigh' (OpenAI's values; ModelVerse documents 'low'); default None: not sent, the "
        "model's own default. Sent as reasoning_effort (chat) or reasoning.effort (responses); refused on"
        " /v1/completions. Checked before sending. Any other value fails; a server that takes one gets it"
        " through extra_body={'reasoning_effort': ...} (chat), sent unchecked.",
    )

    web_search: dict[str, Any] | None = Field(
        default=None,
        description="ModelVerse's search augmentation settings, sent as given; off unless set. dict; default None. "
        "Endpoint: chat only; refused with use_responses_api=True and on /v1/completions. Only the type (a "
        "mapping) is checked before sending.",
    )

    request_metadata: dict[str, str] | None = Field(
        default=None,
        description="Sent as the API's metadata (the name metadata is the framework's own). dict[str, str], at most "
        "16 pairs, keys and values strings; default None. Endpoints: chat, responses; refused on "
        "/v1/completions. Checked before sending.",
    )

    logprobs: bool | None = Field(
        default=None,
        description="Return the log probabilities of the output tokens. bool; default None. Endpoint: chat (a "
        "LlamaIndex completion model, is_chat_model=False, asks /v1/completions for top_logprobs "
        "alternatives); refused with use_responses_api=True. Pydantic checks the type at construction.",
    )

    top_logprobs: int | None = Field(
        default=None,
        description="Most likely alternatives returned per position, with logprobs=True. int in [0, 20]; default "
        "None. Endpoint: chat (and /v1/completions for a LlamaIndex completion model); refused with "
        "use_responses_api=True. Checked before sending.",
    )

    use_responses_api: bool = Field(
        default=False,
        description="Call POST /v1/responses instead of /v1/chat/completions; the results read the same. bool; "
        "default False; also a per-call option. Settings the Responses API has no field for (stop, seed, "
        "the penalties, web_search, n, logprobs, top_logprobs, stop_token_ids) are refused before "
        "sending.",
    )

    reasoning_in_history: ReasoningPolicy = Field(
        default="auto",
        description="Which earlier reasoning is sent back with the history: 'auto' (that of assistant messages that "
        "called tools, which thinking-mode models require, and of those after the last user message), "
        "'always' or 'never'. Default 'auto'. Endpoints: chat, responses. Checked at construction.",
    )

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

    logprobs: int | None = Field(
        default=None,
        description="Return the log probabilities of the chosen tokens plus this many alternatives per position. int "
        "in [0, 20]; default None: none returned. Endpoint: completions. Checked before sending.",
    )

    echo: bool | None = Field(
        default=None,
        description="Return the prompt before the completion. bool; default None. Endpoint: completions. Checked "
        "before sending.",
    )

    suffix: str | None = Field(
        default=None,
        description="Text that comes after the completion, for fill-in-the-middle models. str; default None. "
        "Endpoint: completions. Checked before sending.",
    )

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
