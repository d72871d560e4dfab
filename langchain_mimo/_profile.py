"""LangChain model profiles from the core's model table."""

from __future__ import annotations

from langchain_core.language_models import ModelProfile

from mimo_client import get_model_info

__all__ = ["model_profile"]


def model_profile(model: str) -> ModelProfile:
    """The capabilities of ``model`` as a LangChain ``ModelProfile``.

    Unknown ids get the core's conservative defaults. ``structured_output`` is False because
    MiMo has no native ``json_schema`` response format (ChatMiMo emulates it), and
    ``tool_choice`` is False because the service cannot force a tool call. ``status`` is
    ``"retired"`` for an id the service no longer serves (``"active"`` otherwise); speech
    models output audio and take no tools.
    """
    info = get_model_info(model)
    image = "image" in info.input_modalities
    chat = info.kind == "chat"
    return ModelProfile(
        status="retired" if info.retired else "active",
        max_input_tokens=info.context_window,
        max_output_tokens=info.max_output_tokens,
        text_inputs=True,
        image_inputs=image,
        image_url_inputs=image,
        audio_inputs="audio" in info.input_modalities,
        video_inputs="video" in info.input_modalities,
        pdf_inputs=False,
        image_tool_message=False,
        pdf_tool_message=False,
        text_outputs=info.kind != "speech",
        audio_outputs=info.kind == "speech",
        reasoning_output=chat,
        tool_calling=info.tool_calling,
        tool_choice=False,
        tool_call_streaming=info.tool_calling,
        structured_output=False,
        temperature=True,
    )
