"""mimo_client: the framework-free core that speaks Xiaomi MiMo's chat-completions wire.

Both adapters (``langchain_mimo``, ``llama_index_mimo``) are thin layers over this package;
it depends on httpx only. What adapter authors need beyond these names is in
:mod:`mimo_client.integration`; a loopback MiMo emulator for offline tests is in
:mod:`mimo_client.testing`.

Data flow
---------
Request (out): OpenAI-format message dicts and options
-> ``wire.build_request`` (the service's rules: reasoning passed back, media, tools,
``json_schema`` emulated; a ``ValueError`` before sending for what MiMo would reject)
-> ``MiMoClient.create`` / ``.stream`` (``client.py``; retries in ``_retry.py``).

Reply (in), streamed:
bytes (``httpx`` response) -> SSE events (``_sse.SSEDecoder``) -> ``chat.completion.chunk``
dicts, an error event raised as a typed error (``_responses.decode_chunk``) -> one
``StreamDelta`` per chunk, folded into the turn so far (``stream.StreamAccumulator``)
-> ``ChatStream.deltas()`` (``_chat_stream.py``, which retries until the first event)
-> each adapter's framework chunks (``langchain_mimo._stream``, ``llama_index_mimo._stream``).
Not streamed: the completion dict -> ``AssistantTurn.from_completion``. HTTP failures become
the errors of ``errors.py`` (one class per condition, each naming the fix).
"""

from ._chat_stream import AsyncChatStream, ChatStream
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
    error_for_status,
)
from .media import MediaKind, audio_mime_type, media_part
from .models import KNOWN_MODELS, ModelInfo, get_model_info
from .stream import AssistantTurn, StreamAccumulator, StreamDelta, ToolCall, Usage
from .wire import build_request, is_thinking, to_wire_messages, to_wire_tools

__all__ = [
    "DEFAULT_BASE_URL",
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
    "Secret",
    "ServerError",
    "StreamAccumulator",
    "StreamDelta",
    "StreamInterruptedError",
    "ToolCall",
    "Usage",
    "audio_mime_type",
    "build_request",
    "error_for_status",
    "get_model_info",
    "is_thinking",
    "media_part",
    "to_wire_messages",
    "to_wire_tools",
]
