"""The request rules the MiMo service enforces, as the emulator checks them.

``check_request`` returns the 400 reason (the ``param`` of the service's error body) for the first
broken rule, or None. Only the reasoning pass-back reason is documented word for word; the
others quote the fragments public issue threads report (e.g. "`text` is not set").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ..models import get_model_info
from ..request import ROLES, TOOL_NAME, USER_PART_TYPES
from ._speech import check_speech_request, is_speech_model
from ._web_search import check_web_search_tool

REASONING_PASS_BACK = "The reasoning_content in the thinking mode must be passed back to the API."
TEXT_NOT_PRESENT = "`text` is not present"
TEXT_NOT_SET = "`text` is not set"
NAME_NOT_SET = "`name` is not set"
NOT_SUPPORTED_MODEL = "Not supported model"

# The request parameters docs/MIMO_API.md documents (chat, speech and recognition). The service's
# validator answers 400 to anything else since about May 2026 ("unknown parameters answer 400;
# `n` answers 400"); the exact wording of that reason is not published.
KNOWN_PARAMETERS = frozenset(
    {
        "model",
        "messages",
        "max_completion_tokens",
        "temperature",
        "top_p",
        "frequency_penalty",
        "presence_penalty",
        "stop",
        "stream",
        "thinking",
        "reasoning_effort",
        "response_format",
        "tool_choice",
        "tools",
        "audio",
        "asr_options",
        # Not documented, but sent on turn one by the OpenAI-compatible peers (OpenAILike,
        # ChatDeepSeek) whose agents are publicly reported to reach turn two on MiMo.
        "stream_options",
        "parallel_tool_calls",
    }
)

REASONING_EFFORTS = frozenset({"low", "medium", "high"})
TEMPERATURE_RANGE = (0.0, 1.5)
TOP_P_RANGE = (0.01, 1.0)
PENALTY_RANGE = (-2.0, 2.0)
MAX_COMPLETION_TOKENS = 131072


def thinking_default(model: str) -> bool:
    """Whether thinking is on when the request does not say (the core's model table)."""
    return get_model_info(model).thinking_default


def thinking_enabled(body: Mapping[str, Any]) -> bool:
    """Thinking mode of a request: ``thinking.type`` if given, else the model's default."""
    thinking = body.get("thinking")
    if isinstance(thinking, Mapping) and thinking.get("type") in ("enabled", "disabled"):
        return bool(thinking["type"] == "enabled")
    return thinking_default(str(body.get("model", "")))


def check_request(
    body: Any, retired_models: Collection[str] = (), *, strict_parameters: bool = True
) -> str | None:
    """The reason the service would reject this chat-completions body, or None if it accepts.

    ``strict_parameters`` refuses top-level parameters outside :data:`KNOWN_PARAMETERS`.
    """
    if not isinstance(body, Mapping):
        return "The request body must be a JSON object"
    model = body.get("model")
    if not isinstance(model, str) or not model:
        return "`model` is not set"
    # A retired id is refused in any case ("Not supported model MiMo-V2.5-Pro", real-traffic
    # 024), and the reason echoes the id as it was sent.
    if model in retired_models or model.lower() in {m.lower() for m in retired_models}:
        return f"{NOT_SUPPORTED_MODEL} {model}"
    unknown = sorted(set(body) - KNOWN_PARAMETERS) if strict_parameters else ()
    if unknown:
        return f"Unsupported parameter `{unknown[0]}`"
    if is_speech_model(model):
        reason = check_speech_request(body)
        if reason is not None:
            return reason
    return (
        _check_parameters(body)
        or _check_tools(body.get("tools"))
        or _check_messages(body.get("messages"), thinking_enabled(body))
    )


def _out_of(value: Any, bounds: tuple[float, float]) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    return not bounds[0] <= value <= bounds[1]


def _check_parameters(body: Mapping[str, Any]) -> str | None:
    thinking = body.get("thinking")
    if thinking is not None and (
        not isinstance(thinking, Mapping) or thinking.get("type") not in ("enabled", "disabled")
    ):
        return "`thinking.type` must be enabled or disabled"
    effort = body.get("reasoning_effort")
    if effort is not None and effort not in REASONING_EFFORTS:
        return f"reasoning_effort {effort!r} is not supported"
    fmt = body.get("response_format")
    if fmt is not None and (
        not isinstance(fmt, Mapping) or fmt.get("type") not in ("text", "json_object")
    ):
        return "response_format type must be text or json_object"
    for name, bounds in (
        ("temperature", TEMPERATURE_RANGE),
        ("top_p", TOP_P_RANGE),
        ("frequency_penalty", PENALTY_RANGE),
        ("presence_penalty", PENALTY_RANGE),
    ):
        if name in body and body[name] is not None and _out_of(body[name], bounds):
            return f"`{name}` must be between {bounds[0]:g} and {bounds[1]:g}"
    limit = body.get("max_completion_tokens")
    if limit is not None and _out_of(limit, (1, MAX_COMPLETION_TOKENS)):
        return f"`max_completion_tokens` must be between 1 and {MAX_COMPLETION_TOKENS}"
    stop = body.get("stop")
    if stop is not None:
        stops = [stop] if isinstance(stop, str) else stop
        if not isinstance(stops, list) or not all(isinstance(s, str) for s in stops):
            return "`stop` must be a string or a list of strings"
        if len(stops) > 4:
            return "`stop` takes at most 4 strings"
    if "stream" in body and not isinstance(body["stream"], bool):
        return "`stream` must be a boolean"
    return None


def _check_tools(tools: Any) -> str | None:
    if tools is None:
        return None
    if not isinstance(tools, list):
        return "`tools` must be a list"
    for tool in tools:
        if not isinstance(tool, Mapping):
            return "each tool must be an object"
        if tool.get("type") == "web_search":
            reason = check_web_search_tool(tool)
            if reason is not None:
                return reason
            continue
        if tool.get("type") != "function" or not isinstance(tool.get("function"), Mapping):
            return "tool type must be function"
        function = tool["function"]
        name = function.get("name")
        if not isinstance(name, str) or not TOOL_NAME.fullmatch(name):
            return f"Invalid tool name {name!r}: must match [a-zA-Z0-9_-]{{1,64}}"
        if "strict" in function and not isinstance(function["strict"], bool):
            return "`strict` must be a boolean"
        params = function.get("parameters")
        if params is not None and not isinstance(params, Mapping):
            return "tool parameters must be a JSON schema object"
    return None


def _check_messages(messages: Any, thinking: bool) -> str | None:
    if not isinstance(messages, list) or not messages:
        return "`messages` must be a non-empty list"
    for message in messages:
        if not isinstance(message, Mapping):
            return "each message must be an object"
        role = message.get("role")
        if role not in ROLES:
            return f"Unsupported role {role!r}"
    # The pass-back rule wins over the shape rules: clients that send both faults (content null
    # and no reasoning, as the OpenAI SDK-based ones do) report this reason.
    if thinking and any(_lacks_reasoning(m) for m in messages):
        return REASONING_PASS_BACK
    for message in messages:
        reason = _RULES_BY_ROLE[message["role"]](message)
        if reason is not None:
            return reason
    return None


def _lacks_reasoning(message: Mapping[str, Any]) -> bool:
    # Present as a string is enough: clients that pad with "" are reported to pass.
    return (
        message["role"] == "assistant"
        and bool(message.get("tool_calls"))
        and not isinstance(message.get("reasoning_content"), str)
    )


def _check_user(message: Mapping[str, Any]) -> str | None:
    content = message.get("content")
    if isinstance(content, str):
        return None
    if not isinstance(content, list) or not content:
        return TEXT_NOT_SET
    has_text = False
    for part in content:
        if not isinstance(part, Mapping) or part.get("type") not in USER_PART_TYPES:
            return "Unsupported content part"
        if part["type"] == "text":
            if not isinstance(part.get("text"), str):
                return TEXT_NOT_SET
            has_text = True
        elif not isinstance(part.get(part["type"]), Mapping):
            return f"`{part['type']}` is not set"
    return None if has_text else TEXT_NOT_SET


def _check_system(message: Mapping[str, Any]) -> str | None:
    content = message.get("content")
    if isinstance(content, str):
        return None
    if isinstance(content, list) and all(
        isinstance(p, Mapping) and p.get("type") == "text" and isinstance(p.get("text"), str)
        for p in content
    ):
        return None
    return TEXT_NOT_SET


def _check_assistant(message: Mapping[str, Any]) -> str | None:
    calls = message.get("tool_calls")
    content = message.get("content")
    if calls:
        if not isinstance(calls, list):
            return "`tool_calls` must be a list"
        if content is None:
            return TEXT_NOT_PRESENT
        for call in calls:
            function = call.get("function") if isinstance(call, Mapping) else None
            if not isinstance(function, Mapping) or not function.get("name"):
                return NAME_NOT_SET
            if not isinstance(function.get("arguments", ""), str):
                return "tool call `arguments` must be a JSON string"
    elif content is None:
        return TEXT_NOT_PRESENT
    if content is not None and not isinstance(content, str | list):
        return TEXT_NOT_SET
    return None


def _check_tool(message: Mapping[str, Any]) -> str | None:
    if not isinstance(message.get("content"), str):
        return TEXT_NOT_SET
    return None


_RULES_BY_ROLE = {
    "system": _check_system,
    "developer": _check_system,
    "user": _check_user,
    "assistant": _check_assistant,
    "tool": _check_tool,
}
