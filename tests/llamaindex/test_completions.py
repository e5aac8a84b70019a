"""``Modelverse(is_chat_model=False)``: ``/v1/completions`` from LlamaIndex, replaying cassettes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.base.llms.generic_utils import chat_response_to_completion_response
from llama_index.core.base.llms.types import LogProb, ThinkingBlock
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.tools import FunctionTool

import modelverse_core
from llamaindex_modelverse import Modelverse
from llamaindex_modelverse.convert import (
    to_chat_response,
    to_completion,
    to_logprobs,
    to_stream_completion,
    to_stream_response,
)
from modelverse_core import CHAT, COMPLETIONS, TokenLogprob, Wire
from tests.core.helpers import load_json, load_sse

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

V3 = "deepseek-ai/DeepSeek-V3-0324"
QWQ = "QwQ-32B"
REASONING = "The user asks: Say hi. I should answer briefly."


def sent(vcr: Any, index: int = 0) -> dict[str, Any]:
    return json.loads(vcr.requests[index].body)


def completion_model(**kwargs: Any) -> Modelverse:
    return Modelverse(**{"model": V3, "is_chat_model": False, **kwargs})


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


WEATHER = FunctionTool.from_defaults(get_weather)


# ---------------------------------------------------------------- no requests


def test_metadata_reports_a_completion_model_without_tool_calling() -> None:
    metadata = completion_model().metadata
    assert metadata.is_chat_model is False and metadata.is_function_calling_model is False
    assert Modelverse(model=V3).metadata.is_chat_model is True


def test_chat_only_settings_are_refused_not_dropped() -> None:
    with pytest.raises(modelverse_core.ParameterError, match="web_search: is not a parameter of /v1/completions"):
        completion_model(web_search={"enable": True}).complete("hi")
    with pytest.raises(modelverse_core.ParameterError, match="tools: is not a parameter of /v1/completions"):
        completion_model().chat_with_tools([WEATHER], user_msg="hi")
    with pytest.raises(modelverse_core.ParameterError, match="top_logprobs: is sent only together with logprobs"):
        completion_model(top_logprobs=2).complete("hi")
    with pytest.raises(modelverse_core.ParameterError, match="n: must be 1 when streaming"):
        completion_model(n=2).stream_complete("hi")


def test_logprobs_per_position_never_invent_a_value() -> None:
    tokens = (
        TokenLogprob("Hi"),  # an echoed prompt's first token: no log probability
        TokenLogprob(" there", -0.1, top=(TokenLogprob(" there", -0.1), TokenLogprob(" you", None))),
        TokenLogprob("!", -0.5, bytes=(33,)),
    )
    assert to_logprobs(tokens) == [
        [],
        [LogProb(token=" there", logprob=-0.1)],
        [LogProb(token="!", logprob=-0.5, bytes=[33])],
    ]
    assert to_logprobs(None) is None


# ---------------------------------------------------------------- cassettes


@pytest.mark.vcr
def test_complete_sends_the_prompt_to_completions(vcr: Any) -> None:
    llm = completion_model(max_tokens=64, temperature=0.1, logprobs=True, top_logprobs=2, stop_token_ids=[7])
    response = llm.complete("The capital of France is", suffix=".")
    assert response.text == f"You said: The capital of France is. This is the stand-in answering as {V3}."
    assert response.additional_kwargs["total_tokens"] > 0 and response.additional_kwargs["model"] == V3
    assert vcr.requests[0].path == "/v1/completions"
    assert sent(vcr) == {
        "model": V3,
        "prompt": "The capital of France is",
        "max_tokens": 64,
        "temperature": 0.1,
        "logprobs": 2,
        "suffix": ".",
        "stop_token_ids": [7],
    }
    assert response.logprobs is not None and len(response.logprobs) == len(response.text.split())
    first = response.logprobs[0]
    assert first[0] == LogProb(token="You ", logprob=-0.25, bytes=[]) and len(first) == 2


@pytest.mark.vcr
def test_llama_cpp_logprobs_keep_their_bytes() -> None:
    llm = completion_model(logprobs=True, default_headers={"X-Standin-Logprobs": "content"})
    response = llm.complete("Say hi.")
    assert response.logprobs is not None
    assert response.logprobs[0] == [LogProb(token="You ", logprob=-0.25, bytes=list(b"You "))]


@pytest.mark.vcr
def test_completion_to_prompt_and_formatted(vcr: Any) -> None:
    llm = completion_model(completion_to_prompt=lambda p: f"### Question\n{p}\n### Answer\n")
    llm.complete("Say hi.")
    llm.complete("raw prompt", formatted=True)
    assert sent(vcr, 0)["prompt"] == "### Question\nSay hi.\n### Answer\n"
    assert sent(vcr, 1)["prompt"] == "raw prompt"


@pytest.mark.vcr
def test_reasoning_is_split_from_the_text() -> None:
    response = completion_model(model=QWQ).complete("Say hi.")
    assert response.text == f"You said: Say hi. This is the stand-in answering as {QWQ}."
    assert response.additional_kwargs["reasoning_content"] == REASONING


@pytest.mark.vcr
def test_stream_complete_deltas_thinking_and_usage() -> None:
    chunks = list(completion_model(model=QWQ, logprobs=True).stream_complete("Say hi."))
    assert "".join(c.delta or "" for c in chunks) == chunks[-1].text
    assert chunks[-1].text == f"You said: Say hi. This is the stand-in answering as {QWQ}."
    assert "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks) == REASONING
    assert chunks[-1].additional_kwargs["total_tokens"] > 0
    streamed = [lp for c in chunks for lp in c.logprobs or ()]
    assert (
        "".join(position[0].token for position in streamed) == f"<think>\n{REASONING}\n</think>\n\n" + chunks[-1].text
    )


@pytest.mark.vcr
def test_chat_goes_through_messages_to_prompt(vcr: Any) -> None:
    messages = [
        ChatMessage(role=MessageRole.SYSTEM, content="Be brief."),
        ChatMessage(role=MessageRole.USER, content="Say hi."),
    ]
    llm = completion_model(model=QWQ)
    response = llm.chat(messages)
    assert sent(vcr)["prompt"] == llm.messages_to_prompt(messages)
    assert isinstance(response.message.blocks[0], ThinkingBlock)
    assert response.message.content is not None and response.message.content.startswith("You said:")
    chunks = list(llm.stream_chat(messages))
    assert chunks[-1].message.content == response.message.content
    assert sent(vcr, 1)["prompt"] == sent(vcr)["prompt"] and sent(vcr, 1)["stream"] is True


@pytest.mark.vcr
async def test_async_complete_stream_and_chat() -> None:
    llm = completion_model()
    response = await llm.acomplete("hello")
    assert response.text.startswith("You said: hello")
    chunks = [c async for c in await llm.astream_complete("hello")]
    assert chunks[-1].text == response.text
    reply = await llm.achat([ChatMessage(role=MessageRole.USER, content="hello")])
    assert reply.message.content is not None and reply.message.content.startswith("You said:")
    streamed = [c async for c in await llm.astream_chat([ChatMessage(role=MessageRole.USER, content="hello")])]
    assert streamed[-1].message.content == reply.message.content


@pytest.mark.vcr
def test_a_chat_model_reports_log_probabilities_too(vcr: Any) -> None:
    llm = Modelverse(model=V3, logprobs=True, top_logprobs=1)
    response = llm.complete("Say hi.")
    assert vcr.requests[0].path == "/v1/chat/completions"
    assert sent(vcr)["logprobs"] is True and sent(vcr)["top_logprobs"] == 1
    assert response.logprobs is not None and len(response.logprobs) == len(response.text.split())
    assert response.logprobs[0][0].token == "You" and response.logprobs[0][0].logprob == -0.25
    chunks = list(llm.stream_complete("Say hi."))
    assert [p[0].token for c in chunks for p in c.logprobs or ()] == response.text.split()


@pytest.mark.parametrize(
    ("wire", "fixture"),
    [
        (CHAT, "tool_calls_stream.sse"),
        (CHAT, "think_stream.sse"),
        (CHAT, "r1_stream.sse"),
        (COMPLETIONS, "think_text_completion.sse"),
    ],
)
def test_each_streamed_completion_is_llama_index_s_conversion_of_the_chat_chunk(wire: Wire, fixture: str) -> None:
    """``stream_complete`` builds its chunks directly, and they are exactly what llama-index makes of chat chunks."""
    state = wire.accumulator()
    compared = 0
    for event in load_sse(fixture):
        for delta in state.add(event):
            built = to_stream_completion(delta, state)
            chat = to_stream_response(delta, state)
            converted = chat_response_to_completion_response(chat)
            assert (built.text, built.additional_kwargs, built.raw) == (
                converted.text,
                converted.additional_kwargs,
                converted.raw,
            )
            assert (built.delta, built.logprobs) == (chat.delta, chat.logprobs)
            compared += 1
    assert compared > 3 and state.result().choices


@pytest.mark.parametrize(
    ("wire", "fixture"),
    [
        (CHAT, "r1_completion.json"),
        (CHAT, "tool_calls_completion.json"),
        (CHAT, "sft_search_completion.json"),
        (COMPLETIONS, "legacy_completion.json"),
        (COMPLETIONS, "think_text_completion.json"),
    ],
)
def test_a_completion_is_llama_index_s_conversion_of_the_chat_response(wire: Wire, fixture: str) -> None:
    """``complete`` builds its response directly, and it is exactly what llama-index makes of the chat response."""
    result = wire.parse(load_json(fixture))
    built = to_completion(result)
    chat = to_chat_response(result)
    converted = chat_response_to_completion_response(chat)
    expected = (converted.text, converted.additional_kwargs, converted.raw)
    assert (built.text, built.additional_kwargs, built.raw) == expected
    assert (built.delta, built.logprobs) == (chat.delta, chat.logprobs)
    assert built.additional_kwargs["total_tokens"] > 0
