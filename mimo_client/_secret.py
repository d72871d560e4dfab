"""A string holder that never shows its value in repr, str, logs or pickles of messages."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

__all__ = ["Secret", "SecretLike"]


@runtime_checkable
class SecretLike(Protocol):
    """Anything that hands out its value only on request (pydantic's SecretStr included)."""

    def get_secret_value(self) -> str:
        """Return the secret itself."""
        ...


class Secret:
    """An API key. ``repr``/``str`` show ``**********``; call ``get_secret_value()`` to read it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """Return the secret itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> str:
        raise TypeError("a Secret cannot be pickled; pass the key again where it is needed")
