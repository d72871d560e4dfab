"""One measurement process: one row, a list of scenarios, JSON results on the last stdout line.

Run by the orchestrator as ``python -m benchmarks._worker SPEC_JSON``. Imports, client
construction and a tiny warm-up *of the same instance* (its server slot is set to 2 deltas,
then to the scenario's size) happen before the clock starts; each scenario is timed with
``time.process_time`` (this process's CPU, all threads; the server is another process) and
``time.perf_counter``. Peak RSS is read from /proc (VmHWM reset through clear_refs) when the
kernel allows it, else from ``ru_maxrss``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import resource
import sys
import time
import traceback
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks._cases import BY_KEY, Case
from benchmarks._counts import Counts, expected_calls, expected_stream
from benchmarks._server import base_url, set_size

_WARM = 2  # deltas per phase in the warm-up stream


def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_kb(reset_ok: bool) -> int:
    if reset_ok:
        peak = _status_kb("VmHWM")
        if peak is not None:
            return peak
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _record(
    scenario: dict[str, Any],
    counts: Counts,
    expected: Counts,
    cpu: float,
    wall: float,
    rss_before: int,
    peak: int,
) -> dict[str, Any]:
    return {
        "scenario": scenario["id"],
        "cpu": cpu,
        "wall": wall,
        "counts": [counts.reasoning, counts.content],
        "expected": [expected.reasoning, expected.content],
        "rss_before_mb": rss_before / 1024,
        "rss_peak_mb": peak / 1024,
        "rss_growth_mb": max(0, peak - rss_before) / 1024,
    }


def _expected(scenario: dict[str, Any]) -> Counts:
    kind = scenario["kind"]
    if kind in ("stream", "astreams"):
        return expected_stream(scenario["n"], scenario.get("k", 1))
    return expected_calls(scenario["k"])


def _runner(case: Case, port: int, index: int) -> tuple[Any, str]:
    """Build the runner on its own slot, sized for the warm-up."""
    slot = f"w{os.getpid()}-{index}"
    runner = case.build(base_url(port, slot))
    set_size(port, slot, _WARM)
    runner.prepare(_WARM, 1)
    return runner, slot


def _resize(runner: Any, port: int, slot: str, scenario: dict[str, Any]) -> None:
    """After the warm-up on the same instance: the scenario's size, on server and runner."""
    n = scenario.get("n", 0)
    set_size(port, slot, n)
    runner.prepare(n, scenario.get("k", 1) if scenario["kind"] == "astreams" else 1)


def _sync_body(runner: Any, scenario: dict[str, Any]) -> Callable[[], Counts]:
    if scenario["kind"] == "stream":
        return runner.stream  # type: ignore[no-any-return]

    def calls() -> Counts:
        total = Counts()
        for _ in range(scenario["k"]):
            total += runner.call()
        return total

    return calls


def _async_body(runner: Any, scenario: dict[str, Any]) -> Callable[[], Awaitable[Counts]]:
    one = runner.astream if scenario["kind"] == "astreams" else runner.acall

    async def gathered() -> Counts:
        total = Counts()
        for counts in await asyncio.gather(*(one() for _ in range(scenario["k"]))):
            total += counts
        return total

    return gathered


def _start() -> tuple[int, bool, float, float]:
    gc.collect()
    rss = _status_kb("VmRSS") or 0
    reset_ok = _reset_peak()
    return rss, reset_ok, time.process_time(), time.perf_counter()


def _run_sync(case: Case, port: int, scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for index, scenario in enumerate(scenarios):
        runner, slot = _runner(case, port, index)
        runner.stream()
        runner.call()
        _resize(runner, port, slot, scenario)
        body = _sync_body(runner, scenario)
        rss, reset_ok, cpu0, wall0 = _start()
        counts = body()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        out.append(
            _record(scenario, counts, _expected(scenario), cpu, wall, rss, _peak_kb(reset_ok))
        )
    return out


async def _run_async(
    case: Case, port: int, scenarios: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for index, scenario in enumerate(scenarios, start=100):
        runner, slot = _runner(case, port, index)
        await runner.astream()
        await runner.acall()
        _resize(runner, port, slot, scenario)
        body = _async_body(runner, scenario)
        rss, reset_ok, cpu0, wall0 = _start()
        counts = await body()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        out.append(
            _record(scenario, counts, _expected(scenario), cpu, wall, rss, _peak_kb(reset_ok))
        )
    return out


def run(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the spec's scenarios for one case; errors are reported, not raised."""
    case = BY_KEY[spec["case"]]
    port = spec["port"]
    scenarios = spec["scenarios"]
    sync = [s for s in scenarios if s["kind"] in ("stream", "calls")]
    asynchronous = [s for s in scenarios if s["kind"] in ("astreams", "acalls")]
    try:
        results = _run_sync(case, port, sync) if sync else []
        if asynchronous:
            results += asyncio.run(_run_async(case, port, asynchronous))
    except Exception as exc:  # the row shows the error instead of crashing
        return {
            "case": case.key,
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
        }
    return {"case": case.key, "results": results}


def main() -> None:
    """Entry point: argv[1] is the JSON spec."""
    print(json.dumps(run(json.loads(sys.argv[1]))), flush=True)


if __name__ == "__main__":
    main()
