"""One agent step over a growing history: LangGraph's ``create_agent`` and llama-index's ``FunctionAgent``.

Each agent has three tools and is given a history that ends with a tool's result; the model
answers with text, so the step is one model call and the agent's own bookkeeping around it.
Per client and history length: the step's CPU (best of shuffled rounds), the same model call
alone (as the agent makes it: bound tools for LangChain, ``achat_with_tools`` for llama-index),
and the model's share of the step. A llama-index client whose metadata says it cannot call
functions for the benchmark's model id (llama-index ``DeepSeek``) cannot run a ``FunctionAgent``
and is left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.clients import CHAT_CALLERS, Caller
from benchmarks.harness.heap import settle_heap
from benchmarks.harness.stats import best_cpu, calibrated
from benchmarks.measures.common import Context
from benchmarks.measures.history import SAMPLE_SECONDS
from benchmarks.workloads import LANGCHAIN, history

LENGTHS = (4, 100, 400, 1600)
QUICK_LENGTHS = (4, 100)


def get_weather(city: str) -> str:
    """The weather in a city today."""
    return f"rain in {city}"


def get_time(city: str) -> str:
    """The local time in a city."""
    return f"noon in {city}"


def get_population(city: str) -> int:
    """How many people live in a city."""
    return len(city) * 1_000_000


TOOLS = [get_weather, get_time, get_population]


def langchain_jobs(model: Any, messages: list[Any]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The ``create_agent`` step and the model call it makes."""
    from langchain.agents import create_agent

    agent = create_agent(model, tools=TOOLS)
    bound = model.bind_tools(TOOLS)
    return lambda: agent.invoke({"messages": messages}), lambda: bound.invoke(messages)


def llamaindex_jobs(ctx: Context, llm: Any, messages: list[Any]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """The ``FunctionAgent`` step and the model call it makes."""
    from llama_index.core.agent.workflow import FunctionAgent
    from llama_index.core.tools import FunctionTool

    tools = [FunctionTool.from_defaults(fn=fn) for fn in TOOLS]
    agent = FunctionAgent(tools=tools, llm=llm, streaming=False)

    async def step() -> Any:
        return await agent.run(chat_history=messages)

    return (
        lambda: ctx.loop.run_until_complete(step()),
        lambda: ctx.loop.run_until_complete(llm.achat_with_tools(tools, chat_history=messages)),
    )


def agents(base_url: str) -> tuple[list[Caller], dict[str, Any]]:
    """The clients that can run their framework's agent, and each built."""
    built = {c.name: c.make(base_url) for c in CHAT_CALLERS}
    able = [c for c in CHAT_CALLERS if c.framework == LANGCHAIN or built[c.name].metadata.is_function_calling_model]
    return able, built


def measure(ctx: Context) -> dict[str, Any]:
    """``agent_step``: step and model CPU microseconds and the model's share, per client and history length."""
    callers, built = agents(ctx.base_url)
    out: dict[str, Any] = {"floors": {c.name: c.floor for c in callers}, "step_us": {}, "model_us": {}, "share": {}}
    for length in ctx.pick(QUICK_LENGTHS, LENGTHS):
        jobs: dict[str, Callable[[], Any]] = {}
        for caller in callers:
            model, messages = built[caller.name], history(caller.framework, length)
            if caller.framework == LANGCHAIN:
                step, call = langchain_jobs(model, messages)
            else:
                step, call = llamaindex_jobs(ctx, model, messages)
            jobs[f"step:{caller.name}"], jobs[f"model:{caller.name}"] = step, call
        batch = {name: ctx.pick(1, calibrated(job, SAMPLE_SECONDS)) for name, job in jobs.items()}  # also warms
        settle_heap()  # the histories and agents just built: out of the collector's walk, as at the start
        best = best_cpu(jobs, ctx.pick(1, 5), batch)
        for caller in callers:
            step_us, model_us = best[f"step:{caller.name}"] * 1e6, best[f"model:{caller.name}"] * 1e6
            out["step_us"].setdefault(caller.name, {})[str(length)] = step_us
            out["model_us"].setdefault(caller.name, {})[str(length)] = model_us
            out["share"].setdefault(caller.name, {})[str(length)] = model_us / step_us
    return {"agent_step": out}
