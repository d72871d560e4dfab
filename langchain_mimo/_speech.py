"""MiMo speech replies -> LangChain audio content blocks.

The core holds the rules (what a speech request may send) and the reply (``AssistantTurn.audio``,
streamed PCM16 pieces joined in the accumulator); this module builds the standard ``audio``
block (``base64`` + ``mime_type``). Streamed pieces are re-cut on 3-byte boundaries so the
base64 of the chunks, added up by LangChain (string concatenation), is the base64 of the whole
clip.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from mimo_client.speech import speech_mime_type, streamed_speech_mime_type

__all__ = ["AUDIO_INDEX", "AudioPieces", "audio_block", "reply_mime_type"]

#: The stream-wide ``index`` of the audio block, so LangChain merges the pieces into one.
AUDIO_INDEX = 0


def reply_mime_type(request: Mapping[str, Any]) -> str:
    """The MIME type of a non-streamed speech reply to ``request`` (its ``audio.format``)."""
    audio = request.get("audio") or {}
    return speech_mime_type(audio.get("format"))


def audio_block(data: str, mime_type: str | None, *, index: int | None = None) -> dict[str, Any]:
    """A standard ``audio`` content block holding base64 ``data``."""
    block: dict[str, Any] = {"type": "audio", "base64": data}  # a types.AudioContentBlock
    if mime_type:
        block["mime_type"] = mime_type
    if index is not None:
        block["index"] = index
    return block


class AudioPieces:
    """Cuts a stream's audio (the accumulator's joined bytes) into concatenable base64 pieces."""

    __slots__ = ("_sent",)

    def __init__(self) -> None:
        self._sent = 0  # bytes of the clip already sent

    def block(self, audio: bytearray, *, final: bool) -> dict[str, Any] | None:
        """The next audio block (whole 3-byte groups; everything left when ``final``)."""
        available = len(audio) - self._sent
        count = available if final else available - available % 3
        if count <= 0:
            return None
        piece = bytes(audio[self._sent : self._sent + count])
        mime = streamed_speech_mime_type() if self._sent == 0 else None
        self._sent += count
        return audio_block(base64.b64encode(piece).decode("ascii"), mime, index=AUDIO_INDEX)
