from __future__ import annotations

import openai
import pytest

from modelverse_core import errors
from modelverse_core.compat import httpx
from modelverse_core.errors import map_api_error

REQUEST = httpx.Request("POST", "https://api.modelverse.cn/v1/chat/completions")


def status_error(status: int, body: object, request_id: str = "req-1") -> openai.APIStatusError:
    response = httpx.Response(status, request=REQUEST, headers={"x-request-id": request_id})
    return openai.APIStatusError("raw", response=response, body=body)


@pytest.mark.parametrize(
    ("code", "cls", "sdk_cls"),
    [
        ("invalid_messages", errors.SensitiveContentError, openai.BadRequestError),
        ("characters_too_long", errors.OutputLimitError, openai.BadRequestError),
        ("tokens_too_long", errors.PromptTooLongError, openai.BadRequestError),
        ("invalid_token", errors.AuthenticationError, openai.AuthenticationError),
        ("invalid_model", errors.PermissionDeniedError, openai.PermissionDeniedError),
    ],
)
def test_documented_codes(code: str, cls: type, sdk_cls: type) -> None:
    body = {"message": "server says no", "type": "invalid_request_error", "code": code}
    error = map_api_error(status_error(400, body))
    assert type(error) is cls
    assert isinstance(error, sdk_cls) and isinstance(error, errors.ModelverseError)
    assert str(error) == f"server says no [HTTP 400, code {code}, request id req-1]"
    assert error.code == code and error.request_id == "req-1"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("status", "cls", "sdk_cls"),
    [
        (400, errors.InvalidRequestError, openai.BadRequestError),
        (401, errors.AuthenticationError, openai.AuthenticationError),
        (403, errors.PermissionDeniedError, openai.PermissionDeniedError),
        (404, errors.NotFoundError, openai.NotFoundError),
        (429, errors.RateLimitError, openai.RateLimitError),
        (500, errors.ServerError, openai.InternalServerError),
        (503, errors.ServerError, openai.InternalServerError),
        (418, errors.APIStatusError, openai.APIStatusError),
    ],
)
def test_status_fallback(status: int, cls: type, sdk_cls: type) -> None:
    error = map_api_error(status_error(status, {"message": "m"}))
    assert type(error) is cls and isinstance(error, sdk_cls)
    assert f"HTTP {status}" in str(error)


def test_llama_server_context_overflow_is_prompt_too_long() -> None:
    # ModelVerse documents the code tokens_too_long; llama.cpp's llama-server sends the HTTP
    # status as the code and names the condition in the error type.
    body = {"code": 400, "message": "request exceeds the available context size", "type": "exceed_context_size_error"}
    error = map_api_error(status_error(400, {**body, "n_prompt_tokens": 5000, "n_ctx": 4096}))
    assert type(error) is errors.PromptTooLongError and isinstance(error, openai.BadRequestError)
    assert "exceeds the available context size" in str(error) and "HTTP 400" in str(error)


def test_non_json_and_empty_bodies_keep_the_status() -> None:
    html = map_api_error(status_error(502, "<html>502 Bad Gateway</html>"))
    assert isinstance(html, errors.ServerError) and "HTTP 502" in str(html) and "Bad Gateway" in str(html)
    empty = map_api_error(status_error(500, None))
    assert "(empty body)" in str(empty) and "HTTP 500" in str(empty)


def test_timeouts_and_connection_errors() -> None:
    timeout = map_api_error(openai.APITimeoutError(request=REQUEST))
    assert isinstance(timeout, errors.APITimeoutError) and isinstance(timeout, openai.APITimeoutError)
    dropped = map_api_error(httpx.RemoteProtocolError("peer closed", request=REQUEST))
    assert isinstance(dropped, errors.APIConnectionError) and isinstance(dropped, openai.APIConnectionError)
    assert "RemoteProtocolError" in str(dropped)
    read_timeout = map_api_error(httpx.ReadTimeout("slow", request=REQUEST))
    assert isinstance(read_timeout, errors.APITimeoutError)


def test_resolver_swaps_in_subclasses() -> None:
    class MarkerError(Exception):
        pass

    made: dict[type, type] = {}

    def resolve(cls: type[errors.ModelverseError]) -> type[errors.ModelverseError]:
        return made.setdefault(cls, type(cls.__name__, (cls, MarkerError), {}))

    error = map_api_error(status_error(429, {"message": "slow down"}), resolve)
    assert isinstance(error, errors.RateLimitError) and isinstance(error, MarkerError)


def test_parameter_error_names_field_and_limit() -> None:
    error = errors.ParameterError("top_p", "must be a number in [0, 1]", 1.5)
    assert str(error) == "top_p: must be a number in [0, 1] (got 1.5)"
    assert isinstance(error, ValueError)


def test_other_exceptions_pass_through() -> None:
    error = KeyError("x")
    assert map_api_error(error) is error


def test_error_event_inside_a_stream_is_mapped_by_its_code() -> None:
    event = errors.StreamEventError("Sensitive information", {"code": "invalid_messages", "message": "m"})
    response = httpx.Response(200, request=REQUEST)
    error = map_api_error(event, response=response)
    assert type(error) is errors.SensitiveContentError
    assert str(error) == "Sensitive information [error event in stream, code invalid_messages]"
    assert map_api_error(event) is event  # no response: nothing to map it with
    timeout = map_api_error(openai.APITimeoutError(request=REQUEST), response=response)
    assert isinstance(timeout, errors.APITimeoutError)  # never taken for an error event
