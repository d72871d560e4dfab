"""mimo_client: the framework-free core that speaks Xiaomi MiMo's chat-completions wire.

Both adapters (``langchain_mimo``, ``llama_index_mimo``) are thin layers over this package;
it depends on httpx only. What adapter authors need beyond these names is in
:mod:`mimo_client.integration`; a loopback MiMo emulator for offline tests is in
:mod:`mimo_client.testing`.

Data flow
---------
Request (out): OpenAI-format message dicts and options
-> ``request.build_request`` (the service's rules: reasoning passed back, media, tools,
``json_schema`` emulated; a ``ValueError`` before sending for what MiMo would reject)
-> ``request.encode_request`` (the body's bytes)
-> ``MiMoClient.create`` / ``.stream`` (``client.py``), each failed attempt asking the
retry policy (``_retry.RetryPolicy``) whether and when to try again.

Reply (in), streamed (``streaming.ChatStream``, retried until its first event):
bytes (``httpx`` response) -> SSE events (``_sse.SSEDecoder``) -> ``chat.completion.chunk``
dicts (``types.decode_chunk``; an error event raised as a typed error) -> one
``StreamDelta`` per chunk, folded into the turn so far (``types.StreamAccumulator``)
-> ``ChatStream.deltas()`` -> each adapter's framework chunks (``langchain_mimo._stream``,
``llama_index_mimo._stream``).
Not streamed: the body -> ``types.decode_completion`` -> ``AssistantTurn.from_completion``.
Every failure (a status, an error inside a body or an event, a transport error, a stream
cut short) becomes one of the errors of ``errors.py`` (one class per condition, each naming
the fix).
"""

from ._config import DEFAULT_BASE_URL
from ._secret import Secret
from .client import AsyncMiMoClient, MiMoClient
from .errors import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ContentFilterError,
    ContextWindowExceededError,
    InsufficientBalanceError,
    MiMoError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    StreamInterruptedError,
    WebSearchUnavailableError,
    error_for_status,
)
from .media import MediaKind, audio_mime_type, media_part
from .models import (
    DEFAULT_MODEL,
    KNOWN_MODELS,
    ModelInfo,
    RetiredModelWarning,
    ServedModel,
    get_model_info,
    retired_model_note,
)
from .rate_limit import RateLimiter, SlidingWindow, install_limiter, shared_limiter
from .request import build_request, is_thinking, to_wire_messages, to_wire_tools
from .speech import is_speech_model, pcm16_to_wav, write_wav
from .streaming import AsyncChatStream, ChatStream
from .types import AssistantTurn, StreamAccumulator, StreamDelta, ToolCall, Usage
from .web_search import WebCitation, web_citations, web_search_tool

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "APIConnectionError",
    "APITimeoutError",
    "AssistantTurn",
    "AsyncChatStream",
    "AsyncMiMoClient",
    "AuthenticationError",
    "BadRequestError",
    "ChatStream",
    "ContentFilterError",
    "ContextWindowExceededError",
    "InsufficientBalanceError",
    "MediaKind",
    "MiMoClient",
    "MiMoError",
    "ModelInfo",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "RetiredModelWarning",
    "Secret",
    "ServedModel",
    "ServerError",
    "SlidingWindow",
    "StreamAccumulator",
    "StreamDelta",
    "StreamInterruptedError",
    "ToolCall",
    "Usage",
    "WebCitation",
    "WebSearchUnavailableError",
    "audio_mime_type",
    "build_request",
    "error_for_status",
    "get_model_info",
    "install_limiter",
    "is_speech_model",
    "is_thinking",
    "media_part",
    "pcm16_to_wav",
    "retired_model_note",
    "shared_limiter",
    "to_wire_messages",
    "to_wire_tools",
    "web_citations",
    "web_search_tool",
    "write_wav",
]
