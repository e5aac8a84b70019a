"""LangChain: prompt | model | parser on a thinking model, printing reasoning, answer and token usage."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda

from langchain_modelverse import ChatModelverse


def split_reply(message: AIMessage) -> dict[str, Any]:
    """The parser: reasoning, answer and usage of a reply."""
    return {
        "reasoning": message.additional_kwargs.get("reasoning_content", ""),
        "answer": message.content,
        "usage": message.usage_metadata,
    }


def main() -> None:
    prompt = ChatPromptTemplate.from_messages([("system", "You are a concise assistant."), ("user", "{question}")])
    chain = prompt | ChatModelverse(model="deepseek-ai/DeepSeek-R1") | RunnableLambda(split_reply)
    reply = chain.invoke({"question": "Describe UCloud in one sentence."})
    usage = reply["usage"]
    print(f"Reasoning: {reply['reasoning']}")
    print(f"Answer:    {reply['answer']}")
    print(
        f"Tokens:    {usage['input_tokens']} in, {usage['output_tokens']} out "
        f"({usage['output_token_details']['reasoning']} of them reasoning, "
        f"{usage['input_token_details']['cache_read']} input tokens from cache)"
    )


if __name__ == "__main__":
    main()
