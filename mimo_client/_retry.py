"""Which failures are retried, and how long to wait before the next try."""

from __future__ import annotations

import random
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

__all__ = ["RETRYABLE_STATUS", "backoff_delay", "parse_retry_after"]

#: Statuses worth another try; 400/401/402/403/404/421 never are.
RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})

BASE_DELAY = 0.5
MAX_DELAY = 8.0
#: A Retry-After longer than this is capped: a client call should not sleep for minutes.
MAX_RETRY_AFTER = 60.0


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    getter = headers.get
    ms = getter("retry-after-ms") or getter("Retry-After-Ms")
    if ms:
        try:
            return max(0.0, min(float(ms) / 1000.0, MAX_RETRY_AFTER))
        except ValueError:
            pass
    value = getter("retry-after") or getter("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        seconds: float = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - time.time()
    return max(0.0, min(seconds, MAX_RETRY_AFTER))


def backoff_delay(
    attempt: int, retry_after: float | None = None, base_delay: float = BASE_DELAY
) -> float:
    """Delay before retry number ``attempt`` (0-based).

    Retry-After wins when the service sent it; else exponential backoff with jitter.
    """
    if retry_after is not None:
        return retry_after
    ceiling = min(MAX_DELAY, base_delay * (2.0**attempt))
    # "Equal jitter": never less than half the exponential step, never more than the step.
    return ceiling / 2 + random.uniform(0, ceiling / 2)
