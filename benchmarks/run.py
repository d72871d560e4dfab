"""The benchmark command: ``python -m benchmarks [--quick]`` from the repository root.

Starts the loopback server in its own process, then for each repetition runs every row
(rotating the order, so rows interleave) in fresh worker processes: one process for the long
stream alone (so its peak memory is its own), one for the other scenarios. Prints medians,
ratios and the targets of issue 7; writes JSON to benchmarks/results/ unless --no-json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks import _imports, _report, chart
from benchmarks._cases import CASES, Case
from benchmarks._server import running_server

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
WORKER_TIMEOUT = 900  # seconds; a hung row is reported as an error, the run goes on


@dataclass
class Sizes:
    """Every size the run uses (deltas are per phase: N reasoning then N content)."""

    long: int
    scale: tuple[int, ...]
    streams: int
    stream_deltas: int
    calls: int
    reps: int
    import_reps: int


FULL = Sizes(32000, (2000, 8000), 50, 200, 300, 3, 5)
QUICK = Sizes(2000, (125, 500), 10, 50, 30, 2, 2)


def scenario_ids(sizes: Sizes) -> dict[str, str]:
    """Names of the scenarios, by role."""
    return {
        "long": f"stream:{sizes.long}",
        "astreams": f"astreams:{sizes.streams}x{sizes.stream_deltas}",
        "calls": f"calls:{sizes.calls}",
        "acalls": f"acalls:{sizes.calls}",
        **{f"scale{i}": f"stream:{n}" for i, n in enumerate(sizes.scale)},
    }


def _specs(sizes: Sizes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    long = [{"id": f"stream:{sizes.long}", "kind": "stream", "n": sizes.long}]
    rest: list[dict[str, Any]] = [
        {"id": f"stream:{n}", "kind": "stream", "n": n} for n in sizes.scale
    ]
    rest += [
        {"id": f"calls:{sizes.calls}", "kind": "calls", "k": sizes.calls},
        {
            "id": f"astreams:{sizes.streams}x{sizes.stream_deltas}",
            "kind": "astreams",
            "n": sizes.stream_deltas,
            "k": sizes.streams,
        },
        {"id": f"acalls:{sizes.calls}", "kind": "acalls", "k": sizes.calls},
    ]
    return long, rest


def _run_worker(case: Case, port: int, scenarios: list[dict[str, Any]]) -> dict[str, Any]:
    spec = json.dumps({"case": case.key, "port": port, "scenarios": scenarios})
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks._worker", spec],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=WORKER_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"case": case.key, "error": f"worker timed out after {WORKER_TIMEOUT} s"}
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["worker failed"])[-1]
        return {"case": case.key, "error": tail}
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def _median_row(samples: list[dict[str, Any]]) -> dict[str, Any]:
    def med(key: str) -> float:
        return float(statistics.median(s[key] for s in samples))

    last = samples[-1]
    return {
        "cpu": med("cpu"),
        "wall": med("wall"),
        "rss_growth_mb": med("rss_growth_mb"),
        "rss_peak_mb": med("rss_peak_mb"),
        "cpu_samples": [s["cpu"] for s in samples],
        "reasoning_ok": all(s["counts"][0] == s["expected"][0] for s in samples),
        "content_ok": all(s["counts"][1] == s["expected"][1] for s in samples),
        "counts": last["counts"],
        "expected": last["expected"],
    }


def measure(sizes: Sizes, cases: list[Case], log: Any, one_worker: bool = False) -> dict[str, Any]:
    """Run every available case; return medians per case and scenario, and the n/a reasons."""
    missing = {c.key: reason for c in cases if (reason := c.missing()) is not None}
    active = [c for c in cases if c.key not in missing]
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {c.key: {} for c in active}
    errors: dict[str, str] = {}
    long, rest = _specs(sizes)
    groups = [long + rest] if one_worker else [long, rest]
    with running_server() as server:
        for rep in range(sizes.reps):
            order = active[rep % max(1, len(active)) :] + active[: rep % max(1, len(active))]
            for group in groups:
                for case in order:
                    if case.key in errors:
                        continue
                    t0 = time.perf_counter()
                    out = _run_worker(case, server.port, group)
                    if "error" in out:
                        errors[case.key] = out["error"]
                        log(f"  rep {rep + 1} {case.key}: ERROR {out['error']}")
                        continue
                    for result in out["results"]:
                        samples[case.key].setdefault(result["scenario"], []).append(result)
                    log(
                        f"  rep {rep + 1} {case.key} {group[0]['id']}...: "
                        f"{time.perf_counter() - t0:.1f}s"
                    )
    medians = {
        key: {sid: _median_row(runs) for sid, runs in by_scenario.items()}
        for key, by_scenario in samples.items()
        if key not in errors
    }
    return {"medians": medians, "missing": missing, "errors": errors}


def _parse(argv: list[str] | None) -> tuple[Sizes, argparse.Namespace]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, 2 repetitions")
    parser.add_argument("--reps", type=int, help="repetitions per row (default 3; quick 2)")
    parser.add_argument("--long", type=int, help="deltas per phase of the long stream")
    parser.add_argument("--scale", help="comma-separated smaller stream sizes, e.g. 2000,8000")
    parser.add_argument("--streams", type=int, help="concurrent async streams")
    parser.add_argument("--stream-deltas", type=int, help="deltas per phase of each async stream")
    parser.add_argument("--calls", type=int, help="non-stream calls (sequential and concurrent)")
    parser.add_argument("--import-reps", type=int, help="fresh processes per import timing")
    parser.add_argument("--cases", help="comma-separated row keys (default: all)")
    parser.add_argument("--json", type=Path, help="write results here (default: results/)")
    parser.add_argument("--no-json", action="store_true", help="do not write JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--one-worker",
        action="store_true",
        help="one worker process per row and repetition (faster start-up; the long stream's "
        "peak memory then relies on the /proc peak reset)",
    )
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    sizes = Sizes(
        long=args.long or sizes.long,
        scale=tuple(int(x) for x in args.scale.split(",")) if args.scale else sizes.scale,
        streams=args.streams or sizes.streams,
        stream_deltas=args.stream_deltas or sizes.stream_deltas,
        calls=args.calls or sizes.calls,
        reps=args.reps or sizes.reps,
        import_reps=args.import_reps or sizes.import_reps,
    )
    return sizes, args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print the report, return (and optionally save) the results."""
    sizes, args = _parse(argv)
    keys = args.cases.split(",") if args.cases else [c.key for c in CASES]
    cases = [c for c in CASES if c.key in keys]

    def log(msg: str) -> None:
        if not args.quiet:
            print(msg, file=sys.stderr, flush=True)

    started = time.time()
    loadavg_start = _loadavg()
    log(f"sizes: {sizes}")
    log("measuring imports...")
    imports = _imports.measure(sizes.import_reps)
    log("measuring rows...")
    data = measure(sizes, cases, log, one_worker=args.one_worker)
    results = {
        "sizes": asdict(sizes),
        "scenarios": scenario_ids(sizes),
        "imports": imports,
        **data,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": time.time() - started,
        "loadavg_start": loadavg_start,
        "loadavg_end": _loadavg(),
    }
    results["targets"] = _report.targets(results)
    print(_report.render(results))
    chart.write_chart(results)  # benchmarks/chart.png (skipped, with a note, without matplotlib)
    if not args.no_json:
        path = args.json or RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=1))
        log(f"wrote {path}")
    return results


def _loadavg() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


if __name__ == "__main__":
    main()
