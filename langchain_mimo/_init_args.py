"""Constructor arguments that are not ChatMiMo fields.

As in LangChain's partner models, unknown names go to ``model_kwargs`` with a warning, so a
typo such as ``temprature=`` is never silently dropped.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["move_unknown_to_model_kwargs"]


def move_unknown_to_model_kwargs(values: Any, field_names: Iterable[str]) -> Any:
    """``values`` with every name that is not a field (or alias) moved into ``model_kwargs``.

    Each moved name warns. Raises ``ValueError`` when a name is given both as an argument
    and in ``model_kwargs``, or when ``model_kwargs`` holds a field's name (or alias), which
    must be given as its own argument. Non-mapping ``values`` are returned unchanged.
    """
    if not isinstance(values, Mapping):
        return values
    fields = set(field_names)
    given = values.get("model_kwargs")
    extra: dict[str, Any] = dict(given) if isinstance(given, Mapping) else {}
    result: dict[str, Any] = {}
    for name, value in values.items():
        if name in fields:
            result[name] = value
            continue
        if name in extra:
            raise ValueError(f"{name} is given twice: as an argument and in model_kwargs")
        warnings.warn(
            f"{name!r} is not a ChatMiMo parameter; it was moved to model_kwargs and will be "
            "sent with every request. Check the spelling if you meant a known parameter.",
            UserWarning,
            stacklevel=4,
        )
        extra[name] = value
    misplaced = sorted(fields.intersection(extra))
    if misplaced:
        raise ValueError(f"{misplaced} should be given as ChatMiMo arguments, not in model_kwargs")
    if given is not None or extra:
        result["model_kwargs"] = extra
    return result
