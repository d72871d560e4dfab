"""Shared helpers for the emulator tests: an httpx client, SSE parsing (``emulator`` and the
shipped ``mimo_emulator`` it is are in tests/conftest.py and the package's pytest plugin)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mimo_client.testing import MiMoEmulator

USER = [{"role": "user", "content": "What is the weather in Paris today?"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 3, "maximum": 7},
            },
            "required": ["city"],
        },
    },
}


@pytest.fixture
def emu(emulator: MiMoEmulator) -> MiMoEmulator:
    """The suite's short name for ``emulator`` (tests/conftest.py)."""
    return emulator


@pytest.fixture
def http(emu: MiMoEmulator) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=emu.base_url, headers={"api-key": emu.api_key}, timeout=10
    ) as client:
        yield client


def sse_data(text: str) -> list[str]:
    """The payloads of every `data:` line, in order (the raw text, [DONE] included)."""
    out = []
    for block in text.split("\n\n"):
        for line in block.split("\n"):
            if line.startswith("data:"):
                out.append(line[5:].strip())
    return out


def sse_chunks(text: str) -> list[dict[str, Any]]:
    """The JSON chunks of a stream body; asserts it ends with exactly one [DONE]."""
    data = sse_data(text)
    assert data[-1] == "[DONE]", data[-3:]
    assert data.count("[DONE]") == 1
    return [json.loads(d) for d in data[:-1]]


def chat(http: httpx.Client, **body: Any) -> httpx.Response:
    body.setdefault("model", "mimo-v2.6-pro")
    body.setdefault("messages", USER)
    return http.post("/chat/completions", json=body)


def param_400(reason: str) -> dict[str, Any]:
    error = {"code": "400", "message": "Param Incorrect", "param": reason, "type": ""}
    if reason == "`text` is not set":
        del error["type"]  # as the service's body for it has none (real-traffic 026)
    return {"error": error}
