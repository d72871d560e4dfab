"""The core's stream deltas -> LangChain ``ChatGenerationChunk``s of ``AIMessageChunk``s.

Reasoning goes to ``additional_kwargs["reasoning_content"]``, so chunks concatenate it when
added; with ``output_version="v1"`` content is emitted as standard blocks instead.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessageChunk, ToolCallChunk
from langchain_core.messages.tool import tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk

from mimo_client import StreamAccumulator, StreamDelta

from ._convert import PROVIDER, response_metadata, usage_to_metadata

__all__ = ["StreamChunkBuilder"]


def _tool_call_chunks(fragments: list[dict[str, Any]]) -> list[ToolCallChunk]:
    """LangChain tool-call chunks from the wire's tool-call fragments of one delta."""
    chunks: list[ToolCallChunk] = []
    for fragment in fragments:
        function = fragment.get("function") or {}
        chunks.append(
            tool_call_chunk(
                name=function.get("name"),
                args=function.get("arguments"),
                id=fragment.get("id"),
                index=fragment.get("index"),
            )
        )
    return chunks


class StreamChunkBuilder:
    """Turns the core's stream deltas into ChatGenerationChunks (of AIMessageChunks) for one stream.

    Each delta with reasoning, text or tool-call fragments becomes one chunk. The finish
    reason, model name, response id and usage are held back and sent once, on the last chunk
    (``chunk_position="last"``), so exactly one chunk carries usage and adding chunks never
    double-counts. With ``output_version="v1"`` content is emitted as standard blocks, each
    with its own ``index`` (reasoning, text and every tool call get distinct indexes), so
    interleaved parallel calls and reasoning never merge into one block.
    """

    __slots__ = (
        "_call_blocks",
        "_current_index",
        "_current_key",
        "_model",
        "_next_index",
        "_v1",
        "_with_usage",
    )

    def __init__(self, *, model: str, v1: bool, with_usage: bool) -> None:
        self._model = model
        self._v1 = v1
        self._with_usage = with_usage
        self._call_blocks: dict[tuple[str, Any], int] = {}
        self._current_key: Any = None
        self._current_index = 0
        self._next_index = 0

    def _block_index(self, key: Any) -> int:
        # A reasoning or text run gets a new index whenever another block came between; a
        # tool call keeps the index of its first fragment however the calls interleave.
        if key == self._current_key:
            return self._current_index
        if isinstance(key, tuple):
            index = self._call_blocks.get(key)
            if index is None:
                index = self._call_blocks[key] = self._next_index
                self._next_index += 1
        else:
            index = self._next_index
            self._next_index += 1
        self._current_key, self._current_index = key, index
        return index

    def add(self, delta: StreamDelta) -> ChatGenerationChunk | None:
        """The generation chunk for one delta, or None when it only carried end-of-turn data.

        Only the fields the delta fills are passed: ``BaseChatModel.stream`` keeps every chunk
        until the end, and a chunk with fewer fields set holds less memory (the long stream's
        numbers are in ``benchmarks/README.md``).
        """
        reasoning, text, fragments = delta.reasoning, delta.content, delta.tool_calls
        if not (reasoning or text or fragments):
            return None
        chunks = _tool_call_chunks(fragments) if fragments else []
        fields: dict[str, Any] = {"response_metadata": {"model_provider": PROVIDER}}
        if self._v1:
            fields["content"] = self._blocks(reasoning, text, chunks)
            fields["response_metadata"]["output_version"] = "v1"
        else:
            fields["content"] = text or ""
        if reasoning:
            fields["additional_kwargs"] = {"reasoning_content": reasoning}
        if chunks:
            fields["tool_call_chunks"] = chunks
        return ChatGenerationChunk(message=AIMessageChunk(**fields))

    def _blocks(
        self, reasoning: str | None, text: str | None, chunks: list[ToolCallChunk]
    ) -> list[str | dict[str, Any]]:
        """The v1 content blocks of one delta, each with its stream-wide ``index``."""
        blocks: list[str | dict[str, Any]] = []
        if reasoning:
            blocks.append(
                {"type": "reasoning", "reasoning": reasoning, "index": self._block_index("r")}
            )
        if text:
            blocks.append({"type": "text", "text": text, "index": self._block_index("t")})
        for chunk in chunks:
            blocks.append(
                {
                    "type": "tool_call_chunk",
                    "id": chunk["id"],
                    "name": chunk["name"],
                    "args": chunk["args"],
                    "index": self._block_index(("call", chunk["index"])),
                }
            )
        return blocks

    def last(self, turn: StreamAccumulator) -> ChatGenerationChunk:
        """The closing chunk: finish reason, model name, id and (once) the usage.

        Read from the core's accumulator of the same stream, which already tracked them.
        """
        model = turn.model or self._model
        metadata = response_metadata(turn.id, model, turn.finish_reason)
        if self._v1:
            metadata["output_version"] = "v1"
        usage = usage_to_metadata(turn.usage) if turn.usage and self._with_usage else None
        return ChatGenerationChunk(
            message=AIMessageChunk(
                content=[] if self._v1 else "",
                usage_metadata=usage,
                response_metadata=metadata,
                chunk_position="last",
            )
        )
