"""Generate a small value that satisfies a JSON schema (for emulated tool-call arguments).

Rules: ``const``, then ``default``, then the first ``enum`` value; objects get every property;
strings are ``"example"`` (or a date/time/email/uri sample for that ``format``, padded to
``minLength``); integers are 1 and numbers 1.5, moved into their bounds (a number bounded on
both sides takes the midpoint);
booleans are true; arrays get ``minItems`` items (at least one); ``anyOf``/``oneOf`` take the first
non-null branch, ``allOf`` merges its branches; ``$ref`` into ``$defs``/``definitions`` resolves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

_FORMATS = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "12:00:00",
    "email": "user@example.com",
    "uri": "https://example.com",
    "url": "https://example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
}
_MAX_DEPTH = 12


def example_for(schema: Any) -> Any:
    """A value valid for ``schema`` under the rules in this module's docstring."""
    root = schema if isinstance(schema, Mapping) else {}
    return _example(root, root, 0)


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    node: Any = root
    for key in ref[2:].split("/"):
        if not isinstance(node, Mapping) or key not in node:
            return {}
        node = node[key]
    return node if isinstance(node, Mapping) else {}


def _example(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return None
    schema = _resolve(schema, root)
    for key in ("const", "default"):
        if key in schema:
            return schema[key]
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0]
    for key in ("anyOf", "oneOf"):
        branches = schema.get(key)
        if isinstance(branches, list) and branches:
            chosen = next(
                (b for b in branches if isinstance(b, Mapping) and b.get("type") != "null"),
                branches[0],
            )
            return _example(chosen if isinstance(chosen, Mapping) else {}, root, depth + 1)
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and all_of:
        merged: dict[str, Any] = {}
        properties: dict[str, Any] = {}
        for branch in all_of:
            if isinstance(branch, Mapping):
                branch = _resolve(branch, root)
                merged.update(branch)
                properties.update(branch.get("properties") or {})
        if properties:
            merged["properties"] = properties
        return _example(merged, root, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "string"
    return _BY_TYPE.get(kind, _string)(schema, root, depth)


def _object(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return {}
    return {
        name: _example(sub if isinstance(sub, Mapping) else {}, root, depth + 1)
        for name, sub in properties.items()
    }


def _array(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    items = schema.get("items")
    count = max(1, int(schema.get("minItems", 1)))
    item = _example(items if isinstance(items, Mapping) else {}, root, depth + 1)
    return [item] * count


def _string(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    value = _FORMATS.get(str(schema.get("format")), "example")
    min_length = int(schema.get("minLength", 0))
    if len(value) < min_length:
        value += "x" * (min_length - len(value))
    max_length = schema.get("maxLength")
    if isinstance(max_length, int):
        value = value[:max_length]
    return value


def _number(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    if schema.get("type") == "integer":
        low = _bound(schema, "minimum", "exclusiveMinimum", math.ceil, 1)
        high = _bound(schema, "maximum", "exclusiveMaximum", math.floor, -1)
        value = 1 if low is None else max(1, low)
        return value if high is None else min(value, high)
    low_f = _number_or_none(schema.get("minimum", schema.get("exclusiveMinimum")))
    high_f = _number_or_none(schema.get("maximum", schema.get("exclusiveMaximum")))
    if low_f is not None and high_f is not None:
        return low_f if low_f == high_f else (low_f + high_f) / 2
    if low_f is not None and low_f >= 1.5:
        return low_f if "minimum" in schema else low_f + 1
    if high_f is not None and high_f <= 1.5:
        return high_f if "maximum" in schema else high_f - 1
    return 1.5


def _number_or_none(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _bound(
    schema: Mapping[str, Any],
    inclusive: str,
    exclusive: str,
    rounding: Callable[[float], int],
    step: int,
) -> int | None:
    if _number_or_none(schema.get(inclusive)) is not None:
        return int(rounding(schema[inclusive]))
    if _number_or_none(schema.get(exclusive)) is not None:
        edge = schema[exclusive]
        rounded = int(rounding(edge))
        return rounded + step if rounded == edge else rounded
    return None


def _true(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    return True


def _null(schema: Mapping[str, Any], root: Mapping[str, Any], depth: int) -> Any:
    return None


_BY_TYPE = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _number,
    "number": _number,
    "boolean": _true,
    "null": _null,
}
