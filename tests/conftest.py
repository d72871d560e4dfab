"""Guards for every test (nothing beyond loopback, no developer's real key or host), and the
loopback MiMo emulator the suites share.

Exempt: tests marked ``live`` (they need MIMO_API_KEY and the real service), and every test
while ``python -m cassettes.record`` records (it sets MIMO_CASSETTES=record and may record
from the live service).
"""

from __future__ import annotations

import os
import socket
from typing import Any

import pytest

from mimo_client._config import _is_loopback
from mimo_client.testing import MiMoEmulator


def _exempt(request: pytest.FixtureRequest) -> bool:
    recording = os.environ.get("MIMO_CASSETTES") == "record"
    return recording or request.node.get_closest_marker("live") is not None


def _loopback(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode()
    # unix sockets and the like have no host; None asks for the local host
    return host is None or not isinstance(host, str) or _is_loopback(host)


@pytest.fixture(autouse=True)
def _loopback_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection or name lookup beyond 127.0.0.1."""
    if _exempt(request):
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else None
        if not _loopback(host):
            raise ConnectionRefusedError(f"test tried to reach {host!r}: tests stay on loopback")

    def connect(self: socket.socket, address: Any) -> None:
        _check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback(host):
            raise socket.gaierror(f"test tried to resolve {host!r}: tests stay on loopback")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def _no_ambient_config(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's real key or host must never reach (or be reached by) an offline test."""
    if _exempt(request):
        return
    monkeypatch.delenv("MIMO_API_KEY", raising=False)
    monkeypatch.delenv("MIMO_BASE_URL", raising=False)


@pytest.fixture
def emulator(mimo_emulator: MiMoEmulator) -> MiMoEmulator:
    """A running emulator for one test: the shipped ``mimo_emulator`` fixture users get.

    The pytest plugin ``mimo_client.testing.pytest_plugin`` is registered by the package's
    ``pytest11`` entry point, so the project's suites use the fixture its users use.
    """
    return mimo_emulator
