"""ChatMiMo's class docstring is the user's manual, and every example in it runs
(here against the emulator, through MIMO_API_KEY / MIMO_BASE_URL as a user would set them)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator

SECTIONS = [
    "Setup:",
    "Instantiate:",
    "Invoke:",
    "Stream:",
    "Async:",
    "Reasoning:",
    "Tool calling:",
    "Structured output:",
    "Multimodal:",
    "Token usage:",
    "Response metadata:",
    "Errors:",
]


def _python_blocks(doc: str) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", doc, flags=re.DOTALL)
    return [_dedent(block) for block in blocks]


def _dedent(block: str) -> str:
    lines = block.splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines)


def test_docstring_has_every_section():
    doc = ChatMiMo.__doc__ or ""
    positions = [doc.find(section) for section in SECTIONS]
    missing = [s for s, p in zip(SECTIONS, positions, strict=True) if p < 0]
    assert not missing, missing
    assert positions == sorted(positions)


def test_docstring_examples_run(
    emulator: MiMoEmulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("MIMO_API_KEY", emulator.api_key)
    monkeypatch.setenv("MIMO_BASE_URL", emulator.base_url)
    blocks = _python_blocks(ChatMiMo.__doc__ or "")
    assert len(blocks) >= 10
    namespace: dict[str, Any] = {}
    for block in blocks:
        code = compile(block, "<ChatMiMo docstring>", "exec", dont_inherit=True)
        exec(code, namespace)
    out = capsys.readouterr().out
    assert "Emulated MiMo answer to: I love programming." in out
    assert "reasoning" in out  # content_blocks[0]["type"] of a thinking answer
    assert "get_weather" in out.lower() or "GetWeather" in out
    assert len(emulator.chat_requests) >= 12
