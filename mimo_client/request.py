"""The neutral request shape and the service's rules on it.

Adapters hand in OpenAI-format message dicts (plus ``reasoning_content`` on assistant
messages); :func:`build_request` normalizes them to what MiMo accepts and raises
:class:`ValueError`, naming the problem and the fix, for what the service would reject;
:func:`encode_request` turns the result into the bytes that are sent.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from .models import KNOWN_MODELS, get_model_info, warn_if_retired
from .speech import is_speech_model, speech_request_rules
from .web_search import WebSearchOption, is_web_search_tool, merge_web_search

__all__ = [
    "NOT_SENT",
    "REQUEST_OPTIONS",
    "build_request",
    "build_request_from",
    "encode_request",
    "is_thinking",
    "json_schema_instruction",
    "thinking_flag",
    "to_wire_messages",
    "to_wire_tools",
    "tool_call_limit",
]

ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
USER_PART_TYPES = frozenset({"text", "image_url", "input_audio", "video_url"})
TOOL_NAME = re.compile(r"[a-zA-Z0-9_-]{1,64}")
RESPONSE_FORMATS = frozenset({"text", "json_object"})


ThinkingOption = bool | Mapping[str, Any] | None


def thinking_flag(thinking: ThinkingOption) -> bool | None:
    """``thinking`` as True/False/None; the service's own ``{"type": ...}`` shape is accepted."""
    if thinking is None or isinstance(thinking, bool):
        return thinking
    if isinstance(thinking, Mapping) and thinking.get("type") in ("enabled", "disabled"):
        return bool(thinking["type"] == "enabled")
    raise TypeError(
        f"thinking must be True, False, None or {{'type': 'enabled'|'disabled'}}, got {thinking!r}"
    )


def is_thinking(model: str, thinking: ThinkingOption) -> bool:
    """Whether a request runs in thinking mode: explicit ``thinking``, else the model's default."""
    flag = thinking_flag(thinking)
    return get_model_info(model).thinking_default if flag is None else flag


def _text_of_parts(parts: Sequence[Any], where: str) -> str:
    texts: list[str] = []
    for part in parts:
        if isinstance(part, str):
            texts.append(part)
        elif isinstance(part, Mapping) and part.get("type") == "text":
            texts.append(str(part.get("text", "")))
        else:
            kind = part.get("type") if isinstance(part, Mapping) else type(part).__name__
            raise ValueError(
                f"{where} content can only hold text, got a {kind!r} part; "
                "send media in a user message instead"
            )
    return "".join(texts)


def _tool_content(content: Any) -> str:
    if isinstance(content, str):
        return content
    if content is None:
        return ""
    if isinstance(content, list):
        return _text_of_parts(content, "a tool message's")
    return json.dumps(content, ensure_ascii=False, default=str)


def _wire_tool_call(call: Mapping[str, Any], position: int) -> dict[str, Any]:
    function = call.get("function")
    if not isinstance(function, Mapping):
        raise ValueError(
            f"tool call #{position} has no 'function' object; expected "
            '{"id": ..., "type": "function", "function": {"name": ..., "arguments": "..."}}'
        )
    name = function.get("name")
    if not name:
        raise ValueError(
            f"tool call #{position} in the history has an empty function name; the service "
            "rejects it ('`name` is not set'): give every tool call the name of the tool it called"
        )
    call_id = call.get("id")
    if not call_id:
        raise ValueError(
            f"tool call #{position} ({name}) has no id; keep the id the model returned so the "
            "tool result can refer to it"
        )
    arguments = function.get("arguments")
    if arguments is None:
        arguments = "{}"
    elif not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False)
    return {
        "id": str(call_id),
        "type": "function",
        "function": {"name": str(name), "arguments": arguments},
    }


_MODALITY_OF_PART = {"image_url": "image", "input_audio": "audio", "video_url": "video"}


def _check_modalities(parts: Sequence[Any], model: str, index: int) -> None:
    info = get_model_info(model)
    if not info.known:
        return  # an id the table does not know: let the service judge
    for part in parts:
        modality = _MODALITY_OF_PART.get(part.get("type"))
        if modality is not None and modality not in info.input_modalities:
            takers = sorted(
                n
                for n, m in KNOWN_MODELS.items()
                if modality in m.input_modalities and not m.retired
            )
            raise ValueError(
                f"message {index} (user) has {modality} input, which {model!r} does not take; "
                f"use a model that does, e.g. {', '.join(takers)}"
            )


