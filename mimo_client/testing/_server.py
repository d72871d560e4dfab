"""MiMoEmulator: the loopback HTTP server, its thread, auth, recording and request dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from ..models import KNOWN_MODELS
from ._auto import auto_reply
from ._http import MAX_HEAD, HttpParseError, HttpRequest, read_request
from ._plan import PrefixCache
from ._rate_limit import EmulatedRateLimit
from ._real import INVALID_KEY_401, rejection_body
from ._render import dumps
from ._reply import Reply, error_object
from ._responder import send, send_error, send_reply, simple_response
from ._rules import check_request
from ._web_search import QUOTA_EXHAUSTED, web_search_tool_of

DEFAULT_MODELS = tuple(name for name, info in KNOWN_MODELS.items() if not info.retired)
"""The ids ``GET /v1/models`` lists by default: the table's served models."""
RETIRED_MODELS = tuple(name for name, info in KNOWN_MODELS.items() if info.retired)
"""The ids answered 400 "Not supported model <id>" by default: the table's retired models."""
_SECRET_HEADERS = frozenset({"api-key", "authorization"})


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the emulator received.

    ``headers`` has lower-cased names; ``body`` is the parsed JSON body (None if the body was
    empty or not JSON); ``raw_body`` the bytes as received; ``received_at`` the ``time.time()``
    when the request was read. The repr hides credentials.
    """

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any
    raw_body: bytes
    received_at: float

    def __repr__(self) -> str:
        shown = {k: ("***" if k in _SECRET_HEADERS else v) for k, v in self.headers.items()}
        return (
            f"RecordedRequest(method={self.method!r}, path={self.path!r}, headers={shown!r}, "
            f"body={self.body!r})"
        )


class MiMoEmulator:
    """A loopback MiMo chat-completions server in a background thread (see the package docs).

    ``MiMoEmulator(*, host="127.0.0.1", port=0, api_key=None, models=DEFAULT_MODELS,
    retired_models=RETIRED_MODELS, default_reply=None, enforce_rules=True,
    strict_parameters=True, web_search_quota=None, requests_per_minute=None,
    tokens_per_minute=None, window_seconds=60.0)``. ``port=0`` picks a free port;
    ``api_key=None`` makes a random ``sk-emu-...`` key; ``retired_models`` (the table's retired
    ids by default) answer 400 "Not supported model <id>"; ``default_reply`` (when set) answers
    every unscripted request instead of the automatic rules: a :class:`Reply`, or a function
    of the request body returning a ``Reply`` (or None for the automatic reply), e.g. to
    answer by what the last message asks; ``enforce_rules=False`` turns the
    service's 400 checks off; ``strict_parameters=False`` accepts top-level parameters the
    service does not document (the service answers them 400); ``web_search_quota`` lets that
    many requests with the web_search tool through, then answers 409 (None: no limit; settable
    while running); ``requests_per_minute``/``tokens_per_minute`` (off by default) answer 429
    past the limit, over a sliding ``window_seconds`` (60; less time-scales a test);
    ``emu.rate_limit`` (an :class:`EmulatedRateLimit`) counts what it admitted and rejected.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        models: Iterable[str] = DEFAULT_MODELS,
        retired_models: Collection[str] = RETIRED_MODELS,
        default_reply: Reply | Callable[[Any], Reply | None] | None = None,
        enforce_rules: bool = True,
        strict_parameters: bool = True,
        web_search_quota: int | None = None,
        requests_per_minute: int | None = None,
        tokens_per_minute: int | None = None,
        window_seconds: float = 60.0,
    ) -> None:
        self.host = host
        self.api_key: str = api_key or f"sk-emu-{secrets.token_hex(12)}"
        self.models: list[str] = list(models)
        self.retired_models: frozenset[str] = frozenset(retired_models)
        self.default_reply: Reply | Callable[[Any], Reply | None] | None = default_reply
        self.enforce_rules = enforce_rules
        self.strict_parameters = strict_parameters
        #: Requests with the web_search tool let through before 409 (None: no limit).
        self.web_search_quota = web_search_quota
        self.rate_limit: EmulatedRateLimit | None = None
        if requests_per_minute is not None or tokens_per_minute is not None:
            self.rate_limit = EmulatedRateLimit(
                requests_per_minute, tokens_per_minute, window_seconds=window_seconds
            )
        self.requests: list[RecordedRequest] = []
        self.connections_accepted = 0
        self._port = port
        self._script: deque[Reply] = deque()
        self._script_lock = threading.Lock()
        self._cache = PrefixCache()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- public surface -------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The TCP port (the real one once started)."""
        return self._port

    @property
    def base_url(self) -> str:
        """The base URL to give a client: ``http://127.0.0.1:PORT/v1``."""
        return f"http://{self.host}:{self._port}/v1"

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._thread is not None and self._thread.is_alive()

    def script(self, *replies: Reply) -> None:
        """Queue replies; each chat-completions request that passes the rules takes the next."""
        with self._script_lock:
            self._script.extend(replies)

    @property
    def pending(self) -> int:
        """How many scripted replies are still queued."""
        return len(self._script)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The recorded ``POST /v1/chat/completions`` requests, in order."""
        return [r for r in self.requests if r.path == "/v1/chat/completions"]

    @property
    def last_request(self) -> RecordedRequest | None:
        """The most recent recorded request, or None."""
        return self.requests[-1] if self.requests else None

    def reset(self) -> None:
        """Forget the script, recorded requests, connection count, prefix cache and rate window."""
        with self._script_lock:
            self._script.clear()
        self.requests.clear()
        self.connections_accepted = 0
        self._cache = PrefixCache()
        if self.rate_limit is not None:
            self.rate_limit.reset()

    def start(self) -> MiMoEmulator:
        """Start serving (returns once the port is bound). Returns self."""
        if self.running:
            return self
        self._ready.clear()
        self._startup_error = None
        self._thread = threading.Thread(target=self._run, name="mimo-emulator", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise RuntimeError("MiMo emulator failed to start") from self._startup_error
        return self

    def stop(self) -> None:
        """Stop serving: close the listener and every open connection, join the thread."""
        thread, loop, stopping = self._thread, self._loop, self._stopping
        if thread is None:
            return
        if loop is not None and stopping is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop may close in between
                loop.call_soon_threadsafe(stopping.set)
        thread.join(timeout=30)
        self._thread = None

    def __enter__(self) -> MiMoEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> MiMoEmulator:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"MiMoEmulator(base_url={self.base_url!r}, {state})"

    # --- server thread --------------------------------------------------------------------------

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:  # surfaced to start()
            self._startup_error = exc
        finally:
            self._ready.set()
            loop.close()

    async def _main(self) -> None:
        self._stopping = asyncio.Event()
        server = await asyncio.start_server(
            self._handle, self.host, self._port, backlog=4096, limit=MAX_HEAD
        )
        self._port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            await self._stopping.wait()
        finally:
            server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections_accepted += 1
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        sock = writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            while True:
                request = await read_request(reader)
                if request is None or not await self._respond(request, writer):
                    break
        except HttpParseError:
            writer.write(simple_response(400, b"malformed request", keep_alive=False))
        except (ConnectionError, asyncio.CancelledError):
            writer.transport.abort()
        finally:
            if task is not None:
                self._tasks.discard(task)
            writer.close()

    # --- dispatch -------------------------------------------------------------------------------

    async def _respond(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        path = request.path.split("?", 1)[0]
        body: Any = None
        if request.body:
            try:
                body = json.loads(request.body)
            except ValueError:
                body = None
        self.requests.append(
            RecordedRequest(request.method, path, request.headers, body, request.body, time.time())
        )
        keep = request.keep_alive
        if path not in ("/v1/chat/completions", "/v1/models"):
            return await send_error(writer, 404, error_object(404), keep)
        wanted = "GET" if path == "/v1/models" else "POST"
        if request.method != wanted:
            return await send_error(writer, 405, error_object(405, "Method Not Allowed"), keep)
        if not self._authorized(request.headers):
            return await send(writer, 401, INVALID_KEY_401, "application/json", keep)
        if path == "/v1/models":
            data = [{"id": m, "object": "model", "owned_by": "xiaomi"} for m in self.models]
            payload = dumps({"object": "list", "data": data}).encode()
            return await send(writer, 200, payload, "application/json", keep)
        stream = isinstance(body, dict) and body.get("stream") is True
        if body is None:
            reason: str | None = "The request body is not valid JSON"
        elif self.enforce_rules:
            reason = check_request(
                body, self.retired_models, strict_parameters=self.strict_parameters
            )
        else:
            reason = None
        if reason is not None:
            payload = rejection_body(reason)
            if stream:  # the service frames it as an SSE event on a streaming request
                framed = b"data:" + payload + b"\n\n"
                return await send(writer, 400, framed, "text/event-stream", keep)
            return await send(writer, 400, payload, "application/json", keep)
        charge = None
        if self.rate_limit is not None:
            charge = self.rate_limit.admit()
            if charge is None:
                return await send_error(writer, 429, error_object(429), keep)
        if self.web_search_quota is not None and web_search_tool_of(body) is not None:
            if self.web_search_quota <= 0:
                return await send_error(writer, 409, error_object(409, QUOTA_EXHAUSTED), keep)
            self.web_search_quota -= 1
        with self._script_lock:
            reply = self._script.popleft() if self._script else None
        if reply is None and self.default_reply is not None:
            default = self.default_reply
            reply = default if isinstance(default, Reply) else default(body)
        automatic = reply is None
        if reply is None:
            reply = auto_reply(body)
        return await send_reply(
            writer,
            reply,
            body,
            stream,
            keep,
            automatic,
            self._cache,
            on_usage=charge,
            request_headers=request.headers,
        )

    def _authorized(self, headers: Mapping[str, str]) -> bool:
        key = self.api_key
        if secrets.compare_digest(headers.get("api-key", "").encode(), key.encode()):
            return True
        bearer = headers.get("authorization", "")
        return secrets.compare_digest(bearer.encode(), f"Bearer {key}".encode())
