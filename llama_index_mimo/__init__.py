"""Xiaomi MiMo for LlamaIndex: ``from llama_index_mimo import MiMo``.

Also importable as ``from llama_index.llms.mimo import MiMo``, LlamaIndex's convention.

Data flow
---------
Input: ``ChatMessage``s and their blocks (``ThinkingBlock``, images, audio, video, tool-call
blocks) -> OpenAI-format message dicts (``_messages.py``, ``_media.py``) ->
``mimo_client.integration.build_request_from`` with the fields, ``additional_kwargs`` and
call arguments (``base.py``) -> the core client.

Output, streamed: the core's ``StreamDelta`` per ``chat.completion.chunk`` (bytes -> SSE
events -> chunk dicts -> deltas, all in ``mimo_client``) -> one ``ChatResponse`` per delta:
``delta``, ``additional_kwargs["thinking_delta"]`` and the message so far (``_stream.py``).
Not streamed: the core's ``AssistantTurn`` -> ``ChatResponse`` with a ``ThinkingBlock``
before the ``TextBlock`` (``_convert.py``). Completions are LlamaIndex's chat-to-completion
helpers over these; tools are in ``_tools.py``, structured output in ``_structured.py``.
Errors are the core's own (``mimo_client.MiMoError`` and its subclasses).
"""

from llama_index_mimo.base import DEFAULT_MODEL, MiMo

__all__ = ["DEFAULT_MODEL", "MiMo"]
