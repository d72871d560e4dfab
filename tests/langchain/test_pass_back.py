"""Every assistant message goes back with its reasoning, tool-call turns carry
content "" (never null), and tool results go as strings with their tool_call_id.

The emulator rejects, with the service's 400, a thinking-mode history whose tool-call turn
lacks ``reasoning_content``; these tests read what actually went over the wire.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator, Reply, ScriptedCall

CALL = ScriptedCall("get_weather", {"city": "Paris"}, id="call_1")
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


def _assistant_messages(emulator: MiMoEmulator) -> list[dict[str, Any]]:
    return [m for m in emulator.last_request.body["messages"] if m["role"] == "assistant"]


@pytest.mark.parametrize("streaming", [False, True])
def test_tool_turn_sends_reasoning_back(emulator: MiMoEmulator, streaming: bool):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, streaming=streaming)
    emulator.script(Reply.tool_calls(CALL, reasoning="Need the weather tool."))
    history: list[Any] = [HumanMessage("Weather in Paris?")]
    ai = model.bind_tools([TOOL]).invoke(history)
    assert ai.tool_calls[0]["id"] == "call_1"
    history += [ai, ToolMessage("Sunny", tool_call_id="call_1")]
    answer = model.bind_tools([TOOL]).invoke(history)  # the emulator 400s without reasoning
    assert answer.content == "The get_weather tool returned: Sunny"
    [sent] = _assistant_messages(emulator)
    assert sent["reasoning_content"] == "Need the weather tool."
    assert sent["content"] == ""
    assert sent["tool_calls"] == [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
        }
    ]


def test_every_assistant_message_carries_its_reasoning(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(
        Reply.text("First answer.", reasoning="r1"), Reply.text("Second answer.", reasoning="r2")
    )
    history: list[Any] = [SystemMessage("Be brief."), HumanMessage("Q1")]
    history.append(model.invoke(history))
    history.append(HumanMessage("Q2"))
    history.append(model.invoke(history))
    history.append(HumanMessage("Q3"))
    model.invoke(history)
    assert [(m["content"], m["reasoning_content"]) for m in _assistant_messages(emulator)] == [
        ("First answer.", "r1"),
        ("Second answer.", "r2"),
    ]


def test_v1_reasoning_blocks_are_passed_back(model: ChatMiMo, emulator: MiMoEmulator):
    ai = AIMessage(
        content=[
            {"type": "reasoning", "reasoning": "Think "},
            {"type": "reasoning", "reasoning": "twice."},
            {"type": "text", "text": "Calling."},
            {"type": "tool_call", "id": "call_9", "name": "get_weather", "args": {"city": "Rome"}},
        ],
        tool_calls=[{"id": "call_9", "name": "get_weather", "args": {"city": "Rome"}}],
        response_metadata={"output_version": "v1"},
    )
    history = [HumanMessage("Weather in Rome?"), ai, ToolMessage("Rain", tool_call_id="call_9")]
    answer = model.bind_tools([TOOL]).invoke(history)
    assert answer.content == "The get_weather tool returned: Rain"
    [sent] = _assistant_messages(emulator)
    assert sent["reasoning_content"] == "Think twice."
    assert sent["content"] == "Calling."


def test_v1_round_trip_through_output_version_v1(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, output_version="v1")
    emulator.script(Reply.tool_calls(CALL, reasoning="Use the tool."))
    history: list[Any] = [HumanMessage("Weather?")]
    ai = model.bind_tools([TOOL]).invoke(history)
    assert [b["type"] for b in ai.content] == ["reasoning", "tool_call"]  # type: ignore[index]
    # drop the additional_kwargs copy: the v1 block alone must be enough
    ai = ai.model_copy(update={"additional_kwargs": {}})
    history += [ai, ToolMessage("Sunny", tool_call_id="call_1")]
    model.bind_tools([TOOL]).invoke(history)
    assert _assistant_messages(emulator)[0]["reasoning_content"] == "Use the tool."


def test_reasoning_from_additional_kwargs_wins_over_blocks(model: ChatMiMo, emulator: MiMoEmulator):
    ai = AIMessage(
        content=[{"type": "reasoning", "reasoning": "block"}, {"type": "text", "text": "Hi"}],
        additional_kwargs={"reasoning_content": "kwargs"},
    )
    model.invoke([HumanMessage("a"), ai, HumanMessage("b")])
    assert _assistant_messages(emulator)[0]["reasoning_content"] == "kwargs"


def test_missing_reasoning_in_thinking_mode_is_refused_before_sending(
    model: ChatMiMo, emulator: MiMoEmulator
):
    ai = AIMessage("", tool_calls=[{"id": "c1", "name": "get_weather", "args": {}}])
    history = [HumanMessage("Weather?"), ai, ToolMessage("Sunny", tool_call_id="c1")]
    with pytest.raises(ValueError, match="reasoning_content"):
        model.bind_tools([TOOL]).invoke(history)
    assert emulator.chat_requests == []
    # without thinking the same history is valid
    model.bind_tools([TOOL]).invoke(history, thinking=False)
    assert emulator.last_request.body["thinking"] == {"type": "disabled"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("plain", "plain"),
        ([{"type": "text", "text": "a"}, {"type": "text", "text": "b"}], "ab"),
        (["x", "y"], "xy"),
    ],
)
def test_tool_results_are_sent_as_strings(
    model: ChatMiMo, emulator: MiMoEmulator, content: Any, expected: str
):
    emulator.script(Reply.tool_calls(CALL, reasoning="r"))
    history: list[Any] = [HumanMessage("Weather?")]
    history.append(model.bind_tools([TOOL]).invoke(history))
    history.append(ToolMessage(content, tool_call_id="call_1", name="get_weather"))
    model.bind_tools([TOOL]).invoke(history)
    tool_message = emulator.last_request.body["messages"][-1]
    assert tool_message == {"role": "tool", "tool_call_id": "call_1", "content": expected}


def test_parallel_tool_calls_and_results_round_trip(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(
        Reply.tool_calls(
            ScriptedCall("get_weather", {"city": "Paris"}, id="a"),
            ScriptedCall("get_weather", {"city": "Oslo"}, id="b"),
            reasoning="Two cities.",
        )
    )
    history: list[Any] = [HumanMessage("Weather in Paris and Oslo?")]
    ai = model.bind_tools([TOOL]).invoke(history)
    assert [c["args"] for c in ai.tool_calls] == [{"city": "Paris"}, {"city": "Oslo"}]
    history += [ai, ToolMessage("Sunny", tool_call_id="a"), ToolMessage("Snow", tool_call_id="b")]
    model.bind_tools([TOOL]).invoke(history)
    body = emulator.last_request.body["messages"]
    assert [m.get("tool_call_id") for m in body[-2:]] == ["a", "b"]
    assert [c["id"] for c in body[1]["tool_calls"]] == ["a", "b"]


@pytest.mark.parametrize(
    "call_block",
    [
        {"type": "tool_call", "id": "call_1", "name": "get_weather", "args": {"city": "Paris"}},
        {"type": "tool_use", "id": "call_1", "name": "get_weather", "input": {"city": "Paris"}},
    ],
)
def test_tool_calls_written_only_as_content_blocks_are_sent(
    model: ChatMiMo, emulator: MiMoEmulator, call_block: dict[str, Any]
):
    ai = AIMessage(content=[{"type": "reasoning", "reasoning": "Use it."}, call_block])
    assert ai.tool_calls == []  # LangChain does not derive them from content= alone
    history = [HumanMessage("Weather?"), ai, ToolMessage("Sunny", tool_call_id="call_1")]
    model.bind_tools([TOOL]).invoke(history)
    [sent] = _assistant_messages(emulator)
    assert sent["tool_calls"][0]["function"] == {
        "name": "get_weather",
        "arguments": '{"city": "Paris"}',
    }
    assert sent["reasoning_content"] == "Use it."


def test_system_text_parts_are_joined_and_other_parts_refused(
    model: ChatMiMo, emulator: MiMoEmulator
):
    emulator.script(Reply.text("ok"))
    system = SystemMessage(
        [{"type": "text", "text": "Be "}, "brief", {"type": "text", "text": "."}]
    )
    model.invoke([system, HumanMessage("Q")])
    assert emulator.chat_requests[-1].body["messages"][0] == {
        "role": "system",
        "content": "Be brief.",
    }
    picture = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    with pytest.raises(ValueError, match="text"):
        model.invoke([SystemMessage([picture]), HumanMessage("Q")])
    assert len(emulator.chat_requests) == 1  # refused before sending
