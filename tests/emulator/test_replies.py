"""Replies: stream shape, the automatic rules, scripted replies, usage."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from mimo_client.testing import MiMoEmulator, Reply, ScriptedCall

from .conftest import USER, WEATHER_TOOL, chat, sse_chunks

OFF = {"type": "disabled"}
DELTA_KEYS = ["content", "role", "tool_calls", "reasoning_content"]


def deltas(chunks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each delta without its null keys (the service, and the emulator, send all four keys)."""
    out = []
    for c in chunks:
        if c["choices"]:
            delta = c["choices"][0]["delta"]
            assert list(delta) == DELTA_KEYS, delta
            out.append({k: v for k, v in delta.items() if v is not None})
    return out


def joined(chunks: list[dict[str, Any]], field: str) -> str:
    return "".join(d.get(field) or "" for d in deltas(chunks))


def assert_well_formed(chunks: list[dict[str, Any]]) -> None:
    """The documented order: role, reasoning, content/tool calls, finish, usage-only."""
    ids = {c["id"] for c in chunks}
    assert len(ids) == 1
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"}
    assert len({(c["model"], c["created"]) for c in chunks}) == 1
    assert deltas(chunks)[0] == {"role": "assistant", "content": ""}
    assert chunks[-2]["usage"] is None  # the finish chunk says "usage": null
    assert chunks[-1]["choices"] == []
    assert set(chunks[-1]["usage"]) >= {"prompt_tokens", "completion_tokens", "total_tokens"}
    finish = [c for c in chunks if c["choices"] and c["choices"][0]["finish_reason"]]
    assert len(finish) == 1
    assert finish[0] is chunks[-2]
    kinds = []
    assert deltas(chunks)[-1] == {}
    for delta in deltas(chunks)[1:-1]:
        (kind,) = delta.keys()
        kinds.append(kind)
    order = {"reasoning_content": 0, "content": 1, "tool_calls": 2}
    assert kinds == sorted(kinds, key=order.__getitem__), "reasoning, then content, then calls"


def test_auto_text_reply_in_thinking_mode_streams_reasoning_first(http: httpx.Client) -> None:
    response = chat(http, stream=True)
    assert response.headers["content-type"].startswith("text/event-stream")
    chunks = sse_chunks(response.text)
    assert_well_formed(chunks)
    reasoning = joined(chunks, "reasoning_content")
    assert reasoning.startswith('The user asked: "What is the weather in Paris today?"')
    assert joined(chunks, "content") == (
        "Emulated MiMo answer to: What is the weather in Paris today?"
    )
    assert sum(1 for d in deltas(chunks) if "reasoning_content" in d) > 3
    usage = chunks[-1]["usage"]
    assert usage["completion_tokens_details"]["reasoning_tokens"] == len(reasoning.split())
    assert usage["completion_tokens"] == len(reasoning.split()) + 11
    assert usage["prompt_tokens"] == 7
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_non_thinking_model_sends_no_reasoning(http: httpx.Client) -> None:
    body = chat(http, model="mimo-v2.6-flash", thinking=OFF).json()
    message = body["choices"][0]["message"]
    assert "reasoning_content" not in message
    assert body["usage"]["completion_tokens_details"]["reasoning_tokens"] == 0
    assert body["object"] == "chat.completion"


def test_auto_tool_call_from_schema_stream_and_create(http: httpx.Client) -> None:
    chunks = sse_chunks(chat(http, stream=True, tools=[WEATHER_TOOL]).text)
    assert_well_formed(chunks)
    fragments = [f for d in deltas(chunks) for f in d.get("tool_calls", [])]
    first, *rest = fragments
    assert first["index"] == 0 and first["type"] == "function"
    assert first["id"].startswith("call_")
    assert first["function"]["name"] == "get_weather"
    assert len(rest) >= 2, "arguments must be split across several deltas"
    assert all(
        set(f) == {"index", "function"} and set(f["function"]) == {"arguments"} for f in rest
    )
    arguments = json.loads("".join(f["function"]["arguments"] for f in fragments))
    assert arguments == {"city": "example", "unit": "celsius", "days": 3}
    assert chunks[-2]["choices"][0]["finish_reason"] == "tool_calls"

    message = chat(http, tools=[WEATHER_TOOL]).json()["choices"][0]["message"]
    assert message["content"] == ""  # as the service sends it: never null
    assert message["reasoning_content"].endswith("I will call the get_weather tool.")
    assert json.loads(message["tool_calls"][0]["function"]["arguments"])["city"] == "example"


def test_after_a_tool_result_the_answer_mentions_it(http: httpx.Client) -> None:
    messages = [
        *USER,
        {
            "role": "assistant",
            "content": "",
            "reasoning_content": "call it",
            "tool_calls": [
                {
                    "id": "call_9",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_9", "content": "sunny, 21 C"},
    ]
    body = chat(http, messages=messages, tools=[WEATHER_TOOL]).json()
    choice = body["choices"][0]
    assert choice["message"]["content"] == "The get_weather tool returned: sunny, 21 C"
    assert choice["finish_reason"] == "stop"


def test_json_object_answer_is_json(http: httpx.Client) -> None:
    body = chat(
        http, model="mimo-v2.6-flash", thinking=OFF, response_format={"type": "json_object"}
    ).json()
    content = json.loads(body["choices"][0]["message"]["content"])
    assert content == {"answer": "Emulated MiMo answer to: What is the weather in Paris today?"}


def test_json_object_follows_a_schema_in_the_system_message(http: httpx.Client) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 18}},
    }
    messages = [
        {
            "role": "system",
            "content": f"Answer with JSON matching this schema: {json.dumps(schema)}",
        },
        *USER,
    ]
    body = chat(http, messages=messages, response_format={"type": "json_object"}).json()
    assert json.loads(body["choices"][0]["message"]["content"]) == {"name": "example", "age": 18}


