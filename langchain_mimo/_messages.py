"""LangChain messages -> MiMo wire message dicts.

Handles v0 (string or provider-style list) and v1 (standard content blocks) content. The
reasoning of every assistant message goes back as ``reasoning_content``, taken from
``additional_kwargs["reasoning_content"]`` or, failing that, from v1 ``reasoning`` blocks:
MiMo rejects a thinking-mode tool-call turn without it, which is what breaks agents built on
ChatOpenAI/ChatDeepSeek. The service's own normalization rules (null content, tool content
as a string, empty tool names, ...) are applied afterwards by ``mimo_client.build_request``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    InvalidToolCall,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.messages.tool import tool_call

from ._media import to_wire_user_content

__all__ = ["message_to_wire", "messages_to_wire", "reasoning_of"]

# Block types in assistant content that carry the visible text.
_TEXT_TYPES = frozenset({"text", "output_text"})


def reasoning_of(message: AIMessage) -> str | None:
    """The reasoning to pass back for ``message``, or None if it has none.

    ``additional_kwargs["reasoning_content"]`` wins (it is what this integration and most
    OpenAI-compatible ones store); otherwise v1 ``reasoning`` blocks (and Anthropic-style
    ``thinking`` blocks) in the content are joined in order.
    """
    stored = message.additional_kwargs.get("reasoning_content")
    if isinstance(stored, str):
        return stored
    if isinstance(message.content, str):
        return None
    parts: list[str] = []
    found = False
    for block in message.content:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "reasoning":
            found = True
            parts.append(str(block.get("reasoning") or ""))
        elif kind == "thinking":
            found = True
            parts.append(str(block.get("thinking") or ""))
    return "".join(parts) if found else None


def _assistant_text(content: str | list[str | dict[str, Any]]) -> str:
    if isinstance(content, str):
        return content
    texts: list[str] = []
    for block in content:
        if isinstance(block, str):
            texts.append(block)
        elif isinstance(block, dict) and block.get("type") in _TEXT_TYPES:
            texts.append(str(block.get("text") or ""))
        # reasoning, tool_call / tool_use and other non-text blocks are carried elsewhere
    return "".join(texts)


def _wire_tool_call(call: ToolCall) -> dict[str, Any]:
    return {
        "id": call.get("id"),
        "type": "function",
        "function": {
            "name": call["name"],
            "arguments": call["args"],  # the core writes dict arguments as JSON text
        },
    }


def _wire_invalid_tool_call(call: InvalidToolCall) -> dict[str, Any]:
    return {
        "id": call.get("id"),
        "type": "function",
        "function": {"name": call.get("name"), "arguments": call.get("args") or ""},
    }


def _calls_in_content(content: str | list[str | dict[str, Any]]) -> list[ToolCall]:
    """Tool calls written only as content blocks (v1 ``tool_call``, Anthropic ``tool_use``)."""
    if isinstance(content, str):
        return []
    calls: list[ToolCall] = []
    for block in content:
        if not isinstance(block, dict):
            continue
        if block.get("type") == "tool_call":
            args = block.get("args") or {}
        elif block.get("type") == "tool_use":
            args = block.get("input") or {}
        else:
            continue
        calls.append(tool_call(name=str(block.get("name") or ""), args=args, id=block.get("id")))
    return calls


def _assistant_to_wire(message: AIMessage) -> dict[str, Any]:
    wire: dict[str, Any] = {"role": "assistant", "content": _assistant_text(message.content)}
    tool_calls = message.tool_calls
    if not tool_calls and not message.invalid_tool_calls:
        tool_calls = _calls_in_content(message.content)
    calls = [_wire_tool_call(c) for c in tool_calls]
    calls += [_wire_invalid_tool_call(c) for c in message.invalid_tool_calls]
    if calls:
        wire["tool_calls"] = calls
    reasoning = reasoning_of(message)
    if reasoning is not None:
        wire["reasoning_content"] = reasoning
    return wire


def message_to_wire(message: BaseMessage) -> dict[str, Any]:
    """Translate one LangChain message to a MiMo wire message dict.

    The ``name`` field of LangChain messages is not sent: MiMo's message object documents
    only ``role``, ``content``, ``reasoning_content`` and ``tool_calls`` (plus
    ``tool_call_id`` on tool messages).
    """
    if isinstance(message, AIMessage):
        return _assistant_to_wire(message)
    if isinstance(message, HumanMessage):
        return {"role": "user", "content": to_wire_user_content(message.content)}
    if isinstance(message, SystemMessage):
        role = (
            "developer"
            if message.additional_kwargs.get("__openai_role__") == "developer"
            else "system"
        )
        return {"role": role, "content": message.content}  # the core joins text parts
    if isinstance(message, ToolMessage):
        return {"role": "tool", "tool_call_id": message.tool_call_id, "content": message.content}
    if isinstance(message, ChatMessage):
        if message.role == "user":
            return {"role": "user", "content": to_wire_user_content(message.content)}
        return {"role": message.role, "content": message.content}
    raise ValueError(
        f"message type {message.type!r} is not supported by MiMo; use system, human, ai or "
        "tool messages"
    )


def messages_to_wire(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """Translate a LangChain message history to MiMo wire message dicts, in order."""
    return [message_to_wire(m) for m in messages]
