"""The emulator catches the real-world bug: ChatDeepSeek drops reasoning_content on turn two.

LangChain's ChatDeepSeek reads ``reasoning_content`` from MiMo's answer, but does not send it
back with the assistant's tool-call turn; in thinking mode the service answers 400. The emulator
must answer that second request exactly as the service does.
"""

from __future__ import annotations

import openai
import pytest
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool
from langchain_deepseek import ChatDeepSeek

from mimo_client.testing import REASONING_PASS_BACK, MiMoEmulator


@tool
def get_weather(city: str) -> str:
    """Return the weather for a city."""
    return f"Sunny in {city}, 21 C"


def test_chat_deepseek_tool_loop_in_thinking_mode_hits_the_pass_back_400(
    mimo_emulator: MiMoEmulator,
) -> None:
    emu = mimo_emulator
    llm = ChatDeepSeek(
        model="mimo-v2.6-pro", api_key=emu.api_key, api_base=emu.base_url, max_retries=0
    ).bind_tools([get_weather])
    history = [HumanMessage("What is the weather in Paris?")]

    first = llm.invoke(history)  # turn one: the emulator calls the first tool, with reasoning
    assert first.tool_calls and first.tool_calls[0]["name"] == "get_weather"
    assert first.additional_kwargs.get("reasoning_content", "").startswith("The user asked")
    history += [
        first,
        ToolMessage(
            get_weather.invoke(first.tool_calls[0]["args"]), tool_call_id=first.tool_calls[0]["id"]
        ),
    ]

    with pytest.raises(openai.BadRequestError) as caught:
        llm.invoke(history)  # turn two: the tool result goes back, the reasoning does not

    assert caught.value.status_code == 400
    assert caught.value.body == {
        "code": "400",
        "message": "Param Incorrect",
        "param": REASONING_PASS_BACK,
        "type": "",
    }
    sent = emu.chat_requests[1].body
    assistant = next(m for m in sent["messages"] if m["role"] == "assistant")
    assert assistant["tool_calls"][0]["function"]["name"] == "get_weather"
    assert "reasoning_content" not in assistant
    assert "thinking" not in sent  # thinking mode is the model's default
    assert len(emu.chat_requests) == 2
