"""Build the tutorial notebooks from the cell sources below: ``python notebooks/build.py``.

This writes the ``.ipynb`` files without outputs; ``python -m cassettes.record`` builds them,
runs each one (recording its cassette) and saves the outputs. Edit the cells here, not in the
notebooks, so the two never drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path
from textwrap import dedent

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK_DIR = Path(__file__).resolve().parent
CASSETTE_TAG = "cassette"  # cells that open/close the cassette; their output depends on the mode


def _how_to_run(name: str) -> str:
    return dedent(
        f"""
        **Running this notebook.** As committed, it runs offline: the cell
        `recorder = replay("{name}")` plays the HTTP traffic recorded in
        `cassettes/notebooks/{name}.yaml`, and `recorder.close()` at the end checks that every
        recorded response was used. `cassettes/README.md` says where the recording came from
        (until someone records with a key: the loopback MiMo emulator, whose answers are
        replies are scripted (`cassettes/emulator_scripts.py`) or generated, not a real model's).

        **To run it live**, start Jupyter with your key in the environment:
        `MIMO_API_KEY=sk-... jupyter lab` (Token Plan keys: also
        `MIMO_BASE_URL=https://token-plan-sgp.xiaomimimo.com/v1`, or `-cn`/`-ams`). With a key
        set, `replay(...)` does nothing and every call goes to the service; set
        `MIMO_CASSETTES=replay` to force the recording instead. To re-record the cassette
        (and these outputs): `MIMO_API_KEY=sk-... python -m cassettes.record`.
        """
    ).strip()


def md(source: str) -> tuple[str, str]:
    """A markdown cell (the source is dedented)."""
    return ("md", source)


def code(source: str) -> tuple[str, str]:
    """A code cell (the source is dedented)."""
    return ("code", source)


def _cells(*parts: tuple[str, str]) -> list[nbformat.NotebookNode]:
    cells = []
    for kind, source in parts:
        text = dedent(source).strip()
        if kind == "md":
            cells.append(new_markdown_cell(text))
        else:
            cell = new_code_cell(text)
            if kind == CASSETTE_TAG:
                cell.metadata["tags"] = [CASSETTE_TAG]
            cells.append(cell)
    return cells


def _open(name: str) -> tuple[str, str]:
    return (CASSETTE_TAG, f'from offline import replay\n\nrecorder = replay("{name}")')


CLOSE = (CASSETTE_TAG, "recorder.close()")

STREAM_PRINTER = '''
def show(pieces):
    """Print (kind, text) pieces, starting a new labelled line whenever the kind changes."""
    current = None
    for kind, text in pieces:
        if text:
            if kind != current:
                print(("\\n" if current else "") + f"[{kind}] ", end="")
                current = kind
            print(text, end="")
    print()
'''


def langchain_quickstart() -> list[nbformat.NotebookNode]:
    """LangChain: invoke, stream with reasoning, an LCEL chain, usage, async."""
    name = "langchain_quickstart"
    return _cells(
        md(
            "# LangChain quickstart: `ChatMiMo`\n\n"
            "Invoke, stream with the reasoning shown apart, an LCEL chain with a prompt template "
            "and an output parser, token usage, and the async API.\n\n" + _how_to_run(name),
        ),
        _open(name),
        md(
            """
            ## A model

            `ChatMiMo` reads `MIMO_API_KEY` and `MIMO_BASE_URL` from the environment (or take
            `api_key=` / `base_url=`). `mimo-v2.6-pro` thinks by default; `thinking=False`
            turns it off, per model or per call. `max_tokens` counts reasoning and answer.
            """
        ),
        code(
            """
            from langchain_mimo import ChatMiMo

            model = ChatMiMo(model="mimo-v2.6-pro", max_tokens=2048)
            """
        ),
        md(
            """
            ## Invoke

            The answer is `message.text`; the reasoning is in
            `message.additional_kwargs["reasoning_content"]` and is also the first block of
            `message.content_blocks`.
            """
        ),
        code(
            """
            message = model.invoke("In one sentence: why is the sky blue?")
            print("reasoning:", message.additional_kwargs["reasoning_content"])
            print("answer:   ", message.text)
            print("blocks:   ", [block["type"] for block in message.content_blocks])
            """
        ),
        md(
            """
            ## Stream, with the reasoning apart from the answer

            Reasoning deltas come first, then the answer. Chunks add up (`+`) to one message,
            and the last chunk carries the usage.
            """
        ),
        code(
            STREAM_PRINTER
            + dedent("""

            full = None
            pieces = []
            for chunk in model.stream("Explain in two sentences what a context window is."):
                pieces.append(("thinking", chunk.additional_kwargs.get("reasoning_content")))
                pieces.append(("answer", chunk.text))
                full = chunk if full is None else full + chunk
            show(pieces)
            print("usage:", full.usage_metadata)
            """)
        ),
        md(
            """
            ## An LCEL chain: prompt template | model | output parser

            `bind(thinking=False)` turns thinking off for this chain only: a translation
            needs no reasoning.
            """
        ),
        code(
            """
            from langchain_core.output_parsers import StrOutputParser
            from langchain_core.prompts import ChatPromptTemplate

            prompt = ChatPromptTemplate.from_messages(
                [
                    ("system", "Translate to {language}. Reply with the translation only."),
                    ("human", "{text}"),
                ]
            )
            chain = prompt | model.bind(thinking=False) | StrOutputParser()
            print(chain.invoke({"language": "French", "text": "I love programming."}))
            for piece in chain.stream({"language": "German", "text": "Good morning!"}):
                print(piece, end="|")
            """
        ),
        md(
            """
            ## Token usage

            Every message carries `usage_metadata` (reasoning tokens under
            `output_token_details`, cached prompt tokens under `input_token_details`).
            `get_usage_metadata_callback` adds up the usage of everything run inside it.
            """
        ),
        code(
            """
            from pprint import pprint

            from langchain_core.callbacks import get_usage_metadata_callback

            with get_usage_metadata_callback() as usage:
                chain.invoke({"language": "Italian", "text": "Thank you."})
                model.invoke("Name one prime number.")
            pprint(message.usage_metadata)
            pprint(usage.usage_metadata)  # per model, summed
            """
        ),
        md(
            """
            ## Async

            `ainvoke`, `astream` and `abatch` work the same way (top-level `await` works in
            Jupyter; in a script, wrap them in `asyncio.run`).
            """
        ),
        code(
            """
            quick = model.bind(thinking=False)
            reply = await quick.ainvoke("Name one colour of the rainbow.")
            print(reply.text)
            async for chunk in quick.astream("Name a fruit that is yellow."):
                print(chunk.text, end="")
            print()
            questions = ["Name a planet.", "Name an ocean."]
            replies = await quick.abatch(questions, config={"max_concurrency": 1})
            print([reply.text for reply in replies])
            """
        ),
        CLOSE,
    )


def langchain_tools_agents() -> list[nbformat.NotebookNode]:
    """LangChain: a bind_tools loop by hand, create_agent, structured output."""
    name = "langchain_tools_agents"
    return _cells(
        md(
            "# LangChain tools and agents with `ChatMiMo`\n\n"
            "A tool loop by hand with `bind_tools`, an agent from `create_agent` with several "
            "tools in thinking mode, and structured output (function calling and JSON mode).\n\n"
            "In thinking mode MiMo requires every earlier assistant turn with tool calls to be "
            'sent back with its `reasoning_content` (otherwise: 400 "The reasoning_content in '
            'the thinking mode must be passed back to the API"). `ChatMiMo` keeps the reasoning '
            "on the `AIMessage` and sends it back, so the loops below just work.\n\n"
            + _how_to_run(name),
        ),
        _open(name),
        code(
            '''
            from langchain_core.messages import HumanMessage
            from langchain_core.tools import tool

            from langchain_mimo import ChatMiMo

            model = ChatMiMo(model="mimo-v2.6-pro", thinking=True, max_tokens=4096)


            @tool
            def get_weather(city: str) -> str:
                """Get the current weather in a city."""
                weather = {"Paris": "Sunny, 24 C", "Beijing": "Light rain, 18 C"}
                return weather.get(city, "Mild, 20 C")


            @tool
            def get_local_time(city: str) -> str:
                """Get the local time in a city, on a 24-hour clock."""
                return {"Paris": "14:05", "Beijing": "20:05"}.get(city, "12:00")


            tools = {t.name: t for t in (get_weather, get_local_time)}
            '''
        ),
        md(
            """
            ## A tool loop by hand

            Append the model's `AIMessage` (it carries the reasoning), run each tool call
            (`tool.invoke(call)` returns a `ToolMessage` with the call's id), repeat until the
            model answers without calling a tool.
            """
        ),
        code(
            """
            with_tools = model.bind_tools(list(tools.values()))
            messages = [HumanMessage("What's the weather in Paris? Use the tools.")]
            for step in range(5):
                ai_message = with_tools.invoke(messages)
                messages.append(ai_message)
                if not ai_message.tool_calls:
                    break
                for call in ai_message.tool_calls:
                    print(f"step {step}: {call['name']}({call['args']})")
                    messages.append(tools[call["name"]].invoke(call))
            print("answer:", ai_message.text)
            """
        ),
        md(
            """
            The history now holds the assistant turn with its tool call *and* its reasoning;
            this is what goes back to the service on the next turn:
            """
        ),
        code(
            """
            turn = messages[1]
            print("tool call:", turn.tool_calls[0]["name"])
            print("reasoning sent back with it:", turn.additional_kwargs["reasoning_content"])
            """
        ),
        md(
            """
            ## An agent: `create_agent` with several tools, in thinking mode

            LangChain's agent runs the same loop; each step's reasoning is passed back.
            """
        ),
        code(
            """
            from langchain.agents import create_agent

            agent = create_agent(
                model,
                tools=[get_weather, get_local_time],
                system_prompt="You are a travel assistant. Use the tools to answer.",
            )
            question = "Do I need an umbrella in Beijing today?"
            result = agent.invoke({"messages": [{"role": "user", "content": question}]})
            for message in result["messages"]:
                calls = [f"{c['name']}({c['args']})" for c in getattr(message, "tool_calls", [])]
                print(f"{type(message).__name__:13}", calls or message.text)
            """
        ),
        md(
            """
            `agent.stream(..., stream_mode="updates")` yields each step as it happens:
            """
        ),
        code(
            """
            question = {"messages": [{"role": "user", "content": "What time is it in Paris?"}]}
            for update in agent.stream(question, stream_mode="updates"):
                for node, state in update.items():
                    last = state["messages"][-1]
                    print(node, "->", getattr(last, "tool_calls", None) or last.text)
            """
        ),
        md(
            """
            ## Structured output

            `with_structured_output` defaults to function calling: the schema becomes a tool
            and the call's arguments are validated into your pydantic model. MiMo cannot
            force a tool call, so a model that answers in prose instead raises a parse error
            (`include_raw=True` returns it instead of raising).
            """
        ),
        code(
            '''
            from pydantic import BaseModel, Field


            class Trip(BaseModel):
                """A short trip plan."""

                city: str = Field(description="The destination city")
                days: int = Field(description="Number of days", ge=1, le=14)
                highlights: list[str] = Field(description="Up to three things to see")


            planner = model.with_structured_output(Trip)
            trip = planner.invoke("Plan a three-day trip to Paris.")
            print(repr(trip))
            '''
        ),
        md(
            """
            **JSON mode** (`method="json_mode"`) sends `response_format={"type": "json_object"}`;
            the prompt has to ask for JSON and describe the shape, here with the schema itself.
            `method="json_schema"` does that for you (MiMo has no native `json_schema`).
            """
        ),
        code(
            """
            import json

            json_planner = model.with_structured_output(Trip, method="json_mode")
            schema = json.dumps(Trip.model_json_schema())
            trip = json_planner.invoke(
                [
                    ("system", f"Reply with a JSON object that follows this JSON schema: {schema}"),
                    ("human", "Plan a two-day trip to Beijing."),
                ]
            )
            print(repr(trip))
            """
        ),
        CLOSE,
    )


def llama_index_rag() -> list[nbformat.NotebookNode]:
    """LlamaIndex: a VectorStoreIndex over a small corpus, query and chat engines."""
    name = "llama_index_rag"
    return _cells(
        md(
            "# LlamaIndex RAG with `MiMo`\n\n"
            "A `VectorStoreIndex` over the small corpus in `notebooks/data/` (three notes about "
            "the MiMo API), a streaming query engine and a `condense_plus_context` chat "
            "engine.\n\n" + _how_to_run(name),
        ),
        _open(name),
        md(
            """
            ## The LLM and an offline embedding

            MiMo has no embedding endpoint, so any LlamaIndex embedding works beside it. To
            stay offline and deterministic, this tutorial uses a tiny hashing bag-of-words
            embedding defined right here; for real use, swap in e.g. `HuggingFaceEmbedding`
            or `OpenAIEmbedding`.
            """
        ),
        code(
            '''
            import hashlib
            import math
            import re

            from llama_index.core import Settings
            from llama_index.core.embeddings import BaseEmbedding

            from llama_index_mimo import MiMo


            class HashingEmbedding(BaseEmbedding):
                """Words hashed into 512 buckets, L2-normalised: offline and deterministic."""

                def _vector(self, text: str) -> list[float]:
                    vector = [0.0] * 512
                    for word in re.findall(r"[a-z0-9_]+", text.lower()):
                        vector[int(hashlib.md5(word.encode()).hexdigest(), 16) % 512] += 1.0
                    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
                    return [x / norm for x in vector]

                def _get_text_embedding(self, text: str) -> list[float]:
                    return self._vector(text)

                def _get_query_embedding(self, query: str) -> list[float]:
                    return self._vector(query)

                async def _aget_query_embedding(self, query: str) -> list[float]:
                    return self._vector(query)


            llm = MiMo(model="mimo-v2.6-pro", thinking=False, max_tokens=1024)
            Settings.llm = llm
            Settings.embed_model = HashingEmbedding()
            '''
        ),
        md(
            """
            ## Index the corpus

            The documents carry only their file name as metadata, so the prompts (and the
            recorded requests) do not depend on where the repository sits on disk.
            """
        ),
        code(
            """
            from pathlib import Path

            from llama_index.core import Document, VectorStoreIndex

            documents = [
                Document(text=path.read_text(), metadata={"file_name": path.name})
                for path in sorted(Path("data").glob("*.md"))
            ]
            index = VectorStoreIndex.from_documents(documents)
            retriever = index.as_retriever(similarity_top_k=3)
            for hit in retriever.retrieve("reasoning_content in thinking mode"):
                print(f"{hit.score:.3f}", hit.metadata["file_name"])
            """
        ),
        ("md", "## A streaming query engine"),
        code(
            """
            query_engine = index.as_query_engine(streaming=True, similarity_top_k=2)
            response = query_engine.query(
                "What happens if reasoning_content is not passed back in thinking mode?"
            )
            for text in response.response_gen:
                print(text, end="")
            print()
            print("sources:", [node.metadata["file_name"] for node in response.source_nodes])
            """
        ),
        md(
            """
            ## A chat engine: `condense_plus_context`

            Each follow-up is first condensed into a standalone question (one LLM call), which
            retrieves the context for the answer (a second call, streamed here).
            """
        ),
        code(
            """
            chat_engine = index.as_chat_engine(chat_mode="condense_plus_context")  # top 2 chunks
            print(chat_engine.chat("Which host does a Token Plan key use?"))
            """
        ),
        code(
            """
            follow_up = "And what status code do I get if I mix the two kinds up?"
            streaming = chat_engine.stream_chat(follow_up)
            for text in streaming.response_gen:
                print(text, end="")
            print()
            print("sources:", [node.metadata["file_name"] for node in streaming.source_nodes])
            """
        ),
        CLOSE,
    )


def llama_index_agents() -> list[nbformat.NotebookNode]:
    """LlamaIndex: FunctionAgent with tools, streamed thinking and tool calls, structured output."""
    name = "llama_index_agents"
    return _cells(
        md(
            "# LlamaIndex agents with `MiMo`\n\n"
            "A `FunctionAgent` with tools, its event stream (thinking deltas, answer deltas, tool "
            "calls and results), and structured prediction.\n\n"
            "`MiMo` returns the reasoning as a `ThinkingBlock` and sends it back with the "
            "history, which MiMo requires for tool-call turns in thinking mode (agents built on "
            "`OpenAILike` fail there with a 400).\n\n" + _how_to_run(name),
        ),
        _open(name),
        code(
            '''
            from llama_index.core.agent.workflow import (
                AgentStream,
                FunctionAgent,
                ToolCall,
                ToolCallResult,
            )
            from llama_index.core.tools import FunctionTool

            from llama_index_mimo import MiMo

            llm = MiMo(model="mimo-v2.6-pro", max_tokens=4096)  # thinking on by default


            def get_weather(city: str) -> str:
                """Get the current weather in a city."""
                weather = {"Paris": "Sunny, 24 C", "Beijing": "Light rain, 18 C"}
                return weather.get(city, "Mild, 20 C")


            def get_local_time(city: str) -> str:
                """Get the local time in a city, on a 24-hour clock."""
                return {"Paris": "14:05", "Beijing": "20:05"}.get(city, "12:00")


            tools = [FunctionTool.from_defaults(fn=fn) for fn in (get_weather, get_local_time)]
            agent = FunctionAgent(
                tools=tools, llm=llm, system_prompt="You are a travel assistant. Use the tools."
            )
            '''
        ),
        md(
            """
            ## Run it and watch the events

            `AgentStream` events carry `thinking_delta` (MiMo's reasoning) and `delta` (the
            answer); `ToolCall` / `ToolCallResult` mark each tool use.
            """
        ),
        code(
            STREAM_PRINTER
            + dedent("""

            handler = agent.run("Do I need an umbrella in Beijing today?")
            pieces = []
            async for event in handler.stream_events():
                if isinstance(event, AgentStream):
                    pieces.append(("thinking", event.thinking_delta))
                    pieces.append(("answer", event.delta))
                elif isinstance(event, ToolCallResult):
                    pieces.append(("tool", f"{event.tool_name} -> {event.tool_output}"))
                elif isinstance(event, ToolCall):
                    pieces.append(("call", f"{event.tool_name}({event.tool_kwargs})"))
            show(pieces)
            response = await handler
            print("final:", response)
            """)
        ),
        md(
            """
            ## Tools without an agent

            `chat_with_tools` / `get_tool_calls_from_response` give the raw calls;
            `predict_and_call` runs them.
            """
        ),
        code(
            """
            response = llm.chat_with_tools(tools, user_msg="What time is it in Paris?")
            for call in llm.get_tool_calls_from_response(response):
                print(call.tool_name, call.tool_kwargs)
            print(llm.predict_and_call(tools, user_msg="What's the weather in Paris?"))
            """
        ),
        md(
            """
            ## Structured prediction

            `structured_predict` fills a pydantic model through a tool call (MiMo is a
            function-calling LLM); `as_structured_llm` wraps the LLM so `chat` returns the
            model in `.raw`.
            """
        ),
        code(
            '''
            from llama_index.core.llms import ChatMessage
            from llama_index.core.prompts import PromptTemplate
            from pydantic import BaseModel, Field


            class CityFacts(BaseModel):
                """Facts about a city."""

                name: str
                country: str
                population_millions: float = Field(description="Population in millions")


            facts = llm.structured_predict(
                CityFacts, PromptTemplate("Give the key facts about {city}."), city="Paris"
            )
            print(repr(facts))
            structured = llm.as_structured_llm(CityFacts)
            reply = structured.chat([ChatMessage(role="user", content="Key facts about Beijing?")])
            print(repr(reply.raw))
            '''
        ),
        CLOSE,
    )


NOTEBOOKS = {
    "langchain_quickstart": langchain_quickstart,
    "langchain_tools_agents": langchain_tools_agents,
    "llama_index_rag": llama_index_rag,
    "llama_index_agents": llama_index_agents,
}


def build_all() -> list[Path]:
    """Write every notebook (no outputs) and return their paths."""
    paths = []
    for name, make in NOTEBOOKS.items():
        notebook = new_notebook(cells=make())
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"  # stable ids keep rebuilds free of diff noise
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        path = NOTEBOOK_DIR / f"{name}.ipynb"
        nbformat.validate(notebook)
        nbformat.write(notebook, path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in build_all():
        print(written.relative_to(NOTEBOOK_DIR.parent), file=sys.stdout)
