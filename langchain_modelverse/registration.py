"""Makes ``init_chat_model("modelverse:<model>")`` and ``create_agent(model="modelverse:...")`` work.

langchain resolves providers from a fixed table, not from entry points, so the
provider is added to that table when ``langchain`` is installed. The test
suite checks this against the installed ``langchain``, so a change upstream
fails a test rather than a user.
"""

from __future__ import annotations

import importlib

PACKAGE = "langchain_modelverse"
CLASS_NAME = "ChatModelverse"


def register_provider() -> bool:
    """Add ``modelverse`` to ``init_chat_model``'s providers; ``False`` if langchain is absent or changed."""
    try:
        base = importlib.import_module("langchain.chat_models.base")
    except ImportError:
        return False
    providers = getattr(base, "_BUILTIN_PROVIDERS", None)
    creator = getattr(base, "_call", None)
    if not isinstance(providers, dict) or not callable(creator):
        return False
    providers.setdefault("modelverse", (PACKAGE, CLASS_NAME, creator))
    cached = getattr(base, "_get_chat_model_creator", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()
    return True
