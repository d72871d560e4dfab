"""Typed errors, one class per condition the service reports, and every HTTP outcome -> error.

The classes come first; then the functions that turn what came back (a status with its body,
an error inside a 2xx body or an event, a transport failure, a stream cut short) into them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

from .models import KNOWN_MODELS, retired_model_note

if TYPE_CHECKING:
    from .types import AssistantTurn

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ContentFilterError",
    "ContextWindowExceededError",
    "InsufficientBalanceError",
    "MiMoError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "StreamInterruptedError",
    "WebSearchUnavailableError",
    "error_for_status",
    "error_from_response",
    "error_from_transport",
    "error_in_body",
    "framed_error",
    "interrupted",
    "not_an_event_stream",
]

REASONING_PASSBACK_PARAM = (
    "The reasoning_content in the thinking mode must be passed back to the API."
)

# Known 400 reasons -> what the caller should change (substrings of `param`/`message`).
_FIXES: tuple[tuple[str, str], ...] = (
    (
        "reasoning_content in the thinking mode",
        "send every earlier assistant message back with its `reasoning_content` "
        "(LangChain: keep AIMessage.additional_kwargs['reasoning_content']; LlamaIndex: keep the "
        "ThinkingBlock), or disable thinking with thinking=False",
    ),
    ("`text` is not present", 'an assistant message with tool_calls needs content "", not null'),
    (
        "`text` is not set",
        "tool message content must be a string, and a user message with media needs a text part",
    ),
    ("`name` is not set", "every tool call in the history needs a function name"),
)

NOT_SUPPORTED_MODEL = "Not supported model"
_MODEL_ID = re.compile(r"mimo-[a-z0-9._-]*[a-z0-9]", re.IGNORECASE)


class MiMoError(Exception):
    """Base class of every error raised by the MiMo client.

    Attributes mirror the service's error body: ``status`` (HTTP status or None), ``code``
    (the service's string code), ``message``, ``param`` (the reason of a 400), ``body`` (the
    parsed error body) and ``headers`` (response headers, without credentials).
    ``partial`` is the assistant turn received so far when the error ended a stream that had
    already produced output (else None).
    """

    partial: AssistantTurn | None = None

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        param: str | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.param = param
        self.body = body
        self.headers = dict(headers) if headers is not None else {}

    def __str__(self) -> str:
        prefix = f"[{self.status}] " if self.status is not None else ""
        return prefix + self.message


class BadRequestError(MiMoError):
    """400: the request broke one of the service's rules; ``param`` names which."""


class ContextWindowExceededError(BadRequestError):
    """400: the prompt plus the requested output does not fit the model's context window."""


class AuthenticationError(MiMoError):
    """401: the API key is missing, wrong, or used with the wrong host (sk- vs tp- keys)."""


class InsufficientBalanceError(MiMoError):
    """402: the account has no balance left."""


class PermissionDeniedError(MiMoError):
    """403: refused by region or risk control."""


class NotFoundError(MiMoError):
    """404: the model or the endpoint does not exist."""


class ContentFilterError(MiMoError):
    """421: the content was filtered by the service."""


class RateLimitError(MiMoError):
    """429: too many requests, or the quota is spent. ``retry_after`` is in seconds, if sent."""

    retry_after: float | None = None


class WebSearchUnavailableError(MiMoError):
    """409: web search cannot run: its free quota is spent, or the Web Search plugin is off.

    Xiaomi's own client reads 409 as "quota exhausted"; the status when the plugin is off is
    not documented, so the message names both causes.
    """


WEB_SEARCH_FIX = (
    "enable the Web Search plugin in the MiMo console (changes take up to 5 minutes) or check "
    "its quota; or send the request without web_search"
)


class ServerError(MiMoError):
    """5xx: the service failed or is overloaded."""


class APITimeoutError(MiMoError):
    """The request timed out (connect, read, write or pool)."""


class APIConnectionError(MiMoError):
    """The connection could not be made or broke before a response arrived."""


