"""The clients compared, each able to make one call, consume one stream and make one async call.

Each also reports what it surfaced of a reasoning model's answer: the reasoning
text, the reasoning token count and the cached prompt tokens.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.workloads import LANGCHAIN, LLAMAINDEX

KEY = "sk-bench-not-a-key"
MODEL = "deepseek-ai/DeepSeek-R1"
PROMPT = "Describe UCloud in one sentence."


@dataclass
class Surfaced:
    """What a client exposed of the answer."""

    reasoning_text: bool = False
    reasoning_tokens: bool = False
    cached_tokens: bool = False


@dataclass
class Client:
    """One client under test; ``make`` builds it against a base URL (imports happen there)."""

    name: str
    make: Callable[[str], Any]
    call: Callable[[Any], Surfaced]
    stream: Callable[[Any], Surfaced]
    acall: Callable[[Any], Awaitable[Any]]
    floor: str | None = None  # the framework floor this client is held to
    aclose: Callable[[Any], Awaitable[None]] | None = None  # closes its async connections


# ------------------------------------------------------------------ raw httpx (the floor)


def make_httpx(base_url: str) -> Any:
    from modelverse_core.compat import httpx

    headers = {"Authorization": f"Bearer {KEY}"}
    return {
        "sync": httpx.Client(base_url=base_url, headers=headers),
        "async": httpx.AsyncClient(
            base_url=base_url, headers=headers, limits=httpx.Limits(max_connections=1000, max_keepalive_connections=100)
        ),
    }


def httpx_call(client: Any) -> Surfaced:
    body = json.loads(
        client["sync"]
        .post("/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": PROMPT}]})
        .content
    )
    usage = body["usage"]
    return Surfaced(
        bool(body["choices"][0]["message"].get("reasoning_content")),
        "reasoning_tokens" in (usage.get("completion_tokens_details") or {}),
        "cached_tokens" in (usage.get("prompt_tokens_details") or {}),
    )


def httpx_stream(client: Any) -> Surfaced:
    reasoning, usage = [], {}
    payload = {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}], "stream": True}
    with client["sync"].stream("POST", "/chat/completions", json=payload) as response:
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            for choice in chunk["choices"]:
                reasoning.append(choice["delta"].get("reasoning_content") or "")
            usage = chunk.get("usage") or usage
    return Surfaced(bool("".join(reasoning)), "completion_tokens_details" in usage, "prompt_tokens_details" in usage)


async def httpx_acall(client: Any) -> Any:
    response = await client["async"].post(
        "/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": PROMPT}]}
    )
    return json.loads(response.content)


# ------------------------------------------------------------------ raw openai SDK (the reference)


def make_openai(base_url: str) -> Any:
    import openai

    return {
        "sync": openai.OpenAI(api_key=KEY, base_url=base_url),
        "async": openai.AsyncOpenAI(api_key=KEY, base_url=base_url),
    }


def openai_call(client: Any) -> Surfaced:
    response = client["sync"].chat.completions.create(model=MODEL, messages=[{"role": "user", "content": PROMPT}])
    usage = response.usage
    return Surfaced(
        bool((response.choices[0].message.model_extra or {}).get("reasoning_content")),
        bool(usage.completion_tokens_details and usage.completion_tokens_details.reasoning_tokens),
        bool(usage.prompt_tokens_details and usage.prompt_tokens_details.cached_tokens),
    )


def openai_stream(client: Any) -> Surfaced:
    reasoning, usage = [], None
    chunks = client["sync"].chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": PROMPT}], stream=True, stream_options={"include_usage": True}
    )
    for chunk in chunks:
        for choice in chunk.choices:
            reasoning.append((choice.delta.model_extra or {}).get("reasoning_content") or "")
        usage = chunk.usage or usage
    return Surfaced(
        bool("".join(reasoning)),
        bool(usage and usage.completion_tokens_details and usage.completion_tokens_details.reasoning_tokens),
        bool(usage and usage.prompt_tokens_details and usage.prompt_tokens_details.cached_tokens),
    )


async def openai_acall(client: Any) -> Any:
    return await client["async"].chat.completions.create(model=MODEL, messages=[{"role": "user", "content": PROMPT}])


# ------------------------------------------------------------------ LangChain chat models


def langchain_surfaced(message: Any) -> Surfaced:
    usage = message.usage_metadata or {}
    return Surfaced(
        bool(message.additional_kwargs.get("reasoning_content")),
        bool((usage.get("output_token_details") or {}).get("reasoning")),
        bool((usage.get("input_token_details") or {}).get("cache_read")),
    )


def langchain_call(model: Any) -> Surfaced:
    return langchain_surfaced(model.invoke(PROMPT))


def langchain_stream(model: Any) -> Surfaced:
    """Consume like the raw clients do: collect the pieces, keep the usage."""
    reasoning, content, usage = [], [], None
    for chunk in model.stream(PROMPT):
        reasoning.append(chunk.additional_kwargs.get("reasoning_content", ""))
        content.append(chunk.content)
        usage = chunk.usage_metadata or usage
    details = usage or {}
    return Surfaced(
        bool("".join(reasoning)),
        bool((details.get("output_token_details") or {}).get("reasoning")),
        bool((details.get("input_token_details") or {}).get("cache_read")),
    )


async def langchain_acall(model: Any) -> Any:
    return await model.ainvoke(PROMPT)


def make_chat_modelverse(base_url: str, **settings: Any) -> Any:
    from langchain_modelverse import ChatModelverse

    return ChatModelverse(model=MODEL, api_key=KEY, base_url=base_url, **settings)


def make_chat_openai(base_url: str) -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=MODEL, api_key=KEY, base_url=base_url, stream_usage=True)


def make_chat_deepseek(base_url: str) -> Any:
    from langchain_deepseek import ChatDeepSeek

    return ChatDeepSeek(model=MODEL, api_key=KEY, api_base=base_url, stream_usage=True)


# ------------------------------------------------------------------ LlamaIndex LLMs


def llamaindex_surfaced(response: Any) -> Surfaced:
    from llama_index.core.base.llms.types import ThinkingBlock

    extra = response.additional_kwargs
    thinking = any(isinstance(b, ThinkingBlock) and b.content for b in response.message.blocks)
    return Surfaced(thinking, bool(extra.get("reasoning_tokens")), bool(extra.get("cached_tokens")))


def messages() -> Any:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role="user", content=PROMPT)]


def llamaindex_call(llm: Any) -> Surfaced:
    return llamaindex_surfaced(llm.chat(messages()))


def llamaindex_stream(llm: Any) -> Surfaced:
    """Consume like the raw clients do: the last chunk holds the message so far and the usage."""
    last = None
    for chunk in llm.stream_chat(messages()):
        last = chunk
    return llamaindex_surfaced(last)


async def llamaindex_acall(llm: Any) -> Any:
    return await llm.achat(messages())


def make_modelverse(base_url: str, **settings: Any) -> Any:
    from llamaindex_modelverse import Modelverse

    return Modelverse(model=MODEL, api_key=KEY, base_url=base_url, **settings)


def make_openai_like(base_url: str) -> Any:
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=MODEL,
        api_key=KEY,
        api_base=base_url,
        is_chat_model=True,
        is_function_calling_model=True,
        context_window=131072,
    )


def make_llamaindex_deepseek(base_url: str) -> Any:
    from llama_index.llms.deepseek import DeepSeek

    return DeepSeek(model=MODEL, api_key=KEY, api_base=base_url)


def floor(module: str, name: str) -> Callable[[str], Any]:
    """A floor's ``make``: its module is imported on first use, like every client's framework."""

    def make(base_url: str) -> Any:
        return getattr(importlib.import_module(module), name)(model=MODEL, api_key=KEY, base_url=base_url)

    return make


LANGCHAIN_FLOOR = "LangChain floor"
LLAMAINDEX_FLOOR = "llama-index floor"


async def close_floor(model: Any) -> None:
    await model._async.aclose()


async def close_modelverse(model: Any) -> None:
    await model._mv_client_for_settings().aclose()


def _lc(name: str, make: Callable[[str], Any], aclose: Callable[[Any], Awaitable[None]] | None = None) -> Client:
    return Client(name, make, langchain_call, langchain_stream, langchain_acall, LANGCHAIN_FLOOR, aclose)


def _li(name: str, make: Callable[[str], Any], aclose: Callable[[Any], Awaitable[None]] | None = None) -> Client:
    return Client(name, make, llamaindex_call, llamaindex_stream, llamaindex_acall, LLAMAINDEX_FLOOR, aclose)


CLIENTS = [
    Client("raw httpx", make_httpx, httpx_call, httpx_stream, httpx_acall, aclose=lambda c: c["async"].aclose()),
    Client("raw openai", make_openai, openai_call, openai_stream, openai_acall, aclose=lambda c: c["async"].close()),
    _lc(LANGCHAIN_FLOOR, floor("benchmarks.floors.langchain", "FloorChatModel"), close_floor),
    _lc("ChatModelverse", make_chat_modelverse, close_modelverse),
    _li(LLAMAINDEX_FLOOR, floor("benchmarks.floors.llamaindex", "FloorLLM"), close_floor),
    _li("Modelverse (llama-index)", make_modelverse, close_modelverse),
    _lc("ChatOpenAI(base_url=...)", make_chat_openai),
    _lc("ChatDeepSeek", make_chat_deepseek),
    _li("llama-index OpenAILike", make_openai_like),
    _li("llama-index DeepSeek", make_llamaindex_deepseek),
]


# ------------------------------------------------------------------ over the SDK's aiohttp backend


def over_aiohttp(make: Callable[..., Any]) -> Callable[[str], Any]:
    """``make`` with ``http_async_client=openai.DefaultAioHttpClient()``: the SDK's own aiohttp backend."""

    def make_over_aiohttp(base_url: str) -> Any:
        import openai

        return make(base_url, http_async_client=openai.DefaultAioHttpClient())

    return make_over_aiohttp


