"""invoke/stream flavours, callbacks, reasoning, usage and metadata."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage
from langchain_core.outputs import ChatGenerationChunk, GenerationChunk

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator, Reply

REASONING = "The user greets. I greet back."
ANSWER = "Hello there, friend!"


def _sum(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk
    return full


class TokenRecorder(BaseCallbackHandler):
    def __init__(self) -> None:
        self.tokens: list[str] = []

    def on_llm_new_token(
        self,
        token: str,
        *,
        chunk: GenerationChunk | ChatGenerationChunk | None = None,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        **kwargs: Any,
    ) -> Any:
        self.tokens.append(token)


def test_invoke_returns_text_reasoning_and_metadata(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING))
    message = model.invoke("Hi")
    assert isinstance(message, AIMessage)
    assert message.content == ANSWER
    assert message.additional_kwargs["reasoning_content"] == REASONING
    assert message.response_metadata["model_provider"] == "mimo"
    assert message.response_metadata["model_name"] == "mimo-v2.6-pro"
    assert message.response_metadata["finish_reason"] == "stop"
    assert message.response_metadata["id"].startswith("chatcmpl-")


async def test_ainvoke_batch_and_abatch(model: ChatMiMo, emulator: MiMoEmulator):
    message = await model.ainvoke("first question")
    assert message.content == "Emulated MiMo answer to: first question"
    answers = model.batch(["one", "two"])
    assert [a.content for a in answers] == [
        "Emulated MiMo answer to: one",
        "Emulated MiMo answer to: two",
    ]
    answers = await model.abatch(["three", "four"])
    assert [a.content for a in answers] == [
        "Emulated MiMo answer to: three",
        "Emulated MiMo answer to: four",
    ]
    assert len(emulator.chat_requests) == 5


def test_stream_yields_a_chunk_per_delta(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=4, reasoning_chunks=3))
    chunks = list(model.stream("Hi"))
    # 3 reasoning deltas + 4 content deltas + the closing chunk
    assert len(chunks) == 8
    assert all(c.additional_kwargs["reasoning_content"] and not c.text for c in chunks[:3])
    assert all(c.text and not c.additional_kwargs for c in chunks[3:7])
    assert "".join(c.text for c in chunks) == ANSWER
    assert chunks[-1].chunk_position == "last"
    full = _sum(chunks)
    assert full.content == ANSWER
    assert full.additional_kwargs["reasoning_content"] == REASONING


async def test_astream_yields_a_chunk_per_delta(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=4, reasoning_chunks=3))
    chunks = [c async for c in model.astream("Hi")]
    assert len(chunks) == 8
    full = _sum(chunks)
    assert full.content == ANSWER
    assert full.additional_kwargs["reasoning_content"] == REASONING
    assert full.chunk_position == "last"


def test_on_llm_new_token_fires_once_per_delta(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=4, reasoning_chunks=3))
    recorder = TokenRecorder()
    list(model.stream("Hi", config={"callbacks": [recorder]}))
    assert len(recorder.tokens) == 8  # one per yielded chunk, no duplicates
    assert "".join(recorder.tokens) == ANSWER


def test_invoke_with_streaming_true_streams_tokens_to_callbacks(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, streaming=True)
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=4, reasoning_chunks=3))
    recorder = TokenRecorder()
    message = model.invoke("Hi", config={"callbacks": [recorder]})
    assert emulator.last_request.body["stream"] is True
    assert message.content == ANSWER
    assert message.additional_kwargs["reasoning_content"] == REASONING
    assert "".join(recorder.tokens) == ANSWER
    assert len(recorder.tokens) >= 8


def test_streamed_reasoning_chunks_concatenate(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text("Done.", reasoning="one two three four five"))
    chunks = list(model.stream("Hi"))
    pieces = [c.additional_kwargs["reasoning_content"] for c in chunks if c.additional_kwargs]
    assert len(pieces) == 5  # the emulator sends one reasoning delta per word
    assert _sum(chunks).additional_kwargs["reasoning_content"] == "one two three four five"


def test_content_blocks_put_reasoning_first(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING))
    blocks = model.invoke("Hi").content_blocks
    assert blocks[0] == {"type": "reasoning", "reasoning": REASONING}
    assert blocks[1] == {"type": "text", "text": ANSWER}
    emulator.script(Reply.text(ANSWER, reasoning=REASONING))
    streamed = _sum(list(model.stream("Hi"))).content_blocks
    assert [b["type"] for b in streamed] == ["reasoning", "text"]
    assert streamed[0]["reasoning"] == REASONING


@pytest.mark.parametrize("streaming", [False, True])
def test_output_version_v1_stores_reasoning_as_a_content_block(
    emulator: MiMoEmulator, streaming: bool
):
    model = ChatMiMo(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        output_version="v1",
        streaming=streaming,
    )
    emulator.script(Reply.text(ANSWER, reasoning=REASONING))
    message = model.invoke("Hi")
    assert isinstance(message.content, list)
    types = [block["type"] for block in message.content]  # type: ignore[index]
    assert types == ["reasoning", "text"]
    assert message.content[0]["reasoning"] == REASONING  # type: ignore[index]
    assert message.content[1]["text"] == ANSWER  # type: ignore[index]
    assert message.response_metadata["output_version"] == "v1"


def test_no_reasoning_when_thinking_is_off(model: ChatMiMo, emulator: MiMoEmulator):
    message = model.invoke("Hi", thinking=False)
    assert emulator.last_request.body["thinking"] == {"type": "disabled"}
    assert "reasoning_content" not in message.additional_kwargs
    assert message.content_blocks == [{"type": "text", "text": "Emulated MiMo answer to: Hi"}]


# --- 6: usage and response metadata ----------------------------------------------------------

USAGE = {
    "prompt_tokens": 40,
    "completion_tokens": 25,
    "total_tokens": 65,
    "completion_tokens_details": {"reasoning_tokens": 20},
    "prompt_tokens_details": {"cached_tokens": 32},
}
EXPECTED_USAGE = {
    "input_tokens": 40,
    "output_tokens": 25,
    "total_tokens": 65,
    "input_token_details": {"cache_read": 32},
    "output_token_details": {"reasoning": 20},
}


def test_usage_metadata_on_invoke(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, usage=USAGE))
    assert model.invoke("Hi").usage_metadata == EXPECTED_USAGE


def test_exactly_one_streamed_chunk_carries_usage(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, usage=USAGE))
    chunks = list(model.stream("Hi"))
    with_usage = [c for c in chunks if c.usage_metadata]
    assert len(with_usage) == 1
    assert with_usage[0] is chunks[-1]
    assert _sum(chunks).usage_metadata == EXPECTED_USAGE
    with_model_name = [c for c in chunks if c.response_metadata.get("model_name")]
    assert len(with_model_name) == 1


def test_stream_usage_false_leaves_usage_out(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, stream_usage=False)
    emulator.script(Reply.text(ANSWER, usage=USAGE))
    assert _sum(list(model.stream("Hi"))).usage_metadata is None
    emulator.script(Reply.text(ANSWER, usage=USAGE))
    chunks = list(model.stream("Hi", stream_usage=True))  # per-call override
    assert _sum(chunks).usage_metadata == EXPECTED_USAGE
    assert "stream_usage" not in emulator.last_request.body


def test_emulated_usage_counts_reasoning_and_cache(model: ChatMiMo, emulator: MiMoEmulator):
    history: list[Any] = [HumanMessage("Please remember this long context: " + "a b c " * 50)]
    first = model.invoke(history)
    assert first.usage_metadata is not None
    assert first.usage_metadata["output_token_details"]["reasoning"] > 0
    second = model.invoke([*history, first, HumanMessage("And now?")])
    assert second.usage_metadata is not None
    assert second.usage_metadata["input_token_details"]["cache_read"] > 0


@pytest.mark.parametrize(
    "finish_reason", ["stop", "length", "content_filter", "repetition_truncation"]
)
@pytest.mark.parametrize("streaming", [False, True])
def test_finish_reason_is_reported(
    model: ChatMiMo, emulator: MiMoEmulator, finish_reason: str, streaming: bool
):
    emulator.script(Reply.text("cut here", finish_reason=finish_reason))
    if streaming:
        message: AIMessage = _sum(list(model.stream("Hi")))
    else:
        message = model.invoke("Hi")
    assert message.response_metadata["finish_reason"] == finish_reason
    assert message.response_metadata["model_name"] == "mimo-v2.6-pro"
    assert message.content == "cut here"


def test_tool_calls_finish_reason(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.tool_calls(("lookup", {"q": "x"}), reasoning="Look it up."))
    message = model.invoke("Hi")
    assert message.response_metadata["finish_reason"] == "tool_calls"
