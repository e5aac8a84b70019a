"""LangChain: prompt completion (/v1/completions) with per-token log probabilities, then a stream."""

from __future__ import annotations

from langchain_core.prompts import PromptTemplate

from langchain_modelverse import Modelverse


def main() -> None:
    llm = Modelverse(model="Qwen/QwQ-32B", max_tokens=512, logprobs=2)
    prompt = PromptTemplate.from_template("Complete the sentence: {start}")
    result = llm.generate([prompt.format(start="The capital of France is")])
    generation = result.generations[0][0]
    info = generation.generation_info or {}
    print(f"Reasoning:  {info.get('reasoning_content', '')}")
    print(f"Completion: {generation.text}")
    logprobs = info["logprobs"]
    rows = zip(logprobs["tokens"], logprobs["token_logprobs"], logprobs["top_logprobs"], strict=True)
    for token, logprob, top in list(rows)[:3]:
        print(f"Token:      {token!r} logprob {logprob:.2f}, alternatives {top}")
    usage = (result.llm_output or {})["token_usage"]
    print(f"Tokens:     {usage['prompt_tokens']} in, {usage['completion_tokens']} out ({info['finish_reason']})")
    print("[stream] ", end="")
    for piece in (prompt | llm).stream({"start": "Once upon a time"}):
        print(piece, end="", flush=True)
    print()


if __name__ == "__main__":
    main()
