"""LlamaIndex's Modelverse on the answer shapes of servers other than ModelVerse (stand-in cassettes).

- parallel streamed tool calls that share an index (DashScope), whole calls each at index 0
  (Ollama), ``index: null`` (gateways): separate tool calls, as the unstreamed answer has them;
- usage on every chunk (vLLM and SGLang ``continuous_usage_stats``): the final usage, once;
- streamed responses carry ``raw``, so ``TokenCountingHandler`` counts the server's usage;
- structured prediction on thinking models, on servers that refuse a forced ``tool_choice``
  and on servers that take it, for catalog models and unknown ids;
- malformed tool arguments in structured prediction raise, never parse silently.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, ToolCallBlock
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llamaindex_modelverse import Modelverse

pytestmark = pytest.mark.standin  # asserts the stand-in's shapes and test-only models

R1 = "deepseek-ai/DeepSeek-R1"
V3 = "deepseek-ai/DeepSeek-V3-0324"
THINKING = "test/deepseek-thinking"  # thinking mode, unknown to the catalog; refuses a forced tool_choice
UNKNOWN = "test/unknown-model"  # unknown to the catalog; takes a forced tool_choice
SHAPES = ["dashscope-tool-calls", "ollama-tool-calls", "null-index-tool-calls"]
PARALLEL = "Call get_weather and get_time for 'Paris'."
CONTINUOUS = {"stream_options": {"include_usage": True, "continuous_usage_stats": True}}


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


def get_time(tz: str) -> str:
    """The time in a time zone."""
    return f"noon in {tz}"


TOOLS = [FunctionTool.from_defaults(get_weather), FunctionTool.from_defaults(get_time)]


class Joke(BaseModel):
    """A joke with a setup and a punchline."""

    setup: str
    punchline: str


def sent(vcr: Any, index: int = 0) -> dict[str, Any]:
    """The JSON body of the index-th recorded request."""
    return json.loads(vcr.requests[index].body)


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role="user", content=text)]


def server_usage(vcr: Any, index: int) -> dict[str, Any]:
    """The usage the server reported in the index-th recorded answer (a body or the last usage of a stream)."""
    text = vcr.responses[index]["content"] if "content" in vcr.responses[index] else vcr.responses[index]["body"]
    body = text["string"] if isinstance(text, dict) else text
    body = body.decode() if isinstance(body, bytes) else body
    if not body.lstrip().startswith("{"):
        events = [json.loads(line[5:]) for line in body.splitlines() if line.startswith("data: {")]
        return next(e["usage"] for e in reversed(events) if e.get("usage"))
    return json.loads(body)["usage"]  # type: ignore[no-any-return]


# ---------------------------------------------------------------- 1. parallel calls that share an index


def shaped(shape: str) -> Modelverse:
    return Modelverse(model=V3, default_headers={"X-Standin-Shape": shape})


def assert_two_calls(llm: Modelverse, whole: ChatResponse, streamed: ChatResponse) -> None:
    blocks = [b for b in streamed.message.blocks if isinstance(b, ToolCallBlock)]
    assert [b.tool_name for b in blocks] == ["get_weather", "get_time"]
    assert blocks == [b for b in whole.message.blocks if isinstance(b, ToolCallBlock)]
    calls = llm.get_tool_calls_from_response(streamed)
    assert [(c.tool_name, c.tool_kwargs) for c in calls] == [
        ("get_weather", {"city": "Paris"}),
        ("get_time", {"tz": "Paris"}),  # the stand-in fills each call from the prompt's first quoted word
    ]
    assert len(streamed.message.additional_kwargs["tool_calls"]) == 2
    assert "invalid_tool_calls" not in streamed.message.additional_kwargs


@pytest.mark.vcr
@pytest.mark.parametrize("shape", SHAPES)
def test_parallel_calls_sharing_an_index_stay_separate(shape: str) -> None:
    llm = shaped(shape)
    whole = llm.chat_with_tools(TOOLS, user_msg=PARALLEL, allow_parallel_tool_calls=True)
    *_, streamed = llm.stream_chat_with_tools(TOOLS, user_msg=PARALLEL, allow_parallel_tool_calls=True)
    assert_two_calls(llm, whole, streamed)


@pytest.mark.vcr
@pytest.mark.parametrize("shape", SHAPES)
async def test_parallel_calls_sharing_an_index_stay_separate_async(shape: str) -> None:
    llm = shaped(shape)
    whole = await llm.achat_with_tools(TOOLS, user_msg=PARALLEL, allow_parallel_tool_calls=True)
    responses = await llm.astream_chat_with_tools(TOOLS, user_msg=PARALLEL, allow_parallel_tool_calls=True)
    streamed = [r async for r in responses][-1]
    assert_two_calls(llm, whole, streamed)


# ---------------------------------------------------------------- 2. usage on every chunk, 3. raw


def counted(model: str = R1, **settings: Any) -> tuple[Modelverse, TokenCountingHandler]:
    counter = TokenCountingHandler()
    return Modelverse(model=model, callback_manager=CallbackManager([counter]), **settings), counter


def assert_counted(counter: TokenCountingHandler, usage: dict[str, Any]) -> None:
    """The handler counted the server's usage, not its own tokenizer's estimate."""
    assert (counter.prompt_llm_token_count, counter.completion_llm_token_count) == (
        usage["prompt_tokens"],
        usage["completion_tokens"],
    )


@pytest.mark.vcr
def test_usage_on_every_chunk_and_token_counting(vcr: Any) -> None:
    whole = Modelverse(model=R1).chat(user("Describe UCloud."))
    llm, counter = counted(extra_body=CONTINUOUS)
    responses = list(llm.stream_chat(user("Describe UCloud.")))
    assert sent(vcr, 1)["stream_options"]["continuous_usage_stats"] is True
    assert sum(1 for r in responses if r.raw and r.raw.get("usage")) > 2  # the server reported it on many chunks
    last = responses[-1]
    assert {k: last.additional_kwargs[k] for k in ("prompt_tokens", "completion_tokens", "total_tokens")} == {
        k: whole.additional_kwargs[k] for k in ("prompt_tokens", "completion_tokens", "total_tokens")
    }
    assert last.message.blocks[0].num_tokens == whole.additional_kwargs["reasoning_tokens"]  # type: ignore[union-attr]
    assert_counted(counter, server_usage(vcr, 1))


@pytest.mark.vcr
async def test_usage_on_every_chunk_and_token_counting_async(vcr: Any) -> None:
    llm, counter = counted(extra_body=CONTINUOUS)
    responses = [r async for r in await llm.astream_chat(user("Describe UCloud."))]
    assert responses[-1].raw is not None and responses[-1].raw["usage"] == server_usage(vcr, 0)
    assert_counted(counter, server_usage(vcr, 0))


@pytest.mark.vcr
def test_streams_carry_raw_for_token_counting(vcr: Any) -> None:
    llm, counter = counted()
    chunks = list(llm.stream_chat(user("Describe UCloud.")))
    assert all(c.raw is not None for c in chunks) and chunks[-1].raw["usage"] == server_usage(vcr, 0)  # type: ignore[index]
    assert_counted(counter, server_usage(vcr, 0))
    counter.reset_counts()
    completions = list(llm.stream_complete("Describe ModelVerse."))
    assert completions[-1].raw is not None and completions[-1].raw["usage"] == server_usage(vcr, 1)
    assert_counted(counter, server_usage(vcr, 1))


@pytest.mark.vcr
async def test_streams_carry_raw_for_token_counting_async(vcr: Any) -> None:
    llm, counter = counted()
    [r async for r in await llm.astream_chat(user("Describe UCloud."))]
    assert_counted(counter, server_usage(vcr, 0))
    counter.reset_counts()
    [r async for r in await llm.astream_complete("Describe ModelVerse.")]
    assert_counted(counter, server_usage(vcr, 1))


@pytest.mark.vcr
async def test_a_function_agent_counts_the_servers_tokens(vcr: Any) -> None:
    """A FunctionAgent always streams: its token counts are the server's, over both of its calls."""
    llm, counter = counted(V3)
    await FunctionAgent(tools=TOOLS[:1], llm=llm).run("Use get_weather for 'Paris'.")
    usages = [server_usage(vcr, i) for i in range(len(vcr.requests))]
    assert len(usages) == 2
    assert counter.prompt_llm_token_count == sum(u["prompt_tokens"] for u in usages)
    assert counter.completion_llm_token_count == sum(u["completion_tokens"] for u in usages)


