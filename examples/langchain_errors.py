"""LangChain: what to catch and where, at each layer: modelverse_core, openai and langchain_core.

- Settings are checked when the model is built: a value outside its documented range, or no
  key at all, is a pydantic ``ValidationError`` there, before any call.
- A value given per call is checked before the request: a ``ParameterError`` (nothing is sent).
- What the service refuses comes back as ONE exception that is at once a ``modelverse_core``
  error, the matching ``openai`` error and the matching ``langchain_core.exceptions`` error:
  catch it at whichever layer your code already uses. Each recipe below is complete on its own.
- Retries (429, 5xx, connection errors, timeouts) are done by the openai SDK, ``max_retries``
  times with backoff; only then is the error raised.
"""

from __future__ import annotations

import openai
from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
)
from pydantic import ValidationError

import modelverse_core
from langchain_modelverse import ChatModelverse
from modelverse_core.compat import httpx  # the httpx the SDK uses, for Timeout

MODEL = "deepseek-ai/DeepSeek-V3-0324"


def recipe_modelverse_core(model: ChatModelverse, prompt: str) -> str:
    """Catch the adapter's own classes (the same for LangChain and LlamaIndex)."""
    try:
        return str(model.invoke(prompt).content)
    except modelverse_core.ParameterError as error:  # a value outside its limit; nothing was sent
        return f"fix the call: {error.field}: {error.limit}"
    except modelverse_core.PromptTooLongError:  # the prompt exceeds the model's context
        return "shorten the history and try again"
    except (modelverse_core.AuthenticationError, modelverse_core.PermissionDeniedError) as error:
        return f"check the key and its models: {type(error).__name__} {error.status_code} {error.code}"
    except (modelverse_core.RateLimitError, modelverse_core.APIConnectionError) as error:  # retried already
        return f"try again later: {type(error).__name__}"
    except modelverse_core.APIStatusError as error:  # any other refusal; quote request_id to support
        return f"refused: {error.status_code} {error.code} (request {error.request_id})"


def recipe_openai(model: ChatModelverse, prompt: str) -> str:
    """Catch the openai SDK's classes, as code written for ChatOpenAI does."""
    try:
        return str(model.invoke(prompt).content)
    except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
        return f"check the key and its models: {type(error).__name__} {error.status_code} {error.code}"
    except (openai.RateLimitError, openai.APIConnectionError) as error:  # APITimeoutError is a connection error
        return f"try again later: {type(error).__name__}"
    except openai.APIStatusError as error:
        return f"refused: {error.status_code} {error.message}"


def recipe_langchain(model: ChatModelverse, prompt: str) -> str:
    """Catch langchain-core's provider-neutral classes, as LangChain's middleware does."""
    try:
        return str(model.invoke(prompt).content)
    except ContextOverflowError:  # the prompt, or the output asked for, exceeds the model's limits
        return "shorten the history and try again"
    except (ModelAuthenticationError, ModelPermissionDeniedError) as error:
        return f"check the key and its models: {type(error).__name__}"
    except (ModelRateLimitError, ModelConnectionError) as error:  # ModelTimeoutError is a connection error
        return f"try again later: {type(error).__name__}"
    except ModelError as error:
        return f"refused: {error}"


def main() -> None:
    # At construction: the settings. (No key at all fails here too, naming MODELVERSE_API_KEY.)
    try:
        ChatModelverse(model=MODEL, temperature=3)
    except ValidationError as error:
        print(f"Construction:    {error.errors()[0]['msg']}")

    # Timeouts and retries are settings: seconds, or an httpx.Timeout per phase.
    model = ChatModelverse(model=MODEL, timeout=httpx.Timeout(60.0, connect=5.0), max_retries=3)

    # Before sending: a value given per call.
    try:
        model.invoke("Hello", stop=["one", "two", "three", "four", "five"])
    except modelverse_core.ParameterError as error:
        print(f"Before sending:  {error}")

    # From the service: a key it does not accept, and a model the key may not use.
    bad_key = ChatModelverse(model=MODEL, api_key="sk-invalid")
    no_such_model = ChatModelverse(model="no-such-org/no-such-model")
    print(f"modelverse_core: {recipe_modelverse_core(bad_key, 'Hello')}")
    print(f"openai:          {recipe_openai(no_such_model, 'Hello')}")
    print(f"langchain_core:  {recipe_langchain(bad_key, 'Hello')}")
    print(f"No error:        {recipe_langchain(model, 'Say hello.')}")


if __name__ == "__main__":
    main()
