from mimo_client import KNOWN_MODELS, get_model_info


def test_known_models_table():
    assert set(KNOWN_MODELS) >= {"mimo-v2.5-pro", "mimo-v2.5", "mimo-v2-omni", "mimo-v2-flash"}
    flash = get_model_info("mimo-v2-flash")
    assert not flash.thinking_default and flash.default_max_tokens == 65_536
    assert get_model_info("mimo-v2.5-pro").thinking_default
    assert get_model_info("mimo-v2.5").supports_images
    assert not get_model_info("mimo-v2.5-pro").supports_images


def test_unknown_model_gets_conservative_defaults():
    info = get_model_info("mimo-v9-experimental")
    assert not info.known and info.thinking_default
    assert info.context_window == min(m.context_window for m in KNOWN_MODELS.values())
    assert not get_model_info("mimo-v9-flash").thinking_default
