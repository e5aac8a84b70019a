"""What a user of the installed wheels sees, printed as JSON; run by ``test_wheels.py`` in a fresh environment.

Usage: ``python -I probe.py <base_url> <api_key>``. It imports nothing from the
checkout (``-I`` keeps the working directory and the script's directory off
``sys.path``), so every answer comes from the installed distributions.
"""

from __future__ import annotations

import importlib
import json
import sys
from importlib.metadata import distribution, entry_points
from importlib.resources import files
from typing import Any

DISTRIBUTIONS = ("modelverse-integrations", "langchain-modelverse", "llama-index-llms-modelverse")
PACKAGES = ("modelverse_core", "langchain_modelverse", "llamaindex_modelverse", "llama_index.llms.modelverse")
ENTRY_POINT_GROUPS = ("langchain.chat_models", "langchain.llms", "llama_index.llms")
MODEL = "deepseek-ai/DeepSeek-V3-0324"
PROMPT = "Are you installed"


def describe_entry_points(group: str) -> list[dict[str, Any]]:
    """Every ``modelverse`` entry point of ``group``: its target, its distribution and what it loads."""
    found = []
    for point in entry_points(group=group, name="modelverse"):
        loaded = point.load()
        found.append(
            {
                "value": point.value,
                "distribution": point.dist.name if point.dist else None,
                "loads": f"{loaded.__module__}.{loaded.__qualname__}",
            }
        )
    return found


def describe_distribution(name: str) -> dict[str, Any]:
    """Version, requirements, license and the top-level paths it installs besides its metadata."""
    dist = distribution(name)
    return {
        "version": dist.version,
        "requires": dist.requires or [],
        "license_expression": dist.metadata["License-Expression"],
        "license_files": [str(f) for f in dist.files or [] if f.name == "LICENSE"],
        "payload": sorted({str(f).split("/")[0] for f in dist.files or [] if ".dist-info" not in str(f)}),
        "license_text": next((f.read_text() for f in dist.files or [] if f.name == "LICENSE"), ""),
    }


def langchain_reply(base_url: str, api_key: str) -> dict[str, str]:
    """``init_chat_model("modelverse:...")`` and one call, as the README shows."""
    from langchain.chat_models import init_chat_model

    import langchain_modelverse  # noqa: F401  (registers the provider)

    model = init_chat_model(f"modelverse:{MODEL}", base_url=base_url, api_key=api_key, max_retries=0)
    reply = model.invoke(PROMPT)
    return {"class": type(model).__name__, "content": str(reply.content)}


def llamaindex_reply(base_url: str, api_key: str) -> dict[str, str]:
    """One LlamaIndex chat through the conventional import path."""
    from llama_index.core.llms import ChatMessage

    from llama_index.llms.modelverse import Modelverse

    llm = Modelverse(model=MODEL, base_url=base_url, api_key=api_key, max_retries=0)
    response = llm.chat([ChatMessage(role="user", content=PROMPT)])
    return {"class": type(llm).__name__, "content": str(response.message.content)}


def main(base_url: str, api_key: str) -> dict[str, Any]:
    """The whole report."""
    return {
        "python": sys.executable,
        "modules": {name: importlib.import_module(name).__file__ for name in PACKAGES},
        "py_typed": {name: files(name).joinpath("py.typed").is_file() for name in PACKAGES},
        "distributions": {name: describe_distribution(name) for name in DISTRIBUTIONS},
        "entry_points": {group: describe_entry_points(group) for group in ENTRY_POINT_GROUPS},
        "langchain": langchain_reply(base_url, api_key),
        "llamaindex": llamaindex_reply(base_url, api_key),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
