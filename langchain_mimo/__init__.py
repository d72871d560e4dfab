"""langchain_mimo: Xiaomi MiMo chat models for LangChain (``ChatMiMo``), over ``mimo_client``."""

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
]
