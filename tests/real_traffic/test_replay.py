"""Every file of the real-traffic corpus, served byte for byte from 127.0.0.1, read through the
core and both adapters: what each one returns must be what the file's bytes say."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage

import mimo_client
from langchain_mimo import ChatMiMo
from llama_index_mimo import MiMo
from mimo_client import AssistantTurn, MiMoClient
from mimo_client.testing import MiMoEmulator, Reply

from .conftest import COMPLETIONS, ERRORS, STREAMS, Expected, expected, raw, status_of

REQUEST = {"model": "mimo-v2.6-pro", "messages": [{"role": "user", "content": "hi"}]}
JSON = "application/json"
SSE = "text/event-stream"

# What each error file must become: the core's class and words its message must carry.
ERROR_EXPECTATIONS: dict[str, tuple[type[mimo_client.MiMoError], tuple[str, ...]]] = {
    "020_400_reasoning_passback.error.json": (
        mimo_client.BadRequestError,
        ("reasoning_content in the thinking mode must be passed back", "fix:"),
    ),
    "022_401_invalid_key.error.json": (
        mimo_client.AuthenticationError,
        ("Invalid API Key", "Please provide valid API Key"),
    ),
    "023_429_too_many_requests.error.json": (mimo_client.RateLimitError, ("Too many requests",)),
    "024_400_not_supported_model.error.json": (
        mimo_client.BadRequestError,
        ("'MiMo-V2.5-Pro'", "retired on 2026-10-21", "use 'mimo-v2.6-pro' instead"),
    ),
    "026_400_text_is_not_set.error.json": (
        mimo_client.BadRequestError,
        ("`text` is not set", "tool message content must be a string"),
    ),
}


def serve(emulator: MiMoEmulator, name: str, *, framed: bool = False) -> None:
    """Script the file's bytes as the next answer (an error file SSE-framed if ``framed``)."""
    if name in ERRORS:
        body = b"data:" + raw(name) + b"\n\n" if framed else raw(name)
        emulator.script(
            Reply.raw(body, status=status_of(name), content_type=SSE if framed else JSON)
        )
    else:
        emulator.script(Reply.raw(raw(name), content_type=SSE if name.endswith(".sse") else JSON))


def core(emulator: MiMoEmulator) -> MiMoClient:
    return MiMoClient(
        api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0, timeout=10
    )


def check_turn(turn: AssistantTurn, want: Expected) -> None:
    assert turn.content == want.content
    assert turn.reasoning_content == want.reasoning
    assert [(c.id, c.name, c.arguments) for c in turn.tool_calls] == [
        (c["id"], c["name"], c["arguments"]) for c in want.calls
    ]
    assert turn.finish_reason == want.finish_reason
    assert want.usage is not None and turn.usage is not None
    assert turn.usage.input_tokens == want.usage["prompt_tokens"]
    assert turn.usage.output_tokens == want.usage["completion_tokens"]
    details = want.usage.get("completion_tokens_details") or {}
    assert turn.usage.reasoning_tokens == details.get("reasoning_tokens")
    cached = (want.usage.get("prompt_tokens_details") or {}).get("cached_tokens")
    assert turn.usage.cached_tokens in ((cached,) if cached else (None, 0))


def check_message(message: AIMessage, want: Expected) -> None:
    assert message.text == want.content
    assert message.additional_kwargs.get("reasoning_content") == want.reasoning
    assert [(c["id"], c["name"], c["args"]) for c in message.tool_calls] == [
        (c["id"], c["name"], json.loads(c["arguments"])) for c in want.calls
    ]
    assert message.response_metadata.get("finish_reason") == want.finish_reason
    assert want.usage is not None and message.usage_metadata is not None
    assert message.usage_metadata["input_tokens"] == want.usage["prompt_tokens"]
    assert message.usage_metadata["output_tokens"] == want.usage["completion_tokens"]


def check_llama(response: Any, want: Expected, llm: MiMo) -> None:
    from llama_index.core.base.llms.types import ThinkingBlock

    assert (response.message.content or "") == want.content
    thinking = [b.content for b in response.message.blocks if isinstance(b, ThinkingBlock)]
    assert ("".join(thinking) or None) == want.reasoning
    calls = llm.get_tool_calls_from_response(response, error_on_no_tool_call=False)
    assert [(c.tool_id, c.tool_name, c.tool_kwargs) for c in calls] == [
        (c["id"], c["name"], json.loads(c["arguments"])) for c in want.calls
    ]
    assert response.raw["usage"] == want.usage


