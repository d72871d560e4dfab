"""Replay layer: tests that run the adapters against recorded MiMo traffic in ``cassettes/tests``.

By default (``MIMO_CASSETTES`` unset or ``replay``) every request is answered from a cassette and
a request the cassette lacks fails the test (record mode ``none``); the clients point at a
loopback address with a placeholder key, so nothing can leave the machine. ``python -m
cassettes.record`` runs these tests with ``MIMO_CASSETTES=record`` and ``--record-mode=rewrite``
against the live service (``MIMO_API_KEY`` set) or the emulator, which rewrites the cassettes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
import vcr

from cassettes import PLACEHOLDER_KEY, REPLAY_BASE_URL, json_body_matcher
from cassettes import config as cassette_config

RECORDING = os.environ.get("MIMO_CASSETTES") == "record"
OFFICIAL_BASE_URL = "https://api.xiaomimimo.com/v1"


@dataclass(frozen=True)
class Endpoint:
    """Where the adapters under test send their requests."""

    api_key: str
    base_url: str


@pytest.fixture(scope="session")
def endpoint() -> Endpoint:
    """The recording target (live or emulator, from the environment) or the replay stand-in."""
    if RECORDING:
        return Endpoint(
            os.environ["MIMO_API_KEY"], os.environ.get("MIMO_BASE_URL") or OFFICIAL_BASE_URL
        )
    return Endpoint(PLACEHOLDER_KEY, REPLAY_BASE_URL)


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """All replay cassettes live in the top-level ``cassettes/tests`` folder."""
    from cassettes import CASSETTE_DIR

    return str(CASSETTE_DIR / "tests")


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """The project's vcrpy configuration; the key in use is scrubbed when recording."""
    secrets = [os.environ.get("MIMO_API_KEY", "")] if RECORDING else []
    return cassette_config.vcr_config(secrets)


def pytest_recording_configure(config: pytest.Config, vcr: vcr.VCR) -> None:
    """Register the parsed-JSON body matcher that ``match_on`` names."""
    vcr.register_matcher("json_body", json_body_matcher)
