"""Run a tutorial notebook from its cassette, live, or while recording one.

A notebook calls ``recorder = replay("name")`` in one visible cell before it builds a model,
and ``recorder.close()`` at the end. What ``replay`` does depends on the environment:

- ``MIMO_CASSETTES=replay``, or no ``MIMO_API_KEY``: plays ``cassettes/notebooks/name.yaml``.
  The models are pointed at a loopback address with a placeholder key (through
  ``MIMO_API_KEY``/``MIMO_BASE_URL``), and a request the cassette lacks raises instead of
  going anywhere.
- ``MIMO_API_KEY`` set (and ``MIMO_CASSETTES`` unset): nothing; the notebook talks to the
  live service.
- ``MIMO_CASSETTES=record`` (set by ``python -m cassettes.record``): records the notebook's
  traffic into the cassette, replacing it, with the key replaced by a placeholder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # the repository's cassettes package, also without `pip -e`
    sys.path.insert(0, str(_ROOT))

from cassettes import PLACEHOLDER_KEY, REPLAY_BASE_URL, make_vcr  # noqa: E402
from cassettes.config import CASSETTE_DIR  # noqa: E402
from cassettes.provenance import read_provenance  # noqa: E402


def _mode() -> str:
    forced = os.environ.get("MIMO_CASSETTES")
    if forced in ("replay", "record"):
        return forced
    return "live" if os.environ.get("MIMO_API_KEY") else "replay"


class Recorder:
    """An open cassette (or none, when live); ``close()`` ends it and reports what happened."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.mode = _mode()
        self.path = CASSETTE_DIR / "notebooks" / f"{name}.yaml"
        self._context: Any = None
        self._cassette: Any = None
        relative = f"cassettes/notebooks/{name}.yaml"
        if self.mode == "live":
            base = os.environ.get("MIMO_BASE_URL") or "https://api.xiaomimimo.com/v1"
            print(f"Live: MIMO_API_KEY is set, requests go to {base} (no cassette).")
            return
        if self.mode == "record":
            secrets = [os.environ.get("MIMO_API_KEY", "")]
            self.path.unlink(missing_ok=True)  # vcrpy's "all" mode would keep the old entries
            self._context = make_vcr("all", secrets).use_cassette(str(self.path))
            print(f"Recording this notebook's traffic into {relative}.")
        else:
            os.environ["MIMO_API_KEY"] = PLACEHOLDER_KEY
            os.environ["MIMO_BASE_URL"] = REPLAY_BASE_URL
            self._context = make_vcr("none").use_cassette(str(self.path))
            entry = read_provenance().get(f"notebooks/{name}.yaml")
            source = f"the {entry.source} on {entry.recorded}" if entry else "an unknown source"
            print(f"Replaying {relative}, recorded from {source}. No network is used.")
        self._cassette = self._context.__enter__()

    def close(self) -> None:
        """Stop recording or replaying; on replay, check every recorded response was used."""
        if self._context is None:
            print("Live run finished.")
            return
        self._context.__exit__(None, None, None)
        self._context = None
        count = len(self._cassette.data)
        if self.mode == "record":
            print(f"Recorded {count} requests.")
            return
        if not self._cassette.all_played:
            raise AssertionError(
                f"only {self._cassette.play_count} of {count} recorded responses were used: "
                "the notebook changed since it was recorded; run python -m cassettes.record"
            )
        print(f"Replayed all {count} recorded responses.")


def replay(name: str) -> Recorder:
    """Open ``cassettes/notebooks/<name>.yaml`` for this notebook (see the module docstring)."""
    return Recorder(name)
