import datetime
import warnings

import pytest

import mimo_client
from mimo_client import KNOWN_MODELS, RetiredModelWarning, get_model_info, models

SERVED = {
    "mimo-v2.6-pro",
    "mimo-v2.6-flash",
    "mimo-v2.6-pro-ultraspeed",
    "mimo-v2.5-tts",
    "mimo-v2.5-tts-voicedesign",
    "mimo-v2.5-tts-voiceclone",
    "mimo-v2.5-asr",
}
RETIRED = {
    "mimo-v2-pro": ("2026-06-30", "mimo-v2.6-pro"),
    "mimo-v2-omni": ("2026-06-30", "mimo-v2.6-flash"),
    "mimo-v2-flash": ("2026-06-30", "mimo-v2.6-flash"),
    "mimo-v2-tts": ("2026-06-30", "mimo-v2.5-tts"),
    "mimo-v2.5-pro": ("2026-10-21", "mimo-v2.6-pro"),
    "mimo-v2.5": ("2026-10-21", "mimo-v2.6-flash"),
}


def test_default_model_is_the_served_flagship():
    assert mimo_client.DEFAULT_MODEL == "mimo-v2.6-pro"
    assert not get_model_info(mimo_client.DEFAULT_MODEL).retired


def test_table_holds_the_served_and_the_retired_ids():
    assert {n for n, i in KNOWN_MODELS.items() if not i.retired} == SERVED
    for name, (date, replacement) in RETIRED.items():
        info = get_model_info(name)
        assert info.retired_on == datetime.date.fromisoformat(date)
        assert info.replacement == replacement
        assert not get_model_info(replacement).retired, "a replacement must be served"


def test_every_v26_model_thinks_by_default_flash_included():
    for name in ("mimo-v2.6-pro", "mimo-v2.6-flash", "mimo-v2.6-pro-ultraspeed"):
        info = get_model_info(name)
        assert info.thinking_default and info.supports_images
        assert info.context_window == 1_048_576 and info.max_output_tokens == 131_072
    assert not get_model_info("mimo-v2.5-tts").thinking_default
    assert not get_model_info("mimo-v2.5-tts").tool_calling
    assert get_model_info("mimo-v2.5-asr").kind == "recognition"


def test_unknown_model_gets_conservative_defaults_and_thinks():
    info = get_model_info("mimo-v9-experimental")
    assert not info.known and info.thinking_default and not info.retired
    chat = [m.context_window for m in KNOWN_MODELS.values() if m.kind == "chat"]
    assert info.context_window == min(chat)
    assert get_model_info("mimo-v9-flash").thinking_default  # no "flash" exception any more


def test_retired_note_names_date_and_replacement_in_any_case():
    assert models.retired_model_note("mimo-v2.6-pro") is None
    assert models.retired_model_note("some-model") is None
    note = models.retired_model_note("MiMo-V2.5-Pro")
    assert note == "model 'MiMo-V2.5-Pro' was retired on 2026-10-21; use 'mimo-v2.6-pro' instead"


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(models, "_warned", set())


def test_a_retired_id_warns_once_per_id_per_process(fresh_registry: None):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for _ in range(3):
            models.warn_if_retired("mimo-v2.5")
            models.warn_if_retired("mimo-v2.6-pro")
        models.warn_if_retired("mimo-v2-flash")
    messages = [str(w.message) for w in seen]
    assert all(issubclass(w.category, RetiredModelWarning) for w in seen)
    assert len(messages) == 2
    assert "'mimo-v2.5'" in messages[0] and "use 'mimo-v2.6-flash'" in messages[0]
    assert "'mimo-v2-flash'" in messages[1]


def test_encoding_a_request_with_a_retired_id_warns_and_still_sends_it(fresh_registry: None):
    from mimo_client.request import encode_request

    with pytest.warns(RetiredModelWarning, match="mimo-v2.6-pro"):
        body = encode_request({"model": "mimo-v2.5-pro", "messages": []}, stream=False)
    assert b'"model":"mimo-v2.5-pro"' in body


