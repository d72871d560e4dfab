"""Fork safety: a process made by fork never reads its parent's pooled sockets.

Before the fix, parent and child shared one keep-alive socket after a call, and each got
some of the other's answers with no error. Each test here makes a call first (so there is a
connection to inherit), forks, then has parent and child (or the pool's workers) call at
the same time. The emulator's automatic rule answers "Emulated MiMo answer to: <prompt>",
so every answer names the request it belongs to. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import select
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from langchain_mimo import ChatMiMo
from llama_index_mimo import MiMo
from mimo_client import AsyncMiMoClient, MiMoClient, build_request

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

CALLS = 20
PREFIX = "Emulated MiMo answer to: "


def _wrong(tag: str, answers: list[str]) -> list[str]:
    return [a for i, a in enumerate(answers) if a != f"{PREFIX}{tag}-{i}"]


def _in_fork(child: Callable[[], list[str]], parent: Callable[[], list[str]]) -> tuple[list, list]:
    """Run ``child`` in a forked child and ``parent`` here at the same time; both answer lists."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read_end)
            payload = json.dumps(child())
        except BaseException as exc:
            payload, code = json.dumps({"error": repr(exc)}), 1
        try:
            os.write(write_end, payload.encode())
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        mine = parent()
        data = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                break
            piece = os.read(read_end, 65536)
            if not piece:
                break
            data += piece
        theirs = json.loads(data) if data else {"error": "no answer from the child in 60 s"}
    finally:
        os.close(read_end)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert not isinstance(theirs, dict), theirs
    return mine, theirs


def _request(prompt: str) -> dict[str, Any]:
    return build_request(
        [{"role": "user", "content": prompt}], model="mimo-v2.6-pro", thinking=False
    )


def _core_text(client: MiMoClient, prompt: str) -> str:
    return str(client.create(_request(prompt))["choices"][0]["message"]["content"])


def test_core_client_parent_and_child_get_their_own_answers(emulator):
    client = MiMoClient(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)
    assert _core_text(client, "warm") == PREFIX + "warm"  # a pooled connection to inherit

    def run(tag: str) -> list[str]:
        return [_core_text(client, f"{tag}-{i}") for i in range(CALLS)]

    mine, theirs = _in_fork(lambda: run("CHILD"), lambda: run("PARENT"))
    assert _wrong("PARENT", mine) == [] and _wrong("CHILD", theirs) == []
    client.close()


def test_core_stream_parent_and_child_get_their_own_answers(emulator):
    client = MiMoClient(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)

    def streamed(prompt: str) -> str:
        with client.stream(_request(prompt)) as stream:
            for _ in stream:
                pass
            return stream.turn.content

    assert streamed("warm") == PREFIX + "warm"

    def run(tag: str) -> list[str]:
        return [streamed(f"{tag}-{i}") for i in range(CALLS)]

    mine, theirs = _in_fork(lambda: run("CHILD"), lambda: run("PARENT"))
    assert _wrong("PARENT", mine) == [] and _wrong("CHILD", theirs) == []
    client.close()


