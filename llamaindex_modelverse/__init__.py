"""llamaindex_modelverse: UCloud ModelVerse models for LlamaIndex.

Also importable as ``llama_index.llms.modelverse``.
"""

from modelverse_core import CATALOG, ModelInfo

from .base import Modelverse

__all__ = ["CATALOG", "ModelInfo", "Modelverse"]
