"""MiMo web search results -> LlamaIndex ``CitationBlock``s and response kwargs.

The core reads the reply (``AssistantTurn.annotations``, ``error_message``,
``Usage.web_search_usage``); this module only translates: one ``CitationBlock`` per source
(``source`` = url, ``title``, ``cited_content`` = the summary as a ``TextBlock``). The block
has no place for the site name, publish time and logo URL (``additional_location_info`` holds
integers only): they stay in the raw list, in ``message.additional_kwargs["annotations"]`` and
the response's ``raw``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from llama_index.core.base.llms.types import CitationBlock, TextBlock

from mimo_client import Usage, web_citations
from mimo_client.web_search import search_reply_fields
from mimo_client.web_search import warn_search_error as core_warn_search_error

__all__ = ["citation_blocks", "search_kwargs", "warn_search_error"]


def citation_blocks(annotations: Sequence[Any] | None) -> list[CitationBlock]:
    """One ``CitationBlock`` per ``url_citation`` source, in the service's order."""
    return [
        CitationBlock(
            cited_content=TextBlock(text=source.summary),
            source=source.url,
            title=source.title,
            additional_location_info={},
        )
        for source in web_citations(annotations)
    ]


def warn_search_error(error_message: str) -> None:
    """Tell the user a web search failed (the reason stays in additional_kwargs)."""
    core_warn_search_error(error_message, kept_in="additional_kwargs['error_message']")


def search_kwargs(error_message: str | None, usage: Usage | None) -> dict[str, Any]:
    """The response's ``additional_kwargs`` entries for a search error and its usage."""
    if error_message:
        warn_search_error(error_message)
    return search_reply_fields(None, error_message, usage)
