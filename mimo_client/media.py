"""MiMo's media parts of a user message, built once for every adapter.

A part is ``image_url``, ``input_audio`` or ``video_url``; the media goes by URL (which the
service fetches, so it must be public) or inline as a ``data:MIME;base64,...`` URL. For
video, ``fps`` (0.1..10) and ``media_resolution`` (``default`` | ``max``) sit beside
``video_url``, not inside it.
"""

from __future__ import annotations

from typing import Any, Literal

__all__ = ["MediaKind", "audio_mime_type", "media_part"]

MediaKind = Literal["image", "audio", "video"]

_DEFAULT_MIME: dict[str, str] = {"image": "image/png", "audio": "audio/wav", "video": "video/mp4"}
_AUDIO_FORMATS = {"mp3": "audio/mpeg", "mpeg": "audio/mpeg", "m4a": "audio/mp4", "wav": "audio/wav"}
MEDIA_RESOLUTIONS = frozenset({"default", "max"})
FPS_RANGE = (0.1, 10.0)


def audio_mime_type(audio_format: str | None) -> str:
    """The MIME type of an audio format name such as ``mp3`` or ``wav`` (wav if None)."""
    if not audio_format:
        return _DEFAULT_MIME["audio"]
    fmt = audio_format.lower().removeprefix("audio/")
    return _AUDIO_FORMATS.get(fmt, f"audio/{fmt}")


def _is_url(value: str) -> bool:
    return value.startswith(("http://", "https://", "data:"))


def media_part(
    kind: MediaKind,
    source: str,
    *,
    mime_type: str | None = None,
    fps: float | None = None,
    media_resolution: str | None = None,
) -> dict[str, Any]:
    """One user content part for ``kind`` from a URL, a data URL or raw base64 ``source``.

    Raw base64 becomes a data URL with ``mime_type`` (default: PNG, WAV, MP4). ``fps`` and
    ``media_resolution`` apply to video only and are checked against the service's ranges.
    """
    if not source:
        raise ValueError(f"an {kind} part needs a URL or base64 data")
    if "://" in source[:16] and not _is_url(source):
        raise ValueError(
            f"the service cannot read {source[:40]!r}: send an http(s) URL it can reach, or the "
            "file's bytes as base64 (local paths and file:// URLs must be read first)"
        )
    url = source if _is_url(source) else f"data:{mime_type or _DEFAULT_MIME[kind]};base64,{source}"
    if kind == "image":
        return {"type": "image_url", "image_url": {"url": url}}
    if kind == "audio":
        return {"type": "input_audio", "input_audio": {"data": url}}
    part: dict[str, Any] = {"type": "video_url", "video_url": {"url": url}}
    if fps is not None:
        if not FPS_RANGE[0] <= fps <= FPS_RANGE[1]:
            raise ValueError(f"video fps must be between 0.1 and 10, got {fps}")
        part["fps"] = fps
    if media_resolution is not None:
        if media_resolution not in MEDIA_RESOLUTIONS:
            raise ValueError(
                f"media_resolution must be 'default' or 'max', got {media_resolution!r}"
            )
        part["media_resolution"] = media_resolution
    return part
