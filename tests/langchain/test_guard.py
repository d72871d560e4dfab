"""The conftest guard: offline tests cannot reach or resolve anything beyond loopback."""

from __future__ import annotations

import socket

import httpx
import pytest


def test_name_lookups_beyond_loopback_are_refused():
    with pytest.raises(socket.gaierror, match="loopback"):
        socket.getaddrinfo("api.xiaomimimo.com", 443)


def test_connections_beyond_loopback_are_refused():
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="loopback"):
        sock.connect(("203.0.113.7", 443))  # TEST-NET-3, never routed


def test_httpx_to_the_real_service_is_refused():
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://api.xiaomimimo.com/v1/models", timeout=2)


def test_loopback_still_works():
    assert socket.getaddrinfo("127.0.0.1", 80)
