import asyncio
import copy
import pickle

from mimo_client import AsyncMiMoClient, MiMoClient
from mimo_client.integration import ClientPool

KEY = "sk-fake-test-key-2222"


SETTINGS = {"api_key": KEY, "base_url": "http://127.0.0.1:9/v1", "default_headers": {"x": "1"}}


def test_sync_client_is_made_once_and_remade_when_settings_change():
    pool = ClientPool()
    first = pool.sync(**SETTINGS)
    assert isinstance(first, MiMoClient)
    assert pool.sync(**{**SETTINGS, "default_headers": {"x": "1"}}) is first  # equal settings
    second = pool.sync(**{**SETTINGS, "base_url": "http://127.0.0.1:8/v1"})
    assert second is not first and second.base_url.endswith(":8/v1")
    assert first.http.is_closed


def test_one_async_client_per_loop_and_closed_loops_are_forgotten():
    pool = ClientPool()

    async def get():
        return pool.for_running_loop(**SETTINGS)

    clients = [asyncio.run(get()) for _ in range(5)]
    assert all(isinstance(c, AsyncMiMoClient) for c in clients)
    assert len({id(c) for c in clients}) == 5
    assert len(pool._async) == 1  # the four closed loops' clients were dropped


async def test_aclose_closes_the_running_loops_client():
    pool = ClientPool()
    client = pool.for_running_loop(**SETTINGS)
    pool.sync(**SETTINGS)
    await pool.aclose()
    assert client.http.is_closed and pool.empty


async def test_close_keeps_the_async_client_for_a_later_aclose():
    pool = ClientPool()
    client = pool.for_running_loop(**SETTINGS)
    sync_client = pool.sync(**SETTINGS)
    pool.close()  # sync code cannot close a loop's client: it must not lose it either
    assert sync_client.http.is_closed and not client.http.is_closed
    assert pool.for_running_loop(**SETTINGS) is client
    await pool.aclose()
    assert client.http.is_closed and pool.empty


def test_copies_and_pickles_start_empty():
    pool = ClientPool()
    pool.sync(**SETTINGS)
    assert copy.copy(pool).empty and copy.deepcopy(pool).empty
    assert pickle.loads(pickle.dumps(pool)).empty


def test_a_secret_key_compares_by_value():
    from pydantic import SecretStr

    pool = ClientPool()
    first = pool.sync(**{**SETTINGS, "api_key": SecretStr(KEY)})
    assert pool.sync(**{**SETTINGS, "api_key": SecretStr(KEY)}) is first
    assert pool.sync(**{**SETTINGS, "api_key": SecretStr(KEY + "x")}) is not first
