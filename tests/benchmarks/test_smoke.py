"""Smoke test: the benchmark command runs end to end on a tiny size and reports every row.

No timing assertions: timings on a shared machine are noise. What is pinned: every row ran
(or is reported n/a with a reason when its package is missing), every row received the
content it was sent, the report lists every target, and the JSON is written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks._cases import CASES

TINY = [
    "--reps",
    "1",
    "--import-reps",
    "1",
    "--long",
    "40",
    "--scale",
    "5,10",
    "--streams",
    "3",
    "--stream-deltas",
    "4",
    "--calls",
    "3",
    "--one-worker",
    "--quiet",
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path, str]:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    res = run.main([*TINY, "--json", str(out)])
    return res, out, run._report.render(res)


def test_every_row_ran_or_is_reported_missing(results):
    res, _, _ = results
    assert not res["errors"], res["errors"]
    for case in CASES:
        assert case.key in res["medians"] or case.key in res["missing"], case.key


def test_floors_peers_and_core_are_never_missing(results):
    res, _, _ = results
    for key in (
        "raw",
        "core",
        "lc_floor",
        "lc_build",
        "li_floor",
        "chatopenai",
        "chatdeepseek",
        "openailike",
        "li_deepseek",
    ):
        assert key in res["medians"], res["missing"].get(key)


def test_every_scenario_has_a_row_with_the_content_it_was_sent(results):
    res, _, _ = results
    scenarios = set(res["scenarios"].values())
    for key, by_scenario in res["medians"].items():
        assert set(by_scenario) == scenarios, key
        for sid, row in by_scenario.items():
            assert row["content_ok"], (key, sid, row["counts"], row["expected"])
            assert row["cpu"] > 0 and row["wall"] > 0


def test_reasoning_is_kept_by_the_adapters(results):
    res, _, _ = results
    for key in ("chatmimo", "mimo", "core", "raw"):
        if key in res["medians"]:
            assert all(row["reasoning_ok"] for row in res["medians"][key].values()), key


def test_report_lists_every_scenario_and_target(results):
    res, _, text = results
    ids = res["scenarios"]
    for name in ("long", "astreams", "calls", "acalls"):
        assert ids[name] in text
    for n in res["sizes"]["scale"]:
        assert f"2x{n}" in text  # the scaling table's columns
    assert len(res["targets"]) == 19
    for target in res["targets"]:
        assert target["verdict"] in ("PASS", "FAIL", "n/a")
        assert target["target"] in text
    for module in (
        "langchain_mimo",
        "langchain_mimo:ChatMiMo",
        "llama_index_mimo",
        "llama_index_mimo:MiMo",
        "langchain_core.language_models:BaseChatModel",
    ):
        assert module in res["imports"]
        assert "seconds" in res["imports"][module], res["imports"][module]


def test_json_is_written(results):
    res, path, _ = results
    assert json.loads(path.read_text())["scenarios"] == res["scenarios"]
