"""Fixtures for the ChatMiMo tests: a loopback MiMo emulator, and a guard that keeps every
test (except the ones marked ``live``) on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator

_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def _is_loopback(host: Any) -> bool:
    if not isinstance(host, str):
        return True  # unix sockets and the like
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _loopback_only(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection or name lookup beyond 127.0.0.1 (live tests excepted)."""
    if request.node.get_closest_marker("live"):
        return
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def _check(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not _is_loopback(host):
            raise ConnectionRefusedError(f"test tried to reach {host!r}: tests stay on loopback")

    def connect(self: socket.socket, address: Any) -> None:
        _check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        _check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(host, bytes):
            host = host.decode()
        if host is not None and not _is_loopback(host):
            raise socket.gaierror(f"test tried to resolve {host!r}: tests stay on loopback")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def _no_ambient_config(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's real key or host must never leak into (or be reached by) an offline test.
    if request.node.get_closest_marker("live"):
        return
    monkeypatch.delenv("MIMO_API_KEY", raising=False)
    monkeypatch.delenv("MIMO_BASE_URL", raising=False)


@pytest.fixture
def emulator() -> Iterator[MiMoEmulator]:
    """A running emulator for one test."""
    with MiMoEmulator() as emu:
        yield emu


@pytest.fixture
def model(emulator: MiMoEmulator) -> ChatMiMo:
    """A ChatMiMo (mimo-v2.5-pro, thinking on by default) pointed at the emulator."""
    return ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)


# Standard integration tests whose assertions need a model's judgement: the emulator answers by
# fixed rules (it calls the first tool with schema-derived arguments, answers JSON mode with
# {"answer": ...}), so these run only against the real service (TestChatMiMoLive).
_NEEDS_JUDGEMENT = {
    "test_tool_calling": "expects magic_function called with {'input': 3} for 'magic_function(3)'",
    "test_tool_calling_async": "expects magic_function called with {'input': 3}",
    "test_unicode_tool_call_integration": "expects the customer name from the prompt in the args",
    "test_json_mode": "expects the JSON keys the prompt asks for, given no schema",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect ``live`` tests when MIMO_API_KEY is not set; skip, on the emulator, the
    standard tests that need a real model's judgement."""
    here = str(Path(__file__).parent)
    if not os.environ.get("MIMO_API_KEY"):
        live = [i for i in items if i.get_closest_marker("live") and str(i.path).startswith(here)]
        if live:
            config.hook.pytest_deselected(items=live)
            items[:] = [i for i in items if i not in live]
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is None or not cls.__name__.startswith("TestChatMiMoEmulator"):
            continue
        name = getattr(item, "originalname", item.name)
        reason = _NEEDS_JUDGEMENT.get(name)
        if reason:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"needs a model's judgement ({reason}); runs in TestChatMiMoLive "
                    "with MIMO_API_KEY"
                )
            )


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    """VCR settings for the standard suite's test_stream_time (cassettes recorded from the
    emulator, so replay needs no service; the emulator's port changes, so match on path)."""
    return {
        "record_mode": "once",
        "filter_headers": [("authorization", "PLACEHOLDER"), ("api-key", "PLACEHOLDER")],
        "match_on": ["method", "path", "body"],
        "allow_playback_repeats": True,
        "decode_compressed_response": True,
        "cassette_library_dir": str(Path(__file__).parent / "cassettes"),
        "path_transformer": lambda path: path if path.endswith(".yaml") else path + ".yaml",
    }
