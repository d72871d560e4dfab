"""1,000 concurrent async streams through the core's pooled client against the emulator."""

from __future__ import annotations

import asyncio
import time

from mimo_client import AsyncMiMoClient, MiMoClient, build_request
from mimo_client.testing import MiMoEmulator, Reply

STREAMS = 1000
# The emulator alone serves 1,000 concurrent streams in about 1 s on a loaded 2-core box; this
# bound only catches a pool that serializes (httpcore scans every queued request against every
# connection, so a wide pool with hundreds waiting takes about a minute).
BUDGET_SECONDS = 45.0


async def test_thousand_concurrent_streams_reuse_pooled_connections() -> None:
    reply = Reply.text("one two three four five six", reasoning="think first")
    request = build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro")
    with MiMoEmulator(default_reply=reply) as emu:
        async with AsyncMiMoClient(api_key=emu.api_key, base_url=emu.base_url) as client:

            async def one() -> tuple[str, str | None, int]:
                async with client.stream(request) as stream:
                    chunks = [chunk async for chunk in stream]
                    turn = stream.turn
                    return turn.content, turn.reasoning_content, len(chunks)

            start = time.perf_counter()
            results = await asyncio.wait_for(
                asyncio.gather(*(one() for _ in range(STREAMS))), timeout=BUDGET_SECONDS
            )
            elapsed = time.perf_counter() - start
        accepted = emu.connections_accepted
        served = len(emu.chat_requests)
    assert set(results) == {("one two three four five six", "think first", 11)}
    assert served == STREAMS  # no retries were needed
    assert accepted <= STREAMS // 4, (
        f"{accepted} TCP connections for {STREAMS} streams in {elapsed:.1f}s: the pool does not "
        "reuse its connections"
    )


def test_sequential_sync_streams_reuse_one_connection(mimo_emulator: MiMoEmulator) -> None:
    emu = mimo_emulator
    request = build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro")
    with MiMoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
        for _ in range(10):
            with client.stream(request) as stream:
                assert len(list(stream)) > 3
                assert stream.finished
        client.create(request)
    assert len(emu.chat_requests) == 11
    assert emu.connections_accepted == 1, "each stream left its connection unusable"


async def test_sequential_async_streams_reuse_one_connection(mimo_emulator: MiMoEmulator) -> None:
    emu = mimo_emulator
    request = build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro")
    async with AsyncMiMoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
        for _ in range(10):
            async with client.stream(request) as stream:
                assert len([chunk async for chunk in stream]) > 3
                assert stream.finished
        await client.create(request)
    assert len(emu.chat_requests) == 11
    assert emu.connections_accepted == 1, "each stream left its connection unusable"
