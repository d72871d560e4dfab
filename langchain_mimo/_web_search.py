"""MiMo web search results -> LangChain's standard citations.

The core reads the reply (``AssistantTurn.annotations``, ``error_message``,
``Usage.web_search_usage``); this module only translates: each ``url_citation`` becomes a
``Citation`` (``url``, ``title``, ``cited_text`` = the service's summary; ``site_name``,
``publish_time`` and ``logo_url`` in ``extras``), attached to the answer's text block in
``content_blocks``. The raw list stays in ``response_metadata["annotations"]``, where streamed
chunks add it up once, and a translator registered for the ``mimo`` provider reads it from there
for ``content_blocks`` (the service gives no character offsets, so no ``start_index``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.messages import content as types
from langchain_core.messages.block_translators import register_translator

from mimo_client import Usage, web_citations
from mimo_client.web_search import search_reply_fields
from mimo_client.web_search import warn_search_error as core_warn_search_error

from ._convert import PROVIDER

__all__ = ["citations", "search_metadata", "warn_search_error"]


def citations(annotations: Sequence[Any] | None) -> list[types.Citation]:
    """One LangChain ``Citation`` per ``url_citation`` source, in the service's order."""
    out: list[types.Citation] = []
    for source in web_citations(annotations):
        fields: dict[str, Any] = {"type": "citation", "url": source.url, "title": source.title}
        citation = cast("types.Citation", fields)
        if source.summary:
            citation["cited_text"] = source.summary
        extras = {
            name: value
            for name, value in (
                ("site_name", source.site_name),
                ("publish_time", source.publish_time),
                ("logo_url", source.logo_url),
            )
            if value is not None
        }
        if extras:
            citation["extras"] = extras
        out.append(citation)
    return out


def warn_search_error(error_message: str) -> None:
    """Tell the user a web search failed (the reason stays in the metadata)."""
    core_warn_search_error(error_message, kept_in="response_metadata['error_message']")


def search_metadata(
    annotations: Sequence[Any] | None, error_message: str | None, usage: Usage | None
) -> dict[str, Any]:
    """The web search entries of ``response_metadata`` (empty when the reply did not search)."""
    return search_reply_fields(annotations, error_message, usage)


def _with_citations(message: AIMessage) -> list[types.ContentBlock]:
    annotations = message.response_metadata.get("annotations")
    if not annotations:
        raise NotImplementedError  # LangChain's own reading, unchanged
    # LangChain's best-effort reading of the same message, then the citations on its text.
    metadata = {k: v for k, v in message.response_metadata.items() if k != "model_provider"}
    plain: AIMessage
    if isinstance(message, AIMessageChunk):
        plain = AIMessageChunk(
            content=message.content,
            additional_kwargs=message.additional_kwargs,
            response_metadata=metadata,
            tool_call_chunks=message.tool_call_chunks,
            chunk_position=message.chunk_position,
        )
    else:
        plain = AIMessage(
            content=message.content,
            additional_kwargs=message.additional_kwargs,
            response_metadata=metadata,
            tool_calls=message.tool_calls,
            invalid_tool_calls=message.invalid_tool_calls,
        )
    blocks = list(plain.content_blocks)
    position = next((i for i, b in enumerate(blocks) if b.get("type") == "text"), None)
    if position is None:
        position = len(blocks)
        blocks.append(cast("types.TextContentBlock", {"type": "text", "text": ""}))
    # A copy: the block may be the message's own content dict.
    text = cast("types.TextContentBlock", dict(blocks[position]))
    text["annotations"] = [*text.get("annotations", []), *citations(annotations)]
    blocks[position] = text
    return blocks


register_translator(PROVIDER, _with_citations, _with_citations)
