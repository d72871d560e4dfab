"""MiMo's built-in web search: the request's tool, and the citations of the reply.

Request: a flat tool ``{"type": "web_search", "force_search": ..., "max_keyword": ...,
"limit": ..., "user_location": {...}}`` beside any function tools (not a function tool; the
search never comes back as a tool call). :func:`web_search_tool` builds and checks it from the
``web_search=`` option (``True`` for the service's defaults, or a dict of the tool's fields).

Reply: ``message.annotations`` (streamed: ``delta.annotations``, once, in the first packet) is
a flat list of ``{"type": "url_citation", "url", "title", "summary", "site_name",
"publish_time", "logo_url"}`` with no character offsets; ``message.error_message`` reports a
failed search; ``usage.web_search_usage = {"tool_usage": N, "page_usage": M}``.
:func:`web_citations` reads the list once for both adapters.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .types import Usage

__all__ = [
    "WEB_SEARCH_FIELDS",
    "WebCitation",
    "WebSearchOption",
    "is_web_search_tool",
    "search_reply_fields",
    "warn_search_error",
    "web_citations",
    "web_search_tool",
]

#: The fields the web_search tool takes besides ``type`` (docs/MIMO_API.md "Web search").
WEB_SEARCH_FIELDS = frozenset({"force_search", "max_keyword", "limit", "user_location"})
_RANGES = {"max_keyword": (1, 50), "limit": (1, 50)}
_LOCATION_FIELDS = frozenset({"type", "country", "region", "city"})

WebSearchOption = bool | Mapping[str, Any] | None


def is_web_search_tool(tool: Any) -> bool:
    """Whether ``tool`` is the built-in web search tool (``{"type": "web_search", ...}``)."""
    return isinstance(tool, Mapping) and tool.get("type") == "web_search"


def _check_location(location: Any) -> None:
    if not isinstance(location, Mapping):
        raise ValueError(
            "web_search user_location must be a dict such as {'type': 'approximate', "
            f"'country': 'China', 'region': 'Hubei', 'city': 'Wuhan'}}, got {location!r}"
        )
    unknown = sorted(set(location) - _LOCATION_FIELDS)
    if unknown:
        raise ValueError(
            f"web_search user_location has unknown fields {unknown}; it takes "
            f"{sorted(_LOCATION_FIELDS)}"
        )
    for name, value in location.items():
        if not isinstance(value, str):
            raise ValueError(f"web_search user_location.{name} must be a string, got {value!r}")


def check_web_search_fields(fields: Mapping[str, Any]) -> None:
    """Raise ``ValueError`` naming the field and the fix when a web_search field is invalid."""
    unknown = sorted(set(fields) - WEB_SEARCH_FIELDS - {"type"})
    if unknown:
        raise ValueError(
            f"web_search has unknown fields {unknown}; it takes {sorted(WEB_SEARCH_FIELDS)}"
        )
    force = fields.get("force_search")
    if force is not None and not isinstance(force, bool):
        raise ValueError(f"web_search force_search must be True or False, got {force!r}")
    for name, (low, high) in _RANGES.items():
        value = fields.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ValueError(
                f"web_search {name} must be an integer from {low} to {high}, got {value!r}"
            )
    if fields.get("user_location") is not None:
        _check_location(fields["user_location"])


def web_search_tool(option: WebSearchOption) -> dict[str, Any] | None:
    """The web_search tool for the ``web_search=`` option, or None when it is off.

    ``True`` sends ``{"type": "web_search"}`` (the service's defaults); a dict sends its fields
    (``force_search``, ``max_keyword`` 1..50, ``limit`` 1..50, ``user_location``), checked;
    ``False``/``None`` send nothing. Fields set to None are left out.
    """
    if option is None or option is False:
        return None
    if option is True:
        return {"type": "web_search"}
    if not isinstance(option, Mapping):
        raise TypeError(
            "web_search must be True, False, None or a dict of the tool's fields "
            f"({sorted(WEB_SEARCH_FIELDS)}), got {type(option).__name__}"
        )
    if option.get("type", "web_search") != "web_search":
        raise ValueError(f"web_search type must be 'web_search', got {option.get('type')!r}")
    fields = {k: v for k, v in option.items() if v is not None and k != "type"}
    check_web_search_fields(fields)
    return {"type": "web_search", **fields}


def merge_web_search(
    tools: Sequence[Mapping[str, Any]] | None, option: WebSearchOption
) -> list[dict[str, Any]] | None:
    """``tools`` with the web_search tool the option asks for (None: leave tools as they are).

    ``True``/a dict replaces any web_search tool already among ``tools`` (e.g. one bound with
    LangChain's ``bind_tools``); ``False`` removes it. Any web_search tool left is checked.
    """
    given = [dict(t) for t in tools or ()]
    if option is not None:
        given = [t for t in given if not is_web_search_tool(t)]
        tool = web_search_tool(option)
        if tool is not None:
            given.append(tool)
    for tool in given:
        if is_web_search_tool(tool):
            check_web_search_fields(tool)
    return given or None


@dataclass(frozen=True, slots=True)
class WebCitation:
    """One source of a web-searched answer (a ``url_citation`` annotation of the reply).

    ``summary`` is the service's excerpt of the page; ``raw`` the annotation as received.
    """

    url: str
    title: str = ""
    summary: str = ""
    site_name: str | None = None
    publish_time: str | None = None
    logo_url: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def web_citations(annotations: Sequence[Any] | None) -> list[WebCitation]:
    """The ``url_citation`` annotations of a reply as :class:`WebCitation` s, in order.

    Entries of another type, or without a URL, are skipped (the raw list keeps them).
    """
    citations: list[WebCitation] = []
    for item in annotations or ():
        if not isinstance(item, Mapping) or item.get("type", "url_citation") != "url_citation":
            continue
        url = item.get("url")
        if not url:
            continue
        citations.append(
            WebCitation(
                url=str(url),
                title=str(item.get("title") or ""),
                summary=str(item.get("summary") or ""),
                site_name=_text(item.get("site_name")),
                publish_time=_text(item.get("publish_time")),
                logo_url=_text(item.get("logo_url")),
                raw=item,
            )
        )
    return citations


def search_reply_fields(
    annotations: Sequence[Any] | None, error_message: str | None, usage: Usage | None
) -> dict[str, Any]:
    """A reply's web search entries for the adapter's metadata (empty when it did not search).

    ``annotations`` (the sources, as sent), ``error_message`` (a failed search's reason) and
    ``web_search_usage`` (from the usage block), each only when present.
    """
    fields: dict[str, Any] = {}
    if annotations:
        fields["annotations"] = list(annotations)
    if error_message:
        fields["error_message"] = error_message
    if usage is not None and usage.web_search_usage:
        fields["web_search_usage"] = usage.web_search_usage
    return fields


def warn_search_error(error_message: str, *, kept_in: str) -> None:
    """Tell the user a web search failed and the answer was written without it.

    ``kept_in`` names where the adapter keeps the service's reason (its metadata).
    """
    warnings.warn(
        f"MiMo's web search failed: {error_message}; the answer was written without it "
        f"({kept_in} has the reason)",
        UserWarning,
        stacklevel=4,  # the adapter code that met the error (past its helper and this)
    )
