"""What both LangChain models add to the shared settings.

Streaming switches, further body fields, the LangChain error classes,
serialization with the key as a secret reference, what LangSmith is told, and
offline token counting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from langchain_core.language_models import LangSmithParams
from pydantic import Field

from modelverse_core.errors import Resolver
from modelverse_core.params import ModelverseSampling
from modelverse_core.tokens import count_text_tokens

from .convert import PROVIDER
from .errors import langchain_error


class LangChainModelverse(ModelverseSampling):
    """Settings and hooks shared by ``ChatModelverse`` and ``Modelverse``."""

    stream_usage: bool = Field(
        default=True,
        description="Ask for usage on the last chunk of every stream (stream_options.include_usage), so streamed "
        "messages carry usage_metadata. bool; default True; also a per-call option. Endpoints: chat, "
        "completions (a Responses stream always reports usage).",
    )

    streaming: bool = Field(
        default=False,
        description="Stream under invoke and generate too, so callbacks receive each token. bool; default False. "
        "Every endpoint.",
    )

    model_kwargs: dict[str, Any] = Field(
        default_factory=dict,
        description="Options given to every call, as if passed to each: a setting's name is checked as a per-call "
        "value, any other key goes into the request body unchecked; a call's own options and extra_body "
        "win. dict; default {}. Every endpoint.",
    )

    _mv_error_resolver: ClassVar[Resolver] = staticmethod(langchain_error)  # type: ignore[assignment]
    _ls_model_type: ClassVar[Literal["chat", "llm"]] = "chat"

    if TYPE_CHECKING:  # a field of LangChain's model classes, which come after this mixin
        custom_get_token_ids: Callable[[str], list[int]] | None

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": self.model, "base_url": self.base_url, **self._default_params()}

    def _default_params(self) -> dict[str, Any]:
        """The parameters set on this model, under their documented names."""
        return self._mv_params_sent()

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """The model can be saved with ``dumpd`` (the key is written as a secret reference)."""
        return True

    @property
    def lc_secrets(self) -> dict[str, str]:
        """The key is serialized as a reference to ``MODELVERSE_API_KEY``."""
        return {"api_key": "MODELVERSE_API_KEY"}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider=PROVIDER,
            ls_model_name=kwargs.get("model") or self.model,
            ls_model_type=self._ls_model_type,
            ls_temperature=kwargs.get("temperature", self.temperature),
        )
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        if stop or self.stop:
            params["ls_stop"] = stop or self.stop
        return params

    def get_num_tokens(self, text: str) -> int:
        """Estimated tokens of ``text``, offline, calibrated for Chinese and English (``modelverse_core.tokens``).

        A ``custom_get_token_ids`` given to the model is used instead.
        """
        if self.custom_get_token_ids is not None:
            return len(self.custom_get_token_ids(text))
        return count_text_tokens(text)

    def _call_options(self, stop: list[str] | None, kwargs: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """A call's options over ``model_kwargs``, with its stop words; and whether to ask for stream usage."""
        options = {**self.model_kwargs, **kwargs}
        include_usage = bool(options.pop("stream_usage", self.stream_usage))
        if stop is not None:
            options["stop"] = stop
        return options, include_usage
