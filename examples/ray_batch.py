"""Answer a dataset of prompts with ``ChatMiMo`` on Ray workers, at the account's rate limit.

``pip install "mimo-integrations[langchain,ray]"``, then::

    python examples/ray_batch.py --prompts 2000 [--out results.jsonl] [--workers 2]

Each Ray task answers a chunk of prompts with ``ChatMiMo.batch`` (a few requests in flight
per task). The account's limit is held across every worker by one shared limiter: a Ray
actor hosting ``mimo_client.rate_limit.SlidingWindow``, installed in each worker as the
process's limiter for the key, host and model, so every ``ChatMiMo`` there waits for its
slot. Results are appended to a JSONL file as each chunk finishes; a rerun skips the prompts
already answered there (resumable). The run ends with one line:
``2000 prompts, N answered, 0 failed, K rejected with 429 (...)``.

Live when ``MIMO_API_KEY`` is set (``MIMO_BASE_URL``, ``MIMO_MODEL`` as usual; the limit is
``--requests-per-minute``, 100 by default, over 60-second windows). Without a key it runs on
the embedded loopback emulator, started with a rate limit that answers 429 as the service
does, time-scaled (``--window-seconds 0.5`` by default there: the per-minute limit applies to each
half second) so that 2,000 prompts take seconds, not twenty minutes; K then is the
emulator's own count.
The key travels to the workers inside the pickled model and is never printed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import ray

from langchain_mimo import ChatMiMo
from mimo_client import MiMoClient
from mimo_client.rate_limit import RateLimiter, SlidingWindow, install_limiter
from mimo_client.testing import MiMoEmulator

EMULATED_WINDOW = 0.5  # seconds: "per minute" means per half second on the emulator


class ActorWindow:
    """A ``mimo_client.rate_limit.Window`` that asks the shared Ray actor."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def request(self, tokens: int, ticket: int | None) -> tuple[int | None, int | None, float]:
        """Ask the actor for a slot (a short round trip; the waiting happens here)."""
        answer: tuple[int | None, int | None, float] = ray.get(
            self.actor.request.remote(tokens, ticket)
        )
        return answer

    def settle(self, permit: int, tokens: int | None, rejected: bool) -> None:
        """Report the answer (not waited for: the actor runs calls in order)."""
        self.actor.settle.remote(permit, tokens, rejected)

    def cancel(self, ticket: int) -> None:
        """Leave the actor's queue."""
        self.actor.cancel.remote(ticket)


