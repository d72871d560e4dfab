"""The core client against recorded MiMo traffic (cassettes/tests/test_core_*.yaml)."""

from __future__ import annotations

import pytest

from mimo_client import AssistantTurn, AuthenticationError, MiMoClient, build_request

pytestmark = pytest.mark.vcr

QUESTION = [{"role": "user", "content": "In one sentence: what is a context window?"}]


def test_core_stream_puts_reasoning_before_content_and_ends_with_usage(endpoint) -> None:
    request = build_request(QUESTION, model="mimo-v2.6-pro", stream=True, max_tokens=2048)
    kinds: list[str] = []
    with MiMoClient(api_key=endpoint.api_key, base_url=endpoint.base_url) as client:
        with client.stream(request) as stream:
            for delta in stream.deltas():
                if delta.reasoning:
                    kinds.append("reasoning")
                if delta.content:
                    kinds.append("content")
        turn = stream.turn
    assert "reasoning" in kinds and "content" in kinds
    assert kinds.index("content") > max(i for i, k in enumerate(kinds) if k == "reasoning")
    assert turn.content and turn.reasoning_content
    assert turn.finish_reason == "stop"
    assert turn.usage is not None and turn.usage.output_tokens > 0
    assert turn.usage.reasoning_tokens


def test_core_create_returns_the_same_turn_shape(endpoint) -> None:
    request = build_request(QUESTION, model="mimo-v2.6-pro", max_tokens=2048)
    with MiMoClient(api_key=endpoint.api_key, base_url=endpoint.base_url) as client:
        turn = AssistantTurn.from_completion(client.create(request))
    assert turn.content and turn.reasoning_content
    assert turn.usage is not None and turn.usage.total_tokens >= turn.usage.output_tokens > 0


def test_core_wrong_key_raises_authentication_error(endpoint) -> None:
    request = build_request(QUESTION, model="mimo-v2.6-pro", max_tokens=16)
    client = MiMoClient(api_key="not-a-valid-key", base_url=endpoint.base_url)
    with client, pytest.raises(AuthenticationError) as caught:
        client.create(request)
    assert caught.value.status == 401
    assert "not-a-valid-key" not in str(caught.value)
