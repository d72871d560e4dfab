"""``python -m benchmarks.batch``: a large batch under the account's (time-scaled) rate limit.

Each row answers ``--prompts`` prompts (2,000) through one model object against a fresh
loopback MiMo emulator that answers 429 ``limitation`` (no Retry-After, as the service does)
past ``--limit`` requests per ``--window`` seconds (100 per 1 s: the service's 100 a minute,
time-scaled 60x so the run takes seconds). ``--in-flight`` requests at once (16).

Rows:

- ``ChatMiMo``: ``abatch(prompts, config={"max_concurrency": 16})`` with
  ``requests_per_minute=limit`` (the limiter time-scaled like the emulator);
- ``MiMo``: the documented pattern, ``asyncio.gather`` over ``acomplete`` behind a semaphore,
  with ``requests_per_minute=limit``;
- ``ChatOpenAI`` (``abatch``, ``return_exceptions=True``) and ``OpenAILike`` (the same gather
  pattern), each with its default retries (2) and no limiter: what users run today.

Columns: items answered and failed, 429s the emulator sent, achieved pace (answers per
window over the run's wall time, as a share of the limit) and wall time. The peers' backoff
is in real seconds (the SDK's 0.5-8 s), which a 1-second window makes relatively slow; the
429 and failure counts are what to compare. The machine may be shared: the pace of the
limited rows depends little on load (they wait for slots), the wall times of the others do.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from mimo_client.rate_limit import shared_limiter
from mimo_client.testing import MiMoEmulator

MODEL = "mimo-v2.6-flash"


@dataclass
class Row:
    """One row's outcome."""

    name: str
    answered: int
    failed: int
    rejected: int
    pace: float
    seconds: float

    def line(self) -> str:
        """The row as a table line."""
        return (
            f"| {self.name:<10} | {self.answered:>8} | {self.failed:>6} | {self.rejected:>5} | "
            f"{self.pace:>6.0%} | {self.seconds:>7.1f} |"
        )


async def _gather(call: Callable[[str], Awaitable[Any]], prompts: list[Any], n: int) -> list[Any]:
    gate = asyncio.Semaphore(n)

    async def one(prompt: str) -> Any:
        async with gate:
            try:
                return await call(prompt)
            except Exception as exc:  # counted as a failed item
                return exc

    return await asyncio.gather(*(one(p) for p in prompts))


def _chatmimo(
    emu: MiMoEmulator, limit: int
) -> Callable[[list[Any], int], Coroutine[Any, Any, list[Any]]]:
    from langchain_mimo import ChatMiMo

    model = ChatMiMo(
        model=MODEL, api_key=emu.api_key, base_url=emu.base_url, requests_per_minute=limit
    )

    async def run(prompts: list[Any], n: int) -> list[Any]:
        config: Any = {"max_concurrency": n}
        return await model.abatch(prompts, config=config, return_exceptions=True)

    return run


def _mimo(
    emu: MiMoEmulator, limit: int
) -> Callable[[list[Any], int], Coroutine[Any, Any, list[Any]]]:
    from llama_index_mimo import MiMo

    llm = MiMo(model=MODEL, api_key=emu.api_key, base_url=emu.base_url, requests_per_minute=limit)

    async def run(prompts: list[Any], n: int) -> list[Any]:
        return await _gather(llm.acomplete, prompts, n)

    return run


def _chatopenai(
    emu: MiMoEmulator, limit: int
) -> Callable[[list[Any], int], Coroutine[Any, Any, list[Any]]]:
    from langchain_openai import ChatOpenAI
    from openai import DefaultAsyncHttpxClient
    from pydantic import SecretStr

    async def run(prompts: list[Any], n: int) -> list[Any]:
        # The SDK's default connection pool, closed when the row ends (left to the garbage
        # collector, its sockets would be reported unclosed)
        async with DefaultAsyncHttpxClient() as http:
            model = ChatOpenAI(
                model=MODEL,
                api_key=SecretStr(emu.api_key),
                base_url=emu.base_url,
                http_async_client=http,
            )
            config: Any = {"max_concurrency": n}
            return await model.abatch(prompts, config=config, return_exceptions=True)

    return run


def _openailike(
    emu: MiMoEmulator, limit: int
) -> Callable[[list[Any], int], Coroutine[Any, Any, list[Any]]]:
    from llama_index.llms.openai_like import OpenAILike  # type: ignore[import-untyped]
    from openai import DefaultAsyncHttpxClient

    async def run(prompts: list[Any], n: int) -> list[Any]:
        async with DefaultAsyncHttpxClient() as http:  # as in _chatopenai
            llm = OpenAILike(
                model=MODEL,
                api_key=emu.api_key,
                api_base=emu.base_url,
                is_chat_model=True,
                context_window=1_048_576,
                async_http_client=http,
            )
            return await _gather(llm.acomplete, prompts, n)

    return run


ROWS = {
    "ChatMiMo": _chatmimo,
    "MiMo": _mimo,
    "ChatOpenAI": _chatopenai,
    "OpenAILike": _openailike,
}


def run_row(name: str, prompts: int, limit: int, window: float, in_flight: int) -> Row:
    """One row against its own rate-limited emulator (a fresh key: a fresh limiter)."""
    with MiMoEmulator(requests_per_minute=limit, window_seconds=window) as emu:
        shared_limiter(
            emu.api_key, emu.base_url, MODEL, requests_per_minute=limit, window_seconds=window
        )
        batch = ROWS[name](emu, limit)
        items: list[Any] = [f"Label the sentiment of review #{i}." for i in range(prompts)]
        started = time.perf_counter()
        outcomes: list[Any] = asyncio.run(batch(items, in_flight))
        seconds = time.perf_counter() - started
        assert emu.rate_limit is not None
        failed = sum(isinstance(o, BaseException) for o in outcomes)
        answered = len(outcomes) - failed
        pace = answered / (limit * seconds / window)
        return Row(name, answered, failed, emu.rate_limit.rejected, pace, seconds)


def main(argv: list[str] | None = None) -> None:
    """Run the rows one after another and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.batch", description=__doc__)
    parser.add_argument("--prompts", type=int, default=2000)
    parser.add_argument("--limit", type=int, default=100, help="requests per window")
    parser.add_argument("--window", type=float, default=1.0, help="seconds (60 = real time)")
    parser.add_argument("--in-flight", type=int, default=16)
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated row names")
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("llama_index").setLevel(logging.ERROR)  # OpenAILike logs every retry
    print(
        f"{args.prompts} prompts, limit {args.limit} requests per {args.window:g} s window, "
        f"{args.in_flight} in flight"
    )
    print("| row        | answered | failed |  429s |   pace | wall, s |")
    print("|------------|----------|--------|-------|--------|---------|")
    for name in args.rows.split(","):
        print(
            run_row(name, args.prompts, args.limit, args.window, args.in_flight).line(), flush=True
        )


if __name__ == "__main__":
    main()
