"""What a reply is made of, and how the service's JSON is read into it.

:class:`Usage`, :class:`ToolCall` and :class:`AssistantTurn` are one turn; a non-streamed
body becomes one with :func:`decode_completion` and :meth:`AssistantTurn.from_completion`.
A stream's events become chunk dicts with :func:`decode_chunk`, each folded by
:class:`StreamAccumulator` into a :class:`StreamDelta` (what it added) and the turn so far.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _json
from .errors import MiMoError, error_in_body, framed_error

if TYPE_CHECKING:
    import httpx

__all__ = [
    "AssistantTurn",
    "StreamAccumulator",
    "StreamDelta",
    "TextBuffer",
    "ToolCall",
    "Usage",
    "decode_chunk",
    "decode_completion",
]


@dataclass(slots=True)
class Usage:
    """Token counts of one call, from the service's ``usage`` block.

    ``output_tokens`` is the service's ``completion_tokens``; by OpenAI's convention it
    includes ``reasoning_tokens`` (MiMo has not confirmed this).
    """

    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int | None = None
    cached_tokens: int | None = None
    audio_tokens: int | None = None
    """Input audio tokens (``prompt_tokens_details.audio_tokens``), when the prompt had audio."""
    raw: dict[str, Any] = field(default_factory=dict)
    web_search_usage: dict[str, Any] | None = None
    """``{"tool_usage": N, "page_usage": M}`` when the reply used web search."""

    @classmethod
    def from_wire(cls, usage: dict[str, Any]) -> Usage:
        """Read a ``usage`` object as the service sends it."""
        prompt = usage.get("prompt_tokens") or 0
        completion = usage.get("completion_tokens") or 0
        completion_details = usage.get("completion_tokens_details") or {}
        prompt_details = usage.get("prompt_tokens_details") or {}
        return cls(
            input_tokens=prompt,
            output_tokens=completion,
            total_tokens=usage.get("total_tokens") or prompt + completion,
            reasoning_tokens=completion_details.get("reasoning_tokens"),
            cached_tokens=prompt_details.get("cached_tokens"),
            audio_tokens=prompt_details.get("audio_tokens"),
            raw=usage,
            web_search_usage=usage.get("web_search_usage") or None,
        )


@dataclass(slots=True)
class ToolCall:
    """One function call the model asked for; ``arguments`` is the JSON text it produced."""

    id: str
    name: str
    arguments: str = ""
    index: int = 0

    def parse_arguments(self) -> tuple[dict[str, Any] | None, str | None]:
        """Return ``(arguments, None)``, or ``(None, reason)`` when they are not a JSON object.

        Never raises: a model may emit broken JSON, and that is data, not a crash.
        """
        text = self.arguments.strip()
        if not text:
            return {}, None
        try:
            value = json.loads(text)
        except ValueError as exc:
            return None, f"arguments of {self.name!r} are not valid JSON: {exc}"
        if not isinstance(value, dict):
            return None, f"arguments of {self.name!r} are JSON but not an object"
        return value, None

    def to_wire(self) -> dict[str, Any]:
        """The call as the service expects it inside an assistant message."""
        return {
            "id": self.id,
            "type": "function",
            "function": {"name": self.name, "arguments": self.arguments or "{}"},
        }


@dataclass(slots=True)
class AssistantTurn:
    """One finished (or, inside a StreamInterruptedError, partial) assistant turn.

    Web search: ``annotations`` is the service's raw citation list (read it with
    ``mimo_client.web_search.web_citations``), ``error_message`` the reason a search failed.
    Speech: ``audio`` is the service's ``message.audio`` (``data`` is base64; a streamed turn
    holds the joined PCM16 clip, see ``mimo_client.speech``).
    """

    content: str = ""
    reasoning_content: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    finish_reason: str | None = None
    usage: Usage | None = None
    id: str | None = None
    model: str | None = None
    created: int | None = None
    annotations: list[Any] | None = None
    raw: dict[str, Any] | None = None
    error_message: str | None = None
    audio: dict[str, Any] | None = None

    @classmethod
    def from_completion(
        cls, completion: dict[str, Any], *, max_tool_calls: int | None = None
    ) -> AssistantTurn:
        """Read a non-streamed ``chat.completion`` response (keeping ``max_tool_calls`` calls)."""
        choices = completion.get("choices")
        if not choices:
            raise MiMoError(
                "the response has no choices; the service answered: "
                + json.dumps(completion)[:300],
                body=completion,
            )
        choice = choices[0]
        message = choice.get("message") or {}
        calls = [
            ToolCall(
                id=call.get("id") or "",
                name=(call.get("function") or {}).get("name") or "",
                arguments=(call.get("function") or {}).get("arguments") or "",
                index=i,
            )
            for i, call in enumerate(message.get("tool_calls") or ())
        ]
        if max_tool_calls is not None:
            del calls[max_tool_calls:]
        usage = completion.get("usage")
        return cls(
            content=message.get("content") or "",
            reasoning_content=message.get("reasoning_content"),
            tool_calls=calls,
            finish_reason=choice.get("finish_reason"),
            usage=Usage.from_wire(usage) if usage else None,
            id=completion.get("id"),
            model=completion.get("model"),
            created=completion.get("created"),
            annotations=message.get("annotations"),
            raw=completion,
            error_message=message.get("error_message") or None,
            audio=message.get("audio") or None,
        )

    def to_wire_message(self) -> dict[str, Any]:
        """Return the turn as an assistant message for the next request (reasoning kept)."""
        message: dict[str, Any] = {"role": "assistant", "content": self.content}
        if self.reasoning_content is not None:
            message["reasoning_content"] = self.reasoning_content
        if self.tool_calls:
            message["tool_calls"] = [call.to_wire() for call in self.tool_calls]
        return message


@dataclass(slots=True)
class StreamDelta:
    """What one streamed chunk added; ``None`` where the chunk added nothing of that kind.

    ``tool_calls`` holds the raw wire fragments (``index``, and on a call's first fragment
    ``id``/``type``/``function.name``; ``function.arguments`` pieces after that).
    ``annotations`` and ``error_message`` come once, early, when the reply used web search;
    ``audio`` is the decoded bytes of a speech reply's piece (PCM16LE, 24 kHz mono).
    """

    reasoning: str | None
    content: str | None
    tool_calls: list[dict[str, Any]] | None
    finish_reason: str | None
    usage: Usage | None
    chunk: dict[str, Any]
    annotations: list[Any] | None = None
    error_message: str | None = None
    audio: bytes | None = None


class TextBuffer:
    """An append-only string that stays compact: pieces are joined in batches as they come.

    A long stream brings tens of thousands of small pieces; kept one by one (in a list, or
    in ``io.StringIO``, which keeps every written piece until ``getvalue()``) they would
    take several times the text's own size. Joining every ``BATCH`` pieces keeps the memory
    near the text's size, and the total work stays linear.
    """

    __slots__ = ("_joined", "_pending", "length")
    BATCH = 512

    def __init__(self) -> None:
        self._joined: list[str] = []
        self._pending: list[str] = []
        self.length = 0  # characters so far

    def write(self, piece: str) -> None:
        """Append ``piece``."""
        self.length += len(piece)
        pending = self._pending
        pending.append(piece)
        if len(pending) >= self.BATCH:
            self._joined.append("".join(pending))
            pending.clear()

    def getvalue(self) -> str:
        """The whole text so far (O(length); the buffer is compacted to one string)."""
        joined = self._joined
        if self._pending:
            joined.append("".join(self._pending))
            self._pending.clear()
        if len(joined) > 1:
            joined[:] = ["".join(joined)]
        return joined[0] if joined else ""


class _CallParts:
    __slots__ = ("arguments", "id", "index", "name")

    def __init__(self, index: int) -> None:
        self.index = index
        self.id = ""
        self.name = ""
        self.arguments = TextBuffer()


class StreamAccumulator:
    """Folds ``chat.completion.chunk`` dicts into one :class:`AssistantTurn`.

    Each piece of text is written once to a :class:`TextBuffer` (``reasoning``, ``content``)
    and read out in :meth:`turn`, so the total work is linear in the stream's length and
    memory stays near the text's own size.
    Tool-call fragments merge by ``index`` (several calls may interleave); ``id`` and
    ``name`` come from a call's first fragment. ``max_tool_calls`` drops the fragments of
    calls past that many (``parallel_tool_calls=False``: see ``request.tool_call_limit``).
    """

    __slots__ = (
        "_calls",
        "_max_calls",
        "annotations",
        "audio",
        "audio_id",
        "content",
        "created",
        "error_message",
        "finish_reason",
        "id",
        "model",
        "reasoning",
        "usage",
    )

    def __init__(self, *, max_tool_calls: int | None = None) -> None:
        self._max_calls = max_tool_calls
        self.reasoning = TextBuffer()
        self.content = TextBuffer()
        self._calls: dict[int, _CallParts] = {}
        self.id: str | None = None
        self.model: str | None = None
        self.created: int | None = None
        self.finish_reason: str | None = None
        self.usage: Usage | None = None
        self.annotations: list[Any] | None = None
        self.error_message: str | None = None
        self.audio = bytearray()  # a speech reply's PCM16 pieces, joined
        self.audio_id: str | None = None

    def add(self, chunk: dict[str, Any]) -> StreamDelta:
        """Fold one chunk in and return what it added."""
        if self.id is None:
            self.id = chunk.get("id")
            self.model = chunk.get("model")
            self.created = chunk.get("created")
        raw_usage = chunk.get("usage")
        usage = None
        if raw_usage:
            usage = self.usage = Usage.from_wire(raw_usage)
        choices = chunk.get("choices")
        if not choices:
            return StreamDelta(None, None, None, None, usage, chunk)
        choice = choices[0]
        delta = choice.get("delta")
        reasoning = content = calls = None
        if delta:
            reasoning = delta.get("reasoning_content")
            if reasoning:
                self.reasoning.write(reasoning)
            else:
                reasoning = None
            content = delta.get("content")
            if content:
                self.content.write(content)
            else:
                content = None
            calls = delta.get("tool_calls")
            if calls and self._max_calls is not None:
                calls = [c for c in calls if (c.get("index") or 0) < self._max_calls]
            if calls:
                self._add_calls(calls)
            else:
                calls = None
        finish = choice.get("finish_reason")
        if finish:
            self.finish_reason = finish
        if delta and ("annotations" in delta or "error_message" in delta or "audio" in delta):
            return self._add_extras(
                delta, StreamDelta(reasoning, content, calls, finish, usage, chunk)
            )
        return StreamDelta(reasoning, content, calls, finish, usage, chunk)

    def _add_extras(self, delta: dict[str, Any], out: StreamDelta) -> StreamDelta:
        """Web-search citations, a search error, and speech audio (rare: kept off the hot path)."""
        annotations = delta.get("annotations")
        if annotations:
            self.annotations = [*(self.annotations or ()), *annotations]
            out.annotations = annotations
        error = delta.get("error_message")
        if error:
            self.error_message = error
            out.error_message = error
        audio = delta.get("audio")
        if isinstance(audio, dict):
            if audio.get("id") and self.audio_id is None:
                self.audio_id = audio["id"]
            data = audio.get("data")
            if data:
                piece = base64.b64decode(data)
                self.audio += piece
                out.audio = piece
        return out

    def _add_calls(self, fragments: list[dict[str, Any]]) -> None:
        calls = self._calls
        for fragment in fragments:
            index = fragment.get("index")
            if index is None:
                # Some servers omit index on single calls: a fragment with a new id starts a
                # new call, anything else continues the latest one.
                index = len(calls) - 1 if calls and not fragment.get("id") else len(calls)
            parts = calls.get(index)
            if parts is None:
                parts = calls[index] = _CallParts(index)
            if fragment.get("id"):
                parts.id = fragment["id"]
            function = fragment.get("function")
            if function:
                if function.get("name"):
                    parts.name = function["name"]
                arguments = function.get("arguments")
                if arguments:
                    parts.arguments.write(arguments)

    def tool_calls(self) -> list[ToolCall]:
        """The tool calls so far, in index order (arguments possibly incomplete)."""
        return [
            ToolCall(id=p.id, name=p.name, arguments=p.arguments.getvalue(), index=p.index)
            for _, p in sorted(self._calls.items())
        ]

    def turn(self) -> AssistantTurn:
        """The turn so far: the finished turn once the stream has ended."""
        return AssistantTurn(
            content=self.content.getvalue(),
            reasoning_content=self.reasoning.getvalue() if self.reasoning.length else None,
            tool_calls=self.tool_calls(),
            finish_reason=self.finish_reason,
            usage=self.usage,
            id=self.id,
            model=self.model,
            created=self.created,
            annotations=self.annotations,
            error_message=self.error_message,
            audio=self.audio_object(),
        )

    def audio_object(self) -> dict[str, Any] | None:
        """A speech reply's audio so far as the service's ``message.audio`` object, or None."""
        if not self.audio:
            return None
        data = base64.b64encode(bytes(self.audio)).decode("ascii")
        return {"id": self.audio_id, "data": data, "expires_at": None, "transcript": None}


def decode_completion(status: int, headers: httpx.Headers, body: bytes) -> dict[str, Any]:
    """Parse a 2xx non-streamed body; an error object in it becomes the typed error."""
    try:
        value = _json.loads(body)
    except ValueError:
        framed = framed_error(body)
        if framed is not None:
            raise error_in_body(framed, status, headers) from None
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
        raise error_in_body(value, status, headers)
    return value


def decode_chunk(data: bytes, status: int, headers: httpx.Headers) -> dict[str, Any]:
    """Parse one SSE data payload; an ``{"error": ...}`` event becomes the typed error.

    A payload that is not a JSON object raises :class:`ValueError` naming it.
    """
    try:
        chunk = _json.loads(data)
    except ValueError:
        raise ValueError(
            "an event that is not JSON: " + repr(data[:200].decode("utf-8", "replace"))
        ) from None
    if not isinstance(chunk, dict):
        raise ValueError("an event that is not a JSON object: " + repr(data[:200]))
    if "error" in chunk and not chunk.get("choices"):
        raise error_in_body(chunk, status, headers)
    return chunk
