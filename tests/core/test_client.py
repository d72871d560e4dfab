"""The clients over httpx.MockTransport: retries, error mapping, streams, cut streams.

Real-socket versions of these faults run in tests/emulator (the fault suite).
"""

import json
import logging

import httpx
import pytest

import mimo_client as m

KEY = "sk-fake-test-key-1111"
BASE = "http://127.0.0.1:9/v1"
REQUEST = m.build_request([{"role": "user", "content": "hi"}], model="mimo-v2.6-pro")

COMPLETION = {
    "id": "c1",
    "object": "chat.completion",
    "model": "mimo-v2.6-pro",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "hello", "reasoning_content": "r"},
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
}


def sse(*events):
    return b"".join(
        b"data: " + (e if isinstance(e, bytes) else json.dumps(e).encode()) + b"\n\n"
        for e in events
    )


def chunk(delta=None, finish=None):
    return {
        "id": "s1",
        "object": "chat.completion.chunk",
        "model": "mimo-v2.6-pro",
        "choices": [{"index": 0, "delta": delta or {}, "finish_reason": finish}],
    }


GOOD_STREAM = [
    chunk({"role": "assistant"}),
    chunk({"reasoning_content": "th"}),
    chunk({"reasoning_content": "ink"}),
    chunk({"content": "Hi"}),
    chunk({"content": "!"}),
    chunk(finish="stop"),
    {
        "id": "s1",
        "object": "chat.completion.chunk",
        "choices": [],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    },
]


class Script:
    """A transport that answers each request with the next scripted response."""

    def __init__(self, *responses):
        self.responses = list(responses)
        self.requests = []

    def __call__(self, request):
        self.requests.append(request)
        response = self.responses.pop(0)
        return response() if callable(response) else response


def client(script, **kwargs):
    return m.MiMoClient(
        api_key=KEY,
        base_url=BASE,
        http_client=httpx.Client(transport=httpx.MockTransport(script)),
        retry_base_delay=0.0,
        **kwargs,
    )


def aclient(script, **kwargs):
    return m.AsyncMiMoClient(
        api_key=KEY,
        base_url=BASE,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(script)),
        retry_base_delay=0.0,
        **kwargs,
    )


def err(status, message="x", headers=None, framed=False):
    body = json.dumps({"error": {"code": str(status), "message": message, "type": ""}}).encode()
    return httpx.Response(status, content=b"data:" + body if framed else body, headers=headers)


def test_create_sends_auth_and_body():
    script = Script(httpx.Response(200, json=COMPLETION))
    result = client(script).create({**REQUEST, "stream": True})
    assert result == COMPLETION
    sent = script.requests[0]
    assert sent.url == BASE + "/chat/completions"
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert json.loads(sent.content) == REQUEST  # stream flag removed for create


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retryable_status_is_retried(status):
    script = Script(err(status), httpx.Response(200, json=COMPLETION))
    assert client(script).create(REQUEST)["id"] == "c1"
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, m.BadRequestError),
        (401, m.AuthenticationError),
        (402, m.InsufficientBalanceError),
        (403, m.PermissionDeniedError),
        (404, m.NotFoundError),
        (421, m.ContentFilterError),
    ],
)
def test_client_errors_are_never_retried(status, cls):
    script = Script(err(status), httpx.Response(200, json=COMPLETION))
    with pytest.raises(cls):
        client(script).create(REQUEST)
    assert len(script.requests) == 1


def test_retries_exhausted_raise_the_last_error():
    script = Script(err(503), err(503), err(503))
    with pytest.raises(m.ServerError):
        client(script, max_retries=2).create(REQUEST)
    assert len(script.requests) == 3


def test_retry_after_is_honoured(monkeypatch):
    slept = []
    monkeypatch.setattr("mimo_client.client.time.sleep", slept.append)
    script = Script(err(429, headers={"Retry-After": "2"}), httpx.Response(200, json=COMPLETION))
    client(script).create(REQUEST)
    assert slept == [2.0]


def test_connection_errors_are_retried_then_typed():
    def refuse():
        raise httpx.ConnectError("refused")

    script = Script(refuse, refuse, refuse)
    with pytest.raises(m.APIConnectionError):
        client(script).create(REQUEST)
    assert len(script.requests) == 3

    def timeout():
        raise httpx.ReadTimeout("slow")

    with pytest.raises(m.APITimeoutError):
        client(Script(timeout), max_retries=0).create(REQUEST)


def test_non_json_200_raises_a_clear_error():
    with pytest.raises(m.MiMoError, match="not JSON"):
        client(Script(httpx.Response(200, content=b"<html>oops"))).create(REQUEST)


def test_redirect_is_not_followed_with_the_key():
    script = Script(
        httpx.Response(307, headers={"location": "https://elsewhere.example/v1/chat/completions"})
    )
    with pytest.raises(m.MiMoError, match="redirect"):
        client(script).create(REQUEST)
    assert len(script.requests) == 1


def test_stream_assembles_the_turn():
    script = Script(
        httpx.Response(
            200, content=sse(*GOOD_STREAM, b"[DONE]"), headers={"content-type": "text/event-stream"}
        )
    )
    with client(script).stream(REQUEST) as stream:
        deltas = list(stream.deltas())
    assert [d.reasoning for d in deltas if d.reasoning] == ["th", "ink"]
    turn = stream.turn
    assert (turn.reasoning_content, turn.content, turn.finish_reason) == ("think", "Hi!", "stop")
    assert turn.usage.total_tokens == 3
    assert stream.finished
    assert json.loads(script.requests[0].content)["stream"] is True


