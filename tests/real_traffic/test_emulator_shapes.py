"""The emulator answers the same kind of request in the service's shapes: the same keys, and the
same null vs "" vs absent, as the published bytes; its error bodies are the same bytes.

Shapes compare value kinds, not values: a string is "str" (or "" when empty), null is None, a
number "num", an object its keys' shapes, a list the shapes of its items. Two differences the
corpus itself shows are normalized, and said where they are: ``prompt_tokens_details`` is ``{}``,
``null`` or ``{"cached_tokens": n}`` (all three are real), and the finish chunk's ``usage`` is
``null`` (010) or absent (012). File 008 (a LiteLLM log line with an edited id, confidence low)
is replayed in test_replay but not used as a shape reference.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import mimo_client
from mimo_client.testing import MiMoEmulator, Reply

from .conftest import raw, sse_payloads

USER = [{"role": "user", "content": "Introduce machine learning in three sentences."}]
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
OFF = {"type": "disabled"}


def shape(value: Any, key: str = "") -> Any:
    if key == "prompt_tokens_details":
        return "details"  # {}, null or {"cached_tokens": n}: all three are in the corpus
    if value is None:
        return None
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "num"
    if isinstance(value, str):
        return "" if value == "" else "str"
    if isinstance(value, list):
        return [shape(v) for v in value]
    return {k: shape(v, k) for k, v in value.items() if not (k == "usage" and v is None)}


def chunk_shapes(chunks: list[Any], drop: tuple[str, ...] = ()) -> list[Any]:
    """The distinct chunk shapes, in order of first appearance."""
    out: list[Any] = []
    for chunk in chunks:
        s = shape({k: v for k, v in chunk.items() if k not in drop})
        if s not in out:
            out.append(s)
    return out


def post(emulator: MiMoEmulator, **body: Any) -> httpx.Response:
    return httpx.post(
        f"{emulator.base_url}/chat/completions",
        json={"model": "mimo-v2.6-pro", "messages": USER, **body},
        headers={"api-key": emulator.api_key},
        timeout=10,
    )


def streamed(response: httpx.Response) -> list[Any]:
    return [
        json.loads(line[5:])
        for line in response.text.splitlines()
        if line.startswith("data:") and line[5:].strip() != "[DONE]"
    ]


def real(name: str) -> Any:
    return json.loads(raw(name))


def test_thinking_reply_has_the_real_shape(emulator: MiMoEmulator) -> None:
    reply = post(emulator).json()
    assert shape(reply) == shape(real("001_v25pro_thinking_nonstream.json"))
    assert reply["choices"][0]["message"]["tool_calls"] is None


def test_thinking_off_reply_has_no_reasoning_key(emulator: MiMoEmulator) -> None:
    reply = post(emulator, thinking=OFF).json()
    assert "reasoning_content" not in reply["choices"][0]["message"]
    assert shape(reply) == shape(real("002_v25pro_thinking_disabled_no_reasoning_key.json"))
    # 003 (no thinking, prompt details null) has the same shape once details are normalized
    assert shape(reply) == shape(real("003_v25pro_basic_prompt_details_null.json"))


def test_json_mode_reply_matches_the_real_one_but_for_the_older_null_reasoning(
    emulator: MiMoEmulator,
) -> None:
    reply = post(emulator, thinking=OFF, response_format={"type": "json_object"}).json()
    json.loads(reply["choices"][0]["message"]["content"])
    reference = real("007_flash_json_mode.json")
    # Dec-2025 flash replies say "reasoning_content": null (004, 007); 2026 replies leave the key
    # out (002). The emulator follows the newer one; everything else must match.
    assert reference["choices"][0]["message"].pop("reasoning_content") is None
    assert shape(reply) == shape(reference)


def test_non_streamed_tool_call_turn_has_content_empty_not_null(emulator: MiMoEmulator) -> None:
    reply = post(emulator, tools=[TOOL]).json()
    message = reply["choices"][0]["message"]
    assert message["content"] == ""
    assert set(message) == {"content", "role", "tool_calls", "reasoning_content"}
    assert set(message["tool_calls"][0]) == {"id", "function", "type"}


def test_thinking_stream_has_the_real_chunk_shapes(emulator: MiMoEmulator) -> None:
    mine = streamed(post(emulator, stream=True))
    reference = sse_payloads("010_v25pro_stream_thinking_docs_elided.sse")
    assert chunk_shapes(mine) == chunk_shapes(reference)
    assert mine[0]["choices"][0]["delta"]["content"] == ""
    assert mine[0]["choices"][0]["delta"]["role"] == "assistant"
    assert "usage" in mine[-2] and mine[-2]["usage"] is None  # as 010 sends it


def test_stream_after_tool_results_has_the_real_chunk_shapes(emulator: MiMoEmulator) -> None:
    history = [
        *USER,
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "cloudy, 25 to 34"},
    ]
    mine = streamed(post(emulator, messages=history, thinking=OFF, tools=[TOOL], stream=True))
    reference = sse_payloads("012_v25pro_stream_text_after_tools_cached.sse")
    assert chunk_shapes(mine) == chunk_shapes(reference)


def test_streamed_tool_call_has_the_real_chunk_shapes(emulator: MiMoEmulator) -> None:
    emulator.script(
        Reply.tool_calls(
            ("get_weather", {"city": "Paris"}), reasoning="Use the city.", argument_chunks=1
        )
    )
    mine = streamed(post(emulator, tools=[TOOL], stream=True))
    reference = sse_payloads("014_v25_stream_tool_call_single_chunk.sse")
    # 014 is a fixture without id and created (edited by its author): compare the rest
    assert chunk_shapes(mine, drop=("id", "created")) == chunk_shapes(reference)
    assert mine[0]["choices"][0]["delta"]["content"] == ""


# --- error bodies: the same bytes ---------------------------------------------------------------


def test_pass_back_400_is_the_real_body(emulator: MiMoEmulator) -> None:
    history = [
        *USER,
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ]
    response = post(emulator, messages=history)
    assert response.status_code == 400
    assert response.content == raw("020_400_reasoning_passback.error.json")
    framed = post(emulator, messages=history, stream=True)
    assert framed.status_code == 400
    assert framed.content == b"data:" + raw("020_400_reasoning_passback.error.json") + b"\n\n"


def test_bad_key_401_is_the_real_body(emulator: MiMoEmulator) -> None:
    response = httpx.post(
        f"{emulator.base_url}/chat/completions",
        json={"model": "mimo-v2.6-pro", "messages": USER},
        headers={"api-key": "sk-wrong"},
        timeout=10,
    )
    assert response.status_code == 401
    assert response.content == raw("022_401_invalid_key.error.json")


def test_plain_429_is_the_real_body_without_retry_after(emulator: MiMoEmulator) -> None:
    emulator.script(Reply.error(401))
    assert post(emulator).content == raw("022_401_invalid_key.error.json")
    emulator.script(Reply.error(429))
    response = post(emulator)
    assert response.status_code == 429
    assert response.content == raw("023_429_too_many_requests.error.json")
    assert "retry-after" not in response.headers


def test_retired_id_400_is_the_real_body(emulator: MiMoEmulator) -> None:
    response = post(emulator, model="MiMo-V2.5-Pro")
    assert response.status_code == 400
    assert response.content == raw("024_400_not_supported_model.error.json")


def test_list_content_tool_message_400_is_the_real_body(emulator: MiMoEmulator) -> None:
    history = [
        *USER,
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{}"},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": [{"type": "text", "text": "sunny"}]},
    ]
    response = post(emulator, messages=history, thinking=OFF)
    assert response.status_code == 400
    assert response.content == raw("026_400_text_is_not_set.error.json")


def test_gateway_402_without_wrapper_is_a_fault_option_the_core_reads(
    emulator: MiMoEmulator,
) -> None:
    emulator.script(Reply.error(402, wrapped=False))
    response = post(emulator)
    assert response.status_code == 402
    assert response.content == (
        b'{"type":"server_error","message":"Upstream request failed: Insufficient account funds"}'
    )
    emulator.script(Reply.error(402, wrapped=False))
    with (
        mimo_client.MiMoClient(
            api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0
        ) as c,
        pytest.raises(mimo_client.InsufficientBalanceError, match="Insufficient account funds"),
    ):
        c.create({"model": "mimo-v2.6-pro", "messages": USER})
