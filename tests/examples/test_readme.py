"""Every ```python block of README.md runs, against the emulator, as a user would paste it.

A block runs on its own in a fresh interpreter, with ``MIMO_API_KEY`` and ``MIMO_BASE_URL``
pointing at a loopback emulator; ``test_*`` functions it defines are then called. A block
preceded by the line ``<!-- no-run -->`` is skipped (for fragments that cannot run alone).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mimo_client.testing import MiMoEmulator

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"(?P<before>[^\n]*)\n```python\n(?P<code>.*?)```", re.S)
CALL_TESTS = """

for _name, _function in list(globals().items()):
    if _name.startswith("test_") and callable(_function):
        _function()
"""


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line number, code) of each runnable python block."""
    blocks = []
    for match in BLOCK.finditer(text):
        if match.group("before").strip() == "<!-- no-run -->":
            continue
        line = text.count("\n", 0, match.start("code")) + 1
        blocks.append((line, match.group("code")))
    return blocks


def run_block(code: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run one block against a fresh emulator; return the finished process."""
    script = tmp_path / "snippet.py"
    script.write_text(code + CALL_TESTS)
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIMO_")}
    with MiMoEmulator() as emulator:
        env.update(MIMO_API_KEY=emulator.api_key, MIMO_BASE_URL=emulator.base_url)
        return subprocess.run(
            [sys.executable, str(script)],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


BLOCKS = python_blocks(README.read_text())


def test_readme_has_python_examples() -> None:
    assert BLOCKS


@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_readme_python_block_runs(line: int, code: str, tmp_path: Path) -> None:
    result = run_block(code, tmp_path)
    assert result.returncode == 0, f"README.md line {line}:\n{result.stderr[-3000:]}"


def test_a_failing_block_is_reported(tmp_path: Path) -> None:
    assert python_blocks("x\n<!-- no-run -->\n```python\nboom\n```\n") == []
    assert run_block("def test_it():\n    raise SystemExit(3)\n", tmp_path).returncode == 3
