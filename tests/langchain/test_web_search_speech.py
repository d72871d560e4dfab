"""ChatMiMo: web search with citations, speech (TTS) and recognition (ASR), against the emulator."""

from __future__ import annotations

import base64
import io
import wave

import pytest
from langchain_core.exceptions import ModelPermissionDeniedError
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage

import mimo_client
from langchain_mimo import ChatMiMo, MiMoWebSearchUnavailableError
from mimo_client.testing import MiMoEmulator, Reply

QUESTION = "Latest news from Wuhan"
SOURCES = [
    {
        "type": "url_citation",
        "url": f"https://news.example/{i}",
        "title": f"Headline {i}",
        "summary": f"Summary {i}",
        "site_name": "news.example",
        "publish_time": f"2026-11-2{i} 08:00:00",
        "logo_url": "https://news.example/logo.png",
    }
    for i in (1, 2)
]
SPEAK: list[BaseMessage] = [HumanMessage("Cheerful."), AIMessage("Hello from MiMo.")]


@pytest.fixture
def searching(emulator: MiMoEmulator) -> ChatMiMo:
    return ChatMiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_retries=0,
        web_search=True,
    )


@pytest.fixture
def tts(emulator: MiMoEmulator) -> ChatMiMo:
    return ChatMiMo(
        model="mimo-v2.5-tts",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_retries=0,
        audio={"voice": "Chloe", "format": "wav"},
    )


def _summed(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk
    return full


def _assert_cited(message: BaseMessage) -> None:
    texts = [b for b in message.content_blocks if b["type"] == "text"]
    assert len(texts) == 1 and texts[0]["text"]
    citations = texts[0].get("annotations", [])
    assert [c["type"] for c in citations] == ["citation", "citation"]
    first = citations[0]
    assert first["url"] == "https://news.example/1"
    assert first["title"] == "Headline 1"
    assert first["cited_text"] == "Summary 1"
    assert first["extras"] == {
        "site_name": "news.example",
        "publish_time": "2026-11-21 08:00:00",
        "logo_url": "https://news.example/logo.png",
    }
    assert message.response_metadata["annotations"] == SOURCES
    assert "annotations" not in message.additional_kwargs  # one place, invoked or streamed
    assert message.response_metadata["web_search_usage"] == {"tool_usage": 1, "page_usage": 2}


def test_web_search_true_sends_the_tool(searching: ChatMiMo, emulator: MiMoEmulator) -> None:
    searching.invoke(QUESTION)
    assert emulator.chat_requests[-1].body["tools"] == [{"type": "web_search"}]
    searching.invoke(QUESTION, web_search={"force_search": True, "limit": 2})
    assert emulator.chat_requests[-1].body["tools"] == [
        {"type": "web_search", "force_search": True, "limit": 2}
    ]
    searching.invoke(QUESTION, web_search=False)
    assert "tools" not in emulator.chat_requests[-1].body


def test_bad_web_search_fields_fail_before_sending(
    searching: ChatMiMo, emulator: MiMoEmulator
) -> None:
    with pytest.raises(ValueError, match="max_keyword must be an integer from 1 to 50"):
        searching.invoke(QUESTION, web_search={"max_keyword": 80})
    assert emulator.chat_requests == []


def test_bind_tools_sends_a_web_search_dict_as_given(
    model: ChatMiMo, emulator: MiMoEmulator
) -> None:
    def lookup(term: str) -> str:
        """Look a term up."""
        return term

    tool = {"type": "web_search", "force_search": False, "limit": 3}
    model.bind_tools([lookup, tool]).invoke(QUESTION, thinking=False)
    tools = emulator.chat_requests[-1].body["tools"]
    assert tools[0]["function"]["name"] == "lookup"
    assert tools[1] == tool


def test_invoke_carries_one_citation_per_source(
    searching: ChatMiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("Two things happened.").with_web_search(SOURCES))
    _assert_cited(searching.invoke(QUESTION))


async def test_ainvoke_carries_one_citation_per_source(
    searching: ChatMiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("Two things happened.").with_web_search(SOURCES))
    _assert_cited(await searching.ainvoke(QUESTION))


def test_streamed_sources_add_up_once(searching: ChatMiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("Two things happened.", chunks=4).with_web_search(SOURCES))
    chunks = list(searching.stream(QUESTION))
    carrying = [c for c in chunks if "annotations" in c.response_metadata]
    assert len(carrying) == 1 and carrying[0] is chunks[0]  # the early packet
    full = _summed(chunks)
    assert full.text == "Two things happened."
    _assert_cited(full)


async def test_astreamed_sources_add_up_once(searching: ChatMiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("Two things happened.", chunks=3).with_web_search(SOURCES))
    chunks = [chunk async for chunk in searching.astream(QUESTION)]
    _assert_cited(_summed(chunks))


def test_v1_output_keeps_the_citations(emulator: MiMoEmulator) -> None:
    v1 = ChatMiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        web_search=True,
        output_version="v1",
    )
    emulator.script(Reply.text("Two things happened.").with_web_search(SOURCES))
    message = v1.invoke(QUESTION)
    _assert_cited(message)
    assert isinstance(message.content, list)  # v1: the blocks are the content


