"""Both plugins over the SDK's aiohttp backend, against a live llama-server (``make test-real`` only).

Nothing here is replayed: the point is aiohttp reading llama-server's own bodies and streams.
Each answer over aiohttp must equal the one over httpx, field for field (the tiny model is
greedy, so equal prompts give equal answers).
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages.ai import add_ai_message_chunks

from langchain_modelverse import ChatModelverse
from llamaindex_modelverse import Modelverse
from tests.real.test_langchain import counts
from tests.real.test_llamaindex import user


@pytest.fixture
def live(request: pytest.FixtureRequest, connection: dict[str, Any]) -> dict[str, Any]:
    """The connection to a live llama-server; skipped when the suite replays cassettes."""
    if not request.config.getoption("--llama-server", default=None):
        pytest.skip("aiohttp is checked against a live llama-server only: make test-real")
    return connection


async def test_langchain_answers_and_streams_as_over_httpx(live: dict[str, Any], aio: Any) -> None:
    over_httpx, over_aiohttp = ChatModelverse(**live), ChatModelverse(**live, http_async_client=aio)
    expected = await over_httpx.ainvoke("Good morning.")
    await over_httpx._mv_client_for_settings().aclose()
    for reply in (
        await over_aiohttp.ainvoke("Good morning."),
        add_ai_message_chunks(*[chunk async for chunk in over_aiohttp.astream("Good morning.")]),
    ):
        assert (reply.content, reply.additional_kwargs) == (expected.content, expected.additional_kwargs)
        assert counts(reply) == counts(expected)
        assert reply.response_metadata["finish_reason"] == "stop"
    assert expected.content and expected.additional_kwargs["reasoning_content"]


async def test_llamaindex_answers_and_streams_as_over_httpx(live: dict[str, Any], aio: Any) -> None:
    messages = user("Good morning.")
    over_httpx, over_aiohttp = Modelverse(**live), Modelverse(**live, http_async_client=aio)
    expected = await over_httpx.achat(messages)
    await over_httpx._mv_client_for_settings().aclose()
    chunks = [c async for c in await over_aiohttp.astream_chat(messages)]
    for reply in (await over_aiohttp.achat(messages), chunks[-1]):
        assert reply.message.blocks == expected.message.blocks
        assert reply.additional_kwargs["completion_tokens"] == expected.additional_kwargs["completion_tokens"]
    assert "".join(c.delta or "" for c in chunks) == expected.message.content
    assert expected.message.content