async def close_caller_client(model: Any) -> None:
    await model.http_async_client.aclose()


# Measured on concurrent calls only, next to the floors (on httpx) in the same trials: passing a
# caller-supplied async client changes nothing of a sync call or stream but the pool that carries them.
AIOHTTP_CLIENTS = [
    _lc("ChatModelverse over aiohttp", over_aiohttp(make_chat_modelverse), close_caller_client),
    _li("Modelverse (llama-index) over aiohttp", over_aiohttp(make_modelverse), close_caller_client),
]

# What every chat model of a framework built on the openai SDK imports before doing
# anything of its own: the cold start no such client can go below.
IMPORT_FLOORS = {
    "langchain-core + openai": ("langchain_core.language_models.chat_models", "openai"),
    "llama-index-core + openai": ("llama_index.core", "openai"),
}
REFERENCE = "raw openai"


# ------------------------------------------------------------------ the other two endpoints' streams


@dataclass
class Streamer:
    """A client measured on one stream only (the ``/v1/responses`` and ``/v1/completions`` streams)."""

    name: str
    make: Callable[[str], Any]
    stream: Callable[[Any], Surfaced]
    floor: str


def make_chat_modelverse_responses(base_url: str) -> Any:
    from langchain_modelverse import ChatModelverse

    return ChatModelverse(model=MODEL, api_key=KEY, base_url=base_url, use_responses_api=True)


