"""ChatModelverse with ``use_responses_api=True``: the same messages and results over ``POST /v1/responses``."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.exceptions import ModelInvalidRequestError
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from pydantic import ValidationError

import modelverse_core
from langchain_modelverse import ChatModelverse
from tests.langchain.test_chat_model import PNG, R1, V3, Joke, get_weather, sent, summed

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

QWEN3 = "Qwen/Qwen3-235B-A22B"


def responses(model: str = R1, **kwargs: Any) -> ChatModelverse:
    return ChatModelverse(model=model, use_responses_api=True, **kwargs)


def path(vcr: Any, index: int = 0) -> str:
    return str(vcr.requests[index].path)


# ---------------------------------------------------------------- no requests


def test_chat_only_settings_are_refused_before_sending() -> None:
    with pytest.raises(modelverse_core.ParameterError, match=r"^stop: is a chat completions setting"):
        responses().invoke("hi", stop=["x"])
    with pytest.raises(ValidationError, match=r"penalty_score: is a chat completions setting"):
        responses(penalty_score=1.2)


def test_the_body_and_the_endpoint_come_from_the_same_options() -> None:
    bound = ChatModelverse(model=R1).bind(use_responses_api=True)
    sent = bound.bound._prepared([HumanMessage("hi")], None, dict(bound.kwargs), stream=False)  # type: ignore[attr-defined]
    body, wire = sent.body, sent.wire
    assert wire is modelverse_core.RESPONSES and body["input"] == [{"type": "message", "role": "user", "content": "hi"}]
    sent = responses()._prepared([HumanMessage("hi")], None, {"use_responses_api": False}, stream=True)
    body, wire = sent.body, sent.wire
    assert wire is modelverse_core.CHAT and body["messages"] == [{"role": "user", "content": "hi"}]


def test_the_switch_is_a_setting_and_survives_serialization() -> None:
    from langchain_core.load import dumpd, load

    revived = load(
        dumpd(responses()),
        valid_namespaces=["langchain_modelverse"],
        allowed_objects=[ChatModelverse],
        secrets_map={"MODELVERSE_API_KEY": "sk-restored"},
    )
    assert isinstance(revived, ChatModelverse) and revived.use_responses_api is True


# ---------------------------------------------------------------- on cassettes


@pytest.mark.vcr
def test_invoke_reasoning_answer_usage_and_response_id(vcr: Any) -> None:
    reply = responses().invoke([SystemMessage("Be brief."), HumanMessage("Describe UCloud in one sentence.")])
    assert path(vcr) == "/v1/responses"
    assert sent(vcr)["input"] == [
        {"type": "message", "role": "system", "content": "Be brief."},
        {"type": "message", "role": "user", "content": "Describe UCloud in one sentence."},
    ]
    assert isinstance(reply, AIMessage) and str(reply.content).startswith("You said: Describe UCloud")
    assert reply.additional_kwargs["reasoning_content"].startswith("The user asks")
    assert [b["type"] for b in reply.content_blocks] == ["reasoning", "text"]
    usage = reply.usage_metadata
    assert usage is not None and usage["output_token_details"]["reasoning"] > 0
    assert usage["input_token_details"] == {"cache_read": 0}
    meta = reply.response_metadata
    assert meta["id"].startswith("resp_") and meta["finish_reason"] == "stop" and meta["model_name"] == R1


@pytest.mark.vcr
def test_stream_reasoning_first_usage_last_and_sum_equals_invoke() -> None:
    model = responses(QWEN3)  # reasoning as a summary
    reply = model.invoke("Say hello to UCloud.")
    chunks = list(model.stream("Say hello to UCloud."))
    reasoning_at = [i for i, c in enumerate(chunks) if c.additional_kwargs.get("reasoning_content")]
    content_at = [i for i, c in enumerate(chunks) if c.content]
    assert reasoning_at and content_at and max(reasoning_at) < min(content_at)
    assert [i for i, c in enumerate(chunks) if c.usage_metadata] == [len(chunks) - 1]
    assert chunks[-1].chunk_position == "last"
    total = summed(chunks)
    assert total.content == reply.content and total.additional_kwargs == reply.additional_kwargs
    assert total.usage_metadata == reply.usage_metadata
    assert total.response_metadata["finish_reason"] == "stop"


@pytest.mark.vcr
def test_per_call_switch_both_ways(vcr: Any) -> None:
    ChatModelverse(model=V3).invoke("hello", use_responses_api=True)
    responses(V3).invoke("hello", use_responses_api=False)
    assert [path(vcr, 0), path(vcr, 1)] == ["/v1/responses", "/v1/chat/completions"]


@pytest.mark.vcr
async def test_async_invoke_stream_and_batch() -> None:
    model = responses("Qwen/QwQ-32B")
    reply = await model.ainvoke("What is 3 + 5?")
    chunks = [c async for c in model.astream("What is 3 + 5?")]
    assert summed(chunks).content == reply.content and reply.additional_kwargs["reasoning_content"]
    replies = await model.abatch(["first", "second"])
    assert [str(r.content)[:16] for r in replies] == ["You said: first.", "You said: second"]


@pytest.mark.vcr
def test_batch_and_token_callbacks() -> None:
    class Tokens(BaseCallbackHandler):
        def __init__(self) -> None:
            self.tokens: list[str] = []

        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            self.tokens.append(token)

    handler = Tokens()
    model = responses(V3, callbacks=[handler], streaming=True)
    replies = model.batch(["one", "two"], config={"max_concurrency": 1})
    assert [str(r.content)[:13] for r in replies] == ["You said: one", "You said: two"]
    assert "".join(handler.tokens) == "".join(str(r.content) for r in replies)


@pytest.mark.vcr
def test_tool_loop_sends_reasoning_function_call_and_output_items(vcr: Any) -> None:
    model = responses().bind_tools([get_weather])
    history: list[Any] = [SystemMessage("Use tools."), HumanMessage("What is the weather in 'Shanghai'?")]
    first = model.invoke(history)
    assert isinstance(first, AIMessage) and first.response_metadata["finish_reason"] == "tool_calls"
    (call,) = first.tool_calls
    assert call["name"] == "get_weather" and call["args"] == {"city": "Shanghai"}
    assert sent(vcr, 0)["tools"] == [
        {
            "type": "function",
            "name": "get_weather",
            "description": "Get the current weather of a city.",
            "parameters": {"properties": {"city": {"type": "string"}}, "required": ["city"], "type": "object"},
        }
    ]
    history += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    final = model.invoke(history)
    assert final.content == "The tool returned sunny in Shanghai."
    items = sent(vcr, 1)["input"][2:]
    assert items == [
        {
            "type": "reasoning",
            "summary": [{"type": "summary_text", "text": first.additional_kwargs["reasoning_content"]}],
            "content": [{"type": "reasoning_text", "text": first.additional_kwargs["reasoning_content"]}],
        },
        {"type": "function_call", "call_id": call["id"], "name": "get_weather", "arguments": '{"city": "Shanghai"}'},
        {"type": "function_call_output", "call_id": call["id"], "output": "sunny in Shanghai"},
    ]


@pytest.mark.vcr
def test_streamed_tool_calls_and_forced_choice(vcr: Any) -> None:
    model = responses(V3).bind_tools([get_weather], tool_choice="get_weather", parallel_tool_calls=False)
    chunks = list(model.stream("weather in 'Beijing'?"))
    assert sum(1 for c in chunks if c.tool_call_chunks) > 1
    total = summed(chunks)
    assert total.tool_calls[0]["args"] == {"city": "Beijing"}
    assert total.response_metadata["finish_reason"] == "tool_calls"
    body = sent(vcr)
    assert body["tool_choice"] == {"type": "function", "name": "get_weather"} and body["parallel_tool_calls"] is False


@pytest.mark.vcr
def test_create_agent_over_responses() -> None:
    from langchain.agents import create_agent

    agent = create_agent(model=responses(), tools=[get_weather], system_prompt="Use tools.")
    state = agent.invoke({"messages": [HumanMessage("What is the weather in 'Shenzhen'?")]})
    messages = state["messages"]
    assert messages[1].tool_calls[0]["args"] == {"city": "Shenzhen"}
    assert isinstance(messages[2], ToolMessage) and messages[2].content == "sunny in Shenzhen"
    assert messages[-1].content == "The tool returned sunny in Shenzhen."


@pytest.mark.vcr
def test_structured_output_by_text_format_and_function_calling(vcr: Any) -> None:
    prompt = "Tell me a joke about 'cats' with 'dogs'."
    by_schema = responses("gpt-5").with_structured_output(Joke, method="json_schema", include_raw=True)
    result = by_schema.invoke(prompt)
    assert result["parsed"] == Joke(setup="cats", punchline="dogs")  # type: ignore[index]
    text_format = sent(vcr, 0)["text"]["format"]
    assert text_format["type"] == "json_schema" and text_format["name"] == "Joke"
    assert text_format["schema"]["required"] == ["setup", "punchline"]
    by_tool = responses().with_structured_output(Joke)
    assert by_tool.invoke(prompt) == Joke(setup="cats", punchline="dogs")
    assert sent(vcr, 1)["tool_choice"] == "auto"  # R1 thinks: thinking mode refuses a forced tool_choice
    by_json_mode = responses().with_structured_output(None, method="json_mode")  # type: ignore[arg-type]
    assert by_json_mode.invoke("Answer with keys 'setup' and 'punchline'.").keys() == {"setup", "punchline"}  # type: ignore[union-attr]
    assert sent(vcr, 2)["text"] == {"format": {"type": "json_object"}}


@pytest.mark.vcr
def test_images_as_input_image_parts(vcr: Any) -> None:
    content = [
        {"type": "text", "text": "Describe these."},
        {"type": "image", "url": "https://example.com/cat.png"},
        {"type": "image", "base64": PNG, "mime_type": "image/png"},
        {"type": "image_url", "image_url": {"url": "https://example.com/dog.png", "detail": "low"}},
    ]
    reply = responses("gpt-5").invoke([HumanMessage(content=content)])
    assert str(reply.content).startswith("I see an image.")
    assert sent(vcr)["input"][0]["content"] == [
        {"type": "input_text", "text": "Describe these."},
        {"type": "input_image", "image_url": "https://example.com/cat.png"},
        {"type": "input_image", "image_url": f"data:image/png;base64,{PNG}"},
        {"type": "input_image", "image_url": "https://example.com/dog.png", "detail": "low"},
    ]


@pytest.mark.vcr
def test_settings_and_an_incomplete_answer(vcr: Any) -> None:
    model = responses(max_tokens=14, temperature=0.3, reasoning_effort="low", request_metadata={"team": "a"})
    reply = model.invoke("Tell me a long story.")
    assert reply.response_metadata["finish_reason"] == "length"
    chunks = list(model.stream("Tell me a long story."))
    assert summed(chunks).response_metadata["finish_reason"] == "length"
    body = sent(vcr)
    assert body["max_output_tokens"] == 14 and body["reasoning"] == {"effort": "low"}
    assert body["temperature"] == 0.3 and body["metadata"] == {"team": "a"}
    assert "max_completion_tokens" not in body


@pytest.mark.vcr
def test_documented_errors_map_to_the_same_classes() -> None:
    with pytest.raises(ModelInvalidRequestError) as info:
        responses().invoke("SENSITIVE-CONTENT")
    assert isinstance(info.value, modelverse_core.SensitiveContentError)
    with pytest.raises(modelverse_core.AuthenticationError):
        responses(api_key="sk-invalid").invoke("hi")
