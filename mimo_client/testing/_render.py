"""Encode a planned turn as a chat.completion JSON body or as SSE events (bytes).

Stream shape (keys and their order as the service sends them, see tests/data/real_traffic): a
role delta, reasoning deltas, content deltas, tool-call fragments (first fragment
of a call: index, id, type, function.name and the first arguments piece; later fragments: index
and an arguments piece), a chunk with ``finish_reason``, a usage-only chunk with
``"choices": []``, then
``data: [DONE]``. Every chunk carries the same id, created and model. Each distinct delta text is
encoded once, so long streams of repeated pieces cost one list append per event.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

from ._plan import PlannedCall, Turn

DONE = b"data: [DONE]\n\n"


def dumps(value: Any) -> str:
    """Compact JSON as the emulator sends it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _wire_call(call: PlannedCall) -> dict[str, Any]:
    return {
        "id": call.id,
        "function": {"arguments": call.arguments, "name": call.name},
        "type": "function",
    }


def completion_body(turn: Turn) -> bytes:
    """The non-streamed ``chat.completion`` JSON body, keys as the service sends them.

    ``content`` is a string even on a tool-call turn (``""``, never null), ``tool_calls`` is
    null when there are none, and ``reasoning_content`` is absent when nothing was reasoned
    (a thinking-off reply).
    """
    message: dict[str, Any] = {
        "content": "".join(turn.content_pieces),
        "role": "assistant",
        "tool_calls": [_wire_call(call) for call in turn.calls] if turn.calls else None,
    }
    if turn.reasoning_pieces:
        message["reasoning_content"] = "".join(turn.reasoning_pieces)
    return dumps(
        {
            "id": turn.id,
            "choices": [{"finish_reason": turn.finish_reason, "index": 0, "message": message}],
            "created": int(time.time()),
            "model": turn.model,
            "object": "chat.completion",
            "usage": turn.usage,
        }
    ).encode()


def stream_events(turn: Turn) -> list[bytes]:
    """Every SSE event of the streamed turn, ``[DONE]`` included.

    Every delta carries the four keys the service sends (``content``, ``role``, ``tool_calls``,
    ``reasoning_content``), null when unused; the first is ``{"content":"","role":"assistant",
    ...}``; the finish chunk has an all-null delta and ``"usage":null``.
    """
    tail = (
        f'"created":{int(time.time())},"model":{dumps(turn.model)},"object":"chat.completion.chunk"'
    )
    head = f'data: {{"id":{dumps(turn.id)},"choices":'
    delta_head = (head + '[{"delta":{').encode()
    delta_tail = (',"finish_reason":null,"index":0}],' + tail + "}\n\n").encode()
    events = [
        delta_head
        + b'"content":"","role":"assistant","tool_calls":null,"reasoning_content":null}'
        + delta_tail
    ]
    for prefix, suffix, pieces in (
        (b'"content":null,"role":null,"tool_calls":null,"reasoning_content":', b"}",
         turn.reasoning_pieces),
        (b'"content":', b',"role":null,"tool_calls":null,"reasoning_content":null}',
         turn.content_pieces),
    ):  # fmt: skip
        encoded: dict[str, bytes] = {}
        for piece in pieces:
            event = encoded.get(piece)
            if event is None:
                event = encoded[piece] = (
                    delta_head + prefix + dumps(piece).encode() + suffix + delta_tail
                )
            events.append(event)
    for fragment in _call_fragments(turn.calls, turn.interleave):
        events.append(
            delta_head
            + b'"content":null,"role":null,"tool_calls":'
            + dumps([fragment]).encode()
            + b',"reasoning_content":null}'
            + delta_tail
        )
    events.append(
        (
            head + '[{"delta":{"content":null,"role":null,"tool_calls":null,'
            f'"reasoning_content":null}},"finish_reason":{dumps(turn.finish_reason)},"index":0}}],'
            + tail
            + ',"usage":null}\n\n'
        ).encode()
    )
    events.append((head + "[]," + tail + f',"usage":{dumps(turn.usage)}}}\n\n').encode())
    events.append(DONE)
    return events


def _call_fragments(calls: Sequence[PlannedCall], interleave: bool) -> Iterator[dict[str, Any]]:
    # The first fragment of a call carries its first arguments piece: with one piece the whole
    # call arrives in one delta, as the service sends it (real-traffic 014).
    def first(index: int, call: PlannedCall) -> dict[str, Any]:
        return {
            "index": index,
            "id": call.id,
            "function": {"arguments": call.pieces[0] if call.pieces else "", "name": call.name},
            "type": "function",
        }

    def rest(index: int, piece: str) -> dict[str, Any]:
        return {"index": index, "function": {"arguments": piece}}

    if not interleave:
        for index, call in enumerate(calls):
            yield first(index, call)
            for piece in call.pieces[1:]:
                yield rest(index, piece)
        return
    for index, call in enumerate(calls):
        yield first(index, call)
    longest = max((len(c.pieces) for c in calls), default=0)
    for position in range(1, longest):
        for index, call in enumerate(calls):
            if position < len(call.pieces):
                yield rest(index, call.pieces[position])


def sse_error(error: Any) -> bytes:
    """An SSE-framed error body, as the service sends on streaming requests."""
    return f"data:{dumps({'error': error})}\n\n".encode()