def test_stream_iterates_raw_chunks():
    script = Script(httpx.Response(200, content=sse(*GOOD_STREAM, b"[DONE]")))
    assert list(client(script).stream(REQUEST)) == GOOD_STREAM


def test_sse_framed_error_on_a_stream_becomes_the_typed_error():
    script = Script(err(400, "Param Incorrect", framed=True))
    with pytest.raises(m.BadRequestError, match="Param Incorrect"):
        list(client(script).stream(REQUEST))


def test_error_event_with_200_status_uses_its_code():
    body = sse({"error": {"code": "429", "message": "Too many requests", "type": "limitation"}})
    script = Script(
        httpx.Response(200, content=body), httpx.Response(200, content=sse(*GOOD_STREAM, b"[DONE]"))
    )
    with client(script).stream(REQUEST) as stream:
        list(stream)
    assert stream.turn.content == "Hi!"
    assert len(script.requests) == 2  # the 429 event before any chunk was retried


def test_eof_without_finish_or_done_raises_with_partial():
    script = Script(httpx.Response(200, content=sse(*GOOD_STREAM[:4])))
    with pytest.raises(m.StreamInterruptedError) as info:
        list(client(script, max_retries=0).stream(REQUEST))
    partial = info.value.partial
    assert partial.reasoning_content == "think" and partial.content == "Hi"
    assert partial.finish_reason is None


def test_finish_without_done_is_complete():
    script = Script(httpx.Response(200, content=sse(*GOOD_STREAM)))
    stream = client(script).stream(REQUEST)
    list(stream)
    assert stream.finished and stream.turn.content == "Hi!"


def cut_after(events, exc):
    def body():
        for event in events:
            yield sse(event)
        raise exc

    return lambda: httpx.Response(200, content=body())


def test_connection_drop_mid_stream_raises_with_partial_and_is_not_retried():
    script = Script(
        cut_after(GOOD_STREAM[:4], httpx.ReadError("reset")),
        httpx.Response(200, content=sse(*GOOD_STREAM)),
    )
    with pytest.raises(m.StreamInterruptedError, match="cut short") as info:
        list(client(script).stream(REQUEST))
    assert info.value.partial.content == "Hi"
    assert len(script.requests) == 1


def test_drop_before_first_event_is_retried():
    script = Script(
        cut_after([], httpx.ReadError("reset")),
        httpx.Response(200, content=sse(*GOOD_STREAM, b"[DONE]")),
    )
    stream = client(script).stream(REQUEST)
    assert list(stream) == GOOD_STREAM
    assert len(script.requests) == 2


def test_garbage_mid_stream_raises_with_partial():
    script = Script(httpx.Response(200, content=sse(*GOOD_STREAM[:3]) + b"data: {not json\n\n"))
    with pytest.raises(m.StreamInterruptedError, match="not JSON") as info:
        list(client(script).stream(REQUEST))
    assert info.value.partial.reasoning_content == "think"


def test_errors_and_logs_never_hold_the_key(caplog):
    caplog.set_level(logging.DEBUG)
    script = Script(err(401, "Invalid API Key"))
    with pytest.raises(m.AuthenticationError) as info:
        client(script).create(REQUEST)
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert KEY not in json.dumps(info.value.headers)
    assert KEY not in caplog.text


async def test_async_create_stream_and_retry():
    script = Script(
        err(503),
        httpx.Response(200, json=COMPLETION),
        httpx.Response(200, content=sse(*GOOD_STREAM, b"[DONE]")),
    )
    async with aclient(script) as c:
        assert (await c.create(REQUEST))["id"] == "c1"
        chunks = [ch async for ch in c.stream(REQUEST)]
    assert chunks == GOOD_STREAM
    assert len(script.requests) == 3


async def test_async_cut_stream_raises_with_partial():
    async def body():
        yield sse(GOOD_STREAM[1])
        raise httpx.ReadError("reset")

    script = Script(lambda: httpx.Response(200, content=body()))
    stream = aclient(script, max_retries=0).stream(REQUEST)
    with pytest.raises(m.StreamInterruptedError) as info:
        async for _ in stream.deltas():
            pass
    assert info.value.partial.reasoning_content == "th"


async def test_async_eof_without_finish_raises():
    script = Script(httpx.Response(200, content=sse(*GOOD_STREAM[:2])))
    with pytest.raises(m.StreamInterruptedError):
        async with aclient(script, max_retries=0).stream(REQUEST) as stream:
            async for _ in stream:
                pass


async def test_async_stream_closed_early_releases_its_slot():
    script = Script(*(httpx.Response(200, content=sse(*GOOD_STREAM, b"[DONE]")) for _ in range(3)))
    c = aclient(script, max_connections=1)
    for _ in range(3):  # with one slot, a leaked slot would hang the second stream
        async with c.stream(REQUEST) as stream:
            async for _chunk in stream:
                break
    assert c.slots._value == 1


def test_non_sse_answer_to_a_stream_is_reported_not_retried():
    script = Script(
        httpx.Response(
            200, content=b"<html>maintenance</html>", headers={"content-type": "text/html"}
        )
    )
    with pytest.raises(m.MiMoError, match="not an event stream") as info:
        list(client(script).stream(REQUEST))
    assert "maintenance" in str(info.value)
    assert len(script.requests) == 1
