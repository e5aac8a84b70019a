from __future__ import annotations

import warnings

import pytest
from pydantic import SecretStr, ValidationError

from modelverse_core import MissingAPIKeyError, ModelverseParams
from modelverse_core.catalog import ModelInfo
from modelverse_core.settings import BASE_URL_ENV, require_api_key, resolve_base_url


def test_key_from_argument_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELVERSE_API_KEY", "sk-from-env")
    assert ModelverseParams(model="m").api_key == SecretStr("sk-from-env")
    assert ModelverseParams(model="m", api_key="sk-arg").api_key == SecretStr("sk-arg")


def test_missing_key_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODELVERSE_API_KEY")
    with pytest.raises(MissingAPIKeyError, match="MODELVERSE_API_KEY"):
        require_api_key(None)
    with pytest.raises(ValidationError, match="MODELVERSE_API_KEY"):
        ModelverseParams(model="m")


def test_base_url_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODELVERSE_BASE_URL")
    assert resolve_base_url() == "https://api.modelverse.cn/v1"
    assert resolve_base_url(region="global") == "https://api.umodelverse.ai/v1"
    assert resolve_base_url("https://example.test/v1/", region="global") == "https://example.test/v1"
    monkeypatch.setenv("MODELVERSE_BASE_URL", "https://deepseek.modelverse.cn/v1")
    assert resolve_base_url() == "https://deepseek.modelverse.cn/v1"
    assert resolve_base_url(region="cn") == "https://api.modelverse.cn/v1"


def test_plain_http_warns_except_on_loopback() -> None:
    with pytest.warns(UserWarning, match="plain http"):
        resolve_base_url("http://models.example.com/v1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resolve_base_url("http://127.0.0.1:8000/v1")
        resolve_base_url("http://localhost:8000/v1")


def test_aliases_of_the_vendor_langchain_sample() -> None:
    params = ModelverseParams(
        model_name="deepseek-ai/DeepSeek-R1", openai_api_key="sk-x", openai_api_base="https://api.modelverse.cn/v1/"
    )
    assert params.model == "deepseek-ai/DeepSeek-R1"
    assert params.base_url == "https://api.modelverse.cn/v1"
    assert params.api_key is not None and params.api_key.get_secret_value() == "sk-x"


def test_key_never_in_repr_or_dump() -> None:
    params = ModelverseParams(model="m", api_key="sk-secret-123")
    assert "sk-secret-123" not in repr(params) and "sk-secret-123" not in str(params)
    assert "sk-secret-123" not in params.model_dump_json()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"timeout": 0}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"top_p": 2}, "top_p"),
        ({"region": "mars"}, "region"),
    ],
)
def test_bad_settings_fail_at_construction(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        ModelverseParams(model="deepseek-ai/DeepSeek-R1", api_key="k", **kwargs)


def test_validation_errors_never_echo_the_key() -> None:
    with pytest.raises(ValidationError) as info:
        ModelverseParams(model="deepseek-ai/DeepSeek-R1", api_key="sk-secret-echo", top_p=9)
    assert "sk-secret-echo" not in str(info.value)


def test_model_info_override_changes_the_limit() -> None:
    info = ModelInfo(id="deepseek-ai/DeepSeek-R1", max_output_tokens=32768, reasoning=True)
    params = ModelverseParams(model="deepseek-ai/DeepSeek-R1", api_key="k", max_tokens=30000, model_info=info)
    assert params.max_tokens == 30000


def test_per_call_overrides_and_extra_body() -> None:
    params = ModelverseParams(
        model="deepseek-ai/DeepSeek-R1", api_key="k", temperature=0.2, request_metadata={"a": "b"}, extra_body={"x": 1}
    )
    from modelverse_core import Message

    body = params._mv_prepare(
        [Message("user", "hi")],
        options={"temperature": 0.9, "top_k": 5, "model": "Qwen/QwQ-32B", "extra_body": {"y": 2}},
    ).body
    assert body["model"] == "Qwen/QwQ-32B"
    assert body["temperature"] == 0.9 and body["metadata"] == {"a": "b"}
    assert body["top_k"] == 5 and body["x"] == 1 and body["y"] == 2


def test_sdk_clients_are_created_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BASE_URL_ENV)  # the session points it at its own target; this checks the default
    params = ModelverseParams(model="deepseek-ai/DeepSeek-R1", api_key="k")
    client = params._mv_client_for_settings()
    assert params._mv_client_for_settings() is client
    assert client.sync_client is client.sync_client
    assert client.async_client is client.async_client
    assert client.sync_client.max_retries == 2 and str(client.sync_client.base_url).startswith(
        "https://api.modelverse.cn/v1"
    )
