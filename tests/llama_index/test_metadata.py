"""Metadata from the model table, overridable by the constructor; settings."""

from __future__ import annotations

import asyncio

import pytest

from llama_index_mimo import MiMo
from mimo_client import get_model_info
from mimo_client.testing import MiMoEmulator, Reply


def test_metadata_comes_from_the_model_table() -> None:
    meta = MiMo(model="mimo-v2.6-flash").metadata
    info = get_model_info("mimo-v2.6-flash")
    assert meta.context_window == info.context_window == 1_048_576
    assert meta.num_output == info.default_max_tokens
    assert meta.is_chat_model is True
    assert meta.is_function_calling_model is True
    assert meta.model_name == "mimo-v2.6-flash"


def test_metadata_differs_per_model() -> None:
    assert MiMo(model="mimo-v2.6-pro").metadata.num_output == 131_072
    assert MiMo(model="mimo-v2.6-flash").metadata.num_output == 65_536
    speech = MiMo(model="mimo-v2.5-tts").metadata
    assert speech.context_window == 8_192 and speech.is_function_calling_model is False


def test_context_window_and_max_tokens_override_the_table() -> None:
    meta = MiMo(model="mimo-v2.6-pro", context_window=32_000, max_tokens=1_000).metadata
    assert meta.context_window == 32_000
    assert meta.num_output == 1_000


def test_unknown_model_gets_conservative_metadata() -> None:
    meta = MiMo(model="mimo-v9-experimental").metadata
    assert meta.model_name == "mimo-v9-experimental"
    assert meta.context_window == get_model_info("mimo-v9-experimental").context_window
    assert meta.is_function_calling_model is True


def test_out_of_range_settings_fail_at_construction() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="temperature"):
        MiMo(temperature=1.8)  # the service takes 0..1.5
    with pytest.raises(ValidationError, match="max_tokens"):
        MiMo(max_tokens=200_000)  # max_completion_tokens is 1..131072


def test_one_llm_serves_several_event_loops(llm: MiMo, emulator: MiMoEmulator) -> None:
    # asyncio.run() per call (scripts, notebooks) needs a client per loop, not a dead one.
    from llama_index.core.base.llms.types import ChatMessage

    emulator.script(Reply.text("one"), Reply.text("two"))
    ask = [ChatMessage(role="user", content="hi")]
    assert asyncio.run(llm.achat(ask)).message.content == "one"
    assert asyncio.run(llm.achat(ask)).message.content == "two"


async def test_close_releases_connections_and_calls_still_work(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    from llama_index.core.base.llms.types import ChatMessage

    ask = [ChatMessage(role="user", content="hi")]
    emulator.script(Reply.text("a"), Reply.text("b"), Reply.text("c"), Reply.text("d"))
    llm.chat(ask)
    await llm.achat(ask)
    before = emulator.connections_accepted
    llm.close()
    await llm.aclose()
    assert llm.chat(ask).message.content == "c"
    assert (await llm.achat(ask)).message.content == "d"
    assert emulator.connections_accepted == before + 2  # both reconnected
