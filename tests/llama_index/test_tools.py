"""Tools, tool calls (blocks, legacy kwargs), predict_and_call, structured output."""

from __future__ import annotations

import json
import warnings

import pytest
from llama_index.core.base.llms.types import ChatMessage, ChatResponse, ToolCallBlock
from llama_index.core.prompts import PromptTemplate
from llama_index.core.tools import FunctionTool
from llama_index.core.types import PydanticProgramMode
from pydantic import BaseModel

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


ADD = FunctionTool.from_defaults(fn=add)
MULTIPLY = FunctionTool.from_defaults(fn=multiply)


class City(BaseModel):
    """A city and its country."""

    name: str
    country: str


CITY_PROMPT = PromptTemplate("Which city is the capital of {country}?")


def _names(body: dict) -> list[str]:
    return [tool["function"]["name"] for tool in body.get("tools", [])]


def test_chat_with_tools_sends_the_tools_and_returns_tool_call_blocks(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    emulator.script(Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning="Add."))
    response = llm.chat_with_tools([ADD, MULTIPLY], user_msg="What is 2 + 3?")
    body = last_body()
    assert _names(body) == ["add", "multiply"]
    assert "tool_choice" not in body  # only what was set is sent
    assert body["tools"][0]["function"]["parameters"]["required"] == ["a", "b"]
    calls = [b for b in response.message.blocks if isinstance(b, ToolCallBlock)]
    assert [(c.tool_name, c.tool_kwargs) for c in calls] == [("add", {"a": 2, "b": 3})]
    assert calls[0].tool_call_id


