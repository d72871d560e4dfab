"""A fast loopback MiMo stand-in for benchmarks, run in its own process.

``POST /s/{SLOT}/v1/chat/completions`` streams N reasoning deltas then N content deltas when
the body says ``"stream": true`` (chunked SSE, one HTTP chunk per event), or answers a small
completion JSON otherwise. N belongs to the slot: ``POST /control/{SLOT}/{N}`` sets it (a
numeric slot name is also its default N). Because the size sits in the base URL's slot, every
client, whatever its request shape, can be warmed up with a tiny stream and then measured on a
long one *with the same instance*. Bodies are built once per size and cached, so the server
spends almost no CPU per request.

Run: ``python -m benchmarks._server`` prints the port on stdout and serves until stdin closes.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from benchmarks import _payloads

_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
    b"cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n"
)


@lru_cache(maxsize=16)
def _stream_response(n_reasoning: int, n_content: int) -> bytes:
    events = _payloads.stream_events(n_reasoning, n_content)
    return _STREAM_HEAD + _payloads.chunked_body(events)


def _json_response(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


_COMPLETION = _json_response("200 OK", _payloads.completion_body())
_MODELS = _json_response(
    "200 OK", json.dumps({"object": "list", "data": [{"id": _payloads.MODEL}]}).encode()
)
_NOT_FOUND = _json_response(
    "404 Not Found", b'{"error":{"code":"404","message":"Not found","type":""}}'
)


_OK = _json_response("200 OK", b"{}")
_slots: dict[str, int] = {}


def _slot_size(slot: str) -> int:
    size = _slots.get(slot)
    if size is None:
        size = int(slot) if slot.isdigit() else 0
    return size


def respond(method: str, target: str, body: bytes) -> bytes:
    """The full HTTP response to one request."""
    parts = target.split("/")
    # ['', 's', SLOT, 'v1', 'chat', 'completions'] or ['', 'control', SLOT, N]
    if len(parts) >= 4 and parts[1] == "s" and parts[3] == "v1":
        tail = "/".join(parts[4:])
        if method == "POST" and tail == "chat/completions":
            if json.loads(body or b"{}").get("stream"):
                n = _slot_size(parts[2])
                return _stream_response(n, n)
            return _COMPLETION
        if method == "GET" and tail == "models":
            return _MODELS
    if len(parts) == 4 and parts[1] == "control" and method == "POST":
        _slots[parts[2]] = int(parts[3])
        return _OK
    return _NOT_FOUND


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection; requests carry a Content-Length body."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buf += data
        while self._transport is not None:
            end = self._buf.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = bytes(self._buf[:end]).decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            total = end + 4 + length
            if len(self._buf) < total:
                return
            body = bytes(self._buf[end + 4 : total])
            del self._buf[:total]
            self._transport.write(respond(method, target, body))

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None


async def _serve(host: str, port: int) -> None:
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_Connection, host, port, backlog=2048)
    bound = server.sockets[0].getsockname()[1]
    print(bound, flush=True)
    async with server:
        await server.serve_forever()


def _exit_when_stdin_closes() -> None:
    sys.stdin.read()
    import os

    os._exit(0)


def main() -> None:
    """Serve on 127.0.0.1 (port from argv[1], default: any free port)."""
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    asyncio.run(_serve("127.0.0.1", port))


class LoopbackServer:
    """Handle on a running server: base URLs per slot, and setting a slot's stream size."""

    def __init__(self, port: int) -> None:
        self.port = port

    def base_url(self, slot: str | int) -> str:
        """The OpenAI-style base URL (ending in /v1) of *slot*."""
        return base_url(self.port, slot)

    def set_size(self, slot: str, n: int) -> None:
        """Make *slot* stream n reasoning then n content deltas."""
        set_size(self.port, slot, n)


def base_url(port: int, slot: str | int) -> str:
    """The OpenAI-style base URL (ending in /v1) of *slot* on the server at *port*."""
    return f"http://127.0.0.1:{port}/s/{slot}/v1"


def set_size(port: int, slot: str, n: int) -> None:
    """Make *slot* stream n reasoning then n content deltas (a plain, untimed HTTP call)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", f"/control/{slot}/{n}", body=b"")
        resp = conn.getresponse()
        resp.read()
        if resp.status != 200:
            raise RuntimeError(f"control call failed: {resp.status}")
    finally:
        conn.close()


@contextmanager
def running_server() -> Iterator[LoopbackServer]:
    """Start the server in a child process for the duration of the block."""
    root = Path(__file__).resolve().parent.parent
    # Popen's context manager closes both pipes and waits: closing stdin asks the server to
    # stop, so it is closed first, and a server that does not stop in 5 s is killed.
    with subprocess.Popen(
        [sys.executable, "-m", "benchmarks._server"],
        cwd=root,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line.strip():
                raise RuntimeError("benchmark server did not start")
            yield LoopbackServer(int(line))
        finally:
            if proc.stdin is not None:
                proc.stdin.close()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    main()
