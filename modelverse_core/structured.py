"""Structured output through a tool call, on servers that refuse a forced ``tool_choice`` in thinking mode.

The rule, shared by both plugins:

- a model the catalog knows to think (:attr:`~modelverse_core.catalog.ModelInfo.forced_tool_choice`
  is ``False``) is sent ``tool_choice: "auto"`` with the one schema tool, and its answer is
  read from the tool call;
- a model the catalog knows not to think is sent the forced choice (the named tool, or ``required``);
- a model the catalog does not know is sent the forced choice too, and when the server refuses
  it (a 400 whose message names ``tool_choice``, as DeepSeek's "deepseek-reasoner does not
  support this tool_choice"), the same request is sent once more with ``"auto"``.

``ModelInfo(accepts_forced_tool_choice=...)`` says it for a deployment instead (vLLM, for one,
takes a forced choice from a thinking model).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .catalog import ModelInfo
from .errors import InvalidRequestError

FORCED = "required"
"""The ``tool_choice`` that forces some tool, whichever."""


def structured_tool_choice(info: ModelInfo, forced: str) -> str:
    """The ``tool_choice`` that asks ``info``'s model for a tool call: ``forced``, or ``"auto"`` if it refuses that."""
    return "auto" if info.forced_tool_choice is False else forced


def retried_unforced(info: ModelInfo) -> bool:
    """Whether a refused forced choice is sent again with ``"auto"``: for a model the catalog does not know."""
    return info.forced_tool_choice is None


def relaxed_body(body: Mapping[str, Any], error: BaseException) -> dict[str, Any] | None:
    """``body`` with ``tool_choice: "auto"`` when ``error`` is the server's refusal of its forced choice.

    ``None`` when the body forces no tool or the error is another one.
    """
    forced = body.get("tool_choice")
    if not (forced == FORCED or isinstance(forced, Mapping)):
        return None
    if not isinstance(error, InvalidRequestError) or "tool_choice" not in str(error):
        return None
    return {**body, "tool_choice": "auto"}
