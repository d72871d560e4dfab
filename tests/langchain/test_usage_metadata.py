"""ChatMiMo's ``usage_metadata``: the core's token counts in LangChain's fields."""

from __future__ import annotations

from langchain_mimo._convert import usage_to_metadata
from mimo_client import Usage

WIRE = {
    "prompt_tokens": 120,
    "completion_tokens": 30,
    "total_tokens": 150,
    "prompt_tokens_details": {"cached_tokens": 64, "audio_tokens": 90},
    "completion_tokens_details": {"reasoning_tokens": 20},
}


def test_cached_and_audio_input_tokens_and_reasoning_output_tokens() -> None:
    metadata = usage_to_metadata(Usage.from_wire(WIRE))
    assert (metadata["input_tokens"], metadata["output_tokens"]) == (120, 30)
    assert metadata["input_token_details"] == {"cache_read": 64, "audio": 90}
    assert metadata["output_token_details"] == {"reasoning": 20}


def test_a_plain_prompt_has_no_input_details() -> None:
    usage = Usage.from_wire({"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6})
    assert "input_token_details" not in usage_to_metadata(usage)
