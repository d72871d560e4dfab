"""``python -m mimo_client.conformance``: check the service's documented rules, and the emulator's.

Each rule is one cheap probe (``max_completion_tokens`` of at most 24, a one-line prompt) and a
classifier that turns what came back into a short label (``"400 pass-back"``, ``"thinks"``,
``"usage tail"``, ...). The expected label of each rule is the behaviour docs/MIMO_API.md documents.
The same probes run against the embedded emulator (``mimo_client.testing``), so a live run prints,
per rule, what the service did, what the emulator does, and whether they agree::

    MIMO_API_KEY=sk-... python -m mimo_client.conformance [--base-url URL] [--json FILE]

With neither a key nor a base URL (no ``--api-key``/``MIMO_API_KEY``, no
``--base-url``/``MIMO_BASE_URL``) it checks the embedded emulator against the documented
expectations instead; a base URL without a key is a usage error (exit status 2). Exit status 0
when every rule agrees, 1 otherwise. The key is sent in a header and never printed or written to
the ``--json`` file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx

from ._config import DEFAULT_BASE_URL
from .models import DEFAULT_MODEL, KNOWN_MODELS

__all__ = ["RULES", "Outcome", "Prober", "Rule", "RuleResult", "main", "run_rules"]

MAX_TOKENS = 24
PROMPT = [{"role": "user", "content": "Reply with the single word OK."}]
TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather for a city",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}
_CALL = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{}"}}
OFF = {"type": "disabled"}
ON = {"type": "enabled"}

# Known 400 reasons (substrings of ``error.param``) -> the label a classifier gives them.
_REASONS = (
    ("reasoning_content in the thinking mode", "400 pass-back"),
    ("`text` is not present", "400 text-not-present"),
    ("`text` is not set", "400 text-not-set"),
    ("Not supported model", "400 not-supported-model"),
)


@dataclass
class Outcome:
    """One HTTP exchange as the classifiers see it: status, content type, body text."""

    status: int
    content_type: str
    text: str

    def json(self) -> Any:
        """The body as JSON (an SSE-framed error's payload too), or None."""
        text = self.text.strip()
        if text.startswith("data:"):
            text = text[5:].split("\n", 1)[0].strip()
        try:
            return json.loads(text)
        except ValueError:
            return None

    def events(self) -> list[Any]:
        """The JSON payloads of an event stream ([DONE] and non-JSON lines skipped)."""
        out = []
        for line in self.text.splitlines():
            if line.startswith("data:") and line[5:].strip() != "[DONE]":
                try:
                    out.append(json.loads(line[5:]))
                except ValueError:
                    continue
        return out


class Prober:
    """Sends probes to one base URL with one key, counting requests and tokens."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.requests = 0
        self.tokens = 0
        self._http = httpx.Client(
            timeout=timeout, headers={"authorization": f"Bearer {api_key}"}, follow_redirects=False
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def chat(self, **body: Any) -> Outcome:
        """``POST /chat/completions`` with ``model`` and ``max_completion_tokens`` filled in."""
        payload = {"model": DEFAULT_MODEL, "messages": PROMPT, "max_completion_tokens": MAX_TOKENS}
        payload.update(body)
        return self._send("POST", "/chat/completions", payload)

    def get(self, path: str) -> Outcome:
        """``GET`` a path under the base URL."""
        return self._send("GET", path, None)

    def _send(self, method: str, path: str, payload: Any) -> Outcome:
        self.requests += 1
        try:
            response = self._http.request(method, self.base_url + path, json=payload)
        except httpx.HTTPError as exc:
            return Outcome(0, "", f"{type(exc).__name__}")
        outcome = Outcome(
            response.status_code, response.headers.get("content-type", ""), response.text
        )
        self.tokens += _tokens_of(outcome)
        return outcome


def _tokens_of(outcome: Outcome) -> int:
    if outcome.status != 200:
        return 0
    bodies = outcome.events() if "event-stream" in outcome.content_type else [outcome.json()]
    for body in reversed(bodies):
        usage = body.get("usage") if isinstance(body, dict) else None
        if isinstance(usage, dict) and isinstance(usage.get("total_tokens"), int):
            return int(usage["total_tokens"])
    return 0


def rejection(outcome: Outcome) -> str:
    """The label of an answer: ``accepted``, a known 400 reason, or ``<status> rejected``."""
    if outcome.status == 0:
        return "unreachable"
    if 200 <= outcome.status < 300:
        return "accepted"
    body = outcome.json()
    error = body.get("error") if isinstance(body, dict) else None
    reason = ""
    if isinstance(error, dict):
        reason = f"{error.get('param') or ''} {error.get('message') or ''}"
    for marker, label in _REASONS:
        if marker in reason:
            return label
    return f"{outcome.status} rejected"


# --- the probes: one function per rule, returning the service's raw Outcome -----------------


def _tool_history(**assistant: Any) -> list[dict[str, Any]]:
    return [
        *PROMPT,
        {"role": "assistant", "tool_calls": [_CALL], **assistant},
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny"},
    ]


def probe_pass_back(p: Prober) -> Outcome:
    """Thinking on, a tool-call turn in the history without its reasoning_content."""
    return p.chat(messages=_tool_history(content=""), tools=[TOOL], thinking=ON)


def probe_content_null(p: Prober) -> Outcome:
    """Thinking off, a tool-call turn whose content is null."""
    return p.chat(messages=_tool_history(content=None), tools=[TOOL], thinking=OFF)


def probe_tool_list_content(p: Prober) -> Outcome:
    """Thinking off, a tool message whose content is a list of text parts."""
    messages = _tool_history(content="")
    messages[-1] = {**messages[-1], "content": [{"type": "text", "text": "sunny"}]}
    return p.chat(messages=messages, tools=[TOOL], thinking=OFF)


def probe_json_schema(p: Prober) -> Outcome:
    """``response_format: {"type": "json_schema", ...}``."""
    schema = {"type": "object", "properties": {"word": {"type": "string"}}}
    return p.chat(
        thinking=OFF,
        response_format={"type": "json_schema", "json_schema": {"name": "w", "schema": schema}},
    )


def probe_usage_tail(p: Prober) -> Outcome:
    """A streamed request without ``stream_options``."""
    return p.chat(thinking=OFF, stream=True)


def classify_usage_tail(outcome: Outcome) -> str:
    """Where a stream's usage came: ``usage tail`` (a last chunk with ``choices: []``) or not."""
    if outcome.status != 200:
        return rejection(outcome)
    events = [e for e in outcome.events() if isinstance(e, dict)]
    if events and events[-1].get("choices") == [] and isinstance(events[-1].get("usage"), dict):
        return "usage tail"
    if any(isinstance(e.get("usage"), dict) for e in events):
        return "usage elsewhere"
    return "no usage"


def probe_thinking(model: str) -> Callable[[Prober], Outcome]:
    """A request to ``model`` that leaves ``thinking`` unset."""

    def probe(p: Prober) -> Outcome:
        return p.chat(model=model)

    probe.__doc__ = f"{model} with thinking unset."
    return probe


def classify_thinking(outcome: Outcome) -> str:
    """``thinks`` when the reply has reasoning (text or reasoning tokens), else ``no thinking``."""
    if outcome.status != 200:
        label = rejection(outcome)
        return "gated" if label.endswith("rejected") and outcome.status != 400 else label
    body = outcome.json()
    try:
        message = body["choices"][0]["message"]
    except (TypeError, KeyError, IndexError):
        return "unexpected shape"
    details = (body.get("usage") or {}).get("completion_tokens_details") or {}
    reasoned = bool(message.get("reasoning_content")) or (details.get("reasoning_tokens") or 0) > 0
    return "thinks" if reasoned else "no thinking"


def probe_retired(p: Prober) -> Outcome:
    """A retired id (``mimo-v2.5-pro``, invalid since 2026-10-21)."""
    return p.chat(model="mimo-v2.5-pro", thinking=OFF)


def probe_models(p: Prober) -> Outcome:
    """``GET /models``."""
    return p.get("/models")


def classify_models(outcome: Outcome) -> str:
    """``list`` for ``{"object":"list","data":[{"id","object":"model",...}]}``."""
    if outcome.status != 200:
        return rejection(outcome)
    body = outcome.json()
    data = body.get("data") if isinstance(body, dict) else None
    if (
        isinstance(body, dict)
        and body.get("object") == "list"
        and isinstance(data, list)
        and data
        and all(isinstance(m, dict) and isinstance(m.get("id"), str) for m in data)
        and all(m.get("object") == "model" for m in data)
    ):
        return "list"
    return "unexpected shape"


def probe_stream_error(p: Prober) -> Outcome:
    """A streamed request that breaks the pass-back rule."""
    return p.chat(messages=_tool_history(content=""), tools=[TOOL], thinking=ON, stream=True)


def classify_stream_error(outcome: Outcome) -> str:
    """``400 SSE-framed`` when the error body is ``data:{"error":...}``, else how it came."""
    if 200 <= outcome.status < 300:
        return "accepted"
    framed = outcome.text.lstrip().startswith("data:")
    return f"{outcome.status} {'SSE-framed' if framed else 'JSON'}"


def probe_unknown_parameter(p: Prober) -> Outcome:
    """An undocumented top-level parameter."""
    return p.chat(thinking=OFF, mimo_conformance_probe=True)


@dataclass(frozen=True)
class Rule:
    """One documented rule: a probe, a classifier, the documented label, tolerated variants."""

    name: str
    title: str
    probe: Callable[[Prober], Outcome]
    expected: str
    classify: Callable[[Outcome], str] = rejection
    tolerated: frozenset[str] = frozenset()

    def agrees(self, observed: str, reference: str) -> bool:
        """Whether ``observed`` matches ``reference`` (or is a documented variant of it)."""
        return observed == reference or (reference == self.expected and observed in self.tolerated)


def _served_chat_models() -> list[str]:
    return [n for n, i in KNOWN_MODELS.items() if i.kind == "chat" and not i.retired]


RULES: tuple[Rule, ...] = (
    Rule(
        "pass_back",
        "thinking mode: tool-call turn without reasoning_content -> 400",
        probe_pass_back,
        "400 pass-back",
    ),
    Rule(
        "content_null",
        "tool-call turn with content null -> 400",
        probe_content_null,
        "400 text-not-present",
    ),
    Rule(
        "tool_list_content",
        "tool message with list content -> 400",
        probe_tool_list_content,
        "400 text-not-set",
    ),
    Rule(
        "json_schema",
        "response_format json_schema is not supported -> 400",
        probe_json_schema,
        "400 rejected",
    ),
    Rule(
        "usage_tail",
        "stream without stream_options ends with a usage-only chunk",
        probe_usage_tail,
        "usage tail",
        classify_usage_tail,
    ),
    *(
        Rule(
            f"thinking_default[{model}]",
            f"{model} thinks by default",
            probe_thinking(model),
            "thinks",
            classify_thinking,
            # mimo-v2.6-pro-ultraspeed is contract-gated: other keys get an upstream error
            frozenset({"gated"}) if model.endswith("ultraspeed") else frozenset(),
        )
        for model in _served_chat_models()
    ),
    Rule(
        "retired_id",
        "retired id mimo-v2.5-pro -> 400 Not supported model",
        probe_retired,
        "400 not-supported-model",
        tolerated=frozenset({"404 rejected"}),  # "or 404 with a migrate message"
    ),
    Rule(
        "models_shape",
        "GET /models lists {id, object: model}",
        probe_models,
        "list",
        classify_models,
    ),
    Rule(
        "stream_error_framing",
        "an error on a streamed request arrives SSE-framed",
        probe_stream_error,
        "400 SSE-framed",
        classify_stream_error,
    ),
    Rule(
        "unknown_parameter",
        "an undocumented parameter -> 400",
        probe_unknown_parameter,
        "400 rejected",
    ),
)


@dataclass
class RuleResult:
    """One printed row: what the target did, what the emulator does, whether they agree."""

    rule: str
    title: str
    expected: str
    target: str
    emulator: str
    agree: bool
    detail: str = ""


@dataclass
class Report:
    """The whole run (written by ``--json``); never holds the key."""

    mode: str
    base_url: str
    requests: int
    tokens: int
    emulator_requests: int
    results: list[RuleResult] = field(default_factory=list)

    @property
    def all_agree(self) -> bool:
        """Whether every rule agreed."""
        return all(r.agree for r in self.results)


def _detail(outcome: Outcome, secret: str) -> str:
    text = " ".join(outcome.text.split())[:160]
    return text.replace(secret, "***") if secret else text


def run_rules(
    target: Prober, emulator: Prober | None, *, secret: str = "", rules: Sequence[Rule] = RULES
) -> list[RuleResult]:
    """Run every rule on ``target`` (and on ``emulator``, when given, for the second column).

    Without ``emulator`` the target is itself the emulator and is compared with the documented
    labels.
    """
    results = []
    for rule in rules:
        outcome = rule.probe(target)
        observed = rule.classify(outcome)
        if emulator is None:
            reference = observed
            agree = rule.agrees(observed, rule.expected)
        else:
            reference = rule.classify(rule.probe(emulator))
            agree = rule.agrees(observed, reference)
        results.append(
            RuleResult(
                rule.name,
                rule.title,
                rule.expected,
                observed,
                reference,
                agree,
                _detail(outcome, secret),
            )
        )
    return results


@contextmanager
def _embedded_emulator() -> Iterator[Prober]:
    from .testing import MiMoEmulator

    with MiMoEmulator() as emu:
        prober = Prober(emu.base_url, emu.api_key)
        try:
            yield prober
        finally:
            prober.close()


def _print(report: Report, out: Any) -> None:
    live = report.mode == "live"
    head: tuple[str, ...] = ("rule", "expected", "service", "emulator", "agree")
    rows: list[tuple[str, ...]] = [
        (r.rule, r.expected, r.target, r.emulator, "yes" if r.agree else "NO")
        for r in report.results
    ]
    if not live:  # one column: the emulator is the target
        head = ("rule", "expected", "emulator", "agree")
        rows = [(r.rule, r.expected, r.target, "yes" if r.agree else "NO") for r in report.results]
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows, strict=True)]
    for row in (head, *rows):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)), file=out)
    agreed = sum(r.agree for r in report.results)
    print(
        f"{agreed}/{len(report.results)} rules agree; {report.requests} requests, "
        f"{report.tokens} tokens to {report.base_url}"
        + (f"; {report.emulator_requests} requests to the emulator" if live else ""),
        file=out,
    )


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None) -> int:
    """Run the conformance check; returns the exit status (0 when every rule agrees)."""
    env = os.environ if env is None else env
    parser = argparse.ArgumentParser(
        prog="python -m mimo_client.conformance",
        description="Probe MiMo's documented rules on the service and on the emulator.",
    )
    parser.add_argument("--base-url", default=None, help="service base URL (MIMO_BASE_URL)")
    parser.add_argument("--api-key", default=None, help="API key (MIMO_API_KEY); never printed")
    parser.add_argument("--json", default=None, metavar="FILE", help="write the results here")
    args = parser.parse_args(argv)
    key = args.api_key or env.get("MIMO_API_KEY") or ""
    base_url = args.base_url or env.get("MIMO_BASE_URL") or ""
    out = sys.stdout
    with _embedded_emulator() as emulator:
        if not key and not base_url:
            print(
                "No --base-url/--api-key (nor MIMO_BASE_URL/MIMO_API_KEY): checking the embedded "
                "emulator against the documented expectations.",
                file=out,
            )
            results = run_rules(emulator, None)
            report = Report("emulator", emulator.base_url, emulator.requests, emulator.tokens, 0)
        else:
            if not key:
                parser.error("a base URL was given without a key: pass --api-key or MIMO_API_KEY")
            target = Prober(base_url or DEFAULT_BASE_URL, key)
            try:
                results = run_rules(target, emulator, secret=key)
            finally:
                target.close()
            report = Report(
                "live", target.base_url, target.requests, target.tokens, emulator.requests
            )
        report.results = results
    _print(report, out)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(asdict(report), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
    return 0 if report.all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
