"""What a runner received: reasoning and content characters, to check every row did the work."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmarks import _payloads


@dataclass
class Counts:
    """Characters of reasoning and of visible content a runner received."""

    reasoning: int = 0
    content: int = 0

    def __iadd__(self, other: Counts) -> Counts:
        self.reasoning += other.reasoning
        self.content += other.content
        return self


def expected_stream(n: int, streams: int = 1) -> Counts:
    """What *streams* streams of n reasoning + n content deltas carry."""
    return Counts(
        n * len(_payloads.REASONING_TOKEN) * streams, n * len(_payloads.CONTENT_TOKEN) * streams
    )


def expected_calls(calls: int) -> Counts:
    """What *calls* non-stream answers carry."""
    return Counts(len(_payloads.CALL_REASONING) * calls, len(_payloads.CALL_CONTENT) * calls)


def langchain_message(msg: Any) -> Counts:
    """Count a LangChain AIMessage(Chunk), whichever way it carries reasoning."""
    counts = Counts()
    content = msg.content
    if isinstance(content, str):
        counts.content = len(content)
    else:
        for block in content:
            if isinstance(block, str):
                counts.content += len(block)
                continue
            kind = block.get("type")
            if kind == "text":
                counts.content += len(block.get("text") or "")
            elif kind in ("reasoning", "thinking"):
                counts.reasoning += len(block.get("reasoning") or block.get("thinking") or "")
    extra = msg.additional_kwargs.get("reasoning_content")
    if extra:
        counts.reasoning += len(extra)
    return counts


def llama_index_stream(resp: Any) -> Counts:
    """Count one streamed LlamaIndex ChatResponse (content in .delta)."""
    extra = resp.additional_kwargs
    reasoning = extra.get("thinking_delta") or extra.get("reasoning_delta") or ""
    return Counts(len(reasoning), len(resp.delta or ""))


def llama_index_message(msg: Any) -> Counts:
    """Count a finished LlamaIndex ChatMessage (text and thinking blocks)."""
    counts = Counts()
    for block in msg.blocks:
        kind = getattr(block, "block_type", "")
        if kind == "text":
            counts.content += len(block.text)
        elif kind == "thinking":
            counts.reasoning += len(block.content or "")
    if not counts.reasoning:
        extra = msg.additional_kwargs.get("reasoning_content") or msg.additional_kwargs.get(
            "thinking"
        )
        if isinstance(extra, str):
            counts.reasoning = len(extra)
    return counts
