"""Where each cassette was recorded: ``cassettes/provenance.json`` and the README's table."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from cassettes.config import CASSETTE_DIR

PROVENANCE_FILE = CASSETTE_DIR / "provenance.json"
README = CASSETTE_DIR / "README.md"
TABLE_START = "<!-- cassette table: written by python -m cassettes.record -->"
TABLE_END = "<!-- end of cassette table -->"


@dataclass(frozen=True)
class Provenance:
    """The source a cassette was recorded from (live service or emulator) and the date."""

    source: str
    recorded: str


def cassette_files() -> list[Path]:
    """Every cassette in the repository, sorted."""
    return sorted(CASSETTE_DIR.glob("*/*.yaml"))


def read_provenance() -> dict[str, Provenance]:
    """The recorded provenance, keyed by path relative to ``cassettes/``."""
    if not PROVENANCE_FILE.exists():
        return {}
    data = json.loads(PROVENANCE_FILE.read_text())
    return {name: Provenance(**entry) for name, entry in data.items()}


def _summary(path: Path) -> tuple[int, str]:
    interactions = yaml.safe_load(path.read_text())["interactions"]
    models = set()
    for interaction in interactions:
        body = interaction["request"]["body"]
        if body:
            models.add(json.loads(body).get("model", "?"))
    return len(interactions), ", ".join(sorted(models)) or "-"


def _table(entries: Mapping[str, Provenance]) -> str:
    rows = [
        "| cassette | recorded from | date | requests | models |",
        "|---|---|---|---|---|",
    ]
    for path in cassette_files():
        name = str(path.relative_to(CASSETTE_DIR))
        entry = entries.get(name)
        count, models = _summary(path)
        source, date = (entry.source, entry.recorded) if entry else ("unknown", "-")
        rows.append(f"| `{name}` | {source} | {date} | {count} | {models} |")
    return "\n".join(rows)


def write_provenance(updates: Mapping[str, Provenance]) -> None:
    """Merge ``updates`` into provenance.json (dropping deleted cassettes); rewrite the table."""
    existing = set(str(path.relative_to(CASSETTE_DIR)) for path in cassette_files())
    entries = {name: entry for name, entry in read_provenance().items() if name in existing}
    entries.update({name: entry for name, entry in updates.items() if name in existing})
    PROVENANCE_FILE.write_text(
        json.dumps({name: asdict(entries[name]) for name in sorted(entries)}, indent=2) + "\n"
    )
    text = README.read_text()
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    README.write_text(f"{head}{TABLE_START}\n{_table(entries)}\n{TABLE_END}{tail}")
