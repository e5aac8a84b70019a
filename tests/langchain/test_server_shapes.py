"""ChatModelverse on the answer shapes of servers other than ModelVerse (stand-in cassettes).

- parallel streamed tool calls that share an index (DashScope), whole calls each at index 0
  (Ollama), ``index: null`` (gateways): the summed chunks equal ``invoke``'s message;
- usage on every chunk (vLLM and SGLang ``continuous_usage_stats``): counted once;
- structured output on thinking models, on servers that refuse a forced ``tool_choice`` and on
  servers that take it, for catalog models and unknown ids;
- malformed tool arguments: ``parsing_error`` is kept with ``include_raw=True``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.callbacks import get_usage_metadata_callback
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.tools import tool
from pydantic import BaseModel

from langchain_modelverse import ChatModelverse

pytestmark = pytest.mark.standin  # asserts the stand-in's shapes and test-only models

R1 = "deepseek-ai/DeepSeek-R1"
V3 = "deepseek-ai/DeepSeek-V3-0324"
THINKING = "test/deepseek-thinking"  # thinking mode, unknown to the catalog; refuses a forced tool_choice
UNKNOWN = "test/unknown-model"  # unknown to the catalog; takes a forced tool_choice
SHAPES = ["dashscope-tool-calls", "ollama-tool-calls", "null-index-tool-calls"]
PARALLEL = "Call get_weather and get_time for 'Paris' and 'CET'."
CONTINUOUS = {"stream_options": {"include_usage": True, "continuous_usage_stats": True}}


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


@tool
def get_time(tz: str) -> str:
    """The time in a time zone."""
    return f"noon in {tz}"


class Joke(BaseModel):
    """A joke with a setup and a punchline."""

    setup: str
    punchline: str


def sent(vcr: Any, index: int = 0) -> dict[str, Any]:
    """The JSON body of the index-th recorded request."""
    return json.loads(vcr.requests[index].body)


def summed(chunks: list[Any]) -> AIMessageChunk:
    total = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    return total  # type: ignore[no-any-return]


def shaped(shape: str) -> Any:
    return ChatModelverse(model=V3, default_headers={"X-Standin-Shape": shape}).bind_tools([get_weather, get_time])


def assert_same_calls(reply: AIMessage, streamed: AIMessageChunk) -> None:
    assert [c["name"] for c in reply.tool_calls] == ["get_weather", "get_time"]
    assert streamed.tool_calls == reply.tool_calls and not streamed.invalid_tool_calls
    assert streamed.usage_metadata == reply.usage_metadata
    assert len({c["id"] for c in streamed.tool_calls}) == 2


# ---------------------------------------------------------------- 1. parallel calls that share an index


@pytest.mark.vcr
@pytest.mark.parametrize("shape", SHAPES)
def test_parallel_calls_sharing_an_index_sum_to_invoke(shape: str) -> None:
    model = shaped(shape)
    reply = model.invoke(PARALLEL)
    assert_same_calls(reply, summed(list(model.stream(PARALLEL))))


@pytest.mark.vcr
@pytest.mark.parametrize("shape", SHAPES)
async def test_parallel_calls_sharing_an_index_sum_to_invoke_async(shape: str) -> None:
    model = shaped(shape)
    reply = await model.ainvoke(PARALLEL)
    assert_same_calls(reply, summed([c async for c in model.astream(PARALLEL)]))


# ---------------------------------------------------------------- 2. usage on every chunk


def continuous_chunks(chunks: list[AIMessageChunk], reply: AIMessage) -> None:
    assert sum(1 for c in chunks if c.usage_metadata) > 2  # the server reported usage on many chunks
    assert sum(1 for c in chunks if c.usage_metadata and c.usage_metadata["input_tokens"]) == 1
    assert summed(chunks).usage_metadata == reply.usage_metadata
    assert chunks[-1].chunk_position == "last"


@pytest.mark.vcr
def test_usage_on_every_chunk_is_counted_once(vcr: Any) -> None:
    reply = ChatModelverse(model=R1).invoke("Describe UCloud.")
    model = ChatModelverse(model=R1, extra_body=CONTINUOUS)
    with get_usage_metadata_callback() as counted:
        chunks = list(model.stream("Describe UCloud."))
    assert sent(vcr, 1)["stream_options"]["continuous_usage_stats"] is True
    continuous_chunks(chunks, reply)
    assert reply.usage_metadata is not None
    assert counted.usage_metadata[R1]["total_tokens"] == reply.usage_metadata["total_tokens"]
    assert counted.usage_metadata[R1]["output_token_details"] == reply.usage_metadata["output_token_details"]


@pytest.mark.vcr
async def test_usage_on_every_chunk_is_counted_once_async() -> None:
    reply = await ChatModelverse(model=R1).ainvoke("Describe UCloud.")
    model = ChatModelverse(model=R1, extra_body=CONTINUOUS)
    with get_usage_metadata_callback() as counted:
        chunks = [c async for c in model.astream("Describe UCloud.")]
    continuous_chunks(chunks, reply)
    assert reply.usage_metadata is not None
    assert counted.usage_metadata[R1]["total_tokens"] == reply.usage_metadata["total_tokens"]


# ---------------------------------------------------------------- 4. structured output on thinking models

STRUCTURED = [
    # (model, header fault, tool_choice of each request sent)
    pytest.param(R1, None, ["auto"], id="catalog-thinking-accepting-server"),
    pytest.param(R1, "refuse-forced-tool-choice", ["auto"], id="catalog-thinking-refusing-server"),
    pytest.param(THINKING, None, [{"type": "function", "function": {"name": "Joke"}}, "auto"], id="unknown-thinking"),
    pytest.param(UNKNOWN, None, [{"type": "function", "function": {"name": "Joke"}}], id="unknown-accepting"),
]
JOKE_PROMPT = "Tell me a joke about 'cats' with 'dogs'."
JOKE = Joke(setup="cats", punchline="dogs")


def structured(model: str, fault: str | None) -> Any:
    headers = {"X-Standin-Fault": fault} if fault else None
    return ChatModelverse(model=model, default_headers=headers).with_structured_output(Joke)


def assert_choices(vcr: Any, choices: list[Any]) -> None:
    assert [sent(vcr, i)["tool_choice"] for i in range(len(vcr.requests))] == choices


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault", "choices"), STRUCTURED)
def test_default_structured_output_on_thinking_models(vcr: Any, model: str, fault: str | None, choices: Any) -> None:
    assert structured(model, fault).invoke(JOKE_PROMPT) == JOKE
    assert_choices(vcr, choices)


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault", "choices"), STRUCTURED)
async def test_default_structured_output_on_thinking_models_async(
    vcr: Any, model: str, fault: str | None, choices: Any
) -> None:
    assert await structured(model, fault).ainvoke(JOKE_PROMPT) == JOKE
    assert_choices(vcr, choices)


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault", "choices"), STRUCTURED)
def test_default_structured_output_on_thinking_models_streamed(
    vcr: Any, model: str, fault: str | None, choices: Any
) -> None:
    assert list(structured(model, fault).stream(JOKE_PROMPT))[-1] == JOKE
    assert_choices(vcr, choices)


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault", "choices"), STRUCTURED)
async def test_default_structured_output_on_thinking_models_streamed_async(
    vcr: Any, model: str, fault: str | None, choices: Any
) -> None:
    assert [j async for j in structured(model, fault).astream(JOKE_PROMPT)][-1] == JOKE
    assert_choices(vcr, choices)


# ---------------------------------------------------------------- 5. parse errors kept


BROKEN = {"X-Standin-Fault": "invalid-tool-arguments"}
METHODS = [pytest.param({}, id="default"), pytest.param({"method": "function_calling"}, id="function_calling")]


def with_raw(options: dict[str, Any], schema: Any = Joke) -> Any:
    model = ChatModelverse(model=V3, default_headers=BROKEN)
    return model.with_structured_output(schema, include_raw=True, **options)


def assert_kept(result: Any, streamed: bool = False) -> None:
    assert result["parsed"] is None and result["parsing_error"] is not None
    if not streamed:
        assert "not valid" in str(result["parsing_error"]) and result["raw"].invalid_tool_calls
    # A streamed answer's arguments are read by langchain-core's partial JSON parser when the
    # chunks are summed (here as {}): the schema's validation error is the one kept.


@pytest.mark.vcr
@pytest.mark.parametrize("options", METHODS)
def test_parse_errors_are_kept(options: dict[str, Any]) -> None:
    assert_kept(with_raw(options).invoke(JOKE_PROMPT))


@pytest.mark.vcr
@pytest.mark.parametrize("options", METHODS)
async def test_parse_errors_are_kept_async(options: dict[str, Any]) -> None:
    assert_kept(await with_raw(options).ainvoke(JOKE_PROMPT))


@pytest.mark.vcr
@pytest.mark.parametrize("options", METHODS)
def test_parse_errors_are_kept_streamed(options: dict[str, Any]) -> None:
    (result,) = list(with_raw(options).stream(JOKE_PROMPT))
    assert_kept(result, streamed=True)


@pytest.mark.vcr
@pytest.mark.parametrize("options", METHODS)
async def test_parse_errors_are_kept_streamed_async(options: dict[str, Any]) -> None:
    (result,) = [r async for r in with_raw(options).astream(JOKE_PROMPT)]
    assert_kept(result, streamed=True)


@pytest.mark.vcr
def test_parse_errors_are_kept_for_a_json_schema_dict() -> None:
    schema = {"title": "Joke", "type": "object", "properties": {"setup": {"type": "string"}}}
    assert_kept(with_raw({}, schema).invoke(JOKE_PROMPT))
