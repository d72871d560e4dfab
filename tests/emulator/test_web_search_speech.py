"""The emulator's web search (generated or scripted sources, the 409 quota) and speech models
(a generated tone in the requested format, the parameters they refuse)."""

from __future__ import annotations

import base64
import io
import wave
from typing import Any

import httpx
import pytest

from mimo_client.testing import MiMoEmulator, Reply

from .conftest import chat, param_400, sse_chunks

ASK = [{"role": "user", "content": "Latest news from Wuhan"}]
SPEAK = [
    {"role": "user", "content": "Cheerful."},
    {"role": "assistant", "content": "Hello from MiMo."},
]


def test_a_searching_request_gets_sources_derived_from_it(http: httpx.Client) -> None:
    body = chat(
        http, model="mimo-v2.6-flash", messages=ASK, tools=[{"type": "web_search", "limit": 2}]
    ).json()
    message = body["choices"][0]["message"]
    assert [a["url"] for a in message["annotations"]] == [
        "https://search.example/latest-news-from/1",
        "https://search.example/latest-news-from/2",
    ]
    first = message["annotations"][0]
    assert first["type"] == "url_citation"
    assert first["title"] == "Result 1 for Latest news from Wuhan"
    assert first["summary"] == "Excerpt 1 about Latest news from Wuhan"
    assert set(first) == {
        "type", "url", "title", "summary", "site_name", "publish_time", "logo_url"
    }  # fmt: skip
    assert body["usage"]["web_search_usage"] == {"tool_usage": 1, "page_usage": 2}


def test_without_a_limit_three_sources_come(http: httpx.Client) -> None:
    body = chat(http, model="mimo-v2.6-flash", messages=ASK, tools=[{"type": "web_search"}]).json()
    assert len(body["choices"][0]["message"]["annotations"]) == 3


def test_streamed_sources_come_once_in_the_first_packet(http: httpx.Client) -> None:
    response = chat(
        http, model="mimo-v2.6-flash", messages=ASK, stream=True, tools=[{"type": "web_search"}]
    )
    chunks = sse_chunks(response.text)
    first = chunks[0]["choices"][0]["delta"]
    assert first["role"] == "assistant" and len(first["annotations"]) == 3
    later = [c for c in chunks[1:] if c["choices"] and "annotations" in c["choices"][0]["delta"]]
    assert later == []
    assert chunks[-1]["usage"]["web_search_usage"] == {"tool_usage": 1, "page_usage": 3}


def test_scripted_sources_and_error_message(emu: MiMoEmulator, http: httpx.Client) -> None:
    source = {"type": "url_citation", "url": "https://a.example", "title": "A", "summary": "S"}
    emu.script(
        Reply.text("Answer.").with_web_search([source], usage={"tool_usage": 2, "page_usage": 7}),
        Reply.text("No search.").with_web_search(error_message="search backend down"),
    )
    tools = [{"type": "web_search"}]
    body = chat(http, model="mimo-v2.6-flash", messages=ASK, tools=tools).json()
    assert body["choices"][0]["message"]["annotations"] == [source]
    assert body["usage"]["web_search_usage"] == {"tool_usage": 2, "page_usage": 7}
    response = chat(http, model="mimo-v2.6-flash", messages=ASK, tools=tools, stream=True)
    first = sse_chunks(response.text)[0]["choices"][0]["delta"]
    assert first["error_message"] == "search backend down"
    assert "annotations" not in first


