"""Pytest plugin: the ``mimo_emulator`` fixture (a started MiMoEmulator, stopped after the test).

Enable it with ``pytest_plugins = ["mimo_client.testing.pytest_plugin"]`` in the top-level
conftest, or import the fixture into a conftest: ``from mimo_client.testing.pytest_plugin import
mimo_emulator``. Works for sync and async tests alike (the server has its own thread and loop).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._server import MiMoEmulator


@pytest.fixture
def mimo_emulator() -> Iterator[MiMoEmulator]:
    """A running MiMoEmulator with a random key on a free port."""
    with MiMoEmulator() as emulator:
        yield emulator
