"""LlamaIndex: chat with a thinking model, showing the thinking block, the answer and token usage."""

from __future__ import annotations

from llama_index.core.base.llms.types import ThinkingBlock
from llama_index.core.llms import ChatMessage

from llama_index.llms.modelverse import Modelverse


def main() -> None:
    llm = Modelverse(model="deepseek-ai/DeepSeek-R1")
    response = llm.chat([ChatMessage(role="user", content="Describe UCloud in one sentence.")])
    thinking = next(b for b in response.message.blocks if isinstance(b, ThinkingBlock))
    usage = response.additional_kwargs
    print(f"Reasoning: {thinking.content}")
    print(f"Answer:    {response.message.content}")
    print(
        f"Tokens:    {usage['prompt_tokens']} in, {usage['completion_tokens']} out "
        f"({usage['reasoning_tokens']} of them reasoning, {usage['cached_tokens']} input tokens from cache)"
    )


if __name__ == "__main__":
    main()
