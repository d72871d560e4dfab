"""Process bookkeeping for pooled connections: fork safety and closing at exit.

A process made by ``os.fork()`` (gunicorn ``--preload``, ``multiprocessing`` fork pools,
Celery prefork) inherits the parent's keep-alive sockets, and two processes reading one
socket get each other's replies. Clients and pools compare the process id they were made in
with :func:`current_pid` and start afresh in a child.
"""

from __future__ import annotations

import atexit
import os
import weakref
from typing import Any

__all__ = ["close_at_exit", "current_pid", "keep_inherited"]

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
