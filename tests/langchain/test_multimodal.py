"""LangChain image/audio/video blocks (v1 and v0, URL and base64) and
OpenAI-style parts become MiMo's image_url / input_audio / video_url parts."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage

import mimo_client
from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator

TEXT = {"type": "text", "text": "What is in this?"}
B64 = "aGVsbG8="


@pytest.fixture
def omni(emulator: MiMoEmulator) -> ChatMiMo:
    return ChatMiMo(model="mimo-v2.6-flash", api_key=emulator.api_key, base_url=emulator.base_url)


CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "v1 image url",
        {"type": "image", "url": "https://example.com/cat.png"},
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
    ),
    (
        "v1 image base64",
        {"type": "image", "base64": B64, "mime_type": "image/png"},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{B64}"}},
    ),
    (
        "v0 image base64",
        {"type": "image", "source_type": "base64", "data": B64, "mime_type": "image/webp"},
        {"type": "image_url", "image_url": {"url": f"data:image/webp;base64,{B64}"}},
    ),
    (
        "v0 image url",
        {"type": "image", "source_type": "url", "url": "https://example.com/a.jpg"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.jpg"}},
    ),
    (
        "openai image_url",
        {"type": "image_url", "image_url": {"url": "https://example.com/b.jpg", "detail": "high"}},
        {"type": "image_url", "image_url": {"url": "https://example.com/b.jpg"}},
    ),
    (
        "anthropic image",
        {"type": "image", "source": {"type": "base64", "media_type": "image/gif", "data": B64}},
        {"type": "image_url", "image_url": {"url": f"data:image/gif;base64,{B64}"}},
    ),
    (
        "v1 audio url",
        {"type": "audio", "url": "https://example.com/a.wav"},
        {"type": "input_audio", "input_audio": {"data": "https://example.com/a.wav"}},
    ),
    (
        "v1 audio base64",
        {"type": "audio", "base64": B64, "mime_type": "audio/mpeg"},
        {"type": "input_audio", "input_audio": {"data": f"data:audio/mpeg;base64,{B64}"}},
    ),
    (
        "openai input_audio",
        {"type": "input_audio", "input_audio": {"data": B64, "format": "wav"}},
        {"type": "input_audio", "input_audio": {"data": f"data:audio/wav;base64,{B64}"}},
    ),
    (
        "v1 video url with options",
        {
            "type": "video",
            "url": "https://example.com/v.mp4",
            "extras": {"fps": 2, "media_resolution": "max"},
        },
        {
            "type": "video_url",
            "video_url": {"url": "https://example.com/v.mp4"},
            "fps": 2,
            "media_resolution": "max",
        },
    ),
    (
        "v1 video base64",
        {"type": "video", "base64": B64, "mime_type": "video/mp4"},
        {"type": "video_url", "video_url": {"url": f"data:video/mp4;base64,{B64}"}},
    ),
    (
        "mimo video_url",
        {"type": "video_url", "video_url": {"url": "https://example.com/w.mp4"}, "fps": 0.5},
        {"type": "video_url", "video_url": {"url": "https://example.com/w.mp4"}, "fps": 0.5},
    ),
]


@pytest.mark.parametrize(("block", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_media_block_becomes_the_service_part(
    omni: ChatMiMo, emulator: MiMoEmulator, block: dict[str, Any], expected: dict[str, Any]
):
    omni.invoke([HumanMessage(content=[TEXT, block])])  # type: ignore[list-item]
    content = emulator.last_request.body["messages"][0]["content"]
    assert content == [{"type": "text", "text": "What is in this?"}, expected]


# The parts are built by the core's media_part/audio_mime_type, the same for both adapters:
# these blocks came out differently (or not refused) when ChatMiMo built parts itself.
CORE_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "openai input_audio mp3",
        {"type": "input_audio", "input_audio": {"data": B64, "format": "mp3"}},
        {"type": "input_audio", "input_audio": {"data": f"data:audio/mpeg;base64,{B64}"}},
    ),
    (
        "openai input_audio m4a",
        {"type": "input_audio", "input_audio": {"data": B64, "format": "m4a"}},
        {"type": "input_audio", "input_audio": {"data": f"data:audio/mp4;base64,{B64}"}},
    ),
    (
        "v1 audio base64 mp3",
        {"type": "audio", "base64": B64, "mime_type": "audio/mp3"},
        {"type": "input_audio", "input_audio": {"data": f"data:audio/mpeg;base64,{B64}"}},
    ),
    (
        "anthropic image base64 without media type",
        {"type": "image", "source": {"type": "base64", "data": B64}},
        mimo_client.media_part("image", B64),
    ),
]


@pytest.mark.parametrize(
    ("block", "expected"), [c[1:] for c in CORE_CASES], ids=[c[0] for c in CORE_CASES]
)
def test_media_parts_come_from_the_core(
    omni: ChatMiMo, emulator: MiMoEmulator, block: dict[str, Any], expected: dict[str, Any]
):
    omni.invoke([HumanMessage(content=[TEXT, block])])  # type: ignore[list-item]
    assert emulator.last_request.body["messages"][0]["content"][1] == expected


@pytest.mark.parametrize(
    ("block", "match"),
    [
        ({"type": "video", "url": "https://e.x/v.mp4", "extras": {"fps": 30}}, "fps"),
        ({"type": "video_url", "video_url": {"url": "https://e.x/v.mp4"}, "fps": 0}, "fps"),
        (
            {"type": "video", "url": "https://e.x/v.mp4", "media_resolution": "high"},
            "media_resolution",
        ),
        ({"type": "image", "url": "file:///home/me/cat.png"}, "local paths"),
        ({"type": "image_url", "image_url": {"url": "file:///tmp/cat.png"}}, "local paths"),
    ],
)
def test_media_the_service_cannot_take_is_refused_before_sending(
    omni: ChatMiMo, emulator: MiMoEmulator, block: dict[str, Any], match: str
):
    with pytest.raises(ValueError, match=match):
        omni.invoke([HumanMessage(content=[TEXT, block])])  # type: ignore[list-item]
    assert emulator.chat_requests == []


def test_strings_in_content_lists_are_text_parts(omni: ChatMiMo, emulator: MiMoEmulator):
    omni.invoke([HumanMessage(content=["Look:", {"type": "image", "url": "https://e.x/1.png"}])])
    assert emulator.last_request.body["messages"][0]["content"][0] == {
        "type": "text",
        "text": "Look:",
    }


def test_media_without_text_is_refused_before_sending(omni: ChatMiMo, emulator: MiMoEmulator):
    message = HumanMessage(content=[{"type": "image", "url": "https://example.com/cat.png"}])
    with pytest.raises(ValueError, match="text part"):
        omni.invoke([message])
    assert emulator.chat_requests == []


@pytest.mark.parametrize(
    "block",
    [
        {"type": "file", "base64": B64, "mime_type": "application/pdf"},
        {"type": "image", "file_id": "file-123"},
        {"type": "image"},
        {"type": "tool_result", "tool_use_id": "x", "content": "y"},
    ],
)
def test_unsupported_blocks_raise_a_clear_error(omni: ChatMiMo, emulator: MiMoEmulator, block: Any):
    with pytest.raises(ValueError, match=r"MiMo|needs"):
        omni.invoke([HumanMessage(content=[TEXT, block])])
    assert emulator.chat_requests == []


def test_profile_reports_the_modalities(emulator: MiMoEmulator):
    omni = ChatMiMo(model="mimo-v2.6-flash", api_key="k")
    text_only = ChatMiMo(model="mimo-v2.5-tts", api_key="k")  # speech: text in
    assert omni.profile is not None and text_only.profile is not None
    assert (
        omni.profile["image_inputs"]
        and omni.profile["audio_inputs"]
        and omni.profile["video_inputs"]
    )
    assert not text_only.profile["image_inputs"]
    assert not omni.profile["pdf_inputs"]
