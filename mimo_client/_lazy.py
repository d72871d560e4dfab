"""Lazy package attributes: a name is imported from its module on first access.

``mimo_client`` keeps httpx out of its import this way, and ``langchain_mimo`` keeps
``BaseChatModel`` out of ``import langchain_mimo``, as ``langchain_core.language_models``
itself does. The packages define ``__getattr__`` only when not type checking, so a type
checker still reports a misspelled name.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["load"]


def load(package: str, exports: Mapping[str, str], name: str) -> Any:
    """``package.name`` imported from the module ``exports`` names, then cached on the package.

    A name mapped to its own submodule (``"chat_models": ".chat_models"``) is that submodule.
    """
    module = exports.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    imported = importlib.import_module(module, package)
    value = imported if module == "." + name else getattr(imported, name)
    setattr(sys.modules[package], name, value)
    return value
