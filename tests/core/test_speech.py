"""Speech models in the core: what a speech request sends, refuses and returns."""

from __future__ import annotations

import base64
import io
import wave
from pathlib import Path
from typing import Any

import pytest

from mimo_client import StreamAccumulator, build_request, write_wav
from mimo_client.integration import build_request_from
from mimo_client.speech import (
    MAX_VOICE_SAMPLE_BASE64,
    audio_format_of,
    is_speech_model,
    pcm16_to_wav,
    voice_sample_uri,
)

SPEAK = [
    {"role": "user", "content": "Cheerful, a little fast."},
    {"role": "assistant", "content": "Hello from MiMo."},
]
WAV = pcm16_to_wav(b"\x01\x00" * 240)


def test_speech_models_are_told_by_their_id() -> None:
    assert is_speech_model("mimo-v2.5-tts")
    assert is_speech_model("mimo-v2.5-tts-voiceclone")
    assert not is_speech_model("mimo-v2.5")
    assert not is_speech_model("mimo-v2.5-asr")


def test_a_speech_request_sends_audio_and_the_messages_only() -> None:
    request = build_request(SPEAK, model="mimo-v2.5-tts", audio={"voice": "Chloe", "format": "wav"})
    assert request == {
        "model": "mimo-v2.5-tts",
        "audio": {"voice": "Chloe", "format": "wav"},
        "messages": SPEAK,
    }


def test_options_speech_models_reject_are_left_out_with_a_warning() -> None:
    options: dict[str, Any] = {
        "model": "mimo-v2.5-tts",
        "thinking": True,
        "tools": [{"type": "function", "function": {"name": "f"}}],
        "tool_choice": "auto",
        "response_format": {"type": "json_object"},
        "stop": ["x"],
        "web_search": True,
        "audio": {"voice": "Mia"},
    }
    with pytest.warns(
        UserWarning, match="speech model, which rejects thinking, tools, tool_choice"
    ):
        request = build_request_from(SPEAK, options)
    for name in ("thinking", "tools", "tool_choice", "response_format", "stop"):
        assert name not in request
    assert request["audio"] == {"voice": "Mia"}


def test_unset_options_leave_no_warning(recwarn: pytest.WarningsRecorder) -> None:
    build_request_from(SPEAK, {"model": "mimo-v2.5-tts", "thinking": None, "stop": None})
    assert not [w for w in recwarn if "speech model" in str(w.message)]


def test_a_speech_request_without_an_assistant_message_fails_before_sending() -> None:
    with pytest.raises(ValueError, match="speaks the text of the last assistant message"):
        build_request([{"role": "user", "content": "Say hi"}], model="mimo-v2.5-tts")


def test_voicedesign_needs_a_user_message_and_takes_no_voice() -> None:
    with pytest.raises(ValueError, match="needs a user message describing the voice"):
        build_request([SPEAK[1]], model="mimo-v2.5-tts-voicedesign")
    with pytest.raises(ValueError, match="takes no audio voice"):
        build_request(SPEAK, model="mimo-v2.5-tts-voicedesign", audio={"voice": "Chloe"})
    request = build_request(
        SPEAK, model="mimo-v2.5-tts-voicedesign", audio={"optimize_text_preview": True}
    )
    assert request["audio"] == {"optimize_text_preview": True}


def test_voiceclone_without_a_sample_fails_before_sending() -> None:
    with pytest.raises(ValueError, match="clones the voice of a sample"):
        build_request(SPEAK, model="mimo-v2.5-tts-voiceclone", audio={"format": "wav"})


def test_a_voice_sample_given_as_bytes_or_a_path_is_sent_as_a_data_uri(tmp_path: Path) -> None:
    expected = "data:audio/wav;base64," + base64.b64encode(WAV).decode()
    request = build_request(SPEAK, model="mimo-v2.5-tts-voiceclone", audio={"voice": WAV})
    assert request["audio"]["voice"] == expected
    sample = tmp_path / "me.wav"
    sample.write_bytes(WAV)
    assert voice_sample_uri(sample) == expected
    assert voice_sample_uri(str(sample)) == expected
    mp3 = b"ID3\x03\x00" + bytes(20)
    assert voice_sample_uri(mp3).startswith("data:audio/mpeg;base64,")
    assert voice_sample_uri(expected) == expected


def test_a_voice_sample_that_is_not_audio_or_too_big_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="neither WAV nor MP3"):
        voice_sample_uri(b"plain text")
    with pytest.raises(ValueError, match="is not a file"):
        voice_sample_uri(tmp_path / "missing.wav")
    big = "data:audio/wav;base64," + "A" * (MAX_VOICE_SAMPLE_BASE64 + 4)
    with pytest.raises(ValueError, match="at most 10,485,760"):
        voice_sample_uri(big)


def test_format_and_max_tokens_are_checked() -> None:
    with pytest.raises(ValueError, match="audio format 'ogg' is not offered"):
        build_request(SPEAK, model="mimo-v2.5-tts", audio={"format": "ogg"})
    with pytest.raises(ValueError, match="above what speech models take"):
        build_request(SPEAK, model="mimo-v2.5-tts", max_tokens=9000)


def test_audio_on_a_chat_model_fails_naming_the_speech_models() -> None:
    with pytest.raises(ValueError, match="audio is for MiMo's speech models"):
        build_request(SPEAK, model="mimo-v2.6-flash", audio={"voice": "Chloe"})


def test_asr_options_are_sent_as_given() -> None:
    part = {"type": "input_audio", "input_audio": {"data": "data:audio/wav;base64,AAAA"}}
    messages = [{"role": "user", "content": [part, {"type": "text", "text": "Transcribe."}]}]
    request = build_request(messages, model="mimo-v2.5-asr", asr_options={"language": "en"})
    assert request["asr_options"] == {"language": "en"}
    with pytest.raises(ValueError, match="asr_options must be a dict"):
        build_request(messages, model="mimo-v2.5-asr", asr_options="en")  # type: ignore[arg-type]


def test_streamed_audio_pieces_join_into_one_clip() -> None:
    accumulator = StreamAccumulator()
    pieces = [b"\x01\x02" * 5, b"\x03\x04" * 7, b"\x05\x06"]
    for i, piece in enumerate(pieces):
        audio: dict[str, Any] = {"data": base64.b64encode(piece).decode()}
        if i == 0:
            audio["id"] = "audio-1"
        delta = accumulator.add(
            {"id": "c", "choices": [{"index": 0, "delta": {"audio": audio}, "finish_reason": None}]}
        )
        assert delta.audio == piece
    turn = accumulator.turn()
    assert turn.audio is not None
    assert turn.audio["id"] == "audio-1"
    assert base64.b64decode(turn.audio["data"]) == b"".join(pieces)


def test_write_wav_wraps_pcm16_24khz_mono(tmp_path: Path) -> None:
    pcm = b"\x10\x00\xf0\xff" * 1200
    path = write_wav(tmp_path / "clip.wav", pcm)
    with wave.open(io.BytesIO(path.read_bytes())) as clip:
        assert (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) == (1, 2, 24_000)
        assert clip.readframes(clip.getnframes()) == pcm
    assert audio_format_of(path.read_bytes()) == "wav"
    assert audio_format_of(pcm) == "pcm"
