"""Configuration, call-time overrides, tracing params and the model profile."""

from __future__ import annotations

import json
from typing import Any

import pytest

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator, Reply


def test_only_set_parameters_are_sent(model: ChatMiMo, emulator: MiMoEmulator):
    model.invoke("Hi")
    body = emulator.last_request.body
    assert set(body) == {"model", "messages"}
    assert body["model"] == "mimo-v2.6-pro"


def test_instance_parameters_are_sent_in_wire_names(emulator: MiMoEmulator):
    emulator.strict_parameters = False  # "user" is undocumented: the service answers 400
    model = ChatMiMo(
        model="mimo-v2.6-flash",
        api_key=emulator.api_key,
        base_url=emulator.base_url,
        temperature=0.3,
        max_tokens=64,
        top_p=0.9,
        frequency_penalty=0.1,
        presence_penalty=-0.1,
        stop=["END"],
        thinking=True,
        reasoning_effort="low",
        model_kwargs={"user": "u-1"},
    )
    model.invoke("Hi")
    body = emulator.last_request.body
    assert body == {
        "model": "mimo-v2.6-flash",
        "max_completion_tokens": 64,
        "temperature": 0.3,
        "top_p": 0.9,
        "stop": ["END"],
        "frequency_penalty": 0.1,
        "presence_penalty": -0.1,
        "thinking": {"type": "enabled"},
        "reasoning_effort": "low",
        "messages": [{"role": "user", "content": "Hi"}],
        "user": "u-1",
    }


def test_call_time_arguments_override_for_that_call(model: ChatMiMo, emulator: MiMoEmulator):
    model.invoke(
        "Hi",
        max_tokens=10,
        thinking=False,
        stop=["x"],
        temperature=0.5,
        model="mimo-v2.6-pro-ultraspeed",
    )
    body = emulator.last_request.body
    assert body["max_completion_tokens"] == 10
    assert body["thinking"] == {"type": "disabled"}
    assert body["stop"] == ["x"]
    assert body["temperature"] == 0.5
    assert body["model"] == "mimo-v2.6-pro-ultraspeed"
    model.invoke("Hi")  # the next call is back to the instance settings
    assert set(emulator.last_request.body) == {"model", "messages"}


def test_call_time_alias_and_bind(model: ChatMiMo, emulator: MiMoEmulator):
    model.bind(max_completion_tokens=7, thinking=False).invoke("Hi")
    body = emulator.last_request.body
    assert body["max_completion_tokens"] == 7
    assert body["thinking"] == {"type": "disabled"}


def test_model_override_shows_in_response_metadata(model: ChatMiMo, emulator: MiMoEmulator):
    message = model.invoke("Hi", model="mimo-v2.6-pro-ultraspeed")
    assert message.response_metadata["model_name"] == "mimo-v2.6-pro-ultraspeed"


def test_empty_stop_list_sends_nothing(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, stop=[])
    model.invoke("Hi")
    assert "stop" not in emulator.last_request.body


def test_aliases():
    model = ChatMiMo(
        model_name="mimo-v2.6-flash",
        api_key="k",
        api_base="https://token-plan-ams.xiaomimimo.com/v1",
        max_completion_tokens=99,
    )
    assert model.model_name == "mimo-v2.6-flash"
    assert model.base_url == "https://token-plan-ams.xiaomimimo.com/v1"
    assert model.max_tokens == 99


def test_environment(monkeypatch: pytest.MonkeyPatch, emulator: MiMoEmulator):
    monkeypatch.setenv("MIMO_API_KEY", emulator.api_key)
    monkeypatch.setenv("MIMO_BASE_URL", emulator.base_url)
    model = ChatMiMo()
    assert model.api_key is not None
    assert model.api_key.get_secret_value() == emulator.api_key
    assert model.invoke("Hi").content == "Emulated MiMo answer to: Hi"
    auth = emulator.last_request.headers.get("authorization") or emulator.last_request.headers.get(
        "Authorization"
    )
    assert auth == f"Bearer {emulator.api_key}"


def test_default_headers_are_sent(emulator: MiMoEmulator):
    model = ChatMiMo(
        api_key=emulator.api_key, base_url=emulator.base_url, default_headers={"X-Trace": "t1"}
    )
    model.invoke("Hi")
    headers = {k.lower(): v for k, v in emulator.last_request.headers.items()}
    assert headers["x-trace"] == "t1"


def test_plain_http_to_a_remote_host_is_refused():
    model = ChatMiMo(api_key="sk-x", base_url="http://api.example.com/v1")
    with pytest.raises(ValueError, match="unencrypted"):
        model.invoke("Hi")


def test_injected_http_client_is_used(emulator: MiMoEmulator):
    import httpx

    seen: list[str] = []
    client = httpx.Client(event_hooks={"request": [lambda r: seen.append(str(r.url))]})
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, http_client=client)
    model.invoke("Hi")
    assert seen == [emulator.base_url + "/chat/completions"]
    client.close()


# --- tracing params and profile --------------------------------------------------------------


def test_ls_params():
    model = ChatMiMo(model="mimo-v2.6-pro", api_key="k", temperature=0.2, max_tokens=50, stop=["a"])
    assert model._get_ls_params() == {
        "ls_provider": "mimo",
        "ls_model_name": "mimo-v2.6-pro",
        "ls_model_type": "chat",
        "ls_temperature": 0.2,
        "ls_max_tokens": 50,
        "ls_stop": ["a"],
    }
    override = model._get_ls_params(model="mimo-v2.6-pro-ultraspeed", temperature=0.9, stop=["b"])
    assert override["ls_model_name"] == "mimo-v2.6-pro-ultraspeed"
    assert override["ls_temperature"] == 0.9
    assert override["ls_stop"] == ["b"]


