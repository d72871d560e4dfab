"""Web search in the core: the tool from the ``web_search=`` option, the citations of the reply."""

from __future__ import annotations

import json
from typing import Any

import pytest

import mimo_client
from mimo_client import (
    AssistantTurn,
    StreamAccumulator,
    Usage,
    WebSearchUnavailableError,
    build_request,
    error_for_status,
    web_citations,
    web_search_tool,
)
from mimo_client.integration import build_request_from
from mimo_client.web_search import search_reply_fields

USER = [{"role": "user", "content": "What happened in Wuhan today?"}]
FUNCTION = {"type": "function", "function": {"name": "get_weather", "parameters": {}}}
SOURCE = {
    "type": "url_citation",
    "url": "https://news.example/a",
    "title": "A headline",
    "summary": "What the page says.",
    "site_name": "news.example",
    "publish_time": "2026-11-29 08:00:00",
    "logo_url": "https://news.example/logo.png",
}


def test_true_sends_the_bare_tool_with_the_service_defaults() -> None:
    request = build_request(USER, model="mimo-v2.6-flash", web_search=True)
    assert request["tools"] == [{"type": "web_search"}]


def test_a_dict_sends_its_fields_flat() -> None:
    location = {"type": "approximate", "country": "China", "region": "Hubei", "city": "Wuhan"}
    option = {"force_search": True, "max_keyword": 3, "limit": 5, "user_location": location}
    request = build_request(USER, model="mimo-v2.6-flash", web_search=option)
    assert request["tools"] == [{"type": "web_search", **option}]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"limit": 0}, "limit must be an integer from 1 to 50, got 0"),
        ({"limit": 51}, "limit must be an integer from 1 to 50, got 51"),
        ({"max_keyword": 0}, "max_keyword must be an integer from 1 to 50"),
        ({"max_keyword": 2.5}, "max_keyword must be an integer from 1 to 50"),
        ({"force_search": "yes"}, "force_search must be True or False"),
        ({"limt": 3}, "unknown fields ['limt']"),
        ({"user_location": "Wuhan"}, "user_location must be a dict"),
        ({"user_location": {"town": "Wuhan"}}, "unknown fields ['town']"),
    ],
)
def test_bad_fields_fail_before_sending_naming_the_field(
    option: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        build_request(USER, model="mimo-v2.6-flash", web_search=option)
    assert message in str(caught.value)


def test_not_a_bool_or_dict_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="web_search must be True, False, None or a dict"):
        web_search_tool("on")  # type: ignore[arg-type]


def test_web_search_sits_beside_function_tools_and_survives_a_named_tool_choice() -> None:
    request = build_request(
        USER, model="mimo-v2.6-flash", tools=[FUNCTION], tool_choice="get_weather", web_search=True
    )
    assert request["tools"] == [FUNCTION, {"type": "web_search"}]


def test_a_bound_web_search_tool_is_sent_as_given_and_checked() -> None:
    bound = {"type": "web_search", "force_search": False, "limit": 2}
    request = build_request(USER, model="mimo-v2.6-flash", tools=[FUNCTION, bound])
    assert request["tools"] == [FUNCTION, bound]
    with pytest.raises(ValueError, match="limit must be an integer from 1 to 50"):
        build_request(USER, model="mimo-v2.6-flash", tools=[{"type": "web_search", "limit": 99}])


def test_a_per_call_option_replaces_or_removes_the_constructor_one() -> None:
    options = {"model": "mimo-v2.6-flash", "web_search": {"limit": 2}}
    assert build_request_from(USER, options)["tools"] == [{"type": "web_search", "limit": 2}]
    assert "tools" not in build_request_from(USER, {**options, "web_search": False})
    bound = [{"type": "web_search", "limit": 9}]
    replaced = build_request_from(USER, {**options, "tools": bound})
    assert replaced["tools"] == [{"type": "web_search", "limit": 2}]


def test_citations_are_read_once_with_every_field() -> None:
    other = {"type": "file_citation", "file_id": "f"}
    citations = web_citations([SOURCE, other, {"type": "url_citation", "title": "no url"}])
    assert len(citations) == 1
    citation = citations[0]
    assert (citation.url, citation.title, citation.summary) == (
        "https://news.example/a",
        "A headline",
        "What the page says.",
    )
    assert (citation.site_name, citation.publish_time, citation.logo_url) == (
        "news.example",
        "2026-11-29 08:00:00",
        "https://news.example/logo.png",
    )
    assert citation.raw == SOURCE


def test_a_completion_keeps_annotations_error_message_and_search_usage() -> None:
    completion = {
        "id": "x",
        "choices": [
            {
                "message": {
                    "role": "assistant",
                    "content": "Answer.",
                    "annotations": [SOURCE],
                    "error_message": "search timed out",
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": 3,
            "completion_tokens": 1,
            "total_tokens": 4,
            "web_search_usage": {"tool_usage": 1, "page_usage": 5},
        },
    }
    turn = AssistantTurn.from_completion(completion)
    assert turn.annotations == [SOURCE]
    assert turn.error_message == "search timed out"
    assert turn.usage is not None
    assert turn.usage.web_search_usage == {"tool_usage": 1, "page_usage": 5}


def _chunk(delta: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": None}]
    return {"id": "c", "object": "chat.completion.chunk", "choices": choices, **extra}


def test_the_accumulator_keeps_the_early_annotations_delta() -> None:
    accumulator = StreamAccumulator()
    first = accumulator.add(_chunk({"role": "assistant", "annotations": [SOURCE]}))
    assert first.annotations == [SOURCE]
    text = accumulator.add(_chunk({"content": "Answer."}))
    assert text.annotations is None and text.content == "Answer."
    error = accumulator.add(_chunk({"error_message": "partial failure"}))
    assert error.error_message == "partial failure"
    usage = {"prompt_tokens": 1, "completion_tokens": 1, "web_search_usage": {"tool_usage": 2}}
    accumulator.add(_chunk(None, usage=usage))
    turn = accumulator.turn()
    assert turn.annotations == [SOURCE]
    assert turn.error_message == "partial failure"
    assert turn.usage is not None and turn.usage.web_search_usage == {"tool_usage": 2}
    assert turn.content == "Answer."


def test_409_is_a_typed_error_saying_to_enable_the_plugin_or_check_the_quota() -> None:
    body = json.dumps({"error": {"code": "409", "message": "Quota exhausted", "type": ""}})
    error = error_for_status(409, body)
    assert isinstance(error, WebSearchUnavailableError)
    assert isinstance(error, mimo_client.MiMoError)
    assert "Web Search plugin" in str(error) and "quota" in str(error)
    assert error.status == 409


def test_reply_fields_hold_only_what_the_reply_carried() -> None:
    source = {"type": "url_citation", "url": "https://news.example/1", "title": "t"}
    usage = Usage.from_wire({"web_search_usage": {"tool_usage": 1, "page_usage": 3}})
    assert search_reply_fields(None, None, Usage.from_wire({})) == {}
    assert search_reply_fields([source], "backend down", usage) == {
        "annotations": [source],
        "error_message": "backend down",
        "web_search_usage": {"tool_usage": 1, "page_usage": 3},
    }
