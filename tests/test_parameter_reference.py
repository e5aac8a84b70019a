"""The parameter reference: every public setting of the three models is described, and the descriptions hold."""

from __future__ import annotations

import pydoc

import pytest
from langchain_core.language_models import BaseChatModel, BaseLLM
from llama_index.core.llms.function_calling import FunctionCallingLLM
from pydantic import BaseModel, ValidationError

from langchain_modelverse import ChatModelverse
from langchain_modelverse import Modelverse as CompletionModelverse
from llamaindex_modelverse import Modelverse
from modelverse_core import Message, ParameterError
from modelverse_core.limits import REASONING_EFFORTS

pytestmark = pytest.mark.once  # settings and their descriptions; the SDK's major version changes nothing here

MODELS: list[tuple[type[BaseModel], type[BaseModel]]] = [
    (ChatModelverse, BaseChatModel),
    (CompletionModelverse, BaseLLM),
    (Modelverse, FunctionCallingLLM),
]
IDS = ["ChatModelverse", "langchain-Modelverse", "llamaindex-Modelverse"]
PACKAGES = ("modelverse_core", "langchain_modelverse", "llamaindex_modelverse")
HI = [Message("user", "hi")]


def declared_here(model: type[BaseModel], name: str) -> bool:
    """Whether a class of this project declares the field (its own, or a framework's declared again)."""
    return any(
        name in vars(klass).get("__annotations__", {}) and klass.__module__.split(".")[0] in PACKAGES
        for klass in model.__mro__
    )


@pytest.mark.parametrize(("model", "framework"), MODELS, ids=IDS)
def test_every_public_setting_has_a_description(model: type[BaseModel], framework: type[BaseModel]) -> None:
    """Every field of this project is described; a framework field keeps the description its framework gives it.

    The only fields left undescribed are the frameworks' own (callbacks, tags, ...), which their
    frameworks document in docstrings, not in ``Field(description=...)``, and this project does not
    declare again.
    """
    own = [name for name in model.model_fields if declared_here(model, name)]
    assert not [name for name in own if not model.model_fields[name].description]
    assert len(own) >= 27  # the check covers the settings, not just a few
    for name in model.model_fields.keys() - own:
        assert model.model_fields[name].description == framework.model_fields[name].description, name


@pytest.mark.parametrize(("model", "framework"), MODELS, ids=IDS)
def test_help_lists_every_described_setting(model: type[BaseModel], framework: type[BaseModel]) -> None:
    text = pydoc.render_doc(model, renderer=pydoc.plaintext)
    for name, field in model.model_fields.items():
        if field.description:
            assert f"{name}: {field.description}" in text


@pytest.mark.parametrize(("model", "framework"), MODELS, ids=IDS)
def test_descriptions_say_default_and_endpoints(model: type[BaseModel], framework: type[BaseModel]) -> None:
    """The sampling settings say their default and which endpoints take them."""
    for name in ("temperature", "top_p", "max_tokens", "stop", "seed", "n", "logprobs"):
        description = model.model_fields[name].description or ""
        assert "default" in description.lower() and "Endpoint" in description, name


def test_reasoning_effort_description_names_the_values_that_pass() -> None:
    description = ChatModelverse.model_fields["reasoning_effort"].description or ""
    assert all(f"'{value}'" in description for value in REASONING_EFFORTS)
    assert "extra_body" in description


@pytest.mark.parametrize("model", [ChatModelverse, Modelverse], ids=["ChatModelverse", "llamaindex-Modelverse"])
@pytest.mark.parametrize("effort", REASONING_EFFORTS)
def test_each_documented_reasoning_effort_is_accepted(model: type[BaseModel], effort: str) -> None:
    assert model(model="deepseek-ai/DeepSeek-R1", api_key="k", reasoning_effort=effort).reasoning_effort == effort


