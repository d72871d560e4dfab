"""Streamed deltas -> LlamaIndex ``ChatResponse`` chunks, in work linear in the stream.

LlamaIndex's contract is that every chunk's ``message`` holds the turn so far. Building that
for every chunk would copy the whole turn once per delta (quadratic in the stream), so a
chunk records only how far the turn had got (text and reasoning lengths, each tool call's
argument length) and builds its ``message`` when it is first read (``.message``, ``str()``,
``model_dump()``, ``==``, ``repr``, nested serialization); the message's ``ThinkingBlock``
builds its ``content`` only when that is read. Readers that take only ``delta`` and
``thinking_delta`` (printing, chat engines, most UIs) never pay for the turn so far;
``MiMo.get_tool_calls_from_response`` reads a chunk's tool calls without its message (what
``FunctionAgent`` does per chunk); readers of every chunk's message pay one copy of the
text so far per chunk read, which the contract itself implies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)
from pydantic import PrivateAttr

from mimo_client import StreamAccumulator, StreamDelta, ToolCall, Usage

from ._deferred import Deferred, bare
from ._responses import token_counts, tool_call_block
from ._speech import pcm_block
from ._web_search import citation_blocks, search_kwargs

__all__ = [
    "ChatStreamBuilder",
    "StreamedChatResponse",
    "StreamedCompletionResponse",
    "StreamedThinkingBlock",
    "streamed_completion",
]


class StreamedChatResponse(Deferred, ChatResponse):
    """A streamed ``ChatResponse`` whose ``message`` (the turn so far) is built on first read."""

    _deferred: ClassVar[str] = "message"
    _build: Callable[[], ChatMessage] | None = PrivateAttr(default=None)
    _tool_calls: _CallsAt | None = PrivateAttr(default=None)

    def streamed_tool_calls(self) -> list[ToolCall] | None:
        """The tool calls so far, read without building ``message``.

        None once ``message`` has been built (it may have been edited: read that instead).
        """
        if self.deferred_built or self.__pydantic_private__ is None:
            return None
        calls: _CallsAt | None = self.__pydantic_private__.get("_tool_calls")
        return [] if calls is None else calls.tool_calls()


class StreamedThinkingBlock(Deferred, ThinkingBlock):
    """A streamed chunk's ``ThinkingBlock``: ``content`` (the reasoning so far) built when read."""

    _deferred: ClassVar[str] = "content"
    _build: Callable[[], str] | None = PrivateAttr(default=None)


class StreamedCompletionResponse(Deferred, CompletionResponse):
    """A streamed ``CompletionResponse`` whose ``text`` (the text so far) is built on first read."""

    _deferred: ClassVar[str] = "text"
    _build: Callable[[], str] | None = PrivateAttr(default=None)


def streamed_completion(chunk: ChatResponse) -> CompletionResponse:
    """A streamed chat chunk as a completion chunk; its ``text`` is built when read."""
    fields = {
        "additional_kwargs": chunk.additional_kwargs,
        "raw": chunk.raw,
        "logprobs": None,
        "delta": chunk.delta,
    }
    return bare(  # type: ignore[no-any-return]
        StreamedCompletionResponse, fields, lambda: chunk.message.content or ""
    )


class _CallsAt:
    """The tool calls as of one chunk: each call's argument length then, built when read.

    ``read`` gives the stream's calls now; calls that started later are left out and
    arguments that grew since are cut back, so a chunk read after the stream ended still
    holds its own calls. Chunks between two tool-call deltas share one of these.
    """

    __slots__ = ("_blocks", "_calls", "_read", "final", "lengths")

    def __init__(
        self, read: Callable[[], list[ToolCall]], lengths: dict[int, int], *, final: bool
    ) -> None:
        self._read = read
        self.lengths = lengths
        self.final = final  # the stream has finished: arguments that parse become dicts
        self._calls: list[ToolCall] | None = None
        self._blocks: list[ToolCallBlock] | None = None

    def tool_calls(self) -> list[ToolCall]:
        """The calls as they stood (built on the first call, then kept)."""
        if self._calls is None:
            calls = []
            for call in self._read():
                length = self.lengths.get(call.index)
                if length is None:
                    continue
                if len(call.arguments) != length:
                    call.arguments = call.arguments[:length]
                calls.append(call)
            self._calls = calls
        return self._calls

    def blocks(self) -> list[ToolCallBlock]:
        """The calls as ``ToolCallBlock``s (built on the first call, then kept)."""
        if self._blocks is None:
            self._blocks = [tool_call_block(call, final=self.final) for call in self.tool_calls()]
        return self._blocks


