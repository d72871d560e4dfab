"""Pytest plugin: the ``mimo_emulator`` fixture (a started MiMoEmulator, stopped after the test).

Installing the package registers this plugin (the ``pytest11`` entry point in pyproject.toml),
so a test just takes ``mimo_emulator`` as an argument. With plugin autoloading off
(``PYTEST_DISABLE_PLUGIN_AUTOLOAD``), import the fixture into a conftest instead: ``from
mimo_client.testing.pytest_plugin import mimo_emulator``. Don't add this module to
``pytest_plugins``: pytest aborts with "Plugin already registered under a different name".
Works for sync and async tests alike (the server has its own thread and loop).
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
