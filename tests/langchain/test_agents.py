"""Agents and chains on the emulator, which enforces MiMo's reasoning pass-back rule.

* LangChain 1.x ``create_agent`` with two tool calls in thinking mode (invoke and stream).
* An LCEL chain (prompt | model | parser) streamed, sync and async.
* The same agent with ChatDeepSeek fails on its second model call (it drops
  ``reasoning_content``), where ChatMiMo passes: the reason this package exists.
"""

from __future__ import annotations

from typing import Any

import pytest
from langchain.agents import create_agent
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, ToolMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool
from pydantic import BaseModel, Field

from langchain_mimo import ChatMiMo
from mimo_client.testing import REASONING_PASS_BACK, MiMoEmulator, Reply, ScriptedCall


@tool
def get_weather(city: str) -> str:
    """Get the current weather for a city."""
    return f"Sunny, 24C in {city}"


@tool
def get_time(city: str) -> str:
    """Get the local time in a city."""
    return f"14:05 in {city}"


def _script_two_tool_turns(emulator: MiMoEmulator, first_text: str = "") -> None:
    emulator.script(
        Reply.tool_calls(
            ScriptedCall("get_weather", {"city": "Paris"}, id="call_w"),
            content=first_text,
            reasoning="First I need the weather in Paris.",
        ),
        Reply.tool_calls(
            ScriptedCall("get_time", {"city": "Paris"}, id="call_t"),
            reasoning="Now the local time.",
        ),
        Reply.text(
            "It is sunny and 24C in Paris, and 14:05 there.",
            reasoning="I have both answers.",
        ),
    )


def _agent(model: BaseChatModel) -> Any:
    return create_agent(model, tools=[get_weather, get_time], system_prompt="Be concise.")


QUESTION = {"messages": [{"role": "user", "content": "Weather and time in Paris?"}]}


def _check_pass_back(emulator: MiMoEmulator) -> None:
    assert len(emulator.chat_requests) == 3
    final = emulator.chat_requests[-1].body
    assert "thinking" not in final  # the model's default: thinking on for mimo-v2.6-pro
    assistants = [m for m in final["messages"] if m["role"] == "assistant"]
    assert [m["reasoning_content"] for m in assistants] == [
        "First I need the weather in Paris.",
        "Now the local time.",
    ]
    assert all(m["content"] == "" for m in assistants)
    tools = [m for m in final["messages"] if m["role"] == "tool"]
    assert [(m["tool_call_id"], m["content"]) for m in tools] == [
        ("call_w", "Sunny, 24C in Paris"),
        ("call_t", "14:05 in Paris"),
    ]


@pytest.mark.parametrize("streaming", [False, True])
def test_create_agent_two_tool_calls_in_thinking_mode(emulator: MiMoEmulator, streaming: bool):
    model = ChatMiMo(
        model="mimo-v2.6-pro",  # thinking on by default
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        streaming=streaming,
    )
    _script_two_tool_turns(emulator)
    result = _agent(model).invoke(QUESTION)
    messages = result["messages"]
    assert isinstance(messages[-1], AIMessage)
    assert messages[-1].text == "It is sunny and 24C in Paris, and 14:05 there."
    assert messages[-1].additional_kwargs["reasoning_content"] == "I have both answers."
    assert [type(m).__name__ for m in messages[1:]] == [
        "AIMessage",
        "ToolMessage",
        "AIMessage",
        "ToolMessage",
        "AIMessage",
    ]
    _check_pass_back(emulator)


