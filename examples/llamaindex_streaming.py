"""LlamaIndex: stream a thinking model; thinking_delta first, then the answer."""

from __future__ import annotations

from llama_index.core.llms import ChatMessage

from llama_index.llms.modelverse import Modelverse


def main() -> None:
    llm = Modelverse(model="Qwen/QwQ-32B")
    section = None
    last = None
    for chunk in llm.stream_chat([ChatMessage(role="user", content="What is 17 * 23?")]):
        thinking = chunk.additional_kwargs.get("thinking_delta", "")
        if thinking and section != "reasoning":
            section = "reasoning"
            print("[reasoning] ", end="")
        if chunk.delta and section != "answer":
            section = "answer"
            print("\n[answer] ", end="")
        print(thinking or chunk.delta or "", end="", flush=True)
        last = chunk
    if last is not None:
        usage = last.additional_kwargs
        print(f"\n[usage] {usage['total_tokens']} tokens, {usage['reasoning_tokens']} reasoning")


if __name__ == "__main__":
    main()
