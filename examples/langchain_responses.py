"""LangChain over ``/v1/responses``: a thinking model's reasoning and answer, then a tool loop and a stream."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool

from langchain_modelverse import ChatModelverse


@tool
def get_weather(city: str) -> str:
    """Get the current weather of a city."""
    return f"sunny in {city}"


def main() -> None:
    model = ChatModelverse(model="deepseek-ai/DeepSeek-R1", use_responses_api=True)
    reply = model.invoke("Describe UCloud in one sentence.")
    print(f"Reasoning: {reply.additional_kwargs.get('reasoning_content', '')}")
    print(f"Answer:    {reply.content}")
    print(f"Response:  {reply.response_metadata['id']}, {reply.usage_metadata['total_tokens']} tokens")  # type: ignore[index]

    with_tools = model.bind_tools([get_weather])
    history: list = [HumanMessage("What is the weather in 'Shanghai'?")]
    first = with_tools.invoke(history)
    for call in first.tool_calls:
        print(f"Tool call: {call['name']}({call['args']})")
        history += [first, ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"])]
    print(f"Answer:    {with_tools.invoke(history).content}")

    print("Streamed:  ", end="")
    for chunk in model.stream("Say hello to UCloud."):
        print(chunk.content, end="", flush=True)
    print()


if __name__ == "__main__":
    main()
