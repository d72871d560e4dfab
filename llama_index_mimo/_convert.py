"""The core's finished ``AssistantTurn`` -> LlamaIndex ``ChatResponse``, its blocks and usage."""

from __future__ import annotations

from typing import Any

from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from mimo_client import AssistantTurn, ToolCall, Usage

from ._speech import audio_block
from ._web_search import citation_blocks, search_kwargs

__all__ = [
    "chat_response_from_completion",
    "message_from_turn",
    "thinking_block",
    "token_counts",
    "tool_call_block",
    "with_reasoning",
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


def tool_call_block(call: ToolCall, *, final: bool) -> ToolCallBlock:
    """A tool call as a block; once ``final``, arguments that parse become a dict."""
    kwargs: dict[str, Any] | str = call.arguments
    if final:
        parsed, _error = call.parse_arguments()
        if parsed is not None:
            kwargs = parsed  # broken JSON stays a string, for the caller to see
    return ToolCallBlock(tool_call_id=call.id, tool_name=call.name, tool_kwargs=kwargs)


def thinking_block(reasoning: str, usage: Usage | None) -> ThinkingBlock:
    """Reasoning as a block; ``num_tokens`` is the reasoning token count once usage is known."""
    tokens = usage.reasoning_tokens if usage is not None else None
    return ThinkingBlock(content=reasoning, num_tokens=tokens)


def message_from_turn(turn: AssistantTurn) -> ChatMessage:
    """A finished turn as a ``ChatMessage``: ThinkingBlock, TextBlock, then ToolCallBlocks."""
    blocks: list[Any] = []
    if turn.reasoning_content is not None:
        blocks.append(thinking_block(turn.reasoning_content, turn.usage))
    blocks.append(TextBlock(text=turn.content))
    blocks.extend(tool_call_block(call, final=True) for call in turn.tool_calls)
    blocks.extend(citation_blocks(turn.annotations))  # web search sources
    if (audio := audio_block(turn.audio)) is not None:  # speech
        blocks.append(audio)
    kwargs: dict[str, Any] = {}
    if turn.annotations:
        kwargs["annotations"] = turn.annotations
    return ChatMessage(role=MessageRole.ASSISTANT, blocks=blocks, additional_kwargs=kwargs)


def chat_response_from_completion(
    completion: dict[str, Any], *, max_tool_calls: int | None = None
) -> ChatResponse:
    """A non-streamed completion dict as a ``ChatResponse`` (``raw`` keeps ``usage``).

    ``max_tool_calls`` keeps only that many tool calls (see
    ``mimo_client.integration.tool_call_limit``).
    """
    turn = AssistantTurn.from_completion(completion, max_tool_calls=max_tool_calls)
    kwargs = token_counts(turn.usage)
    if turn.finish_reason is not None:
        kwargs["finish_reason"] = turn.finish_reason  # e.g. "length", "repetition_truncation"
    kwargs.update(search_kwargs(turn.error_message, turn.usage))
    return ChatResponse(message=message_from_turn(turn), raw=completion, additional_kwargs=kwargs)


def with_reasoning(response: ChatResponse) -> ChatResponse:
    """``response`` whose message also carries what a completion reports in ``additional_kwargs``.

    LlamaIndex's chat-to-completion helpers copy the message's ``additional_kwargs`` into the
    ``CompletionResponse``; this puts the response's own (usage, finish reason,
    ``thinking_delta``) there, and the reasoning so far as ``thinking``. Only for responses
    made for one completion call: it edits the message in place.
    """
    kwargs = response.message.additional_kwargs
    kwargs.update(response.additional_kwargs)
    for block in response.message.blocks:
        if isinstance(block, ThinkingBlock) and block.content is not None:
            kwargs["thinking"] = block.content
    return response
