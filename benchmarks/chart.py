"""The benchmark as a picture: ``benchmarks/chart.png``, written by ``python -m benchmarks``.

One panel per measured row of the README's table (the long stream, the shorter streams,
concurrent async streams, concurrent non-stream calls); in each, one bar per client: our
adapters beside every peer and the floors (raw httpx + json; raw + each framework's own
chunk cost). Bars are CPU seconds of the client process (wall seconds for the concurrent
calls), medians of the run.

matplotlib is optional (``pip install "mimo-integrations[bench]"``): without it
:func:`write_chart` prints one line saying so and returns None. To redraw from a saved run:
``python -m benchmarks.chart benchmarks/results/bench-....json [--out PATH]``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks._report import floor

CHART = Path(__file__).resolve().parent / "chart.png"

# (label, how to get the value): a case key, or ("floor", framework[, built]).
_BARS: tuple[tuple[str, str, Any], ...] = (
    ("raw httpx + json", "floor", "raw"),
    ("mimo_client core", "core", "core"),
    ("ChatMiMo", "adapter", "chatmimo"),
    ("ChatOpenAI", "peer", "chatopenai"),
    ("ChatDeepSeek", "peer", "chatdeepseek"),
    ("floor: raw + LangChain chunks", "floor", ("langchain", False)),
    ("floor: raw + LangChain chunks built", "floor", ("langchain", True)),
    ("LlamaIndex MiMo", "adapter", "mimo"),
    ("OpenAILike", "peer", "openailike"),
    ("DeepSeek (LlamaIndex)", "peer", "li_deepseek"),
    ("floor: raw + LlamaIndex responses", "floor", ("llama_index", False)),
)
_COLOURS = {"adapter": "#d9480f", "core": "#f08c00", "peer": "#868e96", "floor": "#a5d8ff"}


def _panels(res: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(title, scenario id, metric) for each panel, in the README table's order."""
    ids, sizes = res["scenarios"], res["sizes"]
    panels = [(f"2x{sizes['long']:,}-delta stream", ids["long"], "cpu")]
    panels += [(f"2x{n:,}-delta stream", f"stream:{n}", "cpu") for n in reversed(sizes["scale"])]
    panels.append((f"{sizes['streams']} async streams", ids["astreams"], "cpu"))
    panels.append((f"{sizes['calls']} concurrent calls (wall)", ids["acalls"], "wall"))
    return panels


def _value(res: dict[str, Any], source: Any, sid: str, metric: str) -> float | None:
    if isinstance(source, tuple):
        framework, built = source
        return floor(res, framework, sid, metric, built=built)
    row = res["medians"].get(source, {}).get(sid)
    return None if row is None else float(row[metric])


def write_chart(res: dict[str, Any], path: Path | None = None) -> Path | None:
    """Draw the run ``res`` (``benchmarks.run.main``'s results) into ``path`` (PNG).

    By default a full-size run writes :data:`CHART` (the committed picture) and a smaller one
    (``--quick``, other sizes) ``benchmarks/results/chart-<start>.png``, so a smoke run never
    replaces the committed chart. Returns the path, or None (after printing why) when
    matplotlib is not installed.
    """
    if path is None:
        from benchmarks.run import FULL, RESULTS

        full = json.loads(json.dumps(res["sizes"])) == json.loads(json.dumps(asdict(FULL)))
        path = CHART if full else RESULTS / f"chart-{res.get('started', 'run')}.png"
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
        from matplotlib.patches import Patch
    except ImportError:
        print('chart skipped: matplotlib is not installed (pip install "mimo-integrations[bench]")')
        return None
    panels = _panels(res)
    columns = 3  # two rows of three: legible at the README's width
    rows = -(-len(panels) // columns)
    figure, grid = plt.subplots(rows, columns, figsize=(15, 4.6 * rows), squeeze=False)
    axes = list(grid.flat)
    labels = [label for label, _, _ in _BARS]
    for spare in axes[len(panels) :]:
        spare.axis("off")
    legend = {"adapter": "our adapters", "core": "our core", "peer": "peers", "floor": "floors"}
    handles = [Patch(color=_COLOURS[role], label=text) for role, text in legend.items()]
    (axes[len(panels)] if len(axes) > len(panels) else figure).legend(
        handles=handles, loc="center", fontsize=11, frameon=False
    )
    for index, (axis, (title, sid, metric)) in enumerate(zip(axes, panels, strict=False)):
        values = [_value(res, source, sid, metric) for _, _, source in _BARS]
        shown = [0.0 if v is None else v for v in values]
        colours = [_COLOURS[role] for _, role, _ in _BARS]
        bars = axis.barh(range(len(_BARS)), shown, color=colours)
        top = max(shown) or 1.0
        for bar, value in zip(bars, values, strict=True):
            text = "n/a" if value is None else f"{value:.3g}"
            axis.text(
                bar.get_width() + top * 0.02,
                bar.get_y() + bar.get_height() / 2,
                text,
                va="center",
                fontsize=8,
            )
        axis.set_xlim(0, top * 1.25)
        axis.set_title(title, fontsize=10)
        axis.set_xlabel("client wall s" if metric == "wall" else "client CPU s", fontsize=9)
        axis.grid(axis="x", alpha=0.3)
        axis.set_yticks(range(len(_BARS)), labels if index % columns == 0 else [], fontsize=9)
        axis.invert_yaxis()  # first bar on top, as in the README's table
    load = res.get("loadavg_start") or ["?"]
    figure.suptitle(
        "MiMo adapters vs generic OpenAI-compatible peers and floors (lower is better)\n"
        f"medians of {res['sizes']['reps']} interleaved runs, {res.get('started', '')}, "
        f"load average {load[0]} at start (compare bars within a panel, not across runs)",
        fontsize=11,
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)
    print(f"chart written to {path}")
    return path


def main(argv: list[str] | None = None) -> None:
    """Redraw the chart from a saved results JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.chart", description=__doc__)
    parser.add_argument("results", type=Path, help="a JSON written by python -m benchmarks")
    parser.add_argument("--out", type=Path, help="PNG to write (default: as write_chart)")
    args = parser.parse_args(argv)
    write_chart(json.loads(args.results.read_text()), args.out)


if __name__ == "__main__":
    main()
