"""Xiaomi MiMo for LlamaIndex: ``from llama_index_mimo import MiMo``.

Also importable as ``from llama_index.llms.mimo import MiMo``, LlamaIndex's convention.
"""

from llama_index_mimo.base import DEFAULT_MODEL, MiMo

__all__ = ["DEFAULT_MODEL", "MiMo"]
