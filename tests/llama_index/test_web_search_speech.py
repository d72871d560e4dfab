"""MiMo (LlamaIndex): web search with citations, speech (TTS) and recognition (ASR)."""

from __future__ import annotations

import base64
import io
import wave

import pytest
from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ChatResponse,
    CitationBlock,
    TextBlock,
)

import mimo_client
from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

ASK = [ChatMessage(role="user", content="Latest news from Wuhan")]
SOURCES = [
    {
        "type": "url_citation",
        "url": f"https://news.example/{i}",
        "title": f"Headline {i}",
        "summary": f"Summary {i}",
        "site_name": "news.example",
        "publish_time": "2026-11-29 08:00:00",
        "logo_url": "https://news.example/logo.png",
    }
    for i in (1, 2)
]
SPEAK = [
    ChatMessage(role="user", content="Cheerful."),
    ChatMessage(role="assistant", content="Hello from MiMo."),
]


@pytest.fixture
def searching(emulator: MiMoEmulator) -> MiMo:
    return MiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_retries=0,
        web_search=True,
    )


@pytest.fixture
def tts(emulator: MiMoEmulator) -> MiMo:
    return MiMo(
        model="mimo-v2.5-tts",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_retries=0,
        audio={"voice": "Chloe", "format": "wav"},
    )


def _assert_cited(response: ChatResponse) -> None:
    blocks = response.message.blocks
    citations = [b for b in blocks if isinstance(b, CitationBlock)]
    assert [c.source for c in citations] == ["https://news.example/1", "https://news.example/2"]
    assert [c.title for c in citations] == ["Headline 1", "Headline 2"]
    assert citations[0].cited_content == TextBlock(text="Summary 1")
    assert response.message.content == "Two things happened."


def test_web_search_option_sends_the_tool(searching: MiMo, emulator: MiMoEmulator) -> None:
    searching.chat(ASK)
    assert emulator.chat_requests[-1].body["tools"] == [{"type": "web_search"}]
    searching.chat(ASK, web_search={"limit": 4, "user_location": {"city": "Wuhan"}})
    assert emulator.chat_requests[-1].body["tools"] == [
        {"type": "web_search", "limit": 4, "user_location": {"city": "Wuhan"}}
    ]
    with pytest.raises(ValueError, match="limit must be an integer from 1 to 50"):
        searching.chat(ASK, web_search={"limit": 0})
    assert len(emulator.chat_requests) == 2


def test_chat_has_one_citation_block_per_source(searching: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("Two things happened.").with_web_search(SOURCES))
    response = searching.chat(ASK)
    _assert_cited(response)
    assert response.raw is not None
    assert response.raw["choices"][0]["message"]["annotations"] == SOURCES
    assert response.additional_kwargs["web_search_usage"] == {"tool_usage": 1, "page_usage": 2}


async def test_achat_has_one_citation_block_per_source(
    searching: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("Two things happened.").with_web_search(SOURCES))
    _assert_cited(await searching.achat(ASK))


def test_streamed_messages_carry_the_citations(searching: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("Two things happened.", chunks=3).with_web_search(SOURCES))
    chunks = list(searching.stream_chat(ASK))
    _assert_cited(chunks[-1])
    assert chunks[0].raw is not None
    assert chunks[0].raw["choices"][0]["delta"]["annotations"] == SOURCES
    assert chunks[-1].additional_kwargs["web_search_usage"] == {"tool_usage": 1, "page_usage": 2}


async def test_astreamed_messages_carry_the_citations(
    searching: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("Two things happened.", chunks=3).with_web_search(SOURCES))
    chunks = [chunk async for chunk in await searching.astream_chat(ASK)]
    _assert_cited(chunks[-1])


def test_a_cited_answer_goes_back_in_the_history_as_text(
    searching: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("Two things happened.").with_web_search(SOURCES))
    answer = searching.chat(ASK).message
    searching.chat([*ASK, answer, ChatMessage(role="user", content="More?")])
    sent = emulator.chat_requests[-1].body["messages"][1]
    assert sent == {"role": "assistant", "content": "Two things happened."}


def test_a_search_error_warns_and_reaches_the_kwargs(
    searching: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.text("Without search.").with_web_search(error_message="search backend down"),
        Reply.text("Without search.").with_web_search(error_message="search backend down"),
    )
    with pytest.warns(UserWarning, match="web search failed: search backend down"):
        response = searching.chat(ASK)
    assert response.additional_kwargs["error_message"] == "search backend down"
    with pytest.warns(UserWarning, match="search backend down"):
        chunks = list(searching.stream_chat(ASK))
    assert any(c.additional_kwargs.get("error_message") for c in chunks)


