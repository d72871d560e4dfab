"""Find anything that looks like a MiMo key or a real auth header value in text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from cassettes import PLACEHOLDER_KEY

ROOT = Path(__file__).resolve().parents[2]
SCANNED_FOLDERS = ("cassettes", "notebooks", "examples")

# sk- (pay-as-you-go, and the emulator's random sk-emu-...) and tp- (Token Plan) keys.
KEY = re.compile(r"(?<![A-Za-z0-9])(?:sk|tp)-[A-Za-z0-9_\-]{16,}")
# A header value: "Authorization: Bearer X", "api-key: X", YAML lists and JSON pairs alike.
# Values are 16+ token characters with a digit in them (keys have digits; code such as
# ``request.headers`` or ``emulator.api_key`` does not).
AUTH_VALUE = re.compile(
    r"""(?ix)
    (?: \bbearer \s+
      | \bapi-key ["']? \s* [:=] \s* (?: \[ \s* | - \s+ )? ["']?
      | \bauthorization ["']? \s* [:=] \s* (?: \[ \s* | \n? \s* - \s+ )? ["']? (?: bearer \s+ )?
    )
    (?P<value> (?=[A-Za-z._\-]*\d) [A-Za-z0-9._\-]{16,} )
    """
)
ALLOWED_VALUES = frozenset({PLACEHOLDER_KEY, "MIMO_API_KEY"})


def find_secrets(text: str) -> list[str]:
    """Every key-like string and every auth header value that is not the placeholder."""
    found = [match.group(0) for match in KEY.finditer(text)]
    found += [
        match.group("value")
        for match in AUTH_VALUE.finditer(text)
        if match.group("value") not in ALLOWED_VALUES
    ]
    return found


_SKIPPED_PARTS = frozenset({".git", ".venv", "venv", "__pycache__", "node_modules"})
_RECORDING_SUFFIXES = (".yaml", ".yml", ".ipynb")


def _repo_files() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT).parts
        if path.is_file() and not _SKIPPED_PARTS.intersection(relative):
            yield path


def recording_files() -> list[Path]:
    """Every cassette (YAML) and notebook anywhere in the repository, e.g. tests/*/cassettes."""
    return [path for path in _repo_files() if path.suffix in _RECORDING_SUFFIXES]


def scanned_files() -> list[Path]:
    """Everything under cassettes/, notebooks/ and examples/, and every recording elsewhere."""
    in_folders = [
        path for path in _repo_files() if path.relative_to(ROOT).parts[0] in SCANNED_FOLDERS
    ]
    return sorted(set(in_folders) | set(recording_files()))
