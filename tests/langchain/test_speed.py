"""ChatMiMo streams with less CPU per delta than ChatDeepSeek on the same stream.

Measured as the consuming thread's CPU time (the emulator runs in its own thread), best of
three, over the same 1,000-delta answer (reasoning then text). The margin measured here is
about 3-5x; the test only asks for "less", so a busy machine does not make it flaky.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from typing import Any

from langchain_core.language_models import BaseChatModel

from langchain_mimo import ChatMiMo
from mimo_client.testing import MiMoEmulator, Reply

DELTAS = 500  # reasoning deltas, and as many text deltas


def _cpu_per_delta(model: BaseChatModel, emulator: MiMoEmulator) -> float:
    best = float("inf")
    for _ in range(3):
        emulator.script(Reply.long(reasoning_deltas=DELTAS, content_deltas=DELTAS))
        start = time.thread_time()
        chunks: Iterator[Any] = model.stream("Tell me a long story")
        count = sum(1 for _ in chunks)
        best = min(best, time.thread_time() - start)
        assert count >= 2 * DELTAS
    return best / (2 * DELTAS)


def test_chatmimo_uses_less_cpu_per_delta_than_chatdeepseek(emulator: MiMoEmulator):
    from langchain_deepseek import ChatDeepSeek

    mimo = ChatMiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        deepseek = ChatDeepSeek(
            model="mimo-v2.5-pro",
            api_key=emulator.api_key,  # type: ignore[arg-type]
            base_url=emulator.base_url,
        )
    ours = _cpu_per_delta(mimo, emulator)
    theirs = _cpu_per_delta(deepseek, emulator)
    print(f"CPU per delta: ChatMiMo {ours * 1e6:.1f} us, ChatDeepSeek {theirs * 1e6:.1f} us")
    assert ours < theirs
