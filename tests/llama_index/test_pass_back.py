"""History goes back as MiMo requires (reasoning, "" content, tool strings)."""

from __future__ import annotations

import json

import pytest
from llama_index.core.base.llms.types import (
    ChatMessage,
    ImageBlock,
    TextBlock,
    ThinkingBlock,
    ToolCallBlock,
)

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def _history(assistant: ChatMessage) -> list[ChatMessage]:
    return [
        ChatMessage(role="system", content="You are a calculator."),
        ChatMessage(role="user", content="What is 2 + 3?"),
        assistant,
        ChatMessage(
            role="tool",
            blocks=[TextBlock(text="5"), TextBlock(text="(exact)")],
            additional_kwargs={"tool_call_id": "call_1"},
        ),
    ]


def _tool_turn(**kwargs: object) -> ChatMessage:
    return ChatMessage(
        role="assistant",
        blocks=[
            ThinkingBlock(content="I should call add."),
            ToolCallBlock(tool_call_id="call_1", tool_name="add", tool_kwargs={"a": 2, "b": 3}),
        ],
        **kwargs,
    )


def test_tool_turn_sends_reasoning_back_from_its_thinking_block(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    # thinking mode (the model's default): the emulator answers 400 if reasoning is missing
    reply = llm.chat(_history(_tool_turn()))
    assert reply.message.content
    assistant = last_body()["messages"][2]
    assert assistant["reasoning_content"] == "I should call add."


def test_tool_turn_content_is_empty_string_not_null(llm: MiMo, last_body) -> None:
    llm.chat(_history(_tool_turn()))
    assistant = last_body()["messages"][2]
    assert assistant["content"] == ""
    assert assistant["tool_calls"] == [
        {
            "id": "call_1",
            "type": "function",
            "function": {"name": "add", "arguments": json.dumps({"a": 2, "b": 3})},
        }
    ]


def test_reasoning_from_additional_kwargs_when_there_is_no_thinking_block(
    llm: MiMo, last_body
) -> None:
    turn = ChatMessage(
        role="assistant",
        blocks=[ToolCallBlock(tool_call_id="call_1", tool_name="add", tool_kwargs="{}")],
        additional_kwargs={"reasoning_content": "Add them."},
    )
    llm.chat(_history(turn))
    assert last_body()["messages"][2]["reasoning_content"] == "Add them."


def test_tool_message_is_flattened_to_a_string_with_its_call_id(llm: MiMo, last_body) -> None:
    history = _history(_tool_turn())
    history[3].blocks.append(ImageBlock(image=PNG))  # a tool's image cannot go to MiMo
    llm.chat(history)
    tool = last_body()["messages"][3]
    assert tool == {"role": "tool", "content": "5\n(exact)", "tool_call_id": "call_1"}


def test_assistant_reply_round_trips_into_the_next_request(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    emulator.script(
        Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning="Use the add tool."),
        Reply.text("It is 5."),
    )
    history = [ChatMessage(role="user", content="What is 2 + 3?")]
    reply = llm.chat(history, tools=[_ADD_SPEC])
    call = next(b for b in reply.message.blocks if isinstance(b, ToolCallBlock))
    history += [
        reply.message,
        ChatMessage(
            role="tool", content="5", additional_kwargs={"tool_call_id": call.tool_call_id}
        ),
    ]
    assert llm.chat(history, tools=[_ADD_SPEC]).message.content == "It is 5."
    sent = last_body()["messages"][1]
    assert sent["reasoning_content"] == "Use the add tool."
    assert sent["content"] == ""
    assert json.loads(sent["tool_calls"][0]["function"]["arguments"]) == {"a": 2, "b": 3}


def test_streamed_reply_round_trips_into_the_next_request(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    emulator.script(
        Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning="Stream, then add."),
        Reply.text("It is 5."),
    )
    history = [ChatMessage(role="user", content="What is 2 + 3?")]
    *_, last = llm.stream_chat(history, tools=[_ADD_SPEC])
    call = next(b for b in last.message.blocks if isinstance(b, ToolCallBlock))
    history += [
        last.message,
        ChatMessage(
            role="tool", content="5", additional_kwargs={"tool_call_id": call.tool_call_id}
        ),
    ]
    assert llm.chat(history).message.content == "It is 5."
    assert last_body()["messages"][1]["reasoning_content"] == "Stream, then add."


def test_thinking_tool_turn_without_reasoning_fails_before_sending(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    turn = ChatMessage(
        role="assistant",
        blocks=[ToolCallBlock(tool_call_id="call_1", tool_name="add", tool_kwargs={})],
    )
    with pytest.raises(ValueError, match="reasoning_content"):
        llm.chat(_history(turn))
    assert emulator.chat_requests == []


def test_history_without_reasoning_is_fine_with_thinking_off(
    emulator: MiMoEmulator, last_body
) -> None:
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, thinking=False)
    turn = ChatMessage(
        role="assistant",
        blocks=[ToolCallBlock(tool_call_id="call_1", tool_name="add", tool_kwargs={})],
    )
    llm.chat(_history(turn))
    assert "reasoning_content" not in last_body()["messages"][2]


_ADD_SPEC = {
    "type": "function",
    "function": {
        "name": "add",
        "description": "Add two integers.",
        "parameters": {
            "type": "object",
            "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}},
            "required": ["a", "b"],
        },
    },
}
