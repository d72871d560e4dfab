"""Lazy package attributes: a name is imported from its module on first access.

``mimo_client`` keeps httpx out of its import this way, and ``langchain_mimo`` keeps
``BaseChatModel`` out of ``import langchain_mimo``, as ``langchain_core.language_models``
itself does. ``attach`` installs the module ``__getattr__`` at run time only, so a type
checker (which sees the packages' ``TYPE_CHECKING`` imports) still reports a misspelled name.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["attach", "load"]


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


def attach(namespace: dict[str, Any], exports: Mapping[str, str]) -> None:
    """Give the package whose globals are ``namespace`` a lazy ``__getattr__`` and ``__dir__``."""
    package = namespace["__name__"]

    def __getattr__(name: str) -> Any:
        return load(package, exports, name)

    def __dir__() -> list[str]:
        return sorted({*namespace, *exports})

    namespace["__getattr__"] = __getattr__
    namespace["__dir__"] = __dir__
