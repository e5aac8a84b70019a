"""``/v1/completions``: request mapping and validation, parsing, streaming, both log-probability shapes."""

from __future__ import annotations

import pytest

from modelverse_core import (
    COMPLETIONS,
    CompletionParams,
    ParameterError,
    StreamAccumulator,
    TokenLogprob,
    build_completion_request,
    legacy_logprobs,
    parse_logprobs,
    parse_response,
)
from modelverse_core.catalog import model_info
from tests.core.helpers import load_json, load_sse

R1 = "deepseek-ai/DeepSeek-R1"


def test_request_sends_only_what_is_set_under_the_completions_names() -> None:
    params = CompletionParams(max_tokens=64, temperature=0.2, logprobs=3, echo=True, suffix="}", stop=["\n\n"])
    body = build_completion_request("Qwen/QwQ-32B", "def f(", params, stream=True, extra_body={"top_k": 5})
    assert body == {
        "model": "Qwen/QwQ-32B",
        "prompt": "def f(",
        "max_tokens": 64,
        "temperature": 0.2,
        "logprobs": 3,
        "echo": True,
        "suffix": "}",
        "stop": ["\n\n"],
        "stream": True,
        "stream_options": {"include_usage": True},
        "top_k": 5,
    }


def test_a_stream_without_usage_sends_no_stream_options() -> None:
    body = build_completion_request(R1, "x", stream=True, include_usage=False)
    assert body["stream"] is True and "stream_options" not in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (CompletionParams(max_tokens=20000), r"max_tokens: must be an integer in \[1, 16384\]"),
        (CompletionParams(logprobs=21), r"logprobs: must be an integer in \[0, 20\]"),
        (CompletionParams(logprobs=True), r"logprobs: must be an integer"),
        (CompletionParams(temperature=2.5), r"temperature: must be a number in \[0.0, 2.0\]"),
        (CompletionParams(stop=["a", "b", "c", "d", "e"]), "stop: at most 4 entries"),
        (CompletionParams(echo="yes"), "echo: must be a bool"),  # type: ignore[arg-type]
        (CompletionParams(suffix=3), "suffix: must be a str"),  # type: ignore[arg-type]
        (CompletionParams(stop_token_ids=[1, "2"]), "stop_token_ids: must be a list of integers"),  # type: ignore[list-item]
        (CompletionParams(n=0), r"n: must be an integer in \[1, 128\]"),
    ],
)
def test_every_limit_is_checked_before_sending(params: CompletionParams, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        build_completion_request(R1, "x", params, info=model_info(R1))


def test_the_prompt_must_be_text() -> None:
    with pytest.raises(ParameterError, match="prompt: must be a string"):
        build_completion_request(R1, ["a", "b"])  # type: ignore[arg-type]


def test_legacy_logprobs_are_normalised() -> None:
    result = COMPLETIONS.parse(load_json("legacy_completion.json"))
    assert result.content == " Paris is the capital." and result.finish_reason == "stop"
    assert result.usage is not None and result.usage.total_tokens == 12
    tokens = result.choice.token_logprobs
    assert tokens is not None and len(tokens) == 5
    assert tokens[0] == TokenLogprob(
        " Paris", -0.01, offset=22, top=(TokenLogprob(" Paris", -0.01), TokenLogprob(" Lyon", -4.7))
    )


def test_llama_cpp_content_logprobs_are_normalised() -> None:
    result = COMPLETIONS.parse(load_json("llamacpp_completion.json"))
    assert result.content == " Paris is" and result.finish_reason == "length"
    assert result.system_fingerprint == "b6000-abcdef0"
    tokens = result.choice.token_logprobs
    assert tokens is not None
    assert [t.token for t in tokens] == [" Paris", " is"]
    assert tokens[0].bytes == tuple(b" Paris") and tokens[0].offset is None
    assert [(alt.token, alt.logprob) for alt in tokens[1].top] == [(" is", -0.3), (" has", -1.5)]


def test_both_shapes_give_the_same_legacy_view() -> None:
    legacy = COMPLETIONS.parse(load_json("legacy_completion.json")).choice.token_logprobs
    content = COMPLETIONS.parse(load_json("llamacpp_completion.json")).choice.token_logprobs
    assert legacy is not None and content is not None
    assert legacy_logprobs(legacy[:2]) | {"text_offset": [None, None]} == legacy_logprobs(content)
    assert legacy_logprobs(content)["top_logprobs"][0] == {" Paris": -0.01, " Lyon": -4.7}


def test_echoed_prompt_token_without_a_logprob_is_kept() -> None:
    tokens = parse_logprobs(
        {"tokens": ["Hi", " there"], "token_logprobs": [None, -0.1], "top_logprobs": [None, {" there": -0.1}]}
    )
    assert tokens == (TokenLogprob("Hi"), TokenLogprob(" there", -0.1, top=(TokenLogprob(" there", -0.1),)))


@pytest.mark.parametrize("data", [None, {}, {"content": None}, "logprobs", {"tokens": None}])
def test_absent_logprobs_are_none(data: object) -> None:
    assert parse_logprobs(data) is None


def test_a_leading_think_block_is_reasoning() -> None:
    result = COMPLETIONS.parse(load_json("think_text_completion.json"))
    assert result.reasoning == "Count the letters." and result.content == "Three."


def test_stream_equals_the_non_streamed_response() -> None:
    acc = COMPLETIONS.accumulator()
    deltas = [d for event in load_sse("think_text_completion.sse") for d in acc.add(event)]
    whole = COMPLETIONS.parse(load_json("think_text_completion.json"))
    streamed = acc.result()
    assert streamed.choices == whole.choices and streamed.usage == whole.usage
    assert "".join(d.reasoning for d in deltas) == "Count the letters."
    assert "".join(d.content for d in deltas) == "Three."
    assert [t.offset for d in deltas for t in d.token_logprobs or ()] == [0, 4, 17, 31, 42]
    assert deltas[-1].usage is not None and deltas[-1].usage.total_tokens == 14


def test_a_stream_is_finished_only_by_a_finish_reason() -> None:
    acc = COMPLETIONS.accumulator()
    events = load_sse("think_text_completion.sse")
    for event in events[:3]:
        acc.add(event)
    assert not acc.finished
    for event in events[3:]:
        acc.add(event)
    assert acc.finished


def test_chat_logprobs_are_normalised_too() -> None:
    entry = {"token": "Hi", "logprob": -0.1, "bytes": [72, 105], "top_logprobs": [{"token": "Hi", "logprob": -0.1}]}
    body = {"choices": [{"index": 0, "message": {"content": "Hi"}, "logprobs": {"content": [entry]}}]}
    (token,) = parse_response(body).choice.token_logprobs or ()
    assert token == TokenLogprob("Hi", -0.1, bytes=(72, 105), top=(TokenLogprob("Hi", -0.1),))
    acc = StreamAccumulator()
    chunk = {"choices": [{"index": 0, "delta": {"content": "Hi"}, "logprobs": {"content": [entry]}}]}
    (delta,) = acc.add(chunk)
    assert delta.token_logprobs == (token,) and acc.snapshot().token_logprobs == (token,)
