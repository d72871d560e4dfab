"""The rows of the benchmark: which runner, which framework, and what role it plays."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Case:
    """One row: ``runner`` is "module:Class"; ``requires`` is "module:attr" that must import."""

    key: str
    label: str
    framework: str  # "wire" | "langchain" | "llama_index"
    role: str  # "floor" | "core" | "adapter" | "peer"
    runner: str
    requires: str

    def missing(self) -> str | None:
        """Why this row cannot run here (None when it can)."""
        module, _, attr = self.requires.partition(":")
        try:
            mod = importlib.import_module(module)
            if attr:
                getattr(mod, attr)
        except Exception as exc:  # any failure means "n/a", with the reason
            return f"{type(exc).__name__}: {exc}"
        return None

    def build(self, base_url: str) -> Any:
        """Construct the runner (client construction is never timed)."""
        module, _, cls = self.runner.partition(":")
        return getattr(importlib.import_module(module), cls)(base_url)


_W = "benchmarks._cases_wire"
_LC = "benchmarks._cases_langchain"
_LI = "benchmarks._cases_llama_index"

CASES: tuple[Case, ...] = (
    Case("raw", "raw httpx+json", "wire", "floor", f"{_W}:RawHttpx", "httpx"),
    Case("core", "mimo_client core", "wire", "core", f"{_W}:Core", "mimo_client:MiMoClient"),
    Case(
        "lc_floor",
        "LangChain chunks",
        "langchain",
        "floor",
        f"{_LC}:LangChainFloorRunner",
        "langchain_core.language_models:BaseChatModel",
    ),
    Case(
        "lc_build",
        "LangChain chunks, built",
        "langchain",
        "floor",
        f"{_LC}:LangChainBuildFloorRunner",
        "langchain_core.language_models:BaseChatModel",
    ),
    Case(
        "chatmimo",
        "ChatMiMo",
        "langchain",
        "adapter",
        f"{_LC}:ChatMiMoRunner",
        "langchain_mimo:ChatMiMo",
    ),
    Case(
        "chatopenai",
        "ChatOpenAI",
        "langchain",
        "peer",
        f"{_LC}:ChatOpenAIRunner",
        "langchain_openai:ChatOpenAI",
    ),
    Case(
        "chatdeepseek",
        "ChatDeepSeek",
        "langchain",
        "peer",
        f"{_LC}:ChatDeepSeekRunner",
        "langchain_deepseek:ChatDeepSeek",
    ),
    Case(
        "li_floor",
        "LlamaIndex responses",
        "llama_index",
        "floor",
        f"{_LI}:LlamaIndexFloorRunner",
        "llama_index.core.llms:CustomLLM",
    ),
    Case(
        "mimo",
        "MiMo (LlamaIndex)",
        "llama_index",
        "adapter",
        f"{_LI}:MiMoRunner",
        "llama_index_mimo:MiMo",
    ),
    Case(
        "openailike",
        "OpenAILike",
        "llama_index",
        "peer",
        f"{_LI}:OpenAILikeRunner",
        "llama_index.llms.openai_like:OpenAILike",
    ),
    Case(
        "li_deepseek",
        "DeepSeek (LlamaIndex)",
        "llama_index",
        "peer",
        f"{_LI}:DeepSeekRunner",
        "llama_index.llms.deepseek:DeepSeek",
    ),
    Case(
        "core_keepall",
        "core, 128 kept alive (old pool)",
        "wire",
        "core",
        "benchmarks._cases_pool:CoreKeepAll",
        "mimo_client:MiMoClient",
    ),
)

BY_KEY = {case.key: case for case in CASES}
