"""LlamaIndex over ``/v1/responses``: a thinking block and answer, then a function agent using a tool."""

from __future__ import annotations

import asyncio

from llama_index.core.agent.workflow import FunctionAgent
from llama_index.core.base.llms.types import ThinkingBlock
from llama_index.core.llms import ChatMessage
from llama_index.core.tools import FunctionTool

from llama_index.llms.modelverse import Modelverse


def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


async def run_agent(llm: Modelverse) -> None:
    agent = FunctionAgent(tools=[FunctionTool.from_defaults(get_weather)], llm=llm)
    result = await agent.run("What is the weather in 'Shanghai'?")
    for call in result.tool_calls:
        print(f"Tool call: {call.tool_name}({call.tool_kwargs})")
    print(f"Answer:    {result}")


def main() -> None:
    llm = Modelverse(model="deepseek-ai/DeepSeek-R1", use_responses_api=True)
    response = llm.chat([ChatMessage(role="user", content="Describe UCloud in one sentence.")])
    thinking = next(b for b in response.message.blocks if isinstance(b, ThinkingBlock))
    print(f"Reasoning: {thinking.content}")
    print(f"Answer:    {response.message.content}")
    print(f"Response:  {response.raw['id']}, {response.additional_kwargs['total_tokens']} tokens")  # type: ignore[index]
    asyncio.run(run_agent(llm))


if __name__ == "__main__":
    main()
