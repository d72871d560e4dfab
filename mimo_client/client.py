"""MiMoClient / AsyncMiMoClient: pooled httpx clients that send chat completions and streams."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from ._chat_stream import AsyncChatStream, ChatStream
from ._config import DEFAULT_MAX_CONNECTIONS, ClientConfig, limits, resolve_config
from ._responses import (
    decode_completion,
    encode_request,
    error_from_response,
    error_from_transport,
    retry_delay,
)
from ._retry import BASE_DELAY, parse_retry_after
from ._secret import SecretLike
from .errors import MiMoError
from .models import ServedModel
from .rate_limit import RateLimiter, Slot, check_limits, estimate_tokens, shared_limiter

__all__ = ["AsyncMiMoClient", "MiMoClient"]

logger = logging.getLogger("mimo_client")


def _completion_or_error(response: httpx.Response) -> dict[str, Any] | MiMoError:
    if 200 <= response.status_code < 300:
        return decode_completion(response.status_code, response.headers, response.content)
    return error_from_response(response.status_code, response.headers, response.content)


def _models_of(response: httpx.Response) -> list[dict[str, Any]]:
    outcome = _completion_or_error(response)
    if isinstance(outcome, MiMoError):
        raise outcome
    return list(outcome.get("data") or [])


class _ClientBase:
    """Settings shared by the sync and async clients."""

    config: ClientConfig
    retry_base_delay: float

    def _configure(
        self,
        api_key: str | SecretLike | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        allow_insecure_http: bool,
        retry_base_delay: float,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
    ) -> None:
        self.requests_per_minute = requests_per_minute
        self.tokens_per_minute = tokens_per_minute
        self.config = resolve_config(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
        )
        self.retry_base_delay = retry_base_delay
        check_limits(requests_per_minute, tokens_per_minute)

    def _limiter_for(self, body: bytes) -> tuple[RateLimiter, int] | None:
        """The process's limiter for this request's model and its token estimate, if limited."""
        if self.requests_per_minute is None and self.tokens_per_minute is None:
            return None
        request = json.loads(body)
        limiter = shared_limiter(
            self.config.api_key,
            self.config.base_url,
            str(request.get("model", "")),
            requests_per_minute=self.requests_per_minute,
            tokens_per_minute=self.tokens_per_minute,
        )
        return limiter, estimate_tokens(request, len(body))

    def _slot(self, body: bytes) -> contextlib.AbstractContextManager[Slot]:
        """The rate limiter's slot for one request (nothing to wait for when unlimited)."""
        found = self._limiter_for(body)
        return contextlib.nullcontext(Slot()) if found is None else found[0].slot(found[1])

    def _aslot(self, body: bytes) -> contextlib.AbstractAsyncContextManager[Slot]:
        """The async :meth:`_slot`: waits without blocking the event loop."""
        found = self._limiter_for(body)
        return contextlib.nullcontext(Slot()) if found is None else found[0].aslot(found[1])

    @property
    def _send_options(self) -> dict[str, Any]:
        return {"headers": self.config.headers, "follow_redirects": False}

    def _retry_or_raise(self, error: MiMoError, attempt: int) -> float:
        """Seconds to wait before retry ``attempt + 1``; raises ``error`` if it is final."""
        delay = retry_delay(error, attempt, self.config.max_retries, self.retry_base_delay)
        if delay is None:
            raise error
        limited = self.requests_per_minute or self.tokens_per_minute
        if error.status == 429 and limited and not parse_retry_after(error.headers):
            delay = 0.0  # the retry waits in the rate limiter's queue for its next slot
        logger.info("retrying in %.2fs after %s", delay, type(error).__name__)
        return delay

    @property
    def base_url(self) -> str:
        """The service's base URL (``.../v1``)."""
        return self.config.base_url

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.config.base_url!r}, "
            f"max_retries={self.config.max_retries}, api_key=**********)"
        )


