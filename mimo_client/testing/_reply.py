"""Scripted replies: what the emulator answers, and which faults it injects while answering."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import email.utils
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._real import GATEWAY_402, REAL_ERROR_BODIES

ReplyKind = Literal["completion", "error", "raw", "garbage"]

_ERROR_DEFAULTS: dict[int, tuple[str, str]] = {
    400: ("Param Incorrect", ""),
    401: ("Invalid API Key", "invalid_key"),
    402: ("Insufficient balance", "billing"),
    403: ("Illegal access", "illegal_access"),
    404: ("Not Found", ""),
    409: ("Web search quota exhausted", ""),
    421: ("Content filtered", "content_filter"),
    429: ("Too many requests", "limitation"),
    500: ("Internal server error", "server_error"),
    502: ("Bad gateway", "server_error"),
    503: ("Service overloaded", "server_error"),
    504: ("Gateway timeout", "server_error"),
}


def error_object(
    status: int, message: str | None = None, param: str | None = None, type: str | None = None
) -> dict[str, Any]:
    """The service's error object for a status: ``{"code": "429", "message": ..., "type": ...}``.

    ``param`` is included when given (the service sets it on 400s).
    """
    default_message, default_type = _ERROR_DEFAULTS.get(status, ("Error", ""))
    error: dict[str, Any] = {"code": str(status), "message": message or default_message}
    if param is not None:
        error["param"] = param
    error["type"] = default_type if type is None else type
    return error


@dataclass(frozen=True, slots=True)
class ScriptedCall:
    """One tool call in a scripted reply.

    ``arguments`` may be a mapping (JSON-encoded by the emulator) or the exact string to send.
    ``id`` defaults to a fresh ``call_...`` id.
    """

    name: str
    arguments: str | Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None

    def arguments_json(self) -> str:
        """The arguments as the JSON text sent on the wire."""
        if isinstance(self.arguments, str):
            return self.arguments
        return json.dumps(dict(self.arguments), ensure_ascii=False, separators=(",", ":"))


CallLike = ScriptedCall | tuple[str, str | Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Reply:
    """One reply of the emulator, built with the class methods and queued with ``emu.script``.

    Fields are public so tests can read them; build replies with :meth:`text`, :meth:`tool_calls`,
    :meth:`long`, :meth:`error`, :meth:`raw`, :meth:`garbage`, and add faults with
    :meth:`with_faults`.
    """

    kind: ReplyKind = "completion"
    content: str | None = None
    reasoning: str | None = None
    calls: tuple[ScriptedCall, ...] = ()
    finish_reason: str | None = None
    usage: Mapping[str, Any] | None = None
    content_pieces: tuple[str, ...] | None = None
    reasoning_pieces: tuple[str, ...] | None = None
    argument_chunks: int = 3
    interleave: bool = False
    model: str | None = None
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    error_info: Mapping[str, Any] | None = None
    body: bytes | None = None
    content_type: str = "application/json"
    sse: bool | None = None
    delay: float = 0.0
    event_delay: float = 0.0
    cut_after: int | None = None
    eof_after: int | None = None
    web_search: Mapping[str, Any] | None = None
    trickle: float = 0.0
    endless: bool = False
    huge_event: int = 0
    echo_headers: bool = False

    # --- completions -------------------------------------------------------------------------

    @classmethod
    def text(
        cls,
        content: str,
        *,
        reasoning: str | None = None,
        finish_reason: str = "stop",
        usage: Mapping[str, Any] | None = None,
        chunks: int | None = None,
        reasoning_chunks: int | None = None,
        model: str | None = None,
    ) -> Reply:
        """A text answer, optionally preceded by reasoning.

        ``chunks`` / ``reasoning_chunks`` set how many stream deltas carry the text (split into
        near-equal pieces); by default each whitespace-separated word is one delta.
        ``usage`` replaces the computed usage block; ``finish_reason`` may be any string,
        e.g. ``"length"``, ``"content_filter"``, ``"repetition_truncation"``.
        """
        return cls(
            content=content,
            reasoning=reasoning,
            finish_reason=finish_reason,
            usage=usage,
            content_pieces=None if chunks is None else split_even(content, chunks),
            reasoning_pieces=(
                None
                if reasoning is None or reasoning_chunks is None
                else split_even(reasoning, reasoning_chunks)
            ),
            model=model,
        )

    @classmethod
    def tool_calls(
        cls,
        *calls: CallLike,
        content: str = "",
        reasoning: str | None = None,
        finish_reason: str = "tool_calls",
        usage: Mapping[str, Any] | None = None,
        argument_chunks: int = 3,
        interleave: bool = False,
        model: str | None = None,
    ) -> Reply:
        """One or several tool calls: ``Reply.tool_calls(("get_weather", {"city": "Paris"}))``.

        Each call is a :class:`ScriptedCall` or a ``(name, arguments)`` pair. When streamed,
        each call's arguments are split over ``argument_chunks`` deltas; with ``interleave``
        the fragments of several calls alternate (first fragments first, then argument pieces
        round-robin).
        """
        if not calls:
            raise ValueError("Reply.tool_calls needs at least one call")
        scripted = as_calls(calls)
        return cls(
            content=content,
            reasoning=reasoning,
            calls=scripted,
            finish_reason=finish_reason,
            usage=usage,
            argument_chunks=max(1, argument_chunks),
            interleave=interleave,
            model=model,
        )

    @classmethod
    def long(
        cls,
        *,
        reasoning_deltas: int = 0,
        content_deltas: int = 1000,
        piece: str = "tok ",
        finish_reason: str = "stop",
        model: str | None = None,
    ) -> Reply:
        """A long streamed answer for benchmarks: ``reasoning_deltas`` then ``content_deltas``.

        Every delta carries ``piece``; the emulator encodes each distinct piece once, so tens of
        thousands of deltas are served at socket speed.
        """
        return cls(
            content=piece * content_deltas,
            reasoning=piece * reasoning_deltas if reasoning_deltas else None,
            finish_reason=finish_reason,
            content_pieces=(piece,) * content_deltas,
            reasoning_pieces=(piece,) * reasoning_deltas if reasoning_deltas else None,
            model=model,
        )

    # --- errors and malformed answers ----------------------------------------------------------

    @classmethod
    def error(
        cls,
        status: int,
        *,
        message: str | None = None,
        param: str | None = None,
        type: str | None = None,
        retry_after: float | str | _dt.datetime | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | Mapping[str, Any] | None = None,
        sse: bool | None = None,
        wrapped: bool = True,
    ) -> Reply:
        """An error answer in the service's shape: ``{"error": {"code": "429", ...}}``.

        ``retry_after`` adds a ``Retry-After`` header: seconds (number), an HTTP date
        (``datetime``, formatted for you) or a literal string. ``body`` replaces the JSON body
        (a mapping is JSON-encoded, bytes are sent as they are). ``sse`` chooses the framing:
        None (default) frames 400s on streaming requests as SSE (``data:{"error":...}``), as the
        service does, and everything else as JSON; True/False force it.

        Asked plainly (no message, param, type or body), a 401 or 429 sends the real service's
        bytes exactly (``mimo_client.testing._real``). ``wrapped=False`` sends the error without
        the ``{"error": ...}`` wrapper, as a gateway in front of MiMo does:
        ``Reply.error(402, wrapped=False)`` is ``{"type":"server_error","message":"Upstream
        request failed: Insufficient account funds"}``.
        """
        extra = dict(headers or {})
        if retry_after is not None:
            extra["Retry-After"] = format_retry_after(retry_after)
        raw_body: bytes | None
        plain = message is None and param is None and type is None
        if body is None and not wrapped:
            raw_body = (
                GATEWAY_402
                if status == 402 and plain
                else json.dumps(
                    {"type": type or "server_error", "message": message or f"HTTP {status}"},
                    ensure_ascii=False,
                    separators=(",", ":"),
                ).encode()
            )
        elif body is None and plain and sse is not True and status in REAL_ERROR_BODIES:
            raw_body = REAL_ERROR_BODIES[status]
        elif body is None:
            raw_body = None
        elif isinstance(body, bytes):
            raw_body = body
        else:
            raw_body = json.dumps(dict(body), ensure_ascii=False).encode()
        return cls(
            kind="error",
            status=status,
            headers=tuple(extra.items()),
            error_info=error_object(status, message, param, type),
            body=raw_body,
            sse=sse,
        )

    @classmethod
    def raw(
        cls,
        body: bytes,
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """Send exactly ``body`` with this status and content type (e.g. a non-JSON 200)."""
        return cls(
            kind="raw",
            status=status,
            body=body,
            content_type=content_type,
            headers=tuple((headers or {}).items()),
        )

    @classmethod
    def garbage(cls, data: bytes = b"\x00\xffnot http at all\r\n\r\n") -> Reply:
        """Write ``data`` instead of an HTTP response, then close the connection."""
        return cls(kind="garbage", body=data)

    def with_web_search(
        self,
        sources: Iterable[Mapping[str, Any]] | None = None,
        *,
        error_message: str | None = None,
        usage: Mapping[str, Any] | None = None,
    ) -> Reply:
        """A copy that answers as a web-searched reply (see ``_web_search``'s docstring).

        ``sources`` are the annotations to send (None: generated from the request);
        ``error_message`` reports a failed search; ``usage`` replaces
        ``usage.web_search_usage`` (default: one search, one page per source).
        """
        scripted: dict[str, Any] = {}
        if sources is not None:
            scripted["annotations"] = [dict(s) for s in sources]
        if error_message is not None:
            scripted["error_message"] = error_message
        if usage is not None:
            scripted["web_search_usage"] = dict(usage)
        return dataclasses.replace(self, web_search=scripted)

    # --- faults ---------------------------------------------------------------------------------

    def with_faults(
        self,
        *,
        delay: float | None = None,
        event_delay: float | None = None,
        cut_after: int | None = None,
        eof_after: int | None = None,
        trickle: float | None = None,
        endless: bool | None = None,
        huge_event: int | None = None,
        echo_headers: bool | None = None,
    ) -> Reply:
        """A copy of this reply with faults injected.

        - ``delay``: seconds to wait before the first byte of the response.
        - ``event_delay``: seconds between stream events (slow deltas).
        - ``cut_after``: drop the connection after this many SSE events (0: before the status
          line; on a non-streamed reply any k > 0 cuts after the head and half the body).
        - ``eof_after``: end the stream cleanly after this many events, with no finish chunk and
          no ``[DONE]`` (on a non-streamed reply: a 200 whose JSON body is cut in half).
        - ``trickle``: send the body (after the head) one byte at a time, this many seconds
          apart: a server or proxy that is slow but never silent long enough for a read
          timeout.
        - ``endless``: a stream that never ends: after its text, the last content delta is
          repeated forever (every ``event_delay`` seconds, 0.05 by default), with no finish
          chunk and no ``[DONE]``; a non-streamed reply sends whitespace forever instead of
          its body. It stops when the client goes away.
        - ``huge_event``: on a stream, one extra content delta of this many characters
          (``"x"``) right after the role delta, as one SSE line (speech replies arrive so).
        - ``echo_headers``: an error reply whose message quotes the request's headers, API
          key included, as a debugging proxy does (to test that it is not shown).
        """
        given: dict[str, Any] = {
            "delay": delay,
            "event_delay": event_delay,
            "cut_after": cut_after,
            "eof_after": eof_after,
            "trickle": trickle,
            "endless": endless,
            "huge_event": huge_event,
            "echo_headers": echo_headers,
        }
        return dataclasses.replace(self, **{k: v for k, v in given.items() if v is not None})


def split_even(text: str, parts: int) -> tuple[str, ...]:
    """Split text into ``parts`` near-equal non-empty pieces (fewer if text is shorter)."""
    if not text:
        return ()
    parts = max(1, min(parts, len(text)))
    size, extra = divmod(len(text), parts)
    pieces = []
    start = 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        pieces.append(text[start:end])
        start = end
    return tuple(pieces)


def format_retry_after(value: float | str | _dt.datetime) -> str:
    """A Retry-After header value from seconds, a datetime (HTTP date) or a literal string."""
    if isinstance(value, str):
        return value
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return email.utils.format_datetime(value.astimezone(_dt.timezone.utc), usegmt=True)
    return str(int(value)) if float(value).is_integer() else str(value)


def as_calls(calls: Iterable[CallLike]) -> tuple[ScriptedCall, ...]:
    """Normalize call-like values to ScriptedCall."""
    return tuple(c if isinstance(c, ScriptedCall) else ScriptedCall(*c) for c in calls)
