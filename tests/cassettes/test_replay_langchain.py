"""ChatMiMo against recorded MiMo traffic (cassettes/tests/test_langchain_*.yaml).

Replayed requests must match the recorded ones on method, path and JSON body, so these tests
also pin what ChatMiMo sends: a changed request body fails here with the differing keys.
"""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.tools import tool

from langchain_mimo import ChatMiMo, MiMoInvalidRequestError

from ._cassette_requests import chat_bodies

pytestmark = pytest.mark.vcr


@tool
def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    return f"Sunny, 25 C in {city}"


def _model(endpoint, **kwargs) -> ChatMiMo:
    return ChatMiMo(
        model="mimo-v2.6-pro",
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        max_tokens=4096,
        **kwargs,
    )


def test_langchain_invoke_returns_reasoning_and_usage(endpoint) -> None:
    message = _model(endpoint).invoke("In one sentence: why is the sky blue?")
    assert message.text
    assert message.additional_kwargs["reasoning_content"]
    assert message.content_blocks[0]["type"] == "reasoning"
    usage = message.usage_metadata
    assert usage is not None and usage["output_tokens"] > 0
    assert usage["output_token_details"]["reasoning"] > 0


def test_langchain_stream_separates_reasoning_from_answer(endpoint) -> None:
    chunks = list(_model(endpoint).stream("In one sentence: why is the sky blue?"))
    reasoning = "".join(c.additional_kwargs.get("reasoning_content", "") for c in chunks)
    answer = "".join(c.text for c in chunks)
    assert reasoning and answer
    assert reasoning not in answer
    with_usage = [c for c in chunks if c.usage_metadata]
    assert len(with_usage) == 1
    full = chunks[0]
    for chunk in chunks[1:]:
        full += chunk
    assert isinstance(full, AIMessageChunk)
    assert full.additional_kwargs["reasoning_content"] == reasoning


def test_langchain_tool_round_trip_passes_reasoning_back(endpoint, vcr) -> None:
    model = _model(endpoint, thinking=True).bind_tools([get_weather])
    history = [HumanMessage("Use the get_weather tool to find the weather in Paris, then answer.")]
    first = model.invoke(history)
    assert [call["name"] for call in first.tool_calls] == ["get_weather"]
    history.append(first)
    for call in first.tool_calls:
        history.append(ToolMessage(get_weather.invoke(call["args"]), tool_call_id=call["id"]))
    final = model.invoke(history)
    assert final.text and not final.tool_calls

    second_request = chat_bodies(vcr)[1]
    assistant = next(m for m in second_request["messages"] if m["role"] == "assistant")
    assert assistant["reasoning_content"] == first.additional_kwargs["reasoning_content"]
    assert assistant["content"] == "" or isinstance(assistant["content"], str)


async def test_langchain_async_stream_and_invoke(endpoint) -> None:
    model = _model(endpoint, thinking=False)
    answer = ""
    async for chunk in model.astream("Name one colour of the rainbow."):
        assert not chunk.additional_kwargs.get("reasoning_content")
        answer += chunk.text
    assert answer
    message = await model.ainvoke("Name another colour of the rainbow.")
    assert message.text


def test_langchain_stream_rejection_arrives_as_a_typed_400(endpoint) -> None:
    # temperature 1.9 is outside the service's 0..1.5 (400); on a streaming request the
    # error comes SSE-framed, which must still surface as the typed error with its reason.
    model = _model(endpoint, temperature=1.9)
    with pytest.raises(MiMoInvalidRequestError) as caught:
        list(model.stream("Hello"))
    assert caught.value.status == 400
    assert caught.value.param
