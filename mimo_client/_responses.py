"""Turning HTTP outcomes into completions, chunks or typed errors (shared by both clients)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from . import _json
from ._retry import RETRYABLE_STATUS, backoff_delay, parse_retry_after
from .errors import (
    APIConnectionError,
    APITimeoutError,
    MiMoError,
    StreamInterruptedError,
    error_for_status,
)
from .models import warn_if_retired
from .types import StreamAccumulator

__all__ = [
    "decode_chunk",
    "decode_completion",
    "encode_request",
    "error_from_response",
    "error_from_transport",
    "interrupted",
    "not_an_event_stream",
    "retry_delay",
]

_loads = _json.loads


def encode_request(request: Mapping[str, Any], *, stream: bool) -> bytes:
    """Serialize the request body, with ``stream`` set to match the call.

    A retired model id warns once per process (it is still sent as given).
    """
    warn_if_retired(request.get("model"))
    body = dict(request)
    if stream:
        body["stream"] = True
    else:
        body.pop("stream", None)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _safe_headers(headers: httpx.Headers) -> dict[str, str]:
    return {k: v for k, v in headers.items() if k.lower() not in ("set-cookie",)}


def error_from_response(status: int, headers: httpx.Headers, body: bytes) -> MiMoError:
    """The typed error for a non-2xx response (plain JSON or SSE-framed body)."""
    if 300 <= status < 400:
        location = headers.get("location", "?")
        return MiMoError(
            f"the service redirected to {location}; redirects are not followed with the API "
            "key: set base_url to the final address",
            status=status,
            headers=_safe_headers(headers),
        )
    return error_for_status(status, body, _safe_headers(headers))


def error_from_transport(exc: httpx.HTTPError) -> MiMoError:
    """A timeout or connection error for an httpx transport failure (no request details)."""
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"the request timed out ({type(exc).__name__})")
    return APIConnectionError(f"could not reach the service ({type(exc).__name__}: {exc})")


def decode_completion(status: int, headers: httpx.Headers, body: bytes) -> dict[str, Any]:
    """Parse a 2xx non-streamed body; an error object in it becomes the typed error."""
    try:
        value = _loads(body)
    except ValueError:
        framed = _framed_error(body)
        if framed is not None:
            raise _status_error(framed, status, headers) from None
        text = body[:200].decode("utf-8", "replace")
        raise MiMoError(
            f"the service answered {status} with a body that is not JSON: {text!r}",
            status=status,
            body=text,
        ) from None
    if not isinstance(value, dict):
        raise MiMoError(
            f"the service answered {status} with JSON that is not an object", status=status
        )
    if "error" in value and "choices" not in value:
        raise _status_error(value, status, headers)
    return value


def _framed_error(body: bytes) -> dict[str, Any] | None:
    """The error object of an SSE-framed error body (``data: {"error": ...}``), if it is one."""
    text = body.lstrip()
    if not text.startswith(b"data:"):
        return None
    first = text[5:].split(b"\n", 1)[0].strip()
    try:
        value = _loads(first)
    except ValueError:
        return None
    return value if isinstance(value, dict) and "error" in value else None


def not_an_event_stream(status: int, headers: httpx.Headers, body: bytes) -> MiMoError:
    """The error for a 2xx answer to a streamed request that is not an event stream."""
    try:
        value = _loads(body)
    except ValueError:
        value = None
    if isinstance(value, dict) and "error" in value:
        return _status_error(value, status, headers)
    kind = headers.get("content-type", "?")
    text = body[:200].decode("utf-8", "replace")
    return MiMoError(
        f"the service answered a streamed request with {status} {kind}, not an event stream "
        f"(is base_url right?): {text!r}",
        status=status,
        body=text,
    )


def _status_error(value: dict[str, Any], status: int, headers: httpx.Headers) -> MiMoError:
    # An error delivered with a 2xx status (e.g. SSE-framed): its own code says what it is.
    error = value.get("error")
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    effective = int(code) if code.isdigit() and 400 <= int(code) < 600 else 500
    return error_for_status(effective if status < 400 else status, value, _safe_headers(headers))


def decode_chunk(data: bytes, status: int, headers: httpx.Headers) -> dict[str, Any]:
    """Parse one SSE data payload; an ``{"error": ...}`` event becomes the typed error.

    A payload that is not a JSON object raises :class:`ValueError` naming it.
    """
    try:
        chunk = _loads(data)
    except ValueError:
        raise ValueError(
            "an event that is not JSON: " + repr(data[:200].decode("utf-8", "replace"))
        ) from None
    if not isinstance(chunk, dict):
        raise ValueError("an event that is not a JSON object: " + repr(data[:200]))
    if "error" in chunk and not chunk.get("choices"):
        raise _status_error(chunk, status, headers)
    return chunk


def interrupted(accumulator: StreamAccumulator, reason: str) -> StreamInterruptedError:
    """The error for a stream that stopped early, with the partial turn attached."""
    turn = accumulator.turn()
    got = (
        f"{len(turn.reasoning_content or '')} reasoning chars, {len(turn.content)} content "
        f"chars, {len(turn.tool_calls)} tool calls"
    )
    return StreamInterruptedError(
        f"the stream was cut short ({reason}) after {got}; the partial turn is on .partial",
        partial=turn,
    )


def retry_delay(
    error: MiMoError, attempt: int, max_retries: int, base_delay: float
) -> float | None:
    """Seconds to wait before retrying after ``error``, or None if it must be raised."""
    if attempt >= max_retries:
        return None
    retryable = isinstance(error, APITimeoutError | APIConnectionError) or (
        error.status in RETRYABLE_STATUS
    )
    if isinstance(error, StreamInterruptedError):
        retryable = error.before_first_event
    if not retryable:
        return None
    retry_after = parse_retry_after(error.headers) if error.headers else None
    return backoff_delay(attempt, retry_after, base_delay)
