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
    from mimo_client._responses import encode_request

    with pytest.warns(RetiredModelWarning, match="mimo-v2.6-pro"):
        body = encode_request({"model": "mimo-v2.5-pro", "messages": []}, stream=False)
    assert b'"model":"mimo-v2.5-pro"' in body
