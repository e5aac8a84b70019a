"""``Modelverse``: a LangChain text-completion model (``POST /v1/completions``) for UCloud ModelVerse."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from contextlib import aclosing
from typing import Any, ClassVar, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.llms import BaseLLM
from langchain_core.outputs import GenerationChunk, LLMResult
from langchain_core.runnables.config import ContextThreadPoolExecutor
from pydantic import ConfigDict

from modelverse_core import AsyncStream, ModelverseCompletionParams, Prepared, Stream
from modelverse_core import Result as CoreResult

from .base import LangChainModelverse
from .convert import to_llm_result, to_text_chunk


class Modelverse(LangChainModelverse, ModelverseCompletionParams, BaseLLM):
    """UCloud ModelVerse prompt completion (``/v1/completions``) for LangChain.

    For private deployments that serve prompt-style work (QwQ, R1 distills, GLM):
    ``invoke``/``stream``/``batch`` and their async forms take a prompt and return
    text. ``generate`` reports, per generation, ``finish_reason``, ``logprobs``
    (the legacy ``tokens``/``token_logprobs``/``top_logprobs``/``text_offset`` shape,
    whichever shape the server sent), ``usage`` and any ``reasoning_content``
    split from a leading ``<think>`` block; ``llm_output["token_usage"]`` sums usage.

    Example:
        .. code-block:: python

            from langchain_modelverse import Modelverse

            llm = Modelverse(model="Qwen/QwQ-32B", max_tokens=256, logprobs=2)
            llm.invoke("The capital of France is")
            result = llm.generate(["The capital of France is"])
            result.generations[0][0].generation_info["logprobs"]["token_logprobs"]
    """

    _ls_model_type: ClassVar[Literal["chat", "llm"]] = "llm"

    model_config = ConfigDict(extra="forbid")  # BaseLLM sets "ignore"; unknown arguments must fail

    @property
    def _llm_type(self) -> str:
        return "modelverse"

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        """``["langchain_modelverse", "llms"]``."""
        return ["langchain_modelverse", "llms"]

    # ------------------------------------------------------------------ requests

    def _prepared(self, prompt: str, stop: list[str] | None, kwargs: dict[str, Any], *, stream: bool) -> Prepared:
        """A call of the prompt with its options, through the core's one request path."""
        options, include_usage = self._call_options(stop, kwargs)
        return self._mv_prepare_prompt(prompt, stream=stream, include_usage=include_usage, options=options)

    def _open(self, prompt: str, stop: list[str] | None, kwargs: dict[str, Any]) -> Stream:
        return self._mv_client_for_settings().open(self._prepared(prompt, stop, kwargs, stream=True))

    def _aopen(self, prompt: str, stop: list[str] | None, kwargs: dict[str, Any]) -> AsyncStream:
        return self._mv_client_for_settings().aopen(self._prepared(prompt, stop, kwargs, stream=True))

    def _generate(
        self,
        prompts: list[str],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> LLMResult:
        """One request per prompt, from threads when there are several; streamed when ``streaming`` is set."""
        if len(prompts) == 1:
            return to_llm_result([self._complete(prompts[0], stop, run_manager, kwargs)], self.model)
        with ContextThreadPoolExecutor() as executor:
            results = list(executor.map(lambda p: self._complete(p, stop, run_manager, kwargs), prompts))
        return to_llm_result(results, self.model)

    async def _agenerate(
        self,
        prompts: list[str],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> LLMResult:
        """One request per prompt, concurrently."""
        results = await asyncio.gather(*(self._acomplete(p, stop, run_manager, kwargs) for p in prompts))
        return to_llm_result(results, self.model)

    def _complete(
        self, prompt: str, stop: list[str] | None, run_manager: CallbackManagerForLLMRun | None, kwargs: dict[str, Any]
    ) -> CoreResult:
        if not self.streaming:
            return self._mv_client_for_settings().send(self._prepared(prompt, stop, kwargs, stream=False))
        stream = self._open(prompt, stop, kwargs)
        for _ in self._chunks(stream, run_manager):
            pass
        return stream.result()

    async def _acomplete(
        self,
        prompt: str,
        stop: list[str] | None,
        run_manager: AsyncCallbackManagerForLLMRun | None,
        kwargs: dict[str, Any],
    ) -> CoreResult:
        if not self.streaming:
            return await self._mv_client_for_settings().asend(self._prepared(prompt, stop, kwargs, stream=False))
        stream = self._aopen(prompt, stop, kwargs)
        async for _ in self._achunks(stream, run_manager):
            pass
        return stream.result()

    def _stream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[GenerationChunk]:
        yield from self._chunks(self._open(prompt, stop, kwargs), run_manager)

    async def _astream(
        self,
        prompt: str,
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[GenerationChunk]:
        async with aclosing(self._achunks(self._aopen(prompt, stop, kwargs), run_manager)) as chunks:
            async for chunk in chunks:
                yield chunk

    def _chunks(self, stream: Stream, run_manager: CallbackManagerForLLMRun | None) -> Iterator[GenerationChunk]:
        """Text chunks of a stream, each reported to the callbacks with its log probabilities."""
        for delta in stream:
            chunk = to_text_chunk(delta)
            if run_manager:
                run_manager.on_llm_new_token(chunk.text, chunk=chunk, logprobs=_logprobs(chunk))
            yield chunk

    async def _achunks(
        self, stream: AsyncStream, run_manager: AsyncCallbackManagerForLLMRun | None
    ) -> AsyncGenerator[GenerationChunk, None]:
        async with aclosing(stream.__aiter__()) as deltas:
            async for delta in deltas:
                chunk = to_text_chunk(delta)
                if run_manager:
                    await run_manager.on_llm_new_token(chunk.text, chunk=chunk, logprobs=_logprobs(chunk))
                yield chunk


def _logprobs(chunk: GenerationChunk) -> Any:
    return (chunk.generation_info or {}).get("logprobs")


__all__ = ["Modelverse"]
