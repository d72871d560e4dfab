"""The tutorial notebooks run offline from their cassettes and reproduce their committed outputs."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

from notebooks.build import CASSETTE_TAG, NOTEBOOKS
from notebooks.execute import NOTEBOOK_DIR, execute_notebook

NAMES = sorted(NOTEBOOKS)
ADDRESS = re.compile(r" at 0x[0-9a-f]+")


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


def _replay_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIMO_")}
    env["MIMO_CASSETTES"] = "replay"
    return env


@pytest.mark.parametrize("name", NAMES)
def test_notebook_replays_offline_and_reproduces_its_outputs(name: str) -> None:
    committed = nbformat.read(_path(name), as_version=4)
    executed = execute_notebook(_path(name), env=_replay_env())
    assert "Replayed all" in _outputs(executed.cells[-1])  # every recorded response was used
    pairs = [
        (before, after)
        for before, after in zip(committed.cells, executed.cells, strict=True)
        if before.cell_type == "code" and CASSETTE_TAG not in before.metadata.get("tags", [])
    ]
    assert pairs
    for before, after in pairs:
        assert _outputs(after) == _outputs(before), before.source.splitlines()[0]


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_built_from_build_py_and_has_outputs(name: str) -> None:
    committed = nbformat.read(_path(name), as_version=4)
    assert [(c.cell_type, c.source) for c in committed.cells] == [
        (c.cell_type, c.source) for c in NOTEBOOKS[name]()
    ]
    code = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code)
    assert all(not any(o.output_type == "error" for o in cell.outputs) for cell in code)
    assert sum(bool(cell.outputs) for cell in code) >= len(code) - 2


@pytest.mark.parametrize("name", NAMES)
def test_first_cell_says_how_to_run_live_and_the_cassette_line_is_visible(name: str) -> None:
    cells = nbformat.read(_path(name), as_version=4).cells
    assert cells[0].cell_type == "markdown"
    assert "MIMO_API_KEY=sk-... jupyter lab" in cells[0].source
    assert "python -m cassettes.record" in cells[0].source
    opener = next(cell for cell in cells if cell.cell_type == "code")
    assert f'recorder = replay("{name}")' in opener.source.splitlines()
    assert cells[-1].source == "recorder.close()"
    assert (Path(NOTEBOOK_DIR.parent) / "cassettes" / "notebooks" / f"{name}.yaml").exists()


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
    executed = execute_notebook(path, env=_replay_env())
    assert _outputs(executed.cells[0]).strip() == sys.executable
