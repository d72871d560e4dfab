"""A RAG pipeline over the small corpus in ./corpus, with an offline hashing embedding."""

from __future__ import annotations

from pathlib import Path

import pytest
from llama_index.core import SimpleDirectoryReader, VectorStoreIndex

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply

CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture
def index(embed_model) -> VectorStoreIndex:
    documents = SimpleDirectoryReader(str(CORPUS)).load_data()
    assert len(documents) == 3
    return VectorStoreIndex.from_documents(documents, embed_model=embed_model)


def _sent_text(emulator: MiMoEmulator, request: int = -1) -> str:
    return "\n".join(str(m["content"]) for m in emulator.chat_requests[request].body["messages"])


def test_streaming_query_engine_answers_from_the_right_document(
    index: VectorStoreIndex, llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.text("It was built in 1887.", reasoning="The context says 1887.", chunks=4)
    )
    engine = index.as_query_engine(llm=llm, streaming=True, similarity_top_k=1)
    response = engine.query("When was the Kestrel Point lighthouse built?")
    tokens = list(response.response_gen)
    assert len(tokens) >= 4
    assert "".join(tokens) == "It was built in 1887."
    assert Path(response.source_nodes[0].metadata["file_path"]).name == "lighthouse.txt"
    sent = _sent_text(emulator)
    assert "Ada Morrow" in sent  # the retrieved context went to the model
    assert "Halvard" not in sent
    assert emulator.chat_requests[-1].body["stream"] is True


async def test_async_streaming_query_engine(
    index: VectorStoreIndex, llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("A 60-centimetre telescope.", chunks=3))
    engine = index.as_query_engine(llm=llm, streaming=True, similarity_top_k=1)
    response = await engine.aquery("What telescope does the Mirefield observatory have?")
    tokens = [t async for t in response.async_response_gen()]
    assert "".join(tokens) == "A 60-centimetre telescope."
    assert "Perseus" in _sent_text(emulator)


def test_condense_plus_context_chat_engine_condenses_then_retrieves(
    index: VectorStoreIndex, llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.text("The Halvard orchard grows heritage apples.", reasoning="Context."),
        Reply.text(
            "When was the oldest tree of the Halvard orchard planted?", reasoning="Rewrite."
        ),
        Reply.text("In 1902.", reasoning="The context says 1902."),
    )
    engine = index.as_chat_engine(chat_mode="condense_plus_context", llm=llm, similarity_top_k=1)
    first = engine.chat("Tell me about the Halvard orchard.")
    assert str(first) == "The Halvard orchard grows heritage apples."
    second = engine.chat("When was its oldest tree planted?")
    assert str(second) == "In 1902."
    assert len(emulator.chat_requests) == 3
    condense = _sent_text(emulator, 1)
    assert "When was its oldest tree planted?" in condense
    assert "The Halvard orchard grows heritage apples." in condense  # the history
    answer = _sent_text(emulator, 2)
    assert "Winter Pearmain" in answer  # retrieved with the condensed question
    assert Path(second.source_nodes[0].metadata["file_path"]).name == "orchard.txt"


def test_condense_plus_context_chat_engine_streams(
    index: VectorStoreIndex, llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(Reply.text("Every second Friday.", reasoning="From context.", chunks=3))
    engine = index.as_chat_engine(chat_mode="condense_plus_context", llm=llm, similarity_top_k=1)
    response = engine.stream_chat("When are the observatory's public stargazing nights?")
    assert "".join(response.response_gen) == "Every second Friday."
    assert "Mirefield" in _sent_text(emulator)
