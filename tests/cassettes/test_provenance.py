"""cassettes/README.md says, for every cassette, where it was recorded."""

from __future__ import annotations

from cassettes.config import CASSETTE_DIR
from cassettes.provenance import README, cassette_files, read_provenance


def test_every_cassette_has_a_recorded_source() -> None:
    names = {str(path.relative_to(CASSETTE_DIR)) for path in cassette_files()}
    assert names
    assert set(read_provenance()) == names


def test_readme_table_names_each_cassette_and_its_source() -> None:
    readme = README.read_text()
    for name, entry in read_provenance().items():
        row = next(line for line in readme.splitlines() if line.startswith(f"| `{name}` |"))
        assert entry.source in row and entry.recorded in row


def test_readme_says_plainly_when_cassettes_come_from_the_emulator() -> None:
    sources = {entry.source for entry in read_provenance().values()}
    readme = README.read_text()
    assert "python -m cassettes.record" in readme
    if any(source.startswith("emulator") for source in sources):
        assert "comes from the loopback emulator" in readme
