"""Loading the saved JSON and SSE fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"


def load_json(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def load_sse(name: str) -> list[dict[str, Any]]:
    """The decoded ``data:`` events of a saved stream; comments and ``[DONE]`` skipped."""
    events = []
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("data: ") and line != "data: [DONE]":
            events.append(json.loads(line[len("data: ") :]))
    return events
