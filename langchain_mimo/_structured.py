"""Schemas and parsers for ``ChatMiMo.with_structured_output`` and ``response_format``.

MiMo has no ``json_schema`` response format; ``mimo_client.build_request`` emulates it
(``json_object`` plus the schema in a system instruction). The answer therefore has to be
validated here: pydantic models by pydantic, TypedDicts by a pydantic ``TypeAdapter``, plain
JSON schemas by ``jsonschema`` (in the ``langchain`` extra; without it such a schema raises
``ImportError`` rather than being checked less). Streamed answers are validated once the
stream ends, like invoked ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.messages import BaseMessage, BaseMessageChunk
from langchain_core.output_parsers import JsonOutputParser, PydanticOutputParser
from langchain_core.output_parsers.transform import BaseCumulativeTransformOutputParser
from langchain_core.outputs import ChatGenerationChunk, Generation, GenerationChunk
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


def _json_schema_validator(schema: Mapping[str, Any]) -> Callable[[Any], Any]:
    try:
        import jsonschema  # type: ignore[import-untyped]
    except ImportError as error:
        raise ImportError(
            "validating answers against a JSON-schema dict needs the jsonschema package: "
            "pip install jsonschema (or pip install 'mimo-integrations[langchain]'); "
            "a pydantic model or TypedDict schema works without it"
        ) from error

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


class _Accumulated:
    """The chunks of one stream, added up the way LangChain's cumulative parsers add them."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: ChatGenerationChunk | GenerationChunk | None = None

    def _add(self, chunk: str | BaseMessage) -> None:
        generation: ChatGenerationChunk | GenerationChunk
        if isinstance(chunk, BaseMessageChunk):
            generation = ChatGenerationChunk(message=chunk)
        elif isinstance(chunk, BaseMessage):
            generation = ChatGenerationChunk(message=BaseMessageChunk(**chunk.model_dump()))
        else:
            generation = GenerationChunk(text=chunk)
        self.value = generation if self.value is None else self.value + generation  # type: ignore[operator]

    def watch(self, chunks: Iterator[str | BaseMessage]) -> Iterator[str | BaseMessage]:
        """Pass ``chunks`` on, adding each up."""
        for chunk in chunks:
            self._add(chunk)
            yield chunk

    async def awatch(
        self, chunks: AsyncIterator[str | BaseMessage]
    ) -> AsyncIterator[str | BaseMessage]:
        """Pass ``chunks`` on, adding each up."""
        async for chunk in chunks:
            self._add(chunk)
            yield chunk

    def result(self) -> list[Generation]:
        """The whole answer, for a final (non-partial) parse."""
        if self.value is None:
            raise OutputParserException("the stream ended without an answer to parse")
        return [self.value]


class _CheckedAtStreamEnd(BaseCumulativeTransformOutputParser[Any]):
    """Streams partial values as usual, then parses the whole answer once more, not partially.

    LangChain's cumulative parsers only ever parse streamed text partially, so an answer that
    does not match the schema went through unnoticed (or, for pydantic, yielded nothing). The
    final parse raises ``OutputParserException`` as ``invoke`` does, and yields the final value
    when it differs from the last partial one.
    """

    def _transform(self, input: Iterator[str | BaseMessage]) -> Iterator[Any]:
        whole = _Accumulated()
        last: Any = None
        for value in super()._transform(whole.watch(input)):
            last = value
            yield value
        final = self.parse_result(whole.result(), partial=False)
        if final != last:
            yield final

    async def _atransform(self, input: AsyncIterator[str | BaseMessage]) -> AsyncIterator[Any]:
        whole = _Accumulated()
        last: Any = None
        async for value in super()._atransform(whole.awatch(input)):
            last = value
            yield value
        final = await self.aparse_result(whole.result(), partial=False)
        if final != last:
            yield final


class _PydanticOutputParser(_CheckedAtStreamEnd, PydanticOutputParser):  # type: ignore[type-arg]
    """LangChain's pydantic parser, with the streamed answer validated at the end."""


class _ValidatedJsonOutputParser(_CheckedAtStreamEnd, JsonOutputParser):
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
        return _PydanticOutputParser(pydantic_object=schema)
    return _ValidatedJsonOutputParser(validator=_validator_for(schema))
