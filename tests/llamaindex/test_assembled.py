"""The streamed chunks' llama-index models, built without validation, are the validated ones."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    LogProb,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from pydantic import BaseModel, ValidationError

from llamaindex_modelverse import convert


def same(built: BaseModel, validated: BaseModel) -> None:
    assert type(built) is type(validated)
    assert built.__dict__ == validated.__dict__
    assert list(built.__dict__) == list(validated.__dict__)
    assert built.model_fields_set == validated.model_fields_set
    assert built.__pydantic_extra__ == validated.__pydantic_extra__
    assert built.__pydantic_private__ == validated.__pydantic_private__
    assert built.model_dump() == validated.model_dump()
    assert built.model_dump_json() == validated.model_dump_json()


def test_the_installed_models_are_assembled() -> None:
    assert convert._ASSEMBLE


def test_assembled_models_equal_validated_ones() -> None:
    same(convert._text_block("hi"), TextBlock(text="hi"))
    same(convert._thinking_block("why", 3), ThinkingBlock(content="why", num_tokens=3))
    same(convert._thinking_block("why", None), ThinkingBlock(content="why", num_tokens=None))
    same(
        convert._tool_call_block("c", "f", {"a": 1}),
        ToolCallBlock(tool_call_id="c", tool_name="f", tool_kwargs={"a": 1}),
    )
    same(convert._tool_call_block("c", "f", '{"a'), ToolCallBlock(tool_call_id="c", tool_name="f", tool_kwargs='{"a'))
    blocks: list[Any] = [ThinkingBlock(content="why"), TextBlock(text="hi")]
    extra = {"reasoning_content": "why"}
    message = convert._message(list(blocks), dict(extra))
    same(message, ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=extra))
    logprobs = [[LogProb(token="a", logprob=-0.5, bytes=[97])]]
    same(
        convert._stream_response(message, "hi", {"id": "x"}, {"thinking_delta": "why"}, logprobs),
        ChatResponse(
            message=message, delta="hi", raw={"id": "x"}, additional_kwargs={"thinking_delta": "why"}, logprobs=logprobs
        ),
    )
    same(
        convert._stream_completion("so far", {"thinking_delta": "why"}, "far", {"id": "x"}, logprobs),
        CompletionResponse(
            text="so far", additional_kwargs={"thinking_delta": "why"}, delta="far", raw={"id": "x"}, logprobs=logprobs
        ),
    )


def test_assembled_models_are_independent_and_mutable_as_validated_ones() -> None:
    first, second = convert._thinking_block("a", None), convert._thinking_block("a", None)
    first.additional_information["k"] = 1
    first.content = "b"
    assert second.additional_information == {} and second.content == "a"
    assert first.model_fields_set == {"content", "num_tokens"} and second.model_fields_set == {"content", "num_tokens"}


def test_without_assembly_the_same_responses_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    assembled_ones = (
        convert._stream_response(convert._message([], {}), "hi", {"id": "x"}, {}, None),
        convert._stream_completion("so far", {}, "far", {"id": "x"}, None),
    )
    monkeypatch.setattr(convert, "_ASSEMBLE", False)
    validated = (
        convert._stream_response(convert._message([], {}), "hi", {"id": "x"}, {}, None),
        convert._stream_completion("so far", {}, "far", {"id": "x"}, None),
    )
    for built, checked in zip(assembled_ones, validated, strict=True):
        same(built, checked)
    with pytest.raises(ValidationError):
        convert._stream_completion(5, {}, "far", None, None)  # type: ignore[arg-type]
