"""From a reply (scripted or automatic) and the request to the planned turn the emulator sends.

Token counting rule: one token per whitespace-separated word. ``prompt_tokens`` counts the words
of every message (text, reasoning_content, tool-call names and arguments) and of the tools' JSON;
``completion_tokens`` counts reasoning + content + tool-call names and arguments;
``reasoning_tokens`` counts the reasoning alone. ``cached_tokens`` are the prompt tokens of the
longest run of leading messages this emulator has already seen in an earlier request (prefix
caching); ``prompt_tokens_details`` is ``{}`` when there are none, as the service sends it.
``stop`` strings cut any text reply at the first match. For automatic replies,
``max_completion_tokens`` cuts reasoning then content to that many words, finish reason ``length``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._reply import Reply

_WORD_PIECES = re.compile(r"\S+\s*|\s+")
_WORD_SPANS = re.compile(r"\S+")
_ids = itertools.count(1)


@dataclass(slots=True)
class PlannedCall:
    """One tool call as sent: id, name, arguments text and its stream pieces."""

    id: str
    name: str
    arguments: str
    pieces: Sequence[str]


@dataclass(slots=True)
class Turn:
    """Everything needed to render one completion, streamed or not."""

    id: str
    model: str
    reasoning_pieces: Sequence[str]
    content_pieces: Sequence[str]
    calls: list[PlannedCall]
    interleave: bool
    finish_reason: str
    usage: Mapping[str, Any]
    message_extra: dict[str, Any] = field(default_factory=dict)
    """Web search fields of the message (streamed: of the first packet)."""
    audio: bytes | None = None
    """A speech reply's audio in the requested format (streamed: ``audio_pieces`` instead)."""
    audio_pieces: Sequence[bytes] = ()


def words(text: str) -> int:
    """Token count of a text under the emulator's rule: whitespace-separated words."""
    return len(text.split())


def _pieces(text: str | None, given: Sequence[str] | None) -> Sequence[str]:
    if not text:
        return ()
    if given is not None:
        return given
    return _WORD_PIECES.findall(text)


def _cut_words(text: str, limit: int) -> str:
    for i, match in enumerate(_WORD_SPANS.finditer(text)):
        if i == limit:
            return text[: match.start()]
    return text


def _cut_pieces(pieces: Sequence[str], length: int) -> list[str]:
    out: list[str] = []
    for piece in pieces:
        if length <= 0:
            break
        out.append(piece[:length])
        length -= len(piece)
    return out


class PrefixCache:
    """Remembers message prefixes already seen, to report ``cached_tokens``."""

    def __init__(self, limit: int = 200_000) -> None:
        self._seen: set[bytes] = set()
        self._limit = limit
        self._lock = threading.Lock()

    def cached_tokens(self, messages: Sequence[Any]) -> int:
        """Prompt tokens of the longest already-seen leading run; records this request's run."""
        digest = hashlib.blake2b(digest_size=16)
        cached = total = 0
        keys = []
        for message in messages:
            digest.update(json.dumps(message, sort_keys=True, default=str).encode())
            key = digest.copy().digest()
            total += message_tokens(message)
            keys.append(key)
            if key in self._seen:
                cached = total
        with self._lock:
            if len(self._seen) > self._limit:
                self._seen.clear()
            self._seen.update(keys)
        return cached


def message_tokens(message: Any) -> int:
    """Prompt tokens of one message under the word rule."""
    if not isinstance(message, Mapping):
        return 0
    count = 0
    content = message.get("content")
    if isinstance(content, str):
        count += words(content)
    elif isinstance(content, list):
        for part in content:
            if isinstance(part, Mapping) and isinstance(part.get("text"), str):
                count += words(part["text"])
    reasoning = message.get("reasoning_content")
    if isinstance(reasoning, str):
        count += words(reasoning)
    for call in message.get("tool_calls") or ():
        function = call.get("function") if isinstance(call, Mapping) else None
        if isinstance(function, Mapping):
            count += words(str(function.get("name") or "")) + words(
                str(function.get("arguments") or "")
            )
    return count


def plan_turn(
    reply: Reply, body: Mapping[str, Any], cache: PrefixCache, *, automatic: bool
) -> Turn:
    """Apply the request-derived rules (stop, length, usage) to a completion reply."""
    content = reply.content or ""
    reasoning = reply.reasoning or ""
    content_pieces = _pieces(content, reply.content_pieces)
    reasoning_pieces = _pieces(reasoning, reply.reasoning_pieces)
    finish = reply.finish_reason or ("tool_calls" if reply.calls else "stop")

    limit = body.get("max_completion_tokens")
    if automatic and isinstance(limit, int):
        used = words(reasoning)
        if used > limit:
            reasoning = _cut_words(reasoning, limit)
            reasoning_pieces = _pieces(reasoning, None)
            content, content_pieces, finish = "", (), "length"
        elif used + words(content) > limit:
            content = _cut_words(content, limit - used)
            content_pieces = _pieces(content, None)
            finish = "length"

    stop = body.get("stop")
    stops = [stop] if isinstance(stop, str) else (stop or [])
    cut = min((i for s in stops if s and (i := content.find(s)) != -1), default=-1)
    if cut != -1:
        content = content[:cut]
        content_pieces = _cut_pieces(content_pieces, cut)
        finish = "stop"

    calls = [
        PlannedCall(
            id=call.id or f"call_{next(_ids):08x}",
            name=call.name,
            arguments=(arguments := call.arguments_json()),
            pieces=_split(arguments, reply.argument_chunks),
        )
        for call in reply.calls
    ]
    usage: Mapping[str, Any]
    if reply.usage is not None:
        usage = reply.usage
    else:
        usage = _usage(body, cache, reasoning, content, calls)
    return Turn(
        id=f"chatcmpl-emu{next(_ids):012x}",
        model=reply.model or str(body.get("model", "")),
        reasoning_pieces=reasoning_pieces,
        content_pieces=content_pieces,
        calls=calls,
        interleave=reply.interleave,
        finish_reason=finish,
        usage=usage,
    )


def _split(text: str, parts: int) -> list[str]:
    if not text:
        return []
    parts = max(1, min(parts, len(text)))
    step = -(-len(text) // parts)
    return [text[i : i + step] for i in range(0, len(text), step)]


def _usage(
    body: Mapping[str, Any],
    cache: PrefixCache,
    reasoning: str,
    content: str,
    calls: list[PlannedCall],
) -> dict[str, Any]:
    messages = body.get("messages") or []
    prompt = sum(message_tokens(m) for m in messages)
    if body.get("tools"):
        prompt += words(json.dumps(body["tools"]))
    reasoning_tokens = words(reasoning)
    completion = (
        reasoning_tokens + words(content) + sum(words(c.name) + words(c.arguments) for c in calls)
    )
    cached = cache.cached_tokens(messages)
    # As the service sends it: ``{}`` when nothing came from the cache (real-traffic 001, 010).
    return {
        "completion_tokens": completion,
        "prompt_tokens": prompt,
        "total_tokens": prompt + completion,
        "completion_tokens_details": {"reasoning_tokens": reasoning_tokens},
        "prompt_tokens_details": {"cached_tokens": cached} if cached else {},
    }
