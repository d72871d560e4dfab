"""Error bodies exactly as the real service sent them (``tests/data/real_traffic/``).

The emulator sends these bytes as they are, so a client parses what it will meet in
production; ``tests/real_traffic`` checks every constant against its file, byte for byte.
"""

from __future__ import annotations

import json

__all__ = [
    "GATEWAY_402",
    "INVALID_KEY_401",
    "REAL_ERROR_BODIES",
    "TOO_MANY_REQUESTS_429",
    "rejection_body",
]

# 022_401_invalid_key.error.json (pretty-printed as published, no final newline).
INVALID_KEY_401 = (
    b'{\n    "error": {\n        "message": "Invalid API Key",\n'
    b'        "param": "Please provide valid API Key",\n        "code": "401",\n'
    b'        "type": "invalid_key"\n    }\n}'
)

# 023_429_too_many_requests.error.json (no Retry-After header comes with it).
TOO_MANY_REQUESTS_429 = (
    b'{\n    "error": {\n        "code": "429",\n        "message": "Too many requests",\n'
    b'        "type": "limitation"\n    }\n}'
)

# docs/MIMO_API.md, "Error bodies seen from the real service": a 402 through a gateway, unwrapped.
GATEWAY_402 = (
    b'{"type":"server_error","message":"Upstream request failed: Insufficient account funds"}'
)

REAL_ERROR_BODIES: dict[int, bytes] = {401: INVALID_KEY_401, 429: TOO_MANY_REQUESTS_429}
"""Status -> the body the service sends when the emulator is asked for that status plainly."""

# Reasons whose real 400 body carries no "type" key (024 "Not supported model", 026 "`text` is
# not set"); the pass-back 400 (020) and "`text` is not present" carry "type":"".
_UNTYPED_REASONS = ("Not supported model", "`text` is not set")


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def rejection_body(reason: str) -> bytes:
    """The service's 400 body for a broken rule: ``{"error":{"code":"400",...,"param":REASON}}``."""
    error: dict[str, str] = {"code": "400", "message": "Param Incorrect", "param": reason}
    if not reason.startswith(_UNTYPED_REASONS):
        error["type"] = ""
    return _compact({"error": error})
