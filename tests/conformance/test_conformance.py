"""python -m mimo_client.conformance, run against emulators on 127.0.0.1 only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mimo_client import conformance
from mimo_client.conformance import RULES, Outcome, classify_thinking, main
from mimo_client.testing import MiMoEmulator

KEY = "sk-conform-secret-42"
ROOT = Path(__file__).resolve().parents[2]


def rows(out: str) -> dict[str, list[str]]:
    table = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0] in {r.name for r in RULES}:
            table[cells[0]] = cells
    return table


def test_the_rules_cover_what_the_issue_lists() -> None:
    names = {r.name for r in RULES}
    assert names >= {
        "pass_back",
        "content_null",
        "tool_list_content",
        "json_schema",
        "usage_tail",
        "retired_id",
        "models_shape",
        "stream_error_framing",
        "unknown_parameter",
        "thinking_default[mimo-v2.6-pro]",
        "thinking_default[mimo-v2.6-flash]",
        "thinking_default[mimo-v2.6-pro-ultraspeed]",
    }


def test_without_a_key_it_checks_the_embedded_emulator_and_all_agree(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    assert main(["--json", str(report)], env={}) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("No --base-url/--api-key")
    table = rows(out)
    assert set(table) == {r.name for r in RULES}
    assert all(cells[-1] == "yes" for cells in table.values())
    assert f"{len(RULES)}/{len(RULES)} rules agree; {len(RULES)} requests" in out
    data = json.loads(report.read_text())
    assert data["mode"] == "emulator" and data["requests"] == len(RULES)
    assert data["tokens"] > 0
    assert all(r["agree"] and r["target"] == r["expected"] for r in data["results"])


def test_a_live_run_against_a_faithful_server_agrees(capsys: pytest.CaptureFixture[str]) -> None:
    with MiMoEmulator(api_key=KEY) as service:
        assert main(["--base-url", service.base_url], env={"MIMO_API_KEY": KEY}) == 0
        assert len(service.requests) == len(RULES)
    out = capsys.readouterr().out
    assert "No --base-url" not in out
    assert KEY not in out


def test_a_server_that_breaks_the_rules_disagrees_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "report.json"
    with MiMoEmulator(api_key=KEY, enforce_rules=False) as lax:
        status = main(["--base-url", lax.base_url, "--api-key", KEY, "--json", str(report)], env={})
    assert status == 1
    out = capsys.readouterr().out
    table = rows(out)
    assert table["pass_back"][3:] == ["accepted", "400", "pass-back", "NO"]
    assert table["unknown_parameter"][-1] == "NO"
    assert table["usage_tail"][-1] == "yes"  # what the lax server still does right
    assert table["models_shape"][-1] == "yes"
    text = report.read_text()
    assert KEY not in out and KEY not in text
    data = json.loads(text)
    assert data["mode"] == "live"
    assert data["requests"] == len(RULES) and data["emulator_requests"] == len(RULES)
    assert not all(r["agree"] for r in data["results"])


def test_a_base_url_without_a_key_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--base-url", "http://127.0.0.1:9/v1"], env={})
    assert exited.value.code == 2
    assert "without a key" in capsys.readouterr().err


def test_a_contract_gated_model_is_a_tolerated_variant() -> None:
    gated = Outcome(403, "application/json", '{"error":{"code":"403","message":"no access"}}')
    assert classify_thinking(gated) == "gated"
    rule = next(r for r in RULES if r.name.endswith("ultraspeed]"))
    assert rule.agrees("gated", "thinks")
    flash = next(r for r in RULES if r.name == "thinking_default[mimo-v2.6-flash]")
    assert not flash.agrees("gated", "thinks")
    assert not flash.agrees("no thinking", "thinks")


def test_module_entry_point_runs(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "mimo_client.conformance"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(RULES)}/{len(RULES)} rules agree" in done.stdout
    assert conformance.__doc__ and "conformance" in conformance.__doc__
