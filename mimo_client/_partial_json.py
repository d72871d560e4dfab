"""A tolerant parser for JSON that is still arriving (streamed tool-call arguments)."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_partial_json"]


def parse_partial_json(text: str) -> Any | None:
    """Parse ``text``, closing unfinished strings, arrays and objects; None if it cannot.

    ``'{"city": "Par'`` gives ``{"city": "Par"}``; a dangling key or ``:`` is dropped.
    Complete JSON parses as usual. Never raises.
    """
    if not text or not text.strip():
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    scanned = _scan(text)
    if scanned is None:
        return None
    closers, in_string, escaped = scanned
    candidate = text
    if in_string:
        if escaped:
            candidate = candidate[:-1]
        candidate += '"'
    # Trim what cannot end a value (a trailing comma, colon, or a key with no value yet),
    # then close the open containers; retry with shorter prefixes if that is still not JSON.
    for _ in range(4):
        trimmed = candidate.rstrip()
        while trimmed and trimmed[-1] in ",:":
            trimmed = trimmed[:-1].rstrip()
        try:
            return json.loads(trimmed + "".join(reversed(closers)))
        except ValueError:
            pass
        # drop a dangling object key ("key" with no ':' after it) or a partial literal
        cut = max(trimmed.rfind(","), trimmed.rfind("{"), trimmed.rfind("["))
        if cut < 0:
            return None
        candidate = trimmed[: cut + 1] if trimmed[cut] in "{[" else trimmed[:cut]
        # containers opened after the cut are gone with it
        rescanned = _scan(candidate)
        if rescanned is None:
            return None
        closers = rescanned[0]
    return None


def _scan(text: str) -> tuple[list[str], bool, bool] | None:
    """Scan ``text`` for the closers still open at its end.

    Also says whether it ends inside a string, and just after a backslash there.
    None if the brackets do not match.
    """
    closers: list[str] = []
    in_string = False
    escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            closers.append("}" if char == "{" else "]")
        elif char in "}]":
            if not closers or closers[-1] != char:
                return None
            closers.pop()
    return closers, in_string, escaped