class MiMoClient(_ClientBase):
    """A synchronous MiMo chat-completions client with one pooled connection set.

    Args:
        api_key: the key, or ``MIMO_API_KEY`` from the environment. Held as a secret.
        base_url: ``https://api.xiaomimimo.com/v1`` by default, or ``MIMO_BASE_URL``
            (Token Plan keys use ``https://token-plan-{cn,sgp,ams}.xiaomimimo.com/v1``).
        timeout: seconds (or an ``httpx.Timeout``) per request; 120 s by default.
        max_retries: retries of 429, 5xx, timeouts and connection errors (default 2).
        default_headers: extra headers sent with every request.
        http_client: an ``httpx.Client`` to use instead of the client's own (not closed by
            :meth:`close`); redirects are never followed with the key.
        allow_insecure_http: allow plain ``http://`` to a host that is not loopback.
        retry_base_delay: first backoff step in seconds (doubling, jittered, capped at 8 s).
        max_connections: requests in flight at once (default 128); the async client queues
            the rest itself, which stays fast with thousands waiting.
        requests_per_minute, tokens_per_minute: the account's limits for a model, held by a
            limiter shared with every client of this process with the same key, base URL and
            model (see :mod:`mimo_client.rate_limit`); off by default. A 429 then waits for
            the limiter's next slot instead of backing off.

    Example:
        >>> client = MiMoClient()  # doctest: +SKIP
        >>> request = build_request([{"role": "user", "content": "Hi"}], model="mimo-v2.6-pro")
        >>> client.create(request)["choices"][0]["message"]["content"]  # doctest: +SKIP

    """

    def __init__(
        self,
        *,
        api_key: str | SecretLike | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        allow_insecure_http: bool = False,
        retry_base_delay: float = BASE_DELAY,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
    ) -> None:
        self._configure(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            allow_insecure_http,
            retry_base_delay,
            requests_per_minute,
            tokens_per_minute,
        )
        self._owns_http = http_client is None
        self.http = http_client or httpx.Client(
            timeout=self.config.timeout, limits=limits(max_connections), follow_redirects=False
        )

    def create(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send a non-streamed chat completion and return the response JSON."""
        body = encode_request(request, stream=False)
        attempt = 0
        while True:
            with self._slot(body) as slot:
                try:
                    response = self.http.post(
                        self.config.chat_url, content=body, **self._send_options
                    )
                except httpx.HTTPError as exc:
                    outcome: dict[str, Any] | MiMoError = error_from_transport(exc)
                else:
                    outcome = _completion_or_error(response)
                slot.record(outcome)
            if isinstance(outcome, dict):
                return outcome
            time.sleep(self._retry_or_raise(outcome, attempt))
            attempt += 1

    def stream(
        self, request: Mapping[str, Any], *, max_tool_calls: int | None = None
    ) -> ChatStream:
        """Start a streamed chat completion; iterate the result for chunk dicts.

        ``max_tool_calls`` keeps only that many tool calls of the reply (see
        :func:`~mimo_client.wire.tool_call_limit`).
        """
        return ChatStream(self, encode_request(request, stream=True), max_tool_calls=max_tool_calls)

    def list_models(self) -> list[dict[str, Any]]:
        """``GET /models``: the models this key can use."""
        try:
            response = self.http.get(self.config.models_url, **self._send_options)
        except httpx.HTTPError as exc:
            raise error_from_transport(exc) from None
        return _models_of(response)

    def models(self) -> list[ServedModel]:
        """``GET /models``, typed: one :class:`~mimo_client.ServedModel` per model of this key."""
        return [ServedModel.from_json(entry) for entry in self.list_models()]

    def close(self) -> None:
        """Close the connection pool (unless it was passed in)."""
        if self._owns_http:
            self.http.close()

    def __enter__(self) -> MiMoClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncMiMoClient(_ClientBase):
    """The asyncio twin of :class:`MiMoClient`.

    Same arguments; ``http_client`` is an ``httpx.AsyncClient``.
    """

    def __init__(
        self,
        *,
        api_key: str | SecretLike | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        allow_insecure_http: bool = False,
        retry_base_delay: float = BASE_DELAY,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
    ) -> None:
        self._configure(
            api_key,
            base_url,
            timeout,
            max_retries,
            default_headers,
            allow_insecure_http,
            retry_base_delay,
            requests_per_minute,
            tokens_per_minute,
        )
        self._owns_http = http_client is None
        self.http = http_client or httpx.AsyncClient(
            timeout=self.config.timeout, limits=limits(max_connections), follow_redirects=False
        )
        self.slots = asyncio.Semaphore(max_connections)

    async def create(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send a non-streamed chat completion and return the response JSON."""
        body = encode_request(request, stream=False)
        attempt = 0
        while True:
            # A connection first, then the rate slot: the request leaves as soon as it is let
            # through (the limiter allows it only a short margin to reach the service).
            async with self.slots, self._aslot(body) as slot:
                try:
                    response = await self.http.post(
                        self.config.chat_url, content=body, **self._send_options
                    )
                except httpx.HTTPError as exc:
                    outcome: dict[str, Any] | MiMoError = error_from_transport(exc)
                else:
                    outcome = _completion_or_error(response)
                slot.record(outcome)
            if isinstance(outcome, dict):
                return outcome
            await asyncio.sleep(self._retry_or_raise(outcome, attempt))
            attempt += 1

    def stream(
        self, request: Mapping[str, Any], *, max_tool_calls: int | None = None
    ) -> AsyncChatStream:
        """Start a streamed chat completion; ``async for`` the result for chunk dicts."""
        return AsyncChatStream(
            self, encode_request(request, stream=True), max_tool_calls=max_tool_calls
        )

    async def list_models(self) -> list[dict[str, Any]]:
        """``GET /models``: the models this key can use."""
        try:
            response = await self.http.get(self.config.models_url, **self._send_options)
        except httpx.HTTPError as exc:
            raise error_from_transport(exc) from None
        return _models_of(response)

    async def models(self) -> list[ServedModel]:
        """``GET /models``, typed: one :class:`~mimo_client.ServedModel` per model of this key."""
        return [ServedModel.from_json(entry) for entry in await self.list_models()]

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in)."""
        if self._owns_http:
            await self.http.aclose()

    async def __aenter__(self) -> AsyncMiMoClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
