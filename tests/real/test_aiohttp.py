"""Both plugins over the SDK's aiohttp backend, against a live llama-server (``make test-real`` only).

Nothing here is replayed: the point is aiohttp reading llama-server's own bodies and streams.
Each answer over aiohttp must equal the one over httpx, field for field (the tiny model is
greedy, so equal prompts give equal answers).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import openai
import pytest
from langchain_core.messages.ai import add_ai_message_chunks
from llama_index.core.llms import ChatMessage, MessageRole

from langchain_modelverse import ChatModelverse
from llamaindex_modelverse import Modelverse
from modelverse_core.compat import httpx
from tests.reliability.test_aiohttp import carried_by_aiohttp


@pytest.fixture
def live(request: pytest.FixtureRequest, connection: dict[str, Any]) -> dict[str, Any]:
    """The connection to a live llama-server; skipped when the suite replays cassettes."""
    if not request.config.getoption("--llama-server", default=None):
        pytest.skip("aiohttp is checked against a live llama-server only: make test-real")
    return connection


@pytest.fixture
async def aio() -> AsyncIterator[httpx.AsyncClient]:
    async with openai.DefaultAioHttpClient() as client:
        yield client
        assert carried_by_aiohttp(client)


def usage_counts(usage: Any) -> dict[str, Any]:
    """Usage without the cached-token detail: a repeated prompt hits llama-server's prompt cache."""
    return {k: v for k, v in (usage or {}).items() if k != "input_token_details"}


async def test_langchain_answers_and_streams_as_over_httpx(live: dict[str, Any], aio: Any) -> None:
    over_httpx, over_aiohttp = ChatModelverse(**live), ChatModelverse(**live, http_async_client=aio)
    expected = await over_httpx.ainvoke("Good morning.")
    await over_httpx._mv_client_for_settings().aclose()
    for reply in (
        await over_aiohttp.ainvoke("Good morning."),
        add_ai_message_chunks(*[chunk async for chunk in over_aiohttp.astream("Good morning.")]),
    ):
        assert (reply.content, reply.additional_kwargs) == (expected.content, expected.additional_kwargs)
        assert usage_counts(reply.usage_metadata) == usage_counts(expected.usage_metadata)
        assert reply.response_metadata["finish_reason"] == "stop"
    assert expected.content and expected.additional_kwargs["reasoning_content"]


async def test_llamaindex_answers_and_streams_as_over_httpx(live: dict[str, Any], aio: Any) -> None:
    messages = [ChatMessage(role=MessageRole.USER, content="Good morning.")]
    over_httpx, over_aiohttp = Modelverse(**live), Modelverse(**live, http_async_client=aio)
    expected = await over_httpx.achat(messages)
    await over_httpx._mv_client_for_settings().aclose()
    chunks = [c async for c in await over_aiohttp.astream_chat(messages)]
    for reply in (await over_aiohttp.achat(messages), chunks[-1]):
        assert reply.message.blocks == expected.message.blocks
        assert reply.additional_kwargs["completion_tokens"] == expected.additional_kwargs["completion_tokens"]
    assert "".join(c.delta or "" for c in chunks) == expected.message.content
    assert expected.message.content
