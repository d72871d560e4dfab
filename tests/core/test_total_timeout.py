"""total_timeout bounds a whole call (retries included) and a whole stream, in sync code too.

The emulator plays the hostile servers: a body trickled one byte every 0.5 s (each read
succeeds, so a per-read timeout never fires), a stream that never ends, a server silent
before its head. ``timeout`` (per read) is 30 s so that only ``total_timeout`` can stop the
call. Each test checks the typed error, how late it came, the partial turn of a stream, and
that the client works at once afterwards (the connection was closed and released).
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from langchain_core.exceptions import ModelTimeoutError
from llama_index.core.base.llms.types import ChatMessage

from langchain_mimo import ChatMiMo
from llama_index_mimo import MiMo
from mimo_client import (
    APITimeoutError,
    AsyncMiMoClient,
    MiMoClient,
    ServerError,
    build_request,
)
from mimo_client._config import DEFAULT_MAX_CONNECTIONS
from mimo_client.testing import MiMoEmulator, Reply

TOTAL = 1.5
#: How late an error may come on a shared, busy 2-core machine (one trickle step is 0.5 s).
SLACK = 1.2

TRICKLE = Reply.text("one two three four five six").with_faults(trickle=0.5)
ENDLESS = Reply.text("one two").with_faults(endless=True, event_delay=0.05)
SILENT = Reply.text("late").with_faults(delay=20)
FAULTS = {"trickle": TRICKLE, "endless": ENDLESS, "silent": SILENT}


def _settings(emulator: MiMoEmulator) -> dict[str, Any]:
    return {
        "api_key": emulator.api_key,
        "base_url": emulator.base_url,
        "timeout": 30,
        "total_timeout": TOTAL,
        "max_retries": 2,
    }


REQUEST = build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro", thinking=False)


def _core_create(client: MiMoClient) -> str:
    return str(client.create(REQUEST)["choices"][0]["message"]["content"])


def _core_stream(client: MiMoClient) -> str:
    with client.stream(REQUEST) as stream:
        for _ in stream:
            pass
        return stream.turn.content


async def _acore_create(client: AsyncMiMoClient) -> str:
    return str((await client.create(REQUEST))["choices"][0]["message"]["content"])


async def _acore_stream(client: AsyncMiMoClient) -> str:
    async with client.stream(REQUEST) as stream:
        async for _ in stream:
            pass
        return stream.turn.content


def _lc_stream(model: ChatMiMo) -> str:
    return "".join(chunk.text for chunk in model.stream("hi"))


async def _lc_astream(model: ChatMiMo) -> str:
    return "".join([chunk.text async for chunk in model.astream("hi")])


MESSAGES = [ChatMessage(role="user", content="hi")]


def _li_stream(llm: MiMo) -> str:
    text = ""
    for chunk in llm.stream_chat(MESSAGES):
        text += chunk.delta or ""
    return text


async def _li_astream(llm: MiMo) -> str:
    text = ""
    async for chunk in await llm.astream_chat(MESSAGES):
        text += chunk.delta or ""
    return text


def _make(kind: str, emulator: MiMoEmulator) -> Any:
    settings = _settings(emulator)
    if kind == "core":
        return MiMoClient(**settings)
    if kind == "acore":
        return AsyncMiMoClient(**settings)
    if kind == "lc":
        return ChatMiMo(**settings, thinking=False)
    return MiMo(**settings, thinking=False)


# (entry point, maker, sync call, async call, expected error type, is a stream)
ENTRIES = {
    "core.create": ("core", _core_create, None, APITimeoutError, False),
    "core.stream": ("core", _core_stream, None, APITimeoutError, True),
    "core.acreate": ("acore", None, _acore_create, APITimeoutError, False),
    "core.astream": ("acore", None, _acore_stream, APITimeoutError, True),
    "ChatMiMo.invoke": ("lc", lambda m: str(m.invoke("hi").content), None, ModelTimeoutError, 0),
    "ChatMiMo.stream": ("lc", _lc_stream, None, ModelTimeoutError, True),
    "ChatMiMo.ainvoke": ("lc", None, lambda m: m.ainvoke("hi"), ModelTimeoutError, False),
    "ChatMiMo.astream": ("lc", None, _lc_astream, ModelTimeoutError, True),
    "MiMo.chat": ("li", lambda m: str(m.chat(MESSAGES).message.content), None, APITimeoutError, 0),
    "MiMo.stream_chat": ("li", _li_stream, None, APITimeoutError, True),
    "MiMo.achat": ("li", None, lambda m: m.achat(MESSAGES), APITimeoutError, False),
    "MiMo.astream_chat": ("li", None, _li_astream, APITimeoutError, True),
}

CASES = [
    (entry, fault)
    for entry, spec in ENTRIES.items()
    for fault in FAULTS
    if fault != "endless" or spec[4]  # an endless body only makes sense for a stream
]


async def _run_async(call: Any, target: Any) -> Any:
    result = call(target)
    if asyncio.iscoroutine(result):
        result = await result
    return result


@pytest.mark.parametrize(("entry", "fault"), CASES)
def test_total_timeout_bounds_every_entry_point(emulator, entry, fault):
    kind, sync_call, async_call, error_type, is_stream = ENTRIES[entry]
    target = _make(kind, emulator)
    emulator.script(FAULTS[fault])

    async def both() -> tuple[BaseException | None, float, str]:
        start = time.monotonic()
        caught: BaseException | None = None
        try:
            if async_call is not None:
                await asyncio.wait_for(_run_async(async_call, target), 30)
            else:
                await asyncio.wait_for(asyncio.to_thread(sync_call, target), 30)
        except Exception as exc:
            caught = exc
        elapsed = time.monotonic() - start
        # The connection was closed and released: the next call answers at once.
        emulator.script(Reply.text("after"))
        again = time.monotonic()
        if async_call is not None:
            text = str(await _run_async(async_call, target))
        else:
            text = str(await asyncio.to_thread(sync_call, target))
        assert time.monotonic() - again < 3
        if kind == "acore":
            assert target.slots._value == DEFAULT_MAX_CONNECTIONS  # every slot back
            await target.aclose()
        return caught, elapsed, text

    caught, elapsed, text = asyncio.run(both())
    print(f"late by {elapsed - TOTAL:+.2f}s: {entry} / {fault}")  # for the closing note (-s)
    assert isinstance(caught, error_type), repr(caught)
    assert "total_timeout=1.5s" in str(caught)
    assert TOTAL - 0.05 <= elapsed <= TOTAL + SLACK, f"{entry}/{fault}: raised after {elapsed:.2f}s"
    assert "after" in text
    if is_stream:
        assert caught.partial is not None  # type: ignore[union-attr]
        if fault == "endless":
            assert caught.partial.content.startswith("one two")  # type: ignore[union-attr]
    if kind in ("core", "li") and hasattr(target, "close"):
        target.close()


def test_retries_do_not_stretch_the_bound(emulator):
    # Each 503 asks for a 1 s wait: the second retry would start after the deadline, so the
    # last error is raised at once instead of sleeping past it.
    emulator.script(*[Reply.error(503, retry_after=1)] * 5)
    client = MiMoClient(**{**_settings(emulator), "max_retries": 5})
    start = time.monotonic()
    with pytest.raises(ServerError):
        client.create(REQUEST)
    assert time.monotonic() - start < TOTAL
    assert len(emulator.chat_requests) == 2
    client.close()


def test_the_default_is_generous_and_finite_and_checked():
    client = MiMoClient(api_key="sk-test-1234", base_url="http://127.0.0.1:9/v1")
    assert client.config.total_timeout == 600.0
    client.close()
    for bad in (0, -1, float("nan")):
        with pytest.raises(ValueError, match="total_timeout"):
            MiMoClient(api_key="sk-test-1234", base_url="http://127.0.0.1:9/v1", total_timeout=bad)
    unbounded = MiMoClient(
        api_key="sk-test-1234", base_url="http://127.0.0.1:9/v1", total_timeout=float("inf")
    )
    unbounded.close()


@pytest.mark.parametrize("stream", [False, True])
def test_error_bodies_are_read_with_a_size_cap(emulator, stream):
    emulator.script(Reply.raw(b"<html>" + b"x" * (8 << 20), status=502))
    client = MiMoClient(**{**_settings(emulator), "max_retries": 0})
    with pytest.raises(ServerError) as info:
        _core_stream(client) if stream else _core_create(client)
    assert len(str(info.value)) < 1000
    assert len(str(info.value.body)) <= 64 * 1024
    client.close()


def test_a_non_event_stream_200_is_read_with_a_size_cap(emulator):
    emulator.script(Reply.raw(b"<html>" + b"y" * (8 << 20), status=200))
    client = MiMoClient(**{**_settings(emulator), "max_retries": 0})
    with pytest.raises(Exception, match="not an event stream") as info:
        _core_stream(client)
    assert len(str(info.value)) < 1000
    client.close()


def test_a_huge_event_streams_through_in_about_a_second(emulator):
    emulator.script(Reply.text("done").with_faults(huge_event=20 << 20))
    client = MiMoClient(**{**_settings(emulator), "total_timeout": 60})
    start = time.monotonic()
    text = _core_stream(client)
    elapsed = time.monotonic() - start
    assert text == "x" * (20 << 20) + "done"
    assert elapsed < 10, elapsed  # about 1 s here; 8 to 16 s with the quadratic decoder
    client.close()
