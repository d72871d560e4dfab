"""Writing responses: plain bodies, errors, and completions streamed or not, with faults."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Mapping
from typing import Any

from ._http import LAST_CHUNK, chunk
from ._http import response_head as _head
from ._plan import PrefixCache, plan_turn
from ._render import completion_body, dumps, sse_error, stream_events
from ._reply import Reply
from ._speech import apply_speech
from ._web_search import apply_web_search

_BATCH = 64 * 1024
#: An endless reply gives up after this long even if the client is still reading.
_ENDLESS_LIMIT = 600.0


async def send_reply(
    writer: asyncio.StreamWriter,
    reply: Reply,
    body: Any,
    stream: bool,
    keep: bool,
    automatic: bool,
    cache: PrefixCache,
    on_usage: Callable[[Mapping[str, Any]], None] | None = None,
    request_headers: Mapping[str, str] | None = None,
) -> bool:
    """Write the answer for ``reply`` (faults included); returns whether to keep the connection.

    ``request_headers`` are quoted by an ``echo_headers`` error reply.
    """
    if reply.delay:
        await asyncio.sleep(reply.delay)
    if reply.cut_after == 0:
        writer.transport.abort()
        return False
    extra = list(reply.headers)
    if reply.kind == "garbage":
        writer.write(reply.body or b"")
        await writer.drain()
        writer.transport.abort()
        return False
    if reply.kind == "raw":
        return await send(
            writer, reply.status, reply.body or b"", reply.content_type, keep, extra, reply.trickle
        )
    if reply.kind == "error":
        framed = reply.sse if reply.sse is not None else (stream and reply.status == 400)
        if reply.echo_headers:
            echoed = json.dumps(dict(request_headers or {}))
            error = {**(reply.error_info or {}), "message": f"upstream refused; request: {echoed}"}
            payload, ctype = dumps({"error": error}).encode(), "application/json"
        elif reply.body is not None:
            payload, ctype = reply.body, "application/json"
        elif framed:
            payload, ctype = sse_error(reply.error_info), "text/event-stream"
        else:
            payload, ctype = dumps({"error": reply.error_info}).encode(), "application/json"
        return await send(writer, reply.status, payload, ctype, keep, extra, reply.trickle)
    turn = plan_turn(reply, body, cache, automatic=automatic)
    apply_web_search(turn, reply, body)
    apply_speech(turn, body, stream=stream)
    if on_usage is not None:
        on_usage(turn.usage)
    if stream:
        return await _send_stream(writer, reply, stream_events(turn), keep, extra)
    return await _send_completion(writer, reply, completion_body(turn), keep, extra)


async def _send_completion(
    writer: asyncio.StreamWriter,
    reply: Reply,
    payload: bytes,
    keep: bool,
    extra: list[tuple[str, str]],
) -> bool:
    if reply.cut_after is not None:  # announce the whole body, send half, drop the connection
        length = str(len(payload))
        writer.write(
            _head(200, [("Content-Type", "application/json"), ("Content-Length", length)])
            + payload[: len(payload) // 2]
        )
        await writer.drain()
        writer.transport.abort()
        return False
    if reply.eof_after is not None:  # a complete HTTP message whose JSON is cut
        payload = payload[: len(payload) // 2]
    if reply.endless:  # whitespace (which JSON allows before a value), forever
        writer.write(_head(200, [("Content-Type", "application/json"), *_CHUNKED, *extra]))
        await _forever(writer, chunk(b" "), reply.event_delay or 0.05)
        return False
    return await send(writer, 200, payload, "application/json", keep, extra, reply.trickle)


async def _send_stream(
    writer: asyncio.StreamWriter,
    reply: Reply,
    events: list[bytes],
    keep: bool,
    extra: list[tuple[str, str]],
) -> bool:
    limit = reply.cut_after if reply.cut_after is not None else reply.eof_after
    if limit is not None:
        events = events[:limit]
    if reply.huge_event:
        events = [*events[:1], _huge_event(events[0], reply.huge_event), *events[1:]]
    if reply.endless:  # everything up to the finish chunk, then the last delta forever
        events = events[:-3]
    headers = [
        ("Content-Type", "text/event-stream; charset=utf-8"),
        ("Transfer-Encoding", "chunked"),
        ("Cache-Control", "no-cache"),
        *extra,
    ]
    if not keep:
        headers.append(("Connection", "close"))
    head = _head(200, headers)
    if reply.trickle:
        writer.write(head)
        await _trickle(writer, b"".join(chunk(event) for event in events), reply.trickle)
    elif reply.event_delay and not reply.endless:
        writer.write(head)
        for i, event in enumerate(events):
            if i:
                await asyncio.sleep(reply.event_delay)
            writer.write(chunk(event))
            await writer.drain()
    else:
        await write_batched(writer, head, events)
    if reply.endless:
        await _forever(writer, chunk(events[-1]), reply.event_delay or 0.05)
        return False
    if reply.cut_after is not None:
        await writer.drain()
        writer.transport.abort()
        return False
    # The terminator goes in its own write, as many servers do: a client must read past
    # [DONE] to the end of the body to keep the connection reusable.
    writer.write(LAST_CHUNK)
    await writer.drain()
    return keep


_CHUNKED = [("Transfer-Encoding", "chunked")]


def _huge_event(first_event: bytes, size: int) -> bytes:
    # A content delta of `size` characters, with the id/model head of the stream's events.
    head = first_event.split(b'"choices":', 1)[0]
    return (
        head
        + b'"choices":[{"index":0,"delta":{"content":"'
        + b"x" * size
        + b'"},'
        + (b'"finish_reason":null}]}\n\n')
    )


async def _trickle(writer: asyncio.StreamWriter, data: bytes, delay: float) -> None:
    for i in range(len(data)):
        if writer.transport.is_closing():
            return
        writer.write(data[i : i + 1])
        await writer.drain()
        await asyncio.sleep(delay)


async def _forever(writer: asyncio.StreamWriter, piece: bytes, delay: float) -> None:
    # Until the client goes away (or the emulator stops, which cancels this task).
    loop = asyncio.get_running_loop()
    end = loop.time() + _ENDLESS_LIMIT
    while not writer.transport.is_closing() and loop.time() < end:
        writer.write(piece)
        await writer.drain()
        await asyncio.sleep(delay)
    writer.transport.abort()


async def write_batched(writer: asyncio.StreamWriter, head: bytes, events: list[bytes]) -> None:
    """Write the head and events as ~64 KiB chunks, draining between batches."""
    out = [head]
    batch: list[bytes] = []
    size = 0
    for event in events:
        batch.append(event)
        size += len(event)
        if size >= _BATCH:
            out.append(chunk(b"".join(batch)))
            writer.write(b"".join(out))
            await writer.drain()
            out, batch, size = [], [], 0
    if batch:
        out.append(chunk(b"".join(batch)))
    if out:
        writer.write(b"".join(out))


def simple_response(status: int, payload: bytes, *, keep_alive: bool) -> bytes:
    """A whole plain-text response as bytes."""
    headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(payload)))]
    if not keep_alive:
        headers.append(("Connection", "close"))
    return _head(status, headers) + payload


async def send(
    writer: asyncio.StreamWriter,
    status: int,
    payload: bytes,
    content_type: str,
    keep: bool,
    extra: list[tuple[str, str]] | None = None,
    trickle: float = 0.0,
) -> bool:
    """Write a complete response with Content-Length; returns ``keep``.

    With ``trickle``, the body goes one byte at a time, ``trickle`` seconds apart.
    """
    headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
    headers.extend(extra or ())
    if not keep:
        headers.append(("Connection", "close"))
    if trickle:
        writer.write(_head(status, headers))
        await _trickle(writer, payload, trickle)
        return keep and not writer.transport.is_closing()
    writer.write(_head(status, headers) + payload)
    await writer.drain()
    return keep


async def send_error(
    writer: asyncio.StreamWriter, status: int, error: Mapping[str, Any], keep: bool
) -> bool:
    """Write ``{"error": error}`` as JSON; returns ``keep``."""
    payload = dumps({"error": error}).encode()
    return await send(writer, status, payload, "application/json", keep)
