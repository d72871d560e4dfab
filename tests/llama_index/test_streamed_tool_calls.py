"""Streamed tool calls: built only when a chunk's calls are read, and in work linear in that.

Work is counted, not timed: the characters of tool-call arguments built (every ``ToolCall``
the core's accumulator hands out is a fresh copy of its arguments so far) and the
``ToolCallBlock`` objects made.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from llama_index.core.agent.workflow import FunctionAgent, ToolCallResult
from llama_index.core.base.llms.types import ChatResponse, ToolCallBlock
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llama_index_mimo import MiMo
from mimo_client import StreamAccumulator
from mimo_client.stream import TextBuffer
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
_stored = vars(BaseModel)["__dict__"].__get__  # a model's field values, without building any


class Work:
    """Counts the argument characters and ToolCallBlocks built while installed."""

    def __init__(self) -> None:
        self.characters = 0
        self.blocks = 0


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> Iterator[Work]:
    counted = Work()
    tool_calls = StreamAccumulator.tool_calls
    construct = ToolCallBlock.model_construct.__func__  # type: ignore[attr-defined]

    def counting_tool_calls(self: StreamAccumulator) -> list[Any]:
        calls = tool_calls(self)
        counted.characters += sum(len(call.arguments) for call in calls)
        return calls

    def counting_construct(cls: type[ToolCallBlock], *args: Any, **kwargs: Any) -> Any:
        counted.blocks += 1
        return construct(cls, *args, **kwargs)

    monkeypatch.setattr(StreamAccumulator, "tool_calls", counting_tool_calls)
    monkeypatch.setattr(ToolCallBlock, "model_construct", classmethod(counting_construct))
    yield counted


def _argument_pieces(chunk: ChatResponse) -> int:
    """Argument characters this chunk's wire fragments carried."""
    raw: dict[str, Any] = chunk.raw or {}
    choices = raw.get("choices") or [{}]
    fragments = (choices[0].get("delta") or {}).get("tool_calls") or ()
    return sum(len((f.get("function") or {}).get("arguments") or "") for f in fragments)


def _long_call(emulator: MiMoEmulator) -> None:
    assert len(ARGUMENTS) == 2 * DELTAS
    emulator.script(Reply.tool_calls(("write", ARGUMENTS), argument_chunks=DELTAS))


def test_delta_only_readers_build_no_tool_calls(
    llm: MiMo, emulator: MiMoEmulator, work: Work
) -> None:
    _long_call(emulator)
    chunks = []
    for chunk in llm.stream_chat_with_tools([WRITE], user_msg="Write a long text."):
        assert chunk.delta == ""
        chunks.append(chunk)  # every chunk kept alive, as a list() of the stream would
    total = sum(_argument_pieces(c) for c in chunks)
    assert total > len(TEXT)
    assert len(chunks) >= DELTAS
    # at most the last chunk's calls were built (the callback layer's end event reads it);
    # rebuilding the calls per delta would be ~DELTAS * total / 2 = 16 million characters
    assert work.characters <= 2 * total
    assert work.blocks <= 2
    assert sum("message" in _stored(c) for c in chunks[:-1]) == 0
    final = [b for b in chunks[-1].message.blocks if isinstance(b, ToolCallBlock)]
    assert final[0].tool_kwargs == {"text": TEXT}


def test_reading_every_chunk_costs_the_arguments_so_far_once_per_chunk(
    llm: MiMo, emulator: MiMoEmulator, work: Work
) -> None:
    _long_call(emulator)
    so_far = 0
    owed = 0  # the arguments so far, summed over the chunks: what reading each one implies
    chunks = 0
    for chunk in llm.stream_chat_with_tools([WRITE], user_msg="Write a long text."):
        chunks += 1
        so_far += _argument_pieces(chunk)
        owed += so_far
        # what FunctionAgent reads per chunk, and the blocks of the message
        selections = llm.get_tool_calls_from_response(chunk, error_on_no_tool_call=False)
        blocks = [b for b in chunk.message.blocks if isinstance(b, ToolCallBlock)]
        if so_far:
            assert [s.tool_name for s in selections] == ["write"]
            arguments = blocks[0].tool_kwargs
            assert len(arguments if isinstance(arguments, str) else str(arguments)) > 0
    assert selections[0].tool_kwargs == {"text": TEXT}
    assert blocks[0].tool_kwargs == {"text": TEXT}
    # each chunk's calls are built once, shared by get_tool_calls and the message
    assert work.characters <= owed + 2 * so_far
    assert work.blocks <= chunks + 2


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


def test_get_tool_calls_reads_a_chunk_without_building_its_message(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.tool_calls(("add", {"a": 12, "b": 34}), reasoning="Add them."))
    seen = []
    for chunk in llm.stream_chat_with_tools(TOOLS, user_msg="12 + 34?"):
        seen.append(llm.get_tool_calls_from_response(chunk, error_on_no_tool_call=False))
        assert "message" not in _stored(chunk)
    assert seen[-1][0].tool_name == "add"
    assert seen[-1][0].tool_kwargs == {"a": 12, "b": 34}
    assert [] in seen  # the reasoning chunks, before the call started


def test_get_tool_calls_reads_an_edited_message(llm: MiMo, emulator: MiMoEmulator) -> None:
    # once a chunk's message was built (and perhaps edited), that is what is read
    emulator.script(Reply.tool_calls(("add", {"a": 1, "b": 2})))
    *_, last = llm.stream_chat_with_tools(TOOLS, user_msg="1 + 2?")
    last.message.blocks = [b for b in last.message.blocks if not isinstance(b, ToolCallBlock)]
    assert llm.get_tool_calls_from_response(last, error_on_no_tool_call=False) == []


async def test_function_agent_reads_long_reasoning_in_linear_work(
    llm: MiMo, emulator: MiMoEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FunctionAgent reads every chunk's tool calls and text; the reasoning so far (a
    # ThinkingBlock's content) is built only when read, not once per chunk.
    reasoning = " ".join(["ab"] * DELTAS)  # one delta per word
    emulator.script(
        Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning=reasoning),
        Reply.text("It is 5."),
    )
    built = [0]
    prefix = TextBuffer.prefix

    def counting_prefix(self: Any, n: int) -> str:
        text: str = prefix(self, n)
        built[0] += len(text)
        return text

    monkeypatch.setattr(TextBuffer, "prefix", counting_prefix)
    agent = FunctionAgent(tools=TOOLS, llm=llm, streaming=True)
    handler = agent.run("What is 2 + 3?")
    events = [event async for event in handler.stream_events()]
    assert str(await handler) == "It is 5."
    assert [e.tool_name for e in events if isinstance(e, ToolCallResult)] == ["add"]
    # the reasoning went back to the service in full
    passed_back = emulator.chat_requests[-1].body["messages"]
    turns = [m for m in passed_back if m["role"] == "assistant"]
    assert [t["reasoning_content"] for t in turns] == [reasoning]
    # once per chunk would be ~DELTAS * len(reasoning) / 2 = 24 million characters
    assert built[0] <= 10 * len(reasoning)


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
