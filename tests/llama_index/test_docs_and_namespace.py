"""The class docstring's examples run, and the LlamaIndex import convention."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import io
import textwrap
from pathlib import Path

import pytest
from llama_index.core import Settings

import llama_index_mimo
from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator

ROOT = Path(llama_index_mimo.__file__).resolve().parent.parent


def _code_blocks(doc: str) -> list[str]:
    blocks: list[str] = []
    lines = doc.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == ".. code-block:: python":
            indent = len(line) - len(line.lstrip())
            body: list[str] = []
            i += 1
            while i < len(lines) and (
                not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent
            ):
                body.append(lines[i])
                i += 1
            blocks.append(textwrap.dedent("\n".join(body)).strip("\n"))
        else:
            i += 1
    return blocks


def test_docstring_has_examples_for_each_use() -> None:
    doc = MiMo.__doc__ or ""
    for section in (
        "Setup:",
        "Instantiate:",
        "Chat:",
        "Stream:",
        "Tool calling:",
        "Agents:",
        "RAG:",
    ):
        assert section in doc
    assert len(_code_blocks(doc)) >= 8


def test_docstring_examples_run_against_the_emulator(
    monkeypatch: pytest.MonkeyPatch, emulator: MiMoEmulator, embed_model
) -> None:
    monkeypatch.setenv("MIMO_API_KEY", emulator.api_key)
    monkeypatch.setenv("MIMO_BASE_URL", emulator.base_url)
    saved_llm, saved_embed = Settings._llm, Settings._embed_model
    Settings.embed_model = embed_model  # the RAG example says "and your embedding model"
    namespace: dict[str, object] = {}
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            for block in _code_blocks(MiMo.__doc__ or ""):
                exec(compile(block, "<MiMo docstring>", "exec"), namespace)
                main = namespace.pop("main", None)
                if main is not None:
                    asyncio.run(main())  # type: ignore[operator]
    finally:
        Settings._llm, Settings._embed_model = saved_llm, saved_embed
    printed = out.getvalue()
    assert "Emulated MiMo answer to: Why is the sky blue?" in printed
    assert "The user asked" in printed  # the reasoning, printed from the ThinkingBlock
    assert "name='add'" in printed or "tool_name='add'" in printed
    assert len(emulator.chat_requests) >= 10


def test_llama_index_namespace_import_gives_the_same_class() -> None:
    from llama_index.llms.mimo import MiMo as Aliased

    assert Aliased is MiMo


def test_llama_index_namespace_packages_have_no_init() -> None:
    # llama_index and llama_index.llms are shared with llama-index-core and other
    # integrations; an __init__.py in either would shadow them.
    assert not (ROOT / "llama_index" / "__init__.py").exists()
    assert not (ROOT / "llama_index" / "llms" / "__init__.py").exists()
    assert (ROOT / "llama_index" / "llms" / "mimo" / "__init__.py").exists()
    assert importlib.import_module("llama_index.core").__name__ == "llama_index.core"
    assert importlib.import_module("llama_index.llms.openai_like") is not None
