"""Modelverse (LlamaIndex) behaviour, replaying cassettes through the real SDK and httpx2 stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openai
import pytest
from llama_index.core.agent.workflow import FunctionAgent, ReActAgent
from llama_index.core.base.llms.base import BaseLLM
from llama_index.core.base.llms.types import ImageBlock, TextBlock, ThinkingBlock, ToolCallBlock
from llama_index.core.callbacks import CallbackManager, LlamaDebugHandler
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from llama_index.core.llms import ChatMessage, MessageRole
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel, ValidationError

import modelverse_core
from llamaindex_modelverse import Modelverse

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

R1 = "deepseek-ai/DeepSeek-R1"
V3 = "deepseek-ai/DeepSeek-V3-0324"
ROOT = Path(__file__).resolve().parents[2]


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


WEATHER = FunctionTool.from_defaults(get_weather)


class Joke(BaseModel):
    """A joke with a setup and a punchline."""

    setup: str
    punchline: str


def user(text: str) -> list[ChatMessage]:
    return [ChatMessage(role=MessageRole.USER, content=text)]


def sent(vcr: Any, index: int = 0) -> dict[str, Any]:
    return json.loads(vcr.requests[index].body)


# ---------------------------------------------------------------- conventions and construction


def test_class_is_a_llamaindex_llm() -> None:
    assert BaseLLM.__name__ in [base.__name__ for base in Modelverse.__mro__]
    assert Modelverse.class_name() == "Modelverse"


def test_namespace_import_path() -> None:
    from llama_index.llms.modelverse import Modelverse as Reexported

    assert Reexported is Modelverse
    assert not (ROOT / "llama_index" / "__init__.py").exists()
    assert not (ROOT / "llama_index" / "llms" / "__init__.py").exists()


def test_metadata_from_the_catalog_and_overrides() -> None:
    meta = Modelverse(model=R1).metadata
    assert (meta.context_window, meta.num_output, meta.is_chat_model, meta.is_function_calling_model) == (
        131072,
        16384,
        True,
        True,
    )
    assert Modelverse(model="deepseek-ai/DeepSeek-Prover-V2-671B").metadata.is_function_calling_model is False
    custom = Modelverse(model=R1, context_window=8000, max_tokens=512).metadata
    assert (custom.context_window, custom.num_output) == (8000, 512)


def test_no_forced_sampling_defaults_and_additional_kwargs() -> None:
    llm = Modelverse(model=R1, additional_kwargs={"top_k": 4}, penalty_score=1.05, request_metadata={"app": "docs"})
    body = llm._request(user("hi"), {}, stream=True).body
    assert "temperature" not in body and body["top_k"] == 4 and body["penalty_score"] == 1.05
    assert body["metadata"] == {"app": "docs"} and body["stream_options"] == {"include_usage": True}


def test_unknown_and_invalid_values_fail_at_construction() -> None:
    with pytest.raises(ValidationError, match="temprature"):
        Modelverse(model=R1, temprature=0.1)
    with pytest.raises(ValidationError, match=r"penalty_score: must be a number in \[1.0, 2.0\]"):
        Modelverse(model=R1, penalty_score=0.5)


def test_key_never_in_repr_dict_or_json() -> None:
    llm = Modelverse(model=R1, api_key="sk-li-secret")
    for text in (repr(llm), str(llm), json.dumps(llm.to_dict()), llm.to_json()):
        assert "sk-li-secret" not in text
    revived = Modelverse.from_dict(llm.to_dict())
    assert revived.model == R1 and revived.api_key is not None  # restored from MODELVERSE_API_KEY


def test_tool_choice_is_never_sent_without_tools() -> None:
    prepared = Modelverse(model=R1)._prepare_chat_with_tools([], user_msg="hi", tool_required=True)
    assert "tool_choice" not in prepared and "tools" not in prepared
    with_tools = Modelverse(model=V3)._prepare_chat_with_tools([WEATHER], user_msg="hi", tool_required=True)
    assert with_tools["tool_choice"] == "required" and with_tools["parallel_tool_calls"] is False
    thinking = Modelverse(model=R1)._prepare_chat_with_tools([WEATHER], user_msg="hi", tool_required=True)
    assert thinking["tool_choice"] == "auto"  # a thinking model refuses a forced choice


def test_invalid_tool_call_arguments_are_marked_not_crashed() -> None:
    result = modelverse_core.parse_response(
        {
            "id": "x",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "tool_calls",
                    "message": {
                        "role": "assistant",
                        "content": "",
                        "tool_calls": [
                            {
                                "id": "c1",
                                "type": "function",
                                "function": {"name": "get_weather", "arguments": "{city: Paris"},
                            }
                        ],
                    },
                }
            ],
        }
    )
    from llamaindex_modelverse.convert import to_chat_response

    response = to_chat_response(result)
    (marker,) = response.message.additional_kwargs["invalid_tool_calls"]
    assert marker["arguments"] == "{city: Paris" and "not valid JSON" in marker["error"]
    (selection,) = Modelverse(model=R1).get_tool_calls_from_response(response)
    assert selection.tool_name == "get_weather" and isinstance(selection.tool_kwargs, dict)


# ---------------------------------------------------------------- the eight methods, on cassettes


@pytest.mark.vcr
def test_chat_thinking_block_usage_and_raw() -> None:
    response = Modelverse(model=R1).chat(user("Describe UCloud in one sentence."))
    thinking, text = response.message.blocks
    assert isinstance(thinking, ThinkingBlock) and isinstance(text, TextBlock)
    assert thinking.content and thinking.num_tokens == response.additional_kwargs["reasoning_tokens"] > 0
    assert response.message.content == text.text and "user asks" not in text.text
    assert set(response.additional_kwargs) >= {
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "reasoning_tokens",
        "cached_tokens",
    }
    assert response.raw is not None and response.raw["id"] == response.raw["id"] and "choices" in response.raw


@pytest.mark.vcr
def test_stream_chat_thinking_deltas_then_text_usage_last() -> None:
    llm = Modelverse(model=R1)
    whole = llm.chat(user("Say hello to UCloud."))
    chunks = list(llm.stream_chat(user("Say hello to UCloud.")))
    thinking_at = [i for i, c in enumerate(chunks) if c.additional_kwargs.get("thinking_delta")]
    text_at = [i for i, c in enumerate(chunks) if c.delta]
    assert thinking_at and text_at and max(thinking_at) < min(text_at)
    assert "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks) == whole.message.blocks[0].content  # type: ignore[union-attr]
    assert "".join(c.delta or "" for c in chunks) == whole.message.content
    last = chunks[-1]
    assert last.message.content == whole.message.content
    assert {k: last.additional_kwargs[k] for k in ("prompt_tokens", "reasoning_tokens", "total_tokens")} == {
        k: whole.additional_kwargs[k] for k in ("prompt_tokens", "reasoning_tokens", "total_tokens")
    }
    assert (
        isinstance(last.message.blocks[0], ThinkingBlock)
        and last.message.blocks[0].num_tokens == whole.additional_kwargs["reasoning_tokens"]
    )


@pytest.mark.vcr
async def test_async_chat_and_stream() -> None:
    llm = Modelverse(model="Qwen/QwQ-32B")
    whole = await llm.achat(user("What is 3 + 5?"))
    chunks = [c async for c in await llm.astream_chat(user("What is 3 + 5?"))]
    assert chunks[-1].message.content == whole.message.content
    assert "<think>" not in (whole.message.content or "") and isinstance(whole.message.blocks[0], ThinkingBlock)


@pytest.mark.vcr
def test_complete_and_stream_complete_keep_reasoning_and_usage() -> None:
    llm = Modelverse(model=R1)
    completion = llm.complete("What is 2 + 2?")
    assert completion.text.startswith("You said: What is 2 + 2?")
    assert completion.additional_kwargs["reasoning_content"] and completion.additional_kwargs["reasoning_tokens"] > 0
    chunks = list(llm.stream_complete("What is 2 + 2?"))
    assert chunks[-1].text == completion.text
    assert (
        "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks)
        == completion.additional_kwargs["reasoning_content"]
    )
    assert chunks[-1].additional_kwargs["total_tokens"] == completion.additional_kwargs["total_tokens"]


@pytest.mark.vcr
async def test_async_complete_and_stream_complete() -> None:
    llm = Modelverse(model=V3)
    completion = await llm.acomplete("hello")
    chunks = [c async for c in await llm.astream_complete("hello")]
    assert chunks[-1].text == completion.text and completion.additional_kwargs["total_tokens"] > 0


# ---------------------------------------------------------------- history, tools, agents


@pytest.mark.vcr
def test_thinking_blocks_in_history_are_sent_back_per_policy(vcr: Any) -> None:
    call = ToolCallBlock(tool_call_id="call_1", tool_name="get_weather", tool_kwargs={"city": "Hangzhou"})
    history = [
        ChatMessage(role=MessageRole.USER, content="weather in 'Hangzhou'?"),
        ChatMessage(role=MessageRole.ASSISTANT, blocks=[ThinkingBlock(content="look it up"), TextBlock(text=""), call]),
        ChatMessage(role=MessageRole.TOOL, content="rainy", additional_kwargs={"tool_call_id": "call_1"}),
    ]
    Modelverse(model=R1).chat(history, tools=[WEATHER.metadata.to_openai_tool()])
    Modelverse(model=R1, reasoning_in_history="never").chat(history, tools=[WEATHER.metadata.to_openai_tool()])
    first, second = sent(vcr, 0)["messages"][1], sent(vcr, 1)["messages"][1]
    assert first["reasoning_content"] == "look it up" and "reasoning_content" not in second
    assert first["tool_calls"][0]["function"] == {"name": "get_weather", "arguments": '{"city": "Hangzhou"}'}
    assert sent(vcr, 0)["messages"][2] == {"role": "tool", "content": "rainy", "tool_call_id": "call_1"}


@pytest.mark.vcr
async def test_chat_with_tools_in_every_form(vcr: Any) -> None:
    llm = Modelverse(model=V3)
    response = llm.chat_with_tools([WEATHER], user_msg="Weather in 'Paris'?", tool_required=True)
    (selection,) = llm.get_tool_calls_from_response(response)
    assert (selection.tool_name, selection.tool_kwargs) == ("get_weather", {"city": "Paris"})
    assert isinstance(response.message.blocks[-1], ToolCallBlock)
    assert sent(vcr, 0)["tool_choice"] == "required" and sent(vcr, 0)["parallel_tool_calls"] is False
    async_response = await llm.achat_with_tools(
        [WEATHER], user_msg="Weather in 'Rome'?", allow_parallel_tool_calls=True
    )
    assert llm.get_tool_calls_from_response(async_response)[0].tool_kwargs == {"city": "Rome"}
    assert sent(vcr, 1)["tool_choice"] == "auto" and sent(vcr, 1)["parallel_tool_calls"] is True
    partials = list(llm.stream_chat_with_tools([WEATHER], user_msg="Weather in 'Oslo'?"))
    assert llm.get_tool_calls_from_response(partials[-1])[0].tool_kwargs == {"city": "Oslo"}
    chunks = [c async for c in await llm.astream_chat_with_tools([WEATHER], user_msg="Weather in 'Lima'?")]
    assert llm.get_tool_calls_from_response(chunks[-1])[0].tool_kwargs == {"city": "Lima"}
    output = llm.predict_and_call([WEATHER], user_msg="Weather in 'Kyiv'?")
    assert output.response == "sunny in Kyiv"


@pytest.mark.vcr
async def test_function_agent_with_a_thinking_model() -> None:
    agent = FunctionAgent(tools=[WEATHER], llm=Modelverse(model=R1))
    handler = agent.run("What is the weather in 'Shenzhen'?")
    thinking = [e.thinking_delta async for e in handler.stream_events() if getattr(e, "thinking_delta", None)]
    result = await handler
    assert str(result) == "The tool returned sunny in Shenzhen."
    assert [c.tool_name for c in result.tool_calls] == ["get_weather"]
    assert "".join(thinking).startswith("The user asks")


@pytest.mark.vcr
async def test_react_agent() -> None:
    agent = ReActAgent(tools=[WEATHER], llm=Modelverse(model="Qwen/QwQ-32B"))
    result = await agent.run("What is the weather in 'Paris'?")
    assert str(result) == "The tool returned sunny in Paris."
    assert [c.tool_kwargs for c in result.tool_calls] == [{"city": "Paris"}]


# ---------------------------------------------------------------- structured output


@pytest.mark.vcr
async def test_structured_prediction_by_function_calling(vcr: Any) -> None:
    llm = Modelverse(model=V3)
    prompt = PromptTemplate("Tell a joke about {a} and {b}.")
    assert llm.structured_predict(Joke, prompt, a="'cats'", b="'dogs'") == Joke(setup="cats", punchline="dogs")
    assert await llm.astructured_predict(Joke, prompt, a="'owls'", b="'mice'") == Joke(setup="owls", punchline="mice")
    streamed = list(llm.stream_structured_predict(Joke, prompt, a="'ants'", b="'bees'"))
    assert streamed[-1] == Joke(setup="ants", punchline="bees")
    assert sent(vcr, 0)["tool_choice"] == "required" and sent(vcr, 0)["tools"][0]["function"]["name"] == "Joke"
    structured = llm.as_structured_llm(Joke).chat(user("A joke about 'fish' and 'birds'."))
    assert structured.raw == Joke(setup="fish", punchline="birds")


@pytest.mark.vcr
def test_structured_prediction_without_tool_calling_sends_no_tool_choice(vcr: Any) -> None:
    llm = Modelverse(model="DeepSeek-R1-Distill-Qwen-32B")
    assert llm.metadata.is_function_calling_model is False
    with pytest.raises(ValueError):
        # the stand-in answers in prose; what matters is what was sent
        llm.structured_predict(Joke, PromptTemplate("Tell a joke about {topic}."), topic="cats")
    body = sent(vcr, 0)
    assert "tools" not in body and "tool_choice" not in body


# ---------------------------------------------------------------- images, extras, errors, instrumentation


@pytest.mark.vcr
def test_images_from_url_path_and_bytes(vcr: Any, tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
    path = tmp_path / "pixel.png"
    path.write_bytes(png)
    message = ChatMessage(
        role=MessageRole.USER,
        blocks=[
            TextBlock(text="Describe these."),
            ImageBlock(url="https://example.com/cat.png", detail="low"),
            ImageBlock(path=path, image_mimetype="image/png"),
            ImageBlock(image=png, image_mimetype="image/png"),
        ],
    )
    response = Modelverse(model="MiniCPM-V").chat([message])
    assert (response.message.content or "").startswith("I see an image.")
    parts = sent(vcr)["messages"][0]["content"]
    assert parts[1] == {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}}
    assert parts[2]["image_url"]["url"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert parts[3] == parts[2]


def test_image_for_a_text_only_model_is_refused_before_sending() -> None:
    message = ChatMessage(role=MessageRole.USER, blocks=[ImageBlock(url="https://example.com/a.png")])
    with pytest.raises(modelverse_core.ParameterError, match="does not accept images"):
        Modelverse(model=R1).chat([message])


@pytest.mark.vcr
def test_search_results_and_sft_version() -> None:
    searched = Modelverse(model=V3, web_search={"enable": True}).chat(user("UCloud news?"))
    assert searched.additional_kwargs["search_results"][0]["url"] == "https://www.ucloud.cn/"
    streamed = list(Modelverse(model=V3, web_search={"enable": True}).stream_chat(user("UCloud news?")))
    assert streamed[-1].additional_kwargs["search_results"] == searched.additional_kwargs["search_results"]
    sft = Modelverse(model="sft/qwen3-support-bot").chat(user("hi"))
    assert sft.additional_kwargs["model"] == "sft/qwen3-support-bot"
    assert sft.additional_kwargs["model_version"] == "mv-20251101-7f3a"


ERRORS = [
    ({"api_key": "sk-invalid"}, R1, "hi", modelverse_core.AuthenticationError, openai.AuthenticationError),
    ({}, "acme/not-listed", "hi", modelverse_core.PermissionDeniedError, openai.PermissionDeniedError),
    ({}, R1, "SENSITIVE-CONTENT", modelverse_core.SensitiveContentError, openai.BadRequestError),
    ({}, "test/tiny-context", "word " * 80, modelverse_core.PromptTooLongError, openai.BadRequestError),
]


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("kwargs", "name", "text", "core_cls", "sdk_cls"), ERRORS, ids=lambda v: getattr(v, "__name__", None)
)
def test_errors_are_the_core_classes_unchanged(
    kwargs: dict[str, Any], name: str, text: str, core_cls: type, sdk_cls: type
) -> None:
    with pytest.raises(core_cls) as info:
        Modelverse(model=name, **kwargs).chat(user(text))
    assert type(info.value) is core_cls and isinstance(info.value, sdk_cls)


class Collector(BaseEventHandler):
    events: list[BaseEvent] = []

    @classmethod
    def class_name(cls) -> str:
        return "Collector"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        self.events.append(event)


@pytest.mark.vcr
def test_instrumentation_events_and_callbacks_fire_without_the_key() -> None:
    collector = Collector(events=[])
    dispatcher = get_dispatcher()
    dispatcher.add_event_handler(collector)
    debug = LlamaDebugHandler()
    try:
        llm = Modelverse(model=R1, api_key="sk-instrumented-secret", callback_manager=CallbackManager([debug]))
        llm.chat(user("hello"))
        list(llm.stream_chat(user("hello")))
    finally:
        dispatcher.event_handlers.remove(collector)
    names = [type(e).__name__ for e in collector.events]
    assert names.count("LLMChatStartEvent") == 2 and names.count("LLMChatEndEvent") == 2
    assert "LLMChatInProgressEvent" in names
    assert len(debug.get_llm_inputs_outputs()) == 2
    for event in collector.events:
        assert "sk-instrumented-secret" not in event.model_dump_json()


def test_only_the_first_tool_call_is_kept_unless_parallel_calls_are_allowed() -> None:
    calls = [
        {"id": f"c{i}", "type": "function", "function": {"name": "get_weather", "arguments": f'{{"city": "{city}"}}'}}
        for i, city in enumerate(["Paris", "Rome"])
    ]
    body = {
        "id": "x",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {"role": "assistant", "content": "", "tool_calls": calls},
            }
        ],
    }
    from llamaindex_modelverse.convert import to_chat_response

    llm = Modelverse(model=R1)
    single = llm._validate_chat_with_tools_response(to_chat_response(modelverse_core.parse_response(body)), [WEATHER])
    assert [b.tool_call_id for b in single.message.blocks if isinstance(b, ToolCallBlock)] == ["c0"]
    assert [c["id"] for c in single.message.additional_kwargs["tool_calls"]] == ["c0"]
    assert isinstance(single.message.blocks[0], TextBlock)
    both = llm._validate_chat_with_tools_response(
        to_chat_response(modelverse_core.parse_response(body)), [WEATHER], allow_parallel_tool_calls=True
    )
    assert [s.tool_kwargs for s in llm.get_tool_calls_from_response(both)] == [{"city": "Paris"}, {"city": "Rome"}]
    assert len(both.message.additional_kwargs["tool_calls"]) == 2
