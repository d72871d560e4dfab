"""Speech models in the emulator: what they refuse, and the short tone they answer with.

Rules (also in the package docstring), for models whose id contains ``-tts``:
- 400 ``Param Incorrect`` when the request sets ``thinking``, ``tools``, ``tool_choice``,
  ``response_format``, ``stop`` or ``reasoning_effort`` (REASON "`<name>` is not supported by
  speech models"), has no assistant message (REASON "the text to synthesize must be in an
  assistant message"), asks an ``audio.format`` other than wav/mp3/pcm/pcm16, sets
  ``max_completion_tokens`` above 8192; ``-voicedesign`` without a user message or with an
  ``audio.voice``; ``-voiceclone`` without an ``audio.voice`` that is a
  ``data:audio/mpeg|wav;base64,`` URI, or with more than 10 MB of base64.
- The reply is audio, no text: 0.25 s of a 440 Hz sine, PCM16LE 24 kHz mono, sent as
  ``message.audio = {"id", "data": base64, "expires_at": null, "transcript": null}`` in the
  requested format (``wav`` when unset): ``wav`` a WAV file, ``pcm``/``pcm16`` the raw samples,
  ``mp3`` a placeholder: valid MPEG-1 Layer III frames of **silence** (encoding the tone would
  need an mp3 encoder, which the standard library lacks). Streamed, whatever the format, the
  raw PCM16 comes in ``delta.audio.data`` pieces of 0.05 s (the first also carries
  ``audio.id``), after the role delta, as the service documents it.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from typing import Any

from ..speech import (
    MAX_SPEECH_TOKENS,
    MAX_VOICE_SAMPLE_BASE64,
    PCM_SAMPLE_RATE,
    SPEECH_FORMATS,
    is_speech_model,
    pcm16_to_wav,
    speech_kind,
)
from ._plan import Turn

__all__ = [
    "PIECE_BYTES",
    "apply_speech",
    "check_speech_request",
    "is_speech_model",
    "speech_audio",
    "tone_pcm16",
]

_REFUSED = ("thinking", "tools", "tool_choice", "response_format", "stop", "reasoning_effort")
TONE_SECONDS = 0.25
#: Bytes of PCM16 per streamed piece: 0.05 s.
PIECE_BYTES = PCM_SAMPLE_RATE // 20 * 2
# MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono, no padding: 417-byte frames whose side info
# and main data are all zero decode as silence.
_MP3_HEADER = b"\xff\xfb\x90\xc4"
_MP3_FRAME = 417


def check_speech_request(body: Mapping[str, Any]) -> str | None:
    """The 400 reason a speech model gives this request, or None when it accepts it."""
    model = str(body.get("model", ""))
    for name in _REFUSED:
        if body.get(name) is not None:
            return f"`{name}` is not supported by speech models"
    messages = [m for m in body.get("messages") or () if isinstance(m, Mapping)]
    roles = {m.get("role") for m in messages}
    if "assistant" not in roles:
        return "the text to synthesize must be in an assistant message"
    limit = body.get("max_completion_tokens")
    if isinstance(limit, int) and limit > MAX_SPEECH_TOKENS:
        return f"`max_completion_tokens` must be between 1 and {MAX_SPEECH_TOKENS}"
    audio = body.get("audio") or {}
    if not isinstance(audio, Mapping):
        return "`audio` must be an object"
    fmt = audio.get("format")
    if fmt is not None and fmt not in SPEECH_FORMATS:
        return f"audio format {fmt!r} is not supported"
    kind = speech_kind(model)
    voice = audio.get("voice")
    if kind == "voicedesign":
        if "user" not in roles:
            return "voice design needs a user message describing the voice"
        if voice is not None:
            return "`audio.voice` is not supported by voice design"
    if kind == "voiceclone":
        if not isinstance(voice, str) or not voice.startswith(
            ("data:audio/mpeg;base64,", "data:audio/wav;base64,")
        ):
            return "voice clone needs `audio.voice` as a data:audio/mpeg or audio/wav base64 URI"
        if len(voice.split(",", 1)[1]) > MAX_VOICE_SAMPLE_BASE64:
            return "the voice sample exceeds 10 MB"
    return None


def tone_pcm16(seconds: float = TONE_SECONDS, frequency: float = 440.0) -> bytes:
    """A sine tone as PCM16LE, 24 kHz mono."""
    count = int(PCM_SAMPLE_RATE * seconds)
    return b"".join(
        struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * n / PCM_SAMPLE_RATE)))
        for n in range(count)
    )


def _silent_mp3(seconds: float) -> bytes:
    frames = max(1, round(seconds * 44_100 / 1152))
    return (_MP3_HEADER + bytes(_MP3_FRAME - len(_MP3_HEADER))) * frames


def speech_audio(body: Mapping[str, Any]) -> bytes:
    """The non-streamed reply's audio bytes in the requested format (see the module docstring)."""
    audio = body.get("audio") or {}
    fmt = audio.get("format") if isinstance(audio, Mapping) else None
    if fmt in ("pcm", "pcm16"):
        return tone_pcm16()
    if fmt == "mp3":
        return _silent_mp3(TONE_SECONDS)
    return pcm16_to_wav(tone_pcm16())


def apply_speech(turn: Turn, body: Mapping[str, Any], *, stream: bool) -> None:
    """Make a speech model's turn an audio reply: no text, the tone (see the module docstring)."""
    if not is_speech_model(str(body.get("model", ""))):
        return
    turn.content_pieces = ()
    turn.reasoning_pieces = ()
    if stream:
        pcm = tone_pcm16()
        turn.audio_pieces = [pcm[i : i + PIECE_BYTES] for i in range(0, len(pcm), PIECE_BYTES)]
    else:
        turn.audio = speech_audio(body)
