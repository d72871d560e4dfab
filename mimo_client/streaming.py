"""ChatStream / AsyncChatStream: reading one streamed chat completion.

A stream is opened lazily (on first iteration) and retried, by the client's
:class:`~mimo_client._retry.RetryPolicy`, until its first event reaches the caller; after
that a failure raises with the partial turn. Its own file, beside ``client.py``: the client
sends a request and retries it; this reads a reply that arrives piece by piece (events ->
chunk dicts -> deltas), and decides how it ended (finished, cut short, timed out).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from ._deadline import Deadline, SocketAlarm, aread_capped, read_capped
from ._retry import RetryPolicy
from ._sse import DONE, SSEDecoder
from .errors import MiMoError, error_from_transport, interrupted, not_an_event_stream
from .types import AssistantTurn, StreamAccumulator, StreamDelta, decode_chunk

if TYPE_CHECKING:
    from .client import AsyncMiMoClient, MiMoClient

__all__ = ["AsyncChatStream", "ChatStream"]


def _drain(chunks: Iterator[bytes], deadline: Deadline) -> None:
    # Read the body's end (the chunked terminator) so the connection goes back to the pool;
    # httpx closes a connection whose response was not read to the end (as it does one that
    # goes on sending after [DONE] until the deadline).
    with contextlib.suppress(httpx.HTTPError):
        for _ in chunks:
            if deadline.expired():
                return


async def _adrain(chunks: AsyncIterator[bytes], deadline: Deadline) -> None:
    with contextlib.suppress(httpx.HTTPError, asyncio.TimeoutError):
        while await deadline.run(anext(chunks, b"")):
            pass


def _after_output(error: MiMoError, state: _StreamState) -> MiMoError:
    # An SSE `error` event in the body: the typed error keeps the turn so far.
    if error.partial is None:
        error.partial = state.accumulator.turn()
    return error


def _read_failure(exc: httpx.HTTPError, state: _StreamState, deadline: Deadline) -> MiMoError:
    if deadline.expired():
        return deadline.error(state.accumulator.turn())
    return interrupted(state.accumulator.turn(), f"{type(exc).__name__}: {exc}")


def _send_failure(exc: httpx.HTTPError, state: _StreamState, deadline: Deadline) -> MiMoError:
    if deadline.expired():
        return deadline.error(state.accumulator.turn())
    return error_from_transport(exc)


def _total_tokens(state: _StreamState) -> int | None:
    usage = state.accumulator.usage
    return usage.total_tokens if usage is not None else None


def _is_event_stream(response: httpx.Response) -> bool:
    # A missing content-type is given the benefit of the doubt; anything else must say SSE.
    kind = response.headers.get("content-type")
    return kind is None or "event-stream" in kind


class _StreamState:
    """What both stream flavours keep: the accumulator and how the stream ended."""

    __slots__ = ("accumulator", "done", "finished", "headers", "status")

    def __init__(self, max_tool_calls: int | None) -> None:
        self.accumulator = StreamAccumulator(max_tool_calls=max_tool_calls)
        self.done = False  # saw [DONE]
        self.finished = False  # ended normally
        self.status = 0
        self.headers = httpx.Headers()

    def end_of_body(self) -> None:
        """At EOF: finished if [DONE] or a finish_reason came, else the stream was cut."""
        if not self.done and self.accumulator.finish_reason is None:
            raise interrupted(
                self.accumulator.turn(), "the body ended without a finish_reason or [DONE]"
            )
        self.finished = True


class ChatStream:
    """A streamed chat completion. Iterate for chunk dicts, or :meth:`deltas` for parsed deltas.

    The request is sent on first iteration. Failures before the first event are retried like
    any call; after that a failure raises :class:`~mimo_client.StreamInterruptedError` with
    the partial turn. :attr:`turn` is the assembled turn (complete once the stream ended).
    Use as a context manager, or iterate to the end, to release the connection.
    """

    def __init__(
        self,
        client: MiMoClient,
        body: bytes,
        *,
        max_tool_calls: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._client = client
        self._retry = client.retry_policy if retry is None else retry
        self._body = body
        self._max_tool_calls = max_tool_calls
        self._state = _StreamState(self._max_tool_calls)
        self._response: httpx.Response | None = None
        self._iterator: Generator[StreamDelta, None, None] | None = None
        self._deadline = Deadline(client.config.total_timeout)

    @property
    def turn(self) -> AssistantTurn:
        """The assistant turn received so far (the whole turn once the stream has ended)."""
        return self._state.accumulator.turn()

    @property
    def finished(self) -> bool:
        """Whether the stream ended normally."""
        return self._state.finished

    @property
    def accumulator(self) -> StreamAccumulator:
        """The live accumulator (its ``tool_calls()`` joins the calls' arguments, not the text)."""
        return self._state.accumulator

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for delta in self.deltas():
            yield delta.chunk

    def deltas(self) -> Iterator[StreamDelta]:
        """Iterate the parsed deltas; the turn accumulates as they pass."""
        if self._iterator is None:
            self._iterator = self._open()
        return self._iterator

    def _open(self) -> Generator[StreamDelta, None, None]:
        client = self._client
        self._deadline = deadline = client.deadline()  # from the first iteration on
        attempt = 0
        while True:
            try:
                events = self._events()
                first = next(events, None)
                break
            except MiMoError as error:
                if self._response is not None:
                    self._response.close()
                time.sleep(self._retry.before_first_event(error, attempt, deadline))
                attempt += 1
                self._state = _StreamState(self._max_tool_calls)
        if first is None:
            return
        yield first
        yield from events

    def _events(self) -> Iterator[StreamDelta]:
        with self._client.limiter_slot(self._body) as slot:  # waits when rate-limited
            yield from self._exchange()
            slot.tokens = _total_tokens(self._state)

    def _exchange(self) -> Iterator[StreamDelta]:
        client = self._client
        state = self._state
        deadline = self._deadline
        request = client.http_request("POST", client.config.chat_url, self._body, deadline)
        failure: MiMoError | None = None
        try:
            # Never a redirect, whatever http_client was passed: it would carry the headers.
            response = self._response = client.http.send(
                request, stream=True, follow_redirects=False
            )
        except httpx.HTTPError as exc:
            failure = _send_failure(exc, state, deadline)
        if failure is not None:
            raise failure  # outside the handler: the httpx error holds the request's headers
        alarm = SocketAlarm(response, deadline)
        try:
            state.status = response.status_code
            state.headers = response.headers
            if not 200 <= response.status_code < 300:
                body = read_capped(response, deadline)
                raise client.error_from_response(response.status_code, response.headers, body)
            if not _is_event_stream(response):
                body = client.config.scrub(read_capped(response, deadline))
                raise not_an_event_stream(response.status_code, response.headers, body)
            add = state.accumulator.add
            decoder = SSEDecoder()
            try:
                chunks = response.iter_bytes()
                for raw in chunks:
                    for data in decoder.feed(raw):
                        if data == DONE:
                            state.done = True
                            state.finished = True
                            _drain(chunks, deadline)
                            return
                        yield add(decode_chunk(data, state.status, state.headers))
                    if deadline.expired():  # between reads: a trickle or an endless stream
                        failure = deadline.error(state.accumulator.turn())
                        break
                else:
                    for data in decoder.flush():
                        if data == DONE:
                            state.done = True
                            break
                        yield add(decode_chunk(data, state.status, state.headers))
            except httpx.HTTPError as exc:
                failure = _read_failure(exc, state, deadline)
            except ValueError as exc:  # a malformed event: the rest of the stream cannot be trusted
                failure = interrupted(state.accumulator.turn(), str(exc))
            except MiMoError as error:  # an SSE `error` event
                failure = _after_output(error, state)
        finally:
            alarm.cancel()
            response.close()
        if failure is not None:
            raise failure
        state.end_of_body()

    def close(self) -> None:
        """Release the connection (the stream cannot be read after this)."""
        if self._iterator is not None:
            self._iterator.close()
        if self._response is not None:
            self._response.close()

    def __enter__(self) -> ChatStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncChatStream:
    """The async twin of :class:`ChatStream` (``async for``, ``async with``)."""

    def __init__(
        self,
        client: AsyncMiMoClient,
        body: bytes,
        *,
        max_tool_calls: int | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._client = client
        self._retry = client.retry_policy if retry is None else retry
        self._body = body
        self._max_tool_calls = max_tool_calls
        self._state = _StreamState(self._max_tool_calls)
        self._response: httpx.Response | None = None
        self._iterator: AsyncGenerator[StreamDelta, None] | None = None
        self._deadline = Deadline(client.config.total_timeout)

    @property
    def turn(self) -> AssistantTurn:
        """The assistant turn received so far (the whole turn once the stream has ended)."""
        return self._state.accumulator.turn()

    @property
    def finished(self) -> bool:
        """Whether the stream ended normally."""
        return self._state.finished

    @property
    def accumulator(self) -> StreamAccumulator:
        """The live accumulator (its ``tool_calls()`` joins the calls' arguments, not the text)."""
        return self._state.accumulator

    async def __aiter__(self) -> AsyncIterator[dict[str, Any]]:
        async for delta in self.deltas():
            yield delta.chunk

    def deltas(self) -> AsyncIterator[StreamDelta]:
        """Iterate the parsed deltas; the turn accumulates as they pass."""
        if self._iterator is None:
            self._iterator = self._open()
        return self._iterator

    async def _open(self) -> AsyncGenerator[StreamDelta, None]:
        client = self._client
        self._deadline = deadline = client.deadline()  # from the first iteration on
        attempt = 0
        while True:
            events = self._events()
            try:
                first = await anext(events, None)
                break
            except MiMoError as error:
                if self._response is not None:
                    await self._response.aclose()
                await asyncio.sleep(self._retry.before_first_event(error, attempt, deadline))
                attempt += 1
                self._state = _StreamState(self._max_tool_calls)
        if first is None:
            return
        try:
            yield first
            async for delta in events:
                yield delta
        finally:
            await events.aclose()  # runs its cleanup now (connection, slot), not at GC

    async def _events(self) -> AsyncGenerator[StreamDelta, None]:
        async with self._client.limiter_slot(self._body) as slot:  # waits when rate-limited
            exchange = self._exchange()
            try:
                async for delta in exchange:
                    yield delta
            finally:
                await exchange.aclose()
            slot.tokens = _total_tokens(self._state)

    async def _exchange(self) -> AsyncGenerator[StreamDelta, None]:
        client = self._client
        state = self._state
        deadline = self._deadline
        http = client.http
        request = client.http_request("POST", client.config.chat_url, self._body, deadline)
        failure: MiMoError | None = None
        # Hold one of the client's slots for the whole exchange (see AsyncMiMoClient).
        try:
            await deadline.run(client.slots.acquire())
        except asyncio.TimeoutError:
            failure = deadline.error(state.accumulator.turn())
        if failure is not None:
            raise failure
        try:
            try:
                # Never a redirect, whatever http_client was passed: it would carry the headers.
                response = self._response = await deadline.run(
                    http.send(request, stream=True, follow_redirects=False)
                )
            except asyncio.TimeoutError:
                failure = deadline.error(state.accumulator.turn())
            except httpx.HTTPError as exc:
                failure = _send_failure(exc, state, deadline)
            if failure is not None:
                raise failure  # outside the handler: the httpx error holds the request's headers
            try:
                state.status = response.status_code
                state.headers = response.headers
                if not 200 <= response.status_code < 300:
                    body = await aread_capped(response, deadline)
                    raise client.error_from_response(response.status_code, response.headers, body)
                if not _is_event_stream(response):
                    body = client.config.scrub(await aread_capped(response, deadline))
                    raise not_an_event_stream(response.status_code, response.headers, body)
                add = state.accumulator.add
                decoder = SSEDecoder()
                alarm = SocketAlarm(response, deadline, asyncio.get_running_loop())
                try:
                    chunks = response.aiter_bytes()
                    async for raw in chunks:
                        for data in decoder.feed(raw):
                            if data == DONE:
                                state.done = True
                                state.finished = True
                                await _adrain(chunks, deadline)
                                return
                            yield add(decode_chunk(data, state.status, state.headers))
                        if deadline.expired():  # a consumer or a stream slower than the bound
                            failure = deadline.error(state.accumulator.turn())
                            break
                    else:
                        for data in decoder.flush():
                            if data == DONE:
                                state.done = True
                                break
                            yield add(decode_chunk(data, state.status, state.headers))
                except httpx.HTTPError as exc:
                    failure = _read_failure(exc, state, deadline)
                except ValueError as exc:  # a malformed event: the rest cannot be trusted
                    failure = interrupted(state.accumulator.turn(), str(exc))
                except MiMoError as error:  # an SSE `error` event
                    failure = _after_output(error, state)
                finally:
                    alarm.cancel()
            finally:
                await response.aclose()
            if failure is not None:
                raise failure
            state.end_of_body()
        finally:
            client.slots.release()

    async def aclose(self) -> None:
        """Release the connection (the stream cannot be read after this)."""
        if self._iterator is not None:
            await self._iterator.aclose()
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> AsyncChatStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
