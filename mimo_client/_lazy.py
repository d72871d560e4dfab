"""Lazy package attributes: a name is imported from its module on first access.

Used by the packages' ``__init__`` modules (``mimo_client`` keeps httpx out of its import,
``langchain_mimo`` keeps ``BaseChatModel`` out of ``import langchain_mimo``, as
``langchain_core.language_models`` itself does).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["load"]


def load(package: str, exports: Mapping[str, str], name: str) -> Any:
    """``package.name`` imported from the module ``exports`` names, then cached on the package."""
    module = exports.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, package), name)
    setattr(sys.modules[package], name, value)
    return value
