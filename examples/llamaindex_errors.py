"""LlamaIndex: what to catch and where, at each layer: modelverse_core and openai.

- Settings are checked when the LLM is built: a value outside its documented range, or no key
  at all, is a pydantic ``ValidationError`` there, before any call.
- A value given per call is checked before the request: a ``ParameterError`` (nothing is sent).
- What the service refuses comes back as one exception that is both a ``modelverse_core`` error
  and the matching ``openai`` error (LlamaIndex has no error classes of its own for LLM calls):
  catch it at whichever layer your code already uses. Each recipe below is complete on its own.
- Retries (429, 5xx, connection errors, timeouts) are done by the openai SDK, ``max_retries``
  times with backoff; only then is the error raised.
"""

from __future__ import annotations

import asyncio

import openai
from llama_index.core.llms import ChatMessage
from pydantic import ValidationError

import modelverse_core
from llama_index.llms.modelverse import Modelverse
from modelverse_core.compat import httpx  # the httpx the SDK uses, for Timeout

MODEL = "deepseek-ai/DeepSeek-V3-0324"


async def recipe_modelverse_core(llm: Modelverse, prompt: str) -> str:
    """Catch the adapter's own classes (the same for LangChain and LlamaIndex), here around an async call."""
    try:
        response = await llm.achat([ChatMessage(role="user", content=prompt)])
        return str(response.message.content)
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


def recipe_openai(llm: Modelverse, prompt: str) -> str:
    """Catch the openai SDK's classes, as code written for llama-index's OpenAI LLM does."""
    try:
        return llm.complete(prompt).text
    except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
        return f"check the key and its models: {type(error).__name__} {error.status_code} {error.code}"
    except (openai.RateLimitError, openai.APIConnectionError) as error:  # APITimeoutError is a connection error
        return f"try again later: {type(error).__name__}"
    except openai.APIStatusError as error:
        return f"refused: {error.status_code} {error.message}"


def main() -> None:
    # At construction: the settings. (No key at all fails here too, naming MODELVERSE_API_KEY.)
    try:
        Modelverse(model=MODEL, reasoning_effort="maximum")
    except ValidationError as error:
        print(f"Construction:    {error.errors()[0]['msg']}")

    # Timeouts and retries are settings: seconds, or an httpx.Timeout per phase.
    llm = Modelverse(model=MODEL, timeout=httpx.Timeout(60.0, connect=5.0), max_retries=3)

    # Before sending: a value given per call.
    try:
        llm.complete("Hello", top_p=1.5)
    except modelverse_core.ParameterError as error:
        print(f"Before sending:  {error}")

    # From the service: a key it does not accept, and a model the key may not use.
    bad_key = Modelverse(model=MODEL, api_key="sk-invalid")
    no_such_model = Modelverse(model="no-such-org/no-such-model")
    print(f"modelverse_core: {asyncio.run(recipe_modelverse_core(bad_key, 'Hello'))}")
    print(f"openai:          {recipe_openai(no_such_model, 'Hello')}")
    print(f"No error:        {recipe_openai(llm, 'Say hello.')}")


if __name__ == "__main__":
    main()
