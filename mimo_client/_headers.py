"""Extra headers without credentials, for ``repr`` and serialized models.

A key passed as a header (``api-key``, ``Authorization``, ...) must not show where the
``api_key`` itself does not: both adapters mask such values in ``repr``/``str`` and leave
the header out of dumps, as they leave out the key.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MASK", "is_secret_header", "masked_headers", "public_headers"]

MASK = "**********"
_SECRET_WORDS = ("auth", "key", "token", "secret", "cookie", "signature")


def is_secret_header(name: str) -> bool:
    """Whether a header may carry a credential (``api-key``, ``Authorization``, ...)."""
    lowered = name.lower()
    return any(word in lowered for word in _SECRET_WORDS)


def masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers with credential values replaced by ``**********``."""
    return {name: MASK if is_secret_header(name) else value for name, value in headers.items()}


def public_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers without those that may carry a credential."""
    return {name: value for name, value in headers.items() if not is_secret_header(name)}
