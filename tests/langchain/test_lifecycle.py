"""Client lifecycle: one pooled client per model (and per event loop for async), copies and
pickles that do not carry connections over."""

from __future__ import annotations

import asyncio
import copy
import pickle
from concurrent.futures import ThreadPoolExecutor

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator


def test_sync_calls_share_one_pooled_client(model: ChatMiMo, emulator: MiMoEmulator):
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda i: model.invoke(f"q{i}").content, range(16)))
    assert answers == [f"Emulated MiMo answer to: q{i}" for i in range(16)]
    assert not model._clients.empty
    assert emulator.connections_accepted <= 8  # connections reused, not one per call


def test_model_reused_across_event_loops(model: ChatMiMo):
    # pooled async connections belong to the loop that opened them
    assert asyncio.run(model.ainvoke("a")).content == "Emulated MiMo answer to: a"
    assert asyncio.run(model.ainvoke("b")).content == "Emulated MiMo answer to: b"

    async def stream() -> str:
        return "".join([c.text async for c in model.astream("c")])

    assert asyncio.run(stream()) == "Emulated MiMo answer to: c"


def test_abatch_in_one_loop_uses_one_client(model: ChatMiMo, emulator: MiMoEmulator):
    async def run() -> list[str]:
        answers = await model.abatch([f"q{i}" for i in range(20)])
        assert not model._clients.empty
        return [str(a.content) for a in answers]

    assert asyncio.run(run()) == [f"Emulated MiMo answer to: q{i}" for i in range(20)]


def test_deepcopy_and_pickle_start_without_connections(emulator: MiMoEmulator):
    model = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url, model_kwargs={"a": [1]})
    model.invoke("warm up")
    clone = copy.deepcopy(model)
    assert clone._clients.empty
    assert clone.model_kwargs == {"a": [1]}
    assert clone.model_kwargs["a"] is not model.model_kwargs["a"]
    assert clone.invoke("x").content == "Emulated MiMo answer to: x"
    restored = pickle.loads(pickle.dumps(model))
    assert restored._clients.empty
    assert restored.invoke("y").content == "Emulated MiMo answer to: y"
    assert model.invoke("z").content == "Emulated MiMo answer to: z"  # the original still works
