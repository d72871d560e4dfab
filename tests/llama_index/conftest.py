"""Fixtures for the LlamaIndex adapter tests: a MiMo pointed at the emulator (``emulator`` is in
tests/conftest.py)."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.instrumentation import get_dispatcher
from llama_index.core.instrumentation.event_handlers import BaseEventHandler
from llama_index.core.instrumentation.events import BaseEvent
from pydantic import Field

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator


@pytest.fixture
def llm(emulator: MiMoEmulator) -> MiMo:
    return MiMo(api_key=emulator.api_key, base_url=emulator.base_url, max_retries=0)


@pytest.fixture
def last_body(emulator: MiMoEmulator) -> Callable[[], dict[str, Any]]:
    """Returns the JSON body of the last chat request the emulator received."""

    def read() -> dict[str, Any]:
        body = emulator.chat_requests[-1].body
        assert isinstance(body, dict)
        return body

    return read


class HashEmbedding(BaseEmbedding):
    """A deterministic bag-of-words embedding: words hashed into 256 buckets, L2-normalized.

    Offline and instant; texts that share words land near each other, which is all a
    retrieval test needs.
    """

    dim: int = 256

    @classmethod
    def class_name(cls) -> str:
        return "HashEmbedding"

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        for word in re.findall(r"[a-z0-9]+", text.lower()):
            if len(word) < 3:
                continue
            bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
            vec[bucket % self.dim] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._vector(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vector(text)


@pytest.fixture
def embed_model() -> HashEmbedding:
    return HashEmbedding()


class EventRecorder(BaseEventHandler):
    """Records instrumentation events (class names) while installed on the root dispatcher."""

    events: list[str] = Field(default_factory=list)

    @classmethod
    def class_name(cls) -> str:
        return "EventRecorder"

    def handle(self, event: BaseEvent, **kwargs: Any) -> None:
        self.events.append(type(event).__name__)


@pytest.fixture
def instrumentation() -> Iterator[EventRecorder]:
    recorder = EventRecorder()
    root = get_dispatcher()
    root.add_event_handler(recorder)
    try:
        yield recorder
    finally:
        root.event_handlers = [h for h in root.event_handlers if h is not recorder]