def test_chatmimo_sync_and_async_after_fork(emulator):
    model = ChatMiMo(
        api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0, thinking=False
    )
    assert model.invoke("warm").content == PREFIX + "warm"
    loop = asyncio.new_event_loop()  # the parent's loop stays open across the fork
    try:
        assert loop.run_until_complete(model.ainvoke("awarm")).content == PREFIX + "awarm"

        def child() -> list[str]:
            sync = [str(model.invoke(f"CHILD-{i}").content) for i in range(CALLS // 2)]

            async def more() -> list[str]:
                return [
                    str((await model.ainvoke(f"CHILD-{i}")).content)
                    for i in range(CALLS // 2, CALLS)
                ]

            return sync + asyncio.run(more())

        def parent() -> list[str]:
            async def calls() -> list[str]:
                return [str((await model.ainvoke(f"PARENT-{i}")).content) for i in range(CALLS)]

            return loop.run_until_complete(calls())

        mine, theirs = _in_fork(child, parent)
        assert _wrong("PARENT", mine) == [] and _wrong("CHILD", theirs) == []
        loop.run_until_complete(model._clients.aclose())
    finally:
        loop.close()


def test_llamaindex_stream_after_fork(emulator):
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0, thinking=False)
    assert llm.complete("warm").text == PREFIX + "warm"

    def streamed(prompt: str) -> str:
        text = ""
        for chunk in llm.stream_complete(prompt):
            text = chunk.text
        return text

    def run(tag: str) -> list[str]:
        return [streamed(f"{tag}-{i}") for i in range(CALLS)]

    mine, theirs = _in_fork(lambda: run("CHILD"), lambda: run("PARENT"))
    assert _wrong("PARENT", mine) == [] and _wrong("CHILD", theirs) == []
    llm.close()


def test_async_client_made_before_fork_works_in_the_child(emulator):
    client = AsyncMiMoClient(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)

    async def calls(tag: str) -> list[str]:
        out = []
        for i in range(CALLS):
            completion = await client.create(_request(f"{tag}-{i}"))
            out.append(str(completion["choices"][0]["message"]["content"]))
        return out

    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(client.create(_request("warm")))
        mine, theirs = _in_fork(
            lambda: asyncio.run(calls("CHILD")), lambda: loop.run_until_complete(calls("PARENT"))
        )
        assert _wrong("PARENT", mine) == [] and _wrong("CHILD", theirs) == []
        loop.run_until_complete(client.aclose())
    finally:
        loop.close()


@pytest.fixture
def workers(monkeypatch):
    monkeypatch.syspath_prepend(str(Path(__file__).parent))
    import _fork_workers

    yield _fork_workers
    _fork_workers.set_model(None)


def _pool_answers(ctx: str, work: Callable[[str], str], model: Any, workers: Any) -> list[str]:
    prompts = [f"POOL-{i}" for i in range(CALLS * 2)]
    context = multiprocessing.get_context(ctx)
    if ctx == "fork":
        workers.set_model(model)  # inherited by the workers, open connection included
        pool = context.Pool(4)
    else:
        pool = context.Pool(2, initializer=workers.set_model, initargs=(model,))  # pickled
    try:
        answers = pool.map_async(work, prompts).get(timeout=120)
    finally:
        pool.terminate()
        pool.join()
    return [a for a, p in zip(answers, prompts, strict=True) if a != PREFIX + p]


@pytest.mark.parametrize("ctx", ["fork", "spawn"])
def test_multiprocessing_pool_chatmimo(emulator, workers, ctx):
    model = ChatMiMo(
        api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0, thinking=False
    )
    assert model.invoke("warm").content == PREFIX + "warm"
    assert _pool_answers(ctx, workers.lc_invoke, model, workers) == []


@pytest.mark.parametrize("ctx", ["fork", "spawn"])
def test_multiprocessing_pool_llamaindex(emulator, workers, ctx):
    llm = MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0, thinking=False)
    assert llm.complete("warm").text == PREFIX + "warm"
    assert _pool_answers(ctx, workers.li_complete, llm, workers) == []
    llm.close()


def test_the_pool_in_a_child_starts_empty(emulator):
    from mimo_client.integration import ClientPool

    pool = ClientPool()
    parent_client = pool.sync(api_key=emulator.api_key, base_url=emulator.base_url)

    def child() -> list[str]:
        fresh = pool.sync(api_key=emulator.api_key, base_url=emulator.base_url)
        return ["new" if fresh is not parent_client else "same"]

    _, theirs = _in_fork(child, lambda: [])
    assert theirs == ["new"]
    assert pool.sync(api_key=emulator.api_key, base_url=emulator.base_url) is parent_client
    pool.close()
    assert sys.platform != "win32"
