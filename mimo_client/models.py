"""Known MiMo models: served and retired ids, context window, output limits, thinking default.

Xiaomi retires model generations on a schedule (docs/MIMO_API.md, "Models"): an old id is routed to
the new generation for about a week, then answered with 400 "Not supported model <id>". The
table keeps retired ids with their retirement date and replacement, so a request with one warns
once (:class:`RetiredModelWarning`) and the service's refusal names what to use instead.
"""

from __future__ import annotations

import datetime as _dt
import threading
import warnings
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "ModelInfo",
    "RetiredModelWarning",
    "ServedModel",
    "get_model_info",
    "retired_model_note",
    "warn_if_retired",
]

DEFAULT_MODEL = "mimo-v2.6-pro"
"""The model both adapters use when none is given: today's flagship."""

ModelKind = Literal["chat", "speech", "recognition"]

_TEXT = frozenset({"text"})
_OMNI = frozenset({"text", "image", "audio", "video"})
_AUDIO = frozenset({"text", "audio"})

_V2_RETIRED = _dt.date(2026, 6, 30)
_V25_RETIRED = _dt.date(2026, 10, 21)


class RetiredModelWarning(UserWarning):
    """A request names a model id the service no longer serves; the message names its successor."""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What the integration knows about one model id.

    ``known`` is False for ids that are not in the table; their numbers are conservative
    defaults, and any id is still sent to the service as given. ``retired_on`` is the date the
    service stopped answering the id (None while it is served) and ``replacement`` the id to use
    instead. ``kind`` is ``"chat"``, ``"speech"`` (TTS) or ``"recognition"`` (ASR).
    """

    name: str
    context_window: int
    max_output_tokens: int
    default_max_tokens: int
    input_modalities: frozenset[str]
    thinking_default: bool
    known: bool = True
    retired_on: _dt.date | None = None
    replacement: str | None = None
    kind: ModelKind = "chat"

    @property
    def supports_images(self) -> bool:
        """Whether the model accepts image input."""
        return "image" in self.input_modalities

    @property
    def retired(self) -> bool:
        """Whether the service no longer serves this id."""
        return self.retired_on is not None

    @property
    def tool_calling(self) -> bool:
        """Whether the model takes ``tools`` (speech and recognition models do not)."""
        return self.kind == "chat"


@dataclass(frozen=True, slots=True)
class ServedModel:
    """One entry of ``GET /models``: the id, its ``object`` type and owner, as listed.

    ``info`` is the model table's entry for the id (conservative defaults when it is unknown).
    """

    id: str
    object: str = "model"
    owned_by: str | None = None
    created: int | None = None

    @property
    def info(self) -> ModelInfo:
        """The model table's entry for this id."""
        return get_model_info(self.id)

    @classmethod
    def from_json(cls, entry: Any) -> ServedModel:
        """Build one from an entry of the ``data`` list; raises ValueError if it has no id."""
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise ValueError(f"a /models entry without a string id: {entry!r}")
        created = entry.get("created")
        owner = entry.get("owned_by")
        return cls(
            id=entry["id"],
            object=str(entry.get("object") or "model"),
            owned_by=owner if isinstance(owner, str) else None,
            created=created if isinstance(created, int) and not isinstance(created, bool) else None,
        )


def _served(name: str, default_max: int = 131_072) -> ModelInfo:
    # docs/MIMO_API.md: every v2.6 model has a 1M context, 131,072 max output, omni input, and
    # thinks by default (flash included).
    return ModelInfo(name, 1_048_576, 131_072, default_max, _OMNI, True)


def _speech(name: str) -> ModelInfo:
    # TTS: max_completion_tokens 1..8192 and no thinking (the service rejects the parameter).
    # The context window is not documented: 8192 is a guess kept small on purpose.
    return ModelInfo(name, 8_192, 8_192, 8_192, _TEXT, False, kind="speech")


def _retired(
    name: str, window: int, default_max: int, modalities: frozenset[str], thinking: bool
) -> ModelInfo:
    on, replacement = _RETIREMENTS[name]
    return ModelInfo(
        name,
        window,
        131_072,
        default_max,
        modalities,
        thinking,
        retired_on=on,
        replacement=replacement,
    )


