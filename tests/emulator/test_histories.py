"""Generated message histories either become a request the emulator accepts, or fail early.

``build_request`` must raise a clear ValueError, before anything is sent, for every history the
service would reject; everything it lets through must pass the emulator's rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mimo_client import MiMoClient, MiMoError, build_request
from mimo_client.testing import MiMoEmulator

ABSENT = object()

words = st.text(alphabet="abc xyz?", min_size=0, max_size=12)
nonempty = st.text(alphabet="abc xyz?", min_size=1, max_size=12)
text_part = st.builds(lambda t: {"type": "text", "text": t}, words)
media_part = st.sampled_from(
    [
        {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
        {"type": "input_audio", "input_audio": {"data": "UklGRg=="}},
        {"type": "video_url", "video_url": {"url": "https://example.com/a.mp4"}, "fps": 2},
    ]
)
arguments = st.one_of(
    st.just('{"city": "Paris"}'), st.just("{}"), st.just({"city": "Paris"}), st.none()
)
call = st.fixed_dictionaries(
    {"type": st.just("function"), "function": st.fixed_dictionaries({})},
    optional={"id": st.sampled_from(["call_1", "call_2", ""])},
).flatmap(
    lambda c: st.builds(
        lambda name, args: {**c, "function": {"name": name, "arguments": args}},
        st.sampled_from(["get_weather", "lookup", ""]),
        arguments,
    )
)


def build(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not ABSENT}


system = st.builds(
    lambda role, content: build({"role": role, "content": content}),
    st.sampled_from(["system", "developer"]),
    st.one_of(words, st.none(), st.lists(text_part, min_size=1, max_size=2)),
)
user = st.builds(
    lambda content: {"role": "user", "content": content},
    st.one_of(
        words,
        st.lists(st.one_of(text_part, media_part), min_size=1, max_size=3),
    ),
)
assistant = st.builds(
    lambda content, calls, reasoning: build(
        {
            "role": "assistant",
            "content": content,
            "tool_calls": calls,
            "reasoning_content": reasoning,
        }
    ),
    st.one_of(words, st.none(), st.just(ABSENT), st.lists(text_part, min_size=1, max_size=2)),
    st.one_of(st.just(ABSENT), st.just([]), st.lists(call, min_size=1, max_size=2)),
    st.one_of(st.just(ABSENT), st.none(), nonempty),
)
tool = st.builds(
    lambda call_id, content: build({"role": "tool", "tool_call_id": call_id, "content": content}),
    st.one_of(st.just(ABSENT), st.just(""), st.sampled_from(["call_1", "call_2"])),
    st.one_of(
        words,
        st.none(),
        st.lists(text_part, min_size=1, max_size=2),
        st.just({"temperature": 21}),
    ),
)
odd_role = st.builds(
    lambda role: {"role": role, "content": "hi"}, st.sampled_from(["function", "wizard"])
)
message = st.one_of(system, user, user, assistant, assistant, tool, tool, odd_role)
tool_spec = st.builds(
    lambda name, strict: {
        "type": "function",
        "function": build(
            {
                "name": name,
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
                "strict": strict,
            }
        ),
    },
    st.sampled_from(["get_weather", "lookup", "bad name", "x" * 65]),
    st.sampled_from([ABSENT, None, True, False]),
)


@pytest.fixture(scope="module")
def client() -> Iterator[tuple[MiMoEmulator, MiMoClient]]:
    with (
        MiMoEmulator() as emu,
        MiMoClient(api_key=emu.api_key, base_url=emu.base_url, max_retries=0, timeout=10) as mimo,
    ):
        yield emu, mimo


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    messages=st.lists(message, min_size=1, max_size=6),
    model=st.sampled_from(["mimo-v2.6-pro", "mimo-v2.6-flash", "mimo-v2.6-flash", "mimo-v3-next"]),
    thinking=st.sampled_from([None, True, False]),
    tools=st.one_of(st.none(), st.lists(tool_spec, min_size=1, max_size=2)),
)
def test_history_converts_to_an_accepted_request_or_fails_early(
    client: tuple[MiMoEmulator, MiMoClient],
    messages: list[dict[str, Any]],
    model: str,
    thinking: bool | None,
    tools: list[dict[str, Any]] | None,
) -> None:
    emu, mimo = client
    sent_before = len(emu.requests)
    try:
        request = build_request(messages, model=model, thinking=thinking, tools=tools)
    except ValueError as exc:
        event("rejected before sending")
        assert len(str(exc)) > 20, "the error should say what is wrong and how to fix it"
        assert len(emu.requests) == sent_before
        return
    event("sent and accepted")
    try:
        mimo.create(request)
    except MiMoError as exc:
        pytest.fail(f"build_request let through a request the service rejects: {exc}\n{request}")
    assert len(emu.requests) == sent_before + 1


def test_empty_user_content_list_fails_before_sending(
    client: tuple[MiMoEmulator, MiMoClient],
) -> None:
    # The service needs a text part in a user content array (rule 5); an empty array has none.
    _, mimo = client
    raw = {"model": "mimo-v2.6-pro", "messages": [{"role": "user", "content": []}]}
    with pytest.raises(MiMoError, match="`text` is not set"):
        mimo.create(raw)
    with pytest.raises(ValueError, match="message 0"):
        build_request(raw["messages"], model="mimo-v2.6-pro")
