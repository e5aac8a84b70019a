"""Prompt completion over ``/v1/completions`` against llama-server, for both plugins.

llama-server applies no chat template here: the tiny model sees the raw prompt, and a prompt
ending in a newline starts its script, ``<think>REASONING</think>GREETING``. llama-server
sends that reasoning inline and its log probabilities in the chat shape
(``{"content": [{"token", "logprob", "top_logprobs"}]}``); both plugins split the reasoning
out and report the log probabilities in their usual shapes.
"""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import LogProb

from langchain_modelverse import Modelverse as LangChainCompletions
from llamaindex_modelverse import Modelverse as LlamaIndexModelverse

pytestmark = pytest.mark.vcr

PROMPT = "Say hello.\n"


def test_langchain_generate_text_reasoning_usage_and_logprobs(connection: dict[str, Any]) -> None:
    result = LangChainCompletions(**connection, logprobs=2).generate([PROMPT])
    generation = result.generations[0][0]
    info = generation.generation_info or {}
    assert generation.text and "<think>" not in generation.text and "</think>" not in generation.text
    assert info["reasoning_content"] and info["finish_reason"] == "stop"
    usage = info["usage"]
    assert usage["prompt_tokens"] > 0 and usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    logprobs = info["logprobs"]
    assert set(logprobs) == {"tokens", "token_logprobs", "top_logprobs", "text_offset"}
    assert "".join(logprobs["tokens"]).endswith(generation.text)
    assert all(lp <= 0 for lp in logprobs["token_logprobs"]) and all(len(t) == 2 for t in logprobs["top_logprobs"])


def test_langchain_stream_equals_invoke(connection: dict[str, Any]) -> None:
    llm = LangChainCompletions(**connection)
    text = llm.invoke(PROMPT)
    assert text and "".join(llm.stream(PROMPT)) == text


async def test_langchain_async_and_max_tokens(connection: dict[str, Any]) -> None:
    llm = LangChainCompletions(**connection)
    assert "".join([c async for c in llm.astream(PROMPT)]) == await llm.ainvoke(PROMPT)
    short = (await llm.agenerate([PROMPT], max_tokens=2)).generations[0][0]
    assert (short.generation_info or {})["finish_reason"] == "length"


def test_llamaindex_completion_model(connection: dict[str, Any]) -> None:
    llm = LlamaIndexModelverse(**connection, is_chat_model=False, logprobs=True, top_logprobs=2)
    assert llm.metadata.is_chat_model is False
    completion = llm.complete(PROMPT)
    assert completion.text and "</think>" not in completion.text
    assert completion.additional_kwargs["reasoning_content"]
    assert completion.logprobs and all(isinstance(p, LogProb) for top in completion.logprobs for p in top)
    chunks = list(llm.stream_complete(PROMPT))
    assert chunks[-1].text == completion.text
    assert chunks[-1].additional_kwargs["total_tokens"] == completion.additional_kwargs["total_tokens"]
