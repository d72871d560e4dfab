"""bind_tools (every tool shape, tool_choice, strict, parallel_tool_calls,
response_format), streamed tool_call_chunks, and invalid tool calls that never raise."""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator, Reply, ScriptedCall


@tool
def get_weather(city: str) -> str:
    """Get the weather for a city."""
    return f"Sunny in {city}"


class GetPopulation(BaseModel):
    """Get the population of a city."""

    city: str = Field(description="The city")


def get_time(timezone: str) -> str:
    """Get the time in a timezone.

    Args:
        timezone: an IANA timezone name.
    """
    return "12:00"


DICT_TOOL = {
    "type": "function",
    "function": {
        "name": "get_news",
        "description": "Latest news on a topic",
        "parameters": {"type": "object", "properties": {"topic": {"type": "string"}}},
    },
}


def _sum(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk
    return full


def _tool_names(emulator: MiMoEmulator) -> list[str]:
    return [t["function"]["name"] for t in emulator.last_request.body.get("tools", [])]


def test_bind_tools_accepts_every_tool_shape(model: ChatMiMo, emulator: MiMoEmulator):
    bound = model.bind_tools([get_weather, GetPopulation, get_time, DICT_TOOL])
    message = bound.invoke("What is the weather in Paris?")
    assert _tool_names(emulator) == ["get_weather", "GetPopulation", "get_time", "get_news"]
    sent = emulator.last_request.body["tools"]
    assert sent[1]["function"]["parameters"]["properties"]["city"]["description"] == "The city"
    assert "strict" not in sent[0]["function"]  # None is never sent (the service 400s on null)
    # the emulator calls the first tool with arguments generated from its schema
    assert message.tool_calls == [
        {
            "name": "get_weather",
            "args": {"city": "example"},
            "id": message.tool_calls[0]["id"],
            "type": "tool_call",
        }
    ]


@pytest.mark.parametrize(
    "choice", ["get_time", {"type": "function", "function": {"name": "get_time"}}]
)
def test_named_tool_choice_sends_only_that_tool(
    model: ChatMiMo, emulator: MiMoEmulator, choice: Any
):
    message = model.bind_tools([get_weather, get_time], tool_choice=choice).invoke("Time?")
    assert _tool_names(emulator) == ["get_time"]
    assert "tool_choice" not in emulator.last_request.body
    assert message.tool_calls[0]["name"] == "get_time"


def test_tool_choice_none_sends_no_tools(model: ChatMiMo, emulator: MiMoEmulator):
    message = model.bind_tools([get_weather], tool_choice="none").invoke("Weather?")
    assert "tools" not in emulator.last_request.body
    assert message.tool_calls == []


def test_tool_choice_auto_is_sent(model: ChatMiMo, emulator: MiMoEmulator):
    model.bind_tools([get_weather], tool_choice="auto").invoke("Weather?")
    assert emulator.last_request.body["tool_choice"] == "auto"


@pytest.mark.parametrize("choice", ["any", "required", True])
def test_forcing_tool_choice_warns_and_sends_the_tools(
    model: ChatMiMo, emulator: MiMoEmulator, choice: Any
):
    with pytest.warns(UserWarning, match="cannot force a tool call"):
        model.bind_tools([get_weather], tool_choice=choice).invoke("Weather?")
    assert _tool_names(emulator) == ["get_weather"]
    assert "tool_choice" not in emulator.last_request.body


def _two_calls() -> Reply:
    return Reply.tool_calls(
        ScriptedCall("get_weather", {"city": "Paris"}, id="call_a"),
        ScriptedCall("get_weather", {"city": "Oslo"}, id="call_b"),
        reasoning="Two calls.",
        interleave=True,
    )


_FIRST_CALL = [
    {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_a", "type": "tool_call"}
]


@pytest.mark.parametrize("mode", ["invoke", "stream", "ainvoke", "astream"])
def test_strict_is_forwarded_and_parallel_tool_calls_false_keeps_the_first_call(
    model: ChatMiMo, emulator: MiMoEmulator, mode: str
):
    # MiMo has no parallel_tool_calls parameter: the flag is never sent, and the reply's
    # extra calls are dropped instead (the emulator answers with two calls here)
    emulator.script(_two_calls())
    bound = model.bind_tools([get_weather], strict=True, parallel_tool_calls=False)
    if mode == "invoke":
        message = bound.invoke("Weather in Paris and Oslo?")
    elif mode == "ainvoke":
        message = asyncio.run(bound.ainvoke("Weather in Paris and Oslo?"))
    elif mode == "stream":
        message = _sum(list(bound.stream("Weather in Paris and Oslo?")))
    else:

        async def collect() -> list[AIMessageChunk]:
            return [c async for c in bound.astream("Weather in Paris and Oslo?")]

        message = _sum(asyncio.run(collect()))
    body = emulator.last_request.body
    assert body["tools"][0]["function"]["strict"] is True
    assert "parallel_tool_calls" not in body
    assert message.tool_calls == _FIRST_CALL
    assert message.additional_kwargs["reasoning_content"] == "Two calls."


@pytest.mark.parametrize("parallel", [None, True])
def test_parallel_tool_calls_unset_or_true_keeps_every_call(
    model: ChatMiMo, emulator: MiMoEmulator, parallel: bool | None
):
    emulator.script(_two_calls(), _two_calls())
    bound = model.bind_tools([get_weather], parallel_tool_calls=parallel)
    assert [c["id"] for c in bound.invoke("Weather?").tool_calls] == ["call_a", "call_b"]
    assert [c["id"] for c in _sum(list(bound.stream("Weather?"))).tool_calls] == [
        "call_a",
        "call_b",
    ]
    assert "parallel_tool_calls" not in emulator.last_request.body


def test_no_tool_choice_and_no_parallel_flag_by_default(model: ChatMiMo, emulator: MiMoEmulator):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "cannot force" warning without a tool_choice
        model.bind_tools([get_weather]).invoke("Weather?")
    assert "tool_choice" not in emulator.last_request.body
    assert "parallel_tool_calls" not in emulator.last_request.body


def test_bind_tools_response_format_is_emulated_as_json_object(
    model: ChatMiMo, emulator: MiMoEmulator
):
    # the shape LangChain's create_agent passes with ProviderStrategy
    response_format = {
        "type": "json_schema",
        "json_schema": {
            "name": "Weather",
            "schema": {
                "type": "object",
                "properties": {"temperature": {"type": "number"}},
                "required": ["temperature"],
            },
        },
    }
    message = model.bind_tools([], response_format=response_format).invoke("Weather as JSON")
    body = emulator.last_request.body
    assert body["response_format"] == {"type": "json_object"}
    assert '"temperature"' in body["messages"][0]["content"]
    assert body["messages"][0]["role"] == "system"
    assert '"temperature"' in message.text


@pytest.mark.parametrize("v1", [False, True])
def test_streamed_interleaved_parallel_calls_stay_apart(emulator: MiMoEmulator, v1: bool):
    model = ChatMiMo(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        output_version="v1" if v1 else None,
    )
    emulator.script(
        Reply.tool_calls(
            ScriptedCall("get_weather", {"city": "Paris"}, id="call_a"),
            ScriptedCall("get_weather", {"city": "Oslo"}, id="call_b"),
            reasoning="Two calls.",
            argument_chunks=4,
            interleave=True,
        )
    )
    chunks = list(model.bind_tools([get_weather]).stream("Weather in Paris and Oslo?"))
    fragments = [tc for c in chunks for tc in c.tool_call_chunks]
    assert len(fragments) >= 8  # arguments arrived in pieces
    assert {f["index"] for f in fragments} == {0, 1}
    full = _sum(chunks)
    assert full.tool_calls == [
        {"name": "get_weather", "args": {"city": "Paris"}, "id": "call_a", "type": "tool_call"},
        {"name": "get_weather", "args": {"city": "Oslo"}, "id": "call_b", "type": "tool_call"},
    ]
    assert full.additional_kwargs["reasoning_content"] == "Two calls."
    if v1:
        blocks = full.content
        assert [b["type"] for b in blocks] == ["reasoning", "tool_call", "tool_call"]  # type: ignore[index]
        assert blocks[0]["reasoning"] == "Two calls."  # type: ignore[index]
        assert [b["args"] for b in blocks[1:]] == [{"city": "Paris"}, {"city": "Oslo"}]  # type: ignore[index]


@pytest.mark.parametrize("streaming", [False, True])
def test_bad_json_arguments_become_invalid_tool_calls(emulator: MiMoEmulator, streaming: bool):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    # (A truncated object such as '{"city": "Par' is repaired by LangChain's partial-JSON
    # parser when streamed chunks are added, as in every integration; invoke keeps it invalid.)
    emulator.script(
        Reply.tool_calls(
            ScriptedCall("get_weather", '{"city": Paris}', id="bad"),
            ScriptedCall("get_weather", '["not", "an", "object"]', id="list"),
            ScriptedCall("get_weather", '{"city": "Oslo"}', id="good"),
            reasoning="r",
        )
    )
    bound = model.bind_tools([get_weather])
    message = _sum(list(bound.stream("Weather?"))) if streaming else bound.invoke("Weather?")
    assert [c["id"] for c in message.tool_calls] == ["good"]
    assert message.tool_calls[0]["args"] == {"city": "Oslo"}
    invalid = {c["id"]: c for c in message.invalid_tool_calls}
    assert set(invalid) == {"bad", "list"}
    assert invalid["bad"]["args"] == '{"city": Paris}'
    assert invalid["bad"]["name"] == "get_weather"


def test_tool_call_with_empty_arguments_is_an_empty_dict(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.tool_calls(ScriptedCall("get_weather", "", id="e"), reasoning="r"))
    message = model.bind_tools([get_weather]).invoke("Weather?")
    assert message.tool_calls[0]["args"] == {}
    assert message.invalid_tool_calls == []


def test_tool_call_text_and_reasoning_together(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(
        Reply.tool_calls(("get_weather", {"city": "Rome"}), content="Let me check.", reasoning="r")
    )
    message = model.bind_tools([get_weather]).invoke("Weather in Rome?")
    assert message.content == "Let me check."
    assert [b["type"] for b in message.content_blocks] == ["reasoning", "text", "tool_call"]


def test_truncated_arguments_are_invalid_on_invoke(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(
        Reply.tool_calls(ScriptedCall("get_weather", '{"city": "Par', id="t"), reasoning="r")
    )
    message = model.bind_tools([get_weather]).invoke("Weather?")
    assert message.tool_calls == []
    assert message.invalid_tool_calls[0]["args"] == '{"city": "Par'
    assert "not valid JSON" in (message.invalid_tool_calls[0]["error"] or "")
