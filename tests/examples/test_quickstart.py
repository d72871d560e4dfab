"""examples/quickstart.py runs offline on the emulator (exit 0, says so first) and live by env."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mimo_client.testing import MiMoEmulator

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "examples" / "quickstart.py"


def _env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MIMO_")}
    env.update(extra)
    return env


def _run(env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(QUICKSTART)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def test_without_a_key_it_says_so_first_and_exits_0() -> None:
    result = _run(_env())
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("No MIMO_API_KEY set: running on the embedded MiMo emulator at")
    out = result.stdout
    _, rest = out.split("== LangChain: ChatMiMo ==")
    langchain_part, llama_index_part = rest.split("== LlamaIndex: MiMo ==")
    for section in langchain_part, llama_index_part:
        labels = [line.split(">", 1)[0] for line in section.splitlines() if ">" in line[:10]]
        assert labels[:2] == ["thinking", "answer"]  # reasoning apart, before the answer
        assert "tool call: get_weather({'city': 'Paris'})" in section
        assert "after the tool: The get_weather tool returned: Sunny, 24 C in Paris" in section
        assert "usage: " in section and " reasoning)" in section
    assert "\033[" not in out  # no escape codes when stdout is not a terminal


def test_on_a_terminal_the_reasoning_is_dimmed() -> None:
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, str(QUICKSTART)], env=_env(), cwd=ROOT, stdout=follower
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the terminal closed when the process ended
                break
            if not data:
                break
            chunks.append(data)
        assert process.wait(timeout=120) == 0
    finally:
        os.close(leader)
    out = b"".join(chunks).decode()
    assert "\033[2mthinking> The user asked" in out
    assert "\033[0m" in out


def test_with_a_key_it_goes_live_through_the_environment() -> None:
    with MiMoEmulator() as emulator:  # stands in for the live service
        result = _run(_env(MIMO_API_KEY=emulator.api_key, MIMO_BASE_URL=emulator.base_url))
        requests = len(emulator.chat_requests)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first == (
        f"Live: talking to the MiMo service at {emulator.base_url} with model mimo-v2.6-pro."
    )
    assert emulator.api_key not in result.stdout + result.stderr
    assert requests == 6  # per adapter: one stream, two tool-loop turns
