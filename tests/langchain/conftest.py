"""Fixtures for the ChatMiMo tests (the ``emulator`` fixture, the loopback guard and the
removal of MIMO_API_KEY/MIMO_BASE_URL for offline tests are in tests/conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator


@pytest.fixture
def model(emulator: MiMoEmulator) -> ChatMiMo:
    """A ChatMiMo (mimo-v2.6-pro, thinking on by default) pointed at the emulator."""
    return ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)


# Standard integration tests whose assertions need a model's judgement: the emulator answers by
# fixed rules (it calls the first tool with schema-derived arguments, answers JSON mode with
# {"answer": ...}), so these run only against the real service (TestChatMiMoLive).
_NEEDS_JUDGEMENT = {
    "test_tool_calling": "expects magic_function called with {'input': 3} for 'magic_function(3)'",
    "test_tool_calling_async": "expects magic_function called with {'input': 3}",
    "test_unicode_tool_call_integration": "expects the customer name from the prompt in the args",
    "test_json_mode": "expects the JSON keys the prompt asks for, given no schema",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect ``live`` tests when MIMO_API_KEY is not set; skip, on the emulator, the
    standard tests that need a real model's judgement."""
    here = str(Path(__file__).parent)
    if not os.environ.get("MIMO_API_KEY"):
        live = [i for i in items if i.get_closest_marker("live") and str(i.path).startswith(here)]
        if live:
            config.hook.pytest_deselected(items=live)
            items[:] = [i for i in items if i not in live]
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is None or not cls.__name__.startswith("TestChatMiMoEmulator"):
            continue
        name = getattr(item, "originalname", item.name)
        reason = _NEEDS_JUDGEMENT.get(name)
        if reason:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"needs a model's judgement ({reason}); runs in TestChatMiMoLive "
                    "with MIMO_API_KEY"
                )
            )


@pytest.fixture(scope="session")
def vcr_config() -> dict[str, Any]:
    """VCR settings for the standard suite's test_stream_time (cassettes recorded from the
    emulator, so replay needs no service; the emulator's port changes, so match on path)."""
    return {
        "record_mode": "once",
        "filter_headers": [("authorization", "PLACEHOLDER"), ("api-key", "PLACEHOLDER")],
        "match_on": ["method", "path", "body"],
        "allow_playback_repeats": True,
        "decode_compressed_response": True,
        "cassette_library_dir": str(Path(__file__).parent / "cassettes"),
        "path_transformer": lambda path: path if path.endswith(".yaml") else path + ".yaml",
    }
