"""The printed report: tables of medians and ratios, and issue 7's targets as PASS/FAIL/n/a."""

from __future__ import annotations

from typing import Any

from benchmarks._cases import BY_KEY, CASES

FLOORS = {"langchain": "lc_floor", "llama_index": "li_floor"}
# The stricter LangChain floor: minimal chunks built on the clock (construction + GC).
BUILT_FLOORS = {"langchain": "lc_build"}
ADAPTERS = {"langchain": "chatmimo", "llama_index": "mimo"}
PEERS = {"langchain": ("chatopenai", "chatdeepseek"), "llama_index": ("openailike", "li_deepseek")}


def _get(res: dict[str, Any], key: str, sid: str, metric: str = "cpu") -> float | None:
    row = res["medians"].get(key, {}).get(sid)
    return None if row is None else float(row[metric])


def floor(
    res: dict[str, Any], framework: str, sid: str, metric: str = "cpu", built: bool = False
) -> float | None:
    """raw httpx+json parse + the framework's own cost for the same chunks/calls."""
    raw = _get(res, "raw", sid, metric)
    key = (BUILT_FLOORS if built else FLOORS).get(framework)
    own = None if key is None else _get(res, key, sid, metric)
    return None if raw is None or own is None else raw + own


def _fmt(x: float | None, digits: int = 3) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def _status(res: dict[str, Any], key: str) -> str:
    if key in res["missing"]:
        return "n/a (not importable)"
    if key in res["errors"]:
        return "n/a (error: " + str(res["errors"][key])[:60] + ")"
    return ""


def _check(
    name: str, value: float | None, limit: float, detail: str, higher_is_better: bool = False
) -> dict[str, Any]:
    if value is None:
        verdict = "n/a"
    elif higher_is_better:
        verdict = "PASS" if value >= limit else "FAIL"
    else:
        verdict = "PASS" if value <= limit else "FAIL"
    return {"target": name, "value": value, "limit": limit, "verdict": verdict, "detail": detail}


def _built_note(framework: str, text: str, value: float | None) -> str:
    """The detail that says what the framework's built-chunks floor allows (LangChain only)."""
    if framework not in BUILT_FLOORS or value is None:
        return ""
    return f"; {text} {value:.2f}"