class StreamInterruptedError(MiMoError):
    """A stream ended before it finished; ``partial`` holds the assistant turn received so far.

    ``before_first_event`` is True when nothing had reached the caller yet, which makes the
    failure safe to retry like a connection error.
    """

    before_first_event: bool = False

    def __init__(
        self,
        message: str,
        *,
        partial: AssistantTurn | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.partial = partial


_BY_STATUS: dict[int, type[MiMoError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientBalanceError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: WebSearchUnavailableError,
    421: ContentFilterError,
    422: BadRequestError,
    429: RateLimitError,
}

_CONTEXT_MARKERS = ("context length", "context window", "maximum context", "too long", "exceed")


_NOT_JSON = object()


def _json_of(body: bytes) -> Any:
    """The JSON of an error body, plain or SSE-framed (``data: {...}``); else ``_NOT_JSON``.

    The one parser of SSE-framed error bodies: the service sends them with 4xx statuses, and
    with 200 to a request that asked for a stream. The JSON after ``data:`` may span lines
    (the real 401 body is pretty-printed) or be followed by more events: the whole rest is
    tried first, then its first line.
    """
    text = body.strip()
    candidates = [text]
    if text.startswith(b"data:"):
        rest = text[5:].strip()
        candidates = [rest, rest.split(b"\n", 1)[0]]
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return _NOT_JSON


def _parse_body(body: Any) -> Any:
    if isinstance(body, str):
        body = body.encode()
    if isinstance(body, bytes | bytearray):
        value = _json_of(bytes(body))
        return body.decode("utf-8", "replace") if value is _NOT_JSON else value
    return body


def _fix_for(reason: str) -> str | None:
    for marker, fix in _FIXES:
        if marker in reason:
            return fix
    return None


def _model_fix(status: int, detail: str) -> str | None:
    """What to do about a refused model id: which id, retired or not, and what to use instead."""
    if NOT_SUPPORTED_MODEL in detail:
        words = detail.split(NOT_SUPPORTED_MODEL, 1)[1].split()
        model = words[0].rstrip(".,;:'\"") if words else None
    elif status == 404 and "model" in detail.lower():
        found = _MODEL_ID.search(detail)
        model = found.group(0) if found else None
    else:
        return None
    note = retired_model_note(model) if model else None
    if note is not None:
        return note
    served = ", ".join(n for n, info in KNOWN_MODELS.items() if not info.retired)
    named = f"model {model!r} is not served (ids are case-sensitive); " if model else ""
    return f"{named}use a served model id ({served}); MiMoClient.models() lists your key's"


def error_for_status(status: int, body: Any, headers: Mapping[str, str] | None = None) -> MiMoError:
    """Build the typed error for a failed response from its status, body and headers.

    ``body`` may be bytes, text (plain JSON or an SSE-framed ``data: {...}``) or a parsed dict.
    """
    parsed = _parse_body(body)
    error = parsed.get("error") if isinstance(parsed, dict) else None
    code: str | None = None
    param: str | None = None
    if isinstance(error, dict):
        message = str(error.get("message") or "") or f"HTTP {status}"
        code = None if error.get("code") is None else str(error.get("code"))
        param = None if error.get("param") in (None, "") else str(error.get("param"))
    elif isinstance(error, str):
        message = error
    else:
        snippet = parsed if isinstance(parsed, str) else json.dumps(parsed)[:500]
        message = f"HTTP {status}: {snippet[:500]}" if snippet else f"HTTP {status}"
    detail = message if not param else f"{message}: {param}"
    fix = WEB_SEARCH_FIX if status == 409 else (_fix_for(detail) or _model_fix(status, detail))
    if fix:
        detail = f"{detail} (fix: {fix})"
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else MiMoError
    lowered = detail.lower()
    if (
        cls is BadRequestError
        and any(m in lowered for m in _CONTEXT_MARKERS)
        and ("token" in lowered or "context" in lowered)
    ):
        cls = ContextWindowExceededError
    err = cls(detail, status=status, code=code, param=param, body=parsed, headers=headers)
    if isinstance(err, RateLimitError) and headers is not None:
        # Imported here: the retry policy (_retry.py) decides by these error classes.
        from ._retry import parse_retry_after

        err.retry_after = parse_retry_after(headers)
    return err


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


def error_in_body(value: dict[str, Any], status: int, headers: httpx.Headers) -> MiMoError:
    """The typed error for an ``{"error": ...}`` object inside a body or an event.

    With a 2xx status (an SSE-framed error, an error event) the error's own code says what
    it is; a code that is not an HTTP error status counts as 500.
    """
    error = value.get("error")
    code = str(error.get("code", "")) if isinstance(error, dict) else ""
    effective = int(code) if code.isdigit() and 400 <= int(code) < 600 else 500
    return error_for_status(effective if status < 400 else status, value, _safe_headers(headers))


def framed_error(body: bytes) -> dict[str, Any] | None:
    """The error object of an SSE-framed error body (``data: {"error": ...}``), if it is one."""
    if not body.lstrip().startswith(b"data:"):
        return None
    value = _json_of(body)
    return value if isinstance(value, dict) and "error" in value else None


def not_an_event_stream(status: int, headers: httpx.Headers, body: bytes) -> MiMoError:
    """The error for a 2xx answer to a streamed request that is not an event stream."""
    value = _json_of(body)
    if isinstance(value, dict) and "error" in value:
        return error_in_body(value, status, headers)
    kind = headers.get("content-type", "?")
    text = body[:200].decode("utf-8", "replace")
    return MiMoError(
        f"the service answered a streamed request with {status} {kind}, not an event stream "
        f"(is base_url right?): {text!r}",
        status=status,
        body=text,
    )


def interrupted(turn: AssistantTurn, reason: str) -> StreamInterruptedError:
    """The error for a stream that stopped early, with the partial turn attached."""
    got = (
        f"{len(turn.reasoning_content or '')} reasoning chars, {len(turn.content)} content "
        f"chars, {len(turn.tool_calls)} tool calls"
    )
    return StreamInterruptedError(
        f"the stream was cut short ({reason}) after {got}; the partial turn is on .partial",
        partial=turn,
    )
