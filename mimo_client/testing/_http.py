"""A small HTTP/1.1 server-side codec: parse requests, frame responses.

Only what a loopback test server needs: request line and headers, bodies sent with
Content-Length or chunked encoding, keep-alive, and chunked response framing for SSE.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

MAX_HEAD = 1 << 20
MAX_BODY = 64 << 20

REASONS = {
    100: "Continue",
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    413: "Payload Too Large",
    421: "Misdirected Request",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

LAST_CHUNK = b"0\r\n\r\n"


class HttpParseError(Exception):
    """The peer sent bytes that are not a well-formed HTTP/1.1 request."""


@dataclass(slots=True)
class HttpRequest:
    """One parsed request: header names are lower-cased, the query string is kept in path."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


async def read_request(reader: asyncio.StreamReader) -> HttpRequest | None:
    """Read one request; None when the peer closed the connection between requests."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        if not exc.partial.strip():
            return None
        raise HttpParseError("connection closed inside the request head") from exc
    except asyncio.LimitOverrunError as exc:
        raise HttpParseError("request head too large") from exc
    lines = head[:-4].decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise HttpParseError(f"bad request line {lines[0]!r}")
    method, path, version = parts
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():
            raise HttpParseError(f"bad header line {line!r}")
        key = name.lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    body = await _read_body(reader, headers)
    connection = headers.get("connection", "").lower()
    # HTTP/1.0 closes unless asked to keep alive; HTTP/1.1 keeps alive unless asked to close.
    keep_alive = (
        ("keep-alive" in connection) if version == "HTTP/1.0" else ("close" not in connection)
    )
    return HttpRequest(method, path, headers, body, keep_alive)


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return await _read_chunked(reader)
    length_text = headers.get("content-length")
    if length_text is None:
        return b""
    try:
        length = int(length_text)
    except ValueError as exc:
        raise HttpParseError("bad Content-Length") from exc
    if length < 0 or length > MAX_BODY:
        raise HttpParseError("Content-Length out of range")
    try:
        return await reader.readexactly(length)
    except asyncio.IncompleteReadError as exc:
        raise HttpParseError("connection closed inside the request body") from exc


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    total = 0
    try:
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";", 1)[0].strip(), 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":
                    pass  # trailers are ignored
                return b"".join(parts)
            total += size
            if total > MAX_BODY:
                raise HttpParseError("chunked body too large")
            parts.append(await reader.readexactly(size))
            if await reader.readexactly(2) != b"\r\n":
                raise HttpParseError("chunk not followed by CRLF")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
        raise HttpParseError("bad chunked body") from exc


def response_head(status: int, headers: list[tuple[str, str]]) -> bytes:
    """Status line and headers, ending with the blank line."""
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
    lines.extend(f"{name}: {value}" for name, value in headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def chunk(data: bytes) -> bytes:
    """One chunk of a chunked-encoded body (data must not be empty)."""
    return b"%x\r\n%b\r\n" % (len(data), data)
