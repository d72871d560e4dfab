"""LlamaIndex rows: MiMo, the peers OpenAILike / DeepSeek, and the framework floor."""

from __future__ import annotations

import asyncio
from typing import Any

from benchmarks import _payloads
from benchmarks._cases_wire import DUMMY_KEY, NetworkRunner
from benchmarks._counts import Counts, llama_index_message, llama_index_stream


def _messages() -> list[Any]:
    from llama_index.core.llms import ChatMessage

    return [ChatMessage(role="user", content="Hello!")]


class _LlamaIndexRunner:
    """Drives any LlamaIndex LLM through stream_chat/astream_chat/chat/achat."""

    llm: Any

    def __init__(self) -> None:
        self.messages = _messages()

    def stream(self) -> Counts:
        counts = Counts()
        for resp in self.llm.stream_chat(self.messages):
            counts += llama_index_stream(resp)
        return counts

    async def astream(self) -> Counts:
        counts = Counts()
        async for resp in await self.llm.astream_chat(self.messages):
            counts += llama_index_stream(resp)
        return counts

    def call(self) -> Counts:
        return llama_index_message(self.llm.chat(self.messages).message)

    async def acall(self) -> Counts:
        return llama_index_message((await self.llm.achat(self.messages)).message)


class MiMoRunner(NetworkRunner, _LlamaIndexRunner):
    """The adapter under test."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        from llama_index_mimo import MiMo

        self.llm = MiMo(model=_payloads.MODEL, api_key=DUMMY_KEY, base_url=base_url)


class OpenAILikeRunner(NetworkRunner, _LlamaIndexRunner):
    """Peer: llama-index-llms-openai-like pointed at the loopback server."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        from llama_index.llms.openai_like import OpenAILike  # type: ignore[import-untyped]

        self.llm = OpenAILike(
            model=_payloads.MODEL,
            api_key=DUMMY_KEY,
            api_base=base_url,
            is_chat_model=True,
            context_window=1_048_576,
        )


class DeepSeekRunner(NetworkRunner, _LlamaIndexRunner):
    """Peer: llama-index-llms-deepseek pointed at the loopback server."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        from llama_index.llms.deepseek import DeepSeek  # type: ignore[import-untyped]

        self.llm = DeepSeek(model=_payloads.MODEL, api_key=DUMMY_KEY, api_base=base_url)


def _floor_responses(n: int) -> list[Any]:
    """n reasoning and n content ChatResponses, shaped like a streaming adapter's."""
    from llama_index.core.base.llms.types import ChatMessage, ChatResponse

    out = [
        ChatResponse(
            message=ChatMessage(role="assistant", content=""),
            delta="",
            additional_kwargs={"thinking_delta": _payloads.REASONING_TOKEN},
        )
        for _ in range(n)
    ]
    out += [
        ChatResponse(
            message=ChatMessage(role="assistant", content=_payloads.CONTENT_TOKEN),
            delta=_payloads.CONTENT_TOKEN,
        )
        for _ in range(n)
    ]
    return out


def _prebuilt_llm(streams: list[list[Any]]) -> Any:
    """An LLM whose decorated stream_chat yields pre-built ChatResponses: LlamaIndex's own cost."""
    from llama_index.core.base.llms.types import (
        ChatMessage,
        ChatResponse,
        CompletionResponse,
        LLMMetadata,
    )
    from llama_index.core.llms import CustomLLM
    from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback

    answer = ChatResponse(
        message=ChatMessage(
            role="assistant",
            content=_payloads.CALL_CONTENT,
            additional_kwargs={"reasoning_content": _payloads.CALL_REASONING},
        )
    )

    class PrebuiltResponses(CustomLLM):
        """Yields pre-built ChatResponses through the callback-decorated public methods."""

        @property
        def metadata(self) -> LLMMetadata:
            return LLMMetadata(is_chat_model=True, model_name="prebuilt")

        @llm_chat_callback()
        def chat(self, messages: Any, **kwargs: Any) -> ChatResponse:
            return answer

        @llm_chat_callback()
        def stream_chat(self, messages: Any, **kwargs: Any) -> Any:
            responses = streams.pop()

            def gen() -> Any:
                yield from responses

            return gen()

        @llm_chat_callback()
        async def achat(self, messages: Any, **kwargs: Any) -> ChatResponse:
            return answer

        @llm_chat_callback()
        async def astream_chat(self, messages: Any, **kwargs: Any) -> Any:
            responses = streams.pop()

            async def gen() -> Any:
                for i, resp in enumerate(responses):
                    if i % 64 == 0:
                        await asyncio.sleep(0)  # interleave concurrent streams like sockets do
                    yield resp

            return gen()

        @llm_completion_callback()
        def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            return CompletionResponse(text=_payloads.CALL_CONTENT)

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> Any:
            raise NotImplementedError

    return PrebuiltResponses()


class LlamaIndexFloorRunner(_LlamaIndexRunner):
    """Floor: LlamaIndex's cost for the same number of pre-built responses (no network)."""

    def __init__(self, base_url: str) -> None:
        super().__init__()
        self._streams: list[list[Any]] = []
        self.llm = _prebuilt_llm(self._streams)

    def prepare(self, n: int, copies: int) -> None:
        """Pre-build one response list per stream that will be run (built outside the clock)."""
        self._streams[:] = [_floor_responses(n) for _ in range(copies)]
