"""``MiMo``: Xiaomi MiMo as a LlamaIndex ``FunctionCallingLLM``, a thin adapter over mimo_client."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from llama_index.core.base.llms.generic_utils import (
    achat_to_completion_decorator,
    astream_chat_to_completion_decorator,
    chat_to_completion_decorator,
    stream_chat_to_completion_decorator,
)
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    ChatResponseAsyncGen,
    ChatResponseGen,
    CompletionResponse,
    CompletionResponseAsyncGen,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.bridge.pydantic import Field, PrivateAttr, SecretStr, field_serializer
from llama_index.core.callbacks import CallbackManager
from llama_index.core.instrumentation.events.llm import (
    LLMStructuredPredictEndEvent,
    LLMStructuredPredictStartEvent,
)
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from llama_index.core.llms.function_calling import FunctionCallingLLM
from llama_index.core.llms.llm import ToolSelection
from llama_index.core.prompts import PromptTemplate
from llama_index.core.types import PydanticProgramMode
from llama_index_instrumentation import get_dispatcher

from mimo_client import DEFAULT_MODEL, get_model_info
from mimo_client.integration import (
    ClientPool,
    build_request_from,
    masked_headers,
    public_headers,
    tool_call_limit,
)

from ._convert import chat_response_from_completion, with_reasoning
from ._messages import messages_to_wire
from ._stream import ChatStreamBuilder
from ._structured import ModelT, parse_structured, schema_response_format
from ._tools import tool_selections, tool_specs

if TYPE_CHECKING:
    import httpx
    from llama_index.core.program.utils import FlexibleModel
    from llama_index.core.tools.types import BaseTool
    from typing_extensions import Self

    from mimo_client import AsyncMiMoClient, MiMoClient

__all__ = ["DEFAULT_MODEL", "MiMo"]

dispatcher = get_dispatcher(__name__)

_HTTP_CLIENTS = ("_http_client", "_async_http_client")


class MiMo(FunctionCallingLLM):
    r"""Xiaomi MiMo chat models for LlamaIndex: chat, streaming, tools, agents, RAG.

    Reasoning comes back as a ``ThinkingBlock`` (before the ``TextBlock``) and is passed back
    to the service with the history, which MiMo requires in thinking mode for tool-call
    turns (agents built on ``OpenAILike`` fail there with a 400). Token usage lands in
    ``ChatResponse.raw["usage"]``, so ``TokenCountingHandler`` counts real tokens.

    Setup:
        ``pip install "mimo-integrations[llama-index]"`` and ``export MIMO_API_KEY=sk-...``
        (``MIMO_BASE_URL`` overrides ``https://api.xiaomimimo.com/v1``, e.g. for a Token
        Plan host). For offline tests, ``mimo_client.testing.MiMoEmulator`` serves the same
        API on 127.0.0.1 and rejects what the real service rejects.

    Instantiate:
        .. code-block:: python

            from llama_index.llms.mimo import MiMo  # or: from llama_index_mimo import MiMo

            llm = MiMo(model="mimo-v2.6-pro", max_tokens=2048)
            # thinking=False turns reasoning off (on by default for every v2.6 model);
            # temperature, timeout, max_retries, base_url, additional_kwargs={...} as usual.

    Chat:
        .. code-block:: python

            from llama_index.core.llms import ChatMessage

            resp = llm.chat([ChatMessage(role="user", content="Why is the sky blue?")])
            print(resp.message.content)
            print(resp.message.blocks[0].content)  # the ThinkingBlock: MiMo's reasoning
            print(resp.raw["usage"])

    Stream:
        .. code-block:: python

            for chunk in llm.stream_chat([ChatMessage(role="user", content="Hi")]):
                print(chunk.additional_kwargs.get("thinking_delta", ""), end="")
                print(chunk.delta, end="")

            print(llm.complete("Say hi").text)

    Tool calling:
        .. code-block:: python

            from llama_index.core.tools import FunctionTool

            def add(a: int, b: int) -> int:
                '''Add two integers.'''
                return a + b

            tool = FunctionTool.from_defaults(fn=add)
            resp = llm.chat_with_tools([tool], user_msg="What is 2 + 3?")
            print(llm.get_tool_calls_from_response(resp))
            print(llm.predict_and_call([tool], user_msg="What is 2 + 3?"))

    Agents:
        .. code-block:: python

            from llama_index.core.agent.workflow import AgentStream, FunctionAgent

            agent = FunctionAgent(tools=[tool], llm=llm)

            async def main() -> None:
                handler = agent.run("What is 2 + 3?")
                async for event in handler.stream_events():
                    if isinstance(event, AgentStream):
                        print(event.thinking_delta or event.delta, end="")
                print(await handler)

    RAG:
        .. code-block:: python

            from llama_index.core import Document, Settings, VectorStoreIndex

            Settings.llm = llm  # and Settings.embed_model = your embedding model
            index = VectorStoreIndex.from_documents([Document(text="MiMo is made by Xiaomi.")])
            print(index.as_query_engine().query("Who makes MiMo?"))
            chat = index.as_chat_engine(chat_mode="condense_plus_context")
            print(chat.chat("Who makes MiMo?"))

    Structured output:
        .. code-block:: python

            from llama_index.core.prompts import PromptTemplate
            from pydantic import BaseModel

            class City(BaseModel):
                name: str
                country: str

            city = llm.structured_predict(City, PromptTemplate("The capital of {c}?"), c="France")
            # or: llm.as_structured_llm(City).chat([...]).raw  -> a City

    Multimodal (every v2.6 model):
        .. code-block:: python

            from llama_index.core.llms import ImageBlock, TextBlock

            msg = ChatMessage(role="user", blocks=[
                ImageBlock(url="https://example.com/cat.png"), TextBlock(text="What is this?"),
            ])
            print(MiMo(model="mimo-v2.6-flash").chat([msg]).message.content)

    Web search (``web_search=True`` or the tool's fields; on the constructor or per call):
        .. code-block:: python

            from llama_index.core.llms import CitationBlock

            searching = MiMo(model="mimo-v2.6-flash", web_search={"limit": 3})
            resp = searching.chat([ChatMessage(role="user", content="News from Wuhan today?")])
            print([b.source for b in resp.message.blocks if isinstance(b, CitationBlock)])
            print(resp.additional_kwargs.get("web_search_usage"))

        One ``CitationBlock`` per source (``source`` = URL, ``title``, ``cited_content`` =
        the summary), in ``chat`` and on streamed messages; the raw list is in ``raw``. A
        failed search warns (``additional_kwargs["error_message"]``); a spent quota or a
        disabled Web Search plugin raises ``mimo_client.WebSearchUnavailableError``.

    Speech (``mimo-v2.5-tts*``: the assistant message is spoken, user messages style it):
        .. code-block:: python

            from llama_index.core.llms import AudioBlock

            tts = MiMo(model="mimo-v2.5-tts", audio={"voice": "Chloe", "format": "wav"})
            resp = tts.chat([
                ChatMessage(role="user", content="Cheerful."),
                ChatMessage(role="assistant", content="Hello from MiMo!"),
            ])
            print([b.format for b in resp.message.blocks if isinstance(b, AudioBlock)])

    Batches at the account's rate limit:
        .. code-block:: python

            import asyncio

            llm = MiMo(model="mimo-v2.6-pro", requests_per_minute=100)
            gate = asyncio.Semaphore(16)  # requests in flight; the limiter sets the pace

            async def ask(prompt: str) -> str:
                async with gate:
                    return (await llm.acomplete(prompt)).text

            async def run(prompts: list[str]) -> list[str]:
                return await asyncio.gather(*(ask(p) for p in prompts))  # in the order given

            prompts = [f"Label the sentiment of review #{i}." for i in range(3)]
            answers = asyncio.run(run(prompts))

        Each call waits for a slot of a limiter shared by every client of the process with
        the same key, base URL and model, so no 60-second window carries more than the
        limit (a 429, e.g. from another process using the key, waits for the next slot).

    Errors are ``mimo_client`` errors (``AuthenticationError``, ``RateLimitError``,
    ``BadRequestError`` with the service's reason, ...); a history the service would reject
    raises ``ValueError`` before anything is sent.

    Secrets: the API key (and the value of a credential header in ``default_headers``, such
    as ``api-key`` or ``Authorization``) never appears in ``repr``, ``str``, ``model_dump()``,
    ``to_dict()``/``to_json()`` or error messages.

    **Pickles hold the API key in plain text.** ``pickle.dumps(llm)`` keeps the key and the
    headers as they are, so that a copy sent to another process (LlamaIndex's multiprocessing
    ingestion, caches) works without the key being passed again. Treat a pickled ``MiMo`` as
    you would the key itself: do not store or send it where the key may not go. To pickle
    without the key, set it in ``MIMO_API_KEY`` (read by each process) rather than passing
    ``api_key=``.
    """

    model: str = Field(default=DEFAULT_MODEL, description="The MiMo model id.")
    api_key: SecretStr | None = Field(
        default=None,
        exclude=True,
        description="The API key; defaults to the MIMO_API_KEY environment variable.",
    )
    base_url: str | None = Field(
        default=None,
        description="The API base URL; defaults to MIMO_BASE_URL, then the official host.",
    )
    temperature: float | None = Field(
        default=None,
        ge=0.0,
        le=1.5,
        description="Sampling temperature (0..1.5); unset = the service default. Thinking mode "
        "fixes it at 1.0.",
    )
    max_tokens: int | None = Field(
        default=None,
        gt=0,
        le=131_072,
        description="max_completion_tokens: reasoning plus visible output.",
    )
    timeout: float = Field(
        default=120.0,
        gt=0,
        description="Seconds each socket operation (connect, each read) may take; it does not "
        "bound a whole call (total_timeout does).",
    )
    total_timeout: float = Field(
        default=600.0,
        gt=0,
        description="Seconds a whole call (retries included) or a whole stream may take; on "
        "expiry mimo_client.APITimeoutError, with .partial for a stream.",
    )
    max_connections: int | None = Field(
        default=None, gt=0, description="Connections open at once per client; None = 64."
    )
    max_retries: int = Field(default=2, ge=0, description="Retries of retryable failures.")
    requests_per_minute: int | None = Field(
        default=None,
        gt=0,
        description="The account's request limit for the model; calls wait for a slot. One "
        "limiter is shared by every client of the process with the same key, base URL and "
        "model (mimo_client.rate_limit). None (default): no limit.",
    )
    tokens_per_minute: int | None = Field(
        default=None,
        gt=0,
        description="The account's token limit for the model (estimated, then from usage).",
    )
    thinking: bool | None = Field(
        default=None, description="Reasoning on/off; None = the model's default."
    )
    context_window: int | None = Field(
        default=None, gt=0, description="Context window; None = from the model table."
    )
    default_headers: dict[str, str] | None = Field(
        default=None,
        description="Extra HTTP headers sent with every request. Values of headers that may "
        "carry a credential (api-key, Authorization, ...) are masked in repr and left out "
        "of dumps, like api_key.",
    )
    additional_kwargs: dict[str, Any] = Field(
        default_factory=dict, description="Extra request parameters sent with every call."
    )
    web_search: bool | dict[str, Any] | None = Field(
        default=None,
        description="MiMo's built-in web search: True (the service's defaults) or the tool's "
        "fields (force_search, max_keyword 1-50, limit 1-50, user_location).",
    )
    audio: dict[str, Any] | None = Field(
        default=None,
        description="Speech models (mimo-v2.5-tts*): {'voice': ..., 'format': 'wav'|'mp3'|"
        "'pcm'|'pcm16'}.",
    )
    asr_options: dict[str, Any] | None = Field(
        default=None,
        description="Recognition (mimo-v2.5-asr): e.g. {'language': 'en'}, sent as given.",
    )

    _pool: ClientPool = PrivateAttr(default_factory=ClientPool)  # sync + one async per loop
    _http_client: httpx.Client | None = PrivateAttr(default=None)
    _async_http_client: httpx.AsyncClient | None = PrivateAttr(default=None)

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        api_key: str | SecretStr | None = None,
        callback_manager: CallbackManager | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(model=model, api_key=api_key, callback_manager=callback_manager, **kwargs)
        self._http_client = http_client
        self._async_http_client = async_http_client

    def __getstate__(self) -> dict[Any, Any]:
        # The client pools pickle empty, and user-given httpx clients (which cannot be
        # pickled) are left out instead of being probed and dropped with a warning. The key
        # is kept, in plain text: see the class docstring.
        clone = self.model_copy()
        for name in _HTTP_CLIENTS:
            setattr(clone, name, None)
        state: dict[Any, Any] = super(MiMo, clone).__getstate__()
        return state

    def __copy__(self) -> Self:
        # A copy (model_copy, with or without update=) gets clients of its own: sharing the
        # pools would let each object replace (and close) the other's clients.
        clone = super().__copy__()
        clone._pool = ClientPool()
        return clone

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        memo = {} if memo is None else memo
        for name in _HTTP_CLIENTS:  # user-given httpx clients are shared, not copied
            client = getattr(self, name)
            if client is not None:
                memo[id(client)] = client
        return super().__deepcopy__(memo)  # the pools deep-copy empty

    @field_serializer("default_headers")
    def _dump_headers(self, headers: dict[str, str] | None) -> dict[str, str] | None:
        return None if headers is None else public_headers(headers)

    def __repr_args__(self) -> Iterator[tuple[str | None, Any]]:
        for name, value in super().__repr_args__():
            if name == "default_headers" and value:
                value = masked_headers(value)
            yield name, value

    @classmethod
    def class_name(cls) -> str:
        """The class name LlamaIndex uses when serializing the LLM."""
        return "MiMo"

    @property
    def metadata(self) -> LLMMetadata:
        """Context window and output size from the model table (or the fields that override)."""
        info = get_model_info(self.model)
        return LLMMetadata(
            context_window=self.context_window or info.context_window,
            num_output=self.max_tokens or info.default_max_tokens,
            is_chat_model=True,
            is_function_calling_model=info.tool_calling,
            model_name=self.model,
            system_role=MessageRole.SYSTEM,
        )

    # -- clients --------------------------------------------------------------------------

    def _client_kwargs(self) -> dict[str, Any]:
        return {
            "api_key": self.api_key,
            "base_url": self.base_url,
            "timeout": self.timeout,
            "total_timeout": self.total_timeout,
            "max_connections": self.max_connections,
            "max_retries": self.max_retries,
            "default_headers": self.default_headers,
            "requests_per_minute": self.requests_per_minute,
            "tokens_per_minute": self.tokens_per_minute,
        }

    def _sync_client(self) -> MiMoClient:
        # read on every call: a changed field or a model_copy gets a client of its own
        return self._pool.sync(**self._client_kwargs(), http_client=self._http_client)

    def _async_client(self) -> AsyncMiMoClient:
        # one per running event loop: asyncio.run() per call (scripts, notebooks) and
        # per-test loops each get their own connections; those of closed loops are dropped
        return self._pool.for_running_loop(
            **self._client_kwargs(), http_client=self._async_http_client
        )

    def close(self) -> None:
        """Close the sync client's connections (later calls open new ones).

        Async clients belong to their event loop: close them with :meth:`aclose` from it.
        """
        self._pool.close()

    async def aclose(self) -> None:
        """Close the running loop's async client (if one was made) and the sync client."""
        await self._pool.aclose()

    def _request(
        self, messages: Sequence[ChatMessage], *, stream: bool, kwargs: dict[str, Any]
    ) -> tuple[dict[str, Any], int | None]:
        """The request body, and how many tool calls of the reply to keep (None: all)."""
        options: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "thinking": self.thinking,
            "web_search": self.web_search,
            "audio": self.audio,
            "asr_options": self.asr_options,
            **self.additional_kwargs,
            **kwargs,
        }
        # parallel_tool_calls is never sent (MiMo has no such parameter): the core keeps
        # only the first call of the reply instead
        request = build_request_from(messages_to_wire(messages), options, stream=stream)
        return request, tool_call_limit(options)

    # -- chat -----------------------------------------------------------------------------

    def _chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        request, limit = self._request(messages, stream=False, kwargs=kwargs)
        completion = self._sync_client().create(request)
        return chat_response_from_completion(completion, max_tool_calls=limit)

    async def _achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        request, limit = self._request(messages, stream=False, kwargs=kwargs)
        completion = await self._async_client().create(request)
        return chat_response_from_completion(completion, max_tool_calls=limit)

    def _stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        # a request the service would reject fails here, before streaming
        request, limit = self._request(messages, stream=True, kwargs=kwargs)
        client = self._sync_client()

        def gen() -> ChatResponseGen:
            with client.stream(request, max_tool_calls=limit) as stream:
                # the live accumulator (a retry before the first event starts a new one)
                builder = ChatStreamBuilder(lambda: stream.accumulator)
                for delta in stream.deltas():
                    yield builder.response(delta)

        return gen()

    async def _astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        request, limit = self._request(messages, stream=True, kwargs=kwargs)
        client = self._async_client()

        async def gen() -> ChatResponseAsyncGen:
            async with client.stream(request, max_tool_calls=limit) as stream:
                builder = ChatStreamBuilder(lambda: stream.accumulator)
                async for delta in stream.deltas():
                    yield builder.response(delta)

        return gen()

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        """Send the conversation and return the assistant's reply."""
        return self._chat(messages, **kwargs)

    @llm_chat_callback()
    def stream_chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponseGen:
        """Stream the reply; each chunk carries its ``delta`` and the message so far."""
        return self._stream_chat(messages, **kwargs)

    @llm_chat_callback()
    async def achat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        """Async :meth:`chat`."""
        return await self._achat(messages, **kwargs)

    @llm_chat_callback()
    async def astream_chat(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        """Async :meth:`stream_chat`."""
        return await self._astream_chat(messages, **kwargs)

    # -- completion (a one-message chat) --------------------------------------------------

    def _chat_for_completion(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        return with_reasoning(self._chat(messages, **kwargs))

    async def _achat_for_completion(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponse:
        return with_reasoning(await self._achat(messages, **kwargs))

    def _stream_chat_for_completion(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseGen:
        return (with_reasoning(chunk) for chunk in self._stream_chat(messages, **kwargs))

    async def _astream_chat_for_completion(
        self, messages: Sequence[ChatMessage], **kwargs: Any
    ) -> ChatResponseAsyncGen:
        chunks = await self._astream_chat(messages, **kwargs)

        async def gen() -> ChatResponseAsyncGen:
            async for chunk in chunks:
                yield with_reasoning(chunk)

        return gen()

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        """Complete a prompt; reasoning is in ``additional_kwargs["thinking"]``."""
        return chat_to_completion_decorator(self._chat_for_completion)(prompt, **kwargs)

    @llm_completion_callback()
    def stream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseGen:
        """Stream a completion; ``thinking_delta`` in ``additional_kwargs`` while reasoning."""
        complete = stream_chat_to_completion_decorator(self._stream_chat_for_completion)
        return complete(prompt, **kwargs)

    @llm_completion_callback()
    async def acomplete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponse:
        """Async :meth:`complete`."""
        return await achat_to_completion_decorator(self._achat_for_completion)(prompt, **kwargs)

    @llm_completion_callback()
    async def astream_complete(
        self, prompt: str, formatted: bool = False, **kwargs: Any
    ) -> CompletionResponseAsyncGen:
        """Async :meth:`stream_complete`."""
        complete = astream_chat_to_completion_decorator(self._astream_chat_for_completion)
        return await complete(prompt, **kwargs)

    # -- tools ----------------------------------------------------------------------------

    def _prepare_chat_with_tools(
        self,
        tools: Sequence[BaseTool],
        user_msg: str | ChatMessage | None = None,
        chat_history: list[ChatMessage] | None = None,
        verbose: bool = False,
        allow_parallel_tool_calls: bool = False,
        tool_required: bool = False,
        tool_choice: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Build chat() arguments that offer ``tools`` (``tool_required`` -> "required")."""
        messages = list(chat_history or [])
        if isinstance(user_msg, str):
            user_msg = ChatMessage(role=MessageRole.USER, content=user_msg)
        if user_msg is not None:
            messages.append(user_msg)
        specs = tool_specs(tools)
        if tool_choice is None and tool_required and specs:
            tool_choice = "required"  # the core warns: the service cannot force a call
        prepared: dict[str, Any] = {
            "messages": messages,
            "tools": specs or None,
            "tool_choice": tool_choice,
        }
        if not allow_parallel_tool_calls:
            # not sent: the core keeps the first call of the reply, streamed or not
            prepared["parallel_tool_calls"] = False
        return {**prepared, **kwargs}

    def _validate_chat_with_tools_response(
        self,
        response: ChatResponse,
        tools: Sequence[BaseTool],
        allow_parallel_tool_calls: bool = False,
        **kwargs: Any,
    ) -> ChatResponse:
        """Return the response as is: the core kept only its first call if asked to.

        Unless parallel calls are allowed, the request asks for one (``parallel_tool_calls=False``).
        """
        return response

    def get_tool_calls_from_response(
        self, response: ChatResponse, error_on_no_tool_call: bool = True, **kwargs: Any
    ) -> list[ToolSelection]:
        """The tool calls in a response (partial JSON arguments of streamed chunks tolerated)."""
        selections = tool_selections(response.message)
        if not selections and error_on_no_tool_call:
            raise ValueError(
                "Expected at least one tool call in the response, got none; the model "
                f"answered: {(response.message.content or '')[:200]!r}"
            )
        return selections

    # -- structured output over JSON mode -------------------------------------------------

    def _use_json_mode(self) -> bool:
        return self.pydantic_program_mode == PydanticProgramMode.DEFAULT

    def _schema_messages(
        self, prompt: PromptTemplate, prompt_args: dict[str, Any]
    ) -> list[ChatMessage]:
        return self._extend_messages(prompt.format_messages(**prompt_args))

    @dispatcher.span
    def structured_predict(
        self,
        output_cls: type[ModelT],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> ModelT:
        """Predict an ``output_cls`` via MiMo's JSON mode (tool calling if the mode says so)."""
        if not self._use_json_mode():
            return cast(
                ModelT, super().structured_predict(output_cls, prompt, llm_kwargs, **prompt_args)
            )
        dispatcher.event(
            LLMStructuredPredictStartEvent(
                output_cls=output_cls, template=prompt, template_args=prompt_args
            )
        )
        kwargs = {**(llm_kwargs or {}), "response_format": schema_response_format(output_cls)}
        response = self.chat(self._schema_messages(prompt, prompt_args), **kwargs)
        result = parse_structured(output_cls, response.message.content or "")
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    @dispatcher.span
    async def astructured_predict(
        self,
        output_cls: type[ModelT],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> ModelT:
        """Async :meth:`structured_predict`."""
        if not self._use_json_mode():
            result = await super().astructured_predict(
                output_cls, prompt, llm_kwargs, **prompt_args
            )
            return cast(ModelT, result)
        dispatcher.event(
            LLMStructuredPredictStartEvent(
                output_cls=output_cls, template=prompt, template_args=prompt_args
            )
        )
        kwargs = {**(llm_kwargs or {}), "response_format": schema_response_format(output_cls)}
        response = await self.achat(self._schema_messages(prompt, prompt_args), **kwargs)
        result = parse_structured(output_cls, response.message.content or "")
        dispatcher.event(LLMStructuredPredictEndEvent(output=result))
        return result

    def _structured_stream_call(
        self,
        output_cls: type[ModelT],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> Generator[ModelT | list[ModelT] | FlexibleModel | list[FlexibleModel], None, None]:
        if not self._use_json_mode():
            return super()._structured_stream_call(output_cls, prompt, llm_kwargs, **prompt_args)
        from llama_index.core.program.streaming_utils import (
            process_streaming_content_incremental,
        )

        kwargs = {**(llm_kwargs or {}), "response_format": schema_response_format(output_cls)}
        chunks = self.stream_chat(self._schema_messages(prompt, prompt_args), **kwargs)

        def gen() -> Generator[ModelT | FlexibleModel, None, None]:
            current: Any = None
            for chunk in chunks:
                current = process_streaming_content_incremental(chunk, output_cls, current)
                yield current

        return gen()

    async def _structured_astream_call(
        self,
        output_cls: type[ModelT],
        prompt: PromptTemplate,
        llm_kwargs: dict[str, Any] | None = None,
        **prompt_args: Any,
    ) -> AsyncGenerator[ModelT | list[ModelT] | FlexibleModel | list[FlexibleModel], None]:
        if not self._use_json_mode():
            return await super()._structured_astream_call(
                output_cls, prompt, llm_kwargs, **prompt_args
            )
        from llama_index.core.program.streaming_utils import (
            process_streaming_content_incremental,
        )

        kwargs = {**(llm_kwargs or {}), "response_format": schema_response_format(output_cls)}
        chunks = await self.astream_chat(self._schema_messages(prompt, prompt_args), **kwargs)

        async def gen() -> AsyncGenerator[ModelT | FlexibleModel, None]:
            current: Any = None
            async for chunk in chunks:
                current = process_streaming_content_incremental(chunk, output_cls, current)
                yield current

        return gen()
