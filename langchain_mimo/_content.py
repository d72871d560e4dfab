"""LangChain user content (v0, v1 and OpenAI-style blocks) -> MiMo's user content parts.

MiMo takes four part types in a user message: ``text``, ``image_url``, ``input_audio`` and
``video_url`` (with ``fps`` / ``media_resolution`` beside ``video_url``). Media go by URL or
as a ``data:MIME;base64,...`` URL. This module only translates shapes; the service's rules on
the result (e.g. media need a text part beside them) are checked by ``mimo_client``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["to_wire_user_content"]

_VIDEO_OPTIONS = ("fps", "media_resolution")
_DEFAULT_MIME = {"image": "image/jpeg", "audio": "audio/wav", "video": "video/mp4"}


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "data:"))


def _data_url(kind: str, data: str, mime_type: str | None) -> str:
    if _is_url(data):
        return data
    return f"data:{mime_type or _DEFAULT_MIME[kind]};base64,{data}"


def _media_source(block: Mapping[str, Any], kind: str) -> str:
    """The URL or data URL of a LangChain v1 or v0 media block."""
    mime_type = block.get("mime_type")
    if block.get("url"):
        return str(block["url"])
    if block.get("base64"):
        return _data_url(kind, str(block["base64"]), mime_type)
    source_type = block.get("source_type")  # v0 data blocks
    if source_type == "url" and block.get("url"):
        return str(block["url"])
    if source_type == "base64" and block.get("data"):
        return _data_url(kind, str(block["data"]), mime_type)
    source = block.get("source")  # Anthropic-style image blocks
    if isinstance(source, Mapping):
        if source.get("type") == "url" and source.get("url"):
            return str(source["url"])
        if source.get("type") == "base64" and source.get("data"):
            return _data_url(kind, str(source["data"]), source.get("media_type"))
    if block.get("file_id") or source_type == "id":
        raise ValueError(
            f"MiMo cannot read {kind} blocks by file id; pass the {kind} as a URL or as base64"
        )
    raise ValueError(f"a {kind} block needs a 'url' or 'base64' value")


def _video_part(url: str, block: Mapping[str, Any]) -> dict[str, Any]:
    part: dict[str, Any] = {"type": "video_url", "video_url": {"url": url}}
    extras = block.get("extras")
    for key in _VIDEO_OPTIONS:
        value = block.get(key)
        if value is None and isinstance(extras, Mapping):
            value = extras.get(key)
        if value is not None:
            part[key] = value
    return part


def _openai_part(block: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """An OpenAI-style part (``image_url``, ``input_audio``, ``video_url``) in MiMo's shape."""
    if kind == "image_url":
        image = block.get("image_url")
        url = image.get("url") if isinstance(image, Mapping) else image
        if not url:
            raise ValueError("an image_url part needs image_url.url")
        return {"type": "image_url", "image_url": {"url": str(url)}}
    if kind == "input_audio":
        audio = block.get("input_audio")
        if not isinstance(audio, Mapping) or not audio.get("data"):
            raise ValueError("an input_audio part needs input_audio.data")
        audio_format = audio.get("format")
        mime_type = f"audio/{audio_format}" if audio_format else None
        return {
            "type": "input_audio",
            "input_audio": {"data": _data_url("audio", str(audio["data"]), mime_type)},
        }
    video = block.get("video_url")
    url = video.get("url") if isinstance(video, Mapping) else video
    if not url:
        raise ValueError("a video_url part needs video_url.url")
    return _video_part(str(url), block)


def _to_part(block: Any) -> dict[str, Any]:
    if isinstance(block, str):
        return {"type": "text", "text": block}
    if not isinstance(block, Mapping):
        raise ValueError(f"user content parts must be strings or dicts, got {type(block).__name__}")
    kind = block.get("type")
    if kind == "text":
        return {"type": "text", "text": str(block.get("text", ""))}
    if kind in ("image_url", "input_audio", "video_url"):
        return _openai_part(block, kind)
    if kind == "image":
        return {"type": "image_url", "image_url": {"url": _media_source(block, "image")}}
    if kind == "audio":
        return {"type": "input_audio", "input_audio": {"data": _media_source(block, "audio")}}
    if kind == "video":
        return _video_part(_media_source(block, "video"), block)
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
