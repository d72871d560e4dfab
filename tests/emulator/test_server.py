"""The server itself: auth, recording, connections, keep-alive, lifecycle, CLI, fixture."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from mimo_client.testing import DEFAULT_MODELS, MiMoEmulator, Reply

from .conftest import USER, chat


@pytest.mark.parametrize("header", ["api-key", "authorization"])
def test_either_auth_header_is_accepted(emu: MiMoEmulator, header: str) -> None:
    value = emu.api_key if header == "api-key" else f"Bearer {emu.api_key}"
    response = httpx.post(
        f"{emu.base_url}/chat/completions",
        json={"model": "mimo-v2.6-pro", "messages": USER},
        headers={header: value},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"api-key": "sk-wrong"}, {"authorization": "Bearer sk-wrong"}, {"authorization": "sk"}],
)
def test_bad_or_missing_key_is_401(emu: MiMoEmulator, headers: dict[str, str]) -> None:
    emu.script(Reply.text("not for you"))
    response = httpx.post(
        f"{emu.base_url}/chat/completions",
        json={"model": "mimo-v2.6-pro", "messages": USER},
        headers=headers,
    )
    assert response.status_code == 401
    assert response.json() == {
        "error": {
            "message": "Invalid API Key",
            "param": "Please provide valid API Key",
            "code": "401",
            "type": "invalid_key",
        }
    }
    assert emu.pending == 1
    assert httpx.get(f"{emu.base_url}/models", headers=headers).status_code == 401


def test_models_endpoint(emu: MiMoEmulator, http: httpx.Client) -> None:
    body = http.get("/models").json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == list(DEFAULT_MODELS)


def test_unknown_path_and_wrong_method(http: httpx.Client) -> None:
    assert http.post("/embeddings", json={}).status_code == 404
    assert http.get("/chat/completions").status_code == 405


def test_every_request_is_recorded(emu: MiMoEmulator, http: httpx.Client) -> None:
    chat(http, temperature=0.5)
    http.get("/models?x=1")
    chat(http, temperature=7)
    assert [(r.method, r.path) for r in emu.requests] == [
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
        ("POST", "/v1/chat/completions"),
    ]
    first = emu.chat_requests[0]
    assert first.body == {"model": "mimo-v2.6-pro", "messages": USER, "temperature": 0.5}
    assert first.headers["api-key"] == emu.api_key
    assert first.headers["content-type"] == "application/json"
    assert emu.last_request is emu.requests[-1]
    assert emu.api_key not in repr(first)
    assert emu.api_key not in repr(emu)


def test_keep_alive_reuses_one_connection(emu: MiMoEmulator, http: httpx.Client) -> None:
    for _ in range(5):
        assert chat(http, stream=True).status_code == 200
        assert chat(http).status_code == 200
    assert emu.connections_accepted == 1
    with httpx.Client(headers={"Connection": "close", "api-key": emu.api_key}) as closing:
        for _ in range(3):
            closing.post(f"{emu.base_url}/chat/completions", json={"model": "m", "messages": USER})
    assert emu.connections_accepted == 4


def test_reset_forgets_state(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("x"))
    http.get("/models")
    emu.reset()
    assert (emu.pending, emu.requests, emu.connections_accepted) == (0, [], 0)


def test_chunked_request_body_is_read(emu: MiMoEmulator) -> None:
    def body():
        yield b'{"model": "mimo-v2.6-flash", '
        yield b'"messages": [{"role": "user", "content": "chunked"}]}'

    response = httpx.post(
        f"{emu.base_url}/chat/completions", content=body(), headers={"api-key": emu.api_key}
    )
    assert response.status_code == 200
    assert emu.last_request is not None
    assert emu.last_request.body["messages"][0]["content"] == "chunked"


def test_malformed_http_gets_a_400_and_close(emu: MiMoEmulator) -> None:
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
        sock.sendall(b"NOT-HTTP\r\n\r\n")
        reply = sock.recv(1000)
    assert reply.startswith(b"HTTP/1.1 400 ")


def test_start_stop_and_restart_free_the_port() -> None:
    emu = MiMoEmulator()
    assert not emu.running
    emu.start()
    port = emu.port
    assert emu.running and port > 0
    assert emu.base_url == f"http://127.0.0.1:{port}/v1"
    emu.stop()
    assert not emu.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/v1/models")
    emu.stop()  # idempotent


def test_stop_does_not_hang_on_an_open_slow_stream() -> None:
    emu = MiMoEmulator(default_reply=Reply.text("x").with_faults(delay=30)).start()
    client = httpx.Client(timeout=60)
    sent = []

    def slow_call() -> None:
        try:
            client.post(
                f"{emu.base_url}/chat/completions",
                json={"model": "m", "messages": USER},
                headers={"api-key": emu.api_key},
            )
        except httpx.HTTPError as exc:
            sent.append(exc)

    import threading

    thread = threading.Thread(target=slow_call)
    thread.start()
    while not emu.requests:
        time.sleep(0.01)
    start = time.perf_counter()
    emu.stop()
    thread.join(timeout=10)
    assert time.perf_counter() - start < 5
    assert sent and isinstance(sent[0], httpx.RemoteProtocolError | httpx.ReadError)
    client.close()


def test_busy_port_fails_to_start() -> None:
    with MiMoEmulator() as first, pytest.raises(RuntimeError, match="failed to start"):
        MiMoEmulator(port=first.port).start()


def test_fixed_api_key(http: httpx.Client) -> None:
    with MiMoEmulator(api_key="sk-fixed") as emu:
        assert emu.api_key == "sk-fixed"
        assert httpx.get(f"{emu.base_url}/models", headers={"api-key": "sk-fixed"}).is_success


async def test_fixture_serves_async_clients(mimo_emulator: MiMoEmulator) -> None:
    async with httpx.AsyncClient(
        base_url=mimo_emulator.base_url, headers={"api-key": mimo_emulator.api_key}
    ) as client:
        responses = await asyncio.gather(
            *(
                client.post("/chat/completions", json={"model": "mimo-v2.6-pro", "messages": USER})
                for _ in range(20)
            )
        )
    assert {r.status_code for r in responses} == {200}
    assert len(mimo_emulator.chat_requests) == 20


async def test_async_context_manager() -> None:
    async with MiMoEmulator() as emu, httpx.AsyncClient() as client:
        response = await client.get(f"{emu.base_url}/models", headers={"api-key": emu.api_key})
    assert response.status_code == 200
    assert not emu.running


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_serves_until_terminated() -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mimo_client.testing", "--port", str(port), "--api-key", "sk-cli"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert re.fullmatch(
            rf"MiMo emulator serving http://127\.0\.0\.1:{port}/v1 "
            r"\(api key: as given by --api-key\)\n",
            line,
        ), line
        assert "sk-cli" not in line
        response = httpx.post(
            f"http://127.0.0.1:{port}/v1/chat/completions",
            json={"model": "mimo-v2.6-pro", "messages": USER, "stream": True},
            headers={"Authorization": "Bearer sk-cli"},
        )
        assert response.status_code == 200
        assert response.text.rstrip().endswith("data: [DONE]")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out
