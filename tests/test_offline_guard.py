"""The loopback guard of tests/conftest.py holds: an offline test cannot reach a remote host."""

import socket

import httpx
import pytest


def test_the_guard_refuses_a_remote_host() -> None:
    with pytest.raises(OSError, match="loopback"):
        socket.create_connection(("example.com", 443), timeout=1)
    with socket.socket() as sock, pytest.raises(OSError, match="loopback"):
        sock.connect(("93.184.216.34", 443))


def test_httpx_to_the_real_service_is_refused() -> None:
    with pytest.raises(httpx.ConnectError, match="loopback"):
        httpx.get("https://api.xiaomimimo.com/v1/models", timeout=2)


def test_loopback_still_resolves() -> None:
    assert socket.getaddrinfo("127.0.0.1", 80)
