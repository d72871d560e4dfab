"""Profile one row's streaming path: ``python -m benchmarks.profile chatmimo --n 8000``.

Starts the loopback server, warms the runner on a tiny stream, then runs one stream of
n reasoning + n content deltas under cProfile and prints the top functions with their cost
per delta (microseconds per delta = seconds * 1e6 / (2 n)). It also prints the unprofiled
cost with the cyclic garbage collector off, which shows how much of a row's cost is GC
traversal of the objects it keeps alive (LangChain keeps every chunk until the end).
``--out FILE`` keeps the raw stats for snakeviz/pstats. Profiling inflates every call, so
read relative costs.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time
from typing import Any

from benchmarks._cases import BY_KEY
from benchmarks._server import running_server


def _top(stats: pstats.Stats, deltas: int, sort: str, limit: int) -> str:
    stats.sort_stats(sort)
    rows = []
    for func in stats.fcn_list[:limit]:  # type: ignore[attr-defined]
        _, ncalls, tottime, cumtime, _ = stats.stats[func]  # type: ignore[attr-defined]
        filename, line, name = func
        short = "/".join(filename.split("/")[-2:])
        rows.append(
            f"{ncalls:>9} {tottime * 1e6 / deltas:>8.2f} {cumtime * 1e6 / deltas:>8.2f}  "
            f"{short}:{line}({name})"
        )
    head = f"{'calls':>9} {'tot/d us':>8} {'cum/d us':>8}  function"
    return "\n".join([head, *rows])


def _timed(runner: Any, n: int, *, collect: bool) -> float:
    """CPU seconds of one unprofiled stream; with the cyclic GC disabled unless *collect*."""
    runner.prepare(n, 1)
    gc.collect()  # as the benchmark worker does before each measurement
    if not collect:
        gc.disable()
    try:
        cpu0 = time.process_time()
        runner.stream()
        return time.process_time() - cpu0
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> None:
    """Profile one stream of the given row and print the top functions."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile", description=__doc__)
    parser.add_argument("row", choices=sorted(BY_KEY))
    parser.add_argument("--n", type=int, default=8000, help="deltas per phase")
    parser.add_argument("--sort", default="tottime", help="pstats sort key (tottime, cumtime)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", help="write raw pstats here")
    args = parser.parse_args(argv)
    with running_server() as server:
        slot = "profile"
        runner = BY_KEY[args.row].build(server.base_url(slot))
        server.set_size(slot, 2)
        runner.prepare(2, 1)
        runner.stream()
        server.set_size(slot, args.n)
        plain = _timed(runner, args.n, collect=True)
        no_gc = _timed(runner, args.n, collect=False)
        runner.prepare(args.n, 1)
        gc.collect()
        profiler = cProfile.Profile()
        profiler.enable()
        counts = runner.stream()
        profiler.disable()
    deltas = 2 * args.n
    print(
        f"{args.row}: 2x{args.n} deltas, {plain:.3f} s CPU unprofiled "
        f"({plain * 1e6 / deltas:.1f} us/delta; {no_gc * 1e6 / deltas:.1f} us/delta with the "
        f"cyclic GC off); received {counts}"
    )
    if args.out:
        profiler.dump_stats(args.out)
    print(_top(pstats.Stats(profiler), deltas, args.sort, args.top))


if __name__ == "__main__":
    main()
