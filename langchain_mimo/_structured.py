"""Schemas and parsers for ``ChatMiMo.with_structured_output`` and ``response_format``.

MiMo has no ``json_schema`` response format; ``mimo_client.build_request`` emulates it
(``json_object`` plus the schema in a system instruction). The answer therefore has to be
validated here: pydantic models by pydantic, TypedDicts by a pydantic ``TypeAdapter``, plain
JSON schemas by ``jsonschema`` when it is installed (else required keys are checked).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.outputs import Generation
from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_core.utils.pydantic import is_basemodel_subclass
from pydantic import TypeAdapter, ValidationError
from typing_extensions import is_typeddict

__all__ = ["is_pydantic_class", "json_output_parser", "to_response_format"]


def is_pydantic_class(schema: Any) -> bool:
    """Whether ``schema`` is a pydantic model class."""
    return isinstance(schema, type) and is_basemodel_subclass(schema)


def to_response_format(schema: Any, *, strict: bool | None = None) -> dict[str, Any]:
    """An OpenAI-shaped ``response_format`` for ``schema``.

    Accepts ``{"type": "text" | "json_object" | "json_schema", ...}`` dicts as they are, and
    turns pydantic models, TypedDicts, JSON schemas and OpenAI tool schemas into
    ``{"type": "json_schema", "json_schema": {"name", "schema", ...}}``.
    """
    if isinstance(schema, Mapping) and schema.get("type") in ("text", "json_object", "json_schema"):
        return dict(schema)
    function = convert_to_openai_tool(schema)["function"]
    json_schema: dict[str, Any] = dict(function.get("parameters") or {})
    if function.get("description") and "description" not in json_schema:
        json_schema["description"] = function["description"]
    spec: dict[str, Any] = {"name": function["name"], "schema": json_schema}
    if strict is not None:
        spec["strict"] = strict
    return {"type": "json_schema", "json_schema": spec}


def _required_keys_validator(schema: Mapping[str, Any]) -> Callable[[Any], Any]:
    required = list(schema.get("required") or ())

    def validate(value: Any) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"expected a JSON object, got {type(value).__name__}")
        missing = [key for key in required if key not in value]
        if missing:
            raise ValueError(f"missing required keys: {missing}")
        return value

    return validate


def _json_schema_validator(schema: Mapping[str, Any]) -> Callable[[Any], Any]:
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - jsonschema ships with the dev extras
        return _required_keys_validator(schema)

    validator = jsonschema.Draft202012Validator(dict(schema))

    def validate(value: Any) -> Any:
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.path))
        if errors:
            raise ValueError("; ".join(error.message for error in errors[:5]))
        return value

    return validate


def _validator_for(schema: Any) -> Callable[[Any], Any] | None:
    if schema is None:
        return None
    if is_typeddict(schema):
        adapter: TypeAdapter[Any] = TypeAdapter(schema)
        return adapter.validate_python
    if isinstance(schema, Mapping):
        parameters = convert_to_openai_tool(schema)["function"].get("parameters") or {}
        return _json_schema_validator(parameters)
    return None


class _ValidatedJsonOutputParser(JsonOutputParser):
    """A JSON parser that checks the finished value against a schema (partials pass through)."""

    validator: Any = None

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        value = super().parse_result(result, partial=partial)
        if partial or self.validator is None:
            return value
        try:
            return self.validator(value)
        except (ValidationError, ValueError) as error:
            raise OutputParserException(
                f"the model's JSON does not match the schema: {error}",
                llm_output=result[0].text if result else None,
            ) from error


def json_output_parser(schema: Any) -> JsonOutputParser:
    """The parser for a JSON-text answer: pydantic models become instances, others dicts."""
    if is_pydantic_class(schema):
        return PydanticOutputParser(pydantic_object=schema)
    return _ValidatedJsonOutputParser(validator=_validator_for(schema))