@pytest.mark.parametrize("model", [ChatModelverse, Modelverse], ids=["ChatModelverse", "llamaindex-Modelverse"])
def test_an_undocumented_reasoning_effort_fails_at_construction_naming_the_values(model: type[BaseModel]) -> None:
    with pytest.raises(ValidationError, match=r"reasoning_effort: must be one of none, minimal, low, medium, high"):
        model(model="deepseek-ai/DeepSeek-R1", api_key="k", reasoning_effort="banana")


def test_an_undocumented_reasoning_effort_fails_per_call_and_passes_through_extra_body() -> None:
    model = ChatModelverse(model="deepseek-ai/DeepSeek-R1", api_key="k")
    with pytest.raises(ParameterError, match="reasoning_effort: must be one of"):
        model._mv_prepare(HI, options={"reasoning_effort": "banana"})
    body = model._mv_prepare(HI, options={"extra_body": {"reasoning_effort": "max"}}).body
    assert body["reasoning_effort"] == "max"


BAD_VALUES: dict[str, tuple[object, str]] = {
    "region": ("eu", "region"),
    "timeout": (0, "timeout"),
    "max_retries": (-1, "max_retries"),
    "temperature": (2.5, "temperature"),
    "top_p": (1.5, "top_p"),
    "max_tokens": (0, "max_"),
    "stop": (["x" * 21], "stop"),
    "seed": (0, "seed"),
    "frequency_penalty": (2.5, "frequency_penalty"),
    "presence_penalty": (-2.5, "presence_penalty"),
    "user": (3, "user"),
    "n": (0, "n"),
    "stop_token_ids": (["1x"], "stop_token_ids"),
    "penalty_score": (0.5, "penalty_score"),
    "web_search": (True, "web_search"),
    "reasoning_effort": ("banana", "reasoning_effort"),
    "request_metadata": ({f"k{i}": "v" for i in range(17)}, "metadata"),
    "logprobs": (21, "logprobs"),
    "top_logprobs": (21, "top_logprobs"),
    "echo": ("sometimes", "echo"),
    "suffix": (3, "suffix"),
    "reasoning_in_history": ("sometimes", "reasoning_in_history"),
}
"""A value outside the documented limit of each setting whose description says it is checked."""


BEFORE_SENDING = "checked before sending"


def said_checked(model: type[BaseModel], *claims: str) -> list[str]:
    """The settings whose description makes one of ``claims`` (compared in lower case)."""
    described = {name: (field.description or "").lower() for name, field in model.model_fields.items()}
    return [name for name, text in described.items() if any(claim in text for claim in claims)]


@pytest.mark.parametrize("model", [m for m, _ in MODELS], ids=IDS)
def test_every_setting_said_to_be_checked_fails_at_construction(model: type[BaseModel]) -> None:
    """The claim "checked" holds: a value outside the limit fails at construction, naming the setting."""
    for name in said_checked(model, BEFORE_SENDING, "checked at construction"):
        value, named = BAD_VALUES[name]
        with pytest.raises(ValidationError, match=named):
            model(model="deepseek-ai/DeepSeek-R1", api_key="k", **{name: value})


@pytest.mark.parametrize("model", [ChatModelverse, Modelverse], ids=["ChatModelverse", "llamaindex-Modelverse"])
def test_every_sampling_setting_said_to_be_checked_before_sending_fails_per_call(model: type[BaseModel]) -> None:
    chat = model(model="deepseek-ai/DeepSeek-R1", api_key="k")
    sampling = said_checked(model, BEFORE_SENDING)
    assert len(sampling) >= 13
    for name in sampling:
        value, named = BAD_VALUES[name]
        with pytest.raises(ParameterError, match=named):
            chat._mv_prepare(HI, options={name: value})  # type: ignore[attr-defined]


def test_every_completion_setting_said_to_be_checked_before_sending_fails_per_call() -> None:
    llm = CompletionModelverse(model="Qwen/QwQ-32B", api_key="k")
    sampling = said_checked(CompletionModelverse, BEFORE_SENDING)
    assert len(sampling) >= 12
    for name in sampling:
        value, named = BAD_VALUES[name]
        with pytest.raises(ParameterError, match=named):
            llm._mv_prepare_prompt("The capital of France is", options={name: value})
