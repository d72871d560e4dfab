"""The standard-test flags of ChatMiMo, shared by the unit, emulator and live suites."""

from __future__ import annotations


class MiMoFlags:
    """Flags set to what ChatMiMo and the service really do (one place for every suite)."""

    @property
    def has_tool_calling(self) -> bool:
        return True

    @property
    def has_tool_choice(self) -> bool:
        # MiMo cannot force a tool call (the profile says tool_choice=False): the suite then
        # skips test_tool_choice and binds tools without tool_choice="any"
        return False

    @property
    def has_structured_output(self) -> bool:
        return True

    @property
    def supports_json_mode(self) -> bool:
        return True

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_audio_inputs(self) -> bool:
        return True

    @property
    def supports_video_inputs(self) -> bool:
        return True

    @property
    def supports_pdf_inputs(self) -> bool:
        return False

    @property
    def supports_image_tool_message(self) -> bool:
        return False

    @property
    def supports_pdf_tool_message(self) -> bool:
        return False

    @property
    def supports_anthropic_inputs(self) -> bool:
        # Anthropic tools (input_schema), image "source" blocks, tool_use and thinking blocks
        # in assistant content are translated
        return True

    @property
    def returns_usage_metadata(self) -> bool:
        return True

    @property
    def supports_model_override(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "mimo-v2.6-pro-ultraspeed"
