"""langchain_mimo: Xiaomi MiMo chat models for LangChain (``ChatMiMo``), over ``mimo_client``.

Data flow
---------
Input: LangChain messages (v0 or v1 content, multimodal blocks) -> OpenAI-format message
dicts (``_messages.py``, ``_media.py``) -> ``mimo_client.integration.build_request_from``
with the fields, ``model_kwargs`` and call arguments (``chat_models.py``) -> the core client.

Output, streamed: the core's ``StreamDelta`` per ``chat.completion.chunk`` (bytes -> SSE
events -> chunk dicts -> deltas, all in ``mimo_client``) -> one ``ChatGenerationChunk`` of an
``AIMessageChunk`` per delta, reasoning in ``additional_kwargs["reasoning_content"]``, plus
a last chunk with usage and finish reason (``_stream.py``). Not streamed: the core's
``AssistantTurn`` -> ``AIMessage`` (``_convert.py``). Core errors become the ``MiMo*Error``
classes below, which are also LangChain's own error types (``_errors.py``); structured
output is in ``_structured.py``.
"""

from ._errors import (
    MiMoAPIError,
    MiMoAuthenticationError,
    MiMoConnectionError,
    MiMoContentFilterError,
    MiMoContextOverflowError,
    MiMoInsufficientBalanceError,
    MiMoInvalidRequestError,
    MiMoModelError,
    MiMoNotFoundError,
    MiMoPermissionDeniedError,
    MiMoRateLimitError,
    MiMoStreamInterruptedError,
    MiMoTimeoutError,
    MiMoWebSearchUnavailableError,
)
from .chat_models import ChatMiMo

__all__ = [
    "ChatMiMo",
    "MiMoAPIError",
    "MiMoAuthenticationError",
    "MiMoConnectionError",
    "MiMoContentFilterError",
    "MiMoContextOverflowError",
    "MiMoInsufficientBalanceError",
    "MiMoInvalidRequestError",
    "MiMoModelError",
    "MiMoNotFoundError",
    "MiMoPermissionDeniedError",
    "MiMoRateLimitError",
    "MiMoStreamInterruptedError",
    "MiMoTimeoutError",
    "MiMoWebSearchUnavailableError",
]
