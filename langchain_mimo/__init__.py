"""langchain_mimo: Xiaomi MiMo chat models for LangChain (``ChatMiMo``), over ``mimo_client``.

Names load on first access, as in ``langchain_core.language_models``: ``import
langchain_mimo`` is cheap, and ``from langchain_mimo import ChatMiMo`` imports LangChain's
``BaseChatModel`` and the client.
"""

from typing import TYPE_CHECKING, Any

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
}


if not TYPE_CHECKING:  # type checkers see the imports above, and report unknown names

    def __getattr__(name: str) -> Any:
        return _lazy.load(__name__, _EXPORTS, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


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
