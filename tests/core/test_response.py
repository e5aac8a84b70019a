from __future__ import annotations

import pytest

from modelverse_core import ChatResult, Usage, parse_response, split_think
from modelverse_core.errors import ShapeError
from modelverse_core.response import parse_models, parse_usage
from tests.core.helpers import load_json


def test_documented_sample_reports_reasoning_tokens() -> None:
    result = parse_response(load_json("documented_000.json"))
    assert result.content.startswith("UCloud (优刻得)")
    assert result.reasoning == ""
    assert result.usage == Usage(9, 1505, 1514, reasoning_tokens=1357, cached_tokens=0)
    assert result.id == "52ba2d24-f745-42b3-82c3-610a7b2658b0"
    assert result.created == 1763020876
    assert result.search_results is None
    assert result.system_fingerprint == ""


def test_reasoning_content_is_separate_from_the_answer() -> None:
    result = parse_response(load_json("r1_completion.json"))
    assert result.reasoning == "The user wants a greeting for UCloud."
    assert result.content == "Hello, UCloud!"
    assert result.finish_reason == "stop"
    assert result.usage is not None and result.usage.reasoning_tokens == 10
    assert result.usage.cached_tokens == 0  # prompt_tokens_details is null


def test_reasoning_field_name_used_by_some_servers() -> None:
    result = parse_response(load_json("reasoning_field_completion.json"))
    assert result.reasoning == "\nthinking hard"
    assert result.content == "done"
    assert result.usage is None


def test_leading_think_tag_is_split_out() -> None:
    result = parse_response(load_json("think_completion.json"))
    assert result.reasoning == "First, 2 + 2.\nThat is 4."
    assert result.content == "The answer is 4."


def test_tool_calls_keep_invalid_arguments_with_the_error() -> None:
    result = parse_response(load_json("tool_calls_completion.json"))
    good, bad = result.tool_calls
    assert (good.id, good.name, good.args, good.error) == ("call_a", "get_weather", {"city": "上海"}, None)
    assert bad.name == "get_time" and bad.args is None
    assert bad.arguments == '{"zone": "UTC"'
    assert bad.error is not None and "not valid JSON" in bad.error
    assert result.finish_reason == "tool_calls"
    assert result.usage is not None and result.usage.cached_tokens == 16


def test_sft_model_version_and_search_results() -> None:
    result = parse_response(load_json("sft_search_completion.json"))
    assert result.model == "Qwen/Qwen3-235B-A22B"
    assert result.model_version == "mv-20251101-7f3a"
    assert result.search_results == ({"index": 1, "title": "UCloud", "url": "https://www.ucloud.cn/"},)


def test_raw_body_is_kept() -> None:
    body = load_json("r1_completion.json")
    assert parse_response(body).raw is body


@pytest.mark.parametrize("body", [{"id": "x", "choices": []}, {"id": "x", "choices": None}, {"id": "x"}])
def test_a_body_without_choices_is_malformed(body: dict[str, object]) -> None:
    with pytest.raises(ShapeError, match="no choices"):
        parse_response(body)


def test_a_result_without_choices_has_an_empty_first_choice() -> None:
    result = ChatResult(choices=())
    assert result.content == "" and result.tool_calls == () and result.finish_reason is None


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("plain answer", ("", "plain answer")),
        ("  leading space kept", ("", "  leading space kept")),
        ("<think>a</think>b", ("a", "b")),
        ("\n<think>\n\n a \n</think>\n\n b", ("a", "b")),
        ("<think>unfinished", ("unfinished", "")),
        ("<thin", ("", "<thin")),
        ("answer mentions <think> later", ("", "answer mentions <think> later")),
        ("<think></think>only answer", ("", "only answer")),
    ],
)
def test_split_think(content: str, expected: tuple[str, str]) -> None:
    assert split_think(content) == expected


def test_usage_tolerates_missing_and_null_details() -> None:
    assert parse_usage(None) is None
    usage = parse_usage(
        {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7, "completion_tokens_details": None}
    )
    assert usage == Usage(3, 4, 7, 0, 0)
    assert parse_usage({"prompt_cache_hit_tokens": 5}) == Usage(cached_tokens=5)


def test_models_list() -> None:
    body = {
        "object": "list",
        "data": [
            {"id": "deepseek-ai/DeepSeek-R1", "object": "model", "created": 1, "owned_by": "UCloud_UModelverse"},
            {"object": "model"},
        ],
    }
    (model,) = parse_models(body)
    assert model.id == "deepseek-ai/DeepSeek-R1" and model.owned_by == "UCloud_UModelverse"


@pytest.mark.parametrize("blank", [" ", "", "\t\n", None])
def test_blank_response_id_is_none(blank: str | None) -> None:
    body = {**load_json("r1_completion.json"), "id": blank}
    assert parse_response(body).id is None


def _with_call_ids(*ids: str | None) -> dict[str, object]:
    calls = [{"id": i, "type": "function", "function": {"name": f"f{n}", "arguments": "{}"}} for n, i in enumerate(ids)]
    message = {"role": "assistant", "content": None, "tool_calls": calls}
    return {"id": " ", "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]}


@pytest.mark.parametrize(
    "ids",
    [(" ", " "), ("", None), ("call_a", "call_a"), ("call_a", " ", "call_a")],
)
def test_blank_or_repeated_tool_call_ids_become_unique(ids: tuple[str | None, ...]) -> None:
    calls = parse_response(_with_call_ids(*ids)).tool_calls
    got = [c.id for c in calls]
    assert len(set(got)) == len(ids) and all(i.strip() for i in got)
    assert [c.name for c in calls] == [f"f{n}" for n in range(len(ids))]
    if ids[0] == "call_a":
        assert got[0] == "call_a"  # a usable id is kept


def test_generated_tool_call_ids_differ_between_answers() -> None:
    first = parse_response(_with_call_ids(" ")).tool_calls[0].id
    second = parse_response(_with_call_ids(" ")).tool_calls[0].id
    assert first != second


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(None, id="null-as-documented-and-openai"),
        pytest.param("", id="empty-string-as-llama-server-sends"),
    ],
)
def test_content_beside_tool_calls_may_be_null_or_empty(content: str | None) -> None:
    call = {"id": "c1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
    message = {"role": "assistant", "content": content, "tool_calls": [call]}
    result = parse_response({"choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}]})
    assert result.content == ""
    assert [(c.name, c.args) for c in result.tool_calls] == [("get_weather", {"city": "Paris"})]
