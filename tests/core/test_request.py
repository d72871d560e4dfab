import warnings

import pytest

from mimo_client import build_request, to_wire_messages
from mimo_client.integration import build_request_from, tool_call_limit

USER = {"role": "user", "content": "hi"}
CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}


def tool_turn(**extra):
    return {"role": "assistant", "content": None, "tool_calls": [CALL], **extra}


def test_only_set_parameters_are_sent():
    request = build_request([USER], model="mimo-v2.6-pro")
    assert request == {"model": "mimo-v2.6-pro", "messages": [USER]}


def test_max_tokens_and_thinking_are_renamed():
    request = build_request(
        [USER], model="mimo-v2.6-flash", max_tokens=10, thinking=True, stop=["x"], stream=True
    )
    assert request["max_completion_tokens"] == 10
    assert "max_tokens" not in request
    assert request["thinking"] == {"type": "enabled"}
    assert request["stop"] == ["x"] and request["stream"] is True
    assert build_request([USER], model="m", thinking=False)["thinking"] == {"type": "disabled"}


def test_assistant_tool_turn_gets_empty_string_content_and_keeps_reasoning():
    messages = [
        USER,
        tool_turn(reasoning_content="think"),
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
    ]
    wire = build_request(messages, model="mimo-v2.6-pro")["messages"]
    assert wire[1]["content"] == ""
    assert wire[1]["reasoning_content"] == "think"
    assert messages[1]["content"] is None  # input untouched


def test_thinking_mode_tool_turn_without_reasoning_is_refused_before_sending():
    with pytest.raises(ValueError, match="reasoning_content"):
        build_request([USER, tool_turn()], model="mimo-v2.6-pro")
    # every v2.6 model thinks by default, flash included; explicit thinking=False is allowed
    with pytest.raises(ValueError, match="reasoning_content"):
        build_request([USER, tool_turn()], model="mimo-v2.6-flash")
    build_request([USER, tool_turn()], model="mimo-v2.6-pro", thinking=False)
    build_request([USER, tool_turn()], model="mimo-v2.6-flash", thinking=False)


def test_tool_message_content_flattened_to_string():
    wire = to_wire_messages(
        [
            USER,
            tool_turn(),
            {
                "role": "tool",
                "tool_call_id": "c",
                "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
            },
            {"role": "tool", "tool_call_id": "d", "content": {"temp": 21}},
        ]
    )
    assert wire[2]["content"] == "ab"
    assert wire[3]["content"] == '{"temp": 21}'


def test_tool_message_without_id_and_empty_tool_name_are_refused():
    with pytest.raises(ValueError, match="tool_call_id"):
        to_wire_messages([USER, {"role": "tool", "content": "x"}])
    bad = {"id": "c", "type": "function", "function": {"name": "", "arguments": "{}"}}
    with pytest.raises(ValueError, match="empty function name"):
        to_wire_messages([USER, {"role": "assistant", "content": "", "tool_calls": [bad]}])


def test_dict_arguments_become_json_text():
    call = {"id": "c", "function": {"name": "f", "arguments": {"x": 1}}}
    wire = to_wire_messages([USER, {"role": "assistant", "content": "", "tool_calls": [call]}])
    assert wire[1]["tool_calls"][0] == {
        "id": "c",
        "type": "function",
        "function": {"name": "f", "arguments": '{"x": 1}'},
    }


def test_image_only_user_content_is_refused_with_the_fix():
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}
    with pytest.raises(ValueError, match="add a text part"):
        to_wire_messages([{"role": "user", "content": [image]}])
    ok = to_wire_messages([{"role": "user", "content": [{"type": "text", "text": "what?"}, image]}])
    assert ok[0]["content"][1] == image


def test_unknown_role_and_empty_history_are_refused():
    with pytest.raises(ValueError, match="role 'function'"):
        to_wire_messages([{"role": "function", "content": "x"}])
    with pytest.raises(ValueError, match="empty"):
        to_wire_messages([])


def test_strict_none_dropped_bool_kept_and_bad_names_refused():
    tools = [
        {"type": "function", "function": {"name": "a", "parameters": {}, "strict": None}},
        {"type": "function", "function": {"name": "b", "parameters": {}, "strict": True}},
    ]
    sent = build_request([USER], model="m", tools=tools)["tools"]
    assert "strict" not in sent[0]["function"]
    assert sent[1]["function"]["strict"] is True
    with pytest.raises(ValueError, match="tool name"):
        build_request(
            [USER], model="m", tools=[{"type": "function", "function": {"name": "bad name"}}]
        )


