"""The fault suite: every injected fault x {create, stream} x {sync, async} against the core.

Each case either succeeds after a retry (the emulator saw the retried request) or raises the
right typed error from ``mimo_client``; a stream cut after its first event exposes the partial
turn on ``StreamInterruptedError.partial``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mimo_client import (
    APIConnectionError,
    APITimeoutError,
    AsyncMiMoClient,
    AuthenticationError,
    BadRequestError,
    ContentFilterError,
    InsufficientBalanceError,
    MiMoClient,
    MiMoError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
    build_request,
)
from mimo_client.testing import MiMoEmulator, Reply

TIMEOUT = 0.5  # client timeout for the slow-server cases
OK = Reply.text("all good", reasoning="fine")
# role, "think " , "hard", "alpha " -> four events, then the cut
CUT_REPLY = Reply.text("alpha beta gamma", reasoning="think hard")
BAD_EVENT_STREAM = (
    b'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"role":"assistant","content":"half"},'
    b'"finish_reason":null}]}\n\ndata: {not json\n\n'
)


@dataclass(frozen=True)
class Expect:
    """What a case must end with: success (error None) or this exact error type."""

    error: type[Exception] | None
    requests: int
    check: Callable[[Any, MiMoEmulator], None] | None = None


@dataclass(frozen=True)
class Fault:
    name: str
    script: Callable[[], list[Reply]]
    create: Expect
    stream: Expect | None = None  # when the streamed call must end differently

    def expect(self, mode: str) -> Expect:
        return self.stream if mode == "stream" and self.stream is not None else self.create


def waited_retry_after(seconds: float) -> Callable[[Any, MiMoEmulator], None]:
    def check(outcome: Any, emu: MiMoEmulator) -> None:
        first, second = emu.chat_requests[:2]
        assert second.received_at - first.received_at >= seconds - 0.05

    return check


def http_date_in(seconds: int) -> Reply:
    when = dt.datetime.fromtimestamp(math.ceil(time.time()) + seconds, tz=dt.timezone.utc)
    return Reply.error(429, retry_after=when)


def waited_until_date(outcome: Any, emu: MiMoEmulator) -> None:
    first, second = emu.chat_requests[:2]
    # the date is a whole second at most 2 s after the first request; the retry waits for it
    assert second.received_at >= math.floor(first.received_at) + 1 - 0.05


def rate_limited(outcome: Any, emu: MiMoEmulator) -> None:
    assert isinstance(outcome, RateLimitError)
    assert outcome.retry_after == 0
    assert outcome.status == 429 and outcome.code == "429"


def has_param(param: str) -> Callable[[Any, MiMoEmulator], None]:
    def check(outcome: Any, emu: MiMoEmulator) -> None:
        assert outcome.param == param
        assert param in str(outcome)

    return check


def partial_turn(outcome: Any, emu: MiMoEmulator) -> None:
    partial = outcome.partial
    assert partial is not None
    assert partial.reasoning_content == "think hard"
    assert partial.content == "alpha "
    assert partial.finish_reason is None


def partial_half(outcome: Any, emu: MiMoEmulator) -> None:
    assert outcome.partial is not None
    assert outcome.partial.content == "half"


def names_body(text: str) -> Callable[[Any, MiMoEmulator], None]:
    def check(outcome: Any, emu: MiMoEmulator) -> None:
        assert text in str(outcome)

    return check


def status_is(status: int) -> Callable[[Any, MiMoEmulator], None]:
    def check(outcome: Any, emu: MiMoEmulator) -> None:
        assert outcome.status == status

    return check


def retried(n: int) -> Expect:
    return Expect(None, n)


def never(
    error: type[Exception], check: Callable[[Any, MiMoEmulator], None] | None = None
) -> Expect:
    return Expect(error, 1, check)


FAULTS = [
    Fault(
        "429-retry-after-seconds",
        lambda: [Reply.error(429, retry_after=1), OK],
        Expect(None, 2, waited_retry_after(1.0)),
    ),
    Fault(
        "429-retry-after-http-date",
        lambda: [http_date_in(1), OK],
        Expect(None, 2, waited_until_date),
    ),
    Fault("429-then-ok", lambda: [Reply.error(429), OK], retried(2)),
    Fault("500-then-ok", lambda: [Reply.error(500), OK], retried(2)),
    Fault(
        "502-then-ok", lambda: [Reply.error(502, body=b"<html>bad gateway</html>"), OK], retried(2)
    ),
    Fault("503-twice-then-ok", lambda: [Reply.error(503), Reply.error(503), OK], retried(3)),
    Fault("504-then-ok", lambda: [Reply.error(504), OK], retried(2)),
    Fault(
        "429-exhausts-retries",
        lambda: [Reply.error(429, retry_after=0)] * 3,
        Expect(RateLimitError, 3, rate_limited),
    ),
    Fault("503-exhausts-retries", lambda: [Reply.error(503)] * 3, Expect(ServerError, 3)),
    Fault(
        "400-not-retried",
        lambda: [Reply.error(400, param="bad thing"), OK],
        never(BadRequestError, has_param("bad thing")),
    ),
    Fault("401-not-retried", lambda: [Reply.error(401), OK], never(AuthenticationError)),
    Fault("402-not-retried", lambda: [Reply.error(402), OK], never(InsufficientBalanceError)),
    Fault("403-not-retried", lambda: [Reply.error(403), OK], never(PermissionDeniedError)),
    Fault("404-not-retried", lambda: [Reply.error(404), OK], never(NotFoundError)),
    Fault("421-not-retried", lambda: [Reply.error(421), OK], never(ContentFilterError)),
    Fault(
        "delay-first-byte-then-ok",
        lambda: [OK.with_faults(delay=TIMEOUT * 3), OK],
        retried(2),
    ),
    Fault(
        "delay-first-byte-every-time",
        lambda: [OK.with_faults(delay=TIMEOUT * 3)] * 3,
        Expect(APITimeoutError, 3),
    ),
    Fault(
        "slow-deltas-within-timeout",
        lambda: [OK.with_faults(event_delay=0.02), OK],
        retried(1),
    ),
    Fault(
        "slow-deltas-beyond-timeout",
        lambda: [OK.with_faults(event_delay=TIMEOUT * 2), OK],
        create=retried(1),  # a non-streamed body is written at once
        stream=Expect(StreamInterruptedError, 1),
    ),
    Fault("cut-before-response", lambda: [OK.with_faults(cut_after=0), OK], retried(2)),
    Fault(
        "cut-before-response-every-time",
        lambda: [OK.with_faults(cut_after=0)] * 3,
        Expect(APIConnectionError, 3),
    ),
    Fault(
        "cut-after-4-events",
        lambda: [CUT_REPLY.with_faults(cut_after=4), OK],
        create=retried(2),  # the body broke before the caller saw anything
        stream=Expect(StreamInterruptedError, 1, partial_turn),
    ),
    Fault(
        "clean-eof-without-finish",
        lambda: [CUT_REPLY.with_faults(eof_after=4), OK],
        create=never(MiMoError),  # a 200 whose JSON body is cut: not JSON
        stream=Expect(StreamInterruptedError, 1, partial_turn),
    ),
    Fault("garbage-bytes-then-ok", lambda: [Reply.garbage(), OK], retried(2)),
    Fault(
        "garbage-bytes-every-time",
        lambda: [Reply.garbage()] * 3,
        Expect(APIConnectionError, 3),
    ),
    # A 200 that is not JSON (a proxy's page, a wrong base_url) is not retried and says what
    # came back, streamed or not.
    Fault(
        "non-json-200",
        lambda: [Reply.raw(b"<html>maintenance</html>"), OK],
        never(MiMoError, names_body("<html>maintenance</html>")),
    ),
    Fault(
        "garbage-sse-event",
        lambda: [Reply.raw(BAD_EVENT_STREAM, content_type="text/event-stream"), OK],
        # create() got an event stream with no error in it: not a 400 from the service
        create=never(MiMoError, status_is(200)),
        stream=Expect(StreamInterruptedError, 1, partial_half),
    ),
]

REQUEST = build_request([{"role": "user", "content": "Is everything fine?"}], model="mimo-v2.6-pro")


def clients(emu: MiMoEmulator) -> dict[str, Any]:
    return {
        "api_key": emu.api_key,
        "base_url": emu.base_url,
        "timeout": TIMEOUT,
        "max_retries": 2,
        "retry_base_delay": 0.01,
    }


def run_sync(emu: MiMoEmulator, mode: str) -> Any:
    with MiMoClient(**clients(emu)) as client:
        try:
            if mode == "create":
                return client.create(REQUEST)
            with client.stream(REQUEST) as stream:
                chunks = list(stream)
                assert stream.finished
                return {"chunks": chunks, "turn": stream.turn}
        except MiMoError as exc:
            return exc


async def run_async(emu: MiMoEmulator, mode: str) -> Any:
    async with AsyncMiMoClient(**clients(emu)) as client:
        try:
            if mode == "create":
                return await client.create(REQUEST)
            async with client.stream(REQUEST) as stream:
                chunks = [chunk async for chunk in stream]
                assert stream.finished
                return {"chunks": chunks, "turn": stream.turn}
        except MiMoError as exc:
            return exc


def assert_success(outcome: Any, mode: str) -> None:
    assert not isinstance(outcome, Exception), f"{type(outcome).__name__}: {outcome}"
    if mode == "create":
        message = outcome["choices"][0]["message"]
        assert message["content"] == "all good"
        assert message["reasoning_content"] == "fine"
    else:
        turn = outcome["turn"]
        assert (turn.content, turn.reasoning_content, turn.finish_reason) == (
            "all good",
            "fine",
            "stop",
        )
        assert turn.usage is not None and turn.usage.output_tokens == 3


@pytest.mark.parametrize("flavor", ["sync", "async"])
@pytest.mark.parametrize("mode", ["create", "stream"])
@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault(fault: Fault, mode: str, flavor: str) -> None:
    expect = fault.expect(mode)
    with MiMoEmulator() as emu:
        emu.script(*fault.script())
        run = run_sync if flavor == "sync" else lambda e, m: asyncio.run(run_async(e, m))
        outcome = run(emu, mode)
        seen = len(emu.chat_requests)
    if expect.error is None:
        assert_success(outcome, mode)
    else:
        assert type(outcome) is expect.error, f"{type(outcome).__name__}: {outcome}"
        assert emu.api_key not in str(outcome)
    assert seen == expect.requests, f"the emulator saw {seen} requests"
    if expect.check is not None:
        expect.check(outcome, emu)
