"""The loopback guard of tests/conftest.py holds: an offline test cannot reach a remote host."""

import socket

import pytest


def test_the_guard_refuses_a_remote_host() -> None:
    with pytest.raises(OSError, match="loopback"):
        socket.create_connection(("example.com", 443), timeout=1)
    with socket.socket() as sock, pytest.raises(OSError, match="loopback"):
        sock.connect(("93.184.216.34", 443))
