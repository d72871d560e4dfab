"""Import time of each package, each in a fresh interpreter, and what the import dragged in."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# (module, what it is measured against: the framework base it should stay close to)
# `langchain_core.language_models` imports its members lazily, so it is much cheaper than the
# module that defines BaseChatModel, which any chat model must import: both are shown.
# "module:Name" imports the module and reads the name (a lazy package loads it then): the
# class rows compare what a user's `from ... import ChatMiMo` costs with what any chat model
# must import (its framework base class).
MODULES: tuple[tuple[str, str | None], ...] = (
    ("langchain_core.language_models", None),
    ("langchain_core.language_models.chat_models", "langchain_core.language_models"),
    ("langchain_core.language_models:BaseChatModel", None),
    ("langchain_mimo", "langchain_core.language_models"),
    ("langchain_mimo:ChatMiMo", "langchain_core.language_models:BaseChatModel"),
    ("llama_index.core.llms", None),
    ("llama_index.core.llms.function_calling:FunctionCallingLLM", None),
    ("llama_index_mimo", "llama_index.core.llms"),
    ("llama_index_mimo:MiMo", "llama_index.core.llms.function_calling:FunctionCallingLLM"),
    ("mimo_client", None),
    ("langchain_openai", "langchain_core.language_models"),
    ("langchain_deepseek", "langchain_core.language_models"),
    ("llama_index.llms.openai_like", "llama_index.core.llms"),
    ("llama_index.llms.deepseek", "llama_index.core.llms"),
)

_PROBE = """
import importlib, json, sys, time
name, _, attr = sys.argv[1].partition(":")
t0 = time.perf_counter()
module = importlib.import_module(name)
if attr:
    getattr(module, attr)
seconds = time.perf_counter() - t0
mods = sys.modules
def has(prefix):
    return any(m == prefix or m.startswith(prefix + ".") for m in mods)
print(json.dumps({"seconds": seconds, "openai": has("openai"),
                  "langchain": has("langchain_core"), "llama_index": has("llama_index.core")}))
"""


# Installed packages (the peers, the frameworks) carry the bytecode pip compiled; this
# repository's packages are imported from source. So the probes may write .pyc files even
# where the environment says not to (this machine and CI set PYTHONDONTWRITEBYTECODE):
# otherwise every sample would compile our modules and compare compiling with loading.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _probe(module: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, module],
        cwd=ROOT,
        env=_ENV,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["import failed"])[-1]
        return {"error": last}
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(reps: int) -> dict[str, dict[str, Any]]:
    """Median import seconds per module over *reps* interleaved fresh processes."""
    if reps > 1:  # a one-sample smoke run is not a measurement
        for module, _ in MODULES:  # one untimed pass writes any missing .pyc files
            _probe(module)
    samples: dict[str, list[dict[str, Any]]] = {m: [] for m, _ in MODULES}
    for rep in range(reps):
        order = MODULES[rep % len(MODULES) :] + MODULES[: rep % len(MODULES)]
        for module, _ in order:
            samples[module].append(_probe(module))
    out: dict[str, dict[str, Any]] = {}
    for module, base in MODULES:
        runs = samples[module]
        errors = [r["error"] for r in runs if "error" in r]
        if errors:
            out[module] = {"error": errors[0], "base": base}
            continue
        out[module] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "openai": any(r["openai"] for r in runs),
            "langchain": any(r["langchain"] for r in runs),
            "llama_index": any(r["llama_index"] for r in runs),
            "base": base,
        }
    return out
