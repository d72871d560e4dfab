"""with_structured_output by function calling, JSON mode and (emulated) JSON
schema, for pydantic, TypedDict and JSON-schema inputs, with include_raw."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import pytest
from langchain_core.exceptions import OutputParserException
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator, Reply


class Joke(BaseModel):
    """A joke to tell the user."""

    setup: str = Field(description="The setup")
    punchline: str = Field(description="The punchline")
    rating: int = Field(description="How funny, 1 to 10", ge=1, le=10)


class JokeDict(TypedDict):
    """A joke to tell the user."""

    setup: str
    punchline: str
    rating: int


JOKE_SCHEMA: dict[str, Any] = {
    "title": "Joke",
    "description": "A joke to tell the user.",
    "type": "object",
    "properties": {
        "setup": {"type": "string"},
        "punchline": {"type": "string"},
        "rating": {"type": "integer", "minimum": 1, "maximum": 10},
    },
    "required": ["setup", "punchline", "rating"],
}
GOOD = {
    "setup": "Why did the cat sit on the laptop?",
    "punchline": "To keep an eye on the mouse.",
    "rating": 7,
}
SCHEMAS = {"pydantic": Joke, "typeddict": JokeDict, "json_schema": JOKE_SCHEMA}


def _check(result: Any, kind: str, expected: dict[str, Any] | None = None) -> None:
    if kind == "pydantic":
        assert isinstance(result, Joke)
        result = result.model_dump()
    assert isinstance(result, dict)
    assert set(result) == {"setup", "punchline", "rating"}
    if expected is not None:
        assert result == expected


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_function_calling_is_the_default(model: ChatMiMo, emulator: MiMoEmulator, kind: str):
    emulator.script(
        Reply.tool_calls(("Joke" if kind != "typeddict" else "JokeDict", GOOD), reasoning="r")
    )
    result = model.with_structured_output(SCHEMAS[kind]).invoke("Tell me a joke")
    _check(result, kind, GOOD)
    body = emulator.last_request.body
    assert len(body["tools"]) == 1  # the schema is the only tool sent
    assert "response_format" not in body


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_json_schema_is_emulated_and_validated(model: ChatMiMo, emulator: MiMoEmulator, kind: str):
    # unscripted: the emulator answers with JSON generated from the schema it finds in the
    # system instruction, as a model following the instruction would
    structured = model.with_structured_output(SCHEMAS[kind], method="json_schema")
    _check(structured.invoke("Tell me a joke"), kind)
    body = emulator.last_request.body
    assert body["response_format"] == {"type": "json_object"}
    instruction = body["messages"][0]
    assert instruction["role"] == "system"
    assert '"punchline"' in instruction["content"]
    assert "tools" not in body


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_json_schema_rejects_answers_that_break_the_schema(
    model: ChatMiMo, emulator: MiMoEmulator, kind: str
):
    bad = {"setup": "Why?", "rating": "very"}  # punchline missing, rating not an int
    emulator.script(Reply.text(json.dumps(bad), reasoning="r"))
    with pytest.raises(OutputParserException):
        model.with_structured_output(SCHEMAS[kind], method="json_schema").invoke("Joke")


def test_json_schema_include_raw_reports_the_error(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text('{"setup": "Why?"}', reasoning="r"))
    result = model.with_structured_output(Joke, method="json_schema", include_raw=True).invoke(
        "Joke"
    )
    assert result["parsed"] is None  # type: ignore[index]
    assert isinstance(result["parsing_error"], OutputParserException)  # type: ignore[index]
    assert result["raw"].content == '{"setup": "Why?"}'  # type: ignore[index]
    assert result["raw"].additional_kwargs["reasoning_content"] == "r"  # type: ignore[index]


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_json_mode_parses_the_answer(model: ChatMiMo, emulator: MiMoEmulator, kind: str):
    emulator.script(Reply.text("```json\n" + json.dumps(GOOD) + "\n```", reasoning="r"))
    result = model.with_structured_output(SCHEMAS[kind], method="json_mode").invoke("Joke as JSON")
    _check(result, kind, GOOD)
    body = emulator.last_request.body
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"] == [{"role": "user", "content": "Joke as JSON"}]


def test_json_mode_without_schema_returns_a_dict(model: ChatMiMo, emulator: MiMoEmulator):
    assert model.with_structured_output(method="json_mode").invoke("JSON please") == {
        "answer": "Emulated MiMo answer to: JSON please"
    }


@pytest.mark.parametrize("method", ["function_calling", "json_schema"])
def test_include_raw_on_success(model: ChatMiMo, emulator: MiMoEmulator, method: str):
    result = model.with_structured_output(Joke, method=method, include_raw=True).invoke("Joke")  # type: ignore[arg-type]
    assert isinstance(result["parsed"], Joke)  # type: ignore[index]
    assert result["parsing_error"] is None  # type: ignore[index]
    assert result["raw"].response_metadata["model_provider"] == "mimo"  # type: ignore[index]


def test_structured_output_streams(model: ChatMiMo, emulator: MiMoEmulator):
    emulator.script(Reply.text(json.dumps(GOOD), reasoning="r", chunks=6))
    parts = list(model.with_structured_output(JOKE_SCHEMA, method="json_schema").stream("Joke"))
    assert len(parts) > 1  # partial objects while the JSON streams
    assert parts[-1] == GOOD


def test_strict_is_forwarded(model: ChatMiMo, emulator: MiMoEmulator):
    model.with_structured_output(Joke, strict=True).invoke("Joke")
    assert emulator.last_request.body["tools"][0]["function"]["strict"] is True


def test_unknown_method_is_refused(model: ChatMiMo):
    with pytest.raises(ValueError, match="method must be"):
        model.with_structured_output(Joke, method="xml")  # type: ignore[arg-type]


# --- streamed structured output is validated once the stream ends ------------------------------


def _stream(runnable: Any, mode: str) -> list[Any]:
    if mode == "stream":
        return list(runnable.stream("Joke"))

    async def collect() -> list[Any]:
        return [part async for part in runnable.astream("Joke")]

    return asyncio.run(collect())


@pytest.mark.parametrize("mode", ["stream", "astream"])
@pytest.mark.parametrize("method", ["json_schema", "json_mode"])
@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_streamed_answers_that_break_the_schema_raise_at_the_end(
    model: ChatMiMo, emulator: MiMoEmulator, kind: str, method: str, mode: str
):
    bad = {"setup": "Why?", "rating": "very"}  # punchline missing, rating not an int
    emulator.script(Reply.text(json.dumps(bad), reasoning="r", chunks=5))
    structured = model.with_structured_output(SCHEMAS[kind], method=method)  # type: ignore[arg-type]
    with pytest.raises(OutputParserException, match="punchline"):
        _stream(structured, mode)


@pytest.mark.parametrize("mode", ["stream", "astream"])
@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_streamed_answers_end_with_the_validated_value(
    model: ChatMiMo, emulator: MiMoEmulator, kind: str, mode: str
):
    emulator.script(Reply.text(json.dumps(GOOD), reasoning="r", chunks=6))
    parts = _stream(model.with_structured_output(SCHEMAS[kind], method="json_schema"), mode)
    _check(parts[-1], kind, GOOD)
    if kind == "pydantic":
        assert parts == [Joke(**GOOD)]  # partial objects do not validate; the whole one once
    else:
        assert len(parts) > 1  # partial dicts while the JSON streams, then the whole one
        assert parts[-2:] != [GOOD, GOOD]  # the final value is not repeated


@pytest.mark.parametrize("mode", ["stream", "astream"])
def test_streamed_json_mode_that_is_not_json_raises(
    model: ChatMiMo, emulator: MiMoEmulator, mode: str
):
    emulator.script(Reply.text("Sorry, I cannot answer in JSON.", chunks=3))
    with pytest.raises(OutputParserException):
        _stream(model.with_structured_output(method="json_mode"), mode)


def test_a_json_schema_dict_without_jsonschema_installed_raises_a_clear_import_error(
    model: ChatMiMo, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # "import jsonschema" now fails
    with pytest.raises(ImportError, match="pip install jsonschema"):
        model.with_structured_output(JOKE_SCHEMA, method="json_schema")
    # pydantic models and TypedDicts are validated without it
    model.with_structured_output(Joke, method="json_schema")
    model.with_structured_output(JokeDict, method="json_mode")
