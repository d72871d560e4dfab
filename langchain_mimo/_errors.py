"""Core errors re-raised as LangChain error types.

Each class below inherits both the core's error (so ``except mimo_client.RateLimitError``
keeps working) and the matching ``langchain_core.exceptions`` type (so code written against
LangChain's provider-neutral errors, e.g. ``except ModelRateLimitError``, works too).
The mapping is by the core error's class; the core already chose the class from the status.
"""

from __future__ import annotations

import copy

from langchain_core.exceptions import (
    ContextOverflowError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelConnectionError,
    ModelError,
    ModelInvalidRequestError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
)

import mimo_client

__all__ = [
    "MiMoAPIError",
    "MiMoAuthenticationError",
    "MiMoConnectionError",
    "MiMoContentFilterError",
    "MiMoContextOverflowError",
    "MiMoInsufficientBalanceError",
    "MiMoInvalidRequestError",
    "MiMoModelError",
    "MiMoNotFoundError",
    "MiMoPermissionDeniedError",
    "MiMoRateLimitError",
    "MiMoStreamInterruptedError",
    "MiMoTimeoutError",
    "MiMoWebSearchUnavailableError",
    "to_langchain_error",
]


class MiMoModelError(mimo_client.MiMoError, ModelError):
    """A MiMo failure with no more specific LangChain type (e.g. an unexpected status)."""


class MiMoInvalidRequestError(mimo_client.BadRequestError, ModelInvalidRequestError):
    """400: the service rejected the request; ``param`` names the rule that was broken."""


class MiMoContextOverflowError(mimo_client.ContextWindowExceededError, ContextOverflowError):
    """400: the prompt plus the requested output does not fit the model's context window."""


class MiMoAuthenticationError(mimo_client.AuthenticationError, ModelAuthenticationError):
    """401: the API key is missing or wrong, or an sk-/tp- key was sent to the wrong host."""


class MiMoInsufficientBalanceError(mimo_client.InsufficientBalanceError, ModelError):
    """402: the account has no balance left (not retryable; LangChain has no closer type)."""


class MiMoPermissionDeniedError(mimo_client.PermissionDeniedError, ModelPermissionDeniedError):
    """403: refused by region or risk control."""


class MiMoNotFoundError(mimo_client.NotFoundError, ModelNotFoundError):
    """404: the model id or the endpoint does not exist."""


class MiMoContentFilterError(mimo_client.ContentFilterError, ModelInvalidRequestError):
    """421: the service's content filter rejected the request."""


class MiMoRateLimitError(mimo_client.RateLimitError, ModelRateLimitError):
    """429: too many requests or quota spent; ``retry_after`` holds the server's hint, if any."""


class MiMoWebSearchUnavailableError(
    mimo_client.WebSearchUnavailableError, ModelPermissionDeniedError
):
    """409: web search quota spent or the Web Search plugin off (not retryable)."""


class MiMoAPIError(mimo_client.ServerError, ModelAPIError):
    """5xx: the service failed or is overloaded."""


class MiMoTimeoutError(mimo_client.APITimeoutError, ModelTimeoutError):
    """The request timed out."""


class MiMoConnectionError(mimo_client.APIConnectionError, ModelConnectionError):
    """The service could not be reached, or the connection broke before a response."""


class MiMoStreamInterruptedError(mimo_client.StreamInterruptedError, ModelConnectionError):
    """A stream ended early; ``partial`` holds the assistant turn received so far."""


# Most specific first: ContextWindowExceededError is a BadRequestError.
_MAPPING: tuple[tuple[type[mimo_client.MiMoError], type[mimo_client.MiMoError]], ...] = (
    (mimo_client.ContextWindowExceededError, MiMoContextOverflowError),
    (mimo_client.BadRequestError, MiMoInvalidRequestError),
    (mimo_client.AuthenticationError, MiMoAuthenticationError),
    (mimo_client.InsufficientBalanceError, MiMoInsufficientBalanceError),
    (mimo_client.PermissionDeniedError, MiMoPermissionDeniedError),
    (mimo_client.NotFoundError, MiMoNotFoundError),
    (mimo_client.ContentFilterError, MiMoContentFilterError),
    (mimo_client.WebSearchUnavailableError, MiMoWebSearchUnavailableError),
    (mimo_client.RateLimitError, MiMoRateLimitError),
    (mimo_client.ServerError, MiMoAPIError),
    (mimo_client.APITimeoutError, MiMoTimeoutError),
    (mimo_client.StreamInterruptedError, MiMoStreamInterruptedError),
    (mimo_client.APIConnectionError, MiMoConnectionError),
)


def to_langchain_error(error: mimo_client.MiMoError) -> mimo_client.MiMoError:
    """Return ``error`` as the class that is also the matching LangChain error type.

    The new error carries the same message and attributes (status, code, param, body,
    headers, ``retry_after``, ``partial``); the caller raises it ``from`` the original.
    """
    if isinstance(error, ModelError):
        return error
    target: type[mimo_client.MiMoError] = MiMoModelError
    for core_cls, lc_cls in _MAPPING:
        if isinstance(error, core_cls):
            target = lc_cls
            break
    converted = copy.copy(error)  # the same message, args and attributes
    converted.__class__ = target  # the core class it was, plus the LangChain type
    return converted
