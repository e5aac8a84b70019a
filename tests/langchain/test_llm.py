"""``Modelverse`` (``/v1/completions``), replaying cassettes through the real SDK and HTTP stack.

langchain-tests has no suite for ``BaseLLM``; the checks its chat-model suites make
(construction, environment, serialization, invoke/stream/batch in both forms,
callbacks, usage, errors) are made here for the completion model.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.exceptions import ModelInvalidRequestError, ModelPermissionDeniedError
from langchain_core.load import dumpd, dumps, load
from langchain_core.outputs import GenerationChunk, LLMResult
from pydantic import ValidationError

import modelverse_core
from langchain_modelverse import ChatModelverse, Modelverse, convert

pytestmark = pytest.mark.standin  # asserts the stand-in's deterministic answers

V3 = "deepseek-ai/DeepSeek-V3-0324"
QWQ = "QwQ-32B"
LLAMA_CPP = {"X-Standin-Logprobs": "content"}


def sent(vcr: Any, index: int = 0) -> dict[str, Any]:
    """The JSON body of the index-th recorded request."""
    return json.loads(vcr.requests[index].body)


class Tokens(BaseCallbackHandler):
    """Records what the token callback receives."""

    def __init__(self) -> None:
        self.tokens: list[str] = []
        self.logprobs: list[Any] = []

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)
        self.logprobs.append(kwargs.get("logprobs"))


# ---------------------------------------------------------------- construction (no requests)


def test_vendor_sample_names_are_aliases() -> None:
    llm = Modelverse(model_name=V3, openai_api_key="sk-alias", openai_api_base="https://api.modelverse.cn/v1/")
    assert llm.model == V3 and llm.base_url == "https://api.modelverse.cn/v1"
    assert llm.api_key is not None and llm.api_key.get_secret_value() == "sk-alias"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"temprature": 0.2}, "temprature"),
        ({"web_search": {"enable": True}}, "web_search"),
        ({"logprobs": 21}, r"logprobs: must be an integer in \[0, 20\]"),
        ({"max_tokens": 20000, "model": V3}, r"max_tokens: must be an integer in \[1, 16384\]"),
        ({"stop": ["a", "b", "c", "d", "e"]}, "stop: at most 4 entries"),
        ({"top_p": 1.5}, r"top_p: must be a number in \[0.0, 1.0\]"),
        ({"seed": 0}, r"seed: must be an integer in \(0, 2147483647\)"),
    ],
)
def test_unknown_and_invalid_values_fail_at_construction(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Modelverse(**{"model": QWQ, **kwargs})


def test_missing_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODELVERSE_API_KEY")
    with pytest.raises(ValidationError, match="MODELVERSE_API_KEY"):
        Modelverse(model=QWQ)


def test_init_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELVERSE_API_KEY", "sk-from-env")
    monkeypatch.setenv("MODELVERSE_BASE_URL", "https://api.umodelverse.ai/v1")
    llm = Modelverse(model=QWQ)
    assert llm.api_key is not None and llm.api_key.get_secret_value() == "sk-from-env"
    assert llm.base_url == "https://api.umodelverse.ai/v1"


def test_key_never_in_repr_or_serialization() -> None:
    llm = Modelverse(model=QWQ, api_key="sk-very-secret")
    assert "sk-very-secret" not in repr(llm) and "sk-very-secret" not in str(llm)
    assert "sk-very-secret" not in dumps(llm)


def test_serialization_round_trip_never_writes_the_key() -> None:
    llm = Modelverse(model=QWQ, api_key="sk-round-trip", temperature=0.3, logprobs=2, echo=True)
    data = dumpd(llm)
    assert data["id"] == ["langchain_modelverse", "llms", "Modelverse"]
    assert data["kwargs"]["api_key"] == {"lc": 1, "type": "secret", "id": ["MODELVERSE_API_KEY"]}
    revived = load(
        data,
        valid_namespaces=["langchain_modelverse"],
        allowed_objects=[Modelverse],
        secrets_map={"MODELVERSE_API_KEY": "sk-restored"},
    )
    assert isinstance(revived, Modelverse)
    assert (revived.temperature, revived.logprobs, revived.echo) == (0.3, 2, True)
    assert revived.api_key is not None and revived.api_key.get_secret_value() == "sk-restored"


def test_langsmith_params_and_identifying_params() -> None:
    llm = Modelverse(model=QWQ, temperature=0.1, max_tokens=256, stop=["END"], logprobs=1)
    assert llm._get_ls_params() == {
        "ls_provider": "modelverse",
        "ls_model_name": QWQ,
        "ls_model_type": "llm",
        "ls_temperature": 0.1,
        "ls_max_tokens": 256,
        "ls_stop": ["END"],
    }
    assert llm._identifying_params == {
        "model": QWQ,
        "base_url": llm.base_url,
        "temperature": 0.1,
        "max_tokens": 256,
        "stop": ["END"],
        "logprobs": 1,
    }
    assert llm._llm_type == "modelverse"


def test_token_counting_is_offline_and_honours_a_custom_tokenizer() -> None:
    llm = Modelverse(model=QWQ)
    assert llm.get_num_tokens("The capital of France is") == ChatModelverse(model=QWQ).get_num_tokens(
        "The capital of France is"
    )
    assert llm.get_num_tokens("优刻得云计算") > llm.get_num_tokens("UCloud") > 0
    assert Modelverse(model=QWQ, custom_get_token_ids=lambda text: [1] * len(text)).get_num_tokens("abc") == 3


def test_bad_call_options_are_refused_before_any_request() -> None:
    llm = Modelverse(model=QWQ, n=2)
    with pytest.raises(modelverse_core.ParameterError, match="n: must be 1 when streaming"):
        list(llm.stream("hi"))
    with pytest.raises(modelverse_core.ParameterError, match="tools: is not a parameter of /v1/completions"):
        llm.invoke("hi", tools=[{"type": "function", "function": {"name": "f"}}])
    with pytest.raises(modelverse_core.ParameterError, match=r"temperature: must be a number in \[0.0, 2.0\]"):
        llm.invoke("hi", temperature=3)


# ---------------------------------------------------------------- calls (cassettes)


@pytest.mark.vcr
def test_invoke_returns_the_text_and_sends_the_documented_body(vcr: Any) -> None:
    llm = Modelverse(
        model=V3,
        max_tokens=64,
        temperature=0.2,
        seed=7,
        suffix=" END",
        stop_token_ids=[151643],
        frequency_penalty=0.1,
        presence_penalty=0.2,
        extra_body={"top_k": 20},
        model_kwargs={"repetition_penalty": 1.05},
    )
    assert llm.invoke("The capital of France is") == (
        f"You said: The capital of France is. This is the stand-in answering as {V3}."
    )
    assert sent(vcr) == {
        "model": V3,
        "prompt": "The capital of France is",
        "max_tokens": 64,
        "temperature": 0.2,
        "seed": 7,
        "suffix": " END",
        "stop_token_ids": [151643],
        "frequency_penalty": 0.1,
        "presence_penalty": 0.2,
        "repetition_penalty": 1.05,
        "top_k": 20,
    }
    assert vcr.requests[0].path == "/v1/completions"


@pytest.mark.vcr
def test_generate_reports_finish_reason_logprobs_usage_and_reasoning() -> None:
    result = Modelverse(model=QWQ, logprobs=2, n=2).generate(["Say hi.", "Say bye."])
    assert [len(g) for g in result.generations] == [2, 2]
    first = result.generations[0][0]
    assert first.text == f"You said: Say hi. This is the stand-in answering as {QWQ}."
    info = first.generation_info or {}
    assert info["finish_reason"] == "stop"
    assert info["reasoning_content"] == "The user asks: Say hi. I should answer briefly."
    assert info["usage"]["total_tokens"] == info["usage"]["prompt_tokens"] + info["usage"]["completion_tokens"]
    logprobs = info["logprobs"]
    assert set(logprobs) == {"tokens", "token_logprobs", "top_logprobs", "text_offset"}
    assert "".join(logprobs["tokens"]).endswith(first.text)
    assert all(len(top) == 2 for top in logprobs["top_logprobs"])
    usage = result.llm_output["token_usage"] if result.llm_output else {}
    both = [g[0].generation_info["usage"] for g in result.generations if g[0].generation_info]
    assert usage["total_tokens"] == sum(u["total_tokens"] for u in both)
    assert result.llm_output is not None and result.llm_output["model_name"] == QWQ


@pytest.mark.vcr
def test_llama_cpp_logprobs_arrive_in_the_same_shape() -> None:
    result = Modelverse(model=V3, logprobs=1, default_headers=LLAMA_CPP).generate(["Say hi."])
    generation = result.generations[0][0]
    logprobs = (generation.generation_info or {})["logprobs"]
    assert "".join(logprobs["tokens"]) == generation.text
    assert logprobs["token_logprobs"] == [-0.25] * len(logprobs["tokens"])
    assert logprobs["top_logprobs"][0] == {logprobs["tokens"][0]: -0.25}
    assert logprobs["text_offset"] == [None] * len(logprobs["tokens"])


@pytest.mark.vcr
def test_echo_returns_the_prompt_first_without_a_logprob_for_its_first_token() -> None:
    generation = Modelverse(model=V3, echo=True, logprobs=0).generate(["Hello there"]).generations[0][0]
    assert generation.text.startswith("Hello thereYou said: Hello there.")
    logprobs = (generation.generation_info or {})["logprobs"]
    assert logprobs["tokens"][:2] == ["Hello ", "there"] and logprobs["token_logprobs"][0] is None
    assert logprobs["text_offset"][:3] == [0, 6, 11]


@pytest.mark.vcr
def test_stop_and_max_tokens_per_call(vcr: Any) -> None:
    llm = Modelverse(model=V3)
    assert llm.invoke("one two", stop=["two"]) == "You said: one "
    result = llm.generate(["a b c d e f"], max_tokens=3)
    assert result.generations[0][0].text == "You said: a"
    assert (result.generations[0][0].generation_info or {})["finish_reason"] == "length"
    assert sent(vcr, 0)["stop"] == ["two"] and sent(vcr, 1)["max_tokens"] == 3


@pytest.mark.vcr
def test_stream_equals_invoke_with_tokens_and_logprobs_in_callbacks() -> None:
    handler = Tokens()
    llm = Modelverse(model=V3, logprobs=1, callbacks=[handler])
    chunks = list(llm.stream("Say hi."))
    assert "".join(chunks) == llm.invoke("Say hi.")
    assert handler.tokens[: len(chunks)] == chunks
    with_logprobs = [lp for lp in handler.logprobs if lp]
    assert "".join(t for lp in with_logprobs for t in lp["tokens"]) == "".join(chunks)


@pytest.mark.vcr
def test_streamed_reasoning_and_usage_reach_the_chunks() -> None:
    class Chunks(BaseCallbackHandler):
        def __init__(self) -> None:
            self.infos: list[dict[str, Any]] = []

        def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
            self.infos.append(kwargs["chunk"].generation_info or {})

    handler = Chunks()
    text = "".join(Modelverse(model=QWQ, callbacks=[handler]).stream("Say hi."))
    assert text == f"You said: Say hi. This is the stand-in answering as {QWQ}."
    reasoning = "".join(info.get("reasoning_content", "") for info in handler.infos)
    assert reasoning == "The user asks: Say hi. I should answer briefly."
    assert handler.infos[-1]["usage"]["total_tokens"] > 0
    assert [info["finish_reason"] for info in handler.infos if "finish_reason" in info] == ["stop"]


@pytest.mark.vcr
def test_streaming_flag_gives_the_non_streamed_result() -> None:
    handler = Tokens()
    streamed = Modelverse(model=QWQ, logprobs=1, streaming=True, callbacks=[handler]).generate(["Say hi."])
    whole = Modelverse(model=QWQ, logprobs=1).generate(["Say hi."])
    assert streamed.generations == whole.generations
    assert streamed.llm_output == whole.llm_output
    assert "".join(handler.tokens) == whole.generations[0][0].text


@pytest.mark.vcr
def test_batch() -> None:
    replies = Modelverse(model=V3).batch(["one", "two"], config={"max_concurrency": 1})
    assert [r[:13] for r in replies] == ["You said: one", "You said: two"]


@pytest.mark.vcr
async def test_async_invoke_stream_batch_and_generate() -> None:
    llm = Modelverse(model=V3)
    reply = await llm.ainvoke("hello")
    assert reply.startswith("You said: hello")
    chunks = [c async for c in llm.astream("hello")]
    assert "".join(chunks) == reply
    assert [r[:13] for r in await llm.abatch(["one", "two"], config={"max_concurrency": 1})] == [
        "You said: one",
        "You said: two",
    ]
    result = await llm.agenerate(["alpha", "beta"])
    assert isinstance(result, LLMResult)
    assert [g[0].text[:15] for g in result.generations] == ["You said: alpha", "You said: beta."]


@pytest.mark.vcr
async def test_async_streaming_flag_and_events() -> None:
    handler = Tokens()
    result = await Modelverse(model=QWQ, streaming=True, callbacks=[handler]).agenerate(["Say hi."])
    assert "".join(handler.tokens) == result.generations[0][0].text
    events = [e async for e in Modelverse(model=V3).astream_events("hello", version="v2")]
    streamed = [e["data"]["chunk"] for e in events if e["event"] == "on_llm_stream"]
    assert "".join(streamed).startswith("You said: hello")


@pytest.mark.vcr
@pytest.mark.parametrize(
    ("model", "prompt", "lc_cls", "core_cls", "sdk_cls"),
    [
        (
            "acme/not-listed",
            "hi",
            ModelPermissionDeniedError,
            modelverse_core.PermissionDeniedError,
            openai.PermissionDeniedError,
        ),
        (
            V3,
            "SENSITIVE-CONTENT",
            ModelInvalidRequestError,
            modelverse_core.SensitiveContentError,
            openai.BadRequestError,
        ),
    ],
    ids=["invalid_model", "invalid_messages"],
)
def test_errors_are_core_openai_and_langchain_errors(
    model: str, prompt: str, lc_cls: type, core_cls: type, sdk_cls: type
) -> None:
    with pytest.raises(lc_cls) as info:
        Modelverse(model=model).invoke(prompt)
    assert isinstance(info.value, core_cls) and isinstance(info.value, sdk_cls)
    assert "sk-" not in str(info.value)


def test_streamed_text_chunks_are_assembled_as_validation_builds_them() -> None:
    assert convert._ASSEMBLE  # langchain-core's GenerationChunk is laid out as expected
    for info in (None, {"finish_reason": "stop", "usage": {"prompt_tokens": 1}}):
        built, validated = convert._text_chunk("hi", info), GenerationChunk(text="hi", generation_info=info)
        assert type(built) is GenerationChunk
        assert built == validated and list(built.__dict__) == list(validated.__dict__)
        assert built.model_fields_set == validated.model_fields_set
        assert dumps(built) == dumps(validated)
        assert (built + validated).text == "hihi"


def test_text_chunks_are_validated_when_langchain_lays_them_out_otherwise(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(convert, "_ASSEMBLE", False)
    with pytest.raises(ValidationError):
        convert._text_chunk(5, None)  # type: ignore[arg-type]