def _wire_user_content(content: Any, index: int) -> Any:
    if isinstance(content, str):
        return content
    if not isinstance(content, list):
        raise ValueError(
            f"message {index} (user) content must be a string or a list of parts, "
            f"got {type(content).__name__}"
        )
    has_text = False
    for part in content:
        kind = part.get("type") if isinstance(part, Mapping) else None
        if kind not in USER_PART_TYPES:
            raise ValueError(
                f"message {index} (user) has a content part of type {kind!r}; MiMo accepts "
                f"{sorted(USER_PART_TYPES)}"
            )
        if kind == "text":
            has_text = True
        elif not isinstance(part.get(kind), Mapping):
            raise ValueError(
                f"message {index} (user) has a {kind!r} part without its {kind!r} object; "
                f'write it as {{"type": "{kind}", "{kind}": {{...}}}}'
            )
    if not content:
        raise ValueError(
            f"message {index} (user) has an empty content list; the service rejects it "
            "('`text` is not set'): send a string or at least one text part"
        )
    if not has_text:
        raise ValueError(
            f"message {index} (user) holds media but no text part; the service rejects that "
            "('`text` is not set'): add a text part, e.g. a question about the media"
        )
    return list(content)


def to_wire_messages(
    messages: Sequence[Mapping[str, Any]],
    *,
    thinking: bool = False,
    model: str | None = None,
) -> list[dict[str, Any]]:
    """Normalize OpenAI-format messages to what MiMo accepts (docs/MIMO_API.md "Message rules").

    The input is not modified. ``thinking`` says whether the request runs in thinking mode,
    where every assistant message with tool calls must carry its ``reasoning_content``.
    With ``model``, media parts are refused for a known model that takes text only.
    """
    if not messages:
        raise ValueError("messages is empty; send at least one user message")
    out: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        role = message.get("role")
        if role not in ROLES:
            raise ValueError(f"message {index} has role {role!r}; MiMo accepts {sorted(ROLES)}")
        wire = dict(message)
        content = wire.get("content")
        if role == "assistant":
            calls = wire.get("tool_calls")
            if calls:
                wire["tool_calls"] = [_wire_tool_call(c, i) for i, c in enumerate(calls)]
            else:
                wire.pop("tool_calls", None)
            if content is None:
                wire["content"] = ""  # null content is rejected ('`text` is not present')
            elif isinstance(content, list):
                wire["content"] = _text_of_parts(content, f"message {index} (assistant)")
            # An empty string is sent as it is: public reports show the service accepts it.
            if wire.get("reasoning_content") is None:
                wire.pop("reasoning_content", None)
                if thinking and calls:
                    raise ValueError(
                        f"message {index} (assistant) has tool_calls but no reasoning_content; "
                        "in thinking mode MiMo requires the reasoning of every tool-call turn to "
                        "be passed back. Keep the reasoning_content the model returned on that "
                        "message, or send the request with thinking disabled"
                    )
        elif role == "tool":
            if not wire.get("tool_call_id"):
                raise ValueError(
                    f"message {index} (tool) has no tool_call_id; set it to the id of the tool "
                    "call it answers"
                )
            wire["content"] = _tool_content(content)
        elif role == "user":
            wire["content"] = _wire_user_content(content, index)
            if model and isinstance(content, list):
                _check_modalities(content, model, index)
        else:  # system / developer
            if content is None:
                raise ValueError(f"message {index} ({role}) has no content")
            if isinstance(content, list):
                wire["content"] = _text_of_parts(content, f"message {index} ({role})")
        out.append(wire)
    return out


