"""MiMoClient / AsyncMiMoClient: pooled httpx clients that send chat completions and streams."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from ._config import DEFAULT_MAX_CONNECTIONS, ClientConfig, limits, resolve_config
from ._deadline import Deadline, SocketAlarm, aread_capped, read_capped
from ._process import close_at_exit, current_pid, keep_inherited
from ._retry import BASE_DELAY, RetryPolicy
from ._secret import SecretLike
from .errors import MiMoError, error_from_response, error_from_transport
from .models import ServedModel
from .rate_limit import RateLimiter, Slot, check_limits, estimate_tokens, shared_limiter
from .request import encode_request
from .streaming import AsyncChatStream, ChatStream
from .types import decode_completion

__all__ = ["AsyncMiMoClient", "MiMoClient"]


def _models_of(outcome: dict[str, Any] | MiMoError) -> list[dict[str, Any]]:
    if isinstance(outcome, MiMoError):
        raise outcome
    return list(outcome.get("data") or [])


class _ClientBase:
    """Settings shared by the sync and async clients."""

    config: ClientConfig
    retry_base_delay: float
    _owns_http: bool
    _pid: int

    def _configure(
        self,
        api_key: str | SecretLike | None,
        base_url: str | None,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        default_headers: Mapping[str, str] | None,
        allow_insecure_http: bool,
        retry_base_delay: float,
        total_timeout: float | None,
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
            total_timeout=total_timeout,
        )
        self.retry_base_delay = retry_base_delay
        self._pid = current_pid()
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

    def _forked(self) -> bool:
        """Whether this is a child process of the one that made the client's own pool."""
        return self._owns_http and self._pid != current_pid()

    def deadline(self) -> Deadline:
        """A new deadline for one call or stream (``total_timeout`` from now)."""
        return Deadline(self.config.total_timeout)

    def http_request(
        self, method: str, url: str, content: bytes | None, deadline: Deadline
    ) -> httpx.Request:
        """The httpx request of one attempt: the client's headers, timeouts capped at the time left.

        (:func:`~mimo_client.build_request` builds the JSON body; this wraps encoded bytes.)
        """
        http: httpx.Client | httpx.AsyncClient = self.http  # type: ignore[attr-defined]
        return http.build_request(
            method,
            url,
            content=content,
            headers=self.config.headers,
            timeout=deadline.timeout(self.config.timeout),
        )

    def error_from_response(self, status: int, headers: httpx.Headers, body: bytes) -> MiMoError:
        """The typed error for a non-2xx answer, the client's own secrets masked in it."""
        scrub = self.config.scrub
        clean = httpx.Headers(
            [(name, scrub(value)) for name, value in headers.raw]  # bytes in, bytes out
        )
        return error_from_response(status, clean, scrub(body))

    def outcome(
        self, status: int, headers: httpx.Headers, body: bytes
    ) -> dict[str, Any] | MiMoError:
        """The completion of a 2xx answer, or the typed error of any other."""
        if 200 <= status < 300:
            return decode_completion(status, headers, body)
        return self.error_from_response(status, headers, body)

    @property
    def retry_policy(self) -> RetryPolicy:
        """The retry policy of this client's calls and streams, from its current settings."""
        return RetryPolicy(
            self.config.max_retries,
            self.retry_base_delay,
            rate_limited=bool(self.requests_per_minute or self.tokens_per_minute),
        )

    @property
    def base_url(self) -> str:
        """The service's base URL (``.../v1``)."""
        return self.config.base_url

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.config.base_url!r}, "
            f"max_retries={self.config.max_retries}, api_key=**********)"
        )


def _transport_error(exc: httpx.HTTPError, deadline: Deadline) -> MiMoError:
    # Returned, not raised, by the caller's `except`: the caller raises it outside the
    # handler, so that the httpx error (whose request holds the key) is not its __context__.
    return deadline.error() if deadline.expired() else error_from_transport(exc)


