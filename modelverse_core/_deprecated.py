"""Old names kept for one release, each answering with its new home and a :class:`DeprecationWarning`."""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Mapping
from typing import Any

REMOVED_IN = "0.2.0"


def moved(module: str, names: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that gives each old name of ``names`` from its new home.

    ``names`` maps an old name to ``"new.module:new_name"`` (``":new_name"`` may be left
    out when the name is unchanged).
    """

    def old_name(name: str) -> Any:
        target = names.get(name)
        if target is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        where, _, new = target.partition(":")
        new = new or name
        warnings.warn(
            f"{module}.{name} is deprecated and will be removed in {REMOVED_IN}: use {where}.{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(where), new)

    return old_name
