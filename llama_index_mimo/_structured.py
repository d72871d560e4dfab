"""Structured output over MiMo's JSON mode: the schema request and the answer's validation.

MiMo has no ``json_schema`` response format; ``mimo_client.build_request`` emulates it
(``json_object`` plus an instruction carrying the schema). Checking the answer against the
schema is the adapter's part, done here with pydantic.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

__all__ = ["parse_structured", "schema_response_format"]

ModelT = TypeVar("ModelT", bound=BaseModel)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def schema_response_format(output_cls: type[BaseModel]) -> dict[str, Any]:
    """The ``response_format`` asking for a JSON object of ``output_cls``'s schema."""
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", output_cls.__name__)[:64] or "output"
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": output_cls.model_json_schema()},
    }


def parse_structured(output_cls: type[ModelT], text: str) -> ModelT:
    """Validate the model's JSON answer; tolerates a surrounding code fence.

    Raises ``ValueError`` naming the class and quoting the start of the answer.
    """
    match = _FENCE.match(text)
    candidate = match.group(1) if match else text.strip()
    try:
        return output_cls.model_validate_json(candidate)
    except ValidationError as exc:
        raise ValueError(
            f"MiMo's answer is not a valid {output_cls.__name__}: {exc.error_count()} "
            f"error(s), first: {exc.errors()[0]['msg']}; answer began: {text[:200]!r}"
        ) from exc
