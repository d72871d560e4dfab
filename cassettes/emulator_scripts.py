"""Scripted emulator replies for recording the notebooks without a key.

The emulator's automatic replies are placeholders ("Emulated MiMo answer to: ...", tool
arguments like ``"example"``), which read as broken in a tutorial. When
``python -m cassettes.record`` runs without ``MIMO_API_KEY``, it queues these replies, one per
request of the notebook in order, so the committed outputs look like a plausible session.
They are written by hand, not produced by a model; the emulator still checks every request
against the service's rules (reasoning pass-back included). Requests beyond a script get the
automatic replies. A live recording ignores this file.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from mimo_client.testing import Reply


def _thought(text: str) -> str:
    return f"Let me work this out. {text}"


def langchain_quickstart() -> list[Reply]:
    """Ten requests: invoke, stream, chain (invoke, stream), usage (2), async (4)."""
    return [
        Reply.text(
            "Sunlight scatters off air molecules, and short blue wavelengths scatter the most, "
            "so blue light reaches our eyes from every part of the sky.",
            reasoning=_thought("Rayleigh scattering: shorter wavelengths scatter more."),
        ),
        Reply.text(
            "A context window is the maximum number of tokens a model can take into account "
            "at once, prompt and answer together. Anything beyond it is cut off or rejected.",
            reasoning=_thought("Define it, then say what happens at the limit."),
        ),
        Reply.text("J'adore la programmation."),
        Reply.text("Guten Morgen!", chunks=3),
        Reply.text("Grazie."),
        Reply.text("7 is a prime number.", reasoning=_thought("Any small prime will do.")),
        Reply.text("Green."),
        Reply.text("A banana.", chunks=2),
        Reply.text("Mars."),
        Reply.text("The Pacific Ocean."),
    ]


def langchain_tools_agents() -> list[Reply]:
    """Eight requests: hand loop (2), create_agent (2), agent.stream (2), structured (2)."""
    return [
        Reply.tool_calls(
            ("get_weather", {"city": "Paris"}),
            reasoning=_thought("I should call get_weather for Paris."),
        ),
        Reply.text(
            "It is sunny in Paris, 24 C.",
            reasoning=_thought("The tool says sunny, 24 C. Report it."),
        ),
        Reply.tool_calls(
            ("get_weather", {"city": "Beijing"}),
            reasoning=_thought("Rain decides the umbrella: check Beijing's weather."),
        ),
        Reply.text(
            "Yes: there is light rain in Beijing (18 C), so take an umbrella.",
            reasoning=_thought("Light rain means yes."),
        ),
        Reply.tool_calls(
            ("get_local_time", {"city": "Paris"}),
            reasoning=_thought("get_local_time gives the time in Paris."),
        ),
        Reply.text("It is 14:05 in Paris.", reasoning=_thought("The tool says 14:05.")),
        Reply.tool_calls(
            (
                "Trip",
                {
                    "city": "Paris",
                    "days": 3,
                    "highlights": ["The Louvre", "Montmartre", "A Seine river cruise"],
                },
            ),
            reasoning=_thought("Fill the Trip tool: Paris, three days, three highlights."),
        ),
        Reply.text(
            json.dumps(
                {
                    "city": "Beijing",
                    "days": 2,
                    "highlights": ["The Forbidden City", "The Great Wall at Mutianyu"],
                }
            ),
            reasoning=_thought("Answer with a JSON object that follows the schema."),
        ),
    ]


def llama_index_rag() -> list[Reply]:
    """Four requests: streamed query, chat, condense the follow-up, streamed chat answer."""
    return [
        Reply.text(
            'The service rejects the request with a 400 "Param Incorrect" error whose reason '
            'is "The reasoning_content in the thinking mode must be passed back to the API." '
            "Every assistant message with tool calls has to carry its full reasoning_content.",
            chunks=8,
        ),
        Reply.text(
            "A Token Plan key (tp-...) uses a regional host: token-plan-cn, token-plan-sgp or "
            "token-plan-ams, under xiaomimimo.com/v1."
        ),
        Reply.text(
            "What status code does the service return when a Token Plan key and a "
            "pay-as-you-go host (or the other way round) are mixed?"
        ),
        Reply.text("You get a 401: the two kinds of key cannot be mixed.", chunks=4),
    ]


def llama_index_agents() -> list[Reply]:
    """Six requests: the agent run (2), chat_with_tools, predict_and_call, structured (2)."""
    return [
        Reply.tool_calls(
            ("get_weather", {"city": "Beijing"}),
            reasoning=_thought("An umbrella depends on rain: check Beijing's weather."),
        ),
        Reply.text(
            "Yes, take an umbrella: there is light rain in Beijing (18 C).",
            reasoning=_thought("Light rain, so yes."),
            chunks=4,
        ),
        Reply.tool_calls(
            ("get_local_time", {"city": "Paris"}),
            reasoning=_thought("Use get_local_time for Paris."),
        ),
        Reply.tool_calls(
            ("get_weather", {"city": "Paris"}),
            reasoning=_thought("Use get_weather for Paris."),
        ),
        Reply.text(
            json.dumps({"name": "Paris", "country": "France", "population_millions": 2.1}),
            reasoning=_thought("Fill in the JSON object."),
        ),
        Reply.text(
            json.dumps({"name": "Beijing", "country": "China", "population_millions": 21.5}),
            reasoning=_thought("Fill in the JSON object."),
        ),
    ]


SCRIPTS: dict[str, Callable[[], list[Reply]]] = {
    "langchain_quickstart": langchain_quickstart,
    "langchain_tools_agents": langchain_tools_agents,
    "llama_index_rag": llama_index_rag,
    "llama_index_agents": llama_index_agents,
}
"""Notebook name -> the replies to queue, in request order."""