def _long_targets(res: dict[str, Any], sid: str) -> list[dict[str, Any]]:
    out = []
    for adapter, peer, times in (
        ("chatmimo", "chatdeepseek", 4.0),
        ("chatmimo", "chatopenai", 3.0),
        ("mimo", "openailike", 4.0),
    ):
        framework = BY_KEY[adapter].framework
        cap = _ratio(_get(res, peer, sid), floor(res, framework, sid, built=True))
        note = _built_note(framework, "raw + chunks built on the clock allow at most", cap)
        out.append(
            _check(
                f"long: {BY_KEY[adapter].label} >= {times:g}x faster than {BY_KEY[peer].label}",
                _ratio(_get(res, peer, sid), _get(res, adapter, sid)),
                times,
                "peer CPU / adapter CPU" + note,
                higher_is_better=True,
            )
        )
    for framework, adapter in ADAPTERS.items():
        zero = _ratio(floor(res, framework, sid, built=True), floor(res, framework, sid))
        note = _built_note(framework, "a zero-cost adapter (raw + built chunks) is", zero)
        out.append(
            _check(
                f"long: {BY_KEY[adapter].label} within 1.5x of its floor",
                _ratio(_get(res, adapter, sid), floor(res, framework, sid)),
                1.5,
                "adapter CPU / (raw parse + framework chunks)" + note,
            )
        )
    return out


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Evaluate issue 7's targets on this run's medians."""
    ids = res["scenarios"]
    sizes = res["sizes"]
    long_id = ids["long"]
    out = _long_targets(res, long_id)
    below = f"stream:{sizes['scale'][-1]}"
    for adapter in ADAPTERS.values():
        framework = BY_KEY[adapter].framework
        built = BUILT_FLOORS.get(framework, "")
        own = _ratio(_get(res, built, long_id), _get(res, built, below)) if built else None
        note = _built_note(framework, "the built-chunks row alone scales", own)
        out.append(
            _check(
                f"scaling: {BY_KEY[adapter].label} time({long_id})/time({below}) <= 4.5",
                _ratio(_get(res, adapter, long_id), _get(res, adapter, below)),
                4.5,
                f"CPU ratio for {sizes['long'] // sizes['scale'][-1]}x the deltas" + note,
            )
        )
    for framework, adapter in ADAPTERS.items():
        timed = [_get(res, k, ids["astreams"]) for k in PEERS[framework]]
        known_peers = [p for p in timed if p is not None]
        best = min(known_peers) if known_peers else None
        out.append(
            _check(
                f"{ids['astreams']}: {BY_KEY[adapter].label} >= 2x faster than fastest peer",
                _ratio(best, _get(res, adapter, ids["astreams"])),
                2.0,
                "fastest peer CPU / adapter CPU",
                higher_is_better=True,
            )
        )
    acalls = ids["acalls"]
    for adapter, peer in (("chatmimo", "chatopenai"), ("mimo", "openailike")):
        out.append(
            _check(
                f"{acalls}: {BY_KEY[adapter].label} no slower than {BY_KEY[peer].label}",
                _ratio(_get(res, adapter, acalls, "wall"), _get(res, peer, acalls, "wall")),
                1.0,
                "adapter wall / peer wall",
            )
        )
    out += _import_targets(res["imports"])
    for framework, adapter in ADAPTERS.items():
        peers = [_get(res, k, long_id, "rss_growth_mb") for k in PEERS[framework]]
        known = [p for p in peers if p is not None]
        mem = _get(res, adapter, long_id, "rss_growth_mb")
        out.append(
            _check(
                f"memory: {BY_KEY[adapter].label} peak RSS growth <= lowest peer's",
                None if mem is None or not known else mem - min(known),
                0.0,
                "adapter MB - lowest peer MB (peak RSS growth during the long stream)",
            )
        )
    return out


# (row, the framework that row must not import): the package import (the target) and
# the class import. The class row imports the package and then reads the class, so it loads
# at least what the package row loads (with the packages' plain imports, the same modules):
# the "pulls in" check is made once, on the class row, which covers both.
_IMPORT_ROWS = (
    ("langchain_mimo", "llama_index"),
    ("langchain_mimo:ChatMiMo", "llama_index"),
    ("llama_index_mimo", "langchain"),
    ("llama_index_mimo:MiMo", "langchain"),
)


def _import_targets(imports: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for module, other in _IMPORT_ROWS:
        row = imports.get(module, {})
        base = imports.get(row.get("base") or "", {})
        extra = None
        if "seconds" in row and "seconds" in base:
            extra = row["seconds"] - base["seconds"]
        out.append(
            _check(
                f"import {module} <= {row.get('base')} + 0.15 s",
                extra,
                0.15,
                "extra seconds over the framework base",
            )
        )
        if ":" in module:
            clean = None if "seconds" not in row else float(row["openai"] or row[other])
            out.append(
                _check(
                    f"import {module} pulls in neither openai nor {other}",
                    clean,
                    0.0,
                    "1 = it does",
                )
            )
    return out


def _reasoning(row: dict[str, Any]) -> str:
    if not row["content_ok"]:
        return "MISMATCH"
    return "kept" if row["reasoning_ok"] else "DROPPED"


def _scenario_table(res: dict[str, Any], sid: str, title: str) -> list[str]:
    lines = [
        f"\n== {title} ({sid}) ==",
        f"{'row':<26}{'CPU s':>9}{'wall s':>9}{'x floor':>9}{'RSS+ MB':>9}  reasoning",
    ]
    for case in CASES:
        status = _status(res, case.key)
        if status:
            lines.append(f"{case.label:<26}{status}")
            continue
        row = res["medians"].get(case.key, {}).get(sid)
        if row is None:
            continue
        vs = "-"
        if case.framework in FLOORS and case.role in ("adapter", "peer"):
            vs = _fmt(_ratio(row["cpu"], floor(res, case.framework, sid)), 2)
        lines.append(
            f"{case.label:<26}{row['cpu']:>9.3f}{row['wall']:>9.3f}{vs:>9}"
            f"{row['rss_growth_mb']:>9.1f}  {_reasoning(row)}"
        )
    for framework in FLOORS:
        total = floor(res, framework, sid)
        lines.append(
            f"{'= floor ' + framework:<26}{_fmt(total):>9}"
            f"{'':>9}{'':>9}{'':>9}  (raw + framework's own chunk cost)"
        )
    for framework in BUILT_FLOORS:
        total = floor(res, framework, sid, built=True)
        ratio = _ratio(_get(res, ADAPTERS[framework], sid), total)
        lines.append(
            f"{'= floor ' + framework + ', built':<26}{_fmt(total):>9}"
            f"{'':>9}{_fmt(ratio, 2):>9}{'':>9}  (raw + chunks built on the clock; "
            f"x = {BY_KEY[ADAPTERS[framework]].label})"
        )
    return lines


def _scaling_table(res: dict[str, Any]) -> list[str]:
    sizes = res["sizes"]
    ns = [*sizes["scale"], sizes["long"]]
    head = "".join(f"{'2x' + str(n):>10}" for n in ns)
    lines = ["\n== Scaling: CPU s by stream length ==", f"{'row':<26}{head}{'last/prev':>11}"]
    for case in CASES:
        if _status(res, case.key) or case.key not in res["medians"]:
            continue
        cells = [_get(res, case.key, f"stream:{n}") for n in ns]
        lines.append(
            f"{case.label:<26}"
            + "".join(f"{_fmt(c):>10}" for c in cells)
            + f"{_fmt(_ratio(cells[-1], cells[-2]), 2):>11}"
        )
    return lines


def _imports_table(res: dict[str, Any]) -> list[str]:
    lines = [
        "\n== Import time (fresh process, median s) ==",
        f"{'module':<44}{'s':>7}{'+base':>8}  openai  langchain  llama_index",
    ]
    imports = res["imports"]
    for module, row in imports.items():
        if "error" in row:
            lines.append(f"{module:<44}n/a ({row['error'][:50]})")
            continue
        base = imports.get(row.get("base") or "", {})
        extra = _fmt(row["seconds"] - base["seconds"]) if "seconds" in base else "-"
        flags = "  ".join(
            f"{'yes' if row[k] else 'no':>{w}}"
            for k, w in (("openai", 6), ("langchain", 9), ("llama_index", 11))
        )
        lines.append(f"{module:<44}{row['seconds']:>7.3f}{extra:>8}  {flags}")
    return lines


def render(res: dict[str, Any]) -> str:
    """The whole report as text."""
    ids = res["scenarios"]
    sizes = res["sizes"]
    lines = [
        f"MiMo benchmarks: medians of {sizes['reps']} interleaved repetitions; "
        f"CPU = client process time (server runs in another process). "
        f"Load average at start: {res.get('loadavg_start')}"
    ]
    lines += _scenario_table(res, ids["long"], "Long stream")
    lines += _scaling_table(res)
    lines += _scenario_table(res, ids["astreams"], "Concurrent async streams")
    lines += _scenario_table(res, ids["calls"], "Sequential non-stream calls")
    lines += _scenario_table(res, ids["acalls"], "Concurrent async non-stream calls")
    lines += _imports_table(res)
    lines.append("\n== Targets (issue 7) ==")
    for t in res["targets"]:
        lines.append(
            f"{t['verdict']:<5} {t['target']}  [{_fmt(t['value'], 2)} vs "
            f"{t['limit']:g}; {t['detail']}]"
        )
    return "\n".join(lines)
