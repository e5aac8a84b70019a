"""langchain_modelverse: UCloud ModelVerse for LangChain.

``ChatModelverse`` is the chat model (``/v1/chat/completions``); ``Modelverse`` the
text-completion model (``/v1/completions``).

Importing the package registers the ``modelverse`` content-block translator and
the ``modelverse`` provider of ``init_chat_model``.
"""

from modelverse_core import CATALOG, ModelInfo

from .chat_models import ChatModelverse
from .llms import Modelverse
from .registration import register_provider
from .translator import register as _register_translator

_register_translator()
register_provider()

__all__ = ["CATALOG", "ChatModelverse", "ModelInfo", "Modelverse"]