def test_tool_required_asks_for_a_call_and_warns_the_service_cannot_force_it(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    emulator.script(Reply.tool_calls(("add", {"a": 1, "b": 1})))
    with pytest.warns(UserWarning, match="cannot force a tool call"):
        llm.chat_with_tools([ADD], user_msg="1 + 1?", tool_required=True)
    assert _names(last_body()) == ["add"]


def test_named_tool_choice_sends_only_that_tool(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    emulator.script(Reply.tool_calls(("multiply", {"a": 2, "b": 4})))
    llm.chat_with_tools([ADD, MULTIPLY], user_msg="2 * 4?", tool_choice="multiply")
    assert _names(last_body()) == ["multiply"]


def test_parallel_calls_are_cut_to_one_unless_allowed(llm: MiMo, emulator: MiMoEmulator) -> None:
    two = Reply.tool_calls(("add", {"a": 1, "b": 2}), ("multiply", {"a": 3, "b": 4}))
    emulator.script(two, two)
    single = llm.chat_with_tools([ADD, MULTIPLY], user_msg="both", allow_parallel_tool_calls=False)
    both = llm.chat_with_tools([ADD, MULTIPLY], user_msg="both", allow_parallel_tool_calls=True)
    assert [s.tool_name for s in llm.get_tool_calls_from_response(single)] == ["add"]
    assert [s.tool_name for s in llm.get_tool_calls_from_response(both)] == ["add", "multiply"]


def test_get_tool_calls_tolerates_partial_json_on_every_streamed_chunk(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    arguments = {"a": 12345, "b": 67890}
    emulator.script(Reply.tool_calls(("add", arguments), reasoning="Add.", argument_chunks=6))
    seen = []
    for chunk in llm.stream_chat_with_tools([ADD], user_msg="12345 + 67890?"):
        selections = llm.get_tool_calls_from_response(chunk, error_on_no_tool_call=False)
        for selection in selections:
            assert isinstance(selection.tool_kwargs, dict)
            seen.append(selection.tool_kwargs)
    assert len(seen) >= 6
    assert {} in seen or any(len(kw) < 2 for kw in seen)  # partial states were exposed
    assert seen[-1] == arguments
    final = [b for b in chunk.message.blocks if isinstance(b, ToolCallBlock)]
    assert final[0].tool_kwargs == arguments  # parsed once the call finished


def test_broken_arguments_stay_visible_and_are_read_without_raising(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.tool_calls(("add", '{"a": 1, "b":')))
    response = llm.chat_with_tools([ADD], user_msg="1 + ?")
    block = next(b for b in response.message.blocks if isinstance(b, ToolCallBlock))
    assert block.tool_kwargs == '{"a": 1, "b":'
    # read by LlamaIndex's own parse_partial_json, which gives a dangling key the value null
    assert llm.get_tool_calls_from_response(response)[0].tool_kwargs == {"a": 1, "b": None}


def test_arguments_that_are_not_an_object_read_as_no_arguments(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.tool_calls(("add", '{"a": 1]}')))
    response = llm.chat_with_tools([ADD], user_msg="1 + ?")
    assert llm.get_tool_calls_from_response(response)[0].tool_kwargs == {}


def test_no_tool_call_raises_only_when_asked(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("No tool needed."), Reply.text("No tool needed."))
    response = llm.chat_with_tools([ADD], user_msg="hi")
    assert llm.get_tool_calls_from_response(response, error_on_no_tool_call=False) == []
    with pytest.raises(ValueError, match="No tool needed"):
        llm.get_tool_calls_from_response(response)


def test_legacy_additional_kwargs_tool_calls_are_read_and_passed_back(llm: MiMo, last_body) -> None:
    legacy = ChatMessage(
        role="assistant",
        content="",
        additional_kwargs={
            "reasoning_content": "Old-style call.",
            "tool_calls": [
                {
                    "id": "call_9",
                    "type": "function",
                    "function": {"name": "add", "arguments": '{"a": 4, "b": 5}'},
                }
            ],
        },
    )
    selections = llm.get_tool_calls_from_response(ChatResponse(message=legacy))
    assert [(s.tool_id, s.tool_name, s.tool_kwargs) for s in selections] == [
        ("call_9", "add", {"a": 4, "b": 5})
    ]
    llm.chat(
        [
            ChatMessage(role="user", content="4 + 5?"),
            legacy,
            ChatMessage(role="tool", content="9", additional_kwargs={"tool_call_id": "call_9"}),
        ]
    )
    sent = last_body()["messages"][1]
    assert sent["tool_calls"][0]["id"] == "call_9"
    assert sent["reasoning_content"] == "Old-style call."


def test_legacy_openai_sdk_tool_call_objects_are_read(llm: MiMo) -> None:
    from openai.types.chat import ChatCompletionMessageToolCall

    call = ChatCompletionMessageToolCall.model_validate(
        {
            "id": "call_7",
            "type": "function",
            "function": {"name": "add", "arguments": '{"a": 1, "b": 6}'},
        }
    )
    message = ChatMessage(role="assistant", content="", additional_kwargs={"tool_calls": [call]})
    [selection] = llm.get_tool_calls_from_response(ChatResponse(message=message))
    assert (selection.tool_id, selection.tool_kwargs) == ("call_7", {"a": 1, "b": 6})


def test_predict_and_call_runs_the_tool(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.tool_calls(("multiply", {"a": 6, "b": 7}), reasoning="Multiply."))
    result = llm.predict_and_call([ADD, MULTIPLY], user_msg="6 * 7?")
    assert result.response == "42"
    assert result.sources[0].tool_name == "multiply"


async def test_apredict_and_call_runs_the_tool(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.tool_calls(("add", {"a": 20, "b": 22})))
    result = await llm.apredict_and_call([ADD], user_msg="20 + 22?")
    assert result.response == "42"


def test_structured_predict_uses_json_mode_with_the_schema(
    llm: MiMo, emulator: MiMoEmulator, last_body
) -> None:
    emulator.script(Reply.text('{"name": "Paris", "country": "France"}'))
    city = llm.structured_predict(City, CITY_PROMPT, country="France")
    assert city == City(name="Paris", country="France")
    body = last_body()
    assert body["response_format"] == {"type": "json_object"}
    system = body["messages"][0]
    assert system["role"] == "system"
    assert json.loads(system["content"].split("\n", 1)[1]) == City.model_json_schema()


def test_structured_predict_against_unscripted_json_mode(llm: MiMo) -> None:
    # Unscripted, the emulator generates an object from the schema it finds in the request.
    city = llm.structured_predict(City, CITY_PROMPT, country="Peru")
    assert isinstance(city, City)


def test_structured_predict_tolerates_a_code_fence(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text('```json\n{"name": "Lima", "country": "Peru"}\n```'))
    assert llm.structured_predict(City, CITY_PROMPT, country="Peru").name == "Lima"


def test_structured_predict_names_the_class_when_the_answer_is_invalid(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text('{"name": "Lima"}'))
    with pytest.raises(ValueError, match="not a valid City"):
        llm.structured_predict(City, CITY_PROMPT, country="Peru")


async def test_astructured_predict(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text('{"name": "Rome", "country": "Italy"}'))
    city = await llm.astructured_predict(City, CITY_PROMPT, country="Italy")
    assert city == City(name="Rome", country="Italy")


def test_stream_structured_predict_yields_growing_objects(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text('{"name": "Berlin", "country": "Germany"}', chunks=6))
    partials = list(llm.stream_structured_predict(City, CITY_PROMPT, country="Germany"))
    assert len(partials) > 2
    assert partials[-1].name == "Berlin"
    assert partials[-1].country == "Germany"


async def test_astream_structured_predict(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text('{"name": "Oslo", "country": "Norway"}', chunks=4))
    stream = await llm.astream_structured_predict(City, CITY_PROMPT, country="Norway")
    partials = [p async for p in stream]
    assert partials[-1].name == "Oslo"


def test_as_structured_llm_returns_the_object_in_raw(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text('{"name": "Madrid", "country": "Spain"}'))
    structured = llm.as_structured_llm(City)
    response = structured.chat([ChatMessage(role="user", content="Capital of Spain?")])
    assert response.raw == City(name="Madrid", country="Spain")
    assert json.loads(response.message.content or "") == {"name": "Madrid", "country": "Spain"}


def test_function_mode_structured_predict_goes_through_a_tool_call(
    emulator: MiMoEmulator, last_body
) -> None:
    llm = MiMo(
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        pydantic_program_mode=PydanticProgramMode.FUNCTION,
    )
    emulator.script(Reply.tool_calls(("City", {"name": "Cairo", "country": "Egypt"})))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "cannot force a tool call"
        city = llm.structured_predict(City, CITY_PROMPT, country="Egypt")
    assert city == City(name="Cairo", country="Egypt")
    assert _names(last_body()) == ["City"]
    assert "response_format" not in last_body()


def test_interleaved_streamed_calls_are_assembled_by_index(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.tool_calls(
            ("add", {"a": 1, "b": 2}),
            ("multiply", {"a": 3, "b": 4}),
            reasoning="Both.",
            interleave=True,
            argument_chunks=4,
        )
    )
    *_, last = llm.stream_chat_with_tools(
        [ADD, MULTIPLY], user_msg="both", allow_parallel_tool_calls=True
    )
    calls = [b for b in last.message.blocks if isinstance(b, ToolCallBlock)]
    assert [(c.tool_name, c.tool_kwargs) for c in calls] == [
        ("add", {"a": 1, "b": 2}),
        ("multiply", {"a": 3, "b": 4}),
    ]
    assert len({c.tool_call_id for c in calls}) == 2
