"""What decides which pooled client a ChatMiMo uses, and how its headers are shown.

The model's ``ClientPool`` compares these settings on every call: a ``model_copy`` with another
``base_url`` or key, or a field changed in place, gets a fresh client instead of the one made
for the old settings. The key stays a ``SecretStr`` (compared by value, never shown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import SecretStr

__all__ = ["HIDDEN", "connection_settings", "hidden_headers"]

HIDDEN = "**********"


def connection_settings(
    *,
    api_key: SecretStr | None,
    base_url: str | None,
    timeout: float | None,
    max_retries: int,
    default_headers: Mapping[str, str] | None,
    http_client: Any,
) -> tuple[Any, ...]:
    """A value equal for two models exactly when they may share a client."""
    headers = tuple(sorted((default_headers or {}).items()))
    # the caller's own httpx client compares by identity (httpx clients define no __eq__)
    return (api_key, base_url, timeout, max_retries, headers, http_client)


def hidden_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """``headers`` with every value hidden: any of them may carry a key or a token."""
    return dict.fromkeys(headers, HIDDEN)