def test_a_search_error_warns_and_reaches_the_metadata(
    searching: ChatMiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.text("Without search.").with_web_search(error_message="search backend down"),
        Reply.text("Without search.").with_web_search(error_message="search backend down"),
    )
    with pytest.warns(UserWarning, match="web search failed: search backend down"):
        message = searching.invoke(QUESTION)
    assert message.response_metadata["error_message"] == "search backend down"
    with pytest.warns(UserWarning, match="search backend down"):
        full = _summed(list(searching.stream(QUESTION)))
    assert full.response_metadata["error_message"] == "search backend down"


def test_409_raises_the_typed_error_without_retrying(emulator: MiMoEmulator) -> None:
    emulator.web_search_quota = 0
    model = ChatMiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        max_retries=2,
        web_search=True,
    )
    with pytest.raises(MiMoWebSearchUnavailableError) as caught:
        model.invoke(QUESTION)
    assert isinstance(caught.value, mimo_client.WebSearchUnavailableError)
    assert isinstance(caught.value, ModelPermissionDeniedError)
    assert "enable the Web Search plugin" in str(caught.value)
    assert len(emulator.chat_requests) == 1
    with pytest.raises(MiMoWebSearchUnavailableError):
        list(model.stream(QUESTION))


def test_a_function_shaped_web_search_call_is_an_ordinary_tool_call(
    searching: ChatMiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.tool_calls(("web_search", {"query": "Wuhan news"})))
    message = searching.invoke(QUESTION)
    assert isinstance(message, AIMessage)
    assert message.tool_calls[0]["name"] == "web_search"
    assert message.tool_calls[0]["args"] == {"query": "Wuhan news"}


def _frames(wav_bytes: bytes) -> int:
    with wave.open(io.BytesIO(wav_bytes)) as clip:
        return clip.getnframes()


def _assert_wav_reply(message: BaseMessage) -> None:
    (block,) = message.content_blocks
    assert block["type"] == "audio" and block["mime_type"] == "audio/wav"
    assert _frames(base64.b64decode(block["base64"])) == 6000
    assert message.additional_kwargs["audio"]["data"] == block["base64"]


def test_tts_invoke_returns_an_audio_block(tts: ChatMiMo, emulator: MiMoEmulator) -> None:
    _assert_wav_reply(tts.invoke(SPEAK))
    body = emulator.chat_requests[-1].body
    assert body["audio"] == {"voice": "Chloe", "format": "wav"}
    assert body["messages"][-1] == {"role": "assistant", "content": "Hello from MiMo."}
    assert "thinking" not in body and "tools" not in body


async def test_tts_ainvoke_returns_an_audio_block(tts: ChatMiMo) -> None:
    _assert_wav_reply(await tts.ainvoke(SPEAK))


