"""The key never appears in repr, str, serialization, exceptions, tracebacks or DEBUG logs."""

from __future__ import annotations

import logging
import traceback
import warnings
from typing import Any

import pytest
from langchain_core.load import dumps

import modelverse_core
from tests.reliability.drivers import Driver
from tests.standin import StandinServer

SECRET = "sk-live-DO-NOT-LEAK-4f2a9c"


def everything_about(exc: BaseException) -> str:
    return "\n".join([str(exc), repr(exc), "".join(traceback.format_exception(exc)), str(getattr(exc, "body", ""))])


def test_repr_str_and_serialization(driver: Driver) -> None:
    model = driver.make("http://127.0.0.1:9/v1", api_key=SECRET)
    client = model._mv_client_for_settings()
    texts = [repr(model), str(model), repr(client), repr(client.settings), model.model_dump_json()]
    texts.append(dumps(model) if driver.framework == "langchain" else model.to_json())
    for text in texts:
        assert SECRET not in text


@pytest.mark.parametrize("fault", ["always-500", "bad-request", "stall", "drop-mid-stream", "refused"])
def test_exceptions_tracebacks_and_debug_logs(
    driver: Driver, standin: StandinServer, fault: str, caplog: pytest.LogCaptureFixture, refusing_port: int
) -> None:
    base_url = f"http://127.0.0.1:{refusing_port}/v1" if fault == "refused" else standin.base_url
    model = driver.make(base_url, fault, api_key=SECRET, timeout=0.3, max_retries=1)
    with caplog.at_level(logging.DEBUG), pytest.raises(modelverse_core.ModelverseError) as info:
        if fault == "drop-mid-stream":
            list(driver.stream(model, "hello"))
        else:
            driver.call(model, "hello")
    assert SECRET not in everything_about(info.value)
    assert caplog.records, "DEBUG logging was captured"
    assert {"openai._base_client", "httpcore2.connection"} & {r.name for r in caplog.records} or fault == "refused"
    assert SECRET not in caplog.text
    for record in caplog.records:
        assert SECRET not in str(record.args) and SECRET not in str(record.__dict__)


def test_successful_calls_log_no_key(driver: Driver, standin: StandinServer, caplog: pytest.LogCaptureFixture) -> None:
    model = driver.make(standin.base_url, api_key=SECRET)
    with caplog.at_level(logging.DEBUG):
        driver.call(model, "hello")
        "".join(driver.stream(model, "hello"))
    assert any(r.name.startswith("openai") for r in caplog.records)
    assert SECRET not in caplog.text and all(SECRET not in str(r.__dict__) for r in caplog.records)


def test_plain_http_warns_except_on_loopback(driver: Driver) -> None:
    with pytest.warns(UserWarning, match="plain http"):
        driver.make("http://models.example.com/v1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        driver.make("http://127.0.0.1:8000/v1")
        driver.make("https://api.modelverse.cn/v1")


def test_validation_errors_never_echo_the_key(driver: Driver) -> None:
    with pytest.raises(ValueError) as info:
        driver.make("http://127.0.0.1:9/v1", api_key=SECRET, top_p=3)
    assert "top_p" in str(info.value) and SECRET not in everything_about(info.value)


def test_missing_key_error_names_the_variable(driver: Driver, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODELVERSE_API_KEY")
    kwargs: dict[str, Any] = {"model": "deepseek-ai/DeepSeek-R1"}
    with pytest.raises(ValueError, match="MODELVERSE_API_KEY"):
        driver.model_class(**kwargs)
