"""Real conversations with ChatModelverse: message identity, memory across turns, roles, token counting."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.tools import tool

from langchain_modelverse import ChatModelverse

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

R1 = "deepseek-ai/DeepSeek-R1"
V3 = "deepseek-ai/DeepSeek-V3-0324"


@tool
def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


# ---------------------------------------------------------------- message identity


@pytest.mark.vcr
def test_each_answer_gets_its_own_message_id_and_the_server_id_stays_metadata() -> None:
    model = ChatModelverse(model=V3)
    first, second = model.invoke("hello"), model.invoke("hello")
    assert isinstance(first, AIMessage) and isinstance(second, AIMessage)
    assert first.id and second.id and first.id != second.id
    assert first.id.startswith("lc_run--")
    assert first.response_metadata["id"] is None  # the service's documented blank id " "


@pytest.mark.vcr
async def test_stream_chunks_of_one_answer_share_one_id_and_two_answers_never_do() -> None:
    model = ChatModelverse(model=R1)
    first: list[Any] = list(model.stream("hello"))
    second: list[Any] = [chunk async for chunk in model.astream("hello")]
    assert all(isinstance(c, AIMessageChunk) for c in first + second)
    first_ids, second_ids = {c.id for c in first}, {c.id for c in second}
    assert len(first_ids) == 1 and len(second_ids) == 1 and first_ids != second_ids
    assert None not in first_ids | second_ids
