"""Batches at the account's rate limit through both adapters, and models in spawn workers.

Against an emulator that answers 429 past a time-scaled limit (``window_seconds=1``: the
per-minute numbers apply to each second), a batch of more than two windows' budget must
finish with every item answered in order, no 429, no window over the limit, at 85% of the
limit or more (requests per window between the first and the last arrival).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import operator
import pickle
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import Any

import pytest
from langchain_core.rate_limiters import InMemoryRateLimiter

from langchain_mimo import ChatMiMo
from llama_index_mimo import MiMo
from mimo_client.rate_limit import shared_limiter
from mimo_client.testing import MiMoEmulator

from ..rate_windows import max_in_any_window, sustained_share

MODEL = "mimo-v2.6-flash"
WINDOW = 1.0
LIMIT = 30
BATCH = 2 * LIMIT + 10  # more than two windows' budget


@pytest.fixture
def emu() -> Iterator[MiMoEmulator]:
    with MiMoEmulator(requests_per_minute=LIMIT, window_seconds=WINDOW) as server:
        shared_limiter(
            server.api_key,
            server.base_url,
            MODEL,
            requests_per_minute=LIMIT,
            window_seconds=WINDOW,  # the process's limiter, time-scaled like the emulator
        )
        yield server


def check(emu: MiMoEmulator, answers: Sequence[str], prompts: Sequence[str]) -> None:
    assert emu.rate_limit is not None and emu.rate_limit.rejected == 0
    assert list(answers) == [f"Emulated MiMo answer to: {p}" for p in prompts]
    times = [r.received_at for r in emu.chat_requests]
    assert len(times) == len(prompts)
    assert max_in_any_window(times, WINDOW) <= LIMIT
    assert sustained_share(times, LIMIT, WINDOW) >= 0.85


def chat(emu: MiMoEmulator, **kwargs: Any) -> ChatMiMo:
    return ChatMiMo(
        model=MODEL,
        api_key=emu.api_key,
        base_url=emu.base_url,
        requests_per_minute=LIMIT,
        timeout=20,
        max_retries=0,  # a 429 would fail the item: none may come
        **kwargs,
    )


def test_chatmimo_batch_runs_at_the_limit(emu: MiMoEmulator) -> None:
    prompts: list[Any] = [f"item {i}" for i in range(BATCH)]
    results = chat(emu).batch(prompts, config={"max_concurrency": 8})
    check(emu, [str(m.content) for m in results], prompts)


async def test_chatmimo_abatch_runs_at_the_limit(emu: MiMoEmulator) -> None:
    prompts: list[Any] = [f"item {i}" for i in range(BATCH)]
    results = await asyncio.wait_for(chat(emu).abatch(prompts, config={"max_concurrency": 16}), 60)
    check(emu, [str(m.content) for m in results], prompts)


def test_langchains_own_rate_limiter_still_applies(emu: MiMoEmulator) -> None:
    outer = InMemoryRateLimiter(requests_per_second=2, check_every_n_seconds=0.01)
    model = chat(emu, rate_limiter=outer)
    answers = [str(model.invoke(f"q{i}").content) for i in range(3)]
    assert answers == [f"Emulated MiMo answer to: q{i}" for i in range(3)]
    times = [r.received_at for r in emu.chat_requests]
    # LangChain's 2 a second spaces the three ~1 s apart (its bucket fills during a call);
    # ours alone (30 a second) would send them within 0.07 s.
    assert times[-1] - times[0] >= 0.6


async def test_mimo_documented_gather_pattern_runs_at_the_limit(emu: MiMoEmulator) -> None:
    llm = MiMo(
        model=MODEL,
        api_key=emu.api_key,
        base_url=emu.base_url,
        requests_per_minute=LIMIT,
        timeout=20,
        max_retries=0,
    )
    gate = asyncio.Semaphore(16)

    async def ask(prompt: str) -> str:
        async with gate:
            return str((await llm.acomplete(prompt)).text)

    prompts = [f"item {i}" for i in range(BATCH)]
    answers = await asyncio.wait_for(asyncio.gather(*(ask(p) for p in prompts)), 60)
    check(emu, answers, prompts)


# --- models made here, used in spawn workers -----------------------------------------------------


def _spawn_pool() -> ProcessPoolExecutor:
    # DEBUG logging in the workers: whatever the core, httpx or the adapters log is captured.
    init = partial(logging.basicConfig, level=logging.DEBUG, force=True)
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=init)


@pytest.mark.parametrize("kind", ["ChatMiMo", "MiMo"])
def test_models_pickle_into_spawn_workers_and_the_key_stays_out_of_their_logs(
    kind: str, emu: MiMoEmulator, capfd: pytest.CaptureFixture[str]
) -> None:
    if kind == "ChatMiMo":
        model: object = chat(emu)
        call = operator.methodcaller("invoke", "from a worker")
    else:
        model = MiMo(model=MODEL, api_key=emu.api_key, base_url=emu.base_url, timeout=20)
        call = operator.methodcaller("complete", "from a worker")
    pickle.dumps(model)  # fails here, not in the pool, if it cannot travel
    with _spawn_pool() as pool:
        results = [f.result(timeout=120) for f in [pool.submit(call, model) for _ in range(2)]]
    texts = [str(getattr(r, "content", None) or getattr(r, "text", "")) for r in results]
    assert texts == ["Emulated MiMo answer to: from a worker"] * 2
    logs = capfd.readouterr()
    assert "HTTP Request: POST" in logs.err  # the workers' logs were captured
    assert emu.api_key not in logs.out + logs.err