def test_models_returns_frozen_typed_entries_sync_and_async():
    import asyncio
    import dataclasses

    from mimo_client import AsyncMiMoClient, MiMoClient, ServedModel
    from mimo_client.testing import DEFAULT_MODELS, MiMoEmulator

    with MiMoEmulator() as emu:
        with MiMoClient(api_key=emu.api_key, base_url=emu.base_url, max_retries=0) as client:
            listed = client.models()

        async def alist() -> list[ServedModel]:
            async with AsyncMiMoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
                return await client.models()

        assert asyncio.run(alist()) == listed
        assert [r.path for r in emu.requests] == ["/v1/models", "/v1/models"]
    assert [m.id for m in listed] == list(DEFAULT_MODELS)
    assert "mimo-v2.5-pro" not in DEFAULT_MODELS  # retired ids are not listed
    assert all(m.object == "model" and m.owned_by == "xiaomi" for m in listed)
    assert listed[0].info is get_model_info(listed[0].id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        listed[0].id = "other"  # type: ignore[misc]
    with pytest.raises(ValueError, match="without a string id"):
        ServedModel.from_json({"object": "model"})


def test_models_raises_the_typed_error_on_a_bad_key():
    from mimo_client import AuthenticationError, MiMoClient
    from mimo_client.testing import MiMoEmulator

    with (
        MiMoEmulator() as emu,
        MiMoClient(api_key="sk-wrong", base_url=emu.base_url, max_retries=0) as client,
        pytest.raises(AuthenticationError, match="Invalid API Key"),
    ):
        client.models()


def test_a_refused_model_error_names_the_id_and_what_to_use():
    from mimo_client import BadRequestError, NotFoundError, error_for_status

    migrate = {"error": {"code": "404", "message": "model mimo-v2.5 no longer exists, migrate"}}
    error = error_for_status(404, migrate)
    assert isinstance(error, NotFoundError)
    assert "'mimo-v2.5' was retired on 2026-10-21; use 'mimo-v2.6-flash' instead" in str(error)
    unknown = error_for_status(404, {"error": {"message": "The model mimo-v9-x does not exist"}})
    assert "'mimo-v9-x' is not served" in str(unknown) and "mimo-v2.6-pro" in str(unknown)
    assert "served" not in str(error_for_status(404, {"error": {"message": "Not Found"}}))
    body = {
        "error": {"code": "400", "message": "Param Incorrect", "param": "Not supported model x1"}
    }
    refused = error_for_status(400, body)
    assert isinstance(refused, BadRequestError) and refused.param == "Not supported model x1"
    assert "'x1' is not served" in str(refused)


def test_adapters_follow_the_table():
    from langchain_mimo import ChatMiMo
    from llama_index_mimo import MiMo

    assert ChatMiMo(api_key="k").model_name == "mimo-v2.6-pro"
    assert MiMo(api_key="k").model == "mimo-v2.6-pro"
    retired = ChatMiMo(model="mimo-v2.5-pro", api_key="k").profile
    assert retired is not None and retired["status"] == "retired"
    served = ChatMiMo(api_key="k").profile
    assert served is not None and served["status"] == "active" and served["image_inputs"]
    speech = ChatMiMo(model="mimo-v2.5-tts", api_key="k").profile
    assert speech is not None and speech["audio_outputs"] and not speech["tool_calling"]
    assert MiMo(model="mimo-v2.6-flash", api_key="k").metadata.context_window == 1_048_576


def test_a_retired_id_through_both_adapters_warns_and_fails_naming_the_replacement(
    fresh_registry: None,
):
    from llama_index.core.base.llms.types import ChatMessage

    from langchain_mimo import ChatMiMo
    from llama_index_mimo import MiMo
    from mimo_client.testing import MiMoEmulator

    with MiMoEmulator() as emu:
        chat = ChatMiMo(model="mimo-v2.5", api_key=emu.api_key, base_url=emu.base_url)
        with (
            pytest.warns(RetiredModelWarning, match=r"use 'mimo-v2\.6-flash'"),
            pytest.raises(mimo_client.BadRequestError, match=r"use 'mimo-v2\.6-flash' instead"),
        ):
            chat.invoke("hi")
        llm = MiMo(model="mimo-v2.5", api_key=emu.api_key, base_url=emu.base_url)
        with warnings.catch_warnings(record=True) as again:
            warnings.simplefilter("always")
            with pytest.raises(mimo_client.BadRequestError, match="retired on 2026-10-21"):
                llm.chat([ChatMessage(role="user", content="hi")])
        assert not [w for w in again if w.category is RetiredModelWarning]  # once per id
        assert [r.body["model"] for r in emu.chat_requests] == ["mimo-v2.5", "mimo-v2.5"]
