"""``json.loads`` for stream events, with less per-call overhead on the common case.

Kept because ``python -m benchmarks`` shows it buys at least 10% on a realistic row (the
core's 2x2k stream; ``benchmarks/README.md`` has the number). ``json.loads(bytes)`` detects
the encoding, decodes, skips whitespace and checks for trailing data before its C scanner
runs; an SSE event is UTF-8 JSON with nothing around it, so the scanner is called on it
directly (trailing JSON whitespace is allowed, as ``json.loads`` allows it). Whenever that
does not consume the whole text (leading whitespace, trailing data, an error, another
encoding), ``json.loads`` parses the original bytes, so the result and the errors are its
own (``tests/core/test_json.py`` checks that on arbitrary input). The one difference: the
nesting depth at which ``RecursionError`` is raised can differ by a level or two.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["loads"]

# The decoder's C scanner (set in JSONDecoder.__init__ since Python 2.7; typeshed omits it).
_scan: Callable[[str, int], tuple[Any, int]] = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

_WHITESPACE = re.compile(r"[ \t\n\r]*").match  # json.decoder.WHITESPACE: what json.loads skips


def loads(data: bytes) -> Any:
    """``json.loads(data)``: same result and same errors."""
    try:
        text = data.decode()
        value, end = _scan(text, 0)
    except (StopIteration, ValueError):  # leading whitespace, an error, not UTF-8
        return json.loads(data)
    if end != len(text):
        rest = _WHITESPACE(text, end)  # always matches (the pattern accepts "")
        if rest is None or rest.end() != len(text):
            return json.loads(data)  # trailing data: json.loads raises its own error
    return value
