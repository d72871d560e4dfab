"""Web search in the emulator: checking the tool, generating sources, and the 409 quota fault.

Rules (also in the package docstring):
- A request with a ``{"type": "web_search", ...}`` tool is checked like the service would
  (known fields only; ``max_keyword`` and ``limit`` 1..50; ``force_search`` a boolean;
  ``user_location`` an object of strings); a bad tool answers 400.
- ``MiMoEmulator(web_search_quota=N)`` lets N requests with the tool through, then answers
  409 ``{"error": {"code": "409", "message": "Web search quota exhausted", ...}}`` (``0``: the
  plugin is off or the quota spent from the start; ``None``, the default: no limit).
- An accepted request with the tool always searches (the emulator does not model the model's
  choice). Unless the reply was scripted with ``Reply.with_web_search(...)``, the sources are
  generated from the request: ``limit`` sources (3 when unset, at most 5), source ``i`` (from 1)
  being ``{"type": "url_citation", "url": "https://search.example/<words>/<i>", "title":
  "Result <i> for <query>", "summary": "Excerpt <i> about <query>", "site_name":
  "search.example", "publish_time": "2026-01-0<i> 00:00:00", "logo_url":
  "https://search.example/logo.png"}`` where ``<query>`` is the last user text (first 60
  characters) and ``<words>`` its first three words, lower-cased, joined by ``-``.
  ``usage.web_search_usage = {"tool_usage": 1, "page_usage": <number of sources>}``.
- The list goes in ``message.annotations`` (streamed: in the first packet, beside the role) and
  a scripted ``error_message`` in ``message.error_message`` (streamed: the first packet too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..web_search import check_web_search_fields
from ._plan import Turn
from ._reply import Reply

__all__ = [
    "QUOTA_EXHAUSTED",
    "apply_web_search",
    "check_web_search_tool",
    "generated_sources",
    "web_search_tool_of",
]

QUOTA_EXHAUSTED = "Web search quota exhausted"
_DEFAULT_SOURCES = 3
_MAX_GENERATED = 5


def web_search_tool_of(body: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The request's web_search tool, if it has one."""
    for tool in body.get("tools") or ():
        if isinstance(tool, Mapping) and tool.get("type") == "web_search":
            return tool
    return None


def check_web_search_tool(tool: Mapping[str, Any]) -> str | None:
    """The 400 reason for a web_search tool the service would refuse, or None."""
    try:
        check_web_search_fields(tool)
    except ValueError as exc:
        return str(exc)
    return None


def _query(body: Mapping[str, Any]) -> str:
    for message in reversed(body.get("messages") or ()):
        if isinstance(message, Mapping) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                content = " ".join(
                    str(p.get("text", "")) for p in content if isinstance(p, Mapping)
                )
            return " ".join(str(content or "").split())[:60]
    return ""


def generated_sources(body: Mapping[str, Any], tool: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The sources the emulator makes up for a searching request (see the module docstring)."""
    limit = tool.get("limit")
    count = min(limit if isinstance(limit, int) else _DEFAULT_SOURCES, _MAX_GENERATED)
    query = _query(body)
    slug = "-".join(re.findall(r"\w+", query.lower())[:3]) or "query"
    return [
        {
            "type": "url_citation",
            "url": f"https://search.example/{slug}/{i}",
            "title": f"Result {i} for {query}",
            "summary": f"Excerpt {i} about {query}",
            "site_name": "search.example",
            "publish_time": f"2026-01-0{i} 00:00:00",
            "logo_url": "https://search.example/logo.png",
        }
        for i in range(1, count + 1)
    ]


def apply_web_search(turn: Turn, reply: Reply, body: Mapping[str, Any]) -> None:
    """Add the search's annotations, error and usage to a turn whose request searched."""
    scripted = reply.web_search
    tool = web_search_tool_of(body)
    if tool is None and scripted is None:
        return
    scripted = scripted or {}
    if "annotations" in scripted:
        sources = list(scripted["annotations"])
    elif tool is not None and "error_message" not in scripted:
        sources = generated_sources(body, tool)
    else:
        sources = []
    if sources:
        turn.message_extra["annotations"] = sources
    if scripted.get("error_message"):
        turn.message_extra["error_message"] = scripted["error_message"]
    usage = scripted.get("web_search_usage") or {"tool_usage": 1, "page_usage": len(sources)}
    turn.usage = {**turn.usage, "web_search_usage": usage}
