"""One error hierarchy, built from one table of the documented codes.

Every API error is also the matching ``openai`` exception, so existing
``except openai.RateLimitError`` handlers keep working. A plugin may supply a
``resolve`` hook that swaps each class for a subclass carrying its framework's
error types too (see :func:`map_api_error`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import openai

from .compat import httpx


class ModelverseError(Exception):
    """Root of every error this package raises."""


class ParameterError(ModelverseError, ValueError):
    """A value breaks a documented limit; raised before any request is sent."""

    def __init__(self, field: str, limit: str, value: Any = None) -> None:
        self.field = field
        self.limit = limit
        self.value = value
        super().__init__(f"{field}: {limit} (got {_short(value)})")


class MissingAPIKeyError(ModelverseError, ValueError):
    """No API key was given and ``MODELVERSE_API_KEY`` is not set."""


class APIError(ModelverseError, openai.APIError):
    """An error reported by, or while talking to, the service."""

    request_id: str | None = None


class APIStatusError(APIError, openai.APIStatusError):
    """The service answered with an error status."""


class InvalidRequestError(APIStatusError, openai.BadRequestError):
    """HTTP 400: the service rejected the request."""


class SensitiveContentError(InvalidRequestError):
    """``invalid_messages``: the content was refused as sensitive."""


class OutputLimitError(InvalidRequestError):
    """``characters_too_long``: the requested output exceeds the model's limit."""


class PromptTooLongError(InvalidRequestError):
    """``tokens_too_long``: the input exceeds the model's context window."""


class AuthenticationError(APIStatusError, openai.AuthenticationError):
    """``invalid_token`` or HTTP 401: the API key was not accepted."""


class PermissionDeniedError(APIStatusError, openai.PermissionDeniedError):
    """``invalid_model`` or HTTP 403: the key may not use this model."""


class NotFoundError(APIStatusError, openai.NotFoundError):
    """HTTP 404."""


class RateLimitError(APIStatusError, openai.RateLimitError):
    """HTTP 429: retried by the SDK, raised when retries run out."""


class ServerError(APIStatusError, openai.InternalServerError):
    """HTTP 5xx: retried by the SDK, raised when retries run out."""


class APIConnectionError(APIError, openai.APIConnectionError):
    """The service could not be reached, or the connection broke."""

    def __init__(self, message: str, request: httpx.Request) -> None:
        openai.APIConnectionError.__init__(self, message=message, request=request)


class APITimeoutError(APIConnectionError, openai.APITimeoutError):
    """The request timed out."""


class StreamTruncatedError(APIConnectionError):
    """A stream ended before the server said it was finished."""


class MalformedResponseError(APIError, openai.APIResponseValidationError):
    """The service sent a body that is not the documented response."""

    def __init__(self, message: str, request: httpx.Request, body: object = None) -> None:
        openai.APIError.__init__(self, message, request, body=body)


