"""Reasoning as a ThinkingBlock, streamed as thinking_delta, counted in num_tokens."""

from __future__ import annotations

from llama_index.core.base.llms.types import ChatMessage, TextBlock, ThinkingBlock

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

ASK = [ChatMessage(role="user", content="Is 7 prime?")]
REASONING = "Seven has no divisors other than one and itself."
ANSWER = "Yes, 7 is prime."


def test_chat_puts_a_thinking_block_before_the_text_block(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text(ANSWER, reasoning=REASONING))
    blocks = llm.chat(ASK).message.blocks
    assert [type(b) for b in blocks] == [ThinkingBlock, TextBlock]
    assert blocks[0].content == REASONING
    assert blocks[1].text == ANSWER


def test_thinking_block_num_tokens_is_the_reasoning_token_count(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    usage = {
        "prompt_tokens": 9,
        "completion_tokens": 40,
        "total_tokens": 49,
        "completion_tokens_details": {"reasoning_tokens": 31},
    }
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, usage=usage))
    thinking = llm.chat(ASK).message.blocks[0]
    assert isinstance(thinking, ThinkingBlock)
    assert thinking.num_tokens == 31


def test_no_thinking_block_when_thinking_is_off(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text(ANSWER))
    blocks = llm.chat(ASK, thinking=False).message.blocks
    assert [type(b) for b in blocks] == [TextBlock]


def test_stream_sends_thinking_delta_per_reasoning_delta_then_text_deltas(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text(ANSWER, reasoning=REASONING, chunks=3, reasoning_chunks=4))
    chunks = list(llm.stream_chat(ASK))
    thinking = [
        c.additional_kwargs["thinking_delta"]
        for c in chunks
        if "thinking_delta" in c.additional_kwargs
    ]
    assert len(thinking) == 4
    assert "".join(thinking) == REASONING
    text = [c.delta for c in chunks if c.delta]
    assert len(text) == 3
    assert "".join(text) == ANSWER
    # reasoning comes first: no text delta before the last thinking delta
    last_thinking = max(i for i, c in enumerate(chunks) if "thinking_delta" in c.additional_kwargs)
    first_text = min(i for i, c in enumerate(chunks) if c.delta)
    assert last_thinking < first_text


def test_finish_reason_is_reported_in_additional_kwargs(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(
        Reply.text("cut sh", finish_reason="length"),
        Reply.text("la la la", finish_reason="repetition_truncation", chunks=2),
    )
    assert llm.chat(ASK).additional_kwargs["finish_reason"] == "length"
    reasons = [c.additional_kwargs.get("finish_reason") for c in llm.stream_chat(ASK)]
    first = reasons.index("repetition_truncation")
    assert reasons[:first] == [None] * first
    # carried on the chunks after the finish chunk (usage), so the last one has it
    assert reasons[first:] == ["repetition_truncation"] * (len(reasons) - first)
    assert len(reasons) - first >= 2


def test_web_search_annotations_are_kept_on_the_message(llm: MiMo, emulator: MiMoEmulator) -> None:
    import json

    annotation = {"type": "url_citation", "url_citation": {"url": "https://mi.com", "title": "Mi"}}
    completion = {
        "id": "c1",
        "object": "chat.completion",
        "model": "mimo-v2.6-pro",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {
                    "role": "assistant",
                    "content": "Xiaomi makes MiMo.",
                    "reasoning_content": "Search said so.",
                    "annotations": [annotation],
                },
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 6, "total_tokens": 9},
    }
    emulator.script(Reply.raw(json.dumps(completion).encode(), content_type="application/json"))
    message = llm.chat(ASK).message
    assert message.additional_kwargs["annotations"] == [annotation]
    assert message.content == "Xiaomi makes MiMo."
