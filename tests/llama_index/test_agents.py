"""Agents in thinking mode on the emulator, which enforces MiMo's reasoning pass-back rule."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from llama_index.core.agent.workflow import (
    AgentStream,
    AgentWorkflow,
    FunctionAgent,
    ReActAgent,
    ToolCallResult,
)
from llama_index.core.llms import LLM
from llama_index.core.memory import Memory
from llama_index.core.tools import FunctionTool
from llama_index.llms.deepseek import DeepSeek
from llama_index.llms.openai_like import OpenAILike

from llama_index_mimo import MiMo
from mimo_client.testing import MiMoEmulator, Reply


def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


def multiply(a: int, b: int) -> int:
    """Multiply two integers."""
    return a * b


TOOLS = [FunctionTool.from_defaults(fn=add), FunctionTool.from_defaults(fn=multiply)]
R1, R2, R3 = "First add two and three.", "Now multiply five by four.", "Twenty it is."
QUESTION = "What is (2 + 3) * 4?"


def _script_two_tool_steps(emulator: MiMoEmulator) -> None:
    emulator.script(
        Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning=R1),
        Reply.tool_calls(("multiply", {"a": 5, "b": 4}), reasoning=R2, argument_chunks=4),
        Reply.text("The answer is 20.", reasoning=R3, chunks=3),
    )


async def _run(agent: Any, question: str, **kwargs: Any) -> tuple[str, list[Any]]:
    handler = agent.run(question, **kwargs)
    events = [event async for event in handler.stream_events()]
    return str(await handler), events


def _assistant_turns(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in body["messages"] if m["role"] == "assistant"]


@pytest.mark.parametrize("streaming", [True, False], ids=["streaming", "non-streaming"])
async def test_function_agent_runs_tool_steps_in_thinking_mode(
    llm: MiMo, emulator: MiMoEmulator, streaming: bool
) -> None:
    _script_two_tool_steps(emulator)
    agent = FunctionAgent(tools=TOOLS, llm=llm, streaming=streaming)
    answer, events = await _run(agent, QUESTION)
    assert answer == "The answer is 20."
    results = [
        (e.tool_name, e.tool_output.raw_output) for e in events if isinstance(e, ToolCallResult)
    ]
    assert results == [("add", 5), ("multiply", 20)]
    assert len(emulator.chat_requests) == 3
    # the third request carries both earlier tool-call turns with their reasoning
    turns = _assistant_turns(emulator.chat_requests[-1].body)
    assert [t["reasoning_content"] for t in turns] == [R1, R2]
    assert all(t["content"] == "" for t in turns)
    tool_messages = [m for m in emulator.chat_requests[-1].body["messages"] if m["role"] == "tool"]
    assert [m["content"] for m in tool_messages] == ["5", "20"]
    assert [m["tool_call_id"] for m in tool_messages] == [t["tool_calls"][0]["id"] for t in turns]


async def test_function_agent_streams_thinking_deltas(llm: MiMo, emulator: MiMoEmulator) -> None:
    _script_two_tool_steps(emulator)
    agent = FunctionAgent(tools=TOOLS, llm=llm)
    _, events = await _run(agent, QUESTION)
    streams = [e for e in events if isinstance(e, AgentStream)]
    thinking = "".join(e.thinking_delta or "" for e in streams)
    assert thinking == R1 + R2 + R3
    assert sum(1 for e in streams if e.thinking_delta) >= len((R1 + R2 + R3).split())
    assert "".join(e.delta for e in streams) == "The answer is 20."
    # tool calls are visible (with partial arguments parsed) while they stream
    assert any(e.tool_calls and e.tool_calls[0].tool_name == "multiply" for e in streams)


async def test_function_agent_unscripted_run_passes_the_rule(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    # The emulator's own rules: it calls the first tool, then answers from the tool result.
    agent = FunctionAgent(tools=TOOLS, llm=llm)
    answer, _ = await _run(agent, "Add something.")
    assert answer.startswith("The add tool returned:")
    assert _assistant_turns(emulator.chat_requests[-1].body)[0]["reasoning_content"]


async def test_second_run_with_the_same_memory_passes_earlier_reasoning_back(
    llm: MiMo, emulator: MiMoEmulator
) -> None:
    emulator.script(
        Reply.tool_calls(("add", {"a": 1, "b": 1}), reasoning="Run one reasoning."),
        Reply.text("Two.", reasoning="Done."),
        Reply.text("Still two.", reasoning="Recall."),
    )
    agent = FunctionAgent(tools=TOOLS, llm=llm)
    memory = Memory.from_defaults(session_id="pass-back")  # stores messages serialized (SQL)
    await _run(agent, "1 + 1?", memory=memory)
    answer, _ = await _run(agent, "And again?", memory=memory)
    assert answer == "Still two."
    turns = _assistant_turns(emulator.chat_requests[-1].body)
    assert turns[0]["reasoning_content"] == "Run one reasoning."  # survived the agent's memory
    assert turns[0]["tool_calls"][0]["function"]["name"] == "add"


async def test_react_agent_in_thinking_mode(llm: MiMo, emulator: MiMoEmulator) -> None:
    emulator.script(
        Reply.text(
            'Thought: I need to add.\nAction: add\nAction Input: {"a": 2, "b": 3}',
            reasoning="ReAct wants an action.",
            chunks=4,
        ),
        Reply.text(
            "Thought: I can answer without using any more tools.\nAnswer: The sum is 5.",
            reasoning="The tool said 5.",
            chunks=4,
        ),
    )
    agent = ReActAgent(tools=TOOLS, llm=llm)
    answer, events = await _run(agent, "What is 2 + 3?")
    assert answer == "The sum is 5."
    results = [
        (e.tool_name, e.tool_output.raw_output) for e in events if isinstance(e, ToolCallResult)
    ]
    assert results == [("add", 5)]
    thinking = "".join(e.thinking_delta or "" for e in events if isinstance(e, AgentStream))
    assert thinking == "ReAct wants an action." + "The tool said 5."
    assert "Observation: 5" in str(emulator.chat_requests[-1].body["messages"])


async def test_agent_workflow_hands_off_between_agents(llm: MiMo, emulator: MiMoEmulator) -> None:
    router = FunctionAgent(
        name="router",
        description="Routes questions to the right specialist.",
        system_prompt="Hand maths questions to the calculator.",
        llm=llm,
        can_handoff_to=["calculator"],
    )
    calculator = FunctionAgent(
        name="calculator",
        description="Does arithmetic with tools.",
        system_prompt="Use your tools.",
        tools=TOOLS,
        llm=llm,
    )
    workflow = AgentWorkflow(agents=[router, calculator], root_agent="router")
    emulator.script(
        Reply.tool_calls(
            ("handoff", {"to_agent": "calculator", "reason": "It is arithmetic."}),
            reasoning="This is maths.",
        ),
        Reply.tool_calls(("add", {"a": 2, "b": 3}), reasoning="Calculator adds."),
        Reply.text("2 + 3 = 5.", reasoning="Report."),
    )
    answer, events = await _run(workflow, "What is 2 + 3?")
    assert answer == "2 + 3 = 5."
    agents = [e.current_agent_name for e in events if isinstance(e, AgentStream)]
    assert agents[0] == "router" and agents[-1] == "calculator"
    last = emulator.chat_requests[-1].body
    assert "Use your tools." in last["messages"][0]["content"]
    reasonings = [t.get("reasoning_content") for t in _assistant_turns(last)]
    assert "Calculator adds." in reasonings
    assert [tool["function"]["name"] for tool in last["tools"]][:2] == ["add", "multiply"]


# -- the comparison that motivates the package ----------------------------------------------


# The peers get an httpx client the test closes: the OpenAI SDK clients they make per call
# leave their connections to the garbage collector (an unclosed-socket warning later on).
def _openai_like(emulator: MiMoEmulator, http: httpx.AsyncClient | None = None) -> LLM:
    return OpenAILike(
        model="mimo-v2.6-pro",
        api_base=emulator.base_url,
        api_key=emulator.api_key,
        is_chat_model=True,
        is_function_calling_model=True,
        max_retries=0,
        async_http_client=http,
    )


def _deepseek(emulator: MiMoEmulator, http: httpx.AsyncClient | None = None) -> LLM:
    return DeepSeek(
        model="mimo-v2.6-pro",
        api_key=emulator.api_key,
        api_base=emulator.base_url,
        is_function_calling_model=True,
        max_retries=0,
        async_http_client=http,
    )


@pytest.mark.parametrize("peer", [_openai_like, _deepseek], ids=["OpenAILike", "DeepSeek"])
async def test_peers_fail_the_same_agent_run_that_mimo_passes(
    llm: MiMo, emulator: MiMoEmulator, peer: Any
) -> None:
    _script_two_tool_steps(emulator)
    answer, _ = await _run(FunctionAgent(tools=TOOLS, llm=llm), QUESTION)
    assert answer == "The answer is 20."

    emulator.reset()
    _script_two_tool_steps(emulator)
    async with httpx.AsyncClient() as http:
        with pytest.raises(Exception, match="Param Incorrect") as info:
            await _run(FunctionAgent(tools=TOOLS, llm=peer(emulator, http)), QUESTION)
    # The peer got through the first call, then sent its tool-call turn back broken twice
    # over: no reasoning_content and content null ("`text` is not present"); the service
    # names one of the two. Its error is the raw SSE frame: the OpenAI SDK cannot read
    # errors framed that way.
    assert re.search(
        r"reasoning_content in the thinking mode|`text` is not present", str(info.value)
    )
    assert str(info.value).startswith("data:")
    assert len(emulator.chat_requests) == 2
    turn = _assistant_turns(emulator.chat_requests[-1].body)[0]
    assert turn["content"] is None
    assert "reasoning_content" not in turn


def test_openai_like_shows_the_key_in_repr_where_mimo_does_not(emulator: MiMoEmulator) -> None:
    peer = _openai_like(emulator)
    ours = MiMo(api_key=emulator.api_key, base_url=emulator.base_url)
    assert emulator.api_key in repr(peer)
    assert emulator.api_key not in repr(ours)
