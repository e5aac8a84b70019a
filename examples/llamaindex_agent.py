"""LlamaIndex: a FunctionAgent with a tool and memory on a thinking model, streaming its thinking, over two runs."""

from __future__ import annotations

import asyncio

from llama_index.core.agent.workflow import AgentStream, FunctionAgent, ToolCallResult
from llama_index.core.memory import Memory
from llama_index.core.tools import FunctionTool
from llama_index.core.workflow import Context

from llama_index.llms.modelverse import Modelverse


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny, 24 degrees in {city}"


async def run() -> None:
    agent = FunctionAgent(
        tools=[FunctionTool.from_defaults(get_weather)], llm=Modelverse(model="deepseek-ai/DeepSeek-R1")
    )
    # One Context and one memory for the whole conversation; the memory is given to each run.
    ctx, memory = Context(agent), Memory.from_defaults(session_id="demo")
    for question in ("What is the weather in 'Shanghai'?", "And in 'Beijing'?"):
        print(f"You:       {question}")
        handler = agent.run(question, ctx=ctx, memory=memory)
        thinking = []
        async for event in handler.stream_events():
            if isinstance(event, AgentStream) and event.thinking_delta:
                thinking.append(event.thinking_delta)
            elif isinstance(event, ToolCallResult):
                print(f"Thinking:  {''.join(thinking)}")
                print(f"Tool call: {event.tool_name}({event.tool_kwargs}) -> {event.tool_output}")
                thinking.clear()
        print(f"Answer:    {await handler}")


def main() -> None:
    asyncio.run(run())


if __name__ == "__main__":
    main()
