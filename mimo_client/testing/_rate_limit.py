"""The service's per-minute limits, as the emulator enforces them when asked.

``MiMoEmulator(requests_per_minute=..., tokens_per_minute=..., window_seconds=60)``: a chat
request that would make more than ``requests_per_minute`` requests, or arrives while the
answers of the window already hold ``tokens_per_minute`` tokens or more, gets the service's
429 (``{"error":{"code":"429","message":"Too many requests","type":"limitation"}}``, no
``Retry-After``). The window slides: it is the ``window_seconds`` before the request arrived.
Only requests the emulator answered count (a 429 or a 400 does not), and an answer's tokens
are its ``usage.total_tokens``. ``window_seconds`` below 60 time-scales a test: "100 a
minute" with ``window_seconds=1`` allows 100 a second.

This is written independently of :mod:`mimo_client.rate_limit` on purpose: it is the oracle
the client's limiter is tested against.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["EmulatedRateLimit"]


class _Admitted:
    __slots__ = ("at", "tokens")

    def __init__(self, at: float) -> None:
        self.at = at
        self.tokens = 0


class EmulatedRateLimit:
    """A sliding-window request and token limit; counts what it admitted and rejected.

    ``admitted_at``: ``time.time()`` of every admitted request (the clock of
    ``RecordedRequest.received_at``); ``rejected``: how many got 429.
    """

    def __init__(
        self,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        *,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        for name, value in (
            ("requests_per_minute", requests_per_minute),
            ("tokens_per_minute", tokens_per_minute),
        ):
            if value is not None and value < 1:
                raise ValueError(f"{name} must be 1 or more, or None, got {value}")
        if window_seconds <= 0:
            raise ValueError(f"window_seconds must be more than 0, got {window_seconds}")
        self.requests_per_minute = requests_per_minute
        self.tokens_per_minute = tokens_per_minute
        self.window_seconds = float(window_seconds)
        self.admitted_at: list[float] = []
        self.rejected = 0
        self._clock = clock
        self._log: deque[_Admitted] = deque()
        self._lock = threading.Lock()

    def admit(self) -> Callable[[Mapping[str, Any]], None] | None:
        """Admit a request now, or None (answer 429). The result records the answer's usage."""
        with self._lock:
            now = self._clock()
            log = self._log
            while log and log[0].at <= now - self.window_seconds:
                log.popleft()
            over = (
                self.requests_per_minute is not None and len(log) >= self.requests_per_minute
            ) or (
                self.tokens_per_minute is not None
                and sum(entry.tokens for entry in log) >= self.tokens_per_minute
            )
            if over:
                self.rejected += 1
                return None
            entry = _Admitted(now)
            log.append(entry)
            self.admitted_at.append(time.time())

        def charge(usage: Mapping[str, Any]) -> None:
            total = usage.get("total_tokens")
            if isinstance(total, int):
                entry.tokens = total

        return charge

    def reset(self) -> None:
        """Forget the window and the counts."""
        with self._lock:
            self._log.clear()
            self.admitted_at.clear()
            self.rejected = 0

    def __repr__(self) -> str:
        return (
            f"EmulatedRateLimit(requests_per_minute={self.requests_per_minute}, "
            f"tokens_per_minute={self.tokens_per_minute}, "
            f"window_seconds={self.window_seconds:g}, rejected={self.rejected})"
        )
