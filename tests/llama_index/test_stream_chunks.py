"""Streamed LlamaIndex chunks: each holds the turn so far and behaves as any ChatResponse."""

from __future__ import annotations

from llama_index.core.base.llms.types import ChatMessage, TextBlock, ThinkingBlock

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

ASK = [ChatMessage(role="user", content="Is 7 prime?")]
REASONING = "Seven has no divisors other than one and itself."
ANSWER = "Yes, 7 is prime."


def test_each_streamed_chunk_carries_the_blocks_so_far(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=3, reasoning_chunks=4))
    reasoning_so_far = ""
    text_so_far = ""
    for chunk in llm.stream_chat(ASK):
        reasoning_so_far += chunk.additional_kwargs.get("thinking_delta", "")
        text_so_far += chunk.delta or ""
        blocks = chunk.message.blocks
        if reasoning_so_far:
            assert isinstance(blocks[0], ThinkingBlock)
            assert blocks[0].content == reasoning_so_far
        assert chunk.message.content == text_so_far
    last = chunk.message
    assert [b.block_type for b in last.blocks] == ["thinking", "text"]
    assert isinstance(last.blocks[0], ThinkingBlock)
    assert isinstance(last.blocks[1], TextBlock)
    assert last.blocks[0].content == REASONING
    assert last.content == ANSWER


def test_last_streamed_chunk_has_num_tokens_and_usage(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=2))
    chunks = list(llm.stream_chat(ASK))
    thinking = chunks[-1].message.blocks[0]
    assert isinstance(thinking, ThinkingBlock)
    assert thinking.num_tokens == len(REASONING.split())  # the emulator counts words
    assert (
        chunks[-1].raw["usage"]["completion_tokens_details"]["reasoning_tokens"]
        == thinking.num_tokens
    )


def test_a_long_stream_ends_with_every_delta(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.long(reasoning_deltas=2000, content_deltas=2000, piece="ab "))
    count = 0
    text: list[str] = []
    reasoning: list[str] = []
    for chunk in llm.stream_chat(ASK):
        count += 1
        text.append(chunk.delta or "")
        reasoning.append(chunk.additional_kwargs.get("thinking_delta", ""))
    assert chunk.message.content == "".join(text)
    assert chunk.message.blocks[0].content == "".join(reasoning)
    assert len(chunk.message.content) >= 2000 * 2
    assert count >= 4000


def test_chunks_read_after_the_stream_still_hold_their_own_turn_so_far(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=3, reasoning_chunks=4))
    chunks = list(llm.stream_chat(ASK))  # nothing read while streaming
    text = reasoning = ""
    for chunk in chunks:
        text += chunk.delta or ""
        reasoning += chunk.additional_kwargs.get("thinking_delta", "")
        assert chunk.message.content == text
        if reasoning:
            assert chunk.message.blocks[0].content == reasoning


def test_in_progress_events_serialize_with_the_message(llm: MiMo, emulator: MiMoEmulator) -> None:
    from llama_index.core.instrumentation import get_dispatcher
    from llama_index.core.instrumentation.event_handlers import BaseEventHandler
    from llama_index.core.instrumentation.events.llm import LLMChatInProgressEvent

    dumps: list[dict] = []

    class Dumper(BaseEventHandler):
        def handle(self, event, **kwargs) -> None:
            if isinstance(event, LLMChatInProgressEvent):
                dumps.append(event.model_dump())

    root = get_dispatcher()
    handler = Dumper()
    root.add_event_handler(handler)
    try:
        emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=3))
        list(llm.stream_chat(ASK))
    finally:
        root.event_handlers = [h for h in root.event_handlers if h is not handler]
    assert len(dumps) > 3
    texts = [
        next(b["text"] for b in d["response"]["message"]["blocks"] if b["block_type"] == "text")
        for d in dumps
    ]
    assert texts[-1] == ANSWER
    assert all(ANSWER.startswith(t) for t in texts)


def test_a_streamed_chunk_pickles_and_rebuilds_from_its_dump(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    # Users cache responses: what a chunk holds (raw, additional_kwargs) must survive both.
    import pickle

    from llama_index.core.base.llms.types import ChatResponse

    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=2))
    last = list(llm.stream_chat(ASK))[-1]
    copy = pickle.loads(pickle.dumps(last))
    assert copy.message.content == ANSWER
    assert copy == last
    rebuilt = ChatResponse.model_validate(last.model_dump())
    assert rebuilt.message.content == ANSWER


def test_stream_complete_chunks_hold_the_text_so_far(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text(ANSWER, chunks=3))
    chunks = list(llm.stream_complete("Is 7 prime?"))
    text = ""
    for chunk in chunks:
        text += chunk.delta or ""
        assert chunk.text == text
    assert "text" in chunks[0].model_dump()