def make_modelverse_responses(base_url: str) -> Any:
    from llamaindex_modelverse import Modelverse

    return Modelverse(model=MODEL, api_key=KEY, base_url=base_url, use_responses_api=True)


def make_langchain_completion(base_url: str) -> Any:
    from langchain_modelverse import Modelverse

    return Modelverse(model=MODEL, api_key=KEY, base_url=base_url)


def make_llamaindex_completion(base_url: str) -> Any:
    from llamaindex_modelverse import Modelverse

    return Modelverse(model=MODEL, api_key=KEY, base_url=base_url, is_chat_model=False)


def langchain_text_stream(llm: Any) -> Surfaced:
    """A LangChain ``LLM`` streams strings only: collect them (nothing of reasoning or usage is surfaced)."""
    "".join(llm.stream(PROMPT))
    return Surfaced()


def llamaindex_complete_stream(llm: Any) -> Surfaced:
    """The last chunk holds the text so far and the usage."""
    last = None
    for chunk in llm.stream_complete(PROMPT):
        last = chunk
    extra = last.additional_kwargs if last else {}
    return Surfaced(False, bool(extra.get("reasoning_tokens")), bool(extra.get("cached_tokens")))


LANGCHAIN_RESPONSES_FLOOR = "LangChain floor (responses)"
LLAMAINDEX_RESPONSES_FLOOR = "llama-index floor (responses)"
LANGCHAIN_COMPLETIONS_FLOOR = "LangChain floor (completions)"
LLAMAINDEX_COMPLETIONS_FLOOR = "llama-index floor (completions)"

