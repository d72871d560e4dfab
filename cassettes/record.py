"""Re-record every cassette: ``MIMO_API_KEY=... python -m cassettes.record``.

With ``MIMO_API_KEY`` set (and ``MIMO_BASE_URL`` for a Token Plan host) the cassettes are
recorded from the live service; without a key, from the loopback emulator
(``mimo_client.testing.MiMoEmulator``: automatic replies for the replay tests, the hand-written
replies of ``cassettes/emulator_scripts.py``, matched by request content, for the notebooks). It

1. runs the replay tests (``tests/cassettes/test_replay_*.py``) with ``--record-mode=rewrite``,
   which rewrites ``cassettes/tests/*.yaml``;
2. executes each notebook with the harness in record mode (``cassettes/harness.py``), which
   rewrites ``cassettes/notebooks/*.yaml`` and saves the notebooks with their new outputs,
   normalized (``notebooks/normalize.py``);
3. writes ``cassettes/provenance.json`` and the table in ``cassettes/README.md``: where and when
   each cassette was recorded.

Keys are replaced by placeholders before anything is written; ``tests/cassettes/
test_secret_scan.py`` checks the result.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from urllib.parse import urlsplit

from cassettes.config import CASSETTE_DIR
from cassettes.emulator_scripts import SCRIPTS
from cassettes.provenance import Provenance, write_provenance
from mimo_client.testing import MiMoEmulator

ROOT = CASSETTE_DIR.parent
OFFICIAL_BASE_URL = "https://api.xiaomimimo.com/v1"


def _source() -> str:
    """Where this run records from, as the README states it."""
    if os.environ.get("MIMO_API_KEY"):
        host = urlsplit(os.environ.get("MIMO_BASE_URL") or OFFICIAL_BASE_URL).hostname
        return f"live service ({host})"
    return "emulator (mimo_client.testing.MiMoEmulator, automatic replies)"


def _notebook_source(name: str) -> str:
    if os.environ.get("MIMO_API_KEY") or name not in SCRIPTS:
        return _source()
    return "emulator (replies scripted in cassettes/emulator_scripts.py)"


@contextmanager
def _target() -> Iterator[dict[str, str]]:
    """The environment the replay tests record in: the live service, or a fresh emulator."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIMO_")}
    key = os.environ.get("MIMO_API_KEY")
    if key:
        base_url = os.environ.get("MIMO_BASE_URL") or OFFICIAL_BASE_URL
        env.update(MIMO_API_KEY=key, MIMO_BASE_URL=base_url)
        yield env
        return
    # A fresh emulator per recording keeps its counters (ids, cached tokens) independent of
    # what was recorded before, so re-recording without a key changes little.
    with MiMoEmulator() as emulator:
        env.update(MIMO_API_KEY=emulator.api_key, MIMO_BASE_URL=emulator.base_url)
        yield env


def harness_cells(name: str, mode: str) -> tuple[str, str]:
    """The code the harness runs before and after a notebook's cells (``cassettes.harness``)."""
    before = (
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        f"import cassettes.harness\ncassettes.harness.start({name!r}, {mode!r})"
    )
    return before, "print(cassettes.harness.finish())"


def _record_tests(env: Mapping[str, str]) -> None:
    for stale in (CASSETTE_DIR / "tests").glob("*.yaml"):
        stale.unlink()
    tests = sorted(str(path) for path in (ROOT / "tests" / "cassettes").glob("test_replay_*.py"))
    command = [sys.executable, "-m", "pytest", "-q", "--record-mode=rewrite", *tests]
    subprocess.run(command, cwd=ROOT, env=dict(env), check=True)


def _record_notebooks(names: list[str] | None) -> dict[str, Provenance]:
    from notebooks.execute import NOTEBOOK_DIR, execute_notebook

    recorded = {}
    stamp = _today()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIMO_")}
    if os.environ.get("MIMO_API_KEY"):
        env["MIMO_API_KEY"] = os.environ["MIMO_API_KEY"]
        env["MIMO_BASE_URL"] = os.environ.get("MIMO_BASE_URL") or OFFICIAL_BASE_URL
    for path in sorted(NOTEBOOK_DIR.glob("*.ipynb")):
        if names and path.stem not in names:
            continue
        print(f"executing {path.relative_to(ROOT)} in record mode", flush=True)
        before, after = harness_cells(path.stem, "record")
        execute_notebook(path, env=env, save=True, before=before, after=after)
        recorded[f"notebooks/{path.stem}.yaml"] = Provenance(_notebook_source(path.stem), stamp)
    return recorded


def _today() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def main(argv: list[str] | None = None) -> int:
    """Record the cassettes; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m cassettes.record", description=__doc__)
    parser.add_argument(
        "--only",
        choices=["tests", "notebooks"],
        help="record only the replay-test cassettes or only the notebook cassettes",
    )
    parser.add_argument(
        "--notebook", action="append", help="record only this notebook (stem); repeatable"
    )
    args = parser.parse_args(argv)
    recorded: dict[str, Provenance] = {}
    print(f"Recording cassettes from the {_source().split(' (')[0]}.", flush=True)
    if args.only in (None, "tests"):
        with _target() as env:
            _record_tests(env)
        for path in sorted((CASSETTE_DIR / "tests").glob("*.yaml")):
            recorded[f"tests/{path.name}"] = Provenance(_source(), _today())
    if args.only in (None, "notebooks"):
        recorded.update(_record_notebooks(args.notebook))
    write_provenance(recorded)
    print(f"Recorded {len(recorded)} cassettes; see cassettes/README.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
