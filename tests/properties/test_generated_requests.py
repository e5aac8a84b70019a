"""Property: any history and settings give a request of the documented format, or a ParameterError before sending.

Histories have roles in any order, empty or huge content, unknown content blocks, lone
surrogates, tool messages that answer nothing and tool arguments that are not JSON; settings
are out of range, of the wrong type, or unknown keyword arguments (which go into the body as
they are). Each plugin, on each endpoint, either sends a body that :mod:`request_shape`
accepts, or raises :class:`ParameterError` naming a field, and then the transport received
nothing.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage
from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ImageBlock,
    MessageRole,
    TextBlock,
    ToolCallBlock,
)

from modelverse_core import ParameterError
from tests.properties.answers import Answer, body, dumps, events, sse
from tests.properties.conftest import budget
from tests.properties.harness import DRIVER_BY_NAME, ENDPOINT_DRIVERS, body_answer, make, stream_answer
from tests.properties.request_shape import problems
from tests.properties.strategies import JSON_VALUE

pytestmark = pytest.mark.once  # generated cases at a fixed budget; test_found_cases.py runs on both SDKs

ODD_TEXT = st.one_of(
    st.text(max_size=20),
    st.just(""),
    st.just("x" * 100_000),
    st.text(max_size=5).map(lambda t: t + "\ud800"),
)
URL = st.sampled_from(["https://example.com/a.png", "data:image/png;base64,iVBORw0KGgo=", ""])
BLOCK = st.one_of(
    ODD_TEXT.map(lambda t: ("text", t)),
    URL.map(lambda u: ("image", u)),
    st.just(("audio", "https://example.com/a.wav")),
    st.one_of(st.integers(), st.none(), st.lists(st.integers(), max_size=2)).map(lambda v: ("odd text", v)),
)
CONTENT = st.one_of(ODD_TEXT, st.lists(BLOCK, min_size=1, max_size=3))
ARG_VALUE = st.one_of(JSON_VALUE, st.just(math.nan), st.just(b"bytes"), st.just("\udc80"))
CALL = st.tuples(
    st.sampled_from(["c1", "c2", ""]),
    st.sampled_from(["get", "look_up"]),
    st.dictionaries(st.text(max_size=4), ARG_VALUE, max_size=2),
)
MESSAGE = st.one_of(
    st.tuples(st.just("system"), CONTENT, st.just(())),
    st.tuples(st.just("user"), CONTENT, st.just(())),
    st.tuples(st.just("assistant"), ODD_TEXT, st.lists(CALL, max_size=2).map(tuple)),
    st.tuples(st.just("tool"), ODD_TEXT, st.sampled_from(["c1", "c2", "nothing"]).map(lambda i: (i,))),
)


@st.composite
def plausible(draw: st.DrawFn) -> list[Any]:
    """A history in the documented order (system, user, a tool round, user), its contents still generated."""
    history: list[Any] = []
    if draw(st.booleans()):
        history.append(("system", draw(CONTENT), ()))
    history.append(("user", draw(CONTENT), ()))
    if draw(st.booleans()):
        history.append(
            (
                "assistant",
                draw(ODD_TEXT),
                (("c1", "get", draw(st.dictionaries(st.text(max_size=4), ARG_VALUE, max_size=2))),),
            )
        )
        history.append(("tool", draw(ODD_TEXT), ("c1",)))
        if draw(st.booleans()):
            history.append(("user", draw(CONTENT), ()))
    return history


HISTORY = st.one_of(plausible(), st.lists(MESSAGE, max_size=5))
SETTING_VALUE = st.one_of(
    st.floats(-3, 3),
    st.just(math.nan),
    st.just(math.inf),
    st.integers(-5, 2**31 + 5),
    st.text(max_size=4),
    st.lists(st.text(max_size=25), max_size=6),
    st.none(),
)
KNOWN = ["temperature", "top_p", "max_tokens", "seed", "stop", "frequency_penalty", "presence_penalty", "n", "user"]
SETTINGS = st.just({}) | st.dictionaries(
    st.one_of(st.sampled_from(KNOWN), st.from_regex(r"x_[a-z]{1,6}", fullmatch=True)),
    st.one_of(SETTING_VALUE, JSON_VALUE, st.just(b"raw"), st.just("\ud800")),
    max_size=3,
)


def langchain_messages(history: list[tuple[str, Any, Any]]) -> list[BaseMessage]:
    out: list[BaseMessage] = []
    for role, content, extra in history:
        if role == "assistant":
            calls = [{"name": name, "args": args, "id": call_id} for call_id, name, args in extra]
            out.append(AIMessage(content=content, tool_calls=calls))
        elif role == "tool":
            out.append(ToolMessage(content=content, tool_call_id=extra[0]))
        else:
            cls = SystemMessage if role == "system" else HumanMessage
            out.append(cls(content=content if isinstance(content, str) else [_langchain_block(b) for b in content]))
    return out


def _langchain_block(block: tuple[str, Any]) -> dict[str, Any]:
    kind, value = block
    if kind == "image":
        return {"type": "image_url", "image_url": {"url": value}}
    if kind == "audio":
        return {"type": "audio", "url": value}
    return {"type": "text", "text": value}


def llamaindex_messages(history: list[tuple[str, Any, Any]]) -> list[ChatMessage]:
    out: list[ChatMessage] = []
    for role, content, extra in history:
        if role == "assistant":
            blocks: list[Any] = [TextBlock(text=content)]
            blocks += [ToolCallBlock(tool_call_id=i, tool_name=name, tool_kwargs=args) for i, name, args in extra]
            out.append(ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks))
        elif role == "tool":
            out.append(
                ChatMessage(role=MessageRole.TOOL, content=content, additional_kwargs={"tool_call_id": extra[0]})
            )
        else:
            items = [("text", content)] if isinstance(content, str) else content
            out.append(ChatMessage(role=MessageRole(role), blocks=[_llamaindex_block(b) for b in items]))
    return out


def _llamaindex_block(block: tuple[str, Any]) -> Any:
    kind, value = block
    if kind == "image":
        return ImageBlock(url=value) if value else ImageBlock(image=b"\x89PNG")
    if kind == "audio":
        return AudioBlock(url=value)
    return TextBlock(text=value if isinstance(value, str) else str(value))


def call(endpoint: str, plugin: int, streamed: bool, history: list[Any], settings: dict[str, Any]) -> tuple[Any, Any]:
    """Call one plugin with a generated history and settings; the transport and what was raised."""
    answer = Answer(content=("ok",))
    served = stream_answer(sse(events(endpoint, answer))) if streamed else body_answer(dumps(body(endpoint, answer)))
    model = make(DRIVER_BY_NAME[ENDPOINT_DRIVERS[endpoint][plugin]], served)
    try:
        if endpoint == "completions":
            prompt = "".join(str(content) for _, content, _ in history)
            if plugin == 0:
                list(model.stream(prompt, **settings)) if streamed else model.invoke(prompt, **settings)
            else:
                list(model.stream_complete(prompt, **settings)) if streamed else model.complete(prompt, **settings)
        elif plugin == 0:
            messages = langchain_messages(history)
            list(model.stream(messages, **settings)) if streamed else model.invoke(messages, **settings)
        else:
            messages = llamaindex_messages(history)
            list(model.stream_chat(messages, **settings)) if streamed else model.chat(messages, **settings)
    except Exception as exc:  # the property decides which are allowed
        return served, exc
    return served, None


CASES = [
    (endpoint, plugin, streamed) for endpoint in ENDPOINT_DRIVERS for plugin in (0, 1) for streamed in (False, True)
]


@budget(2.0)
@given(st.sampled_from(CASES), HISTORY, SETTINGS)
def test_any_history_and_settings_give_a_documented_request_or_a_parameter_error(
    case: tuple[str, int, bool], history: list[Any], settings: dict[str, Any]
) -> None:
    endpoint, plugin, streamed = case
    served, error = call(endpoint, plugin, streamed, history, settings)
    event(f"outcome: {type(error).__name__ if error else 'sent'}")
    if error is not None:
        assert isinstance(error, ParameterError), repr(error)
        assert error.field, error
        assert served.requests == [], "a ParameterError after the request was sent"
        return
    assert len(served.requests) == 1
    assert problems(endpoint, served.requests[0]) == []
