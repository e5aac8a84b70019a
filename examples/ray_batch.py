"""Ray Data: label a small dataset in worker processes, with ChatModelverse and with Modelverse.

The models are built here and travel to the workers pickled: their settings, no HTTP
clients (each worker opens its own on first use) and no key (built without ``api_key``,
they read ``MODELVERSE_API_KEY`` where they run; Ray's ``runtime_env`` gives it to the
workers). A callable class receives its model once per worker; the actor pool has
``WORKERS`` workers, each with at most ``MAX_CONCURRENCY`` requests in flight.

Needs the ``ray`` extra: ``pip install "modelverse-integrations[all,ray]"``.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import ray
from llama_index.core.llms import ChatMessage
from ray.data import ActorPoolStrategy

from langchain_modelverse import ChatModelverse
from llamaindex_modelverse import Modelverse
from modelverse_core import API_KEY_ENV, BASE_URL_ENV

MODEL = "deepseek-ai/DeepSeek-V3-0324"
REVIEWS = [
    "The battery lasts two days and the screen is bright",
    "It stopped working after a week and support never answered",
    "Fast delivery, but the case scratches easily",
    "Exactly as described, I would buy it again",
    "The manual is in a language I cannot read",
    "Quiet, light and the price was fair",
]
PROMPT = "Label the sentiment of this review as positive, negative or mixed, in one word. Review: {review}"
WORKERS = 2
BATCH_SIZE = 2
MAX_CONCURRENCY = 4

Batch = dict[str, Any]


def labelled(batch: Batch, labels: list[str]) -> Batch:
    """The batch with its labels and the id of the worker process that made them."""
    return {"review": batch["review"], "label": labels, "worker": [os.getpid()] * len(labels)}


class ChatLabeller:
    """LangChain in a Ray worker: one model per worker, ``batch`` with bounded concurrency."""

    def __init__(self, model: ChatModelverse) -> None:
        self.model = model

    def __call__(self, batch: Batch) -> Batch:
        prompts = [PROMPT.format(review=review) for review in batch["review"]]
        replies = self.model.batch(prompts, config={"max_concurrency": MAX_CONCURRENCY})
        return labelled(batch, [str(reply.content).strip() for reply in replies])


class IndexLabeller:
    """LlamaIndex in a Ray worker: one LLM and one event loop per worker, ``achat`` calls bounded by a semaphore."""

    def __init__(self, model: Modelverse) -> None:
        self.llm = model
        self.loop = asyncio.new_event_loop()  # kept, so batches reuse the worker's pooled connections

    def __call__(self, batch: Batch) -> Batch:
        return labelled(batch, self.loop.run_until_complete(self.label(list(batch["review"]))))

    async def label(self, reviews: list[str]) -> list[str]:
        slots = asyncio.Semaphore(MAX_CONCURRENCY)

        async def one(review: str) -> str:
            async with slots:
                response = await self.llm.achat([ChatMessage(role="user", content=PROMPT.format(review=review))])
            return str(response.message.content).strip()

        return list(await asyncio.gather(*(one(review) for review in reviews)))


def label_reviews(labeller: type, model: ChatModelverse | Modelverse) -> list[dict[str, Any]]:
    """Label ``REVIEWS`` on the running Ray cluster, ``WORKERS`` actors each holding ``model``."""
    dataset = ray.data.from_items([{"review": review} for review in REVIEWS])
    return dataset.map_batches(
        labeller,
        fn_constructor_kwargs={"model": model},
        compute=ActorPoolStrategy(size=WORKERS),
        batch_size=BATCH_SIZE,
    ).take_all()


def main() -> None:
    settings = {name: os.environ[name] for name in (API_KEY_ENV, BASE_URL_ENV) if os.environ.get(name)}
    ray.init(num_cpus=WORKERS, runtime_env={"env_vars": settings}, include_dashboard=False, logging_level="WARNING")
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        # Built without api_key: the pickles that travel to the workers hold no key.
        for labeller, model in ((ChatLabeller, ChatModelverse(model=MODEL)), (IndexLabeller, Modelverse(model=MODEL))):
            rows = label_reviews(labeller, model)
            workers = ", ".join(str(pid) for pid in sorted({row["worker"] for row in rows}))
            print(f"{type(model).__name__}: {len(rows)} reviews labelled in worker processes {workers}")
            for row in rows:
                print(f"  [{row['label']}] {row['review']}")
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