async def test_create_agent_streams_messages_async(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    _script_two_tool_turns(emulator)
    text: list[str] = []
    reasoning: list[str] = []
    tool_results: list[str] = []
    async for message, _meta in _agent(model).astream(QUESTION, stream_mode="messages"):
        if isinstance(message, AIMessageChunk):
            text.append(message.text)
            reasoning.append(message.additional_kwargs.get("reasoning_content", ""))
        elif isinstance(message, ToolMessage):
            tool_results.append(str(message.content))
    assert "".join(text) == "It is sunny and 24C in Paris, and 14:05 there."
    assert "".join(reasoning) == (
        "First I need the weather in Paris.Now the local time.I have both answers."
    )
    assert tool_results == ["Sunny, 24C in Paris", "14:05 in Paris"]
    _check_pass_back(emulator)


def test_unscripted_agent_loop_on_emulator_rules(emulator: MiMoEmulator):
    # No script: the emulator calls the first tool, then answers from the tool result.
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    result = _agent(model).invoke(QUESTION)
    assert result["messages"][-1].text == "The get_weather tool returned: Sunny, 24C in example"


# --- LCEL ----------------------------------------------------------------------------------------

PROMPT = ChatPromptTemplate.from_messages(
    [("system", "You answer in {language}."), ("human", "{question}")]
)


def test_lcel_chain_streams(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text("Bonjour tout le monde", reasoning="French greeting.", chunks=4))
    chain = PROMPT | model | StrOutputParser()
    pieces = list(chain.stream({"language": "French", "question": "Say hello"}))
    assert "".join(pieces) == "Bonjour tout le monde"
    assert len([p for p in pieces if p]) == 4  # streamed, not one block
    assert "French greeting." not in "".join(pieces)  # reasoning stays out of the text
    assert emulator.last_request.body["stream"] is True
    assert emulator.last_request.body["messages"] == [
        {"role": "system", "content": "You answer in French."},
        {"role": "user", "content": "Say hello"},
    ]


async def test_lcel_chain_astreams(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text("Hallo Welt", chunks=2))
    chain = PROMPT | model | StrOutputParser()
    pieces = [p async for p in chain.astream({"language": "German", "question": "Hello?"})]
    assert "".join(pieces) == "Hallo Welt"


def test_lcel_chain_astream_events(model: ChatMiMo, emulator: MiMoEmulator):
    import asyncio

    emulator.script(Reply.text("a b c", reasoning="r", chunks=3))
    chain = PROMPT | model | StrOutputParser()

    async def collect() -> list[str]:
        return [
            event["data"]["chunk"].text
            async for event in chain.astream_events({"language": "x", "question": "y"})
            if event["event"] == "on_chat_model_stream"
        ]

    assert "".join(asyncio.run(collect())) == "a b c"


# --- the comparison: ChatDeepSeek drops the reasoning ---


@pytest.mark.parametrize(
    ("first_text", "rejections"),
    [
        # a tool-call turn with no text: ChatDeepSeek sends content null AND drops the
        # reasoning; the service names whichever rule it checks first
        ("", {"`text` is not present", REASONING_PASS_BACK}),
        # with text beside the call, the dropped reasoning is the only rule broken
        ("Let me check.", {REASONING_PASS_BACK}),
    ],
)
def test_same_agent_fails_with_chatdeepseek_and_passes_with_chatmimo(
    emulator: MiMoEmulator, first_text: str, rejections: set[str]
):
    from langchain_deepseek import ChatDeepSeek

    deepseek = ChatDeepSeek(
        model="mimo-v2.6-pro",
        api_key=emulator.api_key,  # type: ignore[arg-type]
        base_url=emulator.base_url,
        max_retries=0,
    )
    _script_two_tool_turns(emulator, first_text)
    with pytest.raises(Exception) as caught:
        _agent(deepseek).invoke(QUESTION)
    # the emulator answered ChatDeepSeek's second model call with the service's 400
    assert getattr(caught.value, "status_code", None) == 400
    assert any(rejection in str(caught.value) for rejection in rejections)
    assert len(emulator.chat_requests) == 2
    [assistant] = [m for m in emulator.requests[-1].body["messages"] if m["role"] == "assistant"]
    assert "reasoning_content" not in assistant  # ChatDeepSeek dropped it
    assert assistant["content"] == (first_text or None)  # and sends null beside a call
    assert assistant["tool_calls"][0]["id"] == "call_w"

    emulator.reset()
    mimo = ChatMiMo(model="mimo-v2.6-pro", api_key=emulator.api_key, base_url=emulator.base_url)
    _script_two_tool_turns(emulator, first_text)
    result = _agent(mimo).invoke(QUESTION)
    assert result["messages"][-1].text == "It is sunny and 24C in Paris, and 14:05 there."
    final = emulator.chat_requests[-1].body
    assistants = [m for m in final["messages"] if m["role"] == "assistant"]
    assert [m["reasoning_content"] for m in assistants] == [
        "First I need the weather in Paris.",
        "Now the local time.",
    ]
    assert assistants[0]["content"] == first_text


# --- create_agent with a response_format ------------------------------------------------------


class WeatherReport(BaseModel):
    """The final weather report."""

    city: str = Field(description="The city")
    summary: str = Field(description="One sentence")


def test_create_agent_provider_strategy_uses_the_emulated_json_schema(emulator: MiMoEmulator):
    from langchain.agents.structured_output import ProviderStrategy

    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    emulator.script(
        Reply.tool_calls(ScriptedCall("get_weather", {"city": "Oslo"}, id="w"), reasoning="r1")
    )
    agent = create_agent(
        model, tools=[get_weather], response_format=ProviderStrategy(WeatherReport)
    )
    result = agent.invoke({"messages": [{"role": "user", "content": "Weather in Oslo?"}]})
    # unscripted final turn: the emulator answers with JSON generated from the schema that
    # ChatMiMo (through the core) put in the instructions
    assert isinstance(result["structured_response"], WeatherReport)
    final = emulator.chat_requests[-1].body
    assert final["response_format"] == {"type": "json_object"}
    assert '"summary"' in final["messages"][0]["content"]
    assert final["messages"][0]["role"] == "system"
    assert [m.get("reasoning_content") for m in final["messages"] if m["role"] == "assistant"] == [
        "r1"
    ]


def test_create_agent_tool_strategy(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    emulator.script(
        Reply.tool_calls(ScriptedCall("get_weather", {"city": "Oslo"}, id="w"), reasoning="r1"),
        Reply.tool_calls(
            ScriptedCall("WeatherReport", {"city": "Oslo", "summary": "Sunny."}, id="s"),
            reasoning="r2",
        ),
    )
    agent = create_agent(model, tools=[get_weather], response_format=WeatherReport)
    with pytest.warns(UserWarning, match="cannot force a tool call"):
        result = agent.invoke({"messages": [{"role": "user", "content": "Weather in Oslo?"}]})
    assert result["structured_response"] == WeatherReport(city="Oslo", summary="Sunny.")
    sent = emulator.chat_requests[-1].body
    assert {t["function"]["name"] for t in sent["tools"]} == {"get_weather", "WeatherReport"}
