"""Scripted errors and injected faults, observed with plain httpx on real sockets."""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import json
import time

import httpx
import pytest

from mimo_client.testing import MiMoEmulator, Reply

from .conftest import chat, sse_data


def test_error_reply_has_the_service_shape_and_headers(
    emu: MiMoEmulator, http: httpx.Client
) -> None:
    emu.script(Reply.error(429, retry_after=3, headers={"X-Trace": "abc"}))
    response = chat(http)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert response.headers["x-trace"] == "abc"
    assert response.json() == {
        "error": {"code": "429", "message": "Too many requests", "type": "limitation"}
    }


def test_retry_after_as_http_date(emu: MiMoEmulator, http: httpx.Client) -> None:
    when = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
    emu.script(Reply.error(503, retry_after=when), Reply.error(503, retry_after=0.5))
    header = chat(http).headers["retry-after"]
    assert header == "Wed, 02 Jan 2030 03:04:05 GMT"
    assert email.utils.parsedate_to_datetime(header) == when
    assert chat(http).headers["retry-after"] == "0.5"


def test_400_error_on_a_stream_is_sse_framed_other_statuses_json(
    emu: MiMoEmulator, http: httpx.Client
) -> None:
    emu.script(Reply.error(400, param="bad thing"), Reply.error(500), Reply.error(500, sse=True))
    framed = chat(http, stream=True)
    assert framed.status_code == 400
    assert sse_data(framed.text) == [
        '{"error":{"code":"400","message":"Param Incorrect","param":"bad thing","type":""}}'
    ]
    plain = chat(http, stream=True)
    assert plain.status_code == 500
    assert plain.json()["error"]["code"] == "500"
    forced = chat(http, stream=True)
    assert forced.text.startswith("data:{")


def test_error_with_custom_body(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.error(402, body={"error": "no money"}), Reply.error(502, body=b"<html>502"))
    assert chat(http).json() == {"error": "no money"}
    assert chat(http).content == b"<html>502"


def test_raw_non_json_200(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.raw(b"<html>maintenance</html>"))
    response = chat(http)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<html>maintenance</html>"


def test_garbage_bytes_break_the_http_exchange(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.garbage())
    with pytest.raises(httpx.RemoteProtocolError):
        chat(http)
    assert chat(http).status_code == 200  # the next request gets a fresh, healthy connection


def test_delay_before_first_byte(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("late").with_faults(delay=0.3), Reply.text("later").with_faults(delay=2))
    start = time.perf_counter()
    assert chat(http).json()["choices"][0]["message"]["content"] == "late"
    assert time.perf_counter() - start >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        http.post(
            "/chat/completions",
            json={"model": "mimo-v2.6-pro", "messages": [{"role": "user", "content": "x"}]},
            timeout=0.3,
        )


def test_slow_deltas_arrive_one_by_one(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("a b c d", reasoning=None).with_faults(event_delay=0.05))
    stamps = []
    with http.stream(
        "POST",
        "/chat/completions",
        json={
            "model": "mimo-v2.6-flash",
            "messages": [{"role": "user", "content": "x"}],
            "stream": True,
        },
    ) as response:
        for line in response.iter_lines():
            if line.startswith("data:"):
                stamps.append(time.perf_counter())
    assert len(stamps) == 8  # role, 4 content, finish, usage, [DONE]
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.03


@pytest.mark.parametrize("k", [1, 3])
def test_cut_after_k_events(emu: MiMoEmulator, http: httpx.Client, k: int) -> None:
    emu.script(Reply.text("one two three four five").with_faults(cut_after=k))
    got = []
    with (
        pytest.raises(httpx.RemoteProtocolError),
        http.stream(
            "POST",
            "/chat/completions",
            json={
                "model": "mimo-v2.6-flash",
                "messages": [{"role": "user", "content": "x"}],
                "stream": True,
            },
        ) as response,
    ):
        for line in response.iter_lines():
            if line.startswith("data:"):
                got.append(line)
    assert len(got) == k


def test_cut_before_the_status_line(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("x").with_faults(cut_after=0))
    with pytest.raises(httpx.RemoteProtocolError):
        chat(http)


def test_cut_non_streamed_body(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("x").with_faults(cut_after=1))
    with pytest.raises(httpx.RemoteProtocolError):
        chat(http)


def test_clean_eof_without_finish_or_done(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("one two three").with_faults(eof_after=3))
    response = chat(http, model="mimo-v2.6-flash", stream=True)
    assert response.status_code == 200
    data = sse_data(response.text)
    assert len(data) == 3
    chunks = [json.loads(d) for d in data]
    assert all(c["choices"][0]["finish_reason"] is None for c in chunks)
    # the connection stays usable: the HTTP message itself was complete
    assert chat(http).status_code == 200
    assert emu.connections_accepted == 1


def test_eof_on_non_streamed_reply_is_truncated_json(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("hello").with_faults(eof_after=0))
    response = chat(http)
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
