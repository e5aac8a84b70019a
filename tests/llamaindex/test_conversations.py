"""Real conversations with Modelverse (LlamaIndex): an agent with memory across turns, roles, token counting."""

from __future__ import annotations

import json
from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.llms import ChatMessage
from llama_index.core.memory import Memory
from llama_index.core.tools import FunctionTool
from llama_index.core.workflow import Context

from llamaindex_modelverse import Modelverse
from modelverse_core import InvalidRequestError
from tests.standin import StandinServer

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

R1 = "deepseek-ai/DeepSeek-R1"
THINKING = "test/deepseek-thinking"  # thinking mode, unknown to the catalog; refuses tool calls without reasoning


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


def sent(vcr: Any, index: int) -> dict[str, Any]:
    """The JSON body of the index-th recorded request."""
    return json.loads(vcr.requests[index].body)


@pytest.mark.vcr
async def test_function_agent_run_twice_on_one_context_on_a_thinking_model(vcr: Any) -> None:
    agent = FunctionAgent(tools=[FunctionTool.from_defaults(get_weather)], llm=Modelverse(model=THINKING))
    # The memory is given to each run: the Context drops its default one when it is serialized between runs.
    ctx, memory = Context(agent), Memory.from_defaults(session_id="two-turns")
    first = await agent.run("What is the weather in 'Shanghai'?", ctx=ctx, memory=memory)
    second = await agent.run("And in 'Beijing'?", ctx=ctx, memory=memory)
    assert str(first) == "The tool returned sunny in Shanghai."
    assert str(second) == "The tool returned sunny in Beijing."
    history = sent(vcr, 3)["messages"]
    assert [m["role"] for m in history] == ["user", "assistant", "tool", "assistant", "user", "assistant", "tool"]
    reasoning = [m.get("reasoning_content") for m in history]
    assert reasoning[1] and reasoning[5]  # both turns' tool calls keep their reasoning
    assert reasoning[3] is None  # the earlier plain answer does not
    assert history[2]["tool_call_id"] == history[1]["tool_calls"][0]["id"]


def get_time(city: str) -> str:
    """Get the local time of a city."""
    return f"noon in {city}"


async def test_blank_tool_call_ids_are_made_unique_so_each_result_answers_one_call(standin: StandinServer) -> None:
    headers = {"X-Standin-Fault": "blank-tool-call-ids"}
    llm = Modelverse(model=THINKING, base_url=standin.base_url, default_headers=headers)
    tools = [FunctionTool.from_defaults(get_weather), FunctionTool.from_defaults(get_time)]
    result = await FunctionAgent(tools=tools, llm=llm).run("Use get_weather and get_time for 'Shanghai'.")
    assert str(result).startswith("The tool returned")
    calls, *results = standin.requests[-1]["body"]["messages"][1:]
    ids = [c["id"] for c in calls["tool_calls"]]
    assert len(set(ids)) == 2 and all(i.strip() for i in ids)
    assert sorted(r["tool_call_id"] for r in results) == sorted(ids)


# ---------------------------------------------------------------- rules the stand-in enforces (live, 127.0.0.1)


def test_thinking_model_refuses_a_tool_call_without_its_reasoning_which_auto_sends(standin: StandinServer) -> None:
    llm = Modelverse(model=THINKING, base_url=standin.base_url)
    weather = FunctionTool.from_defaults(get_weather)
    first = llm.chat_with_tools([weather], user_msg="What is the weather in 'Shanghai'?")
    (call,) = llm.get_tool_calls_from_response(first)
    history = [
        ChatMessage(role="user", content="What is the weather in 'Shanghai'?"),
        first.message,
        ChatMessage(role="tool", content="sunny", additional_kwargs={"tool_call_id": call.tool_id}),
        ChatMessage(role="assistant", content="Sunny."),
        ChatMessage(role="user", content="ok"),
    ]
    assert llm.chat(history).message.content
    with pytest.raises(InvalidRequestError, match="message index 1"):
        Modelverse(model=THINKING, base_url=standin.base_url, reasoning_in_history="never").chat(history)


def test_strict_model_gets_same_role_runs_merged(standin: StandinServer) -> None:
    history = [ChatMessage(role="system", content="a"), ChatMessage(role="user", content="c")]
    history.append(ChatMessage(role="user", content="d"))
    reply = Modelverse(model=R1, base_url=standin.base_url).chat(history)
    assert reply.message.content == "You said: c\n\nd. This is the stand-in answering as deepseek-ai/DeepSeek-R1."
    assert [m["role"] for m in standin.requests[-1]["body"]["messages"]] == ["system", "user"]
