"""ClientPool: the core clients behind one framework model object, made on first use."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Mapping
from typing import Any

from ._process import current_pid, keep_inherited
from .client import AsyncMiMoClient, MiMoClient

__all__ = ["ClientPool"]


def _key(settings: Mapping[str, Any]) -> tuple[Any, ...]:
    # Compared with ==, never shown: a SecretStr compares by value, other objects by identity.
    return tuple(
        (name, tuple(sorted(value.items())) if isinstance(value, Mapping) else value)
        for name, value in sorted(settings.items())
    )


async def _closed_with_loop(client: AsyncMiMoClient) -> AsyncGenerator[None, None]:
    # An async generator started on a loop is closed by that loop: by asyncio.run()'s
    # shutdown_asyncgens() before the loop closes, or soon after the generator is dropped.
    # Its `finally` then closes the client on its own loop, where its sockets can be closed.
    try:
        yield
    finally:
        await client.aclose()


def _start(closer: AsyncGenerator[None, None]) -> None:
    # Run the generator to its `yield` now, from sync code: there is no await before it, so
    # the first step finishes at once (StopIteration), and the running loop's asyncgen hooks
    # have registered it.
    step = closer.__anext__()
    try:
        step.send(None)
    except StopIteration:
        pass
    else:  # pragma: no cover - the generator has no await before its yield
        raise RuntimeError("the client closer did not stop at its yield")


class ClientPool:
    """One pooled sync client, and one async client per running event loop.

    An async client's connections belong to the loop that opened them, so a model reused
    across ``asyncio.run()`` calls gets a fresh client in each loop; a loop's client is closed
    on that loop when it shuts down (``asyncio.run()``), or when the pool replaces or drops
    it. The sync client is closed by :meth:`close`, or when it is collected; :meth:`aclose`
    closes both. Callers
    pass the client's keyword arguments on every call; when they change (a ``model_copy``
    with another ``base_url``, a field set in place) the pool makes a new client. Secrets
    compare by value (pydantic's ``SecretStr`` does), a passed-in ``http_client`` by
    identity. Copies and pickles of the pool start empty, and so does the pool in a child
    made by ``os.fork()`` (the parent's connections are never used there). Both adapters keep
    one of these per model object.
    """

    __slots__ = ("_async", "_lock", "_pid", "_sync")

    def __init__(self) -> None:
        self._sync: tuple[Any, MiMoClient] | None = None
        self._async: dict[
            asyncio.AbstractEventLoop,
            tuple[Any, AsyncMiMoClient, AsyncGenerator[None, None]],
        ] = {}
        self._lock = threading.Lock()
        self._pid = current_pid()

    def _check_process(self) -> None:
        if self._pid == current_pid():
            return
        # A child of fork: the parent's clients (and perhaps its lock, held by a thread that
        # does not exist here) are not ours. Keep them untouched and start empty.
        keep_inherited((self._sync, self._async))
        self._sync = None
        self._async = {}
        self._lock = threading.Lock()
        self._pid = current_pid()

    def sync(self, **settings: Any) -> MiMoClient:
        """The sync client made from ``settings`` (``MiMoClient`` keyword arguments)."""
        self._check_process()
        key = _key(settings)
        held = self._sync
        if held is None or held[0] != key:
            with self._lock:
                held = self._sync
                if held is None or held[0] != key:
                    if held is not None:
                        held[1].close()
                    held = self._sync = (key, MiMoClient(**settings))
        return held[1]

    def for_running_loop(self, **settings: Any) -> AsyncMiMoClient:
        """The running loop's async client made from ``settings`` (``AsyncMiMoClient`` kwargs)."""
        self._check_process()
        key = _key(settings)
        loop = asyncio.get_running_loop()
        held = self._async.get(loop)
        if held is None or held[0] != key:
            # Forget the clients of closed loops (each was closed by its loop's shutdown, or
            # could not be: a loop closed without shutdown_asyncgens() leaves them to the GC).
            for old in [other for other in self._async if other.is_closed()]:
                del self._async[old]
            client = AsyncMiMoClient(**settings)
            closer = _closed_with_loop(client)
            _start(closer)
            # The client keeps its closer: a stream still reading a client that the pool
            # replaced or dropped holds the client, so it is closed only once unused.
            client.loop_closer = closer
            held = self._async[loop] = (key, client, closer)
        return held[1]

    @property
    def empty(self) -> bool:
        """Whether no client is held."""
        return self._sync is None and not self._async

    def close(self) -> None:
        """Close the sync client (a later call makes a new one).

        The async clients are kept: each belongs to its event loop, where only :meth:`aclose`
        (or the loop's shutdown) can close it, so a sync ``close()`` must not lose them.
        """
        self._check_process()
        with self._lock:
            if self._sync is not None:
                self._sync[1].close()
            self._sync = None

    async def aclose(self) -> None:
        """Close the running loop's async client and the sync client, and forget them all.

        Other loops' clients are dropped; each is closed by its own loop soon after.
        """
        self._check_process()
        held = self._async.pop(asyncio.get_running_loop(), None)
        if held is not None:
            await held[2].aclose()  # runs the closer's `finally`: the client's aclose()
        self._async = {}
        self.close()

    def __copy__(self) -> ClientPool:
        return ClientPool()

    def __deepcopy__(self, memo: dict[int, Any]) -> ClientPool:
        return ClientPool()

    def __reduce__(self) -> tuple[type[ClientPool], tuple[()]]:
        return (ClientPool, ())
