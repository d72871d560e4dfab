"""Streamed tool calls: each chunk holds the calls so far, read as agents read them."""

from __future__ import annotations

from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatResponse, ToolCallBlock
from llama_index.core.tools import FunctionTool

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

DELTAS = 4000
TEXT = "x" * (2 * DELTAS - 11)
ARGUMENTS = '{"text":"' + TEXT + '"}'  # 8,000 characters: 4,000 deltas of two


def write(text: str) -> str:
    """Write the text down."""
    return text


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


WRITE = FunctionTool.from_defaults(fn=write)
TOOLS: list[Any] = [FunctionTool.from_defaults(fn=add), FunctionTool.from_defaults(fn=multiply)]


def _argument_pieces(chunk: ChatResponse) -> int:
    """Argument characters this chunk's wire fragments carried."""
    raw: dict[str, Any] = chunk.raw or {}
    choices = raw.get("choices") or [{}]
    fragments = (choices[0].get("delta") or {}).get("tool_calls") or ()
    return sum(len((f.get("function") or {}).get("arguments") or "") for f in fragments)


def _long_call(emulator: MiMoEmulator) -> None:
    assert len(ARGUMENTS) == 2 * DELTAS
    emulator.script(Reply.tool_calls(("write", ARGUMENTS), argument_chunks=DELTAS))


def test_a_long_call_streams_to_its_parsed_arguments(llm: MiMo, emulator: MiMoEmulator) -> None:
    _long_call(emulator)
    chunks = []
    for chunk in llm.stream_chat_with_tools([WRITE], user_msg="Write a long text."):
        assert chunk.delta == ""
        chunks.append(chunk)  # every chunk kept alive, as a list() of the stream would
    total = sum(_argument_pieces(c) for c in chunks)
    assert total > len(TEXT)
    assert len(chunks) >= DELTAS
    final = [b for b in chunks[-1].message.blocks if isinstance(b, ToolCallBlock)]
    assert final[0].tool_kwargs == {"text": TEXT}


def test_every_chunk_holds_the_arguments_so_far(llm: MiMo, emulator: MiMoEmulator) -> None:
    _long_call(emulator)
    so_far = 0
    for chunk in llm.stream_chat_with_tools([WRITE], user_msg="Write a long text."):
        so_far += _argument_pieces(chunk)
        # what FunctionAgent reads per chunk, and the blocks of the message
        selections = llm.get_tool_calls_from_response(chunk, error_on_no_tool_call=False)
        blocks = [b for b in chunk.message.blocks if isinstance(b, ToolCallBlock)]
        if so_far:
            assert [s.tool_name for s in selections] == ["write"]
            arguments = blocks[0].tool_kwargs
            assert isinstance(arguments, dict) or len(arguments) == so_far
    assert selections[0].tool_kwargs == {"text": TEXT}
    assert blocks[0].tool_kwargs == {"text": TEXT}


def test_chunks_read_after_the_stream_hold_their_own_calls(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.tool_calls(
            ("add", {"a": 1, "b": 2}),
            ("multiply", {"a": 3, "b": 4}),
            interleave=True,
            argument_chunks=4,
        )
    )
    chunks = list(
        llm.stream_chat_with_tools(TOOLS, user_msg="both", allow_parallel_tool_calls=True)
    )
    sent: dict[int, str] = {}  # call index -> argument text so far, from the wire
    for chunk in chunks:  # read only now, after the stream ended
        raw: dict[str, Any] = chunk.raw or {}
        choices = raw.get("choices") or [{}]
        for fragment in (choices[0].get("delta") or {}).get("tool_calls") or ():
            piece = (fragment.get("function") or {}).get("arguments") or ""
            sent[fragment["index"]] = sent.get(fragment["index"], "") + piece
        blocks = [b for b in chunk.message.blocks if isinstance(b, ToolCallBlock)]
        if chunk.additional_kwargs.get("finish_reason"):
            assert [b.tool_kwargs for b in blocks] == [{"a": 1, "b": 2}, {"a": 3, "b": 4}]
        else:
            assert [b.tool_kwargs for b in blocks] == [sent[i] for i in sorted(sent)]
    assert len(sent) == 2


def test_get_tool_calls_reads_every_streamed_chunk(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.tool_calls(("add", {"a": 12, "b": 34}), reasoning="Add them."))
    seen = []
    for chunk in llm.stream_chat_with_tools(TOOLS, user_msg="12 + 34?"):
        seen.append(llm.get_tool_calls_from_response(chunk, error_on_no_tool_call=False))
    assert seen[-1][0].tool_name == "add"
    assert seen[-1][0].tool_kwargs == {"a": 12, "b": 34}
    assert [] in seen  # the reasoning chunks, before the call started


def test_get_tool_calls_reads_an_edited_message(llm: MiMo, emulator: MiMoEmulator) -> None:
    # the tool calls are read from the chunk's message, so a user's edit to it is what counts
    emulator.script(Reply.tool_calls(("add", {"a": 1, "b": 2})))
    *_, last = llm.stream_chat_with_tools(TOOLS, user_msg="1 + 2?")
    last.message.blocks = [b for b in last.message.blocks if not isinstance(b, ToolCallBlock)]
    assert llm.get_tool_calls_from_response(last, error_on_no_tool_call=False) == []


async def test_function_agent_passes_long_streamed_reasoning_back(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    reasoning = " ".join(["ab"] * DELTAS)  # one delta per word
    emulator.script(
        Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning=reasoning),
        Reply.text("It is 5."),
    )
    agent = FunctionAgent(tools=TOOLS, llm=llm, streaming=True)
    handler = agent.run("What is 2 + 3?")
    events = [event async for event in handler.stream_events()]
    assert str(await handler) == "It is 5."
    assert [e.tool_name for e in events if isinstance(e, ToolCallResult)] == ["add"]
    # the reasoning went back to the service in full
    passed_back = emulator.chat_requests[-1].body["messages"]
    turns = [m for m in passed_back if m["role"] == "assistant"]
    assert [t["reasoning_content"] for t in turns] == [reasoning]


@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "non-streaming"])
async def test_function_agent_without_parallel_calls_runs_one_call(
    llm: MiMo, emulator: MiMoEmulator, streaming: bool
) -> None:
    emulator.script(
        Reply.tool_calls(
            ("add", {"a": 1, "b": 2}), ("multiply", {"a": 3, "b": 4}), reasoning="Both."
        ),
        Reply.text("Done."),
    )
    agent = FunctionAgent(
        tools=TOOLS, llm=llm, streaming=streaming, allow_parallel_tool_calls=False
    )
    handler = agent.run("Add and multiply.")
    events = [event async for event in handler.stream_events()]
    assert str(await handler) == "Done."
    assert [
        (e.tool_name, e.tool_output.raw_output) for e in events if isinstance(e, ToolCallResult)
    ] == [("add", 3)]
    first, second = (r.body for r in emulator.chat_requests)
    assert "parallel_tool_calls" not in first  # MiMo has no such parameter: never sent
    turns = [m for m in second["messages"] if m["role"] == "assistant"]
    assert [len(t["tool_calls"]) for t in turns] == [1]
