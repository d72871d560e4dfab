"""Usage: the service's ``usage`` block read into token counts (docs/MIMO_API.md, "usage")."""

from __future__ import annotations

from mimo_client import Usage

WIRE = {
    "prompt_tokens": 120,
    "completion_tokens": 30,
    "total_tokens": 150,
    "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 90},
    "completion_tokens_details": {"reasoning_tokens": 20},
}


def test_the_prompt_details_are_read_once_in_the_core() -> None:
    usage = Usage.from_wire(WIRE)
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens) == (120, 30, 150)
    assert (usage.cached_tokens, usage.audio_tokens, usage.reasoning_tokens) == (64, 90, 20)


def test_a_prompt_without_audio_has_no_audio_count() -> None:
    usage = Usage.from_wire({"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6})
    assert usage.audio_tokens is None
