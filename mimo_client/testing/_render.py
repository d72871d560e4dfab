"""Encode a planned turn as a chat.completion JSON body or as SSE events (bytes).

Stream shape: a role delta, reasoning deltas, content deltas, tool-call fragments (first fragment
of a call: index, id, type, function.name and empty arguments; later fragments: index and an
arguments piece), a chunk with ``finish_reason``, a usage-only chunk with ``"choices": []``, then
``data: [DONE]``. Every chunk carries the same id, created and model. Each distinct delta text is
encoded once, so long streams of repeated pieces cost one list append per event.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

from ._plan import PlannedCall, Turn

DONE = b"data: [DONE]\n\n"


def dumps(value: Any) -> str:
    """Compact JSON as the emulator sends it."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def completion_body(turn: Turn) -> bytes:
    """The non-streamed ``chat.completion`` JSON body."""
    content = "".join(turn.content_pieces)
    message: dict[str, Any] = {
        "role": "assistant",
        "content": None if turn.calls and not content else content,
    }
    message.update(turn.message_extra)
    if turn.audio is not None:
        message["audio"] = audio_object(turn.id, turn.audio)
    if turn.reasoning_pieces:
        message["reasoning_content"] = "".join(turn.reasoning_pieces)
    if turn.calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for call in turn.calls
        ]
    return dumps(
        {
            "id": turn.id,
            "object": "chat.completion",
            "created": int(time.time()),
            "model": turn.model,
            "choices": [{"index": 0, "message": message, "finish_reason": turn.finish_reason}],
            "usage": turn.usage,
        }
    ).encode()


def stream_events(turn: Turn) -> list[bytes]:
    """Every SSE event of the streamed turn, ``[DONE]`` included."""
    head = (
        f'data: {{"id":{dumps(turn.id)},"object":"chat.completion.chunk",'
        f'"created":{int(time.time())},"model":{dumps(turn.model)},"choices":'
    )
    delta_head = (head + '[{"index":0,"delta":').encode()
    delta_tail = b',"finish_reason":null}]}\n\n'
    first = dumps({"role": "assistant", **turn.message_extra}).encode()
    events = [delta_head + first + delta_tail]
    for field, pieces in (
        ("reasoning_content", turn.reasoning_pieces),
        ("content", turn.content_pieces),
    ):
        encoded: dict[str, bytes] = {}
        prefix = delta_head + f'{{"{field}":'.encode()
        suffix = b"}" + delta_tail
        for piece in pieces:
            event = encoded.get(piece)
            if event is None:
                event = encoded[piece] = prefix + dumps(piece).encode() + suffix
            events.append(event)
    for fragment in _call_fragments(turn.calls, turn.interleave):
        events.append(delta_head + dumps({"tool_calls": [fragment]}).encode() + delta_tail)
    for i, samples in enumerate(turn.audio_pieces):
        audio: dict[str, Any] = {"data": base64.b64encode(samples).decode("ascii")}
        if i == 0:
            audio = {"id": f"audio-{turn.id}", **audio}
        events.append(delta_head + dumps({"audio": audio}).encode() + delta_tail)
    events.append(
        (
            head + f'[{{"index":0,"delta":{{}},"finish_reason":{dumps(turn.finish_reason)}}}]}}\n\n'
        ).encode()
    )
    events.append((head + f'[],"usage":{dumps(turn.usage)}}}\n\n').encode())
    events.append(DONE)
    return events


def _call_fragments(calls: Sequence[PlannedCall], interleave: bool) -> Iterator[dict[str, Any]]:
    def first(index: int, call: PlannedCall) -> dict[str, Any]:
        return {
            "index": index,
            "id": call.id,
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }

    def rest(index: int, piece: str) -> dict[str, Any]:
        return {"index": index, "function": {"arguments": piece}}

    if not interleave:
        for index, call in enumerate(calls):
            yield first(index, call)
            for piece in call.pieces:
                yield rest(index, piece)
        return
    for index, call in enumerate(calls):
        yield first(index, call)
    longest = max((len(c.pieces) for c in calls), default=0)
    for position in range(longest):
        for index, call in enumerate(calls):
            if position < len(call.pieces):
                yield rest(index, call.pieces[position])


def audio_object(turn_id: str, data: bytes) -> dict[str, Any]:
    """A speech reply's ``message.audio``, as the service shapes it."""
    encoded = base64.b64encode(data).decode("ascii")
    return {"id": f"audio-{turn_id}", "data": encoded, "expires_at": None, "transcript": None}


def sse_error(error: Any) -> bytes:
    """An SSE-framed error body, as the service sends on streaming requests."""
    return f"data:{dumps({'error': error})}\n\n".encode()
