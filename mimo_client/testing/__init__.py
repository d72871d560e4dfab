"""A loopback MiMo emulator for offline tests: it speaks the wire format and enforces the rules.

``MiMoEmulator`` is a real HTTP/1.1 server on 127.0.0.1 (an ephemeral port by default) running
in a background thread. It serves ``POST /v1/chat/completions`` (streamed and not) and
``GET /v1/models`` (``{"object":"list","data":[{"id","object":"model","owned_by":"xiaomi"}]}``,
the table's served ids), checks the key (``api-key: KEY`` or ``Authorization: Bearer KEY``;
otherwise 401 with the service's ``invalid_key`` body, byte for byte), rejects what the real
service rejects with the service's 400 body, records every request,
and counts the TCP connections it accepted. Only the standard library is used.

Use it::

    from mimo_client.testing import MiMoEmulator, Reply

    with MiMoEmulator() as emu:                      # or emu = MiMoEmulator().start(); emu.stop()
        client = MiMoClient(api_key=emu.api_key, base_url=emu.base_url)
        emu.script(Reply.text("Hello!", reasoning="Greet back."))
        client.create({...})
        assert emu.chat_requests[-1].body["model"] == "mimo-v2.6-pro"

As a pytest fixture: installing the package registers the ``mimo_emulator`` fixture (a
``pytest11`` entry point), so a test just takes ``mimo_emulator`` as an argument. With plugin
autoloading off, import it into a conftest: ``from mimo_client.testing.pytest_plugin import
mimo_emulator``. (Don't also list the module in ``pytest_plugins``: pytest refuses a plugin
registered twice.)
From a shell: ``python -m mimo_client.testing --port 8000 [--api-key KEY]`` serves until killed.

Emulator state (``emu``): ``base_url`` (``http://127.0.0.1:PORT/v1``), ``api_key``, ``port``,
``requests`` (list of :class:`RecordedRequest`: method, path, headers, body (parsed JSON),
raw_body, received_at), ``chat_requests``, ``last_request``, ``connections_accepted``,
``pending`` (scripted replies left), ``script(*replies)``, ``reset()``, ``default_reply``,
``models``, ``retired_models``, ``enforce_rules``, ``strict_parameters``.

Rate limits (off by default): ``MiMoEmulator(requests_per_minute=100, tokens_per_minute=None,
window_seconds=60)`` (CLI: ``--requests-per-minute``, ``--tokens-per-minute``,
``--window-seconds``) answers 429 ``{"error":{"code":"429","message":"Too many requests",
"type":"limitation"}}`` with no Retry-After past the limit over a sliding window, as the service
does; ``emu.rate_limit.admitted_at`` / ``.rejected`` count (see :class:`EmulatedRateLimit`).

Rules enforced (400 ``{"error":{"code":"400","message":"Param Incorrect","param":REASON,
"type":""}}``; on ``stream: true`` requests the same object SSE-framed: ``data:{"error":...}``):
thinking mode (``thinking.type``, else the core model table's default) requires a
``reasoning_content`` string on every assistant message with ``tool_calls`` (REASON "The
reasoning_content in the thinking mode must be passed back to the API."; checked before the
other message rules; ``""`` passes, as clients that pad with it report); assistant content null
("`text` is not present"); tool content not a string, a user content array without a text part
("`text` is not set"); a tool call with an empty name ("`name` is not set"); unknown roles;
``strict`` not a boolean; tool names outside ``[a-zA-Z0-9_-]{1,64}``; web_search tools with
unknown fields or ``max_keyword``/``limit`` outside 1..50; for speech models (``-tts``) the
parameters they refuse (see "Speech" below);
``response_format`` other than text/json_object; ``reasoning_effort`` other than
low/medium/high (``none`` included); temperature outside 0..1.5, top_p outside 0.01..1,
penalties outside -2..2, ``max_completion_tokens`` outside 1..131072, more than 4 stop strings;
top-level parameters the service does not document ("Unsupported parameter `x`"; the
OpenAI clients' ``stream_options`` and ``parallel_tool_calls`` pass; ``strict_parameters=False``
accepts any); models in ``retired_models`` (in any case; "Not supported model <id>" with no
``type`` key, as the
service's body; the model table's retired ids by default, ``retired_models=()`` accepts them).
The bodies are the service's bytes where they are known (``tests/data/real_traffic``): the
"`text` is not set" 400 has no ``type`` key either. Rules are checked before
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
headers=None, body=None, sse=None, wrapped=True)`` (``sse=None``: a 400 to a streaming request is
SSE-framed, everything else JSON; True/False force it; a plain 401 or 429 sends the service's
bytes; ``wrapped=False`` drops the ``{"error": ...}`` wrapper as a gateway does, and
``Reply.error(402, wrapped=False)`` is the gateway's insufficient-funds body);
``Reply.raw(body, *, status=200,
content_type="text/html; charset=utf-8", headers=None)`` (e.g. a non-JSON 200);
``Reply.garbage(data=...)`` (bytes that are not HTTP, then the connection closes).
``finish_reason`` may be anything, e.g. ``length``, ``content_filter``,
``repetition_truncation``; ``usage`` replaces the computed block.

Web search (``_web_search``'s docstring has the rules): a request with a ``{"type":
"web_search", ...}`` tool gets sources generated from it (``limit`` of them, 3 by default,
``https://search.example/<first three words>/<i>``) in ``message.annotations`` (streamed: the
first packet) and ``usage.web_search_usage``; ``Reply.text(...).with_web_search(sources,
error_message=None, usage=None)`` scripts them; ``MiMoEmulator(web_search_quota=N)`` answers
409 ``{"error":{"code":"409","message":"Web search quota exhausted","type":""}}`` after N
searching requests (0: at once).

Speech (``_speech``'s docstring): models whose id contains ``-tts`` answer 400 to ``thinking``,
``tools``, ``tool_choice``, ``response_format``, ``stop``, ``reasoning_effort``, no assistant
message, an unknown ``audio.format``, voicedesign without a user message or with a voice,
voiceclone without a data-URI sample; otherwise ``message.audio`` holds 0.25 s of a 440 Hz tone
(wav, or raw PCM16 for pcm/pcm16; mp3 is a silent placeholder of valid MPEG frames), streamed as
0.05 s base64 PCM16 pieces in ``delta.audio.data``.

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
already seen in an earlier request (``prompt_tokens_details`` is ``{}`` when that is 0).

Shapes follow the service's published bytes (``tests/real_traffic`` compares them). Streams: a
first delta ``{"content":"","role":"assistant",...}``, reasoning deltas (one per word unless
chunked), content deltas, tool-call fragments (first: index, id, type, function.name and the first
arguments piece; then index + an arguments piece), a chunk with ``finish_reason`` and
``"usage":null``, a usage-only chunk with ``"choices": []``, ``data: [DONE]``; every delta carries
``content``, ``role``, ``tool_calls`` and ``reasoning_content`` (null when unused); one id
throughout, ``object: "chat.completion.chunk"``. Non-streamed: a ``chat.completion`` whose message
has ``content`` (``""`` on a tool-call turn, never null), ``role``, ``tool_calls`` (null when
none) and ``reasoning_content`` only when there is reasoning (a thinking-off reply has no such
key). ``usage.prompt_tokens_details`` is ``{}`` when nothing was cached.
"""

from __future__ import annotations

from ._rate_limit import EmulatedRateLimit
from ._reply import Reply, ScriptedCall, error_object
from ._rules import REASONING_PASS_BACK
from ._server import DEFAULT_MODELS, RETIRED_MODELS, MiMoEmulator, RecordedRequest

__all__ = [
    "DEFAULT_MODELS",
    "REASONING_PASS_BACK",
    "RETIRED_MODELS",
    "EmulatedRateLimit",
    "MiMoEmulator",
    "RecordedRequest",
    "Reply",
    "ScriptedCall",
    "error_object",
]
