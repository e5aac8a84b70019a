"""LlamaIndex: a completion model (/v1/completions) with log probabilities, a stream, and chat through the prompt."""

from __future__ import annotations

from llama_index.core.llms import ChatMessage

from llamaindex_modelverse import Modelverse


def main() -> None:
    llm = Modelverse(model="Qwen/QwQ-32B", is_chat_model=False, max_tokens=512, logprobs=True, top_logprobs=2)
    response = llm.complete("Complete the sentence: The capital of France is")
    print(f"Reasoning:  {response.additional_kwargs.get('reasoning_content', '')}")
    print(f"Completion: {response.text}")
    for position in (response.logprobs or [])[:3]:
        print("Token:      " + ", ".join(f"{p.token!r} {p.logprob:.2f}" for p in position))
    kwargs = response.additional_kwargs
    print(f"Tokens:     {kwargs['prompt_tokens']} in, {kwargs['completion_tokens']} out")
    print("[stream] ", end="")
    for chunk in llm.stream_complete("Complete the sentence: Once upon a time"):
        print(chunk.delta or "", end="", flush=True)
    print()
    reply = llm.chat([ChatMessage(role="user", content="Say hello.")])  # sent as messages_to_prompt(messages)
    print(f"[chat] {reply.message.content}")


if __name__ == "__main__":
    main()
