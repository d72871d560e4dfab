"""ClientPool: the core clients behind one framework model object, made on first use."""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AsyncMiMoClient, MiMoClient

__all__ = ["ClientPool"]


def _clients() -> Any:
    # Imported on first use: httpx (and the CLI packages it pulls in) costs ~50 ms, which
    # `import langchain_mimo` / `import llama_index_mimo` should not pay before a call.
    return importlib.import_module(".client", __package__)


def _key(settings: Mapping[str, Any]) -> tuple[Any, ...]:
    # Compared with ==, never shown: a SecretStr compares by value, other objects by identity.
    return tuple(
        (name, tuple(sorted(value.items())) if isinstance(value, Mapping) else value)
        for name, value in sorted(settings.items())
    )


class ClientPool:
    """One pooled sync client, and one async client per running event loop.

    An async client's connections belong to the loop that opened them, so a model reused
    across ``asyncio.run()`` calls gets a fresh client in each loop; clients of loops that
    have closed are dropped. Callers pass the client's keyword arguments on every call; when
    they change (a ``model_copy`` with another ``base_url``, a field set in place) the pool
    makes a new client. Secrets compare by value (pydantic's ``SecretStr`` does), a passed-in
    ``http_client`` by identity. Copies and pickles of the pool start empty. Both adapters
    keep one of these per model object.
    """

    __slots__ = ("_async", "_lock", "_settings", "_sync")

    def __init__(self) -> None:
        self._sync: tuple[Any, MiMoClient] | None = None
        self._async: dict[asyncio.AbstractEventLoop, tuple[Any, AsyncMiMoClient]] = {}
        self._lock = threading.Lock()

    def sync(self, **settings: Any) -> MiMoClient:
        """The sync client made from ``settings`` (``MiMoClient`` keyword arguments)."""
        key = _key(settings)
        held = self._sync
        if held is None or held[0] != key:
            with self._lock:
                held = self._sync
                if held is None or held[0] != key:
                    if held is not None:
                        held[1].close()
                    held = self._sync = (key, _clients().MiMoClient(**settings))
        return held[1]

    def for_running_loop(self, **settings: Any) -> AsyncMiMoClient:
        """The running loop's async client made from ``settings`` (``AsyncMiMoClient`` kwargs)."""
        key = _key(settings)
        loop = asyncio.get_running_loop()
        held = self._async.get(loop)
        if held is None or held[0] != key:
            # Forget the clients of closed loops: their connections cannot be used again.
            for old in [other for other in self._async if other.is_closed()]:
                del self._async[old]
            held = self._async[loop] = (key, _clients().AsyncMiMoClient(**settings))
        return held[1]

    @property
    def empty(self) -> bool:
        """Whether no client is held."""
        return self._sync is None and not self._async

    def close(self) -> None:
        """Close the sync client and forget every client (see :meth:`aclose` for async ones)."""
        with self._lock:
            if self._sync is not None:
                self._sync[1].close()
            self._sync = None
            self._async = {}

    async def aclose(self) -> None:
        """Close the running loop's async client and the sync client, and forget them all."""
        held = self._async.get(asyncio.get_running_loop())
        if held is not None:
            await held[1].aclose()
        self.close()

    def __copy__(self) -> ClientPool:
        return ClientPool()

    def __deepcopy__(self, memo: dict[int, Any]) -> ClientPool:
        return ClientPool()

    def __reduce__(self) -> tuple[type[ClientPool], tuple[()]]:
        return (ClientPool, ())