def to_wire_tools(tools: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check and normalize function tools: valid names, ``strict`` only as a real boolean."""
    out: list[dict[str, Any]] = []
    for tool in tools:
        if tool.get("type", "function") != "function":
            out.append(dict(tool))  # e.g. the built-in web_search tool, sent as given
            continue
        function = tool.get("function")
        if not isinstance(function, Mapping):
            raise ValueError(
                'a tool must look like {"type": "function", "function": {"name": ..., '
                f'"parameters": {{...}}}}}}, got keys {sorted(tool)}'
            )
        name = str(function.get("name", ""))
        if not TOOL_NAME.fullmatch(name):
            raise ValueError(
                f"tool name {name!r} is not accepted by MiMo; use 1-64 characters from "
                "a-z, A-Z, 0-9, '_' and '-'"
            )
        wire_function = dict(function)
        if wire_function.get("strict") is None:
            wire_function.pop("strict", None)  # null strict is rejected with a 400
        elif not isinstance(wire_function["strict"], bool):
            raise ValueError(f"tool {name!r}: strict must be True or False")
        if "parameters" not in wire_function:
            wire_function["parameters"] = {"type": "object", "properties": {}}
        out.append({"type": "function", "function": wire_function})
    return out


def _tool_name(choice: Any) -> str | None:
    if isinstance(choice, str):
        return None if choice in ("auto", "none", "required", "any") else choice
    if isinstance(choice, Mapping):
        function = choice.get("function")
        if isinstance(function, Mapping) and function.get("name"):
            return str(function["name"])
        if choice.get("name"):
            return str(choice["name"])
    return None


def _apply_tool_choice(
    tools: list[dict[str, Any]], choice: Any
) -> tuple[list[dict[str, Any]], str | None]:
    # The service documents only "auto" and silently drops the rest, so the other choices are
    # emulated by what is sent: "none" sends no tools, a named tool sends only that tool.
    if choice is None or choice == "auto":
        return tools, None if choice is None else "auto"
    if choice == "none":
        return [], None
    if choice in ("required", "any", True):
        warnings.warn(
            "MiMo cannot force a tool call (tool_choice 'required'/'any' is not supported by "
            "the service); the tools are sent and the model decides",
            stacklevel=4,
        )
        return tools, None
    name = _tool_name(choice)
    if name is None:
        raise ValueError(
            f"tool_choice {choice!r} is not understood; use 'auto', 'none' or a tool name"
        )
    chosen = [t for t in tools if t.get("function", {}).get("name") == name]
    if not chosen:
        raise ValueError(f"tool_choice names {name!r}, which is not among the tools given")
    return chosen, None


def json_schema_instruction(schema: Mapping[str, Any], name: str | None = None) -> str:
    """The system instruction that stands in for ``response_format: json_schema``."""
    label = f" named {name!r}" if name else ""
    return (
        f"Reply with a single JSON object{label} that conforms to this JSON Schema. "
        "Output only the JSON, with no prose or code fences.\n"
        + json.dumps(schema, ensure_ascii=False)
    )


def _apply_response_format(
    response_format: Mapping[str, Any], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    kind = response_format.get("type")
    if kind in RESPONSE_FORMATS:
        return {"type": kind}
    if kind == "json_schema":
        spec = response_format.get("json_schema") or {}
        schema = spec.get("schema") if isinstance(spec, Mapping) else None
        if not isinstance(schema, Mapping):
            raise ValueError('response_format json_schema needs {"json_schema": {"schema": {...}}}')
        instruction = json_schema_instruction(schema, spec.get("name"))
        messages.insert(0, {"role": "system", "content": instruction})
        return {"type": "json_object"}
    raise ValueError(
        f"response_format type {kind!r} is not supported; MiMo accepts 'text' and "
        "'json_object' (json_schema is emulated through json_object)"
    )


def _stop_list(stop: str | Sequence[str]) -> list[str] | str:
    if isinstance(stop, str):
        return stop
    stops = list(stop)
    if len(stops) > 4:
        raise ValueError(f"stop takes at most 4 strings, got {len(stops)}")
    return stops


def build_request(
    messages: Sequence[Mapping[str, Any]],
    *,
    model: str,
    stream: bool = False,
    max_tokens: int | None = None,
    temperature: float | None = None,
    top_p: float | None = None,
    stop: str | Sequence[str] | None = None,
    frequency_penalty: float | None = None,
    presence_penalty: float | None = None,
    thinking: ThinkingOption = None,
    reasoning_effort: str | None = None,
    tools: Sequence[Mapping[str, Any]] | None = None,
    tool_choice: Any = None,
    response_format: Mapping[str, Any] | None = None,
    web_search: WebSearchOption = None,
    audio: Mapping[str, Any] | None = None,
    asr_options: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the JSON body of ``POST /chat/completions``; only parameters that are set are sent.

    ``max_tokens`` is sent as ``max_completion_tokens`` and ``thinking`` as
    ``{"type": "enabled" | "disabled"}``. ``web_search`` (True or a dict of the tool's fields)
    adds the built-in web_search tool beside the function tools (see ``mimo_client.web_search``).
    For speech models (``mimo-v2.5-tts*``) ``audio`` says the voice and format and the options
    they reject are left out (see ``mimo_client.speech``); ``asr_options`` is sent as given
    (recognition, ``mimo-v2.5-asr``). ``extra`` is merged last, unchecked, for parameters
    this function does not know yet.
    """
    if not model:
        raise ValueError("model is empty; pass a model id such as 'mimo-v2.6-pro'")
    speech = is_speech_model(model)
    if speech:
        rules = speech_request_rules(
            model,
            messages,
            {
                "thinking": thinking,
                "reasoning_effort": reasoning_effort,
                "tools": tools,
                "tool_choice": tool_choice,
                "web_search": web_search,
                "response_format": response_format,
                "stop": stop,
                "max_tokens": max_tokens,
                "audio": audio,
            },
        )
        thinking = reasoning_effort = tools = tool_choice = web_search = None
        response_format = stop = None
        audio = rules.get("audio")
    elif audio is not None:
        raise ValueError(
            f"audio is for MiMo's speech models (e.g. 'mimo-v2.5-tts'), not {model!r}; "
            "choose a speech model or leave audio out"
        )
    thinking_mode = False if speech else is_thinking(model, thinking)
    wire_messages = to_wire_messages(messages, thinking=thinking_mode, model=model)
    request: dict[str, Any] = {"model": model}
    if max_tokens is not None:
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool):
            raise TypeError(f"max_tokens must be an int, got {max_tokens!r}")
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
        request["max_completion_tokens"] = max_tokens
    if temperature is not None:
        request["temperature"] = temperature
    if top_p is not None:
        request["top_p"] = top_p
    if stop is not None:
        request["stop"] = _stop_list(stop)
    if frequency_penalty is not None:
        request["frequency_penalty"] = frequency_penalty
    if presence_penalty is not None:
        request["presence_penalty"] = presence_penalty
    flag = thinking_flag(thinking)
    if flag is not None:
        request["thinking"] = {"type": "enabled" if flag else "disabled"}
    if reasoning_effort is not None:
        if reasoning_effort not in ("low", "medium", "high"):
            raise ValueError(
                f"reasoning_effort {reasoning_effort!r} is rejected by MiMo; use 'low', "
                "'medium' or 'high', or thinking=False to turn reasoning off"
            )
        request["reasoning_effort"] = reasoning_effort
    tools = merge_web_search(tools, web_search)
    if tools:
        # The built-in web_search tool is no function: tool_choice picks among the others.
        builtin = [t for t in tools if is_web_search_tool(t)]
        functions = [t for t in tools if not is_web_search_tool(t)]
        wire_tools, choice = _apply_tool_choice(to_wire_tools(functions), tool_choice)
        wire_tools += builtin
        if wire_tools:
            request["tools"] = wire_tools
            if choice is not None:
                request["tool_choice"] = choice
    if response_format is not None:
        request["response_format"] = _apply_response_format(response_format, wire_messages)
    if audio:
        request["audio"] = dict(audio)
    if asr_options is not None:
        if not isinstance(asr_options, Mapping):
            raise ValueError(
                f"asr_options must be a dict such as {{'language': 'en'}}, got {asr_options!r}"
            )
        request["asr_options"] = dict(asr_options)
    request["messages"] = wire_messages
    if stream:
        request["stream"] = True
    if extra:
        request.update(extra)
    return request