def test_tool_choice_emulation():
    tools = [
        {"type": "function", "function": {"name": "a", "parameters": {}}},
        {"type": "function", "function": {"name": "b", "parameters": {}}},
    ]
    assert "tools" not in build_request([USER], model="m", tools=tools, tool_choice="none")
    named = build_request(
        [USER], model="m", tools=tools, tool_choice={"type": "function", "function": {"name": "b"}}
    )
    assert [t["function"]["name"] for t in named["tools"]] == ["b"]
    assert "tool_choice" not in named
    assert (
        build_request([USER], model="m", tools=tools, tool_choice="auto")["tool_choice"] == "auto"
    )
    with pytest.warns(UserWarning, match="cannot force"):
        build_request([USER], model="m", tools=tools, tool_choice="required")
    with pytest.raises(ValueError, match="not among the tools"):
        build_request([USER], model="m", tools=tools, tool_choice="c")


def test_response_format_json_schema_is_emulated_with_json_object():
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    request = build_request(
        [USER],
        model="m",
        response_format={"type": "json_schema", "json_schema": {"name": "X", "schema": schema}},
    )
    assert request["response_format"] == {"type": "json_object"}
    assert request["messages"][0]["role"] == "system"
    assert '"x"' in request["messages"][0]["content"]
    with pytest.raises(ValueError, match="json_object"):
        build_request([USER], model="m", response_format={"type": "xml"})


def test_reasoning_effort_none_and_too_many_stops_refused():
    with pytest.raises(ValueError, match="thinking=False"):
        build_request([USER], model="m", reasoning_effort="none")
    with pytest.raises(ValueError, match="at most 4"):
        build_request([USER], model="m", stop=["a", "b", "c", "d", "e"])


def test_no_warning_for_plain_requests():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_request([USER], model="m", tools=[{"type": "function", "function": {"name": "a"}}])


def test_empty_reasoning_is_sent_as_given():
    # Public reports show the service accepts "" (the emulator follows them too).
    wire = build_request([USER, tool_turn(reasoning_content="")], model="mimo-v2.6-pro")
    assert wire["messages"][1]["reasoning_content"] == ""


def test_empty_user_content_list_and_bare_media_parts_are_refused():
    with pytest.raises(ValueError, match="empty content list"):
        to_wire_messages([{"role": "user", "content": []}])
    bare = [{"type": "text", "text": "see"}, {"type": "image_url"}]
    with pytest.raises(ValueError, match="without its 'image_url' object"):
        to_wire_messages([{"role": "user", "content": bare}])


def test_tool_choice_true_warns_like_required():
    tools = [{"type": "function", "function": {"name": "a", "parameters": {}}}]
    with pytest.warns(UserWarning, match="cannot force"):
        build_request([USER], model="m", tools=tools, tool_choice=True)


def test_media_for_a_text_only_known_model_is_refused():
    image = {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
    message = {"role": "user", "content": [{"type": "text", "text": "what is it?"}, image]}
    with pytest.raises(ValueError, match=r"e\.g\. mimo-v2\.6-flash, mimo-v2\.6-pro, mimo-v2\.6-p"):
        build_request([message], model="mimo-v2.5-pro")  # retired, text only: no retired takers
    build_request([message], model="mimo-v2.6-pro")
    assert build_request([message], model="mimo-v2.6-flash")["messages"][0]["content"][1] == image
    build_request([message], model="some-future-model")  # unknown ids: the service judges


def test_build_request_from_splits_known_options_from_extra():
    request = build_request_from(
        [USER],
        {"model": "m", "max_tokens": 5, "thinking": None, "seed": 7, "logprobs": None},
        stream=True,
    )
    assert request["max_completion_tokens"] == 5
    assert request["seed"] == 7  # unknown names with a value are sent as given
    assert "thinking" not in request and "logprobs" not in request
    with pytest.raises(ValueError, match="model is empty"):
        build_request_from([USER], {"model": None})


def test_thinking_accepts_the_wire_shape_and_refuses_others():
    assert build_request([USER], model="m", thinking={"type": "disabled"})["thinking"] == {
        "type": "disabled"
    }
    # the wire shape decides the mode too: a tool turn without reasoning is fine when disabled
    build_request([USER, tool_turn()], model="mimo-v2.6-pro", thinking={"type": "disabled"})
    with pytest.raises(TypeError, match="thinking must be"):
        build_request([USER], model="m", thinking="off")


def test_max_tokens_must_be_an_int():
    with pytest.raises(TypeError, match="max_tokens must be an int"):
        build_request([USER], model="m", max_tokens="5")


def test_wire_names_and_parallel_tool_calls_in_options():
    request = build_request_from(
        [USER], {"model": "m", "max_completion_tokens": 7, "parallel_tool_calls": False}
    )
    assert request["max_completion_tokens"] == 7
    assert "parallel_tool_calls" not in request  # not a documented parameter: never sent
    with pytest.raises(ValueError, match="given twice"):
        build_request_from([USER], {"model": "m", "max_tokens": 10, "max_completion_tokens": 5})
    assert tool_call_limit({"parallel_tool_calls": False}) == 1
    assert tool_call_limit({"parallel_tool_calls": True}) is None
    assert tool_call_limit({}) is None
