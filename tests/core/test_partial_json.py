import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mimo_client import parse_partial_json


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"city": "Par', {"city": "Par"}),
        ('{"a": 1, "b":', {"a": 1}),
        ('{"a": [1, 2', {"a": [1, 2]}),
        ('{"a": 1, "bb', {"a": 1}),
        ('{"a": {"b": "x\\', {"a": {"b": "x"}}),
        ('{"a": "}"', {"a": "}"}),
        ("", None),
        ("   ", None),
        ('{"a": 1}]', None),
    ],
)
def test_partial_json(text, expected):
    assert parse_partial_json(text) == expected


json_objects = st.dictionaries(
    st.text(min_size=1, max_size=6),
    st.one_of(st.integers(), st.text(max_size=8), st.lists(st.integers(), max_size=3)),
    max_size=4,
)


@given(value=json_objects)
def test_every_prefix_parses_without_raising_and_full_text_round_trips(value):
    text = json.dumps(value)
    for end in range(len(text)):
        result = parse_partial_json(text[:end])
        assert result is None or isinstance(result, dict)
    assert parse_partial_json(text) == value
