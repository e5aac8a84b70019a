"""LangChain: many prompts at once without Ray: ``batch`` in threads and ``abatch`` on one event loop.

``max_concurrency`` bounds the requests in flight; answers come back in the order of the
inputs. With ``return_exceptions=True`` a failed prompt gives its exception in its place
instead of failing the whole batch. A 429 under load is retried by the SDK (``max_retries``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from langchain_core.messages import AIMessage

from langchain_modelverse import ChatModelverse

REVIEWS = [
    "The battery lasts two days and the screen is bright",
    "It stopped working after a week and support never answered",
    "Fast delivery, but the case scratches easily",
    "Exactly as described, I would buy it again",
    "The manual is in a language I cannot read",
    "Quiet, light and the price was fair",
]
LABEL = "Label the sentiment of this review as positive, negative or mixed, in one word. Review: {review}"
TOPIC = "Name the topic of this review in one or two words. Review: {review}"


def show(title: str, replies: Sequence[AIMessage | Exception]) -> None:
    """Each answer (or the error in its place) and the tokens of the whole batch."""
    print(title)
    tokens = 0
    for review, reply in zip(REVIEWS, replies, strict=True):
        if isinstance(reply, Exception):
            print(f"  [failed: {type(reply).__name__}] {review}")
            continue
        tokens += reply.usage_metadata["total_tokens"] if reply.usage_metadata else 0
        print(f"  [{str(reply.content).strip()}] {review}")
    print(f"  {tokens} tokens in all")


async def topics(model: ChatModelverse) -> Sequence[AIMessage | Exception]:
    """The async form, on one event loop: what a web service or an async pipeline calls."""
    prompts = [TOPIC.format(review=review) for review in REVIEWS]
    return await model.abatch(prompts, config={"max_concurrency": 8}, return_exceptions=True)


def main() -> None:
    model = ChatModelverse(model="deepseek-ai/DeepSeek-V3-0324", temperature=0, max_retries=5)

    prompts = [LABEL.format(review=review) for review in REVIEWS]
    labels = model.batch(prompts, config={"max_concurrency": 4}, return_exceptions=True)
    show("batch, at most 4 requests at once:", labels)

    show("abatch, at most 8 requests at once:", asyncio.run(topics(model)))


if __name__ == "__main__":
    main()
