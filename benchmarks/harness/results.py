"""The results file: where it goes, what describes the run, writing and reading it."""

from __future__ import annotations

import json
import os
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parents[1] / "results"
VERSIONED = (
    "openai",
    "langchain-core",
    "langchain",
    "langgraph",
    "langchain-openai",
    "langchain-deepseek",
    "llama-index-core",
    "llama-index-llms-openai-like",
    "llama-index-llms-deepseek",
    "aiohttp",
    "httpx-aiohttp",
)


def machine() -> str:
    """The machine and interpreter, in one line."""
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()} ({cpu})"
    )


def versions() -> dict[str, str]:
    """The installed version of every package compared (those installed)."""
    found = {}
    for name in VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def header(quick: bool) -> dict[str, Any]:
    """What every results file starts with: the machine, the date, the versions, the mode."""
    return {"machine": machine(), "date": time.strftime("%Y-%m-%d"), "versions": versions(), "quick": quick}


def path_for(quick: bool, directory: Path = RESULTS) -> Path:
    """``latest.json`` for a full run, ``quick.json`` for a smoke run."""
    return directory / ("quick.json" if quick else "latest.json")


def write(report: dict[str, Any], path: Path) -> Path:
    """Write ``report`` as indented JSON to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    return path


def read(path: Path) -> dict[str, Any]:
    """The results written to ``path``."""
    report: dict[str, Any] = json.loads(path.read_text())
    return report
