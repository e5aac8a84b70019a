"""langchain_modelverse: UCloud ModelVerse chat models for LangChain.

Importing the package registers the ``modelverse`` content-block translator and
the ``modelverse`` provider of ``init_chat_model``.
"""

from modelverse_core import CATALOG, ModelInfo

from .chat_models import ChatModelverse
from .registration import register_provider
from .translator import register as _register_translator

_register_translator()
register_provider()

__all__ = ["CATALOG", "ChatModelverse", "ModelInfo"]
