"""langchain_modelverse: UCloud ModelVerse for LangChain.

``ChatModelverse`` is the chat model (``/v1/chat/completions``); ``Modelverse`` the
text-completion model (``/v1/completions``).

Importing the package registers the ``modelverse`` content-block translator and
the ``modelverse`` provider of ``init_chat_model``.
"""

from typing import TYPE_CHECKING, Any

from modelverse_core import CATALOG, ModelInfo

from .chat_models import ChatModelverse
from .registration import register_provider
from .translator import register as _register_translator

if TYPE_CHECKING:
    from .llms import Modelverse

_register_translator()
register_provider()

__all__ = ["CATALOG", "ChatModelverse", "ModelInfo", "Modelverse"]


def __getattr__(name: str) -> Any:
    """``Modelverse`` is imported on first use: a chat application never loads LangChain's text-completion base."""
    if name == "Modelverse":
        from .llms import Modelverse

        return Modelverse
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
