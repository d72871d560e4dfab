"""The core's finished AssistantTurn and Usage -> LangChain AIMessage and usage metadata.

Reasoning goes to ``additional_kwargs["reasoning_content"]`` (so chunks concatenate it when
added) and ``response_metadata["model_provider"] = "mimo"`` marks every message, so
``content_blocks`` puts a ``reasoning`` block first. Tool-call arguments that are not a JSON
object become ``invalid_tool_calls``; they never raise.
"""

from __future__ import annotations

from typing import Any, cast

from langchain_core.messages import AIMessage, InvalidToolCall, ToolCall, UsageMetadata
from langchain_core.messages.tool import invalid_tool_call, tool_call

from mimo_client import AssistantTurn, Usage

__all__ = ["PROVIDER", "response_metadata", "turn_to_message", "usage_to_metadata"]

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
    if usage.audio_tokens is not None:
        input_details["audio"] = usage.audio_tokens
    if input_details:
        metadata["input_token_details"] = input_details
    if usage.reasoning_tokens is not None:
        metadata["output_token_details"] = {"reasoning": usage.reasoning_tokens}
    return cast("UsageMetadata", metadata)


def response_metadata(turn_id: str | None, model: str | None, finish: str | None) -> dict[str, Any]:
    """The ``response_metadata`` of a reply: provider, model name, finish reason, id."""
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
    return AIMessage(
        content=turn.content,
        additional_kwargs=additional_kwargs,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=usage_to_metadata(turn.usage) if turn.usage else None,
        response_metadata=response_metadata(turn.id, turn.model or model, turn.finish_reason),
    )
