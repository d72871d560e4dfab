"""ChatMiMo's ``usage_metadata``: the core's token counts in LangChain's fields.

(How the core reads the wire's ``usage`` block is tests/core/test_usage.py.)
"""

from __future__ import annotations

from langchain_mimo._convert import usage_to_metadata
from mimo_client import Usage


def test_cached_and_audio_input_tokens_and_reasoning_output_tokens() -> None:
    usage = Usage(
        input_tokens=120,
        output_tokens=30,
        total_tokens=150,
        reasoning_tokens=20,
        cached_tokens=64,
        audio_tokens=90,
    )
    metadata = usage_to_metadata(usage)
    assert (metadata["input_tokens"], metadata["output_tokens"]) == (120, 30)
    assert metadata["input_token_details"] == {"cache_read": 64, "audio": 90}
    assert metadata["output_token_details"] == {"reasoning": 20}


def test_a_plain_prompt_has_no_input_details() -> None:
    metadata = usage_to_metadata(Usage(input_tokens=5, output_tokens=1, total_tokens=6))
    assert "input_token_details" not in metadata
    assert "output_token_details" not in metadata
