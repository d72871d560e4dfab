"""LangChain rows: ChatMiMo, the peers ChatOpenAI / ChatDeepSeek, and the framework floor."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from benchmarks import _payloads
from benchmarks._cases_wire import DUMMY_KEY, NetworkRunner
from benchmarks._counts import Counts, langchain_message

PROMPT = "Hello!"


class _LangChainRunner:
    """Drives any BaseChatModel through .stream/.astream/.invoke/.ainvoke."""

    model: Any

    def stream(self) -> Counts:
        counts = Counts()
        for chunk in self.model.stream(PROMPT):
            counts += langchain_message(chunk)
        return counts

    async def astream(self) -> Counts:
        counts = Counts()
        async for chunk in self.model.astream(PROMPT):
            counts += langchain_message(chunk)
        return counts

    def call(self) -> Counts:
        return langchain_message(self.model.invoke(PROMPT))

    async def acall(self) -> Counts:
        return langchain_message(await self.model.ainvoke(PROMPT))


class ChatMiMoRunner(NetworkRunner, _LangChainRunner):
    """The adapter under test."""

    def __init__(self, base_url: str) -> None:
        from pydantic import SecretStr

        from langchain_mimo import ChatMiMo

        self.model = ChatMiMo(  # type: ignore[call-arg]  # field names with aliases
            model=_payloads.MODEL, api_key=SecretStr(DUMMY_KEY), base_url=base_url
        )


class ChatOpenAIRunner(NetworkRunner, _LangChainRunner):
    """Peer: langchain-openai pointed at the loopback server."""

    def __init__(self, base_url: str) -> None:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        self.model = ChatOpenAI(
            model=_payloads.MODEL, api_key=SecretStr(DUMMY_KEY), base_url=base_url
        )


class ChatDeepSeekRunner(NetworkRunner, _LangChainRunner):
    """Peer: langchain-deepseek (keeps reasoning_content) pointed at the loopback server."""

    def __init__(self, base_url: str) -> None:
        from langchain_deepseek import ChatDeepSeek
        from pydantic import SecretStr

        self.model = ChatDeepSeek(  # type: ignore[call-arg]  # api_base is an alias
            model=_payloads.MODEL, api_key=SecretStr(DUMMY_KEY), api_base=base_url
        )


def _lean(message: Any) -> Any:
    """The cheapest correct generation chunk: ``text`` is the content string itself."""
    from langchain_core.outputs import ChatGenerationChunk

    generation = ChatGenerationChunk(message=message)
    generation.text = message.content
    return generation


def _iter_floor_chunks(n: int) -> Iterator[Any]:
    """n reasoning chunks, n content chunks and a last chunk with usage, as an adapter yields.

    Built the cheapest correct way (only set fields passed, ``text`` not copied), so the
    floor is what the leanest adapter would pay. Each chunk names its provider in
    ``response_metadata``, as LangChain 1.x chat models do on every chunk (ChatOpenAI,
    ChatDeepSeek and ChatMiMo all do: ``content_blocks`` picks its translator by it).
    """
    from langchain_core.messages import AIMessageChunk, UsageMetadata

    provider = {"model_provider": "floor"}
    for _ in range(n):
        yield _lean(
            AIMessageChunk(
                content="",
                additional_kwargs={"reasoning_content": _payloads.REASONING_TOKEN},
                response_metadata=provider,
            )
        )
    for _ in range(n):
        yield _lean(AIMessageChunk(content=_payloads.CONTENT_TOKEN, response_metadata=provider))
    yield _lean(
        AIMessageChunk(
            content="",
            response_metadata={"finish_reason": "stop"},
            usage_metadata=UsageMetadata(  # type: ignore[typeddict-item]  # details optional
                input_tokens=12, output_tokens=2 * n, total_tokens=12 + 2 * n
            ),
            chunk_position="last",
        )
    )


def _prebuilt_model(streams: list[Iterable[Any]]) -> Any:
    """A BaseChatModel whose _stream yields the chunks of ``streams.pop()``, no network."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

    result = ChatResult(
        generations=[
            ChatGeneration(
                message=AIMessage(
                    content=_payloads.CALL_CONTENT,
                    additional_kwargs={"reasoning_content": _payloads.CALL_REASONING},
                )
            )
        ]
    )

    class PrebuiltChunks(BaseChatModel):
        """Yields pre-built chunks; no network, no parsing."""

        @property
        def _llm_type(self) -> str:
            return "prebuilt-chunks"

        def _generate(
            self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
        ) -> ChatResult:
            return result

        async def _agenerate(
            self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
        ) -> ChatResult:
            return result

        def _stream(
            self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
        ) -> Iterator[ChatGenerationChunk]:
            yield from streams.pop()

        async def _astream(
            self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any
        ) -> AsyncIterator[ChatGenerationChunk]:
            for i, chunk in enumerate(streams.pop()):
                if i % 64 == 0:
                    await asyncio.sleep(0)  # let concurrent streams interleave, like sockets do
                yield chunk

    return PrebuiltChunks()


class LangChainFloorRunner(_LangChainRunner):
    """Floor: LangChain's cost for the same number of pre-built chunks (no network)."""

    def __init__(self, base_url: str) -> None:
        self._streams: list[Iterable[Any]] = []
        self.model = _prebuilt_model(self._streams)

    def prepare(self, n: int, copies: int) -> None:
        """Pre-build one chunk list per stream that will be run (built outside the clock)."""
        self._streams[:] = [list(_iter_floor_chunks(n)) for _ in range(copies)]


class LangChainBuildFloorRunner(LangChainFloorRunner):
    """Floor, stricter: the same minimal chunks, but built inside the stream (no network).

    Unlike pre-built chunks, this pays what every adapter must: constructing the chunk
    models, and the cyclic GC traversing them while ``BaseChatModel.stream`` keeps every
    chunk until the end (pre-built chunks were collected into the old generation before the
    clock started, so they never trigger a full collection).
    """

    def prepare(self, n: int, copies: int) -> None:
        """One lazy chunk generator per stream: construction happens on the clock."""
        self._streams[:] = [_iter_floor_chunks(n) for _ in range(copies)]
