"""Client lifecycle: one client per settings and per event loop, copies, close and aclose."""

from __future__ import annotations

import asyncio
import copy
import gc
import weakref
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from llama_index.core.base.llms.types import ChatMessage
from pydantic import SecretStr

from llama_index_mimo import MiMo
from mimo_client import AsyncMiMoClient
from mimo_client.testing import MiMoEmulator, Reply

ASK = [ChatMessage(role="user", content="hi")]


@pytest.fixture
def other() -> Iterator[MiMoEmulator]:
    """A second service, with its own key."""
    with MiMoEmulator() as emu:
        yield emu


@pytest.fixture
def async_clients_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the AsyncMiMoClients made while installed."""
    made: list[int] = []
    init = AsyncMiMoClient.__init__

    def counting_init(self: AsyncMiMoClient, *args: Any, **kwargs: Any) -> None:
        made.append(1)
        init(self, *args, **kwargs)

    monkeypatch.setattr(AsyncMiMoClient, "__init__", counting_init)
    return made


def test_clients_of_closed_loops_are_dropped(
    llm: MiMo, emulator: MiMoEmulator, async_clients_made: list[int]
) -> None:
    # asyncio.run() per call (scripts, notebooks): each loop gets its own client, and the
    # clients of loops that have closed are let go instead of piling up.
    emulator.script(*(Reply.text(str(i)) for i in range(6)))
    clients: list[weakref.ref[AsyncMiMoClient]] = []

    async def call() -> str:
        answer = (await llm.achat(ASK)).message.content or ""
        clients.append(weakref.ref(llm._async_client()))  # the loop's client, not a new one
        return answer

    assert [asyncio.run(call()) for _ in range(6)] == [str(i) for i in range(6)]
    assert len(async_clients_made) == 6  # one per loop
    gc.collect()
    assert sum(ref() is not None for ref in clients) <= 1


def test_model_copy_with_another_host_and_key_reaches_that_service(
    llm: MiMo, emulator: MiMoEmulator, other: MiMoEmulator
) -> None:
    emulator.script(Reply.text("from A"), Reply.text("A again"))
    other.script(Reply.text("from B"))
    assert llm.chat(ASK).message.content == "from A"
    moved = llm.model_copy(update={"base_url": other.base_url, "api_key": SecretStr(other.api_key)})
    assert moved.chat(ASK).message.content == "from B"  # B answers only B's key
    assert llm.chat(ASK).message.content == "A again"  # the original kept its client
    assert [len(emulator.chat_requests), len(other.chat_requests)] == [2, 1]


async def test_async_model_copy_with_another_host_reaches_that_service(
    llm: MiMo, emulator: MiMoEmulator, other: MiMoEmulator
) -> None:
    emulator.script(Reply.text("from A"), Reply.text("A again"))
    other.script(Reply.text("from B"))
    assert (await llm.achat(ASK)).message.content == "from A"
    moved = llm.model_copy(update={"base_url": other.base_url, "api_key": SecretStr(other.api_key)})
    assert (await moved.achat(ASK)).message.content == "from B"
    assert (await llm.achat(ASK)).message.content == "A again"
    await llm.aclose()
    await moved.aclose()


def test_changed_settings_get_a_new_client(
    llm: MiMo, emulator: MiMoEmulator, other: MiMoEmulator
) -> None:
    emulator.script(Reply.text("from A"))
    other.script(Reply.text("from B"), Reply.text("B again"))
    assert llm.chat(ASK).message.content == "from A"
    llm.base_url = other.base_url
    llm.api_key = SecretStr(other.api_key)
    assert llm.chat(ASK).message.content == "from B"
    llm.default_headers = {"X-Trace": "on"}
    assert llm.chat(ASK).message.content == "B again"
    assert other.chat_requests[-1].headers.get("x-trace") == "on"


def test_deep_copies_share_a_given_http_client(emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("one"), Reply.text("two"))
    with httpx.Client() as http:
        llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, http_client=http)
        assert llm.chat(ASK).message.content == "one"
        clone = copy.deepcopy(llm)
        assert clone._http_client is http
        assert clone.chat(ASK).message.content == "two"


async def test_aclose_closes_the_running_loops_client(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("a"), Reply.text("b"))
    await llm.achat(ASK)
    client = llm._async_client()
    await llm.aclose()
    assert client.http.is_closed
    assert (await llm.achat(ASK)).message.content == "b"  # a new client
    assert llm._async_client() is not client


async def test_aclose_after_close_closes_the_async_client(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("a"), Reply.text("b"))
    llm.chat(ASK)
    await llm.achat(ASK)
    client = llm._async_client()
    sync_client = llm._sync_client()
    llm.close()  # the sync client only: it cannot await the async one
    assert sync_client.http.is_closed
    assert not client.http.is_closed
    await llm.aclose()
    assert client.http.is_closed


async def test_aclose_with_only_a_sync_client_makes_no_async_client(
    llm: MiMo, emulator: MiMoEmulator, async_clients_made: list[int]
) -> None:
    emulator.script(Reply.text("a"))
    llm.chat(ASK)
    sync_client = llm._sync_client()
    await llm.aclose()
    assert async_clients_made == []
    assert sync_client.http.is_closed
