"""The eight entry points work, and callbacks/instrumentation fire once per call."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.callbacks import CallbackManager, CBEventType
from llama_index.core.callbacks.base_handler import BaseCallbackHandler
from llama_index.core.llms import ChatMessage

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

MESSAGES = [ChatMessage(role="user", content="Name a colour.")]


class LLMEventCounter(BaseCallbackHandler):
    """Counts LLM start/end callback events."""

    def __init__(self) -> None:
        super().__init__(event_starts_to_ignore=[], event_ends_to_ignore=[])
        self.starts = 0
        self.ends = 0

    def on_event_start(
        self, event_type: CBEventType, payload: Any = None, event_id: str = "", **kwargs: Any
    ) -> str:
        if event_type == CBEventType.LLM:
            self.starts += 1
        return event_id

    def on_event_end(
        self, event_type: CBEventType, payload: Any = None, event_id: str = "", **kwargs: Any
    ) -> None:
        if event_type == CBEventType.LLM:
            self.ends += 1

    def start_trace(self, trace_id: str | None = None) -> None:
        return None

    def end_trace(self, trace_id: str | None = None, trace_map: Any = None) -> None:
        return None


@pytest.fixture
def counter(llm: MiMo) -> LLMEventCounter:
    handler = LLMEventCounter()
    llm.callback_manager = CallbackManager([handler])
    return handler


def _starts(recorder, kind: str) -> int:
    return recorder.events.count(f"LLM{kind}StartEvent")


def test_chat_returns_the_reply_and_fires_one_chat_event(
    last_body, llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Teal."))
    response = llm.chat(MESSAGES)
    assert response.message.content == "Teal."
    assert last_body().get("stream") is None
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Chat") == 1
    assert _starts(instrumentation, "Completion") == 0


def test_stream_chat_yields_deltas_and_fires_one_chat_event(
    last_body, llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Deep sea teal.", chunks=3))
    chunks = list(llm.stream_chat(MESSAGES))
    assert "".join(c.delta or "" for c in chunks) == "Deep sea teal."
    assert chunks[-1].message.content == "Deep sea teal."
    assert last_body()["stream"] is True
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Chat") == 1
    assert instrumentation.events.count("LLMChatEndEvent") == 1


async def test_achat_returns_the_reply_and_fires_one_chat_event(
    llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Amber."))
    response = await llm.achat(MESSAGES)
    assert response.message.content == "Amber."
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Chat") == 1


async def test_astream_chat_yields_deltas_and_fires_one_chat_event(
    llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Burnt orange.", chunks=2))
    chunks = [c async for c in await llm.astream_chat(MESSAGES)]
    assert "".join(c.delta or "" for c in chunks) == "Burnt orange."
    assert chunks[-1].message.content == "Burnt orange."
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Chat") == 1


def test_complete_fires_one_completion_event_and_no_chat_event(
    last_body, llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Violet.", reasoning="A colour, then."))
    response = llm.complete("Name a colour.")
    assert response.text == "Violet."
    assert response.additional_kwargs["thinking"] == "A colour, then."
    assert last_body()["messages"] == [{"role": "user", "content": "Name a colour."}]
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Completion") == 1
    assert _starts(instrumentation, "Chat") == 0


def test_stream_complete_accumulates_text_and_fires_one_completion_event(
    llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Olive green.", reasoning="Pick one.", chunks=2))
    chunks = list(llm.stream_complete("Name a colour."))
    assert "".join(c.delta or "" for c in chunks) == "Olive green."
    assert chunks[-1].text == "Olive green."
    thinking = "".join(c.additional_kwargs.get("thinking_delta", "") for c in chunks)
    assert thinking == "Pick one."
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Completion") == 1
    assert _starts(instrumentation, "Chat") == 0


async def test_acomplete_fires_one_completion_event(
    llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Crimson."))
    response = await llm.acomplete("Name a colour.")
    assert response.text == "Crimson."
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Completion") == 1
    assert _starts(instrumentation, "Chat") == 0


async def test_astream_complete_accumulates_text_and_fires_one_completion_event(
    llm: MiMo, emulator: MiMoEmulator, counter: LLMEventCounter, instrumentation
) -> None:
    emulator.script(Reply.text("Slate grey.", chunks=2))
    chunks = [c async for c in await llm.astream_complete("Name a colour.")]
    assert "".join(c.delta or "" for c in chunks) == "Slate grey."
    assert chunks[-1].text == "Slate grey."
    assert (counter.starts, counter.ends) == (1, 1)
    assert _starts(instrumentation, "Completion") == 1
    assert _starts(instrumentation, "Chat") == 0


def test_per_call_kwargs_reach_the_request(last_body, llm: MiMo, emulator: MiMoEmulator) -> None:
    llm.chat(MESSAGES, max_tokens=50, temperature=0.3, stop=["END"], thinking=False)
    body = last_body()
    assert body["max_completion_tokens"] == 50
    assert body["temperature"] == 0.3
    assert body["stop"] == ["END"]
    assert body["thinking"] == {"type": "disabled"}


def test_only_parameters_that_were_set_are_sent(
    last_body, llm: MiMo, emulator: MiMoEmulator
) -> None:
    llm.chat(MESSAGES)
    assert set(last_body()) == {"model", "messages"}


def test_constructor_settings_and_additional_kwargs_are_sent(
    last_body, emulator: MiMoEmulator
) -> None:
    llm = MiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        temperature=0.7,
        max_tokens=64,
        thinking=True,
        additional_kwargs={"top_p": 0.9, "presence_penalty": 0.5},
    )
    llm.chat(MESSAGES)
    body = last_body()
    assert body["model"] == "mimo-v2.6-flash"
    assert body["temperature"] == 0.7
    assert body["max_completion_tokens"] == 64
    assert body["thinking"] == {"type": "enabled"}
    assert body["top_p"] == 0.9
    assert body["presence_penalty"] == 0.5
