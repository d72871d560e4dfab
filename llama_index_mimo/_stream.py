"""Streamed deltas -> LlamaIndex ``ChatResponse`` chunks, in work linear in the stream.

LlamaIndex's contract is that every chunk's ``message`` holds the turn so far. Building that
text for every chunk would copy the whole text once per delta (quadratic in the stream), so a
chunk records only how far the turn had got, and builds its ``message`` when it is first read
(``.message``, ``str()``, ``model_dump()``, ``==``, ``repr``, nested serialization).
Readers that take only ``delta`` and ``thinking_delta`` (printing, chat engines, most UIs)
never pay for the text so far;
readers of every chunk's message (agents) pay one copy of the text so far per chunk read,
which the contract itself implies.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, ClassVar

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    MessageRole,
    TextBlock,
    ToolCallBlock,
)
from pydantic import BaseModel, PrivateAttr

from mimo_client import StreamDelta, ToolCall, Usage

from ._responses import thinking_block, token_counts, tool_call_block

__all__ = ["ChatStreamBuilder", "StreamedChatResponse", "StreamedCompletionResponse"]


def _bare(cls: type[Any], fields: dict[str, Any], build: Callable[[], Any]) -> Any:
    # What model_construct does, without its per-call default handling (a third of the cost
    # of a streamed chunk); the one missing field is built by `build` when first read.
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", fields)
    object.__setattr__(obj, "__pydantic_fields_set__", set(fields))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", {"_build": build})
    return obj


_INSTANCE_DICT = vars(BaseModel)["__dict__"]  # the slot where a model keeps its field values


class _Deferred:
    """Mixin: the field named ``_deferred`` is built by ``_build`` on first read.

    Reading the field, or reading the model's ``__dict__`` (what pydantic's serializer, ``==``,
    ``repr``, ``copy`` and ``vars()`` do, also when the model is nested in another, e.g. an
    instrumentation event), builds it first; other fields are plain attributes.
    """

    _deferred: ClassVar[str]
    __pydantic_private__: dict[str, Any] | None

    @property
    def __dict__(self) -> dict[str, Any]:
        return self._fill()

    @__dict__.setter
    def __dict__(self, fields: dict[str, Any]) -> None:
        _INSTANCE_DICT.__set__(self, fields)

    def _fill(self) -> dict[str, Any]:
        fields: dict[str, Any] = _INSTANCE_DICT.__get__(self)
        if self._deferred not in fields and self.__pydantic_private__ is not None:
            build = self.__pydantic_private__.get("_build")
            if build is not None:
                fields[self._deferred] = build()
        return fields

    def __getattr__(self, name: str) -> Any:
        if name == self._deferred:
            return self._fill().get(name)
        return super().__getattr__(name)  # type: ignore[misc]  # pydantic's private attrs

    def __eq__(self, other: object) -> bool:
        # pydantic's __eq__ would also compare the private builder, which differs per chunk
        if not isinstance(other, _Deferred) or type(self) is not type(other):
            return NotImplemented
        return self._fill() == other._fill()

    def __getstate__(self) -> dict[Any, Any]:
        state: dict[Any, Any] = super().__getstate__()  # type: ignore[misc]
        state["__pydantic_private__"] = {"_build": None}  # the builder stays behind
        return state


class StreamedChatResponse(_Deferred, ChatResponse):
    """A streamed ``ChatResponse`` whose ``message`` (the turn so far) is built on first read."""

    _deferred: ClassVar[str] = "message"
    _build: Callable[[], ChatMessage] | None = PrivateAttr(default=None)


class StreamedCompletionResponse(_Deferred, CompletionResponse):
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
    return _bare(  # type: ignore[no-any-return]
        StreamedCompletionResponse, fields, lambda: chunk.message.content or ""
    )


class _GrowingText:
    """Text that only grows: appends are amortized O(1), a prefix is built when asked for.

    A StringIO keeps the text compact (one buffer, not one object per delta).
    """

    __slots__ = ("_buffer", "_cached", "length")

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._cached = ""
        self.length = 0

    def append(self, piece: str) -> None:
        self.length += self._buffer.write(piece)

    def prefix(self, n: int) -> str:
        if len(self._cached) != n:
            text = self._buffer.getvalue()
            self._cached = text if len(text) == n else text[:n]
        return self._cached


class ChatStreamBuilder:
    """Turns each :class:`StreamDelta` into a :class:`StreamedChatResponse`.

    Per delta: one buffer append, the response fields, and (only when tool-call fragments
    arrive) the tool-call blocks. A chunk's message is built from the text up to that chunk
    when it is read; blocks that did not change since the previous read are reused.
    """

    __slots__ = ("_blocks_cache", "_calls", "_reasoning", "_text", "_tool_calls", "_usage")

    def __init__(self, tool_calls: Callable[[], list[ToolCall]]) -> None:
        self._tool_calls = tool_calls
        self._reasoning = _GrowingText()
        self._text = _GrowingText()
        self._calls: list[ToolCallBlock] = []
        self._usage: Usage | None = None
        self._blocks_cache: dict[tuple[str, int, bool], Any] = {}

    def response(self, delta: StreamDelta) -> StreamedChatResponse:
        """The chunk for one delta."""
        extra: dict[str, Any] = {}
        if delta.reasoning is not None:
            self._reasoning.append(delta.reasoning)
            extra["thinking_delta"] = delta.reasoning
        if delta.content is not None:
            self._text.append(delta.content)
        if delta.tool_calls is not None or (delta.finish_reason and self._calls):
            final = delta.finish_reason is not None
            self._calls = [tool_call_block(c, final=final) for c in self._tool_calls()]
        if delta.finish_reason is not None:
            extra["finish_reason"] = delta.finish_reason
        if delta.usage is not None:
            self._usage = delta.usage
            extra.update(token_counts(delta.usage))
        at = (self._reasoning.length, self._text.length, self._calls, self._usage)
        fields = {
            "raw": delta.chunk,
            "delta": delta.content or "",
            "logprobs": None,
            "additional_kwargs": extra,
        }
        return _bare(  # type: ignore[no-any-return]
            StreamedChatResponse, fields, lambda: self._message(*at)
        )

    def _message(
        self, n_reasoning: int, n_text: int, calls: list[ToolCallBlock], usage: Usage | None
    ) -> ChatMessage:
        blocks: list[Any] = []
        if n_reasoning:
            key = ("thinking", n_reasoning, usage is not None)
            block = self._blocks_cache.get(key)
            if block is None:
                text = self._reasoning.prefix(n_reasoning)
                block = self._remember(key, thinking_block(text, usage))
            blocks.append(block)
        key = ("text", n_text, False)
        block = self._blocks_cache.get(key)
        if block is None:
            block = self._remember(key, TextBlock.model_construct(text=self._text.prefix(n_text)))
        blocks.append(block)
        blocks.extend(calls)
        return ChatMessage.model_construct(
            role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs={}
        )

    def _remember(self, key: tuple[str, int, bool], block: Any) -> Any:
        # Only the latest block of each kind is worth keeping: reads go forwards.
        for old in [k for k in self._blocks_cache if k[0] == key[0]]:
            del self._blocks_cache[old]
        self._blocks_cache[key] = block
        return block
