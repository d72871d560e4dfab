"""The published real-traffic corpus (tests/data/real_traffic) and what each file says.

The expected values are read from each file with plain ``json`` here, independently of the
core's parser, so a replay test compares the core and the adapters against the bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "real_traffic"
ROOT = Path(__file__).resolve().parents[2]
# The shared corpus sits beside the repository (main checkout) or two levels up (a worktree).
SHARED_CANDIDATES = (
    ROOT.parent / "shared" / "real-traffic",
    ROOT.parents[1] / "shared" / "real-traffic",
)

COMPLETIONS = sorted(p.name for p in DATA.glob("*.json") if not p.name.endswith(".error.json"))
STREAMS = sorted(p.name for p in DATA.glob("*.sse"))
ERRORS = sorted(p.name for p in DATA.glob("*.error.json"))
EVERY_FILE = sorted(p.name for p in DATA.iterdir() if p.name != "README.md")


def raw(name: str) -> bytes:
    return (DATA / name).read_bytes()


def status_of(name: str) -> int:
    """The HTTP status of an error file, from its name: ``020_400_...`` -> 400."""
    return int(name.split("_")[1])


def sse_payloads(name: str) -> list[Any]:
    """The JSON payloads of a .sse file's data lines ([DONE] excluded)."""
    out = []
    for line in raw(name).decode().splitlines():
        if line.startswith("data:") and line[5:].strip() != "[DONE]":
            out.append(json.loads(line[5:]))
    return out


@dataclass
class Expected:
    """What the file's bytes say the turn is."""

    content: str = ""
    reasoning: str | None = None
    calls: list[dict[str, str]] = field(default_factory=list)
    finish_reason: str | None = None
    usage: dict[str, Any] | None = None


def expected(name: str) -> Expected:
    if name.endswith(".json"):
        body = json.loads(raw(name))
        choice = body["choices"][0]
        message = choice["message"]
        return Expected(
            content=message.get("content") or "",
            reasoning=message.get("reasoning_content"),
            calls=[
                {
                    "id": c["id"],
                    "name": c["function"]["name"],
                    "arguments": c["function"]["arguments"],
                }
                for c in message.get("tool_calls") or []
            ],
            finish_reason=choice["finish_reason"],
            usage=body.get("usage"),
        )
    out = Expected()
    reasoning: list[str] = []
    calls: dict[int, dict[str, str]] = {}
    for chunk in sse_payloads(name):
        if chunk.get("usage"):
            out.usage = chunk["usage"]
        for choice in chunk["choices"]:
            delta = choice["delta"]
            out.content += delta.get("content") or ""
            if delta.get("reasoning_content"):
                reasoning.append(delta["reasoning_content"])
            for call in delta.get("tool_calls") or []:
                slot = calls.setdefault(call["index"], {"id": "", "name": "", "arguments": ""})
                slot["id"] = call.get("id") or slot["id"]
                slot["name"] = call["function"].get("name") or slot["name"]
                slot["arguments"] += call["function"].get("arguments") or ""
            out.finish_reason = choice.get("finish_reason") or out.finish_reason
    out.reasoning = "".join(reasoning) if reasoning else None
    out.calls = [calls[i] for i in sorted(calls)]
    return out
