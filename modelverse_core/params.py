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
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, model_validator
from pydantic.fields import FieldInfo

from .call import Prepared
from .catalog import ModelInfo, model_info
from .client import ModelverseClient
from .compat import httpx
from .errors import Resolver, _identity
from .limits import CompletionParams, SamplingParams, check_completion_params, check_endpoint, check_params
from .options import (
    COMPLETION_SETTINGS,
    SAMPLING_PARAMS,
    Defaults,
    chat_completion_params,
    chat_request,
    completion_params,
    prompt_request,
    sampling_params,
)
from .pipeline import prepare
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
from .wire import RESPONSES
from .wire.common import encode_params

if TYPE_CHECKING:
    from typing_extensions import Self

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

    def _mv_defaults(self) -> Defaults:
        """What this object's settings give each call (:mod:`modelverse_core.options`)."""
        raise NotImplementedError

    def _mv_params(self) -> SamplingParams | CompletionParams:
        """The parameters this object's settings make, without a call's options."""
        raise NotImplementedError

    def _mv_params_sent(self) -> dict[str, Any]:
        """The parameters set on this object, under their documented names."""
        return encode_params(self._mv_params())

    def _mv_completion_params(
        self, values: Mapping[str, Any], overrides: Mapping[str, Any]
    ) -> tuple[CompletionParams, dict[str, Any]]:
        """The completions parameters of ``values`` (this object's settings) with a call's overrides."""
        raise NotImplementedError

    def _mv_prepare_prompt(
        self,
        prompt: str,
        *,
        stream: bool = False,
        include_usage: bool = True,
        options: Mapping[str, Any] | None = None,
    ) -> Prepared:
        """The ``/v1/completions`` call of ``prompt`` with this object's settings and a call's ``options``.

        ``options`` may hold ``model``, ``extra_body`` and any completions parameter; other keys go
        into the body as they are, except chat inputs and settings (tools, response formats), which are refused.
        """
        defaults = self._mv_defaults()
        request, wire = prompt_request(
            defaults, prompt, options, self._mv_completion_params, stream=stream, include_usage=include_usage
        )
        return prepare(request, wire)


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
        sampling = self._mv_params()
        check_params(sampling, self._mv_info(self.model))
        if self.use_responses_api:
            check_endpoint(RESPONSES.name, sampling)
        return self

    def _mv_defaults(self) -> Defaults:
        """What this object's settings give each call, its endpoint and reasoning policy included."""
        return Defaults(
            self.model,
            self._mv_values(),
            self._mv_info,
            self.extra_body,
            self.reasoning_in_history,
            self.use_responses_api,
        )

    def _mv_values(self) -> dict[str, Any]:
        """This object's sampling settings, by :class:`SamplingParams` field."""
        return {param: getattr(self, name) for name, param in SAMPLING_PARAMS}

    def _mv_params(self) -> SamplingParams:
        """The sampling parameters this object's settings make."""
        return sampling_params(self._mv_values(), {})[0]

    def _mv_completion_params(
        self, values: Mapping[str, Any], overrides: Mapping[str, Any]
    ) -> tuple[CompletionParams, dict[str, Any]]:
        """These chat settings as completions parameters, for a model used as a completion model.

        See :func:`~modelverse_core.options.chat_completion_params`: a chat-only setting is refused, never dropped.
        """
        return chat_completion_params(values, overrides)

    def _mv_prepare(
        self,
        messages: Sequence[Message],
        *,
        stream: bool = False,
        include_usage: bool = True,
        options: Mapping[str, Any] | None = None,
    ) -> Prepared:
        """The call of ``messages`` with this object's settings and a call's ``options``, ready to send.

        ``options`` may hold ``tools`` (OpenAI function dicts or core tool specs), ``tool_choice``,
        ``response_format``, ``model``, ``extra_body``, ``use_responses_api`` and any sampling
        parameter; other keys go into the body as they are (:mod:`modelverse_core.options`).
        """
        request, wire = chat_request(self._mv_defaults(), messages, options, stream=stream, include_usage=include_usage)
        return prepare(request, wire)


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
        check_completion_params(self._mv_params(), self._mv_info(self.model))
        return self

    def _mv_defaults(self) -> Defaults:
        """What this object's settings give each call."""
        return Defaults(self.model, self._mv_values(), self._mv_info, self.extra_body)

    def _mv_values(self) -> dict[str, Any]:
        """This object's completions settings, by :class:`CompletionParams` field."""
        return {name: getattr(self, name) for name in COMPLETION_SETTINGS}

    def _mv_params(self) -> CompletionParams:
        """The completions parameters this object's settings make."""
        return completion_params(self._mv_values(), {})[0]

    def _mv_completion_params(
        self, values: Mapping[str, Any], overrides: Mapping[str, Any]
    ) -> tuple[CompletionParams, dict[str, Any]]:
        """This object's settings with a call's overrides; unknown overrides are returned for the body."""
        return completion_params(values, overrides)
