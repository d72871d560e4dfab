"""Worker functions for tests/core/test_fork.py (a module, so spawn workers can import it).

Each worker asks its model (inherited through fork, or pickled to a spawn worker) for one
prompt and returns the text of the answer. The emulator's automatic rule answers
"Emulated MiMo answer to: <prompt>", so each answer names the prompt it was meant for.
"""

from __future__ import annotations

from typing import Any

MODEL: Any = None


def set_model(model: Any) -> None:
    global MODEL
    MODEL = model


def lc_invoke(prompt: str) -> str:
    return str(MODEL.invoke(prompt).content)


def li_complete(prompt: str) -> str:
    return str(MODEL.complete(prompt).text)
