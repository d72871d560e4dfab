"""Client-side rate limiting: hold an account's requests- and tokens-per-minute limits.

MiMo allows a number of requests and tokens per minute per account and model, and answers
429 ``limitation`` (no ``Retry-After``) past them. A client made with
``requests_per_minute=`` / ``tokens_per_minute=`` asks a :class:`RateLimiter` before each
request, so a batch runs at the limit instead of bursting into 429s.

How the limit is held: a **sliding-window log**, not a token bucket. Every request the
limiter lets through stays in the log for one window (60 s) plus a send margin (5% of it)
from the moment it was let through; a request goes only while the log holds fewer requests
than the limit and fewer tokens than the token limit, and requests are spread evenly over
the window (one every window / limit) rather than sent as one burst. A request that
reaches the service within the margin therefore never makes any 60-second window of the
service's clock hold more than the limit, however long its answer takes (a bucket would
allow a full minute's burst at once and then more); the margin costs 5% of the limit at
most. Tokens are estimated before sending (:func:`estimate_tokens`) and replaced by the
answer's ``usage.total_tokens`` once it arrives. Waiters queue in order (first come, first
served); a 429 holds everyone back until the log's oldest entry expires (the limiter's next
slot) instead of a blind backoff.

One limiter is shared by every client of a process with the same key, base URL and model
(:func:`shared_limiter`; the registry is keyed by a hash of the key, never the key). For
several processes (Ray workers, a process pool), host one :class:`SlidingWindow` where all
of them can reach it (a Ray actor: see ``examples/ray_batch.py``), wrap a proxy to it in a
:class:`RateLimiter`, and :func:`install_limiter` it in each process.

Time scale: ``window_seconds`` (default 60) is the length of the window the per-minute
numbers apply to. Tests and the emulator shrink it (e.g. ``window_seconds=1``: "100 requests
per minute" then means 100 per second) so that minutes of budget run in seconds; nothing
else changes.

Example:
    >>> from mimo_client import MiMoClient
    >>> client = MiMoClient(requests_per_minute=100)  # doctest: +SKIP
    >>> # or, to inspect or time-scale the process's limiter for a key/host/model:
    >>> limiter = shared_limiter(  # doctest: +SKIP
    ...     "sk-...", "https://api.xiaomimimo.com/v1", "mimo-v2.6-pro", requests_per_minute=100
    ... )

"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import logging
import math
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, Protocol

from ._secret import SecretLike

__all__ = [
    "DEFAULT_COMPLETION_ESTIMATE",
    "DEFAULT_WINDOW_SECONDS",
    "RateLimiter",
    "SlidingWindow",
    "Slot",
    "Window",
    "check_limits",
    "estimate_tokens",
    "install_limiter",
    "key_fingerprint",
    "shared_limiter",
    "tokens_used",
]

logger = logging.getLogger("mimo_client")

DEFAULT_WINDOW_SECONDS = 60.0
#: Completion tokens assumed for a request without ``max_completion_tokens`` until its
#: ``usage`` arrives (the real count then replaces it).
DEFAULT_COMPLETION_ESTIMATE = 1024
#: Bytes of request JSON per estimated prompt token: a CJK character is 3 UTF-8 bytes and
#: about one token, English about 4 characters a token, so 3 over-estimates rather than under.
_BYTES_PER_TOKEN = 3


def estimate_tokens(request: Mapping[str, Any], size: int) -> int:
    """A generous guess of a request's tokens: ``size`` (JSON bytes) / 3 plus its output budget."""
    completion = request.get("max_completion_tokens") or request.get("max_tokens")
    budget = completion if isinstance(completion, int) else DEFAULT_COMPLETION_ESTIMATE
    return math.ceil(size / _BYTES_PER_TOKEN) + max(0, budget)


def tokens_used(completion: Mapping[str, Any] | None) -> int | None:
    """``usage.total_tokens`` (or prompt + completion) of an answer, None when it has none."""
    usage = completion.get("usage") if completion else None
    if not isinstance(usage, Mapping):
        return None
    total = usage.get("total_tokens")
    if isinstance(total, int):
        return total
    prompt, answer = usage.get("prompt_tokens"), usage.get("completion_tokens")
    if isinstance(prompt, int) and isinstance(answer, int):
        return prompt + answer
    return None


