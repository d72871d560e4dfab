"""ClientPool: the core clients behind one framework model object, made on first use.

Also the process-id bookkeeping that makes pooled connections fork-safe: a process made by
``os.fork()`` (gunicorn ``--preload``, ``multiprocessing`` fork pools, Celery prefork)
inherits the parent's keep-alive sockets, and two processes reading one socket get each
other's replies. Pools and clients compare the process id they were made in with the
current one and start afresh in a child.
"""

from __future__ import annotations

import asyncio
import atexit
import importlib
import os
import threading
import weakref
from collections.abc import AsyncGenerator, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AsyncMiMoClient, MiMoClient

__all__ = ["ClientPool", "close_at_exit", "current_pid", "keep_inherited"]

_pid = os.getpid()


def _after_fork_in_child() -> None:
    global _pid
    _pid = os.getpid()
    _INHERITED.clear()  # the grandparent's objects, kept by the parent: not ours either


if hasattr(os, "register_at_fork"):  # POSIX; elsewhere there is no fork to guard against
    os.register_at_fork(after_in_child=_after_fork_in_child)

#: Objects inherited from the parent process that hold its connections. They are kept
#: referenced, never closed or collected here: an asyncio transport of the parent's loop
#: shares that loop's epoll and wake-up descriptors with the parent, and finalizing it in the
#: child could disturb the parent.
_INHERITED: list[object] = []


def current_pid() -> int:
    """The current process id (kept up to date across ``fork`` without a system call)."""
    return _pid


def keep_inherited(thing: object) -> None:
    """Keep an object inherited from the parent process alive and untouched (see above)."""
    _INHERITED.append(thing)


_OPEN: weakref.WeakSet[Any] = weakref.WeakSet()


def close_at_exit(client: object) -> None:
    """Close ``client`` (its ``close()``) at interpreter exit if it is still open then."""
    _OPEN.add(client)


@atexit.register
def _close_open_clients() -> None:
    # Sockets left to the interpreter's teardown raise ResourceWarnings; close them first.
    for client in list(_OPEN):
        client.close()


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
    it. The sync client is closed by :meth:`close`, or when it is collected. Callers
    pass the client's keyword arguments on every call; when they change (a ``model_copy``
    with another ``base_url``, a field set in place) the pool makes a new client. Secrets
    compare by value (pydantic's ``SecretStr`` does), a passed-in ``http_client`` by
    identity. Copies and pickles of the pool start empty, and so does the pool in a child
    made by ``os.fork()`` (the parent's connections are never used there). Both adapters keep
    one of these per model object.
    """

    __slots__ = ("_async", "_lock", "_pid", "_settings", "_sync")

    def __init__(self) -> None:
        self._sync: tuple[Any, MiMoClient] | None = None
        self._async: dict[
            asyncio.AbstractEventLoop,
            tuple[Any, AsyncMiMoClient, AsyncGenerator[None, None]],
        ] = {}
        self._lock = threading.Lock()
        self._pid = _pid

    def _check_process(self) -> None:
        if self._pid == _pid:
            return
        # A child of fork: the parent's clients (and perhaps its lock, held by a thread that
        # does not exist here) are not ours. Keep them untouched and start empty.
        keep_inherited((self._sync, self._async))
        self._sync = None
        self._async = {}
        self._lock = threading.Lock()
        self._pid = _pid

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
                    held = self._sync = (key, _clients().MiMoClient(**settings))
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
            client = _clients().AsyncMiMoClient(**settings)
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
        """Close the sync client and forget every client (see :meth:`aclose` for async ones).

        Async clients of running loops are closed by their loop soon after they are dropped.
        """
        self._check_process()
        with self._lock:
            if self._sync is not None:
                self._sync[1].close()
            self._sync = None
            self._async = {}

    async def aclose(self) -> None:
        """Close the running loop's async client and the sync client, and forget them all."""
        self._check_process()
        held = self._async.pop(asyncio.get_running_loop(), None)
        if held is not None:
            await held[2].aclose()  # runs the closer's `finally`: the client's aclose()
        self.close()

    def __copy__(self) -> ClientPool:
        return ClientPool()

    def __deepcopy__(self, memo: dict[int, Any]) -> ClientPool:
        return ClientPool()

    def __reduce__(self) -> tuple[type[ClientPool], tuple[()]]:
        return (ClientPool, ())
