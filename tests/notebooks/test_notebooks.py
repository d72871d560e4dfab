"""The tutorial notebooks: they run as a user runs them, and replay their committed outputs.

- The user's path: no key, no harness; each notebook starts the embedded emulator itself
  and runs top to bottom on its automatic replies, in bounded time.
- The harness's path: ``cassettes/harness.py`` is run in the kernel before and after the
  notebook's cells (never saved); the recorded traffic answers every request, every
  recorded response is used, and the outputs equal the committed ones.
- The notebooks carry no plumbing (no cassette, replay or harness in any cell) and are
  committed normalized, with their outputs.
"""

from __future__ import annotations

import copy
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

from cassettes.emulator_scripts import SCRIPTS
from cassettes.harness import ScriptedEmulator, last_message_text
from cassettes.provenance import read_provenance
from cassettes.record import harness_cells
from mimo_client.testing import Reply
from notebooks.execute import NOTEBOOK_DIR, execute_notebook
from notebooks.normalize import normalize

NAMES = sorted(path.stem for path in NOTEBOOK_DIR.glob("*.ipynb"))
ADDRESS = re.compile(r" at 0x[0-9a-f]+")
EMULATOR_LINE = (
    "No MIMO_API_KEY set: running on the embedded MiMo emulator "
    "(its replies are stand-ins, not a real model's)."
)
PLUMBING = re.compile(r"cassette|replay|vcr|harness|emulator_scripts", re.IGNORECASE)
USER_PATH_SECONDS = 120  # per notebook, kernel start included; each cell also has a timeout


def _path(name: str) -> Path:
    return NOTEBOOK_DIR / f"{name}.ipynb"


def _outputs(cell: nbformat.NotebookNode) -> str:
    texts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            texts.append(output.text)
        elif output.output_type in ("execute_result", "display_data"):
            texts.append(output.data.get("text/plain", ""))
        elif output.output_type == "error":
            texts.append(f"{output.ename}: {output.evalue}")
    return ADDRESS.sub(" at 0x...", "".join(texts))


def _env_without_key() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if not key.startswith("MIMO_")}


def _replay_env(name: str) -> dict[str, str]:
    env = _env_without_key()
    entry = read_provenance().get(f"notebooks/{name}.yaml")
    if entry is not None and entry.source.startswith("live"):
        # Recorded live: the notebook took its "key set" path; take it again (vcrpy answers
        # every request, and one the cassette lacks raises before any connection).
        env["MIMO_API_KEY"] = "MIMO_API_KEY_PLACEHOLDER"
    return env


def test_there_are_at_least_five_tutorials_each_with_a_cassette_and_a_script() -> None:
    assert len(NAMES) >= 5
    for name in NAMES:
        assert (NOTEBOOK_DIR.parent / "cassettes" / "notebooks" / f"{name}.yaml").exists()
        assert name in SCRIPTS


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_for_a_user_without_key_or_harness(name: str) -> None:
    started = time.monotonic()
    executed = execute_notebook(_path(name), env=_env_without_key(), timeout=60)
    assert time.monotonic() - started < USER_PATH_SECONDS
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert _outputs(code[0]).strip() == EMULATOR_LINE  # says so, in one line
    assert all(not any(o.output_type == "error" for o in cell.outputs) for cell in code)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_replays_offline_and_reproduces_its_committed_outputs(name: str) -> None:
    committed = nbformat.read(_path(name), as_version=4)
    before, after = harness_cells(name, "replay")
    # The harness's last cell raises unless every recorded response was used.
    executed = execute_notebook(_path(name), env=_replay_env(name), before=before, after=after)
    assert len(executed.cells) == len(committed.cells)  # the harness's cells are not kept
    pairs = [
        (old, new)
        for old, new in zip(committed.cells, executed.cells, strict=True)
        if old.cell_type == "code"
    ]
    assert pairs
    for old, new in pairs:
        assert new.source == old.source
        assert _outputs(new) == _outputs(old), old.source.splitlines()[0]


@pytest.mark.parametrize("name", NAMES)
def test_notebook_shows_no_plumbing_and_is_committed_normalized_with_outputs(name: str) -> None:
    committed = nbformat.read(_path(name), as_version=4)
    for cell in committed.cells:
        assert not PLUMBING.search(cell.source), cell.source[:80]
    assert committed.cells[0].cell_type == "markdown"
    assert "MIMO_API_KEY" in committed.cells[0].source
    code = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert "MiMoEmulator().start()" in code[0].source  # the user's path, in the notebook itself
    assert all(cell.execution_count for cell in code)
    assert all(not any(o.output_type == "error" for o in cell.outputs) for cell in code)
    assert sum(bool(cell.outputs) for cell in code) >= len(code) - 2
    normalized = normalize(copy.deepcopy(committed))
    assert normalized == committed  # python -m notebooks.normalize leaves it unchanged


def test_scripted_replies_are_chosen_by_the_request_content_not_its_order() -> None:
    from cassettes.emulator_scripts import Scripted

    class Emulator(ScriptedEmulator):
        by_content = (
            Scripted("weather", Reply.text("Sunny.")),
            Scripted("time", Reply.text("14:05.")),
            Scripted("time", Reply.text("Still 14:05.")),
        )

    import httpx

    with Emulator() as emulator:
        headers = {"api-key": emulator.api_key}

        def ask(text: str) -> str:
            body = {"model": "mimo-v2.6-flash", "messages": [{"role": "user", "content": text}]}
            body["thinking"] = {"type": "disabled"}
            response = httpx.post(
                f"{emulator.base_url}/chat/completions", json=body, headers=headers, timeout=10
            )
            return str(response.json()["choices"][0]["message"]["content"])

        assert ask("What time is it?") == "14:05."
        assert ask("And the weather?") == "Sunny."
        assert emulator.unused == ["time"]
        assert ask("The time again?") == "Still 14:05."
        assert ask("Anything else?") == "Emulated MiMo answer to: Anything else?"  # no match
        assert emulator.unused == []


def test_last_message_text_reads_strings_and_text_parts() -> None:
    assert last_message_text({"messages": [{"role": "user", "content": "hi"}]}) == "hi"
    parts = [{"type": "input_audio", "input_audio": {}}, {"type": "text", "text": "Transcribe."}]
    assert last_message_text({"messages": [{"role": "user", "content": parts}]}) == " Transcribe."
    assert last_message_text({"messages": []}) == ""


def test_the_kernel_is_this_interpreter_even_if_another_python3_spec_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A python3 kernelspec that Jupyter would find first, pointing at a Python that is not there.
    spec_dir = tmp_path / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    argv = ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec_dir / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "elsewhere", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import sys\nprint(sys.executable)")]
    )
    path = tmp_path / "probe.ipynb"
    nbformat.write(notebook, path)
    executed = execute_notebook(path, env=_env_without_key())
    assert _outputs(executed.cells[0]).strip() == sys.executable