class Slot:
    """One request's place in a limiter; the caller records how the request went.

    Set :attr:`tokens` (the answer's total) or call :meth:`record`; a 429 marks it
    :attr:`rejected`. Unrecorded, the estimate stands.
    """

    __slots__ = ("rejected", "tokens")

    def __init__(self) -> None:
        self.tokens: int | None = None
        self.rejected = False

    def record(self, outcome: Mapping[str, Any] | BaseException) -> None:
        """Note a completion's usage, or that the service answered 429."""
        if isinstance(outcome, BaseException):
            self.rejected = getattr(outcome, "status", None) == 429
            self.tokens = 0 if self.rejected else None
        else:
            self.tokens = tokens_used(outcome)


def check_limits(requests_per_minute: int | None, tokens_per_minute: int | None) -> None:
    """Raise ``ValueError`` unless each limit is a positive integer or None."""
    for name, value in (
        ("requests_per_minute", requests_per_minute),
        ("tokens_per_minute", tokens_per_minute),
    ):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise ValueError(
                f"{name} must be a positive whole number (the account's limit per minute) "
                f"or None for no limit, got {value!r}"
            )


class Window(Protocol):
    """What a :class:`RateLimiter` asks: a local :class:`SlidingWindow` or a proxy to one."""

    def request(self, tokens: int, ticket: int | None) -> tuple[int | None, int | None, float]:
        """``(permit, None, 0)`` when granted, else ``(None, ticket, seconds to wait)``."""
        ...

    def settle(self, permit: int, tokens: int | None, rejected: bool) -> None:
        """The request of ``permit`` was answered; ``tokens`` it used (None: keep the guess)."""
        ...

    def cancel(self, ticket: int) -> None:
        """Leave the queue (the waiter gave up)."""
        ...


