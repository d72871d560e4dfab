"""The reply the emulator gives when no reply is scripted, derived from the request.

Rules (also in the package docstring):
1. ``response_format`` json_object: the content is a JSON object. If a system or developer message
   carries a JSON schema (an embedded ``{...}`` with ``properties``), the object is generated from
   it; otherwise it is ``{"answer": <the text rule 3 or 4 would give>}``.
2. Tools given and the last message is from the user: call the first tool, with arguments
   generated from its ``parameters`` schema (finish reason ``tool_calls``).
3. The last message is a tool result: "The <name> tool returned: <result>".
4. Otherwise: "Emulated MiMo answer to: <last user text>".
In thinking mode a reasoning text comes first ("The user asked: ...").
Quoted texts are whitespace-collapsed and cut to 200 characters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ._reply import Reply
from ._rules import thinking_enabled
from ._schema import example_for

SNIPPET = 200


def message_text(message: Mapping[str, Any]) -> str:
    """The text of a message: a string content, or its text parts joined by spaces."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(
            p["text"]
            for p in content
            if isinstance(p, Mapping) and p.get("type") == "text" and isinstance(p.get("text"), str)
        )
    return ""


def _snippet(text: str) -> str:
    return " ".join(text.split())[:SNIPPET]


def _last_user_text(messages: list[Mapping[str, Any]]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            return _snippet(message_text(message))
    return ""


def _tool_name(messages: list[Mapping[str, Any]], call_id: Any) -> str:
    for message in reversed(messages):
        for call in message.get("tool_calls") or ():
            if isinstance(call, Mapping) and call.get("id") == call_id:
                function = call.get("function")
                if isinstance(function, Mapping):
                    return str(function.get("name") or "unknown")
    return "unknown"


def _embedded_schema(messages: list[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    decoder = json.JSONDecoder()
    for message in messages:
        if message.get("role") not in ("system", "developer"):
            continue
        text = message_text(message)
        start = text.find("{")
        while start != -1:
            try:
                value, _ = decoder.raw_decode(text, start)
            except ValueError:
                value = None
            if isinstance(value, Mapping) and "properties" in value:
                return value
            start = text.find("{", start + 1)
    return None


def auto_reply(body: Mapping[str, Any]) -> Reply:
    """The unscripted reply to a valid chat-completions body (see the module docstring)."""
    messages: list[Mapping[str, Any]] = body["messages"]
    last = messages[-1]
    user_text = _last_user_text(messages)
    reasoning = f'The user asked: "{user_text}". ' if thinking_enabled(body) else None
    tools = [t for t in body.get("tools") or [] if t.get("type") == "function"]  # not web_search
    fmt = body.get("response_format") or {}
    if tools and last.get("role") == "user" and fmt.get("type") != "json_object":
        function = tools[0]["function"]
        arguments = example_for(function.get("parameters") or {})
        if reasoning is not None:
            reasoning += f"I will call the {function['name']} tool."
        return Reply.tool_calls(
            (function["name"], json.dumps(arguments, ensure_ascii=False)), reasoning=reasoning
        )
    if last.get("role") == "tool":
        name = _tool_name(messages, last.get("tool_call_id"))
        text = f"The {name} tool returned: {_snippet(message_text(last))}"
    else:
        text = f"Emulated MiMo answer to: {user_text}"
    if reasoning is not None:
        reasoning += "I will answer."
    if fmt.get("type") == "json_object":
        schema = _embedded_schema(messages)
        value = example_for(schema) if schema is not None else {"answer": text}
        text = json.dumps(value, ensure_ascii=False)
    return Reply.text(text, reasoning=reasoning)
