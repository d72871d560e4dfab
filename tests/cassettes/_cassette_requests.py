"""Read the request bodies a cassette holds (what the adapter sent when it was recorded)."""

from __future__ import annotations

import json
from typing import Any

from vcr.cassette import Cassette


def chat_bodies(cassette: Cassette) -> list[dict[str, Any]]:
    """The JSON bodies of the cassette's chat-completion requests, in order."""
    bodies = []
    for request in cassette.requests:
        if request.path.endswith("/chat/completions"):
            raw = request.body
            bodies.append(json.loads(raw.decode() if isinstance(raw, bytes) else raw))
    return bodies
