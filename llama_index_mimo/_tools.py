"""LlamaIndex tools <-> the OpenAI-format tool dicts and tool calls the core speaks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from llama_index.core.base.llms.types import ChatMessage, ToolCallBlock
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.llms.utils import parse_partial_json

from ._messages import legacy_tool_call

if TYPE_CHECKING:
    from llama_index.core.tools.types import BaseTool

__all__ = ["tool_selections", "tool_specs"]


def tool_specs(tools: Sequence[BaseTool]) -> list[dict[str, Any]]:
    """The tools as OpenAI function-tool dicts (the core checks names and ``strict``)."""
    return [tool.metadata.to_openai_tool(skip_length_check=True) for tool in tools]


def _arguments(value: dict[str, Any] | str) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    # a streamed chunk's arguments may still be arriving; broken ones read as no arguments
    # (the block keeps the text, for the caller to see)
    try:
        parsed = parse_partial_json(value)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def tool_selections(message: ChatMessage) -> list[ToolSelection]:
    """The tool calls of a message: its ToolCallBlocks, else legacy ``additional_kwargs``."""
    blocks = [b for b in message.blocks if isinstance(b, ToolCallBlock)]
    if blocks:
        return [
            ToolSelection(
                tool_id=block.tool_call_id or "",
                tool_name=block.tool_name,
                tool_kwargs=_arguments(block.tool_kwargs),
            )
            for block in blocks
        ]
    selections = []
    for call in message.additional_kwargs.get("tool_calls") or ():
        wire = legacy_tool_call(call)
        selections.append(
            ToolSelection(
                tool_id=wire["id"],
                tool_name=wire["function"]["name"],
                tool_kwargs=_arguments(wire["function"]["arguments"]),
            )
        )
    return selections
