"""Typed core errors with clear messages; the key never shows."""

from __future__ import annotations

import pickle
import traceback

import pytest
from llama_index.core.base.llms.types import ChatMessage

from llama_index_mimo import MiMo
from mimo_client import (
    AuthenticationError,
    BadRequestError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
)
from mimo_client.testing import MiMoEmulator, Reply

ASK = [ChatMessage(role="user", content="Hello?")]
KEY = "sk-fake-secret-0042"


def _everything_printable(llm: MiMo) -> str:
    return "\n".join(
        [
            repr(llm),
            str(llm),
            repr(llm.model_dump()),
            llm.model_dump_json(),
            llm.to_json(),
            repr(llm.to_dict()),
            repr(llm.to_payload()),
            repr(llm.__dict__),
        ]
    )


def test_key_is_not_in_repr_str_or_dumps() -> None:
    llm = MiMo(api_key=KEY)
    assert KEY not in _everything_printable(llm)
    assert "api_key" not in llm.model_dump()
    assert llm.api_key is not None and llm.api_key.get_secret_value() == KEY


@pytest.mark.parametrize("header", ["api-key", "Authorization", "X-Api-Key"])
def test_a_key_in_default_headers_is_not_in_repr_str_or_dumps(header: str) -> None:
    headers = {header: f"Bearer {KEY}", "X-Trace": "on"}
    llm = MiMo(api_key="sk-other", default_headers=headers)
    printable = _everything_printable(llm).replace(repr(llm.__dict__), "")
    assert KEY not in printable
    assert f"'{header}': '**********'" in repr(llm)  # masked where shown
    assert llm.to_dict()["default_headers"] == {"X-Trace": "on"}  # left out of dumps
    assert llm.default_headers == headers  # ... and still what is sent
    assert llm._sync_client().config.headers[header] == f"Bearer {KEY}"


def test_key_is_not_in_errors(emulator: MiMoEmulator) -> None:
    llm = MiMo(api_key=KEY, base_url=emulator.base_url)  # not the emulator's key
    with pytest.raises(AuthenticationError) as info:
        llm.chat(ASK)
    error = info.value
    assert error.status == 401
    shown = "".join(traceback.format_exception(error)) + repr(error) + repr(error.__dict__)
    assert KEY not in shown


def test_key_from_the_environment(monkeypatch: pytest.MonkeyPatch, emulator: MiMoEmulator) -> None:
    monkeypatch.setenv("MIMO_API_KEY", emulator.api_key)
    monkeypatch.setenv("MIMO_BASE_URL", emulator.base_url)
    emulator.script(Reply.text("From the environment."))
    llm = MiMo()
    assert llm.chat(ASK).message.content == "From the environment."
    assert emulator.api_key not in _everything_printable(llm)


def test_missing_key_names_the_environment_variable() -> None:
    with pytest.raises(ValueError, match="MIMO_API_KEY"):
        MiMo().chat(ASK)


def test_bad_request_carries_the_service_reason(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.error(400, param="max_completion_tokens is out of range"))
    with pytest.raises(BadRequestError, match="max_completion_tokens is out of range") as info:
        llm.chat(ASK)
    assert info.value.param == "max_completion_tokens is out of range"


def test_sse_framed_error_on_a_stream_is_a_typed_error(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(
        Reply.error(
            400, param="The reasoning_content in the thinking mode must be passed back to the API."
        )
    )
    with pytest.raises(BadRequestError, match="reasoning_content") as info:
        list(llm.stream_chat(ASK))
    assert "ThinkingBlock" in str(info.value)  # the message says how to fix it in LlamaIndex


def test_rate_limit_is_typed_with_retry_after(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.error(429, retry_after=7))
    with pytest.raises(RateLimitError) as info:
        llm.chat(ASK)
    assert info.value.retry_after == 7


async def test_server_error_is_typed_async(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.error(500))
    with pytest.raises(ServerError):
        await llm.achat(ASK)


def test_retryable_failures_are_retried(emulator: MiMoEmulator) -> None:
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=2)
    emulator.script(Reply.error(503, retry_after=0), Reply.text("Second time lucky."))
    assert llm.chat(ASK).message.content == "Second time lucky."
    assert len(emulator.chat_requests) == 2


def test_cut_stream_raises_with_the_partial_turn(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(Reply.text("one two three four five six", chunks=6).with_faults(cut_after=4))
    received = []
    with pytest.raises(StreamInterruptedError) as info:
        for chunk in llm.stream_chat(ASK, thinking=False):
            received.append(chunk.delta)
    assert info.value.partial is not None
    assert info.value.partial.content == "".join(d or "" for d in received)


def test_a_used_llm_pickles_without_its_clients_and_works_after(
    llm: MiMo, emulator: MiMoEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    # LlamaIndex pickles components for multiprocessing ingestion; the copy keeps its
    # settings and key (as the live object does) and rebuilds its HTTP client on first use.
    emulator.script(Reply.text("first"), Reply.text("second"))
    llm.chat(ASK)
    copy = pickle.loads(pickle.dumps(llm))
    assert "unpickleable" not in caplog.text
    assert copy.chat(ASK).message.content == "second"
    assert copy.base_url == llm.base_url


def test_pickles_hold_the_key_in_plain_text_and_the_docstring_says_so() -> None:
    # A documented decision: a pickled MiMo works in another process without the key.
    llm = MiMo(api_key=KEY)
    assert KEY.encode() in pickle.dumps(llm)
    assert pickle.loads(pickle.dumps(llm)).api_key.get_secret_value() == KEY
    doc = " ".join((MiMo.__doc__ or "").split())
    assert "Pickles hold the API key in plain text" in doc
    # without api_key=, the key comes from the environment and is not in the pickle
    assert b"sk-" not in pickle.dumps(MiMo())
