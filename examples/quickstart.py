"""Quickstart: MiMo through LangChain (``ChatMiMo``) and LlamaIndex (``MiMo``).

Each adapter streams an answer with its reasoning shown apart (dimmed on a terminal, prefixed
with ``thinking>`` otherwise), runs one tool-calling round trip and prints the token usage.

Live when ``MIMO_API_KEY`` is set (``MIMO_BASE_URL`` for a Token Plan host, ``MIMO_MODEL`` to
pick a model); otherwise on the embedded loopback emulator, which the first line says.
"""

import os
import sys
from contextlib import ExitStack
from typing import Any, Literal

MODEL = os.environ.get("MIMO_MODEL", "mimo-v2.6-pro")
QUESTION = "In one sentence: why is the sky blue?"
TOOL_QUESTION = "What is the weather in Paris right now? Use the get_weather tool."
TTY = sys.stdout.isatty()


# No `from __future__ import annotations` in this file: LlamaIndex's FunctionTool reads the
# annotations at runtime and cannot resolve `Literal` from a string.
def get_weather(city: Literal["Paris", "London", "Beijing"]) -> str:
    """Get the current weather in one of the cities this demo knows."""
    return f"Sunny, 24 C in {city}"  # a stand-in for a real weather API


class StreamPrinter:
    """Prints reasoning deltas apart from answer deltas: dimmed on a tty, else prefixed."""

    def __init__(self) -> None:
        self.section: str | None = None

    def _enter(self, section: str) -> None:
        if self.section != section:
            if self.section is not None:
                print("\033[0m" if TTY else "")
            label = "thinking> " if section == "reasoning" else "answer>   "
            print(("\033[2m" if TTY and section == "reasoning" else "") + label, end="")
            self.section = section

    def reasoning(self, text: str | None) -> None:
        """Print a piece of reasoning."""
        if text:
            self._enter("reasoning")
            print(text, end="", flush=True)

    def answer(self, text: str | None) -> None:
        """Print a piece of the answer."""
        if text:
            self._enter("answer")
            print(text, end="", flush=True)

    def end(self) -> None:
        """Finish the line (and the dimming)."""
        print("\033[0m" if TTY else "")


def usage_line(input_tokens: Any, output_tokens: Any, reasoning_tokens: Any) -> str:
    """One line of token usage."""
    return f"usage: {input_tokens} in, {output_tokens} out ({reasoning_tokens} reasoning)"


def langchain_demo(api_key: str | None, base_url: str | None) -> None:
    """ChatMiMo: stream with reasoning, a tool round trip, usage."""
    from langchain_core.messages import HumanMessage
    from langchain_core.tools import tool

    from langchain_mimo import ChatMiMo

    print("\n== LangChain: ChatMiMo ==")
    model = ChatMiMo(model=MODEL, api_key=api_key, base_url=base_url)
    printer, full = StreamPrinter(), None
    for chunk in model.stream(QUESTION):
        printer.reasoning(chunk.additional_kwargs.get("reasoning_content"))
        printer.answer(chunk.text)
        full = chunk if full is None else full + chunk
    printer.end()
    if full is not None and full.usage_metadata:
        usage = full.usage_metadata
        details = usage.get("output_token_details", {})
        print(usage_line(usage["input_tokens"], usage["output_tokens"], details.get("reasoning")))

    weather = tool(get_weather)
    with_tools = model.bind_tools([weather])
    history: list[Any] = [HumanMessage(TOOL_QUESTION)]
    ai_message = with_tools.invoke(history)
    history.append(ai_message)  # carries its reasoning, which MiMo needs back
    for call in ai_message.tool_calls:
        print(f"tool call: {call['name']}({call['args']})")
        history.append(weather.invoke(call))  # a ToolMessage with the call's id
    print(f"after the tool: {with_tools.invoke(history).text}")


def llama_index_demo(api_key: str | None, base_url: str | None) -> None:
    """LlamaIndex MiMo: stream with thinking deltas, a tool round trip, usage."""
    from llama_index.core.llms import ChatMessage
    from llama_index.core.tools import FunctionTool

    from llama_index_mimo import MiMo

    print("\n== LlamaIndex: MiMo ==")
    llm = MiMo(model=MODEL, api_key=api_key, base_url=base_url)
    printer, last = StreamPrinter(), None
    for last in llm.stream_chat([ChatMessage(role="user", content=QUESTION)]):
        printer.reasoning(last.additional_kwargs.get("thinking_delta"))
        printer.answer(last.delta)
    printer.end()
    usage = (last.raw or {}).get("usage") if last is not None else None
    if usage:
        details = usage.get("completion_tokens_details") or {}
        print(
            usage_line(
                usage["prompt_tokens"], usage["completion_tokens"], details.get("reasoning_tokens")
            )
        )

    weather = FunctionTool.from_defaults(fn=get_weather)
    response = llm.chat_with_tools([weather], user_msg=TOOL_QUESTION)
    history = [ChatMessage(role="user", content=TOOL_QUESTION), response.message]
    for call in llm.get_tool_calls_from_response(response, error_on_no_tool_call=False):
        print(f"tool call: {call.tool_name}({call.tool_kwargs})")
        result = weather.call(**call.tool_kwargs)
        history.append(
            ChatMessage(
                role="tool", content=str(result), additional_kwargs={"tool_call_id": call.tool_id}
            )
        )
    final = llm.chat_with_tools([weather], chat_history=history)
    print(f"after the tool: {final.message.content}")


def main() -> None:
    """Run both demos, live or on the emulator."""
    with ExitStack() as stack:
        if os.environ.get("MIMO_API_KEY"):
            base = os.environ.get("MIMO_BASE_URL") or "https://api.xiaomimimo.com/v1"
            print(f"Live: talking to the MiMo service at {base} with model {MODEL}.")
            api_key, base_url = None, None  # ChatMiMo and MiMo read MIMO_API_KEY / MIMO_BASE_URL
        else:
            from mimo_client.testing import MiMoEmulator

            emulator = stack.enter_context(MiMoEmulator())
            print(
                "No MIMO_API_KEY set: running on the embedded MiMo emulator at "
                f"{emulator.base_url} (its replies are generated, not a real model's)."
            )
            api_key, base_url = emulator.api_key, emulator.base_url
        langchain_demo(api_key, base_url)
        llama_index_demo(api_key, base_url)


if __name__ == "__main__":
    main()
