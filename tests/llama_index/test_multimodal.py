"""ImageBlock, AudioBlock and VideoBlock (URL, path or bytes) become MiMo's parts."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    DocumentBlock,
    ImageBlock,
    TextBlock,
    VideoBlock,
)

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
WAV = (
    b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00@\x1f\x00\x00"
    b"\x80>\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
)


@pytest.fixture
def omni(emulator: MiMoEmulator) -> MiMo:
    return MiMo(model="mimo-v2.6-flash", api_key=emulator.api_key, base_url=emulator.base_url)


def _parts(last_body) -> list[dict]:
    content = last_body()["messages"][-1]["content"]
    assert isinstance(content, list)
    return content


def _ask(llm: MiMo, *blocks) -> None:
    llm.chat([ChatMessage(role="user", blocks=[*blocks, TextBlock(text="Describe it.")])])


def test_image_url_is_passed_through(omni: MiMo, last_body) -> None:
    _ask(omni, ImageBlock(url="https://example.com/cat.png"))
    assert _parts(last_body) == [
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "text", "text": "Describe it."},
    ]


def test_image_bytes_become_a_data_url(omni: MiMo, last_body) -> None:
    _ask(omni, ImageBlock(image=PNG))
    url = _parts(last_body)[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == PNG


def test_image_path_becomes_a_data_url(omni: MiMo, last_body, tmp_path: Path) -> None:
    path = tmp_path / "dot.png"
    path.write_bytes(PNG)
    _ask(omni, ImageBlock(path=path))
    url = _parts(last_body)[0]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == PNG


def test_audio_url_and_bytes_become_input_audio(omni: MiMo, last_body) -> None:
    _ask(omni, AudioBlock(url="https://example.com/a.wav"), AudioBlock(audio=WAV, format="wav"))
    remote, inline = _parts(last_body)[:2]
    assert remote == {"type": "input_audio", "input_audio": {"data": "https://example.com/a.wav"}}
    data = inline["input_audio"]["data"]
    assert data.startswith("data:audio/wav;base64,")
    assert base64.b64decode(data.split(",", 1)[1]) == WAV


def test_video_fps_and_resolution_sit_beside_video_url(omni: MiMo, last_body) -> None:
    _ask(omni, VideoBlock(url="https://example.com/clip.mp4", fps=2, detail="max"))
    assert _parts(last_body)[0] == {
        "type": "video_url",
        "video_url": {"url": "https://example.com/clip.mp4"},
        "fps": 2,
        "media_resolution": "max",
    }


def test_video_bytes_become_a_data_url(omni: MiMo, last_body) -> None:
    _ask(omni, VideoBlock(video=b"\x00\x00\x00\x18ftypmp42fake-video", video_mimetype="video/mp4"))
    part = _parts(last_body)[0]
    assert part["video_url"]["url"].startswith("data:video/mp4;base64,")
    assert "fps" not in part


def test_text_only_user_message_is_sent_as_a_string(omni: MiMo, last_body) -> None:
    omni.chat([ChatMessage(role="user", blocks=[TextBlock(text="a"), TextBlock(text="b")])])
    assert last_body()["messages"][-1]["content"] == "a\nb"


def test_image_without_text_fails_before_sending(omni: MiMo, emulator: MiMoEmulator) -> None:
    with pytest.raises(ValueError, match="text part"):
        omni.chat([ChatMessage(role="user", blocks=[ImageBlock(url="https://example.com/x.png")])])
    assert emulator.chat_requests == []


def test_document_block_is_refused_with_a_clear_message(omni: MiMo) -> None:
    block = DocumentBlock(data=b"%PDF-1.4 fake", document_mimetype="application/pdf")
    with pytest.raises(ValueError, match="'document' block"):
        _ask(omni, block)


def test_media_for_a_text_only_model_fails_before_sending(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    speech = llm.model_copy(update={"model": "mimo-v2.5-tts"})  # text only, per the model table
    styled = ChatMessage(
        role="user",
        blocks=[ImageBlock(url="https://example.com/cat.png"), TextBlock(text="Speak like this")],
    )
    spoken = ChatMessage(role="assistant", content="Hello")  # a valid speech request otherwise
    with pytest.raises(ValueError, match=r"mimo-v2\.6-flash"):
        speech.chat([styled, spoken])
    assert emulator.chat_requests == []


def test_file_urls_are_read_and_sent_as_base64(omni: MiMo, last_body, tmp_path: Path) -> None:
    # The service cannot open the caller's files: a file:// URL is read, never sent.
    image, audio, video = tmp_path / "dot.png", tmp_path / "a.mp3", tmp_path / "clip.mp4"
    image.write_bytes(PNG)
    audio.write_bytes(b"ID3fake-mp3")
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42fake-video")
    _ask(
        omni,
        ImageBlock(url=image.as_uri()),
        AudioBlock(url=audio.as_uri()),
        VideoBlock(url=video.as_uri(), fps=2),
    )
    image_part, audio_part, video_part = _parts(last_body)[:3]
    sent = [
        image_part["image_url"]["url"],
        audio_part["input_audio"]["data"],
        video_part["video_url"]["url"],
    ]
    assert [url.split(";base64,")[0] for url in sent] == [
        "data:image/png",
        "data:audio/mpeg",
        "data:video/mp4",
    ]
    decoded = [base64.b64decode(url.split(",", 1)[1]) for url in sent]
    assert decoded == [image.read_bytes(), audio.read_bytes(), video.read_bytes()]
    assert video_part["fps"] == 2
    assert "file:" not in str(last_body())


def test_a_missing_file_url_fails_before_sending(
    omni: MiMo, emulator: MiMoEmulator, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        _ask(omni, ImageBlock(url=(tmp_path / "gone.png").as_uri()))
    assert emulator.chat_requests == []


@pytest.mark.parametrize(
    ("settings", "message"),
    [({"fps": 30}, "fps must be between"), ({"detail": "high"}, "media_resolution")],
)
def test_video_options_out_of_range_fail_before_sending(
    omni: MiMo, emulator: MiMoEmulator, settings: dict, message: str
) -> None:
    # the core's checks: fps 0.1..10, media_resolution "default" or "max"
    with pytest.raises(ValueError, match=message):
        _ask(omni, VideoBlock(url="https://example.com/clip.mp4", **settings))
    assert emulator.chat_requests == []
