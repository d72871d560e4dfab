"""MiMo speech replies -> LlamaIndex ``AudioBlock``s.

The core holds the rules (what a speech request may send) and the reply
(``AssistantTurn.audio``; a stream's PCM16 pieces joined in its accumulator). The block's
``format`` is read from the bytes: ``wav``, ``mp3``, or ``pcm`` (raw PCM16LE, 24 kHz mono: what
streams carry, and ``pcm``/``pcm16`` replies; ``mimo_client.write_wav`` makes a WAV of it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from llama_index.core.base.llms.types import AudioBlock

from mimo_client.speech import audio_bytes, audio_format_of

__all__ = ["audio_block", "pcm_block"]


def pcm_block(data: bytes) -> AudioBlock:
    """An ``AudioBlock`` of audio bytes, its format read from them."""
    return AudioBlock(audio=data, format=audio_format_of(data))


def audio_block(audio: Mapping[str, Any] | None) -> AudioBlock | None:
    """The ``AudioBlock`` of a reply's ``message.audio`` object, or None without audio."""
    data = audio_bytes(audio)
    return pcm_block(data) if data else None
