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
    message.update(turn.message_extra)
    if turn.audio is not None:
        message["audio"] = audio_object(turn.id, turn.audio)
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


# Every streamed delta carries these four keys, null when unused, as the service sends them.
_NULL_DELTA: dict[str, Any] = {
    "content": None,
    "role": None,
    "tool_calls": None,
    "reasoning_content": None,
}


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
    delta_head = (head + '[{"delta":').encode()
    delta_tail = (',"finish_reason":null,"index":0}],' + tail + "}\n\n").encode()

    def delta(**fields: Any) -> bytes:
        return delta_head + dumps({**_NULL_DELTA, **fields}).encode() + delta_tail

    events = [delta(content="", role="assistant", **turn.message_extra)]
    for field, pieces in (
        ("reasoning_content", turn.reasoning_pieces),
        ("content", turn.content_pieces),
    ):
        encoded: dict[str, bytes] = {}
        for piece in pieces:
            event = encoded.get(piece)
            if event is None:
                event = encoded[piece] = delta(**{field: piece})
            events.append(event)
    for fragment in _call_fragments(turn.calls, turn.interleave):
        events.append(delta(tool_calls=[fragment]))
    for i, samples in enumerate(turn.audio_pieces):
        audio: dict[str, Any] = {"data": base64.b64encode(samples).decode("ascii")}
        if i == 0:
            audio = {"id": f"audio-{turn.id}", **audio}
        events.append(delta(audio=audio))
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


def audio_object(turn_id: str, data: bytes) -> dict[str, Any]:
    """A speech reply's ``message.audio``, as the service shapes it."""
    encoded = base64.b64encode(data).decode("ascii")
    return {"id": f"audio-{turn_id}", "data": encoded, "expires_at": None, "transcript": None}


def sse_error(error: Any) -> bytes:
    """An SSE-framed error body, as the service sends on streaming requests."""
    return f"data:{dumps({'error': error})}\n\n".encode()
