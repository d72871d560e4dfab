"""One vcrpy configuration for recording and replaying MiMo traffic.

- Requests match on method, path and JSON body (parsed, so key order and whitespace do not
  matter). Host and port are ignored: the emulator listens on a random port, and a cassette
  recorded against ``api.xiaomimimo.com`` replays against any base URL with the same path.
- ``api-key`` and ``Authorization`` are replaced by placeholders before anything is written,
  every other request header is dropped, and the key itself is scrubbed from bodies.
- Responses keep only ``content-type`` (the SSE parser needs ``text/event-stream``) and
  ``retry-after``: cookies, request ids and the like never reach the repository.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import vcr
from vcr.request import Request

CASSETTE_DIR = Path(__file__).resolve().parent
"""The folder holding the cassettes (``notebooks/`` and ``tests/`` below it)."""

PLACEHOLDER_KEY = "MIMO_API_KEY_PLACEHOLDER"
"""What a recorded ``api-key`` header (and any key found in a body) is replaced with."""

REPLAY_BASE_URL = "http://127.0.0.1:9/v1"
"""Base URL used on replay: loopback (port 9, discard), so a request the cassette does not
answer can never leave the machine; vcrpy answers matched requests before any connection."""

_KEPT_REQUEST_HEADERS = frozenset({"content-type", "accept"})
_KEPT_RESPONSE_HEADERS = frozenset({"content-type", "retry-after"})


def _parsed_body(request: Request) -> Any:
    body = request.body
    if body is None or body == b"" or body == "":
        return None
    text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
    try:
        return json.loads(text)
    except ValueError:
        return text


def json_body_matcher(recorded: Request, incoming: Request) -> None:
    """Match two requests whose bodies are equal once parsed as JSON (as text if not JSON).

    Raises ``AssertionError`` (vcrpy's convention) naming the first differing key, so a
    "cassette does not match" failure says what changed.
    """
    left, right = _parsed_body(recorded), _parsed_body(incoming)
    if left == right:
        return
    if isinstance(left, dict) and isinstance(right, dict):
        keys = sorted(set(left) | set(right))
        changed = [key for key in keys if left.get(key) != right.get(key)]
        raise AssertionError(f"JSON bodies differ in {changed}")
    raise AssertionError("bodies differ")


def _scrub(text: str, secrets: Iterable[str]) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, PLACEHOLDER_KEY)
    return text


def _request_filter(secrets: tuple[str, ...]) -> Callable[[Request], Request]:
    def before_record_request(request: Request) -> Request:
        for name in list(request.headers):
            lower = name.lower()
            if lower == "api-key":
                request.headers[name] = PLACEHOLDER_KEY
            elif lower == "authorization":
                request.headers[name] = f"Bearer {PLACEHOLDER_KEY}"
            elif lower not in _KEPT_REQUEST_HEADERS:
                del request.headers[name]
        if isinstance(request.body, bytes) and secrets:
            request.body = _scrub(request.body.decode("utf-8", "replace"), secrets).encode()
        return request

    return before_record_request


def _response_filter(secrets: tuple[str, ...]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def before_record_response(response: dict[str, Any]) -> dict[str, Any]:
        response["headers"] = {
            name: value
            for name, value in response["headers"].items()
            if name.lower() in _KEPT_RESPONSE_HEADERS
        }
        body = response["body"].get("string")
        if isinstance(body, bytes) and secrets:
            response["body"]["string"] = _scrub(body.decode("utf-8", "replace"), secrets).encode()
        return response

    return before_record_response


def vcr_config(secrets: Iterable[str] = ()) -> dict[str, Any]:
    """Keyword arguments for ``vcr.VCR``/``use_cassette`` (and pytest-recording's ``vcr_config``).

    ``secrets``: strings to scrub from bodies when recording (the key in use).
    ``match_on`` names ``json_body``: register :func:`json_body_matcher` under that name
    (:func:`make_vcr` does).
    """
    kept = tuple(secret for secret in secrets if secret)
    return {
        "match_on": ["method", "path", "json_body"],
        "before_record_request": _request_filter(kept),
        "before_record_response": _response_filter(kept),
        "decode_compressed_response": True,
        "serializer": "yaml",
    }


def make_vcr(record_mode: str = "none", secrets: Iterable[str] = ()) -> vcr.VCR:
    """A ``vcr.VCR`` with this project's configuration, ``json_body`` registered.

    ``record_mode`` is vcrpy's: ``"none"`` replays only and fails on any request the
    cassette lacks (the default, used by tests and notebooks); ``"all"`` re-records.
    """
    recorder = vcr.VCR(record_mode=record_mode, **vcr_config(secrets))
    recorder.register_matcher("json_body", json_body_matcher)
    return recorder
