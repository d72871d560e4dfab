"""Writing responses: plain bodies, errors, and completions streamed or not, with faults."""

from __future__ import annotations

import asyncio
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


async def send_reply(
    writer: asyncio.StreamWriter,
    reply: Reply,
    body: Any,
    stream: bool,
    keep: bool,
    automatic: bool,
    cache: PrefixCache,
    on_usage: Callable[[Mapping[str, Any]], None] | None = None,
) -> bool:
    """Write the answer for ``reply`` (faults included); returns whether to keep the connection."""
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
        return await send(writer, reply.status, reply.body or b"", reply.content_type, keep, extra)
    if reply.kind == "error":
        framed = reply.sse if reply.sse is not None else (stream and reply.status == 400)
        if reply.body is not None:
            payload, ctype = reply.body, "application/json"
        elif framed:
            payload, ctype = sse_error(reply.error_info), "text/event-stream"
        else:
            payload, ctype = dumps({"error": reply.error_info}).encode(), "application/json"
        return await send(writer, reply.status, payload, ctype, keep, extra)
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
    return await send(writer, 200, payload, "application/json", keep, extra)


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
    headers = [
        ("Content-Type", "text/event-stream; charset=utf-8"),
        ("Transfer-Encoding", "chunked"),
        ("Cache-Control", "no-cache"),
        *extra,
    ]
    if not keep:
        headers.append(("Connection", "close"))
    head = _head(200, headers)
    if reply.event_delay:
        writer.write(head)
        for i, event in enumerate(events):
            if i:
                await asyncio.sleep(reply.event_delay)
            writer.write(chunk(event))
            await writer.drain()
    else:
        await write_batched(writer, head, events)
    if reply.cut_after is not None:
        await writer.drain()
        writer.transport.abort()
        return False
    # The terminator goes in its own write, as many servers do: a client must read past
    # [DONE] to the end of the body to keep the connection reusable.
    writer.write(LAST_CHUNK)
    await writer.drain()
    return keep


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
) -> bool:
    """Write a complete response with Content-Length; returns ``keep``."""
    headers = [("Content-Type", content_type), ("Content-Length", str(len(payload)))]
    headers.extend(extra or ())
    if not keep:
        headers.append(("Connection", "close"))
    writer.write(_head(status, headers) + payload)
    await writer.drain()
    return keep


async def send_error(
    writer: asyncio.StreamWriter, status: int, error: Mapping[str, Any], keep: bool
) -> bool:
    """Write ``{"error": error}`` as JSON; returns ``keep``."""
    payload = dumps({"error": error}).encode()
    return await send(writer, status, payload, "application/json", keep)
