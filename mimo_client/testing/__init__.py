"""A loopback MiMo emulator for offline tests: it speaks the wire format and enforces the rules.

``MiMoEmulator`` is a real HTTP/1.1 server on 127.0.0.1 (an ephemeral port by default) running
in a background thread. It serves ``POST /v1/chat/completions`` (streamed and not) and
``GET /v1/models``, checks the key (``api-key: KEY`` or ``Authorization: Bearer KEY``; otherwise
401), rejects what the real service rejects with the service's 400 body, records every request,
and counts the TCP connections it accepted. Only the standard library is used.

Use it::

    from mimo_client.testing import MiMoEmulator, Reply

    with MiMoEmulator() as emu:                      # or emu = MiMoEmulator().start(); emu.stop()
        client = MiMoClient(api_key=emu.api_key, base_url=emu.base_url)
        emu.script(Reply.text("Hello!", reasoning="Greet back."))
        client.create({...})
        assert emu.chat_requests[-1].body["model"] == "mimo-v2.5-pro"

As a pytest fixture: add ``pytest_plugins = ["mimo_client.testing.pytest_plugin"]`` to your
top-level conftest (or import ``mimo_emulator`` from it) and take ``mimo_emulator`` as an argument.
From a shell: ``python -m mimo_client.testing --port 8000 [--api-key KEY]`` serves until killed.

Emulator state (``emu``): ``base_url`` (``http://127.0.0.1:PORT/v1``), ``api_key``, ``port``,
``requests`` (list of :class:`RecordedRequest`: method, path, headers, body (parsed JSON),
raw_body, received_at), ``chat_requests``, ``last_request``, ``connections_accepted``,
``pending`` (scripted replies left), ``script(*replies)``, ``reset()``, ``default_reply``,
``models``, ``retired_models``, ``enforce_rules``.

Rules enforced (400 ``{"error":{"code":"400","message":"Param Incorrect","param":REASON,
"type":""}}``; on ``stream: true`` requests the same object SSE-framed: ``data:{"error":...}``):
thinking mode (``thinking.type``, else the core model table's default) requires a
``reasoning_content`` string on every assistant message with ``tool_calls`` (REASON "The
reasoning_content in the thinking mode must be passed back to the API."; checked before the
other message rules; ``""`` passes, as clients that pad with it report); assistant content null
("`text` is not present"); tool content not a string, a user content array without a text part
("`text` is not set"); a tool call with an empty name ("`name` is not set"); unknown roles;
``strict`` not a boolean; tool names outside ``[a-zA-Z0-9_-]{1,64}``; web_search tools;
``response_format`` other than text/json_object; ``reasoning_effort`` other than
low/medium/high (``none`` included); temperature outside 0..1.5, top_p outside 0.01..1,
penalties outside -2..2, ``max_completion_tokens`` outside 1..131072, more than 4 stop strings;
models in ``retired_models`` ("Not supported model"; none by default). Rules are checked before
the script: a rejected request does not consume a scripted reply.

Scripting (a FIFO queue; each accepted chat request takes the next reply)::

    emu.script(
        Reply.text("Paris.", reasoning="Capital of France.", chunks=4, finish_reason="stop"),
        Reply.tool_calls(("get_weather", {"city": "Paris"}), ("get_time", "{}"), interleave=True),
        Reply.error(429, retry_after=2),          # seconds, a datetime (HTTP date) or a string
        Reply.error(400, param="bad thing"),      # SSE-framed if the request streams
        Reply.text("cut").with_faults(cut_after=3),
        Reply.long(reasoning_deltas=32000, content_deltas=32000),   # benchmarks
    )

``Reply.text(content, *, reasoning=None, finish_reason="stop", usage=None, chunks=None,
reasoning_chunks=None, model=None)``; ``Reply.tool_calls(*calls, content="", reasoning=None,
finish_reason="tool_calls", usage=None, argument_chunks=3, interleave=False, model=None)`` where a
call is ``(name, arguments)`` or ``ScriptedCall(name, arguments, id=None)``;
``Reply.long(*, reasoning_deltas=0, content_deltas=1000, piece="tok ", finish_reason="stop",
model=None)``; ``Reply.error(status, *, message=None, param=None, type=None, retry_after=None,
headers=None, body=None, sse=None)`` (``sse=None``: a 400 to a streaming request is SSE-framed,
everything else JSON; True/False force it); ``Reply.raw(body, *, status=200,
content_type="text/html; charset=utf-8", headers=None)`` (e.g. a non-JSON 200);
``Reply.garbage(data=...)`` (bytes that are not HTTP, then the connection closes).
``finish_reason`` may be anything, e.g. ``length``, ``content_filter``,
``repetition_truncation``; ``usage`` replaces the computed block.

Faults, on any reply: ``reply.with_faults(delay=None, event_delay=None, cut_after=None,
eof_after=None, trickle=None, endless=None, huge_event=None, echo_headers=None)``: ``delay``
seconds before the first byte; ``event_delay`` seconds between stream events (slow deltas);
``cut_after=k`` drops the connection after k SSE events (0: before the status line;
non-streamed: after the head and half the body); ``eof_after=k`` ends the stream cleanly after
k events with no finish chunk and no ``[DONE]`` (non-streamed: a 200 whose JSON is cut in half).
Events are counted from the role delta (event 1). Hostile servers, to test your own time bounds
and secrets handling: ``trickle=seconds`` sends the body one byte at a time; ``endless=True``
streams the last content delta forever (no finish, no ``[DONE]``); ``huge_event=n`` adds one
content delta of n characters as one SSE line; ``echo_headers=True`` makes an error reply quote
the request's headers (the API key included), as debugging proxies do.

Unscripted replies (``emu.default_reply`` answers instead when set):
1. ``response_format`` json_object: a JSON object, generated from a JSON schema embedded in a
   system/developer message if there is one, else ``{"answer": <text of rule 3 or 4>}``.
2. Tools given and the last message is from the user: a call of the first tool, arguments
   generated from its parameters schema (``const``/``default``/first ``enum``; every property;
   "example" strings, 1 / 1.5 numbers clamped into bounds, true, one-item arrays).
3. Last message a tool result: "The <tool name> tool returned: <result>".
4. Otherwise: "Emulated MiMo answer to: <last user text>".
In thinking mode a reasoning text ("The user asked: ...") comes first. ``stop`` strings cut the
content (scripted replies too); ``max_completion_tokens`` cuts reasoning then content to that many
words with finish reason ``length``. Usage: one token per whitespace-separated word (prompt: all
message texts, reasoning, tool-call names/arguments and the tools' JSON; completion: reasoning +
content + tool calls), ``completion_tokens_details.reasoning_tokens`` = reasoning words,
``prompt_tokens_details.cached_tokens`` = prompt tokens of the longest run of leading messages
already seen in an earlier request.

Streams: a role delta, reasoning deltas (one per word unless chunked), content deltas, tool-call
fragments (first: index, id, type, function.name; then index + an arguments piece), a chunk with
``finish_reason``, a usage-only chunk with ``"choices": []``, ``data: [DONE]``; one id throughout,
``object: "chat.completion.chunk"``. Non-streamed: a ``chat.completion`` with ``content`` null when
the turn is only tool calls.
"""

from __future__ import annotations

from ._reply import Reply, ScriptedCall, error_object
from ._rules import REASONING_PASS_BACK
from ._server import DEFAULT_MODELS, MiMoEmulator, RecordedRequest

__all__ = [
    "DEFAULT_MODELS",
    "REASONING_PASS_BACK",
    "MiMoEmulator",
    "RecordedRequest",
    "Reply",
    "ScriptedCall",
    "error_object",
]
