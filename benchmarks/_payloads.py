"""Wire bodies the loopback server sends, in MiMo's exact chunk shape.

A streamed answer is: one role delta, N reasoning deltas, M content deltas, a chunk with
``finish_reason``, a usage-only chunk with ``"choices": []``, then ``data: [DONE]``.
The same tokens are used everywhere so that every runner can check what it received.
"""

from __future__ import annotations

import json

MODEL = "mimo-v2.6-pro"
REASONING_TOKEN = " thinking"
CONTENT_TOKEN = " answer"
CALL_REASONING = "The user greets me; I greet back."
CALL_CONTENT = "Hello! I am MiMo, how can I help?"

_ID = "chatcmpl-bench0123456789abcdef"
_CREATED = 1711234567


def _chunk(delta: dict[str, object], finish_reason: str | None = None) -> dict[str, object]:
    return {
        "id": _ID,
        "object": "chat.completion.chunk",
        "created": _CREATED,
        "model": MODEL,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _usage(n_reasoning: int, n_content: int) -> dict[str, object]:
    return {
        "prompt_tokens": 12,
        "completion_tokens": n_reasoning + n_content,
        "total_tokens": 12 + n_reasoning + n_content,
        "completion_tokens_details": {"reasoning_tokens": n_reasoning},
        "prompt_tokens_details": {"cached_tokens": 0},
    }


def _event(obj: object) -> bytes:
    data = obj if isinstance(obj, str) else json.dumps(obj, separators=(",", ":"))
    return f"data: {data}\n\n".encode()


def stream_events(n_reasoning: int, n_content: int) -> list[bytes]:
    """The SSE events (each ``data: ...\\n\\n``) of one streamed answer, in order."""
    reasoning = _event(_chunk({"reasoning_content": REASONING_TOKEN}))
    content = _event(_chunk({"content": CONTENT_TOKEN}))
    usage_chunk = {
        "id": _ID,
        "object": "chat.completion.chunk",
        "created": _CREATED,
        "model": MODEL,
        "choices": [],
        "usage": _usage(n_reasoning, n_content),
    }
    return [
        _event(_chunk({"role": "assistant"})),
        *([reasoning] * n_reasoning),
        *([content] * n_content),
        _event(_chunk({}, "stop")),
        _event(usage_chunk),
        _event("[DONE]"),
    ]


def chunked_body(events: list[bytes]) -> bytes:
    """HTTP/1.1 chunked transfer encoding of *events*, one HTTP chunk per SSE event."""
    parts = [b"%x\r\n%s\r\n" % (len(e), e) for e in events]
    parts.append(b"0\r\n\r\n")
    return b"".join(parts)


def completion_body() -> bytes:
    """A non-stream completion JSON with reasoning, text and usage."""
    body = {
        "id": _ID,
        "object": "chat.completion",
        "created": _CREATED,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": CALL_CONTENT,
                    "reasoning_content": CALL_REASONING,
                },
                "finish_reason": "stop",
            }
        ],
        "usage": _usage(9, 10),
    }
    return json.dumps(body, separators=(",", ":")).encode()