def _assert_streamed_clip(chunks: list[AIMessageChunk]) -> None:
    audio_chunks = [c for c in chunks if any(b["type"] == "audio" for b in c.content_blocks)]
    assert len(audio_chunks) >= 5
    full = _summed(chunks)
    (block,) = full.content_blocks
    assert block["type"] == "audio" and block["mime_type"] == "audio/pcm"
    pcm = base64.b64decode(block["base64"])
    assert len(pcm) == 12000
    assert base64.b64decode(full.additional_kwargs["audio"]["data"]) == pcm
    assert _frames(mimo_client.pcm16_to_wav(pcm)) == 6000


def test_tts_stream_pieces_join_into_the_whole_clip(tts: ChatMiMo) -> None:
    _assert_streamed_clip(list(tts.stream(SPEAK)))


async def test_tts_astream_pieces_join_into_the_whole_clip(tts: ChatMiMo) -> None:
    _assert_streamed_clip([chunk async for chunk in tts.astream(SPEAK)])


def test_tts_leaves_out_what_speech_models_reject(
    emulator: MiMoEmulator, recwarn: pytest.WarningsRecorder
) -> None:
    model = ChatMiMo(
        model="mimo-v2.5-tts",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        thinking=True,
        stop=["."],
    )
    message = model.invoke(SPEAK)
    assert message.content_blocks[0]["type"] == "audio"
    body = emulator.chat_requests[-1].body
    assert "thinking" not in body and "stop" not in body
    assert any("speech model, which rejects thinking, stop" in str(w.message) for w in recwarn)


def test_tts_without_the_text_to_speak_fails_before_sending(
    tts: ChatMiMo, emulator: MiMoEmulator
) -> None:
    with pytest.raises(ValueError, match="speaks the text of the last assistant message"):
        tts.invoke([HumanMessage("Say hello")])
    voiceclone = tts.model_copy(update={"model_name": "mimo-v2.5-tts-voiceclone"})
    with pytest.raises(ValueError, match="clones the voice of a sample"):
        voiceclone.invoke(SPEAK, audio={"format": "wav"})
    assert emulator.chat_requests == []


def test_asr_returns_the_transcript_as_text(emulator: MiMoEmulator) -> None:
    asr = ChatMiMo(
        model="mimo-v2.5-asr",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        asr_options={"language": "en"},
    )
    emulator.script(Reply.text("hello world"), Reply.text("hello world", chunks=2))
    clip = base64.b64encode(mimo_client.pcm16_to_wav(b"\x00\x00" * 100)).decode()
    message = HumanMessage(
        content=[
            {"type": "audio", "base64": clip, "mime_type": "audio/wav"},
            {"type": "text", "text": "Transcribe."},
        ]
    )
    assert asr.invoke([message]).text == "hello world"
    body = emulator.chat_requests[-1].body
    assert body["asr_options"] == {"language": "en"}
    assert body["messages"][0]["content"][0]["type"] == "input_audio"
    assert _summed(list(asr.stream([message]))).text == "hello world"


def test_v1_streams_keep_the_citations_in_the_content(emulator: MiMoEmulator) -> None:
    v1 = ChatMiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        web_search=True,
        output_version="v1",
    )
    emulator.script(
        Reply.text("Two things happened.", reasoning="Reading the news.", chunks=3).with_web_search(
            SOURCES
        )
    )
    full = _summed(list(v1.stream(QUESTION)))
    assert full.text == "Two things happened."
    # one text block, as invoke() gives: the answer with its citations on it
    texts = [b for b in full.content_blocks if b["type"] == "text"]
    assert len(texts) == 1
    assert texts[0]["text"] == "Two things happened."
    cited = texts[0].get("annotations", [])
    assert [c["url"] for c in cited] == ["https://news.example/1", "https://news.example/2"]
    assert full.response_metadata["annotations"] == SOURCES
    emulator.script(
        Reply.text("Two things happened.", reasoning="Reading the news.").with_web_search(SOURCES)
    )
    invoked = v1.invoke(QUESTION)
    assert [b for b in invoked.content_blocks if b["type"] == "text"] == [
        {k: v for k, v in texts[0].items() if k != "index"}
    ]
