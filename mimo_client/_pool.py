"""ClientPool: the core clients behind one framework model object, made on first use."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from .client import AsyncMiMoClient, MiMoClient

__all__ = ["ClientPool"]


class ClientPool:
    """One pooled sync client, and one async client per running event loop.

    An async client's connections belong to the loop that opened them, so a model reused
    across ``asyncio.run()`` calls gets a fresh client in each loop (dropped with the loop).
    Copies and pickles of the pool start empty: connections and locks are never shared that
    way. Both adapters keep one of these per model object.
    """

    __slots__ = ("__weakref__", "_async", "_lock", "_sync")

    def __init__(self) -> None:
        self._sync: MiMoClient | None = None
        self._async: WeakKeyDictionary[asyncio.AbstractEventLoop, AsyncMiMoClient] = (
            WeakKeyDictionary()
        )
        self._lock = threading.Lock()

    def sync(self, make: Callable[[], MiMoClient]) -> MiMoClient:
        """The sync client, made by ``make`` on first use (thread-safe)."""
        client = self._sync
        if client is None:
            with self._lock:
                client = self._sync
                if client is None:
                    client = self._sync = make()
        return client

    def for_running_loop(self, make: Callable[[], AsyncMiMoClient]) -> AsyncMiMoClient:
        """The async client of the running event loop, made by ``make`` on first use."""
        loop = asyncio.get_running_loop()
        client = self._async.get(loop)
        if client is None:
            client = self._async[loop] = make()
        return client

    @property
    def empty(self) -> bool:
        """Whether no client has been made yet."""
        return self._sync is None and not self._async

    def close(self) -> None:
        """Close the sync client and forget every client (async ones close with their loop)."""
        with self._lock:
            if self._sync is not None:
                self._sync.close()
            self._sync = None
            self._async = WeakKeyDictionary()

    def __deepcopy__(self, memo: dict[int, Any]) -> ClientPool:
        return ClientPool()

    def __reduce__(self) -> tuple[type[ClientPool], tuple[()]]:
        return (ClientPool, ())