class SlidingWindow:
    """The sliding-window log behind a :class:`RateLimiter` (thread-safe, never blocks).

    ``requests_per_window`` / ``tokens_per_window``: the limits (None: that one is off);
    ``window_seconds``: the window (60 by default; smaller only to time-scale tests);
    ``send_margin``: how long after being let through a request may reach the service, as a
    share of the window (0.05: 3 s of 60); ``clock``: seconds, monotonic (injectable for
    tests). An entry stays in the log for ``window_seconds * (1 + send_margin)``, so a
    request that reaches the service within the margin never makes a window of the
    service's clock hold more than the limit; one that takes longer may meet a 429, which
    then holds everyone back until the log's oldest entry leaves (the next slot).

    Callers queue: only the first in line is let through, the others are told when their
    turn should come. A queued ticket not asked about again within a window after its turn
    was due is dropped (its holder is gone), so a crashed waiter cannot stall the queue.
    """

    def __init__(
        self,
        requests_per_window: int | None = None,
        tokens_per_window: int | None = None,
        *,
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
        send_margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if window_seconds <= 0:
            raise ValueError(f"window_seconds must be more than 0, got {window_seconds}")
        if not 0 <= send_margin < 1:
            raise ValueError(f"send_margin is a share of the window (0 to 1), got {send_margin}")
        self.window_seconds = float(window_seconds)
        self.requests_per_window: int | None = None
        self.tokens_per_window: int | None = None
        self.set_limits(requests_per_window, tokens_per_window)
        self._hold = self.window_seconds * (1 + send_margin)
        self._clock = clock
        self._lock = threading.Lock()
        self._log: deque[list[float]] = deque()  # [expires at, tokens, permit], in order
        self._entries: dict[int, list[float]] = {}  # permit -> its entry
        self._tokens = 0.0
        self._queue: OrderedDict[int, float] = OrderedDict()  # ticket -> stale after
        self._ids = itertools.count(1)
        self._blocked_until = 0.0
        self._next_at = 0.0  # the paced time of the next request

    def set_limits(self, requests_per_window: int | None, tokens_per_window: int | None) -> None:
        """Change the limits (each a positive int, or None for no limit)."""
        check_limits(requests_per_window, tokens_per_window)
        self.requests_per_window = requests_per_window
        self.tokens_per_window = tokens_per_window

    # --- the Window protocol ------------------------------------------------------------

    def request(
        self, tokens: int, ticket: int | None = None
    ) -> tuple[int | None, int | None, float]:
        """Ask to send a request of ``tokens`` (estimated); see :class:`Window`."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            if ticket is None or ticket not in self._queue:
                ticket = next(self._ids)
                self._queue[ticket] = math.inf
            position = 0
            for queued in self._queue:
                if queued == ticket:
                    break
                position += 1
            if position == 0 and now >= self._blocked_until and self._fits(tokens):
                del self._queue[ticket]
                permit = next(self._ids)
                entry = [now + self._hold, float(tokens), float(permit)]
                self._log.append(entry)
                self._entries[permit] = entry
                self._tokens += tokens
                # Keep to the schedule: a grant a little late does not push the later ones back.
                interval = self._interval()
                self._next_at = max(self._next_at, now - interval) + interval
                return permit, None, 0.0
            wait = self._turn_in(position, tokens, now)
            self._queue[ticket] = now + wait + self.window_seconds
            return None, ticket, wait

    def settle(self, permit: int, tokens: int | None, rejected: bool = False) -> None:
        """The answer came: its ``tokens`` replace the estimate; a 429 holds everyone back."""
        with self._lock:
            now = self._clock()
            entry = self._entries.pop(permit, None)
            if entry is not None and tokens is not None:
                self._tokens += max(0, tokens) - entry[1]
                entry[1] = float(max(0, tokens))
            if rejected:
                # The service's window is full: nobody goes before our oldest entry leaves ours.
                self._expire(now)
                spacing = self.window_seconds / (self.requests_per_window or 60)
                next_slot = self._log[0][0] if self._log else now + spacing
                self._blocked_until = max(self._blocked_until, next_slot)

    def cancel(self, ticket: int) -> None:
        """Leave the queue."""
        with self._lock:
            self._queue.pop(ticket, None)

    # --- inspection ---------------------------------------------------------------------

    def usage(self) -> tuple[int, int]:
        """(requests, tokens) the log holds now."""
        with self._lock:
            self._expire(self._clock())
            return len(self._log), round(self._tokens)

    # --- internals ----------------------------------------------------------------------

    def _expire(self, now: float) -> None:
        log = self._log
        while log and log[0][0] <= now:
            expired = log.popleft()
            self._tokens -= expired[1]
            self._entries.pop(int(expired[2]), None)
        if not log:
            self._tokens = 0.0  # no float drift survives an empty log
        stale = [ticket for ticket, after in self._queue.items() if after < now]
        for ticket in stale:
            del self._queue[ticket]

    def _interval(self) -> float:
        return self._hold / self.requests_per_window if self.requests_per_window else 0.0

    def _fits(self, tokens: int) -> bool:
        if self.requests_per_window is not None and len(self._log) >= self.requests_per_window:
            return False
        # Paced a little early is fine (a late waker keeps the pace); the log holds the limit.
        if self._clock() + self._interval() / 2 < self._next_at:
            return False
        if self.tokens_per_window is None:
            return True
        # A request bigger than the whole budget goes alone, once the log is empty.
        return self._tokens + tokens <= self.tokens_per_window or not self._log

    def _turn_in(self, position: int, tokens: int, now: float) -> float:
        """Seconds until the caller at ``position`` in line can expect a slot (a hint)."""
        waits = [self._blocked_until - now, self._next_at + position * self._interval() - now]
        log = self._log
        spacing = self._hold / (self.requests_per_window or 100)
        if self.requests_per_window is not None:
            index = min(len(log) + position - self.requests_per_window, len(log) - 1)
            if index >= 0:
                waits.append(log[index][0] - now)
        if self.tokens_per_window is not None and log:
            excess = self._tokens + tokens - self.tokens_per_window
            due = 0.0
            for expires, spent, _ in log:
                if excess <= 0:
                    break
                excess -= spent
                due = expires - now
            waits.append(due + position * spacing)
        # A little past the expiry: the head asks again when its slot is surely free.
        return max(max(waits), 0.0) + self.window_seconds * 1e-4


class RateLimiter:
    """Waits for a slot in a :class:`Window` (sync or async) and reports how it went.

    ``RateLimiter(SlidingWindow(100, window_seconds=60))``, or built by
    :func:`shared_limiter`. :meth:`acquire` blocks the thread; :meth:`aacquire` sleeps with
    ``asyncio`` so the event loop keeps running. Each returns a permit to pass to
    :meth:`settle` with the answer's tokens once it arrived.
    """

    def __init__(self, window: Window) -> None:
        self.window = window

    def acquire(self, tokens: int) -> int:
        """Block until a request of ``tokens`` may go; returns its permit."""
        ticket: int | None = None
        try:
            while True:
                permit, ticket, wait = self.window.request(tokens, ticket)
                if permit is not None:
                    ticket = None
                    return permit
                time.sleep(wait)
        finally:
            if ticket is not None:
                self.window.cancel(ticket)

    async def aacquire(self, tokens: int) -> int:
        """Wait (without blocking the loop) until a request of ``tokens`` may go."""
        ticket: int | None = None
        try:
            while True:
                permit, ticket, wait = self.window.request(tokens, ticket)
                if permit is not None:
                    ticket = None
                    return permit
                await asyncio.sleep(wait)
        finally:
            if ticket is not None:
                self.window.cancel(ticket)

    def settle(self, permit: int, tokens: int | None, *, rejected: bool = False) -> None:
        """The request was answered: ``tokens`` used (None: unknown), ``rejected`` if 429."""
        self.window.settle(permit, tokens, rejected)

    @contextlib.contextmanager
    def slot(self, tokens: int) -> Iterator[Slot]:
        """Wait for a slot (blocking), hold it for the ``with`` block, then settle it."""
        permit = self.acquire(tokens)
        slot = Slot()
        try:
            yield slot
        except BaseException as exc:
            slot.record(exc)
            raise
        finally:
            self.settle(permit, slot.tokens, rejected=slot.rejected)

    @contextlib.asynccontextmanager
    async def aslot(self, tokens: int) -> AsyncIterator[Slot]:
        """The async :meth:`slot`: waits without blocking the event loop."""
        permit = await self.aacquire(tokens)
        slot = Slot()
        try:
            yield slot
        except BaseException as exc:
            slot.record(exc)
            raise
        finally:
            self.settle(permit, slot.tokens, rejected=slot.rejected)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({type(self.window).__name__})"


# --- the process's registry -----------------------------------------------------------------

_registry: dict[tuple[str, str, str], RateLimiter] = {}
_installed: set[tuple[str, str, str]] = set()
_registry_lock = threading.Lock()


def key_fingerprint(api_key: str | SecretLike) -> str:
    """A short hash naming a key in the registry (the key itself is never stored)."""
    value = api_key.get_secret_value() if isinstance(api_key, SecretLike) else api_key
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def shared_limiter(
    api_key: str | SecretLike,
    base_url: str,
    model: str,
    *,
    requests_per_minute: int | None = None,
    tokens_per_minute: int | None = None,
    window_seconds: float | None = None,
) -> RateLimiter:
    """The process's limiter for this key, base URL and model (made on first call).

    A later call with other limits changes them (the latest setting wins); ``window_seconds``
    is set when the limiter is made (60 unless given) and changed only when given again.
    A limiter put in place by :func:`install_limiter` is returned as it is.
    """
    name = (key_fingerprint(api_key), base_url.rstrip("/"), model)
    with _registry_lock:
        limiter = _registry.get(name)
        if name in _installed and limiter is not None:
            return limiter
        window = limiter.window if limiter is not None else None
        if not isinstance(window, SlidingWindow) or (
            window_seconds is not None and window.window_seconds != window_seconds
        ):
            window = SlidingWindow(
                window_seconds=window_seconds if window_seconds else DEFAULT_WINDOW_SECONDS
            )
            limiter = _registry[name] = RateLimiter(window)
        assert limiter is not None
        if (window.requests_per_window, window.tokens_per_window) != (
            requests_per_minute,
            tokens_per_minute,
        ):
            window.set_limits(requests_per_minute, tokens_per_minute)
            logger.info(
                "rate limit for %s at %s: %s requests, %s tokens per %gs",
                model,
                name[1],
                requests_per_minute,
                tokens_per_minute,
                window.window_seconds,
            )
        return limiter


def install_limiter(
    limiter: RateLimiter, api_key: str | SecretLike, base_url: str, model: str
) -> None:
    """Make ``limiter`` this process's limiter for the key, base URL and model.

    Use it for a limiter shared with other processes (a proxy to a Ray actor); clients with
    ``requests_per_minute``/``tokens_per_minute`` set then use it, whatever numbers they give.
    """
    name = (key_fingerprint(api_key), base_url.rstrip("/"), model)
    with _registry_lock:
        _registry[name] = limiter
        _installed.add(name)


def _forget_after_fork() -> None:
    # A child starts with the parent's log but not its traffic, and perhaps a lock held by a
    # parent thread: it starts afresh (limits across processes need a shared window).
    global _registry_lock
    _registry.clear()
    _installed.clear()
    _registry_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
