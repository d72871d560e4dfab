"""``from llama_index.llms.mimo import MiMo``: LlamaIndex's import path for the MiMo LLM.

``llama_index`` and ``llama_index.llms`` are namespace packages (no ``__init__.py``), shared
with llama-index-core and the other integrations.
"""

from llama_index_mimo import DEFAULT_MODEL, MiMo

__all__ = ["DEFAULT_MODEL", "MiMo"]
