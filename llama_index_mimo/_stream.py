"""The core's streamed deltas -> LlamaIndex ``ChatResponse`` chunks.

LlamaIndex's contract is that every chunk's ``message`` holds the turn so far, so each chunk
gets a new ``ChatMessage``, built through the public constructors as every LlamaIndex LLM
builds it. Only the block a delta changed is new: while the answer streams, each chunk
shares the finished ``ThinkingBlock`` of the chunk before it, and tool-call blocks are
rebuilt only by a tool-call delta. Copying the text so far once per delta is what the
contract costs; ``benchmarks/README.md`` has the numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.base.llms.types import (
    AudioBlock,
    ChatMessage,
    ChatResponse,
    CitationBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from mimo_client import StreamAccumulator, StreamDelta

from ._convert import thinking_block, token_counts, tool_call_block
from ._speech import pcm_block
from ._web_search import citation_blocks, search_kwargs

__all__ = ["ChatStreamBuilder"]


class ChatStreamBuilder:
    """Turns each :class:`StreamDelta` of one stream into a ``ChatResponse``.

    ``accumulator`` gives the stream's live accumulator, which holds the turn so far (a
    retry before the first event replaces it).
    """

    def __init__(self, accumulator: Callable[[], StreamAccumulator]) -> None:
        self._accumulator = accumulator
        self._thinking: ThinkingBlock | None = None
        self._text = TextBlock(text="")
        self._calls: list[ToolCallBlock] = []
        self._citations: list[CitationBlock] = []
        self._audio: list[AudioBlock] = []
        self._finish: str | None = None

    def response(self, delta: StreamDelta) -> ChatResponse:
        """The chunk for one delta: its ``delta``, ``thinking_delta`` and the turn so far."""
        accumulator = self._accumulator()
        extra: dict[str, Any] = {}
        if delta.reasoning is not None:
            extra["thinking_delta"] = delta.reasoning
        if delta.reasoning is not None or (delta.usage is not None and self._thinking):
            # usage carries the reasoning token count the block reports
            self._thinking = thinking_block(accumulator.reasoning.getvalue(), accumulator.usage)
        if delta.content is not None:
            self._text = TextBlock(text=accumulator.content.getvalue())
        if delta.finish_reason is not None:
            self._finish = delta.finish_reason
        if delta.tool_calls is not None or (delta.finish_reason is not None and self._calls):
            final = self._finish is not None  # arguments that parse become dicts
            self._calls = [tool_call_block(c, final=final) for c in accumulator.tool_calls()]
        if self._finish is not None:
            # kept on the chunks after it (usage), so the last chunk has it, as chat() does
            extra["finish_reason"] = self._finish
        extra.update(token_counts(delta.usage))
        if delta.error_message is not None or delta.usage is not None:  # web search
            extra.update(search_kwargs(delta.error_message, delta.usage))
        if delta.annotations is not None:  # the sources arrive once, whole, early
            self._citations = citation_blocks(accumulator.annotations)
        if delta.audio is not None:
            self._audio = [pcm_block(bytes(accumulator.audio))]
        blocks: list[Any] = [self._text, *self._calls, *self._citations, *self._audio]
        if self._thinking is not None:
            blocks.insert(0, self._thinking)
        return ChatResponse(
            message=ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks),
            delta=delta.content or "",
            raw=delta.chunk,
            additional_kwargs=extra,
        )