STREAMERS = [
    Streamer(
        LANGCHAIN_RESPONSES_FLOOR,
        floor("benchmarks.floors.langchain", "FloorResponsesChatModel"),
        langchain_stream,
        LANGCHAIN_RESPONSES_FLOOR,
    ),
    Streamer("ChatModelverse (responses)", make_chat_modelverse_responses, langchain_stream, LANGCHAIN_RESPONSES_FLOOR),
    Streamer(
        LLAMAINDEX_RESPONSES_FLOOR,
        floor("benchmarks.floors.llamaindex", "FloorResponsesLLM"),
        llamaindex_stream,
        LLAMAINDEX_RESPONSES_FLOOR,
    ),
    Streamer(
        "Modelverse (llama-index, responses)", make_modelverse_responses, llamaindex_stream, LLAMAINDEX_RESPONSES_FLOOR
    ),
    Streamer(
        LANGCHAIN_COMPLETIONS_FLOOR,
        floor("benchmarks.floors.langchain", "FloorCompletionLLM"),
        langchain_text_stream,
        LANGCHAIN_COMPLETIONS_FLOOR,
    ),
    Streamer(
        "Modelverse (LangChain, completions)",
        make_langchain_completion,
        langchain_text_stream,
        LANGCHAIN_COMPLETIONS_FLOOR,
    ),
    Streamer(
        LLAMAINDEX_COMPLETIONS_FLOOR,
        floor("benchmarks.floors.llamaindex", "FloorCompletionCustomLLM"),
        llamaindex_complete_stream,
        LLAMAINDEX_COMPLETIONS_FLOOR,
    ),
    Streamer(
        "Modelverse (llama-index, completions)",
        make_llamaindex_completion,
        llamaindex_complete_stream,
        LLAMAINDEX_COMPLETIONS_FLOOR,
    ),
]


# ------------------------------------------------------------------ requests that grow (history, tools)


@dataclass
class Caller:
    """A framework client measured on requests that grow; :func:`benchmarks.workloads.request` calls it."""

    name: str
    make: Callable[[str], Any]
    floor: str

    @property
    def framework(self) -> str:
        """``langchain`` or ``llama-index``, from the floor it is held to."""
        return LANGCHAIN if self.floor.startswith("LangChain") else LLAMAINDEX


def make_chat_openai_responses(base_url: str) -> Any:
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(model=MODEL, api_key=KEY, base_url=base_url, use_responses_api=True)


def make_openai_responses(base_url: str) -> Any:
    from llama_index.llms.openai import OpenAIResponses

    return OpenAIResponses(model=MODEL, api_key=KEY, api_base=base_url, context_window=131072)


CHAT_CALLERS = [Caller(c.name, c.make, c.floor) for c in CLIENTS if c.floor]
RESPONSES_CALLERS = [
    Caller(s.name, s.make, s.floor)
    for s in STREAMERS
    if s.floor in (LANGCHAIN_RESPONSES_FLOOR, LLAMAINDEX_RESPONSES_FLOOR)
] + [
    Caller("ChatOpenAI(base_url=..., responses)", make_chat_openai_responses, LANGCHAIN_RESPONSES_FLOOR),
    Caller("llama-index OpenAIResponses", make_openai_responses, LLAMAINDEX_RESPONSES_FLOOR),
]
