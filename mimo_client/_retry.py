"""The whole retry policy: which failures are retried, and how long to wait before the next try.

:class:`RetryPolicy` is what both clients and their streams ask after a failed attempt: it
returns the seconds to wait, or raises the error when it is final (not retryable, retries
spent, or the call's total-time deadline would pass first).
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from .errors import APIConnectionError, APITimeoutError, MiMoError, StreamInterruptedError

if TYPE_CHECKING:
    from ._deadline import Deadline

__all__ = [
    "RETRYABLE_STATUS",
    "RetryPolicy",
    "backoff_delay",
    "parse_retry_after",
    "retry_delay",
]

logger = logging.getLogger("mimo_client")

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


def retry_delay(
    error: MiMoError, attempt: int, max_retries: int, base_delay: float = BASE_DELAY
) -> float | None:
    """Seconds to wait before retrying after ``error``, or None if it must be raised.

    Timeouts, connection errors and :data:`RETRYABLE_STATUS` are retried; a stream cut
    short only when nothing had reached the caller yet (``before_first_event``).
    """
    if attempt >= max_retries:
        return None
    retryable = isinstance(error, APITimeoutError | APIConnectionError) or (
        error.status in RETRYABLE_STATUS
    )
    if isinstance(error, StreamInterruptedError):
        retryable = error.before_first_event
    if not retryable:
        return None
    retry_after = parse_retry_after(error.headers) if error.headers else None
    return backoff_delay(attempt, retry_after, base_delay)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """A client's retry settings, asked after each failed attempt of one call or stream.

    ``rate_limited`` is set when the client has a rate limiter: a 429 without Retry-After is
    then retried at once, because the retry waits in the limiter's queue for its next slot.
    """

    max_retries: int
    base_delay: float = BASE_DELAY
    rate_limited: bool = False

    def delay(self, error: MiMoError, attempt: int, deadline: Deadline) -> float:
        """Seconds to wait before retry ``attempt + 1``; raises ``error`` if it is final.

        Final too: a retry that could not start before the deadline (the deadline's own
        timeout error is raised when it has already passed).
        """
        if deadline.expired():
            raise deadline.error(error.partial)
        delay = retry_delay(error, attempt, self.max_retries, self.base_delay)
        if delay is None or delay >= deadline.left():
            raise error
        if error.status == 429 and self.rate_limited and not parse_retry_after(error.headers):
            delay = 0.0
        logger.info("retrying in %.2fs after %s", delay, type(error).__name__)
        return delay

    def before_first_event(self, error: MiMoError, attempt: int, deadline: Deadline) -> float:
        """:meth:`delay` for a stream that failed before its first event reached the caller.

        Nothing was delivered, so a stream cut short here is retried like a connection error.
        """
        if isinstance(error, StreamInterruptedError):
            error.before_first_event = True
        return self.delay(error, attempt, deadline)