def test_409_raises_the_typed_error(emulator: MiMoEmulator) -> None:
    emulator.web_search_quota = 0
    llm = MiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_retries=2,
        web_search=True,
    )
    with pytest.raises(mimo_client.WebSearchUnavailableError, match="Web Search plugin"):
        llm.chat(ASK)
    assert len(emulator.chat_requests) == 1
    with pytest.raises(mimo_client.WebSearchUnavailableError):
        list(llm.stream_chat(ASK))


def test_a_function_shaped_web_search_call_is_an_ordinary_tool_call(
    searching: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.tool_calls(("web_search", {"query": "Wuhan news"})))
    response = searching.chat(ASK)
    (selection,) = searching.get_tool_calls_from_response(response)
    assert selection.tool_name == "web_search"
    assert selection.tool_kwargs == {"query": "Wuhan news"}


def _wav_frames(data: bytes) -> int:
    with wave.open(io.BytesIO(data)) as clip:
        return clip.getnframes()


def _audio_of(response: ChatResponse) -> AudioBlock:
    (block,) = [b for b in response.message.blocks if isinstance(b, AudioBlock)]
    return block


def test_tts_chat_returns_an_audio_block(tts: MiMo, emulator: MiMoEmulator) -> None:
    block = _audio_of(tts.chat(SPEAK))
    assert block.format == "wav"
    assert _wav_frames(block.resolve_audio().read()) == 6000
    body = emulator.chat_requests[-1].body
    assert body["audio"] == {"voice": "Chloe", "format": "wav"}
    assert "thinking" not in body


async def test_tts_achat_returns_an_audio_block(tts: MiMo) -> None:
    block = _audio_of(await tts.achat(SPEAK))
    assert _wav_frames(block.resolve_audio().read()) == 6000


def test_tts_stream_ends_with_the_whole_clip(tts: MiMo) -> None:
    chunks = list(tts.stream_chat(SPEAK))
    block = _audio_of(chunks[-1])
    assert block.format == "pcm"
    assert len(block.resolve_audio().read()) == 12000


async def test_tts_astream_ends_with_the_whole_clip(tts: MiMo) -> None:
    chunks = [chunk async for chunk in await tts.astream_chat(SPEAK)]
    assert len(_audio_of(chunks[-1]).resolve_audio().read()) == 12000


def test_tts_pcm16_and_a_voiceclone_sample(emulator: MiMoEmulator) -> None:
    sample = mimo_client.pcm16_to_wav(b"\x01\x00" * 100)
    clone = MiMo(
        model="mimo-v2.5-tts-voiceclone",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        audio={"voice": sample, "format": "pcm16"},
    )
    block = _audio_of(clone.chat(SPEAK))
    assert block.format == "pcm" and len(block.resolve_audio().read()) == 12000
    voice = emulator.chat_requests[-1].body["audio"]["voice"]
    assert voice == "data:audio/wav;base64," + base64.b64encode(sample).decode()


def test_voicedesign_without_a_user_message_fails_before_sending(
    emulator: MiMoEmulator,
) -> None:
    design = MiMo(
        model="mimo-v2.5-tts-voicedesign", api_key=emulator.api_key, base_url=emulator.base_url
    )
    with pytest.raises(ValueError, match="needs a user message describing the voice"):
        design.chat(SPEAK[1:])
    assert emulator.chat_requests == []


def test_asr_returns_the_transcript_as_text(emulator: MiMoEmulator) -> None:
    asr = MiMo(model="mimo-v2.5-asr", api_key=emulator.api_key, base_url=emulator.base_url)
    emulator.script(Reply.text("hello world"))
    clip = mimo_client.pcm16_to_wav(b"\x00\x00" * 100)
    message = ChatMessage(
        role="user", blocks=[AudioBlock(audio=clip, format="wav"), TextBlock(text="Transcribe.")]
    )
    response = asr.chat([message], asr_options={"language": "zh"})
    assert response.message.content == "hello world"
    body = emulator.chat_requests[-1].body
    assert body["asr_options"] == {"language": "zh"}
    assert body["messages"][0]["content"][0]["type"] == "input_audio"