def test_stop_strings_truncate(http: httpx.Client) -> None:
    body = chat(http, model="mimo-v2.6-flash", thinking=OFF, stop=["weather"]).json()
    assert body["choices"][0]["message"]["content"] == "Emulated MiMo answer to: What is the "
    answer = chat(http, model="mimo-v2.6-flash", thinking=OFF, stop="Paris", stream=True)
    chunks = sse_chunks(answer.text)
    assert joined(chunks, "content") == "Emulated MiMo answer to: What is the weather in "
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"


def test_max_completion_tokens_cuts_with_length(http: httpx.Client) -> None:
    body = chat(http, model="mimo-v2.6-flash", thinking=OFF, max_completion_tokens=3).json()
    assert body["choices"][0]["message"]["content"] == "Emulated MiMo answer "
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["usage"]["completion_tokens"] == 3


def test_cached_tokens_count_the_repeated_prefix(http: httpx.Client) -> None:
    first = chat(http, model="mimo-v2.6-flash", thinking=OFF).json()
    assert first["usage"]["prompt_tokens_details"] == {}  # as the service: {} when none
    longer = [*USER, {"role": "assistant", "content": "It is sunny."}, *USER]
    second = chat(http, model="mimo-v2.6-flash", thinking=OFF, messages=longer).json()
    assert second["usage"]["prompt_tokens_details"]["cached_tokens"] == 7
    assert second["usage"]["prompt_tokens"] == 17


def test_scripted_replies_are_served_in_order(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(
        Reply.text("one", reasoning="first thought"),
        Reply.text("two", finish_reason="repetition_truncation"),
        Reply.text("three", finish_reason="content_filter", usage={"prompt_tokens": 1}),
    )
    assert emu.pending == 3
    a = chat(http).json()["choices"][0]
    assert a["message"] == {
        "content": "one",
        "role": "assistant",
        "tool_calls": None,
        "reasoning_content": "first thought",
    }
    chunks = sse_chunks(chat(http, stream=True).text)
    assert joined(chunks, "content") == "two"
    assert chunks[-2]["choices"][0]["finish_reason"] == "repetition_truncation"
    c = chat(http).json()
    assert c["choices"][0]["finish_reason"] == "content_filter"
    assert c["usage"] == {"prompt_tokens": 1}
    assert emu.pending == 0
    auto = chat(http).json()["choices"][0]["message"]["content"]
    assert auto.startswith("Emulated MiMo answer to:")


def test_scripted_text_chunks(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.text("abcdefghij", reasoning="0123456789", chunks=4, reasoning_chunks=2))
    chunks = sse_chunks(chat(http, stream=True).text)
    contents = [d["content"] for d in deltas(chunks)[1:] if "content" in d]
    assert contents == ["abc", "def", "gh", "ij"]
    assert [d["reasoning_content"] for d in deltas(chunks) if "reasoning_content" in d] == [
        "01234",
        "56789",
    ]


@pytest.mark.parametrize("interleave", [False, True])
def test_several_tool_calls(emu: MiMoEmulator, http: httpx.Client, interleave: bool) -> None:
    emu.script(
        Reply.tool_calls(
            ("get_weather", {"city": "Paris"}),
            ScriptedCall("get_time", '{"tz": "Europe/Paris"}', id="call_fixed"),
            reasoning="two tools",
            argument_chunks=4,
            interleave=interleave,
        )
    )
    chunks = sse_chunks(chat(http, stream=True).text)
    assert_well_formed(chunks)
    fragments = [f for d in deltas(chunks) for f in d.get("tool_calls", [])]
    indexes = [f["index"] for f in fragments]
    if interleave:
        assert indexes[:2] == [0, 1]
        assert indexes[2:6] == [0, 1, 0, 1]
    else:
        assert indexes == [0] * 4 + [1] * 4  # the first fragment carries the first piece
    calls: dict[int, dict[str, str]] = {}
    for f in fragments:
        call = calls.setdefault(f["index"], {"arguments": ""})
        call.update({k: f[k] for k in ("id",) if k in f})
        call.update({k: v for k, v in f["function"].items() if k == "name"})
        call["arguments"] += f["function"]["arguments"]
    assert calls[0]["name"] == "get_weather"
    assert json.loads(calls[0]["arguments"]) == {"city": "Paris"}
    assert calls[1] == {
        "id": "call_fixed",
        "name": "get_time",
        "arguments": '{"tz": "Europe/Paris"}',
    }


def test_long_reply_streams_every_delta(emu: MiMoEmulator, http: httpx.Client) -> None:
    emu.script(Reply.long(reasoning_deltas=3000, content_deltas=2000, piece="ab "))
    chunks = sse_chunks(chat(http, stream=True).text)
    assert_well_formed(chunks)
    assert sum(1 for d in deltas(chunks) if d.get("reasoning_content") == "ab ") == 3000
    assert sum(1 for d in deltas(chunks) if d.get("content") == "ab ") == 2000
    assert chunks[-1]["usage"]["completion_tokens"] == 5000


def test_default_reply_answers_every_unscripted_request(
    emu: MiMoEmulator, http: httpx.Client
) -> None:
    emu.default_reply = Reply.text("always")
    emu.script(Reply.text("once"))
    contents = [chat(http).json()["choices"][0]["message"]["content"] for _ in range(3)]
    assert contents == ["once", "always", "always"]


def test_tool_calls_needs_a_call() -> None:
    with pytest.raises(ValueError, match="at least one call"):
        Reply.tool_calls()
