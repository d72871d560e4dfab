"""The emulator rejects what the MiMo service rejects, with the service's exact 400 body."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from mimo_client.testing import REASONING_PASS_BACK, MiMoEmulator, Reply

from .conftest import USER, WEATHER_TOOL, chat, param_400

CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
TOOL_TURN = [
    *USER,
    {"role": "assistant", "content": "", "tool_calls": [CALL]},
    {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
]


def with_assistant(**fields: Any) -> list[dict[str, Any]]:
    message = {"role": "assistant", "tool_calls": [CALL], **fields}
    return [*USER, message, {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}]


def test_reasoning_pass_back_rule_exact_body(http: httpx.Client) -> None:
    response = chat(http, messages=TOOL_TURN)
    assert response.status_code == 400
    assert response.json() == param_400(
        "The reasoning_content in the thinking mode must be passed back to the API."
    )
    assert response.json()["error"]["param"] == REASONING_PASS_BACK


def test_reasoning_pass_back_rule_on_stream_is_sse_framed(http: httpx.Client) -> None:
    response = chat(http, messages=TOOL_TURN, stream=True)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.text.startswith("data:{")
    payload = json.loads(response.text.strip()[len("data:") :])
    assert payload == param_400(REASONING_PASS_BACK)


@pytest.mark.parametrize(
    ("model", "thinking", "rejected"),
    [
        ("mimo-v2.6-pro", None, True),  # thinking on by default
        ("mimo-v2.6-pro-ultraspeed", None, True),
        ("mimo-v2.6-flash", None, True),  # v2.6: on by default, flash included
        ("mimo-v2.6-flash", {"type": "enabled"}, True),
        ("mimo-v2.6-pro", {"type": "disabled"}, False),
        ("some-future-model", None, True),
    ],
)
def test_thinking_mode_decides_the_pass_back_rule(
    http: httpx.Client, model: str, thinking: dict[str, str] | None, rejected: bool
) -> None:
    body: dict[str, Any] = {"model": model, "messages": TOOL_TURN}
    if thinking is not None:
        body["thinking"] = thinking
    response = chat(http, **body)
    assert response.status_code == (400 if rejected else 200), response.text


def test_reasoning_passed_back_is_accepted(http: httpx.Client) -> None:
    messages = with_assistant(content="", reasoning_content="I need the weather tool.")
    assert chat(http, messages=messages).status_code == 200


def test_empty_reasoning_string_passes(http: httpx.Client) -> None:
    # clients that pad the field with "" are reported to get through
    assert chat(http, messages=with_assistant(content="", reasoning_content="")).status_code == 200


def test_pass_back_reason_wins_over_content_null(http: httpx.Client) -> None:
    # what OpenAI-SDK based clients send: content null and no reasoning
    response = chat(http, messages=with_assistant(content=None))
    assert response.json() == param_400(REASONING_PASS_BACK)
    response = chat(http, messages=with_assistant(content=None), thinking={"type": "disabled"})
    assert response.json() == param_400("`text` is not present")


@pytest.mark.parametrize(
    ("messages", "reason"),
    [
        # rule 2: tool-call turn with content null (or absent)
        (with_assistant(content=None, reasoning_content="r"), "`text` is not present"),
        (with_assistant(reasoning_content="r"), "`text` is not present"),
        # rule 3: tool content as a list of parts
        (
            [
                *with_assistant(content="", reasoning_content="r")[:2],
                {
                    "role": "tool",
                    "tool_call_id": "call_1",
                    "content": [{"type": "text", "text": "sunny"}],
                },
            ],
            "`text` is not set",
        ),
        # rule 4: empty tool-call name
        (
            [
                *USER,
                {
                    "role": "assistant",
                    "content": "",
                    "reasoning_content": "r",
                    "tool_calls": [
                        {"id": "c", "type": "function", "function": {"name": "", "arguments": "{}"}}
                    ],
                },
            ],
            "`name` is not set",
        ),
        # rule 5: a user content array with only an image
        (
            [
                {
                    "role": "user",
                    "content": [
                        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
                    ],
                }
            ],
            "`text` is not set",
        ),
        ([{"role": "wizard", "content": "hi"}], "Unsupported role 'wizard'"),
        ([{"role": "function", "content": "hi"}], "Unsupported role 'function'"),
    ],
    ids=["content-null", "content-absent", "tool-list", "empty-name", "image-only", "role", "fn"],
)
def test_message_rules(http: httpx.Client, messages: list[Any], reason: str) -> None:
    response = chat(http, messages=messages)
    assert response.status_code == 400
    assert response.json() == param_400(reason)


def test_user_image_with_text_part_is_accepted(http: httpx.Client) -> None:
    content = [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
    ]
    response = chat(http, model="mimo-v2.6-flash", messages=[{"role": "user", "content": content}])
    assert response.status_code == 200


def tool_with(**function: Any) -> dict[str, Any]:
    base = {"name": "get_weather", "parameters": {"type": "object", "properties": {}}}
    return {"type": "function", "function": {**base, **function}}


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ({"tools": [tool_with(strict=None)]}, "`strict` must be a boolean"),
        (
            {"tools": [tool_with(name="get weather")]},
            "Invalid tool name 'get weather': must match [a-zA-Z0-9_-]{1,64}",
        ),
        (
            {"tools": [tool_with(name="x" * 65)]},
            f"Invalid tool name {'x' * 65!r}: must match [a-zA-Z0-9_-]{{1,64}}",
        ),
        (
            {"tools": [{"type": "web_search", "limit": 51}]},
            "web_search limit must be an integer from 1 to 50, got 51",
        ),
        (
            {"response_format": {"type": "json_schema", "json_schema": {"name": "x"}}},
            "response_format type must be text or json_object",
        ),
        ({"reasoning_effort": "none"}, "reasoning_effort 'none' is not supported"),
        ({"temperature": 1.6}, "`temperature` must be between 0 and 1.5"),
        ({"temperature": -0.1}, "`temperature` must be between 0 and 1.5"),
        ({"top_p": 0}, "`top_p` must be between 0.01 and 1"),
        ({"top_p": 1.01}, "`top_p` must be between 0.01 and 1"),
        ({"presence_penalty": 2.5}, "`presence_penalty` must be between -2 and 2"),
        ({"frequency_penalty": -3}, "`frequency_penalty` must be between -2 and 2"),
        (
            {"max_completion_tokens": 0},
            "`max_completion_tokens` must be between 1 and 131072",
        ),
        (
            {"max_completion_tokens": 131073},
            "`max_completion_tokens` must be between 1 and 131072",
        ),
        ({"stop": ["a", "b", "c", "d", "e"]}, "`stop` takes at most 4 strings"),
        ({"thinking": {"type": "auto"}}, "`thinking.type` must be enabled or disabled"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_parameter_rules(http: httpx.Client, extra: dict[str, Any], reason: str) -> None:
    response = chat(http, **extra)
    assert response.status_code == 400
    assert response.json() == param_400(reason)


@pytest.mark.parametrize(
    "extra",
    [
        {"tools": [tool_with(strict=True)]},
        {"tools": [tool_with(strict=False)]},
        {"response_format": {"type": "json_object"}},
        {"response_format": {"type": "text"}},
        {"reasoning_effort": "high"},
        {"temperature": 1.5, "top_p": 0.01},
        {"temperature": 0, "top_p": 1},
        {"max_completion_tokens": 131072},
        {"stop": ["a", "b", "c", "d"]},
        {"stop": "END"},
    ],
    ids=lambda v: str(v)[:40],
)
def test_valid_parameters_are_accepted(http: httpx.Client, extra: dict[str, Any]) -> None:
    assert chat(http, **extra).status_code == 200


def test_retired_models_are_refused_by_default_and_configurable() -> None:
    def ask(emu: MiMoEmulator, model: str) -> httpx.Response:
        return httpx.post(
            f"{emu.base_url}/chat/completions",
            json={"model": model, "messages": USER},
            headers={"api-key": emu.api_key},
        )

    with MiMoEmulator() as emu:
        for model in ("mimo-v2.5-pro", "mimo-v2.5", "mimo-v2-flash"):
            response = ask(emu, model)
            assert response.status_code == 400
            # the service's bytes (real-traffic 024): no "type" key on this one
            assert response.content == (
                b'{"error":{"code":"400","message":"Param Incorrect","param":"Not supported model '
                + model.encode()
                + b'"}}'
            )
        assert ask(emu, "mimo-v2.6-flash").status_code == 200
        assert ask(emu, "mimo-v9-unknown").status_code == 200  # unknown ids are not retired
    with MiMoEmulator(retired_models={"mimo-v2.6-flash"}) as emu:
        assert ask(emu, "mimo-v2.6-flash").status_code == 400
        assert ask(emu, "mimo-v2.5-pro").status_code == 200


def test_rejected_request_does_not_consume_the_script(
    emu: MiMoEmulator, http: httpx.Client
) -> None:
    emu.script(Reply.text("scripted"))
    assert chat(http, temperature=9).status_code == 400
    assert emu.pending == 1
    ok = chat(http)
    assert ok.json()["choices"][0]["message"]["content"] == "scripted"
    assert emu.pending == 0


def test_enforce_rules_off_lets_anything_through() -> None:
    with MiMoEmulator(enforce_rules=False) as emu:
        response = httpx.post(
            f"{emu.base_url}/chat/completions",
            json={"model": "mimo-v2.6-pro", "messages": TOOL_TURN, "temperature": 9},
            headers={"api-key": emu.api_key},
        )
        assert response.status_code == 200


def test_body_that_is_not_json_is_a_400(http: httpx.Client) -> None:
    response = http.post(
        "/chat/completions", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert response.json() == param_400("The request body is not valid JSON")


def test_tools_without_tool_call_pass_rules(http: httpx.Client) -> None:
    assert chat(http, tools=[WEATHER_TOOL]).status_code == 200
