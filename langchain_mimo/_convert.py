"""The core's AssistantTurn / StreamDelta / Usage -> LangChain AIMessage / AIMessageChunk.

Reasoning goes to ``additional_kwargs["reasoning_content"]`` (so chunks concatenate it when
added) and ``response_metadata["model_provider"] = "mimo"`` marks every message, so
``content_blocks`` puts a ``reasoning`` block first. Tool-call arguments that are not a JSON
object become ``invalid_tool_calls``; they never raise.
"""

from __future__ import annotations

from typing import Any, cast

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    InvalidToolCall,
    ToolCall,
    ToolCallChunk,
    UsageMetadata,
)
from langchain_core.messages.tool import invalid_tool_call, tool_call, tool_call_chunk
from langchain_core.outputs import ChatGenerationChunk

from mimo_client import AssistantTurn, StreamAccumulator, StreamDelta, Usage

__all__ = ["PROVIDER", "StreamChunkBuilder", "turn_to_message", "usage_to_metadata"]

PROVIDER = "mimo"


def usage_to_metadata(usage: Usage) -> UsageMetadata:
    """LangChain usage metadata from the core's usage (cache reads and reasoning included)."""
    metadata: dict[str, Any] = {
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    input_details: dict[str, int] = {}
    if usage.cached_tokens is not None:
        input_details["cache_read"] = usage.cached_tokens
    prompt_details = usage.raw.get("prompt_tokens_details") or {}
    if isinstance(prompt_details.get("audio_tokens"), int):
        input_details["audio"] = prompt_details["audio_tokens"]
    if input_details:
        metadata["input_token_details"] = input_details
    if usage.reasoning_tokens is not None:
        metadata["output_token_details"] = {"reasoning": usage.reasoning_tokens}
    return cast("UsageMetadata", metadata)


def _response_metadata(
    turn_id: str | None, model: str | None, finish: str | None
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"model_provider": PROVIDER}
    if model:
        metadata["model_name"] = model
    if finish:
        metadata["finish_reason"] = finish
    if turn_id:
        metadata["id"] = turn_id
    return metadata


def turn_to_message(turn: AssistantTurn, *, model: str) -> AIMessage:
    """A finished assistant turn as an AIMessage (``model`` names it if the service did not)."""
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for call in turn.tool_calls:
        args, error = call.parse_arguments()
        if args is None:
            invalid.append(
                invalid_tool_call(name=call.name, args=call.arguments, id=call.id, error=error)
            )
        else:
            calls.append(tool_call(name=call.name, args=args, id=call.id))
    additional_kwargs: dict[str, Any] = {}
    if turn.reasoning_content is not None:
        additional_kwargs["reasoning_content"] = turn.reasoning_content
    if turn.annotations:
        additional_kwargs["annotations"] = turn.annotations
    return AIMessage(
        content=turn.content,
        additional_kwargs=additional_kwargs,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=usage_to_metadata(turn.usage) if turn.usage else None,
        response_metadata=_response_metadata(turn.id, turn.model or model, turn.finish_reason),
    )


# Copied into each chunk by validation, so one shared mapping is safe.
_METADATA: dict[str, Any] = {"model_provider": PROVIDER}
_V1_METADATA: dict[str, Any] = {"model_provider": PROVIDER, "output_version": "v1"}


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

        Only non-empty fields are passed, so each chunk's pydantic fields-set stays small
        (LangChain adds ``id`` to it; five names make CPython grow the set from 216 to 728
        bytes, and ``BaseChatModel.stream`` keeps every chunk to the end). The generation's
        ``text`` is the content string itself rather than the validator's fresh copy.
        """
        reasoning, text, fragments = delta.reasoning, delta.content, delta.tool_calls
        if not (reasoning or text or fragments):
            return None
        chunks = _tool_call_chunks(fragments) if fragments else None
        if self._v1 or chunks:
            fields: dict[str, Any] = {"tool_call_chunks": chunks} if chunks else {}
            if reasoning:
                fields["additional_kwargs"] = {"reasoning_content": reasoning}
            if self._v1:
                content = self._blocks(reasoning, text, chunks)
                message = AIMessageChunk(content=content, response_metadata=_V1_METADATA, **fields)
                return ChatGenerationChunk(message=message)
            message = AIMessageChunk(content=text or "", response_metadata=_METADATA, **fields)
        elif reasoning:  # the common cases, spelled out: this runs once per streamed token
            message = AIMessageChunk(
                content=text or "",
                additional_kwargs={"reasoning_content": reasoning},
                response_metadata=_METADATA,
            )
        else:  # text is set: the delta carried something
            message = AIMessageChunk(content=text or "", response_metadata=_METADATA)
        generation = ChatGenerationChunk(message=message)
        # The validator stored a TextAccessor copy of the content; keep the string itself.
        # (pydantic's own __setattr__ does just this for a field without validate_assignment;
        # "text" is already in the fields-set.)
        generation.__dict__["text"] = message.content
        return generation

    def _blocks(
        self, reasoning: str | None, text: str | None, chunks: list[ToolCallChunk] | None
    ) -> list[str | dict[str, Any]]:
        """The v1 content blocks of one delta, each with its stream-wide ``index``."""
        blocks: list[str | dict[str, Any]] = []
        if reasoning:
            blocks.append(
                {"type": "reasoning", "reasoning": reasoning, "index": self._block_index("r")}
            )
        if text:
            blocks.append({"type": "text", "text": text, "index": self._block_index("t")})
        for chunk in chunks or ():
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
        metadata = _response_metadata(turn.id, model, turn.finish_reason)
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