class _Count429(logging.Handler):
    """Counts the core's retries after a 429 (its log line names RateLimitError)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if "RateLimitError" in record.getMessage():
            self.count += 1


@ray.remote(num_cpus=1)
def answer_chunk(
    model: ChatMiMo, base_url: str, window: Any, items: list[tuple[int, str]], in_flight: int
) -> tuple[list[dict[str, Any]], int]:
    """Answer ``items`` ((id, prompt) pairs) on a worker; returns records and 429s seen."""
    assert model.api_key is not None
    install_limiter(RateLimiter(ActorWindow(window)), model.api_key, base_url, model.model_name)
    counter = _Count429()
    core_log = logging.getLogger("mimo_client")
    core_log.addHandler(counter)
    core_log.setLevel(logging.INFO)
    core_log.propagate = False  # counted here, not printed to the worker's log
    try:
        prompts: list[Any] = [prompt for _, prompt in items]
        outcomes = model.batch(
            prompts, config={"max_concurrency": in_flight}, return_exceptions=True
        )
    finally:
        core_log.removeHandler(counter)
    records = []
    for (item_id, prompt), outcome in zip(items, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            records.append({"id": item_id, "prompt": prompt, "error": type(outcome).__name__})
        else:
            records.append({"id": item_id, "prompt": prompt, "answer": outcome.text})
    return records, counter.count


def dataset(size: int) -> list[str]:
    """The prompts (a stand-in for a real evaluation or labelling set)."""
    return [f"Label the sentiment of review #{i}: 'Works as described.'" for i in range(size)]


def answered_before(path: Path) -> set[int]:
    """Ids already answered in ``path`` (a rerun skips them)."""
    done: set[int] = set()
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a line cut by an interrupted run
            if isinstance(record, dict) and "answer" in record:
                done.add(int(record["id"]))
    return done


def chunks(items: list[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    """``items`` in slices of ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def main(argv: list[str] | None = None) -> int:
    """Run the batch; print the one summary line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prompts", type=int, default=2000, help="dataset size (default 2000)")
    parser.add_argument("--out", type=Path, default=Path("ray_batch_results.jsonl"))
    parser.add_argument("--workers", type=int, default=2, help="Ray CPUs, one task each")
    parser.add_argument("--in-flight", type=int, default=8, help="requests in flight per task")
    parser.add_argument("--chunk", type=int, default=50, help="prompts per Ray task")
    parser.add_argument("--requests-per-minute", type=int, default=100)
    parser.add_argument(
        "--window-seconds", type=float, default=None, help="default 60; 0.5 emulated"
    )
    args = parser.parse_args(argv)

    key = os.environ.get("MIMO_API_KEY")
    model_name = os.environ.get("MIMO_MODEL", "mimo-v2.6-flash")
    limit = args.requests_per_minute
    with ExitStack() as stack:
        emulator = None
        if key:
            window_seconds = args.window_seconds or 60.0
            with MiMoClient(api_key=key) as probe:  # the base URL as the core resolves it
                base_url = probe.base_url
        else:
            window_seconds = args.window_seconds or EMULATED_WINDOW
            emulator = stack.enter_context(
                MiMoEmulator(requests_per_minute=limit, window_seconds=window_seconds)
            )
            key, base_url = emulator.api_key, emulator.base_url
        model = ChatMiMo(
            model=model_name, api_key=key, base_url=base_url, requests_per_minute=limit
        )

        ray.init(
            num_cpus=args.workers,
            include_dashboard=False,
            logging_level=logging.WARNING,
            log_to_driver=True,
            _node_ip_address="127.0.0.1",
        )
        stack.callback(ray.shutdown)
        shared_window = (
            ray.remote(SlidingWindow)
            .options(num_cpus=0)
            .remote(limit, window_seconds=window_seconds)
        )

        prompts = dataset(args.prompts)
        done = answered_before(args.out)
        todo = [(i, p) for i, p in enumerate(prompts) if i not in done]
        started = time.monotonic()
        pending = [
            answer_chunk.remote(model, base_url, shared_window, chunk, args.in_flight)
            for chunk in chunks(todo, args.chunk)
        ]
        answered = failed = rejected = 0
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("a", encoding="utf-8") as out:
            while pending:
                ready, pending = ray.wait(pending, num_returns=1)
                records, seen_429 = ray.get(ready[0])
                rejected += seen_429
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    if "answer" in record:
                        answered += 1
                    else:
                        failed += 1
                out.flush()  # written as it comes: a rerun resumes from here
        elapsed = time.monotonic() - started

    if emulator is not None and emulator.rate_limit is not None:
        rejected = emulator.rate_limit.rejected  # the server's own count
        times = sorted(r.received_at for r in emulator.chat_requests)
        where = f"emulator at {limit} requests per {window_seconds:g} s window"
    else:
        times = []
        where = f"{limit} requests per {window_seconds:g} s window"
    if len(times) > 1:
        pace = (len(times) - 1) / (limit * (times[-1] - times[0]) / window_seconds)
    else:
        pace = answered / (limit * max(elapsed, 1e-9) / window_seconds)
    print(
        f"{len(prompts)} prompts, {answered + len(done)} answered, {failed} failed, "
        f"{rejected} rejected with 429 ({answered} this run, {len(done)} from an earlier run; "
        f"{args.workers} Ray workers sharing one limiter, {where}; {pace:.0%} of the limit; "
        f"{elapsed:.1f} s; results in {args.out})",
        flush=True,
    )
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
