"""Client lifecycle: one pooled client per model (and per event loop for async), copies and
pickles that do not carry connections over."""

from __future__ import annotations

import asyncio
import copy
import pickle
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from pydantic import SecretStr

import mimo_client
import mimo_client._pool
from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator


def test_sync_calls_share_one_pooled_client(model: ChatMiMo, emulator: MiMoEmulator):
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: model.invoke(f"q{i}").content, range(16)))
    assert answers == [f"Emulated MiMo answer to: q{i}" for i in range(16)]
    assert not model._clients.empty
    assert emulator.connections_accepted <= 8  # connections reused, not one per call


def test_model_reused_across_event_loops(model: ChatMiMo):
    # pooled async connections belong to the loop that opened them
    assert asyncio.run(model.ainvoke("a")).content == "Emulated MiMo answer to: a"
    assert asyncio.run(model.ainvoke("b")).content == "Emulated MiMo answer to: b"

    async def stream() -> str:
        return "".join([c.text async for c in model.astream("c")])

    assert asyncio.run(stream()) == "Emulated MiMo answer to: c"


def _count_clients(monkeypatch: pytest.MonkeyPatch) -> tuple[list[object], list[object]]:
    """Record every core client ChatMiMo makes: (sync clients, async clients)."""
    made_sync: list[object] = []
    made_async: list[object] = []

    class CountingClient(mimo_client.MiMoClient):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            made_sync.append(self)

    class CountingAsyncClient(mimo_client.AsyncMiMoClient):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            made_async.append(self)

    # the model's ClientPool (mimo_client._pool) makes the clients
    monkeypatch.setattr(mimo_client._pool, "MiMoClient", CountingClient)
    monkeypatch.setattr(mimo_client._pool, "AsyncMiMoClient", CountingAsyncClient)
    return made_sync, made_async


def test_abatch_in_one_loop_uses_one_client(
    model: ChatMiMo, emulator: MiMoEmulator, monkeypatch: pytest.MonkeyPatch
):
    made_sync, made_async = _count_clients(monkeypatch)

    async def run() -> list[str]:
        answers = await model.abatch([f"q{i}" for i in range(20)])
        chunks = [c.text async for c in model.astream("s")]
        assert "".join(chunks) == "Emulated MiMo answer to: s"
        assert model._aclient() is made_async[0]  # the loop's one client, still current
        return [str(a.content) for a in answers]

    assert asyncio.run(run()) == [f"Emulated MiMo answer to: q{i}" for i in range(20)]
    assert len(made_async) == 1  # 21 calls in one loop, one async client
    assert made_sync == []  # and no sync client behind the async calls


def test_deepcopy_and_pickle_start_without_connections(emulator: MiMoEmulator):
    emulator.strict_parameters = False  # "a" is no MiMo parameter: the service would answer 400
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, model_kwargs={"a": [1]})
    model.invoke("warm up")
    clone = copy.deepcopy(model)
    assert clone._clients.empty
    assert clone.model_kwargs == {"a": [1]}
    assert clone.model_kwargs["a"] is not model.model_kwargs["a"]
    assert clone.invoke("x").content == "Emulated MiMo answer to: x"
    restored = pickle.loads(pickle.dumps(model))
    assert restored._clients.empty
    assert restored.invoke("y").content == "Emulated MiMo answer to: y"
    assert model.invoke("z").content == "Emulated MiMo answer to: z"  # the original still works


# --- the pooled client follows the connection settings --------------------------------------


def test_model_copy_with_another_host_and_key_uses_them(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    assert model.invoke("a").content == "Emulated MiMo answer to: a"
    with MiMoEmulator() as other:
        clone = model.model_copy(
            update={"base_url": other.base_url, "api_key": SecretStr(other.api_key)}
        )
        assert clone.invoke("b").content == "Emulated MiMo answer to: b"
        assert clone.batch(["c"])[0].content == "Emulated MiMo answer to: c"
        assert asyncio.run(clone.ainvoke("d")).content == "Emulated MiMo answer to: d"
        assert [r.body["messages"][0]["content"] for r in other.chat_requests] == ["b", "c", "d"]
        auth = {k.lower(): v for k, v in other.last_request.headers.items()}["authorization"]
        assert auth == f"Bearer {other.api_key}"
    assert model.invoke("e").content == "Emulated MiMo answer to: e"  # the original's host
    assert [r.body["messages"][0]["content"] for r in emulator.chat_requests] == ["a", "e"]


def test_a_copy_does_not_take_over_the_originals_client(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    model.invoke("warm up")
    client = model._sync_client()
    clone = model.model_copy(update={"max_retries": 5})
    clone.invoke("x")
    assert clone._sync_client() is not client
    assert model._sync_client() is client  # not closed and replaced by the copy's calls
    assert model.invoke("y").content == "Emulated MiMo answer to: y"


def test_a_changed_field_gets_a_fresh_client(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    assert model.invoke("p").content == "Emulated MiMo answer to: p"
    with MiMoEmulator() as other:
        model.base_url = other.base_url
        model.api_key = SecretStr(other.api_key)
        assert model.invoke("q").content == "Emulated MiMo answer to: q"
        assert [r.body["messages"][0]["content"] for r in other.chat_requests] == ["q"]
    assert len(emulator.chat_requests) == 1
    first = model._sync_client()
    model.default_headers = {"X-Trace": "t2"}
    assert model._sync_client() is not first
    assert model._sync_client() is model._sync_client()  # and then it stays
