import asyncio
import copy
import pickle

from mimo_client import AsyncMiMoClient, ClientPool, MiMoClient

KEY = "sk-test-not-a-real-key-2222"


def make(base="http://127.0.0.1:9/v1"):
    return lambda: MiMoClient(api_key=KEY, base_url=base)


def amake():
    return AsyncMiMoClient(api_key=KEY, base_url="http://127.0.0.1:9/v1")


def test_sync_client_is_made_once_and_remade_when_settings_change():
    pool = ClientPool()
    first = pool.sync(make(), settings=("a",))
    assert pool.sync(make(), settings=("a",)) is first
    second = pool.sync(make("http://127.0.0.1:8/v1"), settings=("b",))
    assert second is not first and second.base_url.endswith(":8/v1")
    assert first.http.is_closed


def test_one_async_client_per_loop_and_closed_loops_are_forgotten():
    pool = ClientPool()

    async def get():
        return pool.for_running_loop(amake)

    clients = [asyncio.run(get()) for _ in range(5)]
    assert len({id(c) for c in clients}) == 5
    assert len(pool._async) == 1  # the four closed loops' clients were dropped


async def test_aclose_closes_the_running_loops_client():
    pool = ClientPool()
    client = pool.for_running_loop(amake)
    pool.sync(make())
    await pool.aclose()
    assert client.http.is_closed and pool.empty


def test_copies_and_pickles_start_empty():
    pool = ClientPool()
    pool.sync(make())
    assert copy.copy(pool).empty and copy.deepcopy(pool).empty
    assert pickle.loads(pickle.dumps(pool)).empty
