"""Known MiMo models: context window, output limits, input modalities, thinking default."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KNOWN_MODELS", "ModelInfo", "get_model_info"]

_TEXT = frozenset({"text"})
_OMNI = frozenset({"text", "image", "audio", "video"})


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What the integration knows about one model id.

    ``known`` is False for ids that are not in the table; their numbers are conservative
    defaults, and any id is still sent to the service as given.
    """

    name: str
    context_window: int
    max_output_tokens: int
    default_max_tokens: int
    input_modalities: frozenset[str]
    thinking_default: bool
    known: bool = True

    @property
    def supports_images(self) -> bool:
        """Whether the model accepts image input."""
        return "image" in self.input_modalities


# Numbers from MIMO_API.md: catalogs disagree on some of them, so they are documented as
# reported, and the service stays the judge (it answers 400 when a request does not fit).
KNOWN_MODELS: dict[str, ModelInfo] = {
    info.name: info
    for info in (
        ModelInfo("mimo-v2.5-pro", 1_048_576, 131_072, 131_072, _TEXT, True),
        ModelInfo("mimo-v2.5", 1_048_576, 131_072, 32_768, _OMNI, True),
        ModelInfo("mimo-v2-pro", 1_048_576, 131_072, 131_072, _TEXT, True),
        ModelInfo("mimo-v2-omni", 262_144, 131_072, 32_768, _OMNI, True),
        ModelInfo("mimo-v2-flash", 262_144, 131_072, 65_536, _TEXT, False),
        ModelInfo("mimo-v2.6-pro", 1_048_576, 131_072, 131_072, _OMNI, True),
        ModelInfo("mimo-v2.6-flash", 1_048_576, 131_072, 65_536, _OMNI, False),
    )
}


def get_model_info(model: str) -> ModelInfo:
    """Return the table entry for ``model``, or conservative defaults for an unknown id.

    Unknown ids are assumed to think by default unless the id contains ``flash`` (the
    documented pattern), to take text only, and to have the smallest known context window.
    """
    info = KNOWN_MODELS.get(model)
    if info is not None:
        return info
    lowered = model.lower()
    return ModelInfo(
        name=model,
        context_window=262_144,
        max_output_tokens=131_072,
        default_max_tokens=32_768,
        input_modalities=_TEXT,
        thinking_default="flash" not in lowered,
        known=False,
    )
