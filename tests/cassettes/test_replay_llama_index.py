"""LlamaIndex ``MiMo`` against recorded MiMo traffic (cassettes/tests/test_llama_index_*.yaml)."""

from __future__ import annotations

import pytest
from llama_index.core.base.llms.types import ThinkingBlock
from llama_index.core.llms import ChatMessage
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from pydantic import BaseModel

from llama_index_mimo import MiMo
from mimo_client import BadRequestError

from ._cassette_requests import chat_bodies

pytestmark = pytest.mark.vcr


def get_weather(city: str) -> str:
    """Get the current weather in a city."""
    return f"Sunny, 25 C in {city}"


class City(BaseModel):
    """A city and the country it is in."""

    name: str
    country: str


def _llm(endpoint, **kwargs) -> MiMo:
    return MiMo(
        model="mimo-v2.6-pro",
        api_key=endpoint.api_key,
        base_url=endpoint.base_url,
        max_tokens=4096,
        **kwargs,
    )


def test_llama_index_stream_chat_yields_thinking_then_text(endpoint) -> None:
    chunks = list(
        _llm(endpoint).stream_chat(
            [ChatMessage(role="user", content="Why is the sky blue? One sentence.")]
        )
    )
    thinking = "".join(c.additional_kwargs.get("thinking_delta") or "" for c in chunks)
    text = "".join(c.delta or "" for c in chunks)
    assert thinking and text
    final = chunks[-1].message
    assert isinstance(final.blocks[0], ThinkingBlock)
    assert final.blocks[0].content == thinking
    assert final.content == text
    assert chunks[-1].raw["usage"]["completion_tokens"] > 0


def test_llama_index_tool_round_trip_passes_reasoning_back(endpoint, vcr) -> None:
    llm = _llm(endpoint, thinking=True)
    tool = FunctionTool.from_defaults(fn=get_weather)
    response = llm.chat_with_tools(
        [tool], user_msg="Use the get_weather tool to find the weather in Paris, then answer."
    )
    calls = llm.get_tool_calls_from_response(response)
    assert [call.tool_name for call in calls] == ["get_weather"]
    history = [
        ChatMessage(
            role="user",
            content="Use the get_weather tool to find the weather in Paris, then answer.",
        ),
        response.message,
    ]
    for call in calls:
        history.append(
            ChatMessage(
                role="tool",
                content=str(tool.call(**call.tool_kwargs)),
                additional_kwargs={"tool_call_id": call.tool_id, "name": call.tool_name},
            )
        )
    final = llm.chat_with_tools([tool], chat_history=history)
    assert final.message.content
    assert not llm.get_tool_calls_from_response(final, error_on_no_tool_call=False)

    assistant = next(m for m in chat_bodies(vcr)[1]["messages"] if m["role"] == "assistant")
    assert assistant["reasoning_content"]


def test_llama_index_structured_predict_returns_a_validated_model(endpoint) -> None:
    city = _llm(endpoint).structured_predict(
        City, PromptTemplate("Which city is the capital of {country}?"), country="France"
    )
    assert isinstance(city, City)
    assert city.name and city.country


def test_llama_index_rejection_raises_bad_request_with_the_reason(endpoint) -> None:
    # The original reference page allows temperature up to 2; the service's limit is 1.5.
    llm = _llm(endpoint, thinking=False)
    with pytest.raises(BadRequestError) as caught:
        llm.chat([ChatMessage(role="user", content="Hello")], temperature=1.8)
    assert caught.value.status == 400
    assert caught.value.param
