"""LangChain: stream a thinking model, reasoning first, then the answer, usage at the end."""

from __future__ import annotations

from langchain_modelverse import ChatModelverse


def main() -> None:
    model = ChatModelverse(model="deepseek-ai/DeepSeek-R1")
    section = None
    for chunk in model.stream("Why is the sky blue? One sentence."):
        reasoning = chunk.additional_kwargs.get("reasoning_content", "")
        if reasoning and section != "reasoning":
            section = "reasoning"
            print("[reasoning] ", end="")
        if chunk.content and section != "answer":
            section = "answer"
            print("\n[answer] ", end="")
        print(reasoning or chunk.content, end="", flush=True)
        if chunk.usage_metadata:
            usage = chunk.usage_metadata
            print(f"\n[usage] {usage['total_tokens']} tokens, {usage['output_token_details']['reasoning']} reasoning")


if __name__ == "__main__":
    main()
