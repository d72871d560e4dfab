"""Failures surface as LangChain's error types that are also the core's, and the
API key never shows in errors, repr or serialization."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from langchain_core.load import dumps

import mimo_client
from langchain_mimo import (
    ChatMiMo,
    MiMoAPIError,
    MiMoAuthenticationError,
    MiMoConnectionError,
    MiMoContentFilterError,
    MiMoContextOverflowError,
    MiMoInsufficientBalanceError,
    MiMoInvalidRequestError,
    MiMoNotFoundError,
    MiMoPermissionDeniedError,
    MiMoRateLimitError,
    MiMoStreamInterruptedError,
    MiMoTimeoutError,
)
from mimo_client.testing import MiMoEmulator, Reply

STATUS_CASES: list[tuple[int, type[Exception], type[Exception], type[Exception]]] = [
    (400, MiMoInvalidRequestError, ModelInvalidRequestError, mimo_client.BadRequestError),
    (401, MiMoAuthenticationError, ModelAuthenticationError, mimo_client.AuthenticationError),
    (402, MiMoInsufficientBalanceError, ModelError, mimo_client.InsufficientBalanceError),
    (403, MiMoPermissionDeniedError, ModelPermissionDeniedError, mimo_client.PermissionDeniedError),
    (404, MiMoNotFoundError, ModelNotFoundError, mimo_client.NotFoundError),
    (421, MiMoContentFilterError, ModelInvalidRequestError, mimo_client.ContentFilterError),
    (429, MiMoRateLimitError, ModelRateLimitError, mimo_client.RateLimitError),
    (500, MiMoAPIError, ModelAPIError, mimo_client.ServerError),
    (503, MiMoAPIError, ModelAPIError, mimo_client.ServerError),
]


def _call(model: ChatMiMo, how: str) -> Any:
    if how == "invoke":
        return model.invoke("Hi")
    return list(model.stream("Hi"))


async def _acall(model: ChatMiMo, how: str) -> Any:
    if how == "invoke":
        return await model.ainvoke("Hi")
    return [c async for c in model.astream("Hi")]


@pytest.mark.parametrize("how", ["invoke", "stream"])
@pytest.mark.parametrize(("status", "ours", "langchain", "core"), STATUS_CASES)
def test_status_maps_to_both_error_families(
    model: ChatMiMo,
    emulator: MiMoEmulator,
    how: str,
    status: int,
    ours: type[Exception],
    langchain: type[Exception],
    core: type[Exception],
):
    emulator.script(Reply.error(status, param="the reason" if status == 400 else None))
    with pytest.raises(ours) as caught:
        _call(model, how)
    error = caught.value
    assert isinstance(error, langchain)
    assert isinstance(error, core)
    assert isinstance(error, mimo_client.MiMoError)
    assert error.status == status  # type: ignore[attr-defined]
    assert isinstance(error.__cause__, core)  # raised from the core's error
    if status == 400:
        assert error.param == "the reason"  # type: ignore[attr-defined]
        assert "the reason" in str(error)


@pytest.mark.parametrize("how", ["invoke", "stream"])
async def test_async_calls_map_errors_too(model: ChatMiMo, emulator: MiMoEmulator, how: str):
    emulator.script(Reply.error(429, retry_after=7))
    with pytest.raises(ModelRateLimitError) as caught:
        await _acall(model, how)
    assert isinstance(caught.value, mimo_client.RateLimitError)
    assert caught.value.retry_after == 7  # type: ignore[attr-defined]
    assert caught.value.is_retryable


def test_rate_limit_is_retried_by_the_core(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=2)
    emulator.script(
        Reply.error(429, retry_after=0), Reply.error(503, retry_after=0), Reply.text("ok")
    )
    assert model.invoke("Hi").content == "ok"
    assert len(emulator.chat_requests) == 3


def test_context_overflow(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(
        Reply.error(400, message="This model's maximum context length is 262144 tokens")
    )
    with pytest.raises(ContextOverflowError) as caught:
        model.invoke("Hi")
    assert isinstance(caught.value, MiMoContextOverflowError)
    assert isinstance(caught.value, mimo_client.ContextWindowExceededError)


def test_reasoning_pass_back_400_explains_the_fix(emulator: MiMoEmulator):
    # The service's own 400 for a history without reasoning: the error names the fix.
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    emulator.script(
        Reply.error(
            400,
            param="The reasoning_content in the thinking mode must be passed back to the API.",
        )
    )
    with pytest.raises(ModelInvalidRequestError, match="fix: send every earlier assistant"):
        model.invoke("Hi")


def test_timeout(emulator: MiMoEmulator):
    model = ChatMiMo(
        api_key=emulator.api_key, base_url=emulator.base_url, timeout=0.2, max_retries=0
    )
    emulator.script(Reply.text("late").with_faults(delay=1.5))
    with pytest.raises(ModelTimeoutError) as caught:
        model.invoke("Hi")
    assert isinstance(caught.value, MiMoTimeoutError)
    assert isinstance(caught.value, mimo_client.APITimeoutError)


def test_connection_refused():
    with socket.socket() as probe:  # a loopback port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = ChatMiMo(api_key="sk-x", base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(ModelConnectionError) as caught:
        model.invoke("Hi")
    assert isinstance(caught.value, MiMoConnectionError)
    assert isinstance(caught.value, mimo_client.APIConnectionError)


@pytest.mark.parametrize("fault", [{"cut_after": 5}, {"eof_after": 5}])
def test_cut_stream_raises_with_the_partial_turn(
    model: ChatMiMo, emulator: MiMoEmulator, fault: dict[str, int]
):
    emulator.script(Reply.text("one two three four five six", reasoning="a b").with_faults(**fault))
    seen: list[Any] = []
    with pytest.raises(MiMoStreamInterruptedError) as caught:
        seen.extend(model.stream("Hi"))
    error = caught.value
    assert isinstance(error, ModelConnectionError)
    assert isinstance(error, mimo_client.StreamInterruptedError)
    assert error.partial is not None
    assert error.partial.reasoning_content == "a b"
    assert error.partial.content.startswith("one")
    assert "".join(c.text for c in seen) == error.partial.content


def test_missing_key_names_the_variable():
    model = ChatMiMo()  # no api_key, and MIMO_API_KEY is unset in tests
    with pytest.raises(ValueError, match="MIMO_API_KEY"):
        model.invoke("Hi")


def test_the_key_never_shows(emulator: MiMoEmulator):
    secret = "sk-very-secret-123456"
    model = ChatMiMo(api_key=secret, base_url=emulator.base_url, max_retries=0)
    assert secret not in repr(model)
    assert secret not in str(model)
    assert secret not in dumps(model)
    assert secret not in str(model.model_dump())
    with pytest.raises(ModelAuthenticationError) as caught:
        model.invoke("Hi")  # the emulator has another key: 401
    error = caught.value
    assert secret not in str(error)
    assert secret not in repr(error)
    assert secret not in repr(vars(error))
    assert secret not in repr(model._sync_client())


def test_a_key_in_default_headers_never_shows_in_repr(emulator: MiMoEmulator):
    secret = "sk-header-secret-654321"
    model = ChatMiMo(
        api_key=emulator.api_key, base_url=emulator.base_url, default_headers={"X-Key": secret}
    )
    for text in (repr(model), str(model)):
        assert secret not in text
        assert "X-Key" in text  # the names show, the values do not
    # the headers are still sent as given
    assert model.invoke("Hi").content == "Emulated MiMo answer to: Hi"
    headers = {k.lower(): v for k, v in emulator.last_request.headers.items()}
    assert headers["x-key"] == secret
