"""Real conversations with ChatModelverse: message identity, memory across turns, roles, token counting."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage, ToolMessage
from langchain_core.tools import tool

from langchain_modelverse import ChatModelverse
from modelverse_core import InvalidRequestError
from tests.standin import StandinServer

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

R1 = "deepseek-ai/DeepSeek-R1"
V3 = "deepseek-ai/DeepSeek-V3-0324"


@tool
def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


def sent(vcr: Any, index: int) -> dict[str, Any]:
    """The JSON body of the index-th recorded request."""
    return json.loads(vcr.requests[index].body)


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


# ---------------------------------------------------------------- agents with memory

THINKING = "test/deepseek-thinking"  # thinking mode, unknown to the catalog; refuses tool calls without reasoning
TURNS = ("What is the weather in 'Shanghai'?", "And in 'Beijing'?")
KINDS = ["human", "ai", "tool", "ai", "human", "ai", "tool", "ai"]


def _agent() -> Any:
    from langchain.agents import create_agent
    from langgraph.checkpoint.memory import InMemorySaver

    model = ChatModelverse(model=THINKING)
    return create_agent(model=model, tools=[get_weather], system_prompt="Use tools.", checkpointer=InMemorySaver())


def _assert_two_turns_remembered(messages: list[Any], vcr: Any) -> None:
    assert [m.type for m in messages] == KINDS  # no message replaced another
    assert len({m.id for m in messages}) == len(messages)
    assert [m.content for m in messages if m.type == "tool"] == ["sunny in Shanghai", "sunny in Beijing"]
    assert messages[-1].content == "The tool returned sunny in Beijing."
    last = [m.get("reasoning_content") for m in sent(vcr, 3)["messages"]]  # system prompt first
    first_call, second_call = messages[1], messages[5]
    assert last == [
        None,
        None,
        first_call.additional_kwargs["reasoning_content"],  # an earlier turn's tool call keeps its reasoning
        None,
        None,  # an earlier turn's plain answer does not
        None,
        second_call.additional_kwargs["reasoning_content"],
        None,
    ]


@pytest.mark.vcr
def test_agent_with_a_checkpointer_remembers_two_turns_on_a_thinking_model(vcr: Any) -> None:
    agent, config = _agent(), {"configurable": {"thread_id": "invoke"}}
    for turn in TURNS:
        state = agent.invoke({"messages": [HumanMessage(turn)]}, config)
    _assert_two_turns_remembered(state["messages"], vcr)


@pytest.mark.vcr
def test_agent_streaming_messages_remembers_two_turns_on_a_thinking_model(vcr: Any) -> None:
    agent, config = _agent(), {"configurable": {"thread_id": "stream"}}
    streamed: list[Any] = []
    for turn in TURNS:
        streamed += [
            chunk for chunk, _ in agent.stream({"messages": [HumanMessage(turn)]}, config, stream_mode="messages")
        ]
    messages = agent.get_state(config).values["messages"]
    _assert_two_turns_remembered(messages, vcr)
    answers = [m for m in messages if m.type == "ai"]
    chunk_ids = {c.id for c in streamed if isinstance(c, AIMessageChunk)}
    assert chunk_ids == {m.id for m in answers}  # the chunks of each answer carry its stored id


# ---------------------------------------------------------------- rules the stand-in enforces (live, 127.0.0.1)


def test_thinking_model_refuses_a_tool_call_without_its_reasoning_which_auto_sends(standin: StandinServer) -> None:
    model = ChatModelverse(model=THINKING, base_url=standin.base_url)
    history: list[Any] = [HumanMessage("What is the weather in 'Shanghai'?")]
    first = model.bind_tools([get_weather]).invoke(history)
    history += [
        first,
        ToolMessage("sunny", tool_call_id=first.tool_calls[0]["id"]),
        AIMessage("Sunny."),
        HumanMessage("ok"),
    ]
    assert model.invoke(history).content
    with pytest.raises(InvalidRequestError, match="message index 1"):
        model.model_copy(update={"reasoning_in_history": "never"}).invoke(history)


def test_strict_model_gets_same_role_runs_merged_which_it_would_refuse(standin: StandinServer) -> None:
    history = [SystemMessage("a"), SystemMessage("b"), HumanMessage("c"), HumanMessage("d")]
    reply = ChatModelverse(model=R1, base_url=standin.base_url).invoke(history)
    assert reply.content == "You said: c\n\nd. This is the stand-in answering as deepseek-ai/DeepSeek-R1."
    assert [m["role"] for m in standin.requests[-1]["body"]["messages"]] == ["system", "user"]
    with pytest.raises(InvalidRequestError, match="roles must alternate"):
        ChatModelverse(
            model=R1,
            base_url=standin.base_url,
            extra_body={"messages": [{"role": "user", "content": "c"}, {"role": "user", "content": "d"}]},
        ).invoke("x")


@tool
def get_time(city: str) -> str:
    """Get the local time of a city."""
    return f"noon in {city}"


@pytest.mark.parametrize("streaming", [False, True])
def test_blank_tool_call_ids_are_made_unique_so_each_result_answers_one_call(
    standin: StandinServer, streaming: bool
) -> None:
    from langchain.agents import create_agent

    headers = {"X-Standin-Fault": "blank-tool-call-ids"}
    model = ChatModelverse(model=V3, base_url=standin.base_url, default_headers=headers, streaming=streaming)
    agent = create_agent(model=model, tools=[get_weather, get_time])
    state = agent.invoke({"messages": [HumanMessage("Use get_weather and get_time for 'Shanghai'.")]})
    _, calls, *results, answer = state["messages"]
    ids = [call["id"] for call in calls.tool_calls]
    assert len(set(ids)) == 2 and all(i.strip() for i in ids)
    assert sorted(r.tool_call_id for r in results) == sorted(ids)
    assert answer.content.startswith("The tool returned")
    sent_back = standin.requests[-1]["body"]["messages"]
    assert [c["id"] for c in sent_back[1]["tool_calls"]] == ids


# ---------------------------------------------------------------- token counting, offline


def test_token_counting_needs_no_tokenizer_download(monkeypatch: pytest.MonkeyPatch) -> None:
    from langchain_core.messages import trim_messages

    monkeypatch.setitem(sys.modules, "transformers", None)  # importing it now fails, as where it is not installed
    model = ChatModelverse(model=R1)
    assert model.get_num_tokens("say hello to ucloud") == 6
    assert model.get_num_tokens("优刻得云计算") == 4  # six Chinese characters at 0.6 token
    history: list[Any] = [
        SystemMessage("Be brief."),
        HumanMessage("What is the weather in 'Shanghai'?"),
        AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": "Shanghai"}, "id": "call_1"}]),
        ToolMessage("sunny in Shanghai", tool_call_id="call_1"),
        AIMessage("It is sunny.", additional_kwargs={"reasoning_content": "The tool says sunny. " * 20}),
        HumanMessage("And in 'Beijing'?"),
    ]
    total = model.get_num_tokens_from_messages(history)
    assert model.get_num_tokens_from_messages(history, tools=[get_weather]) > total
    kept = trim_messages(history, max_tokens=total - 1, token_counter=model, strategy="last", include_system=True)
    assert kept[0] == history[0] and kept[-1] == history[-1] and len(kept) < len(history)
    assert model.get_num_tokens_from_messages(kept) <= total - 1


def test_a_custom_tokenizer_is_honoured() -> None:
    model = ChatModelverse(model=R1, custom_get_token_ids=lambda text: list(range(len(text))))
    assert model.get_num_tokens("hello") == 5
