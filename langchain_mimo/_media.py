"""LangChain user content (v0, v1 and OpenAI-style blocks) -> MiMo's user content parts.

This module only reads LangChain's block shapes (where the URL or base64 data, the MIME type
and the video options sit). The parts themselves (data URLs, default MIME types, ``fps`` /
``media_resolution`` beside ``video_url`` and their ranges) are built by the core's
``mimo_client.media_part``; the service's rules on the result (e.g. media need a text part
beside them) are checked by ``mimo_client.build_request``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import mimo_client
from mimo_client.media import MediaKind

__all__ = ["to_wire_user_content"]

_OPENAI_KINDS: dict[str, MediaKind] = {
    "image_url": "image",
    "input_audio": "audio",
    "video_url": "video",
}


def _source(block: Mapping[str, Any], kind: str) -> tuple[str, str | None]:
    """The URL or base64 data of a LangChain v1 or v0 media block, and its MIME type."""
    mime_type = block.get("mime_type")
    if block.get("url"):
        return str(block["url"]), mime_type
    if block.get("base64"):
        return str(block["base64"]), mime_type
    source_type = block.get("source_type")  # v0 data blocks
    if source_type == "base64" and block.get("data"):
        return str(block["data"]), mime_type
    source = block.get("source")  # Anthropic-style image blocks
    if isinstance(source, Mapping):
        if source.get("type") == "url" and source.get("url"):
            return str(source["url"]), None
        if source.get("type") == "base64" and source.get("data"):
            return str(source["data"]), source.get("media_type")
    if block.get("file_id") or source_type == "id":
        raise ValueError(
            f"MiMo cannot read {kind} blocks by file id; pass the {kind} as a URL or as base64"
        )
    raise ValueError(f"a {kind} block needs a 'url' or 'base64' value")


def _video_options(block: Mapping[str, Any]) -> dict[str, Any]:
    """``fps`` / ``media_resolution`` given on the block or in its ``extras``."""
    extras = block.get("extras")
    options: dict[str, Any] = {}
    for key in ("fps", "media_resolution"):
        value = block.get(key)
        if value is None and isinstance(extras, Mapping):
            value = extras.get(key)
        options[key] = value
    return options


def _url_of(value: Any) -> str:
    return str(value.get("url") or "") if isinstance(value, Mapping) else str(value or "")


def _openai_part(block: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """An OpenAI-style part (``image_url``, ``input_audio``, ``video_url``) in MiMo's shape."""
    if kind == "image_url":
        url = _url_of(block.get("image_url"))
        if not url:
            raise ValueError("an image_url part needs image_url.url")
        return mimo_client.media_part("image", url)
    if kind == "input_audio":
        audio = block.get("input_audio")
        if not isinstance(audio, Mapping) or not audio.get("data"):
            raise ValueError("an input_audio part needs input_audio.data")
        mime_type = mimo_client.audio_mime_type(audio.get("format"))
        return mimo_client.media_part("audio", str(audio["data"]), mime_type=mime_type)
    url = _url_of(block.get("video_url"))
    if not url:
        raise ValueError("a video_url part needs video_url.url")
    return mimo_client.media_part("video", url, **_video_options(block))


def _media_part(block: Mapping[str, Any], kind: MediaKind) -> dict[str, Any]:
    source, mime_type = _source(block, kind)
    if kind == "audio":
        # LangChain turns OpenAI input_audio {"format": "mp3"} into mime_type "audio/mp3";
        # the core names the registered type (audio/mpeg)
        mime_type = mimo_client.audio_mime_type(mime_type)
    options = _video_options(block) if kind == "video" else {}
    return mimo_client.media_part(kind, source, mime_type=mime_type, **options)


def _to_part(block: Any) -> dict[str, Any]:
    if isinstance(block, str):
        return {"type": "text", "text": block}
    if not isinstance(block, Mapping):
        raise ValueError(f"user content parts must be strings or dicts, got {type(block).__name__}")
    kind = block.get("type")
    if kind == "text":
        return {"type": "text", "text": str(block.get("text", ""))}
    if kind in _OPENAI_KINDS:
        return _openai_part(block, kind)
    if kind in ("image", "audio", "video"):
        return _media_part(block, kind)
    if kind in ("file", "text-plain"):
        raise ValueError(
            "MiMo does not accept file or PDF input; send text, images, audio or video"
        )
    raise ValueError(
        f"user content block of type {kind!r} is not supported by MiMo; use text, image, "
        "audio or video blocks"
    )


def to_wire_user_content(content: str | Sequence[Any]) -> str | list[dict[str, Any]]:
    """Translate a user message's content to MiMo's content: a string or a list of parts."""
    if isinstance(content, str):
        return content
    return [_to_part(block) for block in content]