class MiMoClient(_ClientBase):
    """A synchronous MiMo chat-completions client with one pooled connection set.

    Args:
        api_key: the key, or ``MIMO_API_KEY`` from the environment. Held as a secret.
        base_url: ``https://api.xiaomimimo.com/v1`` by default, or ``MIMO_BASE_URL``
            (Token Plan keys use ``https://token-plan-{cn,sgp,ams}.xiaomimimo.com/v1``).
        timeout: seconds (or an ``httpx.Timeout``) each socket operation may take: the
            connection (at most 10 s), each read, each write; 120 s by default. It does not
            bound a whole call: ``total_timeout`` does.
        total_timeout: seconds a whole call may take, retries and backoff included, or a
            whole stream from its first iteration to its end; 600 s by default,
            ``math.inf`` for no bound. On expiry: :class:`~mimo_client.APITimeoutError`
            (with ``.partial`` for a stream), the connection closed.
        max_retries: retries of 408, 429, 500, 502, 503, 504, timeouts and connection errors
            (default 2).
        default_headers: extra headers sent with every request.
        http_client: an ``httpx.Client`` to use instead of the client's own (not closed by
            :meth:`close`, not replaced in a child process after ``os.fork()``); redirects
            are never followed with the key.
        allow_insecure_http: allow plain ``http://`` to a host that is not loopback.
        retry_base_delay: first backoff step in seconds (doubling, jittered, capped at 8 s).
        max_connections: connections open at once (None: 64); the async client queues
            further requests itself.
        requests_per_minute, tokens_per_minute: the account's limits for a model, held by a
            limiter shared with every client of this process with the same key, base URL and
            model (see :mod:`mimo_client.rate_limit`); off by default. A 429 then waits for
            the limiter's next slot instead of backing off.

    The client's own connection pool is fork-safe: in a child made by ``os.fork()`` it
    opens connections of its own instead of reading the parent's sockets.

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
        max_connections: int | None = None,
        total_timeout: float | None = None,
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
            total_timeout,
            requests_per_minute,
            tokens_per_minute,
        )
        self._max_connections = max_connections or DEFAULT_MAX_CONNECTIONS
        self._owns_http = http_client is None
        self._http = http_client or self._new_http()
        if self._owns_http:
            close_at_exit(self)

    def limiter_slot(self, body: bytes) -> contextlib.AbstractContextManager[Slot]:
        """The rate limiter's slot for one request body (nothing to wait for when unlimited).

        Entering waits for the request and token budget; set ``slot.tokens`` to the tokens
        the reply used before leaving. The client's calls and its streams both take one.
        """
        found = self._limiter_for(body)
        return contextlib.nullcontext(Slot()) if found is None else found[0].slot(found[1])

    def _new_http(self) -> httpx.Client:
        return httpx.Client(
            timeout=self.config.timeout,
            limits=limits(self._max_connections),
            follow_redirects=False,
        )

    @property
    def http(self) -> httpx.Client:
        """The httpx client (a new one of its own in a child process after ``os.fork()``)."""
        if self._forked():
            keep_inherited(self._http)  # the parent's sockets: never read, closed or collected
            self._http = self._new_http()
            self._pid = current_pid()
        return self._http

    def _send(
        self, method: str, url: str, content: bytes | None, deadline: Deadline
    ) -> dict[str, Any] | MiMoError:
        """One attempt: the completion, or the error to raise or retry."""
        request = self.http_request(method, url, content, deadline)
        try:
            response = self.http.send(request, stream=True, follow_redirects=False)
        except httpx.HTTPError as exc:
            return _transport_error(exc, deadline)
        alarm = SocketAlarm(response, deadline)
        try:
            if 200 <= response.status_code < 300:
                parts = []
                for part in response.iter_bytes():
                    parts.append(part)
                    deadline.check()
                body = b"".join(parts)
            else:
                body = read_capped(response, deadline)
        except httpx.HTTPError as exc:
            return _transport_error(exc, deadline)
        finally:
            alarm.cancel()
            response.close()
        return self.outcome(response.status_code, response.headers, body)

    def create(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send a non-streamed chat completion and return the response JSON."""
        body = encode_request(request, stream=False)
        deadline = self.deadline()
        retry = self.retry_policy
        attempt = 0
        while True:
            with self.limiter_slot(body) as slot:
                outcome = self._send("POST", self.config.chat_url, body, deadline)
                slot.record(outcome)
            if isinstance(outcome, dict):
                return outcome
            time.sleep(retry.delay(outcome, attempt, deadline))
            attempt += 1

    def stream(
        self, request: Mapping[str, Any], *, max_tool_calls: int | None = None
    ) -> ChatStream:
        """Start a streamed chat completion; iterate the result for chunk dicts.

        ``max_tool_calls`` keeps only that many tool calls of the reply (see
        :func:`~mimo_client.integration.tool_call_limit`).
        """
        return ChatStream(
            self,
            encode_request(request, stream=True),
            max_tool_calls=max_tool_calls,
            retry=self.retry_policy,
        )

    def list_models(self) -> list[dict[str, Any]]:
        """``GET /models``: the models this key can use."""
        return _models_of(self._send("GET", self.config.models_url, None, self.deadline()))

    def models(self) -> list[ServedModel]:
        """``GET /models``, typed: one :class:`~mimo_client.ServedModel` per model of this key."""
        return [ServedModel.from_json(entry) for entry in self.list_models()]

    def close(self) -> None:
        """Close the connection pool (unless it was passed in)."""
        if self._owns_http and not self._forked():
            self._http.close()

    def __del__(self) -> None:
        # Close the sockets now rather than leave them to the GC and its ResourceWarnings.
        # (A stream holds its client, so nothing in use is closed here.)
        if getattr(self, "_owns_http", False) and not self._forked():
            self._http.close()

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

    Same arguments; ``http_client`` is an ``httpx.AsyncClient``. Requests beyond
    ``max_connections`` wait in the client's own queue (``slots``).
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
        max_connections: int | None = None,
        total_timeout: float | None = None,
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
            total_timeout,
            requests_per_minute,
            tokens_per_minute,
        )
        self._max_connections = max_connections or DEFAULT_MAX_CONNECTIONS
        self._owns_http = http_client is None
        self._http = http_client or self._new_http()
        self.slots = asyncio.Semaphore(self._max_connections)
        #: Set by a :class:`~mimo_client.ClientPool`: what closes this client on its loop.
        self.loop_closer: object | None = None

    def limiter_slot(self, body: bytes) -> contextlib.AbstractAsyncContextManager[Slot]:
        """The async :meth:`MiMoClient.limiter_slot`: waits without blocking the event loop."""
        found = self._limiter_for(body)
        return contextlib.nullcontext(Slot()) if found is None else found[0].aslot(found[1])

    def _new_http(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            timeout=self.config.timeout,
            limits=limits(self._max_connections),
            follow_redirects=False,
        )

    @property
    def http(self) -> httpx.AsyncClient:
        """The httpx client (a new one of its own in a child process after ``os.fork()``)."""
        if self._forked():
            keep_inherited(self._http)  # the parent's sockets: never read, closed or collected
            self._http = self._new_http()
            self.slots = asyncio.Semaphore(self._max_connections)
            self._pid = current_pid()
        return self._http

    async def _send(
        self, method: str, url: str, content: bytes | None, deadline: Deadline
    ) -> dict[str, Any] | MiMoError:
        """One attempt: the completion, or the error to raise or retry."""
        http = self.http
        request = self.http_request(method, url, content, deadline)
        try:
            await deadline.run(self.slots.acquire())
        except asyncio.TimeoutError:
            return deadline.error()
        try:
            try:
                response = await deadline.run(
                    http.send(request, stream=True, follow_redirects=False)
                )
            except asyncio.TimeoutError:
                return deadline.error()
            except httpx.HTTPError as exc:
                return _transport_error(exc, deadline)
            try:
                if 200 <= response.status_code < 300:
                    body = await deadline.run(response.aread())
                else:
                    body = await aread_capped(response, deadline)
            except asyncio.TimeoutError:
                return deadline.error()
            except httpx.HTTPError as exc:
                return _transport_error(exc, deadline)
            finally:
                await response.aclose()
        finally:
            self.slots.release()
        return self.outcome(response.status_code, response.headers, body)

    async def create(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send a non-streamed chat completion and return the response JSON."""
        body = encode_request(request, stream=False)
        deadline = self.deadline()
        retry = self.retry_policy
        attempt = 0
        while True:
            async with self.limiter_slot(body) as slot:
                outcome = await self._send("POST", self.config.chat_url, body, deadline)
                slot.record(outcome)
            if isinstance(outcome, dict):
                return outcome
            await asyncio.sleep(retry.delay(outcome, attempt, deadline))
            attempt += 1

    def stream(
        self, request: Mapping[str, Any], *, max_tool_calls: int | None = None
    ) -> AsyncChatStream:
        """Start a streamed chat completion; ``async for`` the result for chunk dicts."""
        return AsyncChatStream(
            self,
            encode_request(request, stream=True),
            max_tool_calls=max_tool_calls,
            retry=self.retry_policy,
        )

    async def list_models(self) -> list[dict[str, Any]]:
        """``GET /models``: the models this key can use."""
        return _models_of(await self._send("GET", self.config.models_url, None, self.deadline()))

    async def models(self) -> list[ServedModel]:
        """``GET /models``, typed: one :class:`~mimo_client.ServedModel` per model of this key."""
        return [ServedModel.from_json(entry) for entry in await self.list_models()]

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in)."""
        if self._owns_http and not self._forked():
            await self._http.aclose()

    async def __aenter__(self) -> AsyncMiMoClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