# Retired ids -> (retired on, what to use instead). The v2 generation moved to v2.5, which was
# itself retired on 2026-10-21, so its replacement points at v2.6 directly.
_RETIREMENTS: dict[str, tuple[_dt.date, str]] = {
    "mimo-v2-pro": (_V2_RETIRED, "mimo-v2.6-pro"),
    "mimo-v2-omni": (_V2_RETIRED, "mimo-v2.6-flash"),
    "mimo-v2-flash": (_V2_RETIRED, "mimo-v2.6-flash"),
    "mimo-v2-tts": (_V2_RETIRED, "mimo-v2.5-tts"),
    "mimo-v2.5-pro": (_V25_RETIRED, "mimo-v2.6-pro"),
    "mimo-v2.5": (_V25_RETIRED, "mimo-v2.6-flash"),
}

# Numbers from docs/MIMO_API.md: catalogs disagree on some of them, so they are documented as
# reported, and the service stays the judge (it answers 400 when a request does not fit).
KNOWN_MODELS: dict[str, ModelInfo] = {
    info.name: info
    for info in (
        # served
        _served("mimo-v2.6-pro"),
        _served("mimo-v2.6-flash", 65_536),
        _served("mimo-v2.6-pro-ultraspeed"),
        _speech("mimo-v2.5-tts"),
        _speech("mimo-v2.5-tts-voicedesign"),
        _speech("mimo-v2.5-tts-voiceclone"),
        ModelInfo("mimo-v2.5-asr", 1_048_576, 131_072, 32_768, _AUDIO, False, kind="recognition"),
        # retired
        _retired("mimo-v2.5-pro", 1_048_576, 131_072, _TEXT, True),
        _retired("mimo-v2.5", 1_048_576, 32_768, _OMNI, True),
        _retired("mimo-v2-pro", 1_048_576, 131_072, _TEXT, True),
        _retired("mimo-v2-omni", 262_144, 32_768, _OMNI, True),
        _retired("mimo-v2-flash", 262_144, 65_536, _TEXT, False),
        ModelInfo(
            "mimo-v2-tts",
            8_192,
            8_192,
            8_192,
            _TEXT,
            False,
            retired_on=_V2_RETIRED,
            replacement="mimo-v2.5-tts",
            kind="speech",
        ),
    )
}

# The service echoes ids in the case they were sent ("Not supported model MiMo-V2.5-Pro"), so
# retirement is looked up without case.
_BY_LOWER = {name.lower(): info for name, info in KNOWN_MODELS.items()}


def get_model_info(model: str) -> ModelInfo:
    """Return the table entry for ``model``, or conservative defaults for an unknown id.

    Unknown ids are assumed to think by default (every served chat model does since v2.6), to
    take text only, and to have the smallest chat context window in the table.
    """
    info = KNOWN_MODELS.get(model)
    if info is not None:
        return info
    return ModelInfo(
        name=model,
        context_window=262_144,
        max_output_tokens=131_072,
        default_max_tokens=32_768,
        input_modalities=_TEXT,
        thinking_default=True,
        known=False,
    )


def retired_model_note(model: str) -> str | None:
    """``"'<id>' was retired on <date>; use '<replacement>' instead"``, or None if it is not."""
    info = _BY_LOWER.get(model.strip().lower())
    if info is None or info.retired_on is None:
        return None
    return (
        f"model {model!r} was retired on {info.retired_on.isoformat()}; "
        f"use {info.replacement!r} instead"
    )


_warned: set[str] = set()
_warned_lock = threading.Lock()


def warn_if_retired(model: Any) -> None:
    """Warn once per id per process (:class:`RetiredModelWarning`) when ``model`` is retired.

    The request is still sent as given: the service is the judge, and answers a retired id with
    400 "Not supported model", which the raised error explains the same way.
    """
    if not isinstance(model, str) or model in _warned:
        return
    note = retired_model_note(model)
    with _warned_lock:
        if model in _warned:
            return
        _warned.add(model)
    if note is not None:
        warnings.warn(
            f"{note} (the service answers it with 400 'Not supported model')",
            RetiredModelWarning,
            stacklevel=3,
        )
