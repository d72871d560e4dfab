"""LlamaIndex media blocks (image, audio, video) -> the core's user content parts.

The part itself (data URL, MIME type, ``fps`` and ``media_resolution`` beside ``video_url``,
refusing URLs the service cannot fetch) is :func:`mimo_client.media_part`'s; this module
only finds a block's source: a remote URL as given, else its bytes as base64. A ``file://``
URL is read here, since the service cannot open the caller's files.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from io import IOBase
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from urllib.request import url2pathname

from llama_index.core.base.llms.types import AudioBlock, ImageBlock, VideoBlock

from mimo_client import audio_mime_type, media_part

__all__ = ["media_part_of"]


def media_part_of(block: ImageBlock | AudioBlock | VideoBlock) -> dict[str, Any]:
    """The core's part for a media block; the core checks the URL, fps and resolution."""
    if isinstance(block, ImageBlock):
        source = _source(block, block.image, block.resolve_image)
        return media_part("image", source, mime_type=block.image_mimetype)
    if isinstance(block, AudioBlock):
        source = _source(block, block.audio, block.resolve_audio)
        fmt = block.format or _suffix(block)
        return media_part("audio", source, mime_type=audio_mime_type(fmt))
    source = _source(block, block.video, block.resolve_video)
    return media_part(
        "video",
        source,
        mime_type=block.video_mimetype,
        fps=block.fps,
        media_resolution=block.detail,
    )


def _source(block: Any, data: Any, resolve: Callable[[bool], IOBase]) -> str:
    """A remote URL as given, else the media's bytes as base64 (a file:// URL is read here)."""
    if data is None and block.path is None and block.url is not None:
        url = str(block.url)
        if not url.lower().startswith("file:"):
            return url  # http(s) and data: URLs pass through; the core refuses other schemes
        raw = _file_path(url).read_bytes()
        return base64.b64encode(raw).decode("ascii")
    buffer = resolve(True)  # as base64
    encoded: bytes = buffer.read()
    return encoded.decode("ascii")


def _file_path(url: str) -> Path:
    parsed = urlparse(url)
    if parsed.netloc not in ("", "localhost"):
        raise ValueError(f"cannot read {url[:60]!r}: only local file:// URLs can be read")
    return Path(url2pathname(parsed.path))


def _suffix(block: AudioBlock) -> str | None:
    """The extension of the block's path or URL (``mp3``), when it has one."""
    if block.path is not None:
        where = str(block.path)
    elif block.url is not None:
        where = urlparse(str(block.url)).path
    else:
        return None
    return Path(where).suffix.lstrip(".") or None