def test_the_quota_runs_out_into_409(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.web_search_quota = 1
    emu.script(Reply.text("kept for the request that passes"))
    tools = [{"type": "web_search"}]
    assert chat(http, model="mimo-v2.6-flash", messages=ASK, tools=tools).status_code == 200
    refused = chat(http, model="mimo-v2.6-flash", messages=ASK, tools=tools)
    assert refused.status_code == 409
    assert refused.json() == {
        "error": {"code": "409", "message": "Web search quota exhausted", "type": ""}
    }
    assert chat(http, model="mimo-v2.6-flash", messages=ASK).status_code == 200


def test_a_function_tool_beside_web_search_is_still_called(http: httpx.Client) -> None:
    function = {"type": "function", "function": {"name": "lookup", "parameters": {}}}
    body = chat(
        http, model="mimo-v2.6-flash", messages=ASK, tools=[{"type": "web_search"}, function]
    ).json()
    assert body["choices"][0]["message"]["tool_calls"][0]["function"]["name"] == "lookup"


def _audio(http: httpx.Client, fmt: str | None) -> bytes:
    audio = {"voice": "Chloe"} if fmt is None else {"voice": "Chloe", "format": fmt}
    body = chat(http, model="mimo-v2.5-tts", messages=SPEAK, audio=audio).json()
    message = body["choices"][0]["message"]
    assert message["content"] == ""
    assert message["audio"]["expires_at"] is None and message["audio"]["transcript"] is None
    return base64.b64decode(message["audio"]["data"])


def test_speech_answers_a_tone_as_wav_by_default(http: httpx.Client) -> None:
    for fmt in (None, "wav"):
        with wave.open(io.BytesIO(_audio(http, fmt))) as clip:
            assert (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) == (1, 2, 24000)
            assert clip.getnframes() == 6000  # 0.25 s
            assert any(clip.readframes(6000))  # a tone, not silence


def test_speech_answers_raw_pcm_and_a_silent_mp3_placeholder(http: httpx.Client) -> None:
    assert len(_audio(http, "pcm16")) == len(_audio(http, "pcm")) == 12000
    mp3 = _audio(http, "mp3")
    assert mp3[:4] == b"\xff\xfb\x90\xc4" and len(mp3) % 417 == 0


def test_streamed_speech_comes_in_pcm16_pieces(http: httpx.Client) -> None:
    response = chat(
        http, model="mimo-v2.5-tts", messages=SPEAK, stream=True, audio={"format": "pcm16"}
    )
    chunks = sse_chunks(response.text)
    pieces = [
        c["choices"][0]["delta"]["audio"]
        for c in chunks
        if c["choices"] and "audio" in c["choices"][0]["delta"]
    ]
    assert len(pieces) == 5 and "id" in pieces[0] and "id" not in pieces[1]
    assert len(b"".join(base64.b64decode(p["data"]) for p in pieces)) == 12000


@pytest.mark.parametrize(
    ("model", "extra", "reason"),
    [
        ("mimo-v2.5-tts", {"thinking": {"type": "disabled"}}, "`thinking` is not supported"),
        ("mimo-v2.5-tts", {"stop": ["x"]}, "`stop` is not supported by speech models"),
        ("mimo-v2.5-tts", {"tool_choice": "auto"}, "`tool_choice` is not supported"),
        ("mimo-v2.5-tts", {"response_format": {"type": "text"}}, "`response_format` is not"),
        ("mimo-v2.5-tts", {"audio": {"format": "ogg"}}, "audio format 'ogg' is not supported"),
        ("mimo-v2.5-tts", {"max_completion_tokens": 9000}, "between 1 and 8192"),
        ("mimo-v2.5-tts", {"messages": SPEAK[:1]}, "must be in an assistant message"),
        ("mimo-v2.5-tts-voicedesign", {"messages": SPEAK[1:]}, "needs a user message"),
        ("mimo-v2.5-tts-voicedesign", {"audio": {"voice": "Mia"}}, "`audio.voice` is not"),
        ("mimo-v2.5-tts-voiceclone", {"audio": {"voice": "Mia"}}, "voice clone needs"),
    ],
)
def test_speech_refusals_answer_400(
    http: httpx.Client, model: str, extra: dict[str, Any], reason: str
) -> None:
    extra.setdefault("messages", SPEAK)
    response = chat(http, model=model, **extra)
    assert response.status_code == 400
    error = response.json()["error"]
    assert reason in error["param"]
    assert response.json() == param_400(error["param"])
