"""The test harness's side of the tutorial notebooks: replay or record them from outside.

The notebooks themselves know nothing of this module: each one starts the embedded emulator
when ``MIMO_API_KEY`` is unset, as a user's run does. The recorder
(``python -m cassettes.record``) and the notebook tests run one cell of their own in the
kernel before the notebook's cells, ``start(name, mode)``, and one after, ``finish()``;
``notebooks/execute.py`` drops both cells from the result, so they are never saved.

- ``replay``: the kernel's HTTP traffic is answered from ``cassettes/notebooks/<name>.yaml``
  (vcrpy, record mode "none": a request the cassette lacks raises, nothing leaves the kernel);
  ``finish()`` fails unless every recorded response was used.
- ``record``: the traffic is recorded into that cassette. Without a key, the notebook's
  ``MiMoEmulator()`` becomes a :class:`ScriptedEmulator` answering with the hand-written
  replies of ``cassettes/emulator_scripts.py``, each chosen by the request's content;
  ``finish()`` fails if a scripted reply was never asked for.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import mimo_client.testing
from cassettes.config import CASSETTE_DIR, make_vcr
from cassettes.emulator_scripts import SCRIPTS, Scripted
from mimo_client.testing import MiMoEmulator, Reply

_state: dict[str, Any] = {}


def last_message_text(body: Any) -> str:
    """The text of a chat request's last message (text parts joined; "" if none)."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not messages:
        return ""
    content = messages[-1].get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


class ScriptedEmulator(MiMoEmulator):
    """A :class:`MiMoEmulator` whose unscripted replies come from a list matched by content.

    Each entry of ``by_content`` (set on a subclass) answers the first request whose last
    message contains its ``match`` text; entries are used once each, in list order among those
    that match, and a request no entry matches gets the emulator's automatic reply. ``unused``
    lists the entries never asked for. ``script()`` (the FIFO queue) still comes first.
    """

    by_content: Sequence[Scripted] = ()

    def __init__(self, **kwargs: Any) -> None:
        self._entries = list(self.by_content)
        self._used = [False] * len(self._entries)
        super().__init__(default_reply=self._reply_for, **kwargs)

    def _reply_for(self, body: Any) -> Reply | None:
        """The first unused entry whose ``match`` the last message contains (None: automatic)."""
        text = last_message_text(body)
        for index, entry in enumerate(self._entries):
            if not self._used[index] and entry.match in text:
                self._used[index] = True
                return entry.reply
        return None

    @property
    def unused(self) -> list[str]:
        """The ``match`` texts of the entries no request asked for."""
        return [e.match for e, used in zip(self._entries, self._used, strict=True) if not used]


def start(name: str, mode: str) -> None:
    """Open the notebook's cassette in ``mode`` ("replay" or "record"); see the module doc."""
    path = CASSETTE_DIR / "notebooks" / f"{name}.yaml"
    if mode == "record":
        key = os.environ.get("MIMO_API_KEY", "")
        path.unlink(missing_ok=True)  # vcrpy's "all" mode would keep the old entries
        context = make_vcr("all", [key]).use_cassette(str(path))
        if not key:
            entries = {"by_content": SCRIPTS[name]()}
            scripted = type("ScriptedEmulator", (ScriptedEmulator,), entries)
            _state["emulators"] = made = []

            def factory(**kwargs: Any) -> MiMoEmulator:
                emulator: MiMoEmulator = scripted(**kwargs)
                made.append(emulator)
                return emulator

            mimo_client.testing.MiMoEmulator = factory  # type: ignore[misc,assignment]
    elif mode == "replay":
        context = make_vcr("none").use_cassette(str(path))
    else:
        raise ValueError(f"mode must be 'replay' or 'record', not {mode!r}")
    _state.update(mode=mode, context=context, cassette=context.__enter__())


def finish() -> str:
    """Close the cassette; raise if the replay or the script was not used up. Returns a summary."""
    _state.pop("context").__exit__(None, None, None)
    cassette = _state.pop("cassette")
    count = len(cassette.data)
    if _state.pop("mode") == "record":
        for emulator in _state.pop("emulators", []):
            if emulator.unused:
                raise AssertionError(
                    f"scripted replies never asked for: {emulator.unused}; update "
                    "cassettes/emulator_scripts.py to the notebook's requests"
                )
        return f"recorded {count} requests"
    if not cassette.all_played:
        raise AssertionError(
            f"only {cassette.play_count} of {count} recorded responses were used: the notebook "
            "changed since it was recorded; run python -m cassettes.record --only notebooks"
        )
    return f"replayed all {count} recorded responses"
