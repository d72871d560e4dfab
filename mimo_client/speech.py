"""MiMo's speech models (``mimo-v2.5-tts*``) through chat completions: the rules, once.

A speech request speaks the text of the last **assistant** message; user messages are optional
style instructions (required by ``-voicedesign``). ``audio = {"format": "wav"|"mp3"|"pcm"|
"pcm16", "voice": ...}`` picks the output: built-in voice ids for ``mimo-v2.5-tts``, no voice for
``-voicedesign``, a voice sample (a ``data:audio/...;base64,`` URI, at most 10 MB of base64) for
``-voiceclone``. Speech models reject ``thinking``, ``tools``, ``tool_choice``,
``response_format`` and ``stop``, so :func:`speech_request_rules` leaves them out (with a warning
when the caller set them). The reply's ``message.audio.data`` is base64 in the requested format;
streamed, ``delta.audio.data`` pieces are base64 PCM16LE, 24 kHz mono, which join into one clip
(:func:`write_wav` wraps such PCM in a WAV file).

Which ids are speech models: the model table says for the ids it knows; an id it does not
know is one when it contains ``-tts`` (:func:`is_speech_model`), so newer ids work unseen.
"""

from __future__ import annotations

import base64
import io
import os
import warnings
import wave
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from .models import KNOWN_MODELS

__all__ = [
    "MAX_SPEECH_TOKENS",
    "MAX_VOICE_SAMPLE_BASE64",
    "NOT_SENT_TO_SPEECH",
    "PCM_CHANNELS",
    "PCM_SAMPLE_RATE",
    "SPEECH_FORMATS",
    "SpeechKind",
    "audio_bytes",
    "audio_format_of",
    "is_speech_model",
    "pcm16_to_wav",
    "speech_kind",
    "speech_mime_type",
    "speech_request_rules",
    "streamed_speech_mime_type",
    "voice_sample_uri",
    "write_wav",
]

SpeechKind = Literal["builtin", "voicedesign", "voiceclone"]

#: Output formats the service documents for ``audio.format``.
SPEECH_FORMATS = frozenset({"wav", "mp3", "pcm", "pcm16"})
_MIME = {"wav": "audio/wav", "mp3": "audio/mpeg", "pcm": "audio/pcm", "pcm16": "audio/pcm"}
#: Request options speech models reject (``web_search`` and ``reasoning_effort`` go with
#: ``tools`` and ``thinking``: a speech model neither searches nor reasons).
NOT_SENT_TO_SPEECH = (
    "thinking",
    "reasoning_effort",
    "tools",
    "tool_choice",
    "web_search",
    "response_format",
    "stop",
)
MAX_SPEECH_TOKENS = 8192
#: The voice sample of ``-voiceclone``: at most 10 MB once base64-encoded.
MAX_VOICE_SAMPLE_BASE64 = 10 * 1024 * 1024
PCM_SAMPLE_RATE = 24_000
PCM_CHANNELS = 1


def is_speech_model(model: str) -> bool:
    """Whether ``model`` is a MiMo speech (TTS) model.

    A known id is answered by the model table (its ``kind``); an id the table does not know
    is taken for a speech model when it contains ``-tts``, as every speech id so far does.
    """
    info = KNOWN_MODELS.get(model)
    if info is not None:
        return info.kind == "speech"
    return "-tts" in model.lower()


def speech_kind(model: str) -> SpeechKind:
    """``voicedesign``, ``voiceclone`` or ``builtin`` (built-in voices) for a speech model id."""
    lowered = model.lower()
    if "voicedesign" in lowered:
        return "voicedesign"
    if "voiceclone" in lowered:
        return "voiceclone"
    return "builtin"


def speech_mime_type(audio_format: str | None) -> str:
    """The MIME type of a reply in ``audio_format`` (``wav`` when the request named none)."""
    return _MIME.get((audio_format or "wav").lower(), f"audio/{audio_format}")


def streamed_speech_mime_type() -> str:
    """The MIME type of streamed speech: raw PCM16LE, 24 kHz mono, whatever format was asked."""
    return _MIME["pcm16"]


