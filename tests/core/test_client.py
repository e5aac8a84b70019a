"""The HTTP client through the real SDK and httpx2 stack, replaying cassettes."""

from __future__ import annotations

import openai
import pytest

from modelverse_core import (
    AuthenticationError,
    Message,
    ModelverseParams,
    OutputLimitError,
    PermissionDeniedError,
    PromptTooLongError,
    SensitiveContentError,
)

pytestmark = [pytest.mark.vcr, pytest.mark.standin]

R1 = "deepseek-ai/DeepSeek-R1"


def model(name: str = R1, **kwargs: object) -> ModelverseParams:
    return ModelverseParams(model=name, **kwargs)


def test_chat_returns_reasoning_answer_and_usage() -> None:
    params = model()
    result = params._mv_client_for_settings().send(
        params._mv_prepare([Message("user", "Describe UCloud in one sentence.")])
    )
    assert result.reasoning and result.content and result.finish_reason == "stop"
    assert result.usage is not None and result.usage.reasoning_tokens > 0
    assert result.usage.completion_tokens > result.usage.reasoning_tokens


def test_stream_equals_chat() -> None:
    params = model()
    client = params._mv_client_for_settings()
    messages = [Message("user", "Say hello to UCloud.")]
    whole = client.send(params._mv_prepare(messages))
    stream = client.open(params._mv_prepare(messages, stream=True))
    deltas = list(stream)
    streamed = stream.result()
    assert streamed.choices == whole.choices and streamed.usage == whole.usage
    assert deltas[-1].usage == whole.usage


async def test_async_chat_and_stream() -> None:
    params = model("QwQ-32B")
    client = params._mv_client_for_settings()
    messages = [Message("user", "What is 2 + 2?")]
    whole = await client.asend(params._mv_prepare(messages))
    stream = client.aopen(params._mv_prepare(messages, stream=True))
    pieces = [d async for d in stream]
    assert "".join(d.content for d in pieces) == whole.content
    assert "<think>" not in whole.content and whole.reasoning  # QwQ inlines its reasoning
    assert stream.result().choices == whole.choices


def test_list_models() -> None:
    models = model()._mv_client_for_settings().list_models()
    assert R1 in [m.id for m in models]
    assert all(m.owned_by for m in models)


async def test_async_list_models() -> None:
    models = await model()._mv_client_for_settings().alist_models()
    assert R1 in [m.id for m in models]


def test_sft_deployment_version() -> None:
    params = model("sft/qwen3-support-bot")
    result = params._mv_client_for_settings().send(params._mv_prepare([Message("user", "hi")]))
    assert result.model == "sft/qwen3-support-bot" and result.model_version


def test_web_search_results() -> None:
    params = model("deepseek-ai/DeepSeek-V3-0324", web_search={"enable": True})
    client = params._mv_client_for_settings()
    messages = [Message("user", "Latest UCloud news?")]
    result = client.send(params._mv_prepare(messages))
    assert result.search_results
    stream = client.open(params._mv_prepare(messages, stream=True))
    list(stream)
    assert stream.result().search_results == result.search_results


ERROR_CASES = [
    ({"api_key": "sk-invalid"}, R1, "hi", AuthenticationError, openai.AuthenticationError, "invalid_token"),
    ({}, "acme/not-listed", "hi", PermissionDeniedError, openai.PermissionDeniedError, "invalid_model"),
    ({}, R1, "tell me about SENSITIVE-CONTENT", SensitiveContentError, openai.BadRequestError, "invalid_messages"),
    ({}, "test/tiny-context", "word " * 80, PromptTooLongError, openai.BadRequestError, "tokens_too_long"),
    (
        {"max_tokens": 20000},
        "test/unknown-model",
        "hi",
        OutputLimitError,
        openai.BadRequestError,
        "characters_too_long",
    ),
]


@pytest.mark.parametrize(
    ("kwargs", "name", "text", "cls", "sdk_cls", "code"), ERROR_CASES, ids=[c[-1] for c in ERROR_CASES]
)
def test_documented_errors(
    kwargs: dict[str, object], name: str, text: str, cls: type, sdk_cls: type, code: str
) -> None:
    params = model(name, **kwargs)
    with pytest.raises(cls) as info:
        params._mv_client_for_settings().send(params._mv_prepare([Message("user", text)]))
    assert isinstance(info.value, sdk_cls)
    assert f"code {code}" in str(info.value) and "request id" in str(info.value)


def test_documented_error_while_streaming() -> None:
    params = model()
    stream = params._mv_client_for_settings().open(
        params._mv_prepare([Message("user", "SENSITIVE-CONTENT")], stream=True)
    )
    with pytest.raises(SensitiveContentError):
        list(stream)
