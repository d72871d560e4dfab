"""What an adapter author needs beyond the user-facing ``mimo_client`` names.

``langchain_mimo`` and ``llama_index_mimo`` are built from these; a third adapter (another
framework) would be too. Users of the core alone need none of them.

- :class:`ClientPool`: the clients behind one framework model object, made on first use,
  one async client per running event loop, remade when the settings change.
- :func:`build_request_from`: :func:`mimo_client.build_request` with every option in one
  mapping, as a framework collects them (fields, ``model_kwargs``, per-call keyword
  arguments); :data:`REQUEST_OPTIONS` are the names it checks and translates,
  :data:`NOT_SENT` those it leaves to the caller, such as ``parallel_tool_calls``, which
  :func:`tool_call_limit` turns into a ``max_tool_calls``: pass it to the client's
  ``stream()``, or to ``AssistantTurn.from_completion`` for a completion from ``create()``.
- :func:`thinking_flag`: a framework's ``thinking`` setting as the wire's flag.
- :func:`json_schema_instruction`: the system-message text with which the core emulates a
  ``json_schema`` response format (MiMo has only JSON mode).
- :func:`is_secret_header`, :func:`masked_headers`, :func:`public_headers`: extra headers
  that may carry a credential, masked for ``repr`` and left out of dumps, as the key is.
"""

from ._headers import is_secret_header, masked_headers, public_headers
from ._pool import ClientPool
from .request import (
    NOT_SENT,
    REQUEST_OPTIONS,
    build_request_from,
    json_schema_instruction,
    thinking_flag,
    tool_call_limit,
)

__all__ = [
    "NOT_SENT",
    "REQUEST_OPTIONS",
    "ClientPool",
    "build_request_from",
    "is_secret_header",
    "json_schema_instruction",
    "masked_headers",
    "public_headers",
    "thinking_flag",
    "tool_call_limit",
]