def test_ls_params_reach_tracing_metadata(model: ChatMiMo, emulator: MiMoEmulator):
    from langchain_core.callbacks import BaseCallbackHandler

    seen: list[dict[str, Any]] = []

    class Recorder(BaseCallbackHandler):
        def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
            seen.append(kwargs.get("metadata") or {})

    model.invoke("Hi", model="mimo-v2.6-pro-ultraspeed", config={"callbacks": [Recorder()]})
    assert seen[0]["ls_provider"] == "mimo"
    assert seen[0]["ls_model_name"] == "mimo-v2.6-pro-ultraspeed"


@pytest.mark.parametrize(
    ("name", "max_input", "images", "known"),
    [
        ("mimo-v2.6-pro", 1_048_576, True, True),
        ("mimo-v2.6-flash", 1_048_576, True, True),
        ("mimo-v2.6-pro-ultraspeed", 1_048_576, True, True),
        ("mimo-v9-experimental", 262_144, False, False),
    ],
)
def test_profile_from_the_core_model_table(name: str, max_input: int, images: bool, known: bool):
    import mimo_client

    profile = ChatMiMo(model=name, api_key="k").profile
    assert profile is not None
    info = mimo_client.get_model_info(name)
    assert info.known is known
    assert profile["max_input_tokens"] == max_input == info.context_window
    assert profile["max_output_tokens"] == info.max_output_tokens
    assert profile["image_inputs"] is images
    assert profile["tool_calling"] is True
    assert profile["reasoning_output"] is True
    # no native json_schema (emulated), and no forced tool choice
    assert profile["structured_output"] is False
    assert profile["tool_choice"] is False


def test_explicit_profile_wins():
    model = ChatMiMo(api_key="k", profile={"max_input_tokens": 5})
    assert model.profile == {"max_input_tokens": 5}


# --- constructor arguments that are not fields ------------------------------------------------


def test_unknown_constructor_arguments_move_to_model_kwargs_with_a_warning(
    emulator: MiMoEmulator,
):
    emulator.strict_parameters = False  # seed is undocumented: the service answers 400
    with pytest.warns(UserWarning) as caught:
        model = ChatMiMo(
            api_key=emulator.api_key, base_url=emulator.base_url, seed=1, temprature=0.5
        )
    messages = " ".join(str(w.message) for w in caught)
    assert "'seed'" in messages
    assert "'temprature'" in messages  # the typo is reported, not silently dropped
    assert model.model_kwargs == {"seed": 1, "temprature": 0.5}
    assert model.temperature is None
    model.invoke("Hi")
    body = emulator.last_request.body
    assert body["seed"] == 1
    assert body["temprature"] == 0.5


def test_unknown_arguments_join_the_given_model_kwargs():
    with pytest.warns(UserWarning, match="'seed'"):
        model = ChatMiMo(api_key="k", seed=1, model_kwargs={"user": "u-1"})
    assert model.model_kwargs == {"user": "u-1", "seed": 1}


@pytest.mark.parametrize(
    "model_kwargs", [{"temperature": 0.5}, {"max_completion_tokens": 5}, {"model": "mimo-v2.6-pro"}]
)
def test_fields_in_model_kwargs_raise(model_kwargs: dict[str, Any]):
    with pytest.raises(ValueError, match="should be given as ChatMiMo arguments"):
        ChatMiMo(api_key="k", model_kwargs=model_kwargs)


def test_a_name_given_twice_raises():
    with pytest.raises(ValueError, match="seed is given twice"):
        ChatMiMo(api_key="k", seed=1, model_kwargs={"seed": 2})


def test_known_arguments_do_not_warn(recwarn: pytest.WarningsRecorder):
    ChatMiMo(
        model_name="mimo-v2.6-flash",
        api_key="k",
        api_base="https://token-plan-ams.xiaomimimo.com/v1",
        max_completion_tokens=9,
        request_timeout=5,
        stop_sequences=["x"],
        model_kwargs={"user": "u-1"},
    )
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]


# --- call-time aliases, the same for the request and for tracing --------------------------------


def test_ls_params_honour_call_time_aliases(model: ChatMiMo, emulator: MiMoEmulator):
    params = model._get_ls_params(model_name="mimo-v2.6-pro-ultraspeed", max_completion_tokens=7)
    assert params["ls_model_name"] == "mimo-v2.6-pro-ultraspeed"
    assert params["ls_max_tokens"] == 7
    model.invoke("Hi", model_name="mimo-v2.6-pro-ultraspeed", max_completion_tokens=7)
    body = emulator.last_request.body
    assert body["model"] == "mimo-v2.6-pro-ultraspeed"
    assert body["max_completion_tokens"] == 7


@pytest.mark.parametrize("mode", ["stream", "astream"])
def test_streamed_model_name_follows_a_call_time_override(
    model: ChatMiMo, emulator: MiMoEmulator, mode: str
):
    import asyncio

    # chunks that do not name their model (the service's do; the builder must not fall back
    # to the instance's model name then)
    events = [
        {"id": "c1", "choices": [{"index": 0, "delta": {"content": "Hello"}}]},
        {"id": "c1", "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
    ]
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    emulator.script(Reply.raw(body.encode(), content_type="text/event-stream"))
    if mode == "stream":
        chunks = list(model.stream("Hi", model="mimo-v2.6-pro-ultraspeed"))
    else:

        async def collect() -> list[Any]:
            return [c async for c in model.astream("Hi", model_name="mimo-v2.6-pro-ultraspeed")]

        chunks = asyncio.run(collect())
    assert emulator.last_request.body["model"] == "mimo-v2.6-pro-ultraspeed"
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk
    assert full.response_metadata["model_name"] == "mimo-v2.6-pro-ultraspeed"
