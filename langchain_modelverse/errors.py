"""The core errors, each also an instance of langchain-core's ``ModelError`` family.

``ChatModelverse`` raises these subclasses, so ``except ContextOverflowError``
(as langchain's summarization middleware does), ``except openai.RateLimitError``
and ``except modelverse_core.RateLimitError`` all catch the same error.
"""

from __future__ import annotations

from functools import cache

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)

from modelverse_core import errors as core

LANGCHAIN_ERRORS: dict[type[core.ModelverseError], type[ModelError]] = {
    core.PromptTooLongError: ContextOverflowError,
    core.OutputLimitError: ContextOverflowError,
    core.InvalidRequestError: ModelInvalidRequestError,
    core.AuthenticationError: ModelAuthenticationError,
    core.PermissionDeniedError: ModelPermissionDeniedError,
    core.NotFoundError: ModelNotFoundError,
    core.RateLimitError: ModelRateLimitError,
    core.APITimeoutError: ModelTimeoutError,
    core.APIConnectionError: ModelConnectionError,
    core.APIError: ModelAPIError,
}
"""Each core class (and its subclasses) to the langchain-core class it also becomes."""


@cache
def langchain_error(cls: type[core.ModelverseError]) -> type[core.ModelverseError]:
    """The subclass of ``cls`` that is also the matching langchain-core error."""
    match = next((LANGCHAIN_ERRORS[base] for base in cls.__mro__ if base in LANGCHAIN_ERRORS), None)
    if match is None:
        return cls
    return type(cls.__name__, (cls, match), {"__module__": __name__, "__doc__": cls.__doc__})
