"""The core's rate limiter: the window rule on a fake clock, then against a rate-limited emulator.

Time is scaled: the emulator and the limiter take ``window_seconds`` (60 in production), so
"three minutes' budget" runs in about three seconds. A batch's pace is measured from the
emulator's arrival times: requests per window between the first and the last, as a share
of the limit (the limiter spreads requests evenly, so this is its steady pace).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import random
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from mimo_client import AsyncMiMoClient, MiMoClient
from mimo_client.rate_limit import (
    RateLimiter,
    SlidingWindow,
    estimate_tokens,
    key_fingerprint,
    shared_limiter,
)
from mimo_client.testing import MiMoEmulator, Reply

from ..rate_windows import max_in_any_window, sustained_share

MODEL = "mimo-v2.6-flash"  # short automatic answers
WINDOW = 1.0
LIMIT = 30
BATCH = 2 * LIMIT + 10  # more than two windows' budget


def request(text: str) -> dict[str, Any]:
    return {"model": MODEL, "messages": [{"role": "user", "content": text}]}


@pytest.fixture
def limited_emulator() -> Iterator[MiMoEmulator]:
    with MiMoEmulator(requests_per_minute=LIMIT, window_seconds=WINDOW) as emu:
        yield emu


@pytest.fixture
def fresh_registry(limited_emulator: MiMoEmulator) -> RateLimiter:
    # A new emulator has a new key, so the process registry gives a fresh limiter; the
    # window is time-scaled the same way as the emulator's.
    return shared_limiter(
        limited_emulator.api_key,
        limited_emulator.base_url,
        MODEL,
        requests_per_minute=LIMIT,
        window_seconds=WINDOW,
    )


def check_batch(emu: MiMoEmulator, answers: Sequence[str], prompts: Sequence[str]) -> None:
    assert emu.rate_limit is not None
    assert emu.rate_limit.rejected == 0
    assert len(answers) == len(prompts)
    for prompt, answer in zip(prompts, answers, strict=True):
        assert answer == f"Emulated MiMo answer to: {prompt}"  # in the order given
    times = [r.received_at for r in emu.chat_requests]
    assert len(times) == len(prompts)
    assert max_in_any_window(times, WINDOW) <= LIMIT
    assert sustained_share(times, LIMIT, WINDOW) >= 0.85


# --- the window rule on a fake clock ------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_requests_are_spread_over_the_window_not_sent_as_a_burst() -> None:
    clock = FakeClock()
    window = SlidingWindow(3, window_seconds=10.0, send_margin=0.05, clock=clock)
    assert window.request(1)[0] is not None
    permit, _, wait = window.request(1)
    assert permit is None
    assert wait == pytest.approx(3.5, abs=0.01)  # (10 s + 5%) / 3 requests


def test_a_full_window_waits_until_the_oldest_entry_is_a_window_and_margin_old() -> None:
    clock = FakeClock()
    window = SlidingWindow(3, window_seconds=10.0, send_margin=0.05, clock=clock)
    permits = []
    for at in (0.0, 3.5, 7.0):
        clock.now = at
        permits.append(window.request(1)[0])
    assert all(p is not None for p in permits)
    clock.now = 8.0
    permit, ticket, wait = window.request(1)
    assert permit is None and ticket is not None
    assert wait == pytest.approx(2.5, abs=0.01)  # let through at 0, held for 10 s + 5%
    for p in permits:
        assert p is not None
        window.settle(p, 1)  # answers do not free a slot early
    clock.now = 10.49
    assert window.request(1, ticket)[0] is None
    clock.now = 10.51
    assert window.request(1, ticket)[0] is not None


def test_no_window_of_grants_exceeds_the_limit_whatever_the_latency() -> None:
    clock = FakeClock()
    limit = 5
    window = SlidingWindow(limit, window_seconds=1.0, clock=clock)
    rng = random.Random(7)
    in_flight: list[tuple[float, int, float]] = []  # (answered at, permit, sent at)
    arrivals: list[float] = []  # when a "server" would have read each request
    tickets: dict[int, int | None] = dict.fromkeys(range(40))
    while tickets or in_flight:
        clock.now += rng.uniform(0.0, 0.05)
        for done in [f for f in in_flight if f[0] <= clock.now]:
            in_flight.remove(done)
            window.settle(done[1], 1)
        for caller, ticket in list(tickets.items()):
            permit, ticket, _ = window.request(1, ticket)
            if permit is not None:
                del tickets[caller]
                latency = rng.uniform(0.0, 3.0)  # answers may take longer than the window
                # the service reads the request within the send margin (5% of the window)
                arrivals.append(clock.now + rng.uniform(0.0, 0.05))
                in_flight.append((clock.now + latency, permit, clock.now))
            else:
                tickets[caller] = ticket
    assert len(arrivals) == 40
    assert max_in_any_window(arrivals, 1.0) <= limit


def test_waiters_are_served_first_come_first_served() -> None:
    clock = FakeClock()
    window = SlidingWindow(1, window_seconds=1.0, clock=clock)
    first = window.request(1)[0]  # the only slot: the others queue behind it
    assert first is not None
    _, early, _ = window.request(1)
    _, late, _ = window.request(1)
    window.settle(first, 1)
    clock.now = 1.5
    assert window.request(1, late)[0] is None  # not its turn: the earlier waiter goes first
    assert window.request(1, early)[0] is not None


def test_tokens_are_estimated_then_taken_from_usage() -> None:
    clock = FakeClock()
    window = SlidingWindow(None, 1000, window_seconds=1.0, clock=clock)
    body = b'{"model":"m","messages":[{"role":"user","content":"hello there"}]}'
    estimate = estimate_tokens({"max_completion_tokens": 100}, len(body))
    assert estimate == -(-len(body) // 3) + 100
    permit = window.request(estimate)[0]
    assert permit is not None
    assert window.usage() == (1, estimate)
    window.settle(permit, 900)  # the answer's usage.total_tokens
    assert window.usage() == (1, 900)
    permit, ticket, _ = window.request(200)
    assert permit is None  # 900 + 200 > 1000 until the answer ages out
    clock.now = 1.06  # a window and the send margin later
    assert window.request(200, ticket)[0] is not None


def test_a_request_bigger_than_the_token_budget_goes_alone() -> None:
    window = SlidingWindow(None, 100, window_seconds=1.0, clock=FakeClock())
    assert window.request(500)[0] is not None
    assert window.request(1)[0] is None


def test_limits_are_checked_with_a_clear_error() -> None:
    with pytest.raises(ValueError, match="requests_per_minute must be a positive whole number"):
        MiMoClient(api_key="k", base_url="http://127.0.0.1:9/v1", requests_per_minute=0)
    with pytest.raises(ValueError, match="tokens_per_minute"):
        SlidingWindow(10, -5)


def test_the_registry_shares_one_limiter_and_never_holds_the_key() -> None:
    key = "sk-registry-secret-123"
    first = shared_limiter(key, "http://127.0.0.1:1/v1", "m", requests_per_minute=5)
    again = shared_limiter(key, "http://127.0.0.1:1/v1/", "m", requests_per_minute=7)
    other = shared_limiter(key, "http://127.0.0.1:1/v1", "other", requests_per_minute=5)
    assert first is again and first is not other
    assert isinstance(first.window, SlidingWindow)
    assert first.window.requests_per_window == 7  # the latest setting wins
    from mimo_client import rate_limit

    assert key not in repr(rate_limit._registry) and key not in repr(first)
    assert key_fingerprint(key) in {name[0] for name in rate_limit._registry}


# --- against the rate-limited emulator -----------------------------------------------------------


def test_a_sync_batch_runs_at_the_limit_without_a_429(
    limited_emulator: MiMoEmulator, fresh_registry: RateLimiter
) -> None:
    emu = limited_emulator
    prompts = [f"question {i}" for i in range(BATCH)]
    with MiMoClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        requests_per_minute=LIMIT,
        max_retries=0,
        timeout=20,
    ) as client:

        def ask(prompt: str) -> str:
            return str(client.create(request(prompt))["choices"][0]["message"]["content"])

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(ask, prompts, timeout=50))
    check_batch(emu, answers, prompts)


async def test_an_async_batch_runs_at_the_limit_without_a_429(
    limited_emulator: MiMoEmulator, fresh_registry: RateLimiter
) -> None:
    emu = limited_emulator
    prompts = [f"question {i}" for i in range(BATCH)]
    async with AsyncMiMoClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        requests_per_minute=LIMIT,
        max_retries=0,
        timeout=20,
    ) as client:

        async def ask(prompt: str) -> str:
            completion = await client.create(request(prompt))
            return str(completion["choices"][0]["message"]["content"])

        ticks = 0

        async def ticker() -> None:  # the loop keeps running while callers wait
            nonlocal ticks
            while True:
                await asyncio.sleep(0.05)
                ticks += 1

        beat = asyncio.create_task(ticker())
        answers = await asyncio.wait_for(asyncio.gather(*(ask(p) for p in prompts)), 50)
        beat.cancel()
    check_batch(emu, answers, prompts)
    assert ticks >= 20  # ~2 s of waiting at 50 ms a tick: the loop was never blocked


def test_streams_take_slots_and_settle_with_their_usage(
    limited_emulator: MiMoEmulator, fresh_registry: RateLimiter
) -> None:
    emu = limited_emulator
    window = fresh_registry.window
    assert isinstance(window, SlidingWindow)
    client = MiMoClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        requests_per_minute=LIMIT,
        max_retries=0,
        timeout=20,
    )
    with client.stream(request("hello stream")) as stream:
        text = "".join(d.content or "" for d in stream.deltas())
    assert text == "Emulated MiMo answer to: hello stream"
    usage = stream.turn.usage
    assert usage is not None
    assert window.usage() == (1, usage.total_tokens)  # the estimate replaced by usage
    client.close()


async def test_async_streams_take_slots_too(
    limited_emulator: MiMoEmulator, fresh_registry: RateLimiter
) -> None:
    emu = limited_emulator
    async with AsyncMiMoClient(
        api_key=emu.api_key,
        base_url=emu.base_url,
        requests_per_minute=LIMIT,
        max_retries=0,
        timeout=20,
    ) as client:

        async def ask(i: int) -> str:
            async with client.stream(request(f"s{i}")) as stream:
                return "".join([d.content or "" async for d in stream.deltas()])

        answers = await asyncio.wait_for(asyncio.gather(*(ask(i) for i in range(LIMIT + 5))), 30)
    assert answers[-1] == f"Emulated MiMo answer to: s{LIMIT + 4}"
    assert emu.rate_limit is not None and emu.rate_limit.rejected == 0
    times = [r.received_at for r in emu.chat_requests]
    assert max_in_any_window(times, WINDOW) <= LIMIT


def test_the_token_limit_holds_with_tokens_from_usage() -> None:
    budget = 1000
    with MiMoEmulator(tokens_per_minute=budget, window_seconds=WINDOW) as emu:
        big = {"prompt_tokens": 10, "completion_tokens": 940, "total_tokens": 950}
        emu.script(*[Reply.text("ok", usage=big) for _ in range(4)])
        shared_limiter(
            emu.api_key, emu.base_url, MODEL, tokens_per_minute=budget, window_seconds=WINDOW
        )
        client = MiMoClient(
            api_key=emu.api_key,
            base_url=emu.base_url,
            tokens_per_minute=budget,
            max_retries=0,
            timeout=20,
        )
        started = time.monotonic()
        for i in range(4):
            client.create({**request(f"t{i}"), "max_completion_tokens": 50})
        elapsed = time.monotonic() - started
        client.close()
        assert emu.rate_limit is not None and emu.rate_limit.rejected == 0
        # Each answer used 950 tokens (usage), far above the ~80 estimated: only one fits a
        # window, so four calls span three windows (on the estimates all four would fit one).
        assert elapsed >= 3 * WINDOW
        times = [r.received_at for r in emu.chat_requests]
        assert all(b - a >= WINDOW for a, b in itertools.pairwise(times))


def test_a_429_waits_for_the_limiters_next_slot_not_a_blind_backoff() -> None:
    window = 1.5
    with MiMoEmulator(requests_per_minute=3, window_seconds=window) as emu:
        # Someone else spends the window first (another process with the same key).
        other = MiMoClient(api_key=emu.api_key, base_url=emu.base_url, max_retries=0, timeout=20)
        for i in range(3):
            other.create(request(f"other {i}"))
        other.close()
        shared_limiter(
            emu.api_key, emu.base_url, MODEL, requests_per_minute=3, window_seconds=window
        )
        client = MiMoClient(
            api_key=emu.api_key,
            base_url=emu.base_url,
            requests_per_minute=3,
            max_retries=2,
            retry_base_delay=0.2,  # a blind backoff would retry within 0.6 s and fail again
        )
        answer = client.create(request("mine"))
        client.close()
        assert answer["choices"][0]["message"]["content"] == "Emulated MiMo answer to: mine"
        mine = [r.received_at for r in emu.chat_requests[3:]]
        assert len(mine) == 2  # one 429, then one retry that went through
        assert emu.rate_limit is not None and emu.rate_limit.rejected == 1
        assert mine[1] - mine[0] >= window * 0.95


def test_a_forked_child_starts_with_limiters_of_its_own() -> None:
    # The parent's log says nothing about the child's traffic (and a parent thread may hold
    # the registry's lock at fork time): the child's registry starts empty.
    url = "http://127.0.0.1:1/v1"
    parent = shared_limiter("sk-fork-key", url, "m", requests_per_minute=5)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        mine = shared_limiter("sk-fork-key", url, "m", requests_per_minute=5)
        send.send((mine is parent, mine.window.request(1)[0] is not None))

    process = context.Process(target=child)
    process.start()
    try:
        assert receive.poll(60), "the forked child did not answer"
        assert receive.recv() == (False, True)
    finally:
        process.join(30)