class StreamEventError(ModelverseError):
    """An error object the server sent in place of an answer.

    A typed stream event (``error``, ``response.failed``) or a body carrying ``error``.
    Raised by a stream accumulator or a body parser, which has no HTTP response at hand;
    the client maps it through :func:`map_api_error` with the response.
    ``status`` is the HTTP status the error stands for.
    """

    def __init__(self, message: str, body: Mapping[str, Any], status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.body = dict(body)
        self.status = status


class ShapeError(ModelverseError, ValueError):
    """A body or stream event that is not the documented shape (a field of the wrong JSON type).

    Raised by the parsers of :mod:`modelverse_core.shape`, which have no HTTP response at
    hand; the client raises it as :class:`MalformedResponseError` with the response.
    """


ERROR_CODES: dict[str, type[APIStatusError]] = {
    "invalid_messages": SensitiveContentError,
    "characters_too_long": OutputLimitError,
    "tokens_too_long": PromptTooLongError,
    "invalid_token": AuthenticationError,
    "invalid_model": PermissionDeniedError,
}
"""The documented error codes, each to its class."""

ERROR_TYPES: dict[str, type[APIStatusError]] = {
    # llama.cpp's llama-server: ``{"code": 400, "type": "exceed_context_size_error", ...}``
    "exceed_context_size_error": PromptTooLongError,
}
"""Error ``type`` values of other OpenAI-compatible servers that have a documented counterpart."""

STATUS_CODES: dict[int, type[APIStatusError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}
"""HTTP status fallbacks when the body carries no documented code."""

E = TypeVar("E", bound=ModelverseError)
Resolver = Callable[[type[ModelverseError]], type[ModelverseError]]


def _identity(cls: type[ModelverseError]) -> type[ModelverseError]:
    return cls


def status_error_class(status: int, code: str | None, kind: str | None = None) -> type[APIStatusError]:
    """The class for an error response: by documented code, then by error type, then by status."""
    if code in ERROR_CODES:
        return ERROR_CODES[code]
    if kind in ERROR_TYPES:
        return ERROR_TYPES[kind]
    if status >= 500:
        return ServerError
    return STATUS_CODES.get(status, APIStatusError)


def map_api_error(
    exc: BaseException, resolve: Resolver = _identity, response: httpx.Response | None = None
) -> BaseException:
    """Translate an ``openai`` or HTTP-library exception into this package's hierarchy.

    ``response`` is the open stream's response, for an error object the server sent
    inside a stream. Anything else (including errors already translated) is returned unchanged.
    """
    if isinstance(exc, StreamEventError) and response is not None:
        return _error_in_stream(exc.message, exc.body, exc.status, response, resolve)
    if isinstance(exc, ShapeError) and response is not None:
        cls = resolve(MalformedResponseError)
        return cls(f"{exc} [HTTP {response.status_code}]", response.request)  # type: ignore[call-arg]
    if isinstance(exc, ModelverseError):
        return exc
    if isinstance(exc, openai.APIStatusError):
        return _from_status_error(exc, resolve)
    if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
        return connection_error(APITimeoutError, "the request timed out", exc, resolve)
    if isinstance(exc, (openai.APIConnectionError, httpx.RequestError)):
        # The SDK's error wraps the HTTP library's, which says what failed; that one is its own.
        cause = (exc.__cause__ or exc) if isinstance(exc, openai.APIError) else exc
        return connection_error(APIConnectionError, f"connection failed: {describe(cause)}", exc, resolve)
    return exc


def _from_status_error(exc: openai.APIStatusError, resolve: Resolver) -> BaseException:
    body = exc.body
    code = exc.code or (str(body.get("code")) if isinstance(body, dict) and body.get("code") else None)
    cls = resolve(status_error_class(exc.status_code, code, exc.type))
    request_id = exc.response.headers.get("x-request-id")
    message = _status_message(exc, code, request_id)
    error = cls(message, response=exc.response, body=body)  # type: ignore[call-arg]
    error.request_id = request_id  # type: ignore[attr-defined]
    return error


def _error_in_stream(
    message: str, body: object, status: int, response: httpx.Response, resolve: Resolver
) -> BaseException:
    """An error object sent inside a stream or in a 200 body, classed by its documented code, else by ``status``."""
    code = body.get("code") if isinstance(body, dict) else None
    status_cls = resolve(status_error_class(status, str(code) if code else None))
    where = f"error in an HTTP {response.status_code} body" if _is_json(response) else "error event in stream"
    text = f"{message} [{where}{f', code {code}' if code else ''}]"
    return status_cls(text, response=response, body=body)  # type: ignore[call-arg]


def _is_json(response: httpx.Response) -> bool:
    """Whether ``response`` declares a JSON body (an error object there is no stream event)."""
    return response.headers.get("content-type", "").startswith("application/json")


def _status_message(exc: openai.APIStatusError, code: str | None, request_id: str | None) -> str:
    body = exc.body
    detail = (body.get("message") or json.dumps(body, ensure_ascii=False)) if isinstance(body, dict) else body
    parts = [f"HTTP {exc.status_code}"]
    if code:
        parts.append(f"code {code}")
    if request_id:
        parts.append(f"request id {request_id}")
    text = _short(detail, 300) if detail not in (None, "") else "(empty body)"
    return f"{text} [{', '.join(parts)}]"


def connection_error(
    base: type[APIConnectionError], message: str, exc: BaseException, resolve: Resolver = _identity
) -> BaseException:
    """A failure to connect, send or receive as ``base`` (resolved), with the request it was for.

    ``exc`` itself when it carries no request.
    """
    request = getattr(exc, "request", None) if isinstance(exc, openai.APIError) else _transport_request(exc)
    if request is None:
        return exc
    cls = resolve(base)
    return cls(message, request)  # type: ignore[call-arg]


def _transport_request(exc: BaseException) -> httpx.Request | None:
    try:
        return exc.request  # type: ignore[attr-defined,no-any-return]
    except (AttributeError, RuntimeError):
        return None


def describe(exc: BaseException) -> str:
    """An exception as its type and message, for an error message."""
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _short(value: object, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
