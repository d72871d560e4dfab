"""LlamaIndex ``ChatMessage``s and their blocks -> OpenAI-format wire dicts for ``mimo_client``.

Only the translation of types lives here. The service's rules (``content`` never null,
``reasoning_content`` required on thinking-mode tool-call turns, tool content as a string, ...)
are checked and enforced by :func:`mimo_client.build_request`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from llama_index.core.base.llms.types import (
    AudioBlock,
    CachePoint,
    ChatMessage,
    CitationBlock,
    ImageBlock,
    MessageRole,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
    VideoBlock,
)

from ._media import media_part_of

__all__ = ["legacy_tool_call", "message_to_wire", "messages_to_wire"]

_ROLES: dict[MessageRole, str] = {
    MessageRole.SYSTEM: "system",
    MessageRole.DEVELOPER: "developer",
    MessageRole.USER: "user",
    MessageRole.ASSISTANT: "assistant",
    MessageRole.CHATBOT: "assistant",
    MessageRole.MODEL: "assistant",
    MessageRole.TOOL: "tool",
    MessageRole.FUNCTION: "tool",
}


def messages_to_wire(messages: Sequence[ChatMessage]) -> list[dict[str, Any]]:
    """Translate a LlamaIndex chat history into OpenAI-format message dicts."""
    return [message_to_wire(message) for message in messages]


def message_to_wire(message: ChatMessage) -> dict[str, Any]:
    """Translate one ``ChatMessage``; raises ``ValueError`` for blocks MiMo cannot take."""
    role = _ROLES[MessageRole(message.role)]
    if role == "assistant":
        return _assistant(message)
    if role == "tool":
        return _tool(message)
    if role == "user":
        return {"role": "user", "content": _user_content(message.blocks)}
    return {"role": role, "content": _text_only(message.blocks, role)}


def _assistant(message: ChatMessage) -> dict[str, Any]:
    texts: list[str] = []
    reasoning: list[str] = []
    thought = False  # a ThinkingBlock, even an empty one, is reasoning to pass back
    calls: list[dict[str, Any]] = []
    for block in message.blocks:
        if isinstance(block, TextBlock):
            texts.append(block.text)
        elif isinstance(block, ThinkingBlock):
            if block.content is not None:
                reasoning.append(block.content)
                thought = True
        elif isinstance(block, ToolCallBlock):
            calls.append(_tool_call_from_block(block))
        elif isinstance(block, (CitationBlock, AudioBlock)):
            continue  # a web search's sources and a speech reply's audio are not sent back
        elif not isinstance(block, CachePoint):
            raise ValueError(_unsupported(block, "an assistant"))
    wire: dict[str, Any] = {"role": "assistant", "content": "\n".join(texts)}
    kwargs = message.additional_kwargs
    if thought:
        wire["reasoning_content"] = "".join(reasoning)
    elif isinstance(kwargs.get("reasoning_content"), str):
        wire["reasoning_content"] = kwargs["reasoning_content"]
    if not calls and kwargs.get("tool_calls"):
        calls = [legacy_tool_call(call) for call in kwargs["tool_calls"]]
    if calls:
        wire["tool_calls"] = calls
    return wire


def _tool(message: ChatMessage) -> dict[str, Any]:
    kwargs = message.additional_kwargs
    call_id = kwargs.get("tool_call_id") or kwargs.get("id")
    # Tool outputs may carry media blocks (an image a tool produced); the service takes
    # only a string here, so the text is what is sent.
    text = "\n".join(b.text for b in message.blocks if isinstance(b, TextBlock))
    wire: dict[str, Any] = {"role": "tool", "content": text}
    if call_id:
        wire["tool_call_id"] = str(call_id)
    return wire


def _text_only(blocks: Sequence[Any], role: str) -> str:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            texts.append(block.text)
        elif not isinstance(block, (CachePoint, ThinkingBlock)):
            raise ValueError(_unsupported(block, f"a {role}"))
    return "\n".join(texts)


def _user_content(blocks: Sequence[Any]) -> str | list[dict[str, Any]]:
    parts: list[dict[str, Any]] = []
    media = False
    for block in blocks:
        if isinstance(block, TextBlock):
            parts.append({"type": "text", "text": block.text})
        elif isinstance(block, (ImageBlock, AudioBlock, VideoBlock)):
            parts.append(media_part_of(block))
            media = True
        elif not isinstance(block, (CachePoint, ThinkingBlock)):
            raise ValueError(_unsupported(block, "a user"))
    if not media:
        return "\n".join(part["text"] for part in parts)
    return parts


def _tool_call_from_block(block: ToolCallBlock) -> dict[str, Any]:
    # dict arguments are written as JSON text by the core (mimo_client.to_wire_messages)
    return {
        "id": block.tool_call_id or "",
        "type": "function",
        "function": {"name": block.tool_name, "arguments": block.tool_kwargs},
    }


def legacy_tool_call(call: Any) -> dict[str, Any]:
    """``additional_kwargs["tool_calls"]`` entries: wire dicts or OpenAI SDK objects."""
    if not isinstance(call, Mapping):
        dump = getattr(call, "model_dump", None)
        if dump is None:
            raise ValueError(f"cannot read a tool call of type {type(call).__name__}")
        call = dump()
    function = call.get("function") or {}
    return {
        "id": call.get("id") or "",
        "type": "function",
        "function": {
            "name": function.get("name") or "",
            "arguments": function.get("arguments") or "{}",
        },
    }


def _unsupported(block: Any, where: str) -> str:
    kind = getattr(block, "block_type", type(block).__name__)
    return (
        f"MiMo cannot take a {kind!r} block in {where} message; send text, images, audio "
        "or video (in user messages), and extract the text of documents first"
    )