# --- completions and streams --------------------------------------------------------------------


@pytest.mark.parametrize("name", COMPLETIONS)
def test_core_reads_every_real_completion(emulator: MiMoEmulator, name: str) -> None:
    serve(emulator, name)
    with core(emulator) as client:
        body = client.create(REQUEST)
    assert body == json.loads(raw(name))
    check_turn(AssistantTurn.from_completion(body), expected(name))


@pytest.mark.parametrize("name", STREAMS)
def test_core_reads_every_real_stream(emulator: MiMoEmulator, name: str) -> None:
    serve(emulator, name)
    with core(emulator) as client:
        stream = client.stream(REQUEST)
        chunks = list(stream)
    assert stream.finished
    assert len(chunks) == raw(name).decode().count("data: {")
    check_turn(stream.turn, expected(name))


def _chat_mimo(emulator: MiMoEmulator) -> ChatMiMo:
    return ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)


def _llama(emulator: MiMoEmulator) -> MiMo:
    return MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)


@pytest.mark.parametrize("name", COMPLETIONS + STREAMS)
def test_langchain_reads_every_real_reply(emulator: MiMoEmulator, name: str) -> None:
    serve(emulator, name)
    model = _chat_mimo(emulator)
    if name.endswith(".sse"):
        message: Any = None
        for chunk in model.stream("hi"):
            message = chunk if message is None else message + chunk
    else:
        message = model.invoke("hi")
    check_message(message, expected(name))


@pytest.mark.parametrize("name", COMPLETIONS + STREAMS)
def test_llama_index_reads_every_real_reply(emulator: MiMoEmulator, name: str) -> None:
    from llama_index.core.base.llms.types import ChatMessage

    serve(emulator, name)
    llm = _llama(emulator)
    ask = [ChatMessage(role="user", content="hi")]
    response = list(llm.stream_chat(ask))[-1] if name.endswith(".sse") else llm.chat(ask)
    check_llama(response, expected(name), llm)


# --- error bodies --------------------------------------------------------------------------------


def _check_error(error: BaseException, name: str) -> None:
    cls, words = ERROR_EXPECTATIONS[name]
    assert isinstance(error, cls), type(error)
    assert error.status == status_of(name)
    body = json.loads(raw(name))
    assert error.param == body["error"].get("param")
    for word in words:
        assert word in str(error), (word, str(error))


def test_every_error_file_has_an_expectation() -> None:
    assert sorted(ERROR_EXPECTATIONS) == ERRORS


@pytest.mark.parametrize("framed", [False, True], ids=["json", "sse-framed"])
@pytest.mark.parametrize("name", ERRORS)
def test_core_raises_the_typed_error_for_every_real_error(
    emulator: MiMoEmulator, name: str, framed: bool
) -> None:
    serve(emulator, name, framed=framed)
    with core(emulator) as client, pytest.raises(mimo_client.MiMoError) as caught:
        if framed:
            list(client.stream(REQUEST))
        else:
            client.create(REQUEST)
    _check_error(caught.value, name)


@pytest.mark.parametrize("stream", [False, True], ids=["invoke", "stream"])
@pytest.mark.parametrize("name", ERRORS)
def test_langchain_errors_keep_the_core_message(
    emulator: MiMoEmulator, name: str, stream: bool
) -> None:
    serve(emulator, name, framed=stream)
    model = _chat_mimo(emulator)
    with pytest.raises(mimo_client.MiMoError) as caught:
        if stream:
            list(model.stream("hi"))
        else:
            model.invoke("hi")
    _check_error(caught.value, name)
    assert type(caught.value).__module__.startswith("langchain_mimo")  # LangChain's error types


@pytest.mark.parametrize("stream", [False, True], ids=["chat", "stream_chat"])
@pytest.mark.parametrize("name", ERRORS)
def test_llama_index_errors_keep_the_core_message(
    emulator: MiMoEmulator, name: str, stream: bool
) -> None:
    from llama_index.core.base.llms.types import ChatMessage

    serve(emulator, name, framed=stream)
    llm = _llama(emulator)
    ask = [ChatMessage(role="user", content="hi")]
    with pytest.raises(mimo_client.MiMoError) as caught:
        if stream:
            list(llm.stream_chat(ask))
        else:
            llm.chat(ask)
    _check_error(caught.value, name)
