"""langchain_mimo: Xiaomi MiMo chat models for LangChain (``ChatMiMo``), over ``mimo_client``.

Names load on first access, as in ``langchain_core.language_models``: ``import
langchain_mimo`` is cheap, and ``from langchain_mimo import ChatMiMo`` imports LangChain's
``BaseChatModel`` and the client.
"""

from typing import TYPE_CHECKING

from mimo_client import _lazy

if TYPE_CHECKING:
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

_EXPORTS = {
    "chat_models": ".chat_models",  # the module named by ChatMiMo.get_lc_namespace()
    "ChatMiMo": ".chat_models",
    "MiMoAPIError": "._errors",
    "MiMoAuthenticationError": "._errors",
    "MiMoConnectionError": "._errors",
    "MiMoContentFilterError": "._errors",
    "MiMoContextOverflowError": "._errors",
    "MiMoInsufficientBalanceError": "._errors",
    "MiMoInvalidRequestError": "._errors",
    "MiMoModelError": "._errors",
    "MiMoNotFoundError": "._errors",
    "MiMoPermissionDeniedError": "._errors",
    "MiMoRateLimitError": "._errors",
    "MiMoStreamInterruptedError": "._errors",
    "MiMoTimeoutError": "._errors",
    "MiMoWebSearchUnavailableError": "._errors",
}


_lazy.attach(globals(), _EXPORTS)  # at run time only: type checkers see the imports above


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
