"""The emulator alone holds 1,000 concurrent streaming connections and streams fast."""

from __future__ import annotations

import asyncio
import json
import time

from mimo_client.testing import MiMoEmulator, Reply

BODY = json.dumps(
    {"model": "mimo-v2.6-pro", "messages": [{"role": "user", "content": "x"}], "stream": True}
).encode()


def raw_request(emu: MiMoEmulator) -> bytes:
    head = (
        "POST /v1/chat/completions HTTP/1.1\r\nHost: emu\r\n"
        f"api-key: {emu.api_key}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(BODY)}\r\n\r\n"
    )
    return head.encode() + BODY


class AllOpen:
    """Waits until n connections are open (asyncio.Barrier needs Python 3.11)."""

    def __init__(self, n: int) -> None:
        self.left = n
        self.event = asyncio.Event()

    async def wait(self) -> None:
        self.left -= 1
        if self.left == 0:
            self.event.set()
        await self.event.wait()


async def one_stream(emu: MiMoEmulator, request: bytes, opened: AllOpen) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", emu.port)
    await opened.wait()  # every connection is open before any request is sent
    writer.write(request)
    data = b""
    while not data.endswith(b"0\r\n\r\n"):
        piece = await reader.read(65536)
        assert piece, "connection closed early"
        data += piece
    writer.close()
    return data


async def test_thousand_simultaneous_streaming_connections() -> None:
    n = 1000
    reply = Reply.text("one two three", reasoning="hmm")
    with MiMoEmulator(default_reply=reply) as emu:
        request = raw_request(emu)
        opened = AllOpen(n)
        bodies = await asyncio.wait_for(
            asyncio.gather(*(one_stream(emu, request, opened) for _ in range(n))), timeout=60
        )
        assert emu.connections_accepted == n
        assert len(emu.chat_requests) == n
    for body in bodies:
        assert body.startswith(b"HTTP/1.1 200 OK\r\n")
        assert b"Transfer-Encoding: chunked" in body
        assert body.count(b"data: ") == 8  # role, reasoning, 3 content, finish, usage, [DONE]
        assert b"data: [DONE]" in body


def test_sixty_four_thousand_deltas_stream_fast(mimo_emulator: MiMoEmulator) -> None:
    import httpx

    emu = mimo_emulator
    emu.script(Reply.long(reasoning_deltas=32000, content_deltas=32000))
    start = time.perf_counter()
    events = 0
    with (
        httpx.Client(headers={"api-key": emu.api_key}) as client,
        client.stream("POST", f"{emu.base_url}/chat/completions", content=BODY) as response,
    ):
        for line in response.iter_lines():
            events += line.startswith("data: ")
    elapsed = time.perf_counter() - start
    assert events == 64000 + 4  # + role, finish, usage, [DONE]
    # about 0.1 s when idle; generous for a loaded CI box
    assert elapsed < 5, f"{elapsed:.2f}s for 64,000 deltas"
