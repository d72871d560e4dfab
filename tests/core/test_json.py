"""The stream-event JSON parser behaves exactly like json.loads on any input."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mimo_client._json import loads

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


def _outcome(parse: Any, data: bytes) -> tuple[str, str]:
    try:
        return ("ok", repr(parse(data)))  # repr: NaN == NaN, key order kept
    except Exception as error:  # the exception itself is compared
        return (type(error).__name__, str(error))


@settings(max_examples=400)
@given(
    value=_values,
    ascii_only=st.booleans(),
    before=st.sampled_from(["", " ", "\n", "\ufeff"]),
    after=st.sampled_from(["", " ", "\r\n", "x", "}", ",1"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-32-le"]),
)
def test_same_as_json_loads_on_json_text(
    value: Any, ascii_only: bool, before: str, after: str, encoding: str
) -> None:
    text = before + json.dumps(value, ensure_ascii=ascii_only) + after
    data = text.encode(encoding, "surrogatepass")
    assert _outcome(loads, data) == _outcome(json.loads, data)


@settings(max_examples=400)
@given(st.binary(max_size=64))
def test_same_as_json_loads_on_any_bytes(data: bytes) -> None:
    assert _outcome(loads, data) == _outcome(json.loads, data)


def test_a_typical_chunk_parses_to_the_same_dict() -> None:
    event = (
        b'{"id":"chatcmpl-1","choices":[{"index":0,"delta":'
        b'{"reasoning_content":" \xe6\x80\x9d"},"finish_reason":null}]}'
    )
    assert loads(event) == json.loads(event)
    assert loads(event)["choices"][0]["delta"]["reasoning_content"] == " \u601d"
