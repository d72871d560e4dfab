"""Deadline: the ``total_timeout`` of one call (all its attempts) or of one whole stream.

httpx's timeouts apply to each socket operation, so a server that sends a byte now and then,
or a stream that never ends, would hold a call forever. A :class:`Deadline` bounds the call:

- each attempt's httpx timeouts are capped at the time left when it starts;
- the deadline is checked between reads, so a byte trickle stops on time;
- a read that blocks past the deadline is cut: :class:`SocketAlarm` shuts the response's
  socket down at the deadline (from a timer thread in sync code, a loop callback in async
  code), which wakes a blocked read; before the head arrives, async code cancels the wait.

One gap: in sync code the socket is reachable only once the head has arrived, so a server
that trickles its status line and headers byte by byte is bounded by the per-read timeout
alone (each read is capped at the time left when the attempt began); trickled bodies,
endless streams and silent servers are all cut at the deadline.

Bodies read only to be quoted in an error are read up to :data:`MAX_ERROR_BODY` bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import Any, TypeVar

import httpx

from .errors import APITimeoutError
from .types import AssistantTurn

__all__ = ["MAX_ERROR_BODY", "Deadline", "SocketAlarm", "aread_capped", "read_capped"]

#: Bytes of an error body (or of a 2xx body that is not an event stream) read to quote it.
MAX_ERROR_BODY = 64 * 1024

T = TypeVar("T")


class Deadline:
    """A point in time (``time.monotonic``) by which a call must have finished."""

    __slots__ = ("at", "total")

    def __init__(self, total: float) -> None:
        self.total = total
        self.at = time.monotonic() + total if math.isfinite(total) else math.inf

    def left(self) -> float:
        """Seconds left (negative once passed)."""
        return self.at - time.monotonic()

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return time.monotonic() >= self.at

    def timeout(self, base: httpx.Timeout) -> httpx.Timeout:
        """``base`` with every phase capped at the time left (at least a millisecond)."""
        left = max(self.left(), 0.001)
        if math.isinf(left):
            return base

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(base.connect),
            read=cap(base.read),
            write=cap(base.write),
            pool=cap(base.pool),
        )

    def error(self, partial: AssistantTurn | None = None) -> APITimeoutError:
        """The error for a call that ran out of time (with the partial turn of a stream)."""
        what = "the stream" if partial is not None else "the call"
        error = APITimeoutError(
            f"{what} took longer than total_timeout={self.total:g}s (raise total_timeout= "
            "for longer calls; timeout= bounds each read)"
            + ("; the partial turn is on .partial" if partial is not None else "")
        )
        error.partial = partial
        return error

    def check(self, partial: AssistantTurn | None = None) -> None:
        """Raise :meth:`error` if the deadline has passed."""
        if time.monotonic() >= self.at:
            raise self.error(partial)

    async def run(self, awaitable: Awaitable[T]) -> T:
        """Await ``awaitable``, cancelled at the deadline (``TimeoutError``)."""
        if math.isinf(self.at):
            return await awaitable
        if sys.version_info >= (3, 11):
            loop_now = asyncio.get_running_loop().time()
            async with asyncio.timeout_at(loop_now + self.left()):
                return await awaitable
        return await asyncio.wait_for(awaitable, max(self.left(), 0.0))  # pragma: no cover


class SocketAlarm:
    """Shuts a response's socket down at the deadline, to wake a read blocked on it.

    Sync code arms a timer thread; async code (``loop`` given) a callback on its loop, which
    costs one timer per stream rather than a timeout per read. Only the socket of that one
    response is touched; the connection is then dropped from the pool as broken.
    :meth:`cancel` before the response is released.
    """

    __slots__ = ("_handle", "_lock", "_socket", "_timer")

    def __init__(
        self,
        response: httpx.Response,
        deadline: Deadline,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._timer: threading.Timer | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._socket: Any = None  # a socket, or asyncio's TransportSocket around one
        self._lock = threading.Lock()
        stream = response.extensions.get("network_stream")
        sock = stream.get_extra_info("socket") if stream is not None else None
        if not hasattr(sock, "shutdown") or not math.isfinite(deadline.at):
            return
        self._socket = sock
        if loop is not None:
            self._handle = loop.call_later(max(deadline.left(), 0.0), self._fire)
        else:
            self._timer = threading.Timer(max(deadline.left(), 0.0), self._fire)
            self._timer.daemon = True
            self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            if self._socket is not None:
                with contextlib.suppress(OSError):
                    self._socket.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        """Disarm the alarm (call before the connection goes back to the pool)."""
        with self._lock:
            self._socket = None
        if self._timer is not None:
            self._timer.cancel()
        if self._handle is not None:
            self._handle.cancel()


def read_capped(response: httpx.Response, deadline: Deadline, limit: int = MAX_ERROR_BODY) -> bytes:
    """Up to ``limit`` bytes of a body, read before the deadline (b"" if the read fails)."""
    parts: list[bytes] = []
    size = 0
    chunks: Iterator[bytes] = response.iter_bytes()
    try:
        for part in chunks:
            parts.append(part)
            size += len(part)
            if size >= limit or deadline.expired():
                break
    except httpx.HTTPError:
        pass
    finally:
        response.close()
    return b"".join(parts)[:limit]


async def aread_capped(
    response: httpx.Response, deadline: Deadline, limit: int = MAX_ERROR_BODY
) -> bytes:
    """The async twin of :func:`read_capped`."""
    parts: list[bytes] = []
    size = 0
    chunks: AsyncIterator[bytes] = response.aiter_bytes()
    try:
        while size < limit:
            part = await deadline.run(anext(chunks, b""))
            if not part:
                break
            parts.append(part)
            size += len(part)
    except (httpx.HTTPError, asyncio.TimeoutError):
        pass
    finally:
        await response.aclose()
    return b"".join(parts)[:limit]
