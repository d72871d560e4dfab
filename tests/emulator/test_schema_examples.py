"""Tool arguments generated from JSON schemas validate against those schemas."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

import jsonschema
import pytest
from pydantic import BaseModel, Field

from mimo_client.testing._schema import example_for


class Unit(str, Enum):
    celsius = "celsius"
    fahrenheit = "fahrenheit"


class Place(BaseModel):
    city: str = Field(min_length=12)
    country: str | None = None


class Forecast(BaseModel):
    place: Place
    unit: Unit
    days: int = Field(ge=3, le=7)
    ratio: float = Field(gt=2, lt=3)
    tags: list[str] = Field(min_length=2)
    kind: Literal["daily", "hourly"]
    when: str = Field(json_schema_extra={"format": "date"})
    alerts: bool
    extra: dict[str, int]
    nested: list[Place]


class WithDefault(BaseModel):
    limit: int = 25
    query: str


@pytest.mark.parametrize("model", [Forecast, Place, WithDefault])
def test_examples_from_pydantic_schemas_validate(model: type[BaseModel]) -> None:
    schema = model.model_json_schema()
    value = example_for(schema)
    jsonschema.validate(value, schema)
    model.model_validate(value)


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "object", "properties": {"q": {"type": "string"}}}, {"q": "example"}),
        ({"type": "integer", "minimum": 10}, 10),
        ({"type": "integer", "exclusiveMaximum": 0}, -1),
        ({"type": "number", "maximum": 1}, 1),
        ({"enum": ["b", "a"]}, "b"),
        ({"const": 7}, 7),
        ({"type": ["null", "boolean"]}, True),
        ({"anyOf": [{"type": "null"}, {"type": "string", "format": "email"}]}, "user@example.com"),
        ({"type": "array", "items": {"type": "integer"}, "minItems": 3}, [1, 1, 1]),
        ({"type": "string", "maxLength": 3}, "exa"),
        (
            {"allOf": [{"properties": {"a": {"type": "integer"}}}, {"properties": {"b": {}}}]},
            {"a": 1, "b": "example"},
        ),
        ({}, "example"),
        (None, "example"),
    ],
)
def test_example_rules(schema: Any, expected: Any) -> None:
    assert example_for(schema) == expected


def test_recursive_schema_terminates() -> None:
    schema = {
        "$defs": {"Node": {"type": "object", "properties": {"child": {"$ref": "#/$defs/Node"}}}},
        "$ref": "#/$defs/Node",
    }
    value = example_for(schema)
    depth = 0
    while isinstance(value, dict):
        value = value["child"]
        depth += 1
    assert 5 < depth < 20
