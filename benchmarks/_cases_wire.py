"""Framework-free rows: the raw httpx + json floor and the mimo_client core."""

from __future__ import annotations

import json
from typing import Any

from benchmarks import _payloads
from benchmarks._counts import Counts

DUMMY_KEY = "sk-bench-dummy"
MESSAGES = [{"role": "user", "content": "Hello!"}]


def _count_line(line: str, counts: Counts) -> None:
    if not line.startswith("data:"):
        return
    data = line[5:].strip()
    if data == "[DONE]":
        return
    chunk = json.loads(data)
    choices = chunk["choices"]
    if choices:
        delta = choices[0]["delta"]
        counts.reasoning += len(delta.get("reasoning_content") or "")
        counts.content += len(delta.get("content") or "")


def _count_completion(body: dict[str, Any]) -> Counts:
    message = body["choices"][0]["message"]
    return Counts(len(message.get("reasoning_content") or ""), len(message["content"] or ""))


class NetworkRunner:
    """A runner whose stream size is set on the server, so it has nothing to prepare."""

    def prepare(self, n: int, copies: int) -> None:
        """Nothing to pre-build: the server's slot decides the size."""


class RawHttpx(NetworkRunner):
    """Floor: httpx + json, parsing each SSE line and reading the delta, nothing else."""

    def __init__(self, base_url: str) -> None:
        import httpx

        self._url = base_url + "/chat/completions"
        self._headers = {"authorization": f"Bearer {DUMMY_KEY}"}
        self._body = {"model": _payloads.MODEL, "messages": MESSAGES}
        self._sync = httpx.Client(timeout=60)
        self._async = httpx.AsyncClient(timeout=60)

    def stream(self) -> Counts:
        counts = Counts()
        body = {**self._body, "stream": True}
        with self._sync.stream("POST", self._url, json=body, headers=self._headers) as resp:
            resp.raise_for_status()
            for line in resp.iter_lines():
                _count_line(line, counts)
        return counts

    async def astream(self) -> Counts:
        counts = Counts()
        body = {**self._body, "stream": True}
        async with self._async.stream("POST", self._url, json=body, headers=self._headers) as resp:
            resp.raise_for_status()
            async for line in resp.aiter_lines():
                _count_line(line, counts)
        return counts

    def call(self) -> Counts:
        resp = self._sync.post(self._url, json=self._body, headers=self._headers)
        resp.raise_for_status()
        return _count_completion(resp.json())

    async def acall(self) -> Counts:
        resp = await self._async.post(self._url, json=self._body, headers=self._headers)
        resp.raise_for_status()
        return _count_completion(resp.json())


def _turn_counts(turn: Any) -> Counts:
    return Counts(len(turn.reasoning_content or ""), len(turn.content or ""))


class Core(NetworkRunner):
    """mimo_client alone: build_request + MiMoClient.stream() deltas accumulated into a turn."""

    def __init__(self, base_url: str) -> None:
        import mimo_client

        self._mc = mimo_client
        self._sync = mimo_client.MiMoClient(api_key=DUMMY_KEY, base_url=base_url)
        self._async = mimo_client.AsyncMiMoClient(api_key=DUMMY_KEY, base_url=base_url)

    def _request(self, stream: bool) -> Any:
        return self._mc.build_request(MESSAGES, model=_payloads.MODEL, stream=stream)

    def stream(self) -> Counts:
        with self._sync.stream(self._request(True)) as chat_stream:
            for _ in chat_stream.deltas():
                pass
            return _turn_counts(chat_stream.turn)

    async def astream(self) -> Counts:
        async with self._async.stream(self._request(True)) as chat_stream:
            async for _ in chat_stream.deltas():
                pass
            return _turn_counts(chat_stream.turn)

    def call(self) -> Counts:
        body = self._sync.create(self._request(False))
        return _turn_counts(self._mc.AssistantTurn.from_completion(body))

    async def acall(self) -> Counts:
        body = await self._async.create(self._request(False))
        return _turn_counts(self._mc.AssistantTurn.from_completion(body))
