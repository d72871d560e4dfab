"""Pydantic models with one field built on first read (streamed chunks and their blocks).

A streamed chunk's ``message`` (and a ``ThinkingBlock``'s ``content``) holds the turn so far;
building it for every chunk would copy the whole stream once per delta. A deferred model
records how to build the field and builds it the first time anything reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from pydantic import BaseModel

__all__ = ["Deferred", "bare"]

_INSTANCE_DICT = vars(BaseModel)["__dict__"]  # the slot where a model keeps its field values


def bare(
    cls: type[Any],
    fields: dict[str, Any],
    build: Callable[[], Any],
    **private: Any,
) -> Any:
    """A ``cls`` instance holding ``fields``; its deferred field is built by ``build`` when read.

    What ``model_construct`` does, without its per-call default handling (a third of the cost
    of a streamed chunk). The deferred field counts as set (``model_dump(exclude_unset=True)``
    keeps it). ``private`` sets further private attributes.
    """
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", {*fields, cls._deferred})
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", {"_build": build, **private})
    return obj


class Deferred:
    """Mixin: the field named ``_deferred`` is built by the private ``_build`` on first read.

    Reading the field, or reading the model's ``__dict__`` (what pydantic's serializer, ``==``,
    ``repr``, ``copy`` and ``vars()`` do, also when the model is nested in another, e.g. an
    instrumentation event), builds it first; other fields are plain attributes. Put it before
    the pydantic class in the bases.
    """

    _deferred: ClassVar[str]
    __pydantic_private__: dict[str, Any] | None

    @property
    def __dict__(self) -> dict[str, Any]:
        return self._fill()

    @__dict__.setter
    def __dict__(self, fields: dict[str, Any]) -> None:
        _INSTANCE_DICT.__set__(self, fields)

    @property
    def deferred_built(self) -> bool:
        """Whether the deferred field has been built (or was given)."""
        return self._deferred in _INSTANCE_DICT.__get__(self)

    def _fill(self) -> dict[str, Any]:
        fields: dict[str, Any] = _INSTANCE_DICT.__get__(self)
        if self._deferred not in fields and self.__pydantic_private__ is not None:
            build = self.__pydantic_private__.get("_build")
            if build is not None:
                fields[self._deferred] = build()
        return fields

    def __getattr__(self, name: str) -> Any:
        if name == self._deferred:
            return self._fill().get(name)
        return super().__getattr__(name)  # type: ignore[misc]  # pydantic's private attrs

    def __eq__(self, other: object) -> bool:
        # Equal to any instance of the public class with the same fields. pydantic's __eq__
        # would also compare the private builders (which differ per object) and the exact
        # class (a streamed block would differ from the same block of chat()).
        public = _public_class(type(self))
        if not isinstance(other, public) or public is not _public_class(type(other)):
            return NotImplemented
        return bool(self._fill() == other.__dict__)

    def __getstate__(self) -> dict[Any, Any]:
        state: dict[Any, Any] = super().__getstate__()  # type: ignore[misc]
        private = state.get("__pydantic_private__") or {}
        state["__pydantic_private__"] = dict.fromkeys(private)  # builders stay behind
        return state


def _public_class(cls: type[Any]) -> type[Any]:
    """The pydantic class a deferred class extends (``ChatResponse``, ``ThinkingBlock``, ...)."""
    for base in cls.__mro__:
        if issubclass(base, BaseModel) and not issubclass(base, Deferred):
            return base
    return cls
