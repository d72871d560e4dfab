"""The core's ``AssistantTurn`` / ``StreamDelta`` -> LlamaIndex ``ChatResponse`` and blocks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from mimo_client import AssistantTurn, StreamDelta, ToolCall, Usage

__all__ = [
    "ChatStreamBuilder",
    "chat_response_from_completion",
    "completion_response",
    "message_from_turn",
    "token_counts",
]


def token_counts(usage: Usage | None) -> dict[str, Any]:
    """Usage as the OpenAI-style keys LlamaIndex reads from ``additional_kwargs``."""
    if usage is None:
        return {}
    counts: dict[str, Any] = {
        "prompt_tokens": usage.input_tokens,
        "completion_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
    }
    if usage.reasoning_tokens is not None:
        counts["reasoning_tokens"] = usage.reasoning_tokens
    if usage.cached_tokens is not None:
        counts["cached_tokens"] = usage.cached_tokens
    return counts


def _tool_call_block(call: ToolCall, *, final: bool) -> ToolCallBlock:
    kwargs: dict[str, Any] | str = call.arguments
    if final:
        parsed, _error = call.parse_arguments()
        if parsed is not None:
            kwargs = parsed  # broken JSON stays a string, for the caller to see
    return ToolCallBlock.model_construct(
        tool_call_id=call.id, tool_name=call.name, tool_kwargs=kwargs
    )


def _thinking_block(reasoning: str, usage: Usage | None) -> ThinkingBlock:
    tokens = usage.reasoning_tokens if usage is not None else None
    return ThinkingBlock.model_construct(content=reasoning, num_tokens=tokens)


def message_from_turn(turn: AssistantTurn) -> ChatMessage:
    """A finished turn as a ``ChatMessage``: ThinkingBlock, TextBlock, then ToolCallBlocks."""
    blocks: list[Any] = []
    if turn.reasoning_content is not None:
        blocks.append(_thinking_block(turn.reasoning_content, turn.usage))
    blocks.append(TextBlock.model_construct(text=turn.content))
    blocks.extend(_tool_call_block(call, final=True) for call in turn.tool_calls)
    kwargs: dict[str, Any] = {}
    if turn.annotations:
        kwargs["annotations"] = turn.annotations
    return ChatMessage.model_construct(
        role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=kwargs
    )


def chat_response_from_completion(completion: dict[str, Any]) -> ChatResponse:
    """A non-streamed completion dict as a ``ChatResponse`` (``raw`` keeps ``usage``)."""
    turn = AssistantTurn.from_completion(completion)
    return ChatResponse(
        message=message_from_turn(turn),
        raw=completion,
        additional_kwargs=token_counts(turn.usage),
    )


def completion_response(response: ChatResponse) -> CompletionResponse:
    """A chat response as a completion; reasoning goes to ``additional_kwargs``."""
    kwargs = dict(response.additional_kwargs)
    for block in response.message.blocks:
        if isinstance(block, ThinkingBlock) and block.content is not None:
            kwargs["thinking"] = block.content
    return CompletionResponse(
        text=response.message.content or "",
        delta=response.delta,
        raw=response.raw,
        additional_kwargs=kwargs,
    )


class ChatStreamBuilder:
    """Turns each :class:`StreamDelta` into a ``ChatResponse`` carrying the turn so far.

    Blocks that a delta did not change are reused from the previous chunk, and blocks are
    built with ``model_construct`` (the values come from the core, already typed), so a
    delta costs one string append for the kind of text it carries. The full text so far is
    what LlamaIndex's stream contract asks for (``message.content`` is read per chunk).
    """

    __slots__ = ("_calls", "_reasoning", "_text", "_text_block", "_thinking", "_tool_calls")

    def __init__(self, tool_calls: Callable[[], list[ToolCall]]) -> None:
        self._tool_calls = tool_calls
        self._reasoning: str | None = None
        self._text = ""
        self._thinking: ThinkingBlock | None = None
        self._text_block = TextBlock.model_construct(text="")
        self._calls: list[ToolCallBlock] = []

    def response(self, delta: StreamDelta) -> ChatResponse:
        """The ``ChatResponse`` for one delta."""
        extra: dict[str, Any] = {}
        if delta.reasoning is not None:
            self._reasoning = (self._reasoning or "") + delta.reasoning
            self._thinking = _thinking_block(self._reasoning, None)
            extra["thinking_delta"] = delta.reasoning
        if delta.content is not None:
            self._text += delta.content
            self._text_block = TextBlock.model_construct(text=self._text)
        if delta.tool_calls is not None or (delta.finish_reason and self._calls):
            final = delta.finish_reason is not None
            self._calls = [_tool_call_block(c, final=final) for c in self._tool_calls()]
        if delta.usage is not None:
            extra.update(token_counts(delta.usage))
            if self._reasoning is not None:
                self._thinking = _thinking_block(self._reasoning, delta.usage)
        blocks: list[Any] = [self._text_block, *self._calls]
        if self._thinking is not None:
            blocks.insert(0, self._thinking)
        message = ChatMessage.model_construct(
            role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs={}
        )
        return ChatResponse.model_construct(
            message=message,
            raw=delta.chunk,
            delta=delta.content or "",
            additional_kwargs=extra,
        )