def _sniff_mime(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    return None


def audio_format_of(data: bytes) -> str:
    """The format of a speech reply's bytes: ``wav``, ``mp3``, else raw ``pcm`` (PCM16LE)."""
    mime = _sniff_mime(data)
    return {"audio/wav": "wav", "audio/mpeg": "mp3"}.get(mime or "", "pcm")


def voice_sample_uri(sample: bytes | str | os.PathLike[str]) -> str:
    """The ``voice`` of a ``-voiceclone`` request: a ``data:audio/...;base64,`` URI.

    ``sample`` is the audio's bytes, a path to an mp3/wav file, or already a data URI. The
    base64 must stay within 10 MB (the service's limit).
    """
    if isinstance(sample, str) and sample.startswith("data:"):
        if not sample.startswith(("data:audio/mpeg;base64,", "data:audio/wav;base64,")):
            raise ValueError(
                "a voice sample data URI must be data:audio/mpeg;base64,... or "
                f"data:audio/wav;base64,..., got {sample[:40]!r}"
            )
        encoded = sample.split(",", 1)[1]
        mime = sample[5 : sample.index(";")]
    else:
        if isinstance(sample, bytes | bytearray):
            data = bytes(sample)
            where = "the voice sample bytes"
        else:
            path = Path(sample)
            if not path.is_file():
                raise ValueError(
                    f"voice sample {str(sample)[:80]!r} is not a file; give the sample's bytes, "
                    "a path to an mp3 or wav file, or a data:audio/...;base64, URI"
                )
            data = path.read_bytes()
            where = str(path)
        sniffed = _sniff_mime(data)
        if sniffed is None:
            raise ValueError(
                f"{where} is neither WAV nor MP3 audio; MiMo's voice cloning takes an mp3 or "
                "wav sample"
            )
        mime = sniffed
        encoded = base64.b64encode(data).decode("ascii")
    if len(encoded) > MAX_VOICE_SAMPLE_BASE64:
        raise ValueError(
            f"the voice sample is {len(encoded):,} characters of base64; MiMo takes at most "
            f"{MAX_VOICE_SAMPLE_BASE64:,} (10 MB): use a shorter or lower-bitrate sample"
        )
    return f"data:{mime};base64,{encoded}"


def _speech_audio(audio: Mapping[str, Any] | None, kind: SpeechKind, model: str) -> dict[str, Any]:
    if audio is None:
        audio = {}
    if not isinstance(audio, Mapping):
        raise TypeError(
            f"audio must be a dict such as {{'voice': 'Chloe', 'format': 'wav'}}, got {audio!r}"
        )
    out = {k: v for k, v in audio.items() if v is not None}
    fmt = out.get("format")
    if fmt is not None and fmt not in SPEECH_FORMATS:
        raise ValueError(
            f"audio format {fmt!r} is not offered; use one of {sorted(SPEECH_FORMATS)}"
        )
    voice = out.get("voice")
    if kind == "voicedesign" and voice is not None:
        raise ValueError(
            f"{model} designs the voice from the user message's description and takes no "
            "audio voice: remove 'voice' and describe the voice in a user message"
        )
    if kind == "voiceclone":
        if voice is None:
            raise ValueError(
                f"{model} clones the voice of a sample: set audio={{'voice': <the sample's "
                "bytes, a path to an mp3/wav file, or a data:audio/...;base64, URI>}"
            )
        out["voice"] = voice_sample_uri(voice)
    elif voice is not None and not isinstance(voice, str):
        raise ValueError(f"audio voice must be a voice id string for {model}, got {voice!r}")
    return out


def _check_messages(messages: Sequence[Mapping[str, Any]], kind: SpeechKind, model: str) -> None:
    roles = [m.get("role") for m in messages]
    if "assistant" not in roles:
        raise ValueError(
            f"{model} speaks the text of the last assistant message, and there is none: put "
            "the text to speak in an assistant message (user messages are style instructions)"
        )
    if kind == "voicedesign" and "user" not in roles:
        raise ValueError(
            f"{model} needs a user message describing the voice to design (e.g. 'A warm, "
            "slow female voice'), beside the assistant message to speak"
        )


def speech_request_rules(
    model: str,
    messages: Sequence[Mapping[str, Any]],
    options: Mapping[str, Any],
) -> dict[str, Any]:
    """``options`` as a speech model takes them; raises ``ValueError`` for what it refuses.

    Options speech models reject (:data:`NOT_SENT_TO_SPEECH`) are left out, with a warning for
    each one that was set; ``audio`` is checked (format, voice per model kind, a voice sample
    sent as a data URI) and ``max_tokens`` must be 1..8192. ``messages`` must hold an
    assistant message (the text to speak), and for ``-voicedesign`` a user message.
    """
    kind = speech_kind(model)
    _check_messages(messages, kind, model)
    kept = dict(options)
    dropped = []
    for name in NOT_SENT_TO_SPEECH:
        value = kept.pop(name, None)
        if value is not None and value is not False and value != []:
            dropped.append(name)
    if dropped:
        warnings.warn(
            f"{model} is a speech model, which rejects {', '.join(dropped)}: not sent",
            stacklevel=4,
        )
    max_tokens = kept.get("max_tokens")
    if isinstance(max_tokens, int) and max_tokens > MAX_SPEECH_TOKENS:
        raise ValueError(
            f"max_tokens {max_tokens} is above what speech models take ({MAX_SPEECH_TOKENS})"
        )
    kept["audio"] = _speech_audio(kept.get("audio"), kind, model)
    if not kept["audio"]:
        del kept["audio"]
    return kept


def audio_bytes(audio: Mapping[str, Any] | None) -> bytes:
    """The decoded ``data`` of a reply's ``audio`` object (empty when there is none)."""
    if not audio or not audio.get("data"):
        return b""
    return base64.b64decode(str(audio["data"]))


def pcm16_to_wav(
    pcm: bytes, *, sample_rate: int = PCM_SAMPLE_RATE, channels: int = PCM_CHANNELS
) -> bytes:
    """PCM16LE samples (a streamed clip) as the bytes of a WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(pcm)
    return buffer.getvalue()


def write_wav(
    path: str | os.PathLike[str],
    pcm: bytes,
    *,
    sample_rate: int = PCM_SAMPLE_RATE,
    channels: int = PCM_CHANNELS,
) -> Path:
    """Write PCM16LE samples (24 kHz mono by default, as MiMo streams them) as a WAV file."""
    target = Path(path)
    target.write_bytes(pcm16_to_wav(pcm, sample_rate=sample_rate, channels=channels))
    return target
