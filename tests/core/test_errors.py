import pytest

import mimo_client as m
from mimo_client.errors import REASONING_PASSBACK_PARAM


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, m.BadRequestError),
        (401, m.AuthenticationError),
        (402, m.InsufficientBalanceError),
        (403, m.PermissionDeniedError),
        (404, m.NotFoundError),
        (421, m.ContentFilterError),
        (429, m.RateLimitError),
        (500, m.ServerError),
        (503, m.ServerError),
    ],
)
def test_status_maps_to_its_error_class(status, cls):
    error = m.error_for_status(status, {"error": {"code": str(status), "message": "boom"}})
    assert type(error) is cls
    assert isinstance(error, m.MiMoError)
    assert (error.status, error.code) == (status, str(status))


def test_reasoning_passback_400_explains_the_fix():
    body = (
        b'{"error":{"code":"400","message":"Param Incorrect","param":"'
        + REASONING_PASSBACK_PARAM.encode()
        + b'","type":""}}'
    )
    error = m.error_for_status(400, body)
    assert isinstance(error, m.BadRequestError)
    assert error.param == REASONING_PASSBACK_PARAM
    assert "reasoning_content" in str(error) and "fix:" in str(error)


def test_sse_framed_error_body_is_parsed():
    error = m.error_for_status(
        429,
        'data:{"error":{"code":"429","message":"Too many requests","type":"limitation"}}\n\n',
        {"Retry-After": "3"},
    )
    assert isinstance(error, m.RateLimitError)
    assert error.message == "Too many requests"
    assert error.retry_after == 3.0


def test_an_sse_framed_error_body_followed_by_more_events_is_parsed_from_its_first():
    # One parser reads framed error bodies, whatever follows the error event.
    body = b'data: {"error":{"code":"400","message":"Param Incorrect","param":"x"}}\n\n'
    error = m.error_for_status(400, body + b"data: [DONE]\n\n")
    assert isinstance(error, m.BadRequestError)
    assert (error.message, error.param) == ("Param Incorrect: x", "x")


def test_non_json_error_body_is_kept_in_the_message():
    error = m.error_for_status(502, b"<html>bad gateway</html>")
    assert isinstance(error, m.ServerError) and "bad gateway" in str(error)


def test_context_overflow_is_its_own_bad_request():
    error = m.error_for_status(
        400, {"error": {"message": "This model's maximum context length is 262144 tokens"}}
    )
    assert isinstance(error, m.ContextWindowExceededError)
