"""Credentials stay out of dumps, traces, pickles, redirects, error text and exception chains."""

from __future__ import annotations

import asyncio
import json
import pickle
from typing import Any

import httpx
import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.load import dumpd, dumps
from llama_index.core.llms import ChatMessage

from langchain_mimo import ChatMiMo
from llama_index_mimo import MiMo
from mimo_client import AsyncMiMoClient, MiMoClient, MiMoError, build_request
from mimo_client.testing import MiMoEmulator, Reply

GATEWAY = "gw-secret-value-0123456789"
HEADERS = {"X-Api-Key": GATEWAY, "X-Team": "blue"}
REQUEST = build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro", thinking=False)


class _Recorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.serialized: list[Any] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.serialized.append(serialized)


def test_chatmimo_dumps_and_callbacks_leave_credential_headers_out(emulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, default_headers=HEADERS)
    recorder = _Recorder()
    model.invoke("hi", config={"callbacks": [recorder]})
    views = {
        "dumpd": json.dumps(dumpd(model)),
        "dumps": dumps(model),
        "to_json": json.dumps(model.to_json()),
        "model_dump": json.dumps(model.model_dump(), default=str),
        "model_dump_json": model.model_dump_json(),
        "serialized": json.dumps(recorder.serialized),
    }
    for name, text in views.items():
        assert GATEWAY not in text, name
        assert emulator.api_key not in text, name
    assert recorder.serialized and '"X-Team": "blue"' in views["serialized"]  # the rest stays
    assert emulator.chat_requests[-1].headers["x-api-key"] == GATEWAY  # and is still sent


def test_llamaindex_dicts_leave_credential_headers_out(emulator):
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, default_headers=HEADERS)
    for text in (json.dumps(llm.to_dict()), llm.to_json(), llm.model_dump_json()):
        assert GATEWAY not in text and emulator.api_key not in text
        assert "X-Team" in text


def test_one_pickling_rule_for_both_adapters(emulator, monkeypatch):
    explicit = [
        ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url),
        MiMo(api_key=emulator.api_key, base_url=emulator.base_url),
    ]
    for model in explicit:  # an explicit key is pickled (documented), so the copy works
        assert emulator.api_key.encode() in pickle.dumps(model)
    monkeypatch.setenv("MIMO_API_KEY", emulator.api_key)
    from_env = [ChatMiMo(base_url=emulator.base_url), MiMo(base_url=emulator.base_url)]
    for model in from_env:
        assert emulator.api_key.encode() not in pickle.dumps(model), type(model).__name__
    lc, li = (pickle.loads(pickle.dumps(m)) for m in from_env)
    assert lc.invoke("hi", thinking=False).content  # the copy reads the key from the env
    assert li.complete("hi").text
    monkeypatch.delenv("MIMO_API_KEY")
    with pytest.raises(ValueError, match="MIMO_API_KEY"):
        pickle.loads(pickle.dumps(from_env[0])).invoke("hi")


def test_streams_never_follow_redirects_even_with_a_following_http_client(emulator):
    with MiMoEmulator() as other:
        target = other.base_url + "/chat/completions"
        http = httpx.Client(follow_redirects=True)
        client = MiMoClient(
            api_key=emulator.api_key,
            base_url=emulator.base_url,
            default_headers=HEADERS,
            http_client=http,
            max_retries=0,
        )
        emulator.script(Reply.raw(b"", status=307, headers={"Location": target}))
        with pytest.raises(MiMoError, match="redirect"), client.stream(REQUEST) as stream:
            list(stream)
        emulator.script(Reply.raw(b"", status=307, headers={"Location": target}))

        async def astream() -> None:
            async with httpx.AsyncClient(follow_redirects=True) as ahttp:
                aclient = AsyncMiMoClient(
                    api_key=emulator.api_key,
                    base_url=emulator.base_url,
                    http_client=ahttp,
                    max_retries=0,
                )
                async with aclient.stream(REQUEST) as stream:
                    async for _ in stream:
                        pass

        with pytest.raises(MiMoError, match="redirect"):
            asyncio.run(astream())
        assert other.requests == []
        http.close()


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [error]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__cause__, item.__context__]
    return seen


@pytest.mark.parametrize("stream", [False, True])
def test_an_echoing_proxy_does_not_put_the_key_in_the_error(emulator, stream):
    emulator.script(Reply.error(502).with_faults(echo_headers=True))
    client = MiMoClient(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        default_headers=HEADERS,
        max_retries=0,
    )
    with pytest.raises(MiMoError) as info:
        if stream:
            with client.stream(REQUEST) as chunks:
                list(chunks)
        else:
            client.create(REQUEST)
    shown = f"{info.value} {info.value.body!r} {info.value.headers!r} {info.value.args!r}"
    assert "x-team" in shown  # the echo is quoted...
    assert emulator.api_key not in shown and GATEWAY not in shown  # ...without the secrets
    client.close()


def test_adapters_scrub_echoed_keys_too(emulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    emulator.script(*[Reply.error(500).with_faults(echo_headers=True)] * 2)
    with pytest.raises(MiMoError) as lc_info:
        model.invoke("hi")
    with pytest.raises(MiMoError) as li_info:
        list(llm.stream_complete("hi"))
    for info in (lc_info, li_info):
        assert emulator.api_key not in "".join(str(e) for e in _chain(info.value))


@pytest.mark.parametrize("where", ["create", "stream", "astream", "lc_stream"])
def test_transport_errors_carry_no_httpx_error_with_the_request(where):
    # Nothing listens on port 9: the connection is refused.
    settings = {"api_key": "sk-secret-abcdefgh", "base_url": "http://127.0.0.1:9/v1"}
    settings |= {"max_retries": 0}
    with pytest.raises(MiMoError) as info:
        if where == "create":
            MiMoClient(**settings).create(REQUEST)
        elif where == "stream":
            list(MiMoClient(**settings).stream(REQUEST))
        elif where == "astream":

            async def run() -> None:
                async for _ in AsyncMiMoClient(**settings).stream(REQUEST):
                    pass

            asyncio.run(run())
        else:
            list(ChatMiMo(**settings).stream("hi"))
    chain = _chain(info.value)
    assert not any(isinstance(e, httpx.HTTPError) for e in chain), chain


def test_an_sse_error_event_after_text_keeps_the_partial_turn(emulator):
    def chunk(delta: dict[str, Any]) -> bytes:
        body = {"id": "c1", "object": "chat.completion.chunk", "model": "mimo-v2.6-pro"}
        body["choices"] = [{"index": 0, "delta": delta, "finish_reason": None}]
        return b"data: " + json.dumps(body).encode() + b"\n\n"

    error = b'data: {"error": {"code": "500", "message": "upstream overloaded"}}\n\n'
    body = chunk({"role": "assistant"}) + chunk({"content": "before "}) + error
    sse = "text/event-stream"
    emulator.script(*[Reply.raw(body, content_type=sse)] * 3)
    client = MiMoClient(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    with pytest.raises(MiMoError) as core_info, client.stream(REQUEST) as stream:
        list(stream)
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    with pytest.raises(MiMoError) as lc_info:
        list(model.stream("hi"))
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    with pytest.raises(MiMoError) as li_info:
        list(llm.stream_chat([ChatMessage.from_str("hi")]))
    for info in (core_info, lc_info, li_info):
        assert "upstream overloaded" in str(info.value)
        assert info.value.partial is not None
        assert info.value.partial.content == "before "
    client.close()