# ---------------------------------------------------------------- 4. structured prediction on thinking models

STRUCTURED = [
    # (model, header fault, tool_choice of each request sent)
    pytest.param(R1, None, ["auto"], id="catalog-thinking-accepting-server"),
    pytest.param(R1, "refuse-forced-tool-choice", ["auto"], id="catalog-thinking-refusing-server"),
    pytest.param(THINKING, None, ["required", "auto"], id="unknown-thinking"),
    pytest.param(UNKNOWN, None, ["required"], id="unknown-accepting"),
]
STREAMED = [pytest.param(*case.values[:2], id=case.id) for case in STRUCTURED]
STREAMED_CHOICES = ["auto"]
"""llama-index's streamed structured prediction asks for no tool (``tool_required`` is not passed): ``auto``."""
PROMPT = PromptTemplate("Tell me a joke about {a} with {b}.")
JOKE = Joke(setup="cats", punchline="dogs")


def structured(model: str, fault: str | None) -> Modelverse:
    return Modelverse(model=model, default_headers={"X-Standin-Fault": fault} if fault else None)


def assert_choices(vcr: Any, choices: list[Any]) -> None:
    assert [sent(vcr, i)["tool_choice"] for i in range(len(vcr.requests))] == choices


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault", "choices"), STRUCTURED)
def test_structured_predict_on_thinking_models(vcr: Any, model: str, fault: str | None, choices: Any) -> None:
    assert structured(model, fault).structured_predict(Joke, PROMPT, a="'cats'", b="'dogs'") == JOKE
    assert_choices(vcr, choices)


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault", "choices"), STRUCTURED)
async def test_structured_predict_on_thinking_models_async(
    vcr: Any, model: str, fault: str | None, choices: Any
) -> None:
    assert await structured(model, fault).astructured_predict(Joke, PROMPT, a="'cats'", b="'dogs'") == JOKE
    assert_choices(vcr, choices)


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault"), STREAMED)
def test_structured_predict_on_thinking_models_streamed(vcr: Any, model: str, fault: str | None) -> None:
    assert list(structured(model, fault).stream_structured_predict(Joke, PROMPT, a="'cats'", b="'dogs'"))[-1] == JOKE
    assert_choices(vcr, STREAMED_CHOICES)


@pytest.mark.vcr
@pytest.mark.parametrize(("model", "fault"), STREAMED)
async def test_structured_predict_on_thinking_models_streamed_async(vcr: Any, model: str, fault: str | None) -> None:
    stream = await structured(model, fault).astream_structured_predict(Joke, PROMPT, a="'cats'", b="'dogs'")
    assert [j async for j in stream][-1] == JOKE
    assert_choices(vcr, STREAMED_CHOICES)


# ---------------------------------------------------------------- 5. parse errors surface

BROKEN = {"X-Standin-Fault": "invalid-tool-arguments"}


@pytest.mark.vcr
def test_malformed_arguments_in_structured_predict_raise() -> None:
    with pytest.raises(ValueError, match="Joke"):
        Modelverse(model=V3, default_headers=BROKEN).structured_predict(Joke, PROMPT, a="'cats'", b="'dogs'")


@pytest.mark.vcr
async def test_malformed_arguments_in_structured_predict_raise_async() -> None:
    with pytest.raises(ValueError, match="Joke"):
        await Modelverse(model=V3, default_headers=BROKEN).astructured_predict(Joke, PROMPT, a="'cats'", b="'dogs'")
