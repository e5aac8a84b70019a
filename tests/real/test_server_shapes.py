"""Usage as llama-server reports it, counted once by both frameworks' own counters.

llama-server sends usage once, in a last chunk with ``choices: []`` (it ignores
``continuous_usage_stats``), streams tool calls by index and takes a forced ``tool_choice``:
the other shapes of ``docs/servers.md`` are tested on the stand-in only.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import get_usage_metadata_callback
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.bridge.pydantic import Field
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.instrumentation.events.llm import LLMChatEndEvent
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.tools import FunctionTool

from langchain_modelverse import ChatModelverse
from llamaindex_modelverse import Modelverse

pytestmark = pytest.mark.vcr


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role=MessageRole.USER, content=text)]


def counted(connection: dict[str, Any]) -> tuple[Modelverse, TokenCountingHandler]:
    counter = TokenCountingHandler()
    return Modelverse(**connection, callback_manager=CallbackManager([counter])), counter


def counts(counter: TokenCountingHandler) -> tuple[int, int]:
    return counter.prompt_llm_token_count, counter.completion_llm_token_count


def test_token_counting_handler_counts_the_servers_usage_of_streams(connection: dict[str, Any]) -> None:
    llm, counter = counted(connection)
    chunks = list(llm.stream_chat(user("Say hello.")))
    usage = chunks[-1].raw["usage"]  # type: ignore[index]
    assert counts(counter) == (usage["prompt_tokens"], usage["completion_tokens"])
    counter.reset_counts()
    completions = list(llm.stream_complete("Say hello."))
    usage = completions[-1].raw["usage"]  # type: ignore[index]
    assert counts(counter) == (usage["prompt_tokens"], usage["completion_tokens"])


class EndedChats(BaseEventHandler):
    """The usage in ``raw`` of every chat's last response, as instrumentation reports it."""

    usages: list[dict[str, Any]] = Field(default_factory=list)

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        if isinstance(event, LLMChatEndEvent) and event.response is not None and event.response.raw:
            self.usages.append(event.response.raw["usage"])


async def test_a_function_agent_counts_the_servers_usage(connection: dict[str, Any]) -> None:
    """A FunctionAgent always streams: its counts are the sums of the usage the server reported."""
    llm, counter = counted(connection)
    ended, dispatcher = EndedChats(), get_dispatcher()
    dispatcher.add_event_handler(ended)
    try:
        await FunctionAgent(tools=[FunctionTool.from_defaults(get_weather)], llm=llm).run(
            "What is the weather in Paris?"
        )
    finally:
        dispatcher.event_handlers.remove(ended)
    assert len(ended.usages) == 2  # the call, then the answer to the tool's result
    prompt, completion = (sum(u[key] for u in ended.usages) for key in ("prompt_tokens", "completion_tokens"))
    assert counts(counter) == (prompt, completion)


def test_langchain_counts_a_streams_usage_once(connection: dict[str, Any]) -> None:
    """Asked for usage on every chunk, llama-server still sends it once; counted once."""
    continuous = {"stream_options": {"include_usage": True, "continuous_usage_stats": True}}
    model = ChatModelverse(**connection, extra_body=continuous)
    with get_usage_metadata_callback() as callback:
        chunks = list(model.stream("Say hello."))
    total = chunks[0]
    for chunk in chunks[1:]:
        total += chunk
    assert total.usage_metadata is not None and total.usage_metadata["total_tokens"] > 0
    (counted_usage,) = callback.usage_metadata.values()
    assert counted_usage["total_tokens"] == total.usage_metadata["total_tokens"]
    assert sum(1 for c in chunks if c.usage_metadata) == 1
