"""LangChain: an agent with a tool and memory on a thinking model, over two turns.

The checkpointer keeps the conversation per thread; the reasoning of each tool call is sent back.
"""

from __future__ import annotations

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver

import langchain_modelverse  # noqa: F401  (registers the "modelverse:" provider)


@tool
def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny, 24 degrees in {city}"


def main() -> None:
    agent = create_agent(
        model="modelverse:deepseek-ai/DeepSeek-R1",
        tools=[get_weather],
        system_prompt="Use tools.",
        checkpointer=InMemorySaver(),
    )
    config = {"configurable": {"thread_id": "demo"}}
    for question in ("What is the weather in 'Shanghai'?", "And in 'Beijing'?"):
        print(f"You:       {question}")
        seen = len(agent.get_state(config).values.get("messages", []))
        state = agent.invoke({"messages": [HumanMessage(question)]}, config)
        for message in state["messages"][seen + 1 :]:
            show(message)


def show(message: object) -> None:
    if isinstance(message, AIMessage) and message.tool_calls:
        print(f"Thinking:  {message.additional_kwargs.get('reasoning_content', '')}")
        print(f"Tool call: {message.tool_calls[0]['name']}({message.tool_calls[0]['args']})")
    elif isinstance(message, ToolMessage):
        print(f"Tool says: {message.content}")
    elif isinstance(message, AIMessage):
        print(f"Answer:    {message.content}")


if __name__ == "__main__":
    main()
