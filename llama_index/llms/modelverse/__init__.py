"""``from llama_index.llms.modelverse import Modelverse``: the LlamaIndex integration's conventional path."""

from llamaindex_modelverse import Modelverse

__all__ = ["Modelverse"]
