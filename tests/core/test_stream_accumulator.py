from mimo_client import AssistantTurn, StreamAccumulator, ToolCall


def chunk(delta=None, finish=None, usage=None, choices=True):
    body = {"id": "c1", "object": "chat.completion.chunk", "model": "mimo-v2.6-pro", "created": 1}
    body["choices"] = (
        [{"index": 0, "delta": delta or {}, "finish_reason": finish}] if choices else []
    )
    if usage is not None:
        body["usage"] = usage
    return body


def test_reasoning_content_and_usage_assembled():
    acc = StreamAccumulator()
    acc.add(chunk({"role": "assistant"}))
    deltas = [acc.add(chunk({"reasoning_content": piece})) for piece in ["Let ", "me ", "think"]]
    assert [d.reasoning for d in deltas] == ["Let ", "me ", "think"]
    assert acc.add(chunk({"content": "Hello"})).content == "Hello"
    acc.add(chunk({"content": " world"}))
    assert acc.add(chunk(finish="stop")).finish_reason == "stop"
    usage = {
        "prompt_tokens": 5,
        "completion_tokens": 9,
        "total_tokens": 14,
        "completion_tokens_details": {"reasoning_tokens": 3},
        "prompt_tokens_details": {"cached_tokens": 2},
    }
    last = acc.add(chunk(usage=usage, choices=False))
    assert last.usage is not None and last.content is None
    turn = acc.turn()
    assert turn.reasoning_content == "Let me think"
    assert turn.content == "Hello world"
    assert turn.finish_reason == "stop"
    assert (turn.usage.input_tokens, turn.usage.output_tokens, turn.usage.total_tokens) == (
        5,
        9,
        14,
    )
    assert (turn.usage.reasoning_tokens, turn.usage.cached_tokens) == (3, 2)
    assert (turn.id, turn.model) == ("c1", "mimo-v2.6-pro")


def test_interleaved_tool_calls_merge_by_index():
    acc = StreamAccumulator()
    acc.add(
        chunk(
            {
                "tool_calls": [
                    {
                        "index": 0,
                        "id": "a",
                        "type": "function",
                        "function": {"name": "f", "arguments": ""},
                    }
                ]
            }
        )
    )
    acc.add(
        chunk(
            {
                "tool_calls": [
                    {
                        "index": 1,
                        "id": "b",
                        "type": "function",
                        "function": {"name": "g", "arguments": '{"y"'},
                    }
                ]
            }
        )
    )
    acc.add(chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"x": '}}]}))
    acc.add(chunk({"tool_calls": [{"index": 1, "function": {"arguments": ": 2}"}}]}))
    acc.add(chunk({"tool_calls": [{"index": 0, "function": {"arguments": "1}"}}]}))
    acc.add(chunk(finish="tool_calls"))
    turn = acc.turn()
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        ("a", "f", '{"x": 1}'),
        ("b", "g", '{"y": 2}'),
    ]
    assert turn.tool_calls[0].parse_arguments() == ({"x": 1}, None)
    assert turn.finish_reason == "tool_calls"


def test_bad_arguments_are_reported_not_raised():
    args, error = ToolCall(id="a", name="f", arguments='{"x": ').parse_arguments()
    assert args is None and "not valid JSON" in error
    assert ToolCall(id="a", name="f", arguments="[1]").parse_arguments()[0] is None


def test_turn_round_trips_to_a_pass_back_message():
    completion = {
        "id": "x",
        "model": "mimo-v2.6-pro",
        "choices": [
            {
                "index": 0,
                "finish_reason": "tool_calls",
                "message": {
                    "role": "assistant",
                    "content": None,
                    "reasoning_content": "because",
                    "tool_calls": [
                        {
                            "id": "a",
                            "type": "function",
                            "function": {"name": "f", "arguments": "{}"},
                        }
                    ],
                },
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
    }
    turn = AssistantTurn.from_completion(completion)
    message = turn.to_wire_message()
    assert message == {
        "role": "assistant",
        "content": "",
        "reasoning_content": "because",
        "tool_calls": [
            {"id": "a", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }
    assert turn.usage.total_tokens == 3


def test_hundred_thousand_deltas_assemble_in_order():
    acc = StreamAccumulator()
    for i in range(100_000):
        acc.add(chunk({"content": str(i % 10)}))
    assert acc.turn().content == "".join(str(i % 10) for i in range(100_000))


def test_max_tool_calls_keeps_only_the_first_call():
    acc = StreamAccumulator(max_tool_calls=1)
    first = acc.add(
        chunk(
            {"tool_calls": [{"index": 0, "id": "a", "function": {"name": "f", "arguments": "{}"}}]}
        )
    )
    second = acc.add(
        chunk(
            {"tool_calls": [{"index": 1, "id": "b", "function": {"name": "g", "arguments": "{}"}}]}
        )
    )
    assert first.tool_calls and second.tool_calls is None
    assert [c.name for c in acc.turn().tool_calls] == ["f"]
    completion = {
        "choices": [
            {
                "message": {
                    "tool_calls": [
                        {"id": "a", "function": {"name": "f", "arguments": "{}"}},
                        {"id": "b", "function": {"name": "g", "arguments": "{}"}},
                    ]
                },
                "finish_reason": "tool_calls",
            }
        ]
    }
    assert [
        c.name for c in AssistantTurn.from_completion(completion, max_tool_calls=1).tool_calls
    ] == ["f"]
    assert len(AssistantTurn.from_completion(completion).tool_calls) == 2


def test_text_buffer_keeps_order_across_batches_and_reads():
    from mimo_client.types import TextBuffer

    buffer = TextBuffer()
    expected = []
    for i in range(2_000):
        buffer.write(str(i))
        expected.append(str(i))
        if i in (0, 511, 512, 1_500):
            assert buffer.getvalue() == "".join(expected)
    assert buffer.getvalue() == "".join(expected)
    assert len(buffer._joined) == 1 and not buffer._pending
    assert TextBuffer().getvalue() == ""
