"""One interface over both plugins and every endpoint, so every reliability test runs for each.

Chat drivers (``/v1/chat/completions`` and ``/v1/responses``) take messages and tools;
completion drivers (``/v1/completions``) take a prompt.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from llama_index.core.llms import ChatMessage, MessageRole

from langchain_modelverse import ChatModelverse
from langchain_modelverse import Modelverse as LangChainCompletions
from llamaindex_modelverse import Modelverse
from tests.cassette_config import TEST_KEY

MODEL = "deepseek-ai/DeepSeek-V3-0324"


class Driver:
    """Build a model against a server and call it in the four ways."""

    name = ""
    framework = ""
    chat = True
    defaults: dict[str, Any] = {}  # what makes the model class this driver's kind of model

    def make(self, base_url: str, fault: str | None = None, **kwargs: Any) -> Any:
        headers = {"X-Standin-Fault": fault} if fault else None
        options: dict[str, Any] = {
            "model": MODEL,
            "api_key": TEST_KEY,
            "base_url": base_url,
            "default_headers": headers,
            **self.defaults,
        }
        return self.model_class(**{**options, **kwargs})

    model_class: type[Any] = object

    def call(self, model: Any, text: str, **kwargs: Any) -> str:
        raise NotImplementedError

    def stream(self, model: Any, text: str, **kwargs: Any) -> Iterator[str]:
        raise NotImplementedError

    async def acall(self, model: Any, text: str, **kwargs: Any) -> str:
        raise NotImplementedError

    def astream(self, model: Any, text: str, **kwargs: Any) -> AsyncIterator[str]:
        raise NotImplementedError

    def call_messages(self, model: Any, messages: list[tuple[str, Any]], **kwargs: Any) -> Any:
        raise NotImplementedError

    def call_with_tool(self, model: Any, text: str) -> Any:
        raise NotImplementedError

    def __repr__(self) -> str:
        return self.name


class LangChainDriver(Driver):
    name = "langchain"
    framework = "langchain"
    model_class: type[Any] = ChatModelverse

    def call(self, model: Any, text: str, **kwargs: Any) -> str:
        return str(model.invoke(text, **kwargs).content)

    def stream(self, model: Any, text: str, **kwargs: Any) -> Iterator[str]:
        for chunk in model.stream(text, **kwargs):
            yield str(chunk.content)

    async def acall(self, model: Any, text: str, **kwargs: Any) -> str:
        return str((await model.ainvoke(text, **kwargs)).content)

    async def astream(self, model: Any, text: str, **kwargs: Any) -> AsyncIterator[str]:
        async for chunk in model.astream(text, **kwargs):
            yield str(chunk.content)

    def call_messages(self, model: Any, messages: list[tuple[str, Any]], **kwargs: Any) -> Any:
        return model.invoke([(role if role != "user" else "human", content) for role, content in messages], **kwargs)

    def call_with_tool(self, model: Any, text: str) -> Any:
        def get_weather(city: str) -> str:
            """Get the weather of a city."""
            return city

        return model.bind_tools([get_weather]).invoke(text)


class LlamaIndexDriver(Driver):
    name = "llamaindex"
    framework = "llamaindex"
    model_class = Modelverse

    @staticmethod
    def messages(text: str) -> list[ChatMessage]:
        return [ChatMessage(role=MessageRole.USER, content=text)]

    def call(self, model: Any, text: str, **kwargs: Any) -> str:
        return str(model.chat(self.messages(text), **kwargs).message.content)

    def stream(self, model: Any, text: str, **kwargs: Any) -> Iterator[str]:
        for chunk in model.stream_chat(self.messages(text), **kwargs):
            yield chunk.delta or ""

    async def acall(self, model: Any, text: str, **kwargs: Any) -> str:
        return str((await model.achat(self.messages(text), **kwargs)).message.content)

    async def astream(self, model: Any, text: str, **kwargs: Any) -> AsyncIterator[str]:
        async for chunk in await model.astream_chat(self.messages(text), **kwargs):
            yield chunk.delta or ""

    def call_messages(self, model: Any, messages: list[tuple[str, Any]], **kwargs: Any) -> Any:
        return model.chat(
            [
                ChatMessage(role=role, blocks=content)
                if isinstance(content, list)
                else ChatMessage(role=role, content=content)
                for role, content in messages
            ],
            **kwargs,
        )

    def call_with_tool(self, model: Any, text: str) -> Any:
        from llama_index.core.tools import FunctionTool

        def get_weather(city: str) -> str:
            """Get the weather of a city."""
            return city

        return model.chat_with_tools([FunctionTool.from_defaults(get_weather)], user_msg=text)


class LangChainCompletionDriver(LangChainDriver):
    name = "langchain-completions"
    chat = False
    model_class = LangChainCompletions

    def call(self, model: Any, text: str, **kwargs: Any) -> str:
        return str(model.invoke(text, **kwargs))

    def stream(self, model: Any, text: str, **kwargs: Any) -> Iterator[str]:
        yield from model.stream(text, **kwargs)

    async def acall(self, model: Any, text: str, **kwargs: Any) -> str:
        return str(await model.ainvoke(text, **kwargs))

    async def astream(self, model: Any, text: str, **kwargs: Any) -> AsyncIterator[str]:
        async for chunk in model.astream(text, **kwargs):
            yield chunk


class LlamaIndexCompletionDriver(LlamaIndexDriver):
    name = "llamaindex-completions"
    chat = False

    defaults = {"is_chat_model": False}

    def call(self, model: Any, text: str, **kwargs: Any) -> str:
        return str(model.complete(text, **kwargs).text)

    def stream(self, model: Any, text: str, **kwargs: Any) -> Iterator[str]:
        for chunk in model.stream_complete(text, **kwargs):
            yield chunk.delta or ""

    async def acall(self, model: Any, text: str, **kwargs: Any) -> str:
        return str((await model.acomplete(text, **kwargs)).text)

    async def astream(self, model: Any, text: str, **kwargs: Any) -> AsyncIterator[str]:
        async for chunk in await model.astream_complete(text, **kwargs):
            yield chunk.delta or ""


class LangChainResponsesDriver(LangChainDriver):
    """ChatModelverse over ``POST /v1/responses``."""

    name = "langchain-responses"
    defaults = {"use_responses_api": True}


class LlamaIndexResponsesDriver(LlamaIndexDriver):
    """LlamaIndex's Modelverse over ``POST /v1/responses``."""

    name = "llamaindex-responses"
    defaults = {"use_responses_api": True}


DRIVERS = [
    LangChainDriver(),
    LlamaIndexDriver(),
    LangChainCompletionDriver(),
    LlamaIndexCompletionDriver(),
    LangChainResponsesDriver(),
    LlamaIndexResponsesDriver(),
]
