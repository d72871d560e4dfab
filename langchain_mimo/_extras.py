"""Web search results and speech audio on ChatMiMo's messages and stream chunks.

Kept beside the main converters (``_convert``, ``_stream``): a reply without either leaves
them untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from mimo_client import AssistantTurn, StreamAccumulator, StreamDelta

from ._convert import PROVIDER
from ._speech import AudioPieces, audio_block, reply_mime_type
from ._web_search import citations, search_metadata, warn_search_error

__all__ = ["StreamExtras", "with_turn_extras"]


def with_turn_extras(
    message: AIMessage, turn: AssistantTurn, request: Mapping[str, Any]
) -> AIMessage:
    """``message`` with the turn's web search results and audio, if it has any."""
    metadata = search_metadata(turn.annotations, turn.error_message, turn.usage)
    if not metadata and not turn.audio:
        return message
    if turn.error_message:
        warn_search_error(turn.error_message)
    content: Any = message.content
    additional_kwargs = dict(message.additional_kwargs)
    if turn.audio:
        blocks: list[Any] = [{"type": "text", "text": content}] if content else []
        blocks.append(audio_block(str(turn.audio.get("data") or ""), reply_mime_type(request)))
        content = blocks
        additional_kwargs["audio"] = turn.audio
    return AIMessage(
        content=content,
        additional_kwargs=additional_kwargs,
        response_metadata={**message.response_metadata, **metadata},
        tool_calls=message.tool_calls,
        invalid_tool_calls=message.invalid_tool_calls,
        usage_metadata=message.usage_metadata,
        id=message.id,
    )


class StreamExtras:
    """The chunks a stream needs beyond text, reasoning and tool calls.

    Web search: the early annotations (and a search error) become one chunk whose
    ``response_metadata`` carries them, so the added-up message holds each source once;
    ``web_search_usage`` comes on a chunk before the last. Speech: each audio piece becomes an
    ``audio`` block chunk; the blocks join into the whole clip (PCM16LE, 24 kHz mono), and the
    raw audio object lands in ``additional_kwargs["audio"]`` at the end.

    With ``output_version="v1"`` the content is the blocks themselves (LangChain reads no
    metadata for it), so the citations also come at the end, as ``annotations`` on an empty
    text block; LangChain's v1 stream gives it the index of the block before it (the
    answer's text), so added up, the answer's one text block holds them, as ``invoke`` gives.
    """

    __slots__ = ("_audio", "_v1")

    def __init__(self, *, v1: bool) -> None:
        self._v1 = v1
        self._audio = AudioPieces()

    def _chunk(self, content: Any, **fields: Any) -> ChatGenerationChunk:
        metadata = {"model_provider": PROVIDER, **fields.pop("response_metadata", {})}
        if self._v1:
            metadata["output_version"] = "v1"
        message = AIMessageChunk(content=content, response_metadata=metadata, **fields)
        return ChatGenerationChunk(message=message)

    def chunk(
        self, delta: StreamDelta, accumulator: StreamAccumulator
    ) -> ChatGenerationChunk | None:
        """The extra chunk for one delta, or None (nearly always: most deltas carry neither)."""
        if delta.annotations is None and delta.error_message is None and delta.audio is None:
            return None
        if delta.audio is not None:
            block = self._audio.block(accumulator.audio, final=False)
            return None if block is None else self._chunk([block])
        if delta.error_message:
            warn_search_error(delta.error_message)
        metadata = search_metadata(delta.annotations, delta.error_message, None)
        return self._chunk([] if self._v1 else "", response_metadata=metadata)

    def finish(self, accumulator: StreamAccumulator) -> ChatGenerationChunk | None:
        """The chunk before the last: audio left over, the raw audio and web_search_usage."""
        fields: dict[str, Any] = {}
        content: Any = [] if self._v1 else ""
        block = self._audio.block(accumulator.audio, final=True)
        if block is not None:
            content = [block]
        if self._v1 and accumulator.annotations:
            cited = {"type": "text", "text": "", "annotations": citations(accumulator.annotations)}
            content = [*content, cited]
        turn_audio = accumulator.audio_object()
        if turn_audio:
            fields["additional_kwargs"] = {"audio": turn_audio}
        usage = accumulator.usage
        if usage is not None and usage.web_search_usage:
            fields["response_metadata"] = {"web_search_usage": usage.web_search_usage}
        if not fields and not content:
            return None
        return self._chunk(content, **fields)
