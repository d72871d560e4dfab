"""ChatResponse.raw carries usage, so TokenCountingHandler counts real tokens."""

from __future__ import annotations

from llama_index.core.base.llms.types import ChatMessage
from llama_index.core.callbacks import CallbackManager, TokenCountingHandler

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

USAGE = {
    "prompt_tokens": 1234,
    "completion_tokens": 567,
    "total_tokens": 1801,
    "completion_tokens_details": {"reasoning_tokens": 500},
    "prompt_tokens_details": {"cached_tokens": 1024},
}
ASK = [ChatMessage(role="user", content="Count me.")]


def _counter(llm: MiMo) -> TokenCountingHandler:
    # A tokenizer that would give very different numbers: only real usage can give 1234/567.
    handler = TokenCountingHandler(tokenizer=lambda text: [0] * len(text))
    llm.callback_manager = CallbackManager([handler])
    return handler


def test_chat_response_raw_has_the_usage_block(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("Done.", usage=USAGE))
    response = llm.chat(ASK)
    assert response.raw["usage"] == USAGE
    assert response.additional_kwargs["prompt_tokens"] == 1234
    assert response.additional_kwargs["completion_tokens"] == 567
    assert response.additional_kwargs["reasoning_tokens"] == 500
    assert response.additional_kwargs["cached_tokens"] == 1024


def test_token_counting_handler_counts_real_tokens_for_chat(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    counter = _counter(llm)
    emulator.script(Reply.text("Done.", usage=USAGE))
    llm.chat(ASK)
    assert counter.prompt_llm_token_count == 1234
    assert counter.completion_llm_token_count == 567


def test_token_counting_handler_counts_real_tokens_for_streams(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    counter = _counter(llm)
    emulator.script(Reply.text("Done streaming.", usage=USAGE, chunks=3))
    chunks = list(llm.stream_chat(ASK))
    assert chunks[-1].raw["usage"] == USAGE  # the trailing usage-only chunk
    assert counter.prompt_llm_token_count == 1234
    assert counter.completion_llm_token_count == 567


async def test_token_counting_handler_counts_async_stream_completions(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    counter = _counter(llm)
    emulator.script(Reply.text("Done.", usage=USAGE, chunks=2))
    async for _ in await llm.astream_complete("Count me."):
        pass
    assert counter.prompt_llm_token_count == 1234
    assert counter.completion_llm_token_count == 567


def test_unscripted_usage_is_counted_too(llm: MiMo, emulator: MiMoEmulator) -> None:
    counter = _counter(llm)
    response = llm.chat(ASK)
    usage = response.raw["usage"]
    assert counter.prompt_llm_token_count == usage["prompt_tokens"]
    assert counter.completion_llm_token_count == usage["completion_tokens"]