#: The options :func:`build_request` takes by name (besides ``messages``, ``stream``, ``extra``).
REQUEST_OPTIONS = frozenset(
    {
        "model",
        "max_tokens",
        "temperature",
        "top_p",
        "stop",
        "frequency_penalty",
        "presence_penalty",
        "thinking",
        "reasoning_effort",
        "tools",
        "tool_choice",
        "response_format",
        "web_search",
        "audio",
        "asr_options",
    }
)


#: Wire names accepted for an option (e.g. from a framework's ``model_kwargs``).
_WIRE_NAMES = {"max_completion_tokens": "max_tokens"}
#: Options that shape how a reply is read, never sent (the service does not document them).
NOT_SENT = frozenset({"parallel_tool_calls"})


def tool_call_limit(options: Mapping[str, Any]) -> int | None:
    """1 when the caller asked for ``parallel_tool_calls=False``, else None (no limit).

    MiMo has no such parameter, so the limit is applied to the reply: pass it to
    ``client.stream(..., max_tool_calls=)`` or ``AssistantTurn.from_completion(...)``.
    """
    return 1 if options.get("parallel_tool_calls") is False else None


def build_request_from(
    messages: Sequence[Mapping[str, Any]], options: Mapping[str, Any], *, stream: bool = False
) -> dict[str, Any]:
    """:func:`build_request` with every option in one mapping, as adapters collect them.

    Names in :data:`REQUEST_OPTIONS` (or their wire names, e.g. ``max_completion_tokens``)
    are checked and translated by :func:`build_request` (``None`` meaning unset); names in
    :data:`NOT_SENT` are the caller's to act on (see :func:`tool_call_limit`); any other name
    with a value is sent as given.
    """
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for name, value in options.items():
        name = _WIRE_NAMES.get(name, name)
        if name in REQUEST_OPTIONS:
            if value is not None and known.get(name) not in (None, value):
                raise ValueError(
                    f"{name} is given twice with different values ({known[name]!r} and "
                    f"{value!r}, one of them as its wire name); give it once"
                )
            if value is not None or name not in known:
                known[name] = value
        elif name in NOT_SENT:
            continue
        elif value is not None:
            extra[name] = value
    if not known.get("model"):
        raise ValueError("model is empty; pass a model id such as 'mimo-v2.6-pro'")
    return build_request(messages, stream=stream, extra=extra or None, **known)


def encode_request(request: Mapping[str, Any], *, stream: bool) -> bytes:
    """Serialize the request body, with ``stream`` set to match the call.

    A retired model id warns once per process (it is still sent as given).
    """
    warn_if_retired(request.get("model"))
    body = dict(request)
    if stream:
        body["stream"] = True
    else:
        body.pop("stream", None)
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
