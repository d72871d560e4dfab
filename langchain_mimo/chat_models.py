"""ChatMiMo: Xiaomi MiMo chat models for LangChain, over the ``mimo_client`` core."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, Literal

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import (
    BaseChatModel,
    LangSmithParams,
    LanguageModelInput,
    ModelProfile,
)
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.output_parsers import JsonOutputKeyToolsParser, PydanticToolsParser
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableMap, RunnablePassthrough
from langchain_core.tools import BaseTool
from langchain_core.utils import from_env, get_pydantic_field_names, secret_from_env
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    field_serializer,
    model_validator,
)
from typing_extensions import Self

import mimo_client
from mimo_client.integration import (
    ClientPool,
    build_request_from,
    masked_headers,
    public_headers,
    tool_call_limit,
)

from ._convert import PROVIDER, turn_to_message
from ._errors import to_langchain_error
from ._extras import StreamExtras, with_turn_extras
from ._init_args import move_unknown_to_model_kwargs
from ._messages import messages_to_wire
from ._profile import model_profile
from ._stream import StreamChunkBuilder
from ._structured import is_pydantic_class, json_output_parser, to_response_format

__all__ = ["ChatMiMo"]

_ALIASES = {"max_completion_tokens": "max_tokens", "model_name": "model"}


class ChatMiMo(BaseChatModel):
    r"""Xiaomi MiMo chat models (``mimo-v2.6-pro``, ``mimo-v2.6-flash``, ...).

    Unlike reaching MiMo through ``ChatOpenAI`` (which loses the reasoning) or
    ``ChatDeepSeek`` (which drops it on the way back, so a thinking-mode tool loop fails on
    its second turn with ``400 The reasoning_content in the thinking mode must be passed back
    to the API``), ``ChatMiMo`` returns the model's reasoning and sends it back with every
    assistant message of the history.

    Setup:
        Install the package with its LangChain extra and set your key
        (made at platform.xiaomimimo.com, Settings -> API keys).

        ```bash
        pip install "mimo-integrations[langchain]"
        export MIMO_API_KEY="sk-..."
        # Token Plan keys (tp-...) use a regional host:
        # export MIMO_BASE_URL="https://token-plan-sgp.xiaomimimo.com/v1"
        ```

    Key init args — completion params:
        model: str
            Model id, default ``"mimo-v2.6-pro"``. Any string is sent as given; the served
            ids (``mimo-v2.6-pro``, ``mimo-v2.6-flash``, ``mimo-v2.6-pro-ultraspeed``) fill
            ``profile``. Retired ids (``mimo-v2.5-pro``, ``mimo-v2.5``, the v2 ids) warn
            once and the service's refusal names the replacement.
        thinking: bool | None
            ``True``/``False`` turns thinking mode on/off; ``None`` keeps the model's
            default (on for every v2.6 model, flash included, and for unknown ids).
        temperature: float | None
            0 to 1.5. Thinking mode forces 1.0 on the service side.
        max_tokens: int | None
            Sent as ``max_completion_tokens``; counts reasoning and visible output.
        top_p, frequency_penalty, presence_penalty, stop, reasoning_effort:
            Sent only when set.

    Key init args — client params:
        api_key: SecretStr | None
            Defaults to ``MIMO_API_KEY``. Never shown in ``repr``, errors or ``dumps``.
            ``pickle`` keeps a key passed here in plain text (so a copy sent to a worker
            process works); a key read from ``MIMO_API_KEY`` is not pickled.
        default_headers: dict[str, str] | None
            Extra headers; values of those that may carry a credential (``X-Api-Key``,
            ``Authorization``, ...) are masked in ``repr`` and left out of dumps and traces.
        base_url: str | None
            Defaults to ``MIMO_BASE_URL``, else ``https://api.xiaomimimo.com/v1``.
        timeout: float | None
            Seconds each socket operation may take (connect, each read); the core's default
            is 120. It does not bound a whole call: ``total_timeout`` does.
        total_timeout: float | None
            Seconds a whole call may take, retries included, or a whole stream (the core's
            default is 600); on expiry ``MiMoTimeoutError`` (a ``ModelTimeoutError``), with
            ``.partial`` for a stream.
        max_connections: int | None
            Connections open at once per client (the core's default is 64).
        max_retries: int
            Retries of 429, 5xx, timeouts and dropped connections (default 2).
        requests_per_minute, tokens_per_minute: int | None
            The account's limits (MiMo: 100 requests, 10M tokens a minute per model); calls
            wait for a slot so a large ``batch(..., config={"max_concurrency": 16})`` stays
            under them. Off by default.

    Instantiate:
        ```python
        from langchain_mimo import ChatMiMo

        model = ChatMiMo(
            model="mimo-v2.6-pro",
            # thinking=False,
            # max_tokens=1024,
            # api_key="...",  # else MIMO_API_KEY
        )
        ```

    Invoke:
        ```python
        messages = [
            ("system", "You are a helpful translator. Translate the user sentence to French."),
            ("human", "I love programming."),
        ]
        ai_msg = model.invoke(messages)
        print(ai_msg.text)
        ```

    Stream:
        ```python
        for chunk in model.stream(messages):
            print(chunk.text, end="")
        print()

        stream = model.stream(messages)
        full = next(stream)
        for chunk in stream:
            full += chunk
        print(full.additional_kwargs.get("reasoning_content"))
        ```

    Async:
        ```python
        import asyncio


        async def main() -> None:
            await model.ainvoke(messages)
            async for chunk in model.astream(messages):
                print(chunk.text, end="")
            print()
            await model.abatch([messages, messages])


        asyncio.run(main())
        ```

    Reasoning:
        The reasoning arrives in ``additional_kwargs["reasoning_content"]`` (streamed
        chunks add up to the whole text) and as the first block of ``content_blocks``.
        With ``output_version="v1"`` it is stored as a ``reasoning`` content block.
        Either way it is passed back to the service with the message, as MiMo requires
        in thinking mode.

        ```python
        ai_msg = model.invoke("How many r are in 'strawberry'?")
        print(ai_msg.additional_kwargs["reasoning_content"])
        print(ai_msg.content_blocks[0]["type"])  # 'reasoning'

        v1_model = ChatMiMo(model="mimo-v2.6-pro", output_version="v1")
        print([block["type"] for block in v1_model.invoke("Hello").content])

        quick = model.invoke("Hello", thinking=False)  # per call
        ```

    Tool calling:
        ```python
        from pydantic import BaseModel, Field
        from langchain_core.messages import HumanMessage


        class GetWeather(BaseModel):
            '''Get the current weather in a given location.'''

            location: str = Field(..., description="The city, e.g. Beijing")


        model_with_tools = model.bind_tools([GetWeather])
        history = [HumanMessage("What is the weather in Beijing?")]
        ai_msg = model_with_tools.invoke(history)
        print(ai_msg.tool_calls)

        # Send the tool result back; the reasoning of ai_msg goes with it.
        history += [ai_msg]
        history += [
            {"role": "tool", "content": "Sunny, 25C", "tool_call_id": call["id"]}
            for call in ai_msg.tool_calls
        ]
        print(model_with_tools.invoke(history).text)
        ```

        ``tool_choice`` takes ``"auto"``, ``"none"`` (no tools sent) or a tool name (only
        that tool is sent). MiMo cannot force a call: ``"any"``/``"required"`` send the
        tools with a warning. ``parallel_tool_calls=False`` keeps only the first call of a
        reply (the service has no such parameter, so it is never sent). Streaming yields
        ``tool_call_chunks``; arguments that are not valid JSON end up in
        ``invalid_tool_calls`` instead of raising.

    Structured output:
        ```python
        from typing import Optional


        class Joke(BaseModel):
            '''Joke to tell user.'''

            setup: str = Field(description="The setup of the joke")
            punchline: str = Field(description="The punchline to the joke")
            rating: Optional[int] = Field(default=None, description="1 to 10")


        structured_model = model.with_structured_output(Joke)
        print(structured_model.invoke("Tell me a joke about cats"))

        # json_schema is emulated (json_object + the schema in the instructions) and the
        # answer is validated against the schema:
        json_model = model.with_structured_output(Joke, method="json_schema")
        ```

        ``method`` is ``"function_calling"`` (default), ``"json_mode"`` or
        ``"json_schema"``; schemas may be pydantic models, TypedDicts or JSON schemas
        (checked with ``jsonschema``); ``include_raw=True`` returns
        ``{"raw", "parsed", "parsing_error"}``. Streamed ``json_mode``/``json_schema``
        answers yield partial dicts, then are validated when the stream ends.

    Multimodal:
        The v2.6 models read images, audio and video.
        LangChain's standard blocks (URL or base64) and OpenAI-style ``image_url`` parts
        both work; media need a text part beside them.

        ```python
        omni = ChatMiMo(model="mimo-v2.6-flash")
        message = HumanMessage(
            content=[
                {"type": "text", "text": "Describe this image."},
                {"type": "image", "url": "https://example.com/cat.png"},
                # {"type": "image", "base64": "...", "mime_type": "image/png"},
                # {"type": "audio", "url": "https://example.com/a.wav"},
                # {"type": "video", "url": "https://example.com/v.mp4",
                #  "extras": {"fps": 2, "media_resolution": "default"}},
            ]
        )
        print(omni.invoke([message]).text)
        ```

    Web search:
        ``web_search=True`` (or the tool's fields: ``force_search``, ``max_keyword``,
        ``limit``, ``user_location``) lets the model search the web. Each source becomes a
        standard ``Citation`` on the answer's text block (``cited_text`` is the service's
        summary; site name, publish time and logo in ``extras``); the raw list is in
        ``response_metadata["annotations"]``, the search counts in
        ``response_metadata["web_search_usage"]``. A failed search warns and leaves its reason
        in ``response_metadata["error_message"]``; a spent quota (or a disabled Web Search
        plugin) raises ``MiMoWebSearchUnavailableError``.

        ```python
        searching = ChatMiMo(model="mimo-v2.6-flash", web_search={"limit": 3})
        answer = searching.invoke("What happened in Wuhan today?")
        text_block = next(b for b in answer.content_blocks if b["type"] == "text")
        print([citation["url"] for citation in text_block.get("annotations", [])])
        ```

    Speech:
        The speech models (``mimo-v2.5-tts``, ``-voicedesign``, ``-voiceclone``) speak the
        last assistant message; user messages are style instructions. The clip comes back
        as an ``audio`` content block (and the raw object in ``additional_kwargs["audio"]``);
        streamed, the PCM16 pieces add up to the whole clip.

        ```python
        tts = ChatMiMo(model="mimo-v2.5-tts", audio={"voice": "Chloe", "format": "wav"})
        clip = tts.invoke([("human", "Cheerful."), ("ai", "Hello from MiMo!")])
        print(clip.content_blocks[0]["mime_type"])  # audio/wav
        ```

    Token usage:
        ```python
        ai_msg = model.invoke(messages)
        print(ai_msg.usage_metadata)
        # {'input_tokens': 28, 'output_tokens': 95, 'total_tokens': 123,
        #  'input_token_details': {'cache_read': 0},
        #  'output_token_details': {'reasoning': 80}}
        ```

        When streaming, exactly one chunk (the last) carries the usage.

    Response metadata:
        ```python
        print(ai_msg.response_metadata)
        # {'model_name': 'mimo-v2.6-pro', 'token_usage': {...the service's usage block...},
        #  'model_provider': 'mimo', 'finish_reason': 'stop', 'id': 'chatcmpl-...'}
        ```

        ``finish_reason`` may also be ``length``, ``tool_calls``, ``content_filter`` or
        MiMo's ``repetition_truncation``.

    Errors:
        Failures raise LangChain's provider-neutral errors, which are also the core's:
        ``MiMoAuthenticationError`` is both ``ModelAuthenticationError`` and
        ``mimo_client.AuthenticationError``; likewise ``MiMoRateLimitError``
        (``ModelRateLimitError``), ``MiMoInvalidRequestError`` (``ModelInvalidRequestError``,
        the service's reason in ``.param``), ``MiMoContextOverflowError``
        (``ContextOverflowError``), ``MiMoAPIError``, ``MiMoTimeoutError``,
        ``MiMoConnectionError`` and ``MiMoStreamInterruptedError`` (with ``.partial``).
        A history the service would reject (e.g. a thinking-mode tool-call turn without its
        reasoning) raises ``ValueError`` before anything is sent.

    Offline tests:
        ``mimo_client.testing.MiMoEmulator`` is a loopback MiMo that enforces the service's
        rules; point ``base_url`` at it to test your chains and agents without a key.
    """

    model_name: str = Field(default=mimo_client.DEFAULT_MODEL, alias="model")
    """Model id, sent as given."""
    api_key: SecretStr | None = Field(default_factory=secret_from_env("MIMO_API_KEY", default=None))
    """API key; defaults to the ``MIMO_API_KEY`` environment variable."""
    base_url: str | None = Field(
        default_factory=from_env("MIMO_BASE_URL", default=None), alias="api_base"
    )
    """Base URL (``.../v1``); defaults to ``MIMO_BASE_URL``, else the official host."""
    temperature: float | None = None
    """Sampling temperature (0 to 1.5); unset by default."""
    max_tokens: int | None = Field(default=None, alias="max_completion_tokens")
    """Maximum tokens to generate, reasoning included (sent as ``max_completion_tokens``)."""
    top_p: float | None = None
    """Nucleus sampling threshold (0.01 to 1)."""
    frequency_penalty: float | None = None
    """Frequency penalty (-2 to 2)."""
    presence_penalty: float | None = None
    """Presence penalty (-2 to 2)."""
    stop: list[str] | str | None = Field(default=None, alias="stop_sequences")
    """Up to 4 stop strings."""
    thinking: bool | None = None
    """Thinking mode on (True) or off (False); None keeps the model's default."""
    reasoning_effort: Literal["low", "medium", "high"] | None = None
    """Accepted by the service; reported to have no effect."""
    web_search: bool | dict[str, Any] | None = None
    """MiMo's built-in web search: True (service defaults) or the tool's fields
    (``force_search``, ``max_keyword`` 1-50, ``limit`` 1-50, ``user_location``)."""
    audio: dict[str, Any] | None = None
    """Speech models (``mimo-v2.5-tts*``): ``{"voice": "Chloe", "format": "wav"}``; format
    ``wav``, ``mp3``, ``pcm`` or ``pcm16``."""
    asr_options: dict[str, Any] | None = None
    """Recognition (``mimo-v2.5-asr``): e.g. ``{"language": "en"}``, sent as given."""
    timeout: float | None = Field(default=None, alias="request_timeout")
    """Seconds each socket operation (connect, each read) may take; None: the core's 120."""
    total_timeout: float | None = None
    """Seconds a whole call (retries included) or a whole stream may take; None: 600."""
    max_connections: int | None = None
    """Connections open at once per client; None: the core's default (64)."""
    max_retries: int = 2
    """Retries of 429, 5xx, timeouts and connection errors."""
    requests_per_minute: int | None = None
    """The account's request limit for the model: calls wait for a slot (see below); off if None.

    Every ChatMiMo/MiMo/core client of the process with the same key, base URL and model
    shares one limiter (``mimo_client.rate_limit``), so ``batch``/``abatch`` run at the
    limit, not into 429s. LangChain's ``rate_limiter=`` still applies on top."""
    tokens_per_minute: int | None = None
    """The account's token limit for the model (estimated before a call, then ``usage``)."""
    streaming: bool = False
    """Whether ``invoke`` streams under the hood (callbacks then see every token)."""
    stream_usage: bool = True
    """Whether streamed output carries usage metadata (on the last chunk)."""
    model_kwargs: dict[str, Any] = Field(default_factory=dict)
    """Further request parameters (e.g. ``user``, or a service parameter newer than ChatMiMo).

    Names the core knows, wire names included (``max_completion_tokens``), are checked and
    translated by ``mimo_client.integration.build_request_from`` like the fields; other names
    are sent as given. Unknown constructor arguments land here with a warning; a field's name
    here raises (give it as its own argument).
    """
    default_headers: dict[str, str] | None = None
    """Extra HTTP headers sent with every request (their values are hidden in ``repr``)."""
    http_client: Any = Field(default=None, exclude=True)
    """Optional ``httpx.Client`` for sync calls (not closed by ChatMiMo)."""
    http_async_client: Any = Field(default=None, exclude=True)
    """Optional ``httpx.AsyncClient`` for async calls (not closed by ChatMiMo)."""

    model_config = ConfigDict(populate_by_name=True)

    _clients: ClientPool = PrivateAttr(default_factory=ClientPool)

    @model_validator(mode="before")
    @classmethod
    def build_extra(cls, values: Any) -> Any:
        """Move unknown constructor arguments into ``model_kwargs`` (with a warning)."""
        return move_unknown_to_model_kwargs(values, get_pydantic_field_names(cls))

    def __copy__(self) -> Self:
        # pydantic's shallow copy (model_copy) would share the client pool with the original
        clone = super().__copy__()
        clone._clients = ClientPool()
        return clone

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            if name == "default_headers" and value:
                value = masked_headers(value)
            yield name, value

    def __getstate__(self) -> dict[Any, Any]:
        # A key read from MIMO_API_KEY is not pickled (each process reads its own
        # environment); a key passed explicitly is, as LlamaIndex's MiMo does.
        if "api_key" in self.model_fields_set:
            return super().__getstate__()
        state: dict[Any, Any] = super(
            ChatMiMo, self.model_copy(update={"api_key": None})
        ).__getstate__()
        return state

    @field_serializer("default_headers")
    def _dump_headers(self, headers: dict[str, str] | None) -> dict[str, str] | None:
        # model_dump()/model_dump_json() leave credential headers out, as dumps does.
        return None if headers is None else public_headers(headers)

    # --- identity, serialization, tracing -------------------------------------------------

    @property
    def _llm_type(self) -> str:
        return "mimo-chat"

    @property
    def lc_secrets(self) -> dict[str, str]:
        """Constructor arguments that are secrets, and the environment variables they use."""
        return {"api_key": "MIMO_API_KEY"}

    @property
    def lc_attributes(self) -> dict[str, Any]:
        """Serialized in place of fields: ``default_headers`` without credential headers.

        ``dumpd``/``dumps``/``to_json()`` and the ``serialized`` manifest callbacks (and
        LangSmith) receive leave out headers that may carry a key (``X-Api-Key``,
        ``Authorization``, ...), as they leave out ``api_key``.
        """
        if self.default_headers:
            return {"default_headers": public_headers(self.default_headers)}
        return {}

    @classmethod
    def is_lc_serializable(cls) -> bool:
        """ChatMiMo can be serialized with ``langchain_core.load.dumps`` (key excluded)."""
        return True

    @classmethod
    def get_lc_namespace(cls) -> list[str]:
        """The import path used by ``langchain_core.load``."""
        return ["langchain_mimo", "chat_models"]

    @property
    def _identifying_params(self) -> dict[str, Any]:
        params: dict[str, Any] = {"model_name": self.model_name}
        for name in ("temperature", "max_tokens", "top_p", "thinking", "reasoning_effort"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value
        return params

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        options = self._call_options(stop, kwargs)
        params = LangSmithParams(
            ls_provider=PROVIDER, ls_model_name=str(options["model"]), ls_model_type="chat"
        )
        if options.get("temperature") is not None:
            params["ls_temperature"] = options["temperature"]
        if options.get("max_tokens") is not None:
            params["ls_max_tokens"] = options["max_tokens"]
        stops = options["stop"]
        if stops:
            params["ls_stop"] = [stops] if isinstance(stops, str) else list(stops)
        return params

    def _resolve_model_profile(self) -> ModelProfile | None:
        return model_profile(self.model_name)

    # --- requests --------------------------------------------------------------------------

    def _connection(self, http_client: Any) -> dict[str, Any]:
        return {
            "api_key": self.api_key,
            "base_url": self.base_url,
            "timeout": self.timeout,
            "total_timeout": self.total_timeout,
            "max_connections": self.max_connections,
            "max_retries": self.max_retries,
            "default_headers": self.default_headers,
            "http_client": http_client,
            "requests_per_minute": self.requests_per_minute,
            "tokens_per_minute": self.tokens_per_minute,
        }

    def _sync_client(self) -> mimo_client.MiMoClient:
        # The settings are read on every call: a changed field or a copy gets its own client.
        return self._clients.sync(**self._connection(self.http_client))

    def _aclient(self) -> mimo_client.AsyncMiMoClient:
        return self._clients.for_running_loop(**self._connection(self.http_async_client))

    def _call_options(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Every option of one call, for the request and for tracing alike.

        The fields, then ``model_kwargs``, then call-time keyword arguments (their aliases,
        e.g. ``model_name``/``max_completion_tokens``, resolved), then ``stop``.
        """
        options: dict[str, Any] = {
            "model": self.model_name,
            "max_tokens": self.max_tokens,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "stop": self.stop,
            "frequency_penalty": self.frequency_penalty,
            "presence_penalty": self.presence_penalty,
            "thinking": self.thinking,
            "reasoning_effort": self.reasoning_effort,
            "web_search": self.web_search,
            "audio": self.audio,
            "asr_options": self.asr_options,
        }
        options.update(self.model_kwargs)
        for name, value in kwargs.items():
            if name not in ("stream", "stream_usage"):
                options[_ALIASES.get(name, name)] = value
        if stop is not None:
            options["stop"] = stop
        if not options["stop"]:
            options["stop"] = None  # an empty list means "no stop strings": send nothing
        return options

    def _prepare(
        self,
        messages: Sequence[BaseMessage],
        stop: list[str] | None,
        kwargs: dict[str, Any],
        *,
        stream: bool,
    ) -> tuple[dict[str, Any], int | None]:
        """The request body and how many tool calls of the reply to keep (None: all)."""
        options = self._call_options(stop, kwargs)
        request = build_request_from(messages_to_wire(messages), options, stream=stream)
        return request, tool_call_limit(options)

    def _stream_usage(self, kwargs: dict[str, Any]) -> bool:
        value = kwargs.get("stream_usage")
        return self.stream_usage if value is None else bool(value)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request, max_calls = self._prepare(messages, stop, kwargs, stream=False)
        try:
            completion = self._sync_client().create(request)
            turn = mimo_client.AssistantTurn.from_completion(completion, max_tool_calls=max_calls)
        except mimo_client.MiMoError as error:
            raise to_langchain_error(error) from error
        return _chat_result(turn, request)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        request, max_calls = self._prepare(messages, stop, kwargs, stream=False)
        try:
            completion = await self._aclient().create(request)
            turn = mimo_client.AssistantTurn.from_completion(completion, max_tool_calls=max_calls)
        except mimo_client.MiMoError as error:
            raise to_langchain_error(error) from error
        return _chat_result(turn, request)

    def _chunk_builder(self, request: dict[str, Any], kwargs: dict[str, Any]) -> StreamChunkBuilder:
        """The builder of one stream's chunks (model from the request: a call may override it)."""
        return StreamChunkBuilder(
            model=request["model"],
            v1=self.output_version == "v1",
            with_usage=self._stream_usage(kwargs),
        )

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        request, max_calls = self._prepare(messages, stop, kwargs, stream=True)
        builder = self._chunk_builder(request, kwargs)
        try:
            extras = StreamExtras(v1=self.output_version == "v1")
            with self._sync_client().stream(request, max_tool_calls=max_calls) as stream:
                for delta in stream.deltas():
                    if extra := extras.chunk(delta, stream.accumulator):
                        yield extra  # web search results, speech audio
                    chunk = builder.add(delta)
                    if chunk is None:
                        continue
                    # run_manager is given only on the event-protocol path (stream_events v3,
                    # invoke's v2 branch), which fires no token callbacks itself; stream() and
                    # invoke() call _stream without one and fire them on each chunk we yield.
                    if run_manager is not None:
                        run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                    yield chunk
        except mimo_client.MiMoError as error:
            raise to_langchain_error(error) from error
        if tail := extras.finish(stream.accumulator):
            yield tail
        yield builder.last(stream.accumulator)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        request, max_calls = self._prepare(messages, stop, kwargs, stream=True)
        builder = self._chunk_builder(request, kwargs)
        try:
            extras = StreamExtras(v1=self.output_version == "v1")
            async with self._aclient().stream(request, max_tool_calls=max_calls) as stream:
                async for delta in stream.deltas():
                    if extra := extras.chunk(delta, stream.accumulator):
                        yield extra  # web search results, speech audio
                    chunk = builder.add(delta)
                    if chunk is None:
                        continue
                    if run_manager is not None:
                        await run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                    yield chunk
        except mimo_client.MiMoError as error:
            raise to_langchain_error(error) from error
        if tail := extras.finish(stream.accumulator):
            yield tail
        yield builder.last(stream.accumulator)

    # --- tools and structured output ----------------------------------------------------------

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: dict[str, Any] | str | bool | None = None,
        strict: bool | None = None,
        parallel_tool_calls: bool | None = None,
        response_format: Any = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (LangChain tools, pydantic models, functions or OpenAI tool dicts).

        Args:
            tools: the tools the model may call.
            tool_choice: ``"auto"``, ``"none"`` (no tools are sent), a tool name or
                ``{"type": "function", "function": {"name": ...}}`` (only that tool is
                sent). ``"any"``/``"required"``/``True`` send the tools with a warning:
                MiMo cannot force a tool call. ``None``/``False`` leave it unset.
            strict: sent as each function's ``strict`` flag when not None.
            parallel_tool_calls: ``False`` keeps only the first tool call of each reply.
                Never sent: the service has no such parameter (it may still answer with
                several calls, of which the rest are dropped).
            response_format: a schema (pydantic, TypedDict, JSON schema) or an OpenAI
                ``response_format`` dict for the final answer, as LangChain's
                ``create_agent`` passes it; ``json_schema`` is emulated by the core.
            kwargs: further call parameters bound with the tools.

        """
        formatted = [convert_to_openai_tool(tool, strict=strict) for tool in tools]
        if tool_choice is True:
            tool_choice = "required"  # LangChain's "force a call", in the wire's words
        if tool_choice is not None and tool_choice is not False:
            kwargs["tool_choice"] = tool_choice
        if parallel_tool_calls is not None:
            kwargs["parallel_tool_calls"] = parallel_tool_calls
        if response_format is not None:
            kwargs["response_format"] = to_response_format(response_format, strict=strict)
        return self.bind(tools=formatted, **kwargs)

    def with_structured_output(
        self,
        schema: dict[str, Any] | type | None = None,
        *,
        method: Literal["function_calling", "json_mode", "json_schema"] = "function_calling",
        include_raw: bool = False,
        strict: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, dict[str, Any] | BaseModel]:
        """A runnable that answers with data shaped by ``schema``.

        Args:
            schema: a pydantic model (answers are instances), a TypedDict, a JSON schema
                or an OpenAI tool schema (answers are dicts). Optional for ``json_mode``.
            method: ``"function_calling"`` (the schema is a tool, named as the only tool
                sent), ``"json_mode"`` (``response_format: json_object``; describe the shape
                in the prompt) or ``"json_schema"`` (emulated: ``json_object`` plus the
                schema in a system instruction; the answer is validated against it).
            include_raw: return ``{"raw": AIMessage, "parsed": ..., "parsing_error": ...}``
                instead of raising on a parsing error.
            strict: passed as the tool's ``strict`` flag (function_calling) or the
                schema's (json_schema).
            kwargs: further parameters bound to the model.

        """
        output_format = {"kwargs": {"method": method, "strict": strict}, "schema": schema}
        parser: Runnable[Any, Any]
        if method == "function_calling":
            if schema is None:
                raise ValueError("with_structured_output(method='function_calling') needs a schema")
            tool_name = convert_to_openai_tool(schema)["function"]["name"]
            llm = self.bind_tools(
                [schema],
                tool_choice=tool_name,
                strict=strict,
                ls_structured_output_format=output_format,
                **kwargs,
            )
            if is_pydantic_class(schema):
                parser = PydanticToolsParser(tools=[schema], first_tool_only=True)  # type: ignore[list-item]
            else:
                parser = JsonOutputKeyToolsParser(key_name=tool_name, first_tool_only=True)
        elif method == "json_mode":
            llm = self.bind(
                response_format={"type": "json_object"},
                ls_structured_output_format={"kwargs": {"method": method}, "schema": schema},
                **kwargs,
            )
            parser = json_output_parser(schema)
        elif method == "json_schema":
            if schema is None:
                raise ValueError("with_structured_output(method='json_schema') needs a schema")
            llm = self.bind(
                response_format=to_response_format(schema, strict=strict),
                ls_structured_output_format=output_format,
                **kwargs,
            )
            parser = json_output_parser(schema)
        else:
            raise ValueError(
                f"method must be 'function_calling', 'json_mode' or 'json_schema', got {method!r}"
            )
        if not include_raw:
            return llm | parser
        parser_assign = RunnablePassthrough.assign(
            parsed=itemgetter("raw") | parser, parsing_error=lambda _: None
        )
        parser_none = RunnablePassthrough.assign(parsed=lambda _: None)
        with_fallback = parser_assign.with_fallbacks([parser_none], exception_key="parsing_error")
        return RunnableMap(raw=llm) | with_fallback


def _chat_result(turn: mimo_client.AssistantTurn, request: dict[str, Any]) -> ChatResult:
    model = request["model"]
    message = with_turn_extras(turn_to_message(turn, model=model), turn, request)
    llm_output: dict[str, Any] = {"model_name": turn.model or model}
    if turn.usage is not None:
        llm_output["token_usage"] = turn.usage.raw
    return ChatResult(generations=[ChatGeneration(message=message)], llm_output=llm_output)
