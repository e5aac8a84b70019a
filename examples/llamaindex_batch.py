"""LlamaIndex: many prompts at once without Ray: ``asyncio.gather`` over ``achat``, bounded by a semaphore.

The semaphore caps the requests in flight; ``gather`` returns the answers in the order of the
inputs, and with ``return_exceptions=True`` a failed prompt gives its exception in its place
instead of failing the rest. A 429 under load is retried by the SDK (``max_retries``).
"""

from __future__ import annotations

import asyncio

from llama_index.core.llms import ChatMessage, ChatResponse

from llama_index.llms.modelverse import Modelverse

REVIEWS = [
    "The battery lasts two days and the screen is bright",
    "It stopped working after a week and support never answered",
    "Fast delivery, but the case scratches easily",
    "Exactly as described, I would buy it again",
    "The manual is in a language I cannot read",
    "Quiet, light and the price was fair",
]
LABEL = "Label the sentiment of this review as positive, negative or mixed, in one word. Review: {review}"
MAX_CONCURRENCY = 4


async def label_all(llm: Modelverse, reviews: list[str]) -> list[ChatResponse | BaseException]:
    """One ``achat`` per review, at most ``MAX_CONCURRENCY`` at a time, answers in input order."""
    slots = asyncio.Semaphore(MAX_CONCURRENCY)

    async def label(review: str) -> ChatResponse:
        async with slots:
            return await llm.achat([ChatMessage(role="user", content=LABEL.format(review=review))])

    return await asyncio.gather(*(label(review) for review in reviews), return_exceptions=True)


def main() -> None:
    llm = Modelverse(model="deepseek-ai/DeepSeek-V3-0324", temperature=0, max_retries=5)
    responses = asyncio.run(label_all(llm, REVIEWS))
    print(f"asyncio.gather, at most {MAX_CONCURRENCY} requests at once:")
    tokens = 0
    for review, response in zip(REVIEWS, responses, strict=True):
        if isinstance(response, BaseException):
            print(f"  [failed: {type(response).__name__}] {review}")
            continue
        tokens += response.additional_kwargs["total_tokens"]
        print(f"  [{str(response.message.content).strip()}] {review}")
    print(f"  {tokens} tokens in all")


if __name__ == "__main__":
    main()
