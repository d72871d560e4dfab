"""No cassette, notebook or example holds a key or a real auth header value."""

from __future__ import annotations

import re

import pytest
import yaml

from cassettes import PLACEHOLDER_KEY
from cassettes.provenance import cassette_files

from .secret_scan import ROOT, find_secrets, recording_files, scanned_files


@pytest.mark.parametrize(
    "text",
    [
        # built by concatenation so that this file itself holds no key-shaped literal
        "key = 'sk-" + "emu-3f9a0c1b2d4e5f60718293a4'",
        "MIMO_API_KEY=sk-AbCdEfGh1234567890xyz",
        "tp-abcdefghijklmnop1234",
        "Authorization: Bearer abcdefgh12345678qrst",
        "      authorization:\n      - Bearer abc123def456ghi789",
        '{"api-key": "0123456789abcdef0123"}',
        "      api-key:\n      - 0123456789abcdef0123",
    ],
)
def test_scanner_finds_keys_and_auth_values(text: str) -> None:
    assert find_secrets(text)


@pytest.mark.parametrize(
    "text",
    [
        "export MIMO_API_KEY=sk-...",
        "api_key='tp-...'  # Token Plan",
        f"authorization:\n      - Bearer {PLACEHOLDER_KEY}",
        f"api-key: {PLACEHOLDER_KEY}",
        "Auth header: `api-key: KEY` or `Authorization: Bearer KEY`",
        "task-1234567890abcdefghij",  # sk- inside a word is not a key
    ],
)
def test_scanner_passes_placeholders_and_docs(text: str) -> None:
    assert find_secrets(text) == []


def test_no_secrets_in_cassettes_notebooks_or_examples() -> None:
    files = list(scanned_files())
    folders = {path.relative_to(ROOT).parts[0] for path in files}
    assert {"cassettes", "examples", "notebooks", "tests"} <= folders  # not vacuous
    leaks = {
        str(path.relative_to(ROOT)): found
        for path in files
        if (found := find_secrets(path.read_text(encoding="utf-8", errors="replace")))
    }
    assert leaks == {}


PLACEHOLDER_VALUE = re.compile(r"^(Bearer )?[A-Z][A-Z_*]*$")  # e.g. MIMO_API_KEY_PLACEHOLDER


def _interactions(path):
    data = yaml.safe_load(path.read_text())
    return data.get("interactions", []) if isinstance(data, dict) else []


def test_every_recorded_auth_header_in_the_repository_is_a_placeholder() -> None:
    cassettes = [path for path in recording_files() if path.suffix in (".yaml", ".yml")]
    assert any(path.is_relative_to(ROOT / "cassettes") for path in cassettes)
    for path in cassettes:
        for interaction in _interactions(path):
            for name, values in interaction["request"]["headers"].items():
                if name.lower() in ("authorization", "api-key"):
                    assert all(PLACEHOLDER_VALUE.match(value) for value in values), path


def test_our_cassettes_keep_only_placeholder_auth_and_needed_response_headers() -> None:
    cassettes = cassette_files()
    assert cassettes
    for path in cassettes:
        for interaction in _interactions(path):
            headers = {k.lower(): v for k, v in interaction["request"]["headers"].items()}
            assert headers.get("api-key", [PLACEHOLDER_KEY]) == [PLACEHOLDER_KEY], path.name
            assert headers.get("authorization", [f"Bearer {PLACEHOLDER_KEY}"]) == [
                f"Bearer {PLACEHOLDER_KEY}"
            ], path.name
            kept = {k.lower() for k in interaction["response"]["headers"]}
            assert kept <= {"content-type", "retry-after"}, path.name
