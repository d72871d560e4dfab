"""Our clients close the sockets they open: with the pool, with their event loop, or when
collected; none is left to the garbage collector's ResourceWarning."""

from __future__ import annotations

import asyncio
import gc
import warnings

from langchain_mimo import ChatMiMo
from llama_index_mimo import MiMo
from mimo_client import MiMoClient
from mimo_client.integration import ClientPool


def test_an_async_client_is_closed_by_its_loop_not_dropped(emulator):
    pool = ClientPool()
    settings = {"api_key": emulator.api_key, "base_url": emulator.base_url}

    async def call():
        client = pool.for_running_loop(**settings)
        await client.list_models()
        return client

    clients = [asyncio.run(call()) for _ in range(3)]
    assert all(client.http.is_closed for client in clients)


def test_a_replaced_async_client_is_closed_on_its_loop(emulator):
    pool = ClientPool()

    async def run():
        first = pool.for_running_loop(api_key=emulator.api_key, base_url=emulator.base_url)
        await first.list_models()
        second = pool.for_running_loop(
            api_key=emulator.api_key, base_url=emulator.base_url, max_retries=1
        )
        await asyncio.sleep(0.05)  # the loop runs the dropped client's closer
        return first, second

    first, second = asyncio.run(run())
    assert first is not second and first.http.is_closed


def test_a_collected_client_closes_its_sockets(emulator):
    client = MiMoClient(api_key=emulator.api_key, base_url=emulator.base_url)
    client.list_models()
    http = client.http
    del client
    gc.collect()
    assert http.is_closed


def test_models_used_across_loops_leave_no_resource_warning(emulator):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, thinking=False)
        llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, thinking=False)
        for _ in range(3):
            asyncio.run(model.ainvoke("hi"))
            asyncio.run(llm.acomplete("hi"))
            model.invoke("hi")
            list(llm.stream_complete("hi"))
        del model, llm
        gc.collect()
    leaks = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert leaks == [], [str(w.message) for w in leaks]


def test_a_stream_outlives_the_pool_that_made_its_client(emulator):
    from mimo_client import build_request
    from mimo_client.testing import Reply

    request = build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro")

    async def run():
        pool = ClientPool()
        client = pool.for_running_loop(api_key=emulator.api_key, base_url=emulator.base_url)
        emulator.script(Reply.text("a b c d").with_faults(event_delay=0.05))
        stream = client.stream(request)
        deltas = stream.deltas()
        await anext(deltas)
        del pool
        gc.collect()
        await asyncio.sleep(0.1)  # a dropped closer would have closed the client by now
        async for _ in deltas:
            pass
        return stream.turn.content, client

    content, client = asyncio.run(run())
    assert content == "a b c d"
    assert client.http.is_closed  # and closed with its loop once done
