"""Every documented limit and wrong type: a clear error naming the field and the limit, and nothing sent."""

from __future__ import annotations

from typing import Any

import pytest

from modelverse_core import ParameterError
from tests.reliability.drivers import Driver
from tests.standin import StandinServer

HI = [("user", "hi")]
IMAGE_BLOCKS = {
    "langchain": [{"type": "text", "text": "what is this?"}, {"type": "image", "url": "https://example.com/a.png"}],
    "llamaindex": "image",
}
CASES: list[tuple[str, list[tuple[str, Any]] | None, dict[str, Any], str, str]] = [
    ("empty messages", [], {}, "messages", "must not be empty"),
    ("first role", [("assistant", "hello"), ("user", "hi")], {}, "messages[0].role", "'system' or 'user'"),
    ("last role", [("user", "hi"), ("assistant", "hello")], {}, "messages[1].role", "'user' or 'tool'"),
    (
        "system not at the start",
        [("user", "a"), ("system", "s"), ("user", "b")],
        {},
        "messages[1].role",
        "at the start",
    ),
    ("fifth stop word", HI, {"stop": ["a", "b", "c", "d", "e"]}, "stop", "at most 4 entries"),
    ("long stop word", HI, {"stop": ["x" * 21]}, "stop", "at most 20 characters"),
    ("17 metadata pairs", HI, {"request_metadata": {f"k{i}": "v" for i in range(17)}}, "metadata", "at most 16 pairs"),
    ("non-string metadata", HI, {"request_metadata": {"k": 1}}, "metadata", "keys and values must be strings"),
    ("top_p", HI, {"top_p": 1.5}, "top_p", "[0.0, 1.0]"),
    ("penalty_score", HI, {"penalty_score": 0.5}, "penalty_score", "[1.0, 2.0]"),
    ("frequency_penalty", HI, {"frequency_penalty": 2.5}, "frequency_penalty", "[-2.0, 2.0]"),
    ("presence_penalty", HI, {"presence_penalty": -2.5}, "presence_penalty", "[-2.0, 2.0]"),
    ("seed", HI, {"seed": 2147483647}, "seed", "(0, 2147483647)"),
    ("seed type", HI, {"seed": "42"}, "seed", "an integer"),
    ("max tokens", HI, {"max_tokens": 16385}, "max_completion_tokens", "[1, 16384]"),
    ("temperature type", HI, {"temperature": "hot"}, "temperature", "a number"),
    ("image to a text-only model", None, {}, "messages[0].content", "does not accept images"),
]


@pytest.mark.parametrize(("case", "messages", "kwargs", "field", "limit"), CASES, ids=[c[0] for c in CASES])
def test_refused_before_any_request(
    chat_driver: Driver,
    standin: StandinServer,
    case: str,
    messages: Any,
    kwargs: dict[str, Any],
    field: str,
    limit: str,
) -> None:
    driver = chat_driver
    model = driver.make(standin.base_url)
    if messages is None:
        messages = [("user", _image_content(driver))]
    with pytest.raises(ParameterError) as info:
        driver.call_messages(model, messages, **kwargs)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ") and limit in str(info.value)
    assert standin.requests == []


def _image_content(driver: Driver) -> Any:
    if driver.framework == "langchain":
        return IMAGE_BLOCKS["langchain"]
    from llama_index.core.base.llms.types import ImageBlock, TextBlock

    return [TextBlock(text="what is this?"), ImageBlock(url="https://example.com/a.png")]


def test_unknown_content_part(chat_driver: Driver, standin: StandinServer) -> None:
    driver = chat_driver
    model = driver.make(standin.base_url)
    if driver.framework == "langchain":
        content: Any = [{"type": "video", "url": "https://example.com/a.mp4"}]
    else:
        from llama_index.core.base.llms.types import AudioBlock

        content = [AudioBlock(audio=b"RIFF0000WAVE", format="wav")]
    with pytest.raises(ParameterError, match=r"messages\[0\]\.content: .*(text|image)"):
        driver.call_messages(model, [("user", content)])
    assert standin.requests == []


COMPLETION_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("fifth stop word", {"stop": ["a", "b", "c", "d", "e"]}, "stop", "at most 4 entries"),
    ("long stop word", {"stop": ["x" * 21]}, "stop", "at most 20 characters"),
    ("top_p", {"top_p": 1.5}, "top_p", "[0.0, 1.0]"),
    ("frequency_penalty", {"frequency_penalty": 2.5}, "frequency_penalty", "[-2.0, 2.0]"),
    ("seed", {"seed": 2147483647}, "seed", "(0, 2147483647)"),
    ("max tokens", {"max_tokens": 16385}, "max_tokens", "[1, 16384]"),
    ("temperature type", {"temperature": "hot"}, "temperature", "a number"),
    ("echo type", {"echo": "yes"}, "echo", "a bool"),
    ("suffix type", {"suffix": 3}, "suffix", "a str"),
    ("stop token ids", {"stop_token_ids": [1, "2"]}, "stop_token_ids", "a list of integers"),
    ("tools", {"tools": [{"type": "function", "function": {"name": "f"}}]}, "tools", "not a parameter"),
    ("response format", {"response_format": {"type": "json_object"}}, "response_format", "not a parameter"),
    ("n while streaming", {"n": 2, "stream": True}, "n", "must be 1 when streaming"),
]


@pytest.mark.parametrize(("case", "kwargs", "field", "limit"), COMPLETION_CASES, ids=[c[0] for c in COMPLETION_CASES])
def test_completion_settings_refused_before_any_request(
    completion_driver: Driver, standin: StandinServer, case: str, kwargs: dict[str, Any], field: str, limit: str
) -> None:
    driver = completion_driver
    model = driver.make(standin.base_url)
    options = dict(kwargs)
    with pytest.raises(ParameterError) as info:
        if options.pop("stream", False):
            "".join(driver.stream(model, "hi", **options))
        else:
            driver.call(model, "hi", **options)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ") and limit in str(info.value)
    assert standin.requests == []
