import pickle

import pytest

from mimo_client import AsyncMiMoClient, MiMoClient, Secret

KEY = "sk-fake-test-key-0000"


def test_missing_key_names_the_variable(monkeypatch):
    monkeypatch.delenv("MIMO_API_KEY", raising=False)
    with pytest.raises(ValueError, match="MIMO_API_KEY"):
        MiMoClient()


def test_key_and_base_url_from_environment(monkeypatch):
    monkeypatch.setenv("MIMO_API_KEY", KEY)
    monkeypatch.setenv("MIMO_BASE_URL", "https://token-plan-sgp.xiaomimimo.com/v1/")
    client = MiMoClient()
    assert client.base_url == "https://token-plan-sgp.xiaomimimo.com/v1"
    assert client.config.api_key.get_secret_value() == KEY


def test_default_base_url_is_the_official_host(monkeypatch):
    monkeypatch.delenv("MIMO_BASE_URL", raising=False)
    assert MiMoClient(api_key=KEY).base_url == "https://api.xiaomimimo.com/v1"


def test_key_never_in_repr_or_str():
    client = MiMoClient(api_key=KEY)
    for text in (
        repr(client),
        str(client),
        repr(client.config),
        repr(client.config.api_key),
        str(client.config.api_key),
    ):
        assert KEY not in text
    assert "**********" in repr(client)
    with pytest.raises(TypeError):
        pickle.dumps(Secret(KEY))


def test_plain_http_to_a_remote_host_is_refused_unless_allowed():
    with pytest.raises(ValueError, match="unencrypted"):
        MiMoClient(api_key=KEY, base_url="http://example.com/v1")
    MiMoClient(api_key=KEY, base_url="http://example.com/v1", allow_insecure_http=True)
    MiMoClient(api_key=KEY, base_url="http://127.0.0.1:9/v1")
    MiMoClient(api_key=KEY, base_url="http://localhost:9/v1")
    AsyncMiMoClient(api_key=KEY, base_url="http://[::1]:9/v1")


def test_pydantic_secret_accepted():
    from pydantic import SecretStr

    client = MiMoClient(api_key=SecretStr(KEY))
    assert client.config.api_key.get_secret_value() == KEY


def test_every_connection_the_pool_may_open_is_kept_alive_and_async_queue_matches_it():
    # Fewer kept alive than open closes a connection whenever a stream ends under load (a new
    # TLS handshake for the next request): tests/emulator/test_concurrency.py counts them.
    from mimo_client._config import DEFAULT_MAX_CONNECTIONS, limits

    assert DEFAULT_MAX_CONNECTIONS == 64
    pool = limits(64)
    assert (pool.max_connections, pool.max_keepalive_connections) == (64, 64)
    aclient = AsyncMiMoClient(api_key=KEY, max_connections=64)
    assert aclient.slots._value == 64
