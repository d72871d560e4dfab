"""mimo_client: the framework-free core that speaks Xiaomi MiMo's chat-completions wire.

Both adapters (``langchain_mimo``, ``llama_index_mimo``) are thin layers over this package.
It depends on httpx only, and imports it on first use of a client: the names that need it
(the clients, their streams, ``DEFAULT_BASE_URL``) load lazily.
"""

from typing import TYPE_CHECKING

from . import _lazy
from ._headers import is_secret_header, masked_headers, public_headers
from ._partial_json import parse_partial_json
from ._pool import ClientPool
from ._secret import Secret
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
from .speech import is_speech_model, pcm16_to_wav, write_wav
from .stream import AssistantTurn, StreamAccumulator, StreamDelta, ToolCall, Usage
from .web_search import WebCitation, web_citations, web_search_tool
from .wire import (
    NOT_SENT,
    REQUEST_OPTIONS,
    build_request,
    build_request_from,
    is_thinking,
    json_schema_instruction,
    thinking_flag,
    to_wire_messages,
    to_wire_tools,
    tool_call_limit,
)

if TYPE_CHECKING:
    from ._chat_stream import AsyncChatStream, ChatStream
    from ._config import DEFAULT_BASE_URL
    from .client import AsyncMiMoClient, MiMoClient

_LAZY = {
    "AsyncChatStream": "._chat_stream",
    "ChatStream": "._chat_stream",
    "DEFAULT_BASE_URL": "._config",
    "AsyncMiMoClient": ".client",
    "MiMoClient": ".client",
}


_lazy.attach(globals(), _LAZY)  # at run time only: type checkers see the imports above


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MODEL",
    "KNOWN_MODELS",
    "NOT_SENT",
    "REQUEST_OPTIONS",
    "APIConnectionError",
    "APITimeoutError",
    "AssistantTurn",
    "AsyncChatStream",
    "AsyncMiMoClient",
    "AuthenticationError",
    "BadRequestError",
    "ChatStream",
    "ClientPool",
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
    "build_request_from",
    "error_for_status",
    "get_model_info",
    "install_limiter",
    "is_secret_header",
    "is_speech_model",
    "is_thinking",
    "json_schema_instruction",
    "masked_headers",
    "media_part",
    "parse_partial_json",
    "pcm16_to_wav",
    "public_headers",
    "retired_model_note",
    "shared_limiter",
    "thinking_flag",
    "to_wire_messages",
    "to_wire_tools",
    "tool_call_limit",
    "web_citations",
    "web_search_tool",
    "write_wav",
]