class ChatStreamBuilder:
    """Turns each :class:`StreamDelta` into a :class:`StreamedChatResponse`.

    Per delta: the lengths of the turn so far, read from the core's accumulator (which holds
    the text), and the response fields. A chunk's message is built from the turn up to that
    chunk when it is read; blocks that did not change since the previous read are reused.
    ``accumulator`` gives the stream's live accumulator (a retry before the first event
    replaces it).
    """

    __slots__ = (
        "_accumulator",
        "_blocks_cache",
        "_calls",
        "_finish",
        "_usage",
    )

    def __init__(self, accumulator: Callable[[], StreamAccumulator]) -> None:
        self._accumulator = accumulator
        self._calls: _CallsAt | None = None
        self._usage: Usage | None = None
        self._finish: str | None = None
        self._blocks_cache: dict[tuple[str, int, bool], Any] = {}

    def response(self, delta: StreamDelta) -> StreamedChatResponse:
        """The chunk for one delta."""
        extra: dict[str, Any] = {}
        accumulator = self._accumulator()
        if delta.reasoning is not None:
            extra["thinking_delta"] = delta.reasoning
        finished = delta.finish_reason is not None
        if delta.tool_calls is not None:
            lengths = accumulator.tool_call_lengths()
            self._calls = _CallsAt(accumulator.tool_calls, lengths, final=finished)
        elif finished and self._calls is not None:
            self._calls = _CallsAt(accumulator.tool_calls, self._calls.lengths, final=True)
        if finished:
            self._finish = delta.finish_reason
        if self._finish is not None:
            # kept on the chunks after it (usage), so the last chunk has it, as chat() does
            extra["finish_reason"] = self._finish
        if delta.usage is not None:
            self._usage = delta.usage
            extra.update(token_counts(delta.usage))
        if delta.error_message is not None or delta.usage is not None:  # web search
            extra.update(search_kwargs(delta.error_message, delta.usage))
        at = (accumulator.reasoning.length, accumulator.content.length, self._calls, self._usage)
        fields = {
            "raw": delta.chunk,
            "delta": delta.content or "",
            "logprobs": None,
            "additional_kwargs": extra,
        }
        return bare(  # type: ignore[no-any-return]
            StreamedChatResponse, fields, lambda: self._message(*at), _tool_calls=at[2]
        )

    def _message(
        self, n_reasoning: int, n_text: int, calls: _CallsAt | None, usage: Usage | None
    ) -> ChatMessage:
        blocks: list[Any] = []
        if n_reasoning:
            key = ("thinking", n_reasoning, usage is not None)
            block = self._blocks_cache.get(key)
            if block is None:
                block = self._remember(key, self._thinking(n_reasoning, usage))
            blocks.append(block)
        key = ("text", n_text, False)
        block = self._blocks_cache.get(key)
        if block is None:
            block = self._remember(
                key, TextBlock.model_construct(text=self._accumulator().content.prefix(n_text))
            )
        blocks.append(block)
        if calls is not None:
            blocks.extend(calls.blocks())
        blocks.extend(self._extra_blocks())
        return ChatMessage.model_construct(
            role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs={}
        )

    def _extra_blocks(self) -> list[Any]:
        """Web search sources (they arrive first, whole) and the speech audio so far."""
        accumulator = self._accumulator()
        blocks: list[Any] = citation_blocks(accumulator.annotations)
        if accumulator.audio:
            blocks.append(pcm_block(bytes(accumulator.audio)))
        return blocks

    def _thinking(self, n_reasoning: int, usage: Usage | None) -> StreamedThinkingBlock:
        fields: dict[str, Any] = {
            "block_type": "thinking",
            "num_tokens": usage.reasoning_tokens if usage is not None else None,
            "additional_information": {},
        }
        reasoning = self._accumulator().reasoning
        return bare(  # type: ignore[no-any-return]
            StreamedThinkingBlock, fields, lambda: reasoning.prefix(n_reasoning)
        )

    def _remember(self, key: tuple[str, int, bool], block: Any) -> Any:
        # Only the latest block of each kind is worth keeping: reads go forwards.
        for old in [k for k in self._blocks_cache if k[0] == key[0]]:
            del self._blocks_cache[old]
        self._blocks_cache[key] = block
        return block
