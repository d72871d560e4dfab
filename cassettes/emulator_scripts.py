"""Scripted emulator replies for recording the notebooks without a key.

The emulator's automatic replies are placeholders ("Emulated MiMo answer to: ...", tool
arguments like ``"example"``), which read as broken in a tutorial's saved outputs. When
``python -m cassettes.record`` runs without ``MIMO_API_KEY``, the notebook's emulator answers
from these lists instead (``cassettes/harness.py``): each entry answers a request whose **last
message contains** its ``match`` text (the user's question, or a tool's result for the turn
after a tool call), once, in list order among the entries that match; so concurrent requests
(``abatch``, ``asyncio.gather``) get the right answers whatever order they arrive in. A request
no entry matches gets the automatic reply; an entry no request matched fails the recording.

The replies are written by hand, not produced by a model; the emulator still checks every
request against the service's rules (reasoning pass-back included). A live recording ignores
this file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from mimo_client.testing import Reply


@dataclass(frozen=True)
class Scripted:
    """A reply for the request whose last message contains ``match``."""

    match: str
    reply: Reply


def _thought(text: str) -> str:
    return f"Let me work this out. {text}"


def langchain_quickstart() -> list[Scripted]:
    """Invoke, stream, chain (invoke, stream), usage (2), async (4)."""
    return [
        Scripted(
            "why is the sky blue?",
            Reply.text(
                "Sunlight scatters off air molecules, and short blue wavelengths scatter the "
                "most, so blue light reaches our eyes from every part of the sky.",
                reasoning=_thought("Rayleigh scattering: shorter wavelengths scatter more."),
            ),
        ),
        Scripted(
            "what a context window is",
            Reply.text(
                "A context window is the maximum number of tokens a model can take into account "
                "at once, prompt and answer together. Anything beyond it is cut off or rejected.",
                reasoning=_thought("Define it, then say what happens at the limit."),
            ),
        ),
        Scripted("I love programming.", Reply.text("J'adore la programmation.")),
        Scripted("Good morning!", Reply.text("Guten Morgen!", chunks=3)),
        Scripted("Thank you.", Reply.text("Grazie.")),
        Scripted(
            "Name one prime number.",
            Reply.text("7 is a prime number.", reasoning=_thought("Any small prime will do.")),
        ),
        Scripted("Name one colour of the rainbow.", Reply.text("Green.")),
        Scripted("Name a fruit that is yellow.", Reply.text("A banana.", chunks=2)),
        Scripted("Name a planet.", Reply.text("Mars.")),
        Scripted("Name an ocean.", Reply.text("The Pacific Ocean.")),
    ]


def langchain_tools_agents() -> list[Scripted]:
    """Hand loop (2), create_agent (2), agent.stream (2), structured output (2)."""
    return [
        Scripted(
            "What's the weather in Paris? Use the tools.",
            Reply.tool_calls(
                ("get_weather", {"city": "Paris"}),
                reasoning=_thought("I should call get_weather for Paris."),
            ),
        ),
        Scripted(
            "Sunny, 24 C",
            Reply.text(
                "It is sunny in Paris, 24 C.",
                reasoning=_thought("The tool says sunny, 24 C. Report it."),
            ),
        ),
        Scripted(
            "Do I need an umbrella in Beijing today?",
            Reply.tool_calls(
                ("get_weather", {"city": "Beijing"}),
                reasoning=_thought("Rain decides the umbrella: check Beijing's weather."),
            ),
        ),
        Scripted(
            "Light rain, 18 C",
            Reply.text(
                "Yes: there is light rain in Beijing (18 C), so take an umbrella.",
                reasoning=_thought("Light rain means yes."),
            ),
        ),
        Scripted(
            "What time is it in Paris?",
            Reply.tool_calls(
                ("get_local_time", {"city": "Paris"}),
                reasoning=_thought("get_local_time gives the time in Paris."),
            ),
        ),
        Scripted(
            "14:05", Reply.text("It is 14:05 in Paris.", reasoning=_thought("The tool says 14:05."))
        ),
        Scripted(
            "Plan a three-day trip to Paris.",
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
        ),
        Scripted(
            "Plan a two-day trip to Beijing.",
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
        ),
    ]


def llama_index_rag() -> list[Scripted]:
    """Streamed query, chat, then the follow-up: condensed question and streamed answer."""
    follow_up = "And what status code do I get if I mix the two kinds up?"
    return [
        Scripted(
            "What happens if reasoning_content is not passed back in thinking mode?",
            Reply.text(
                'The service rejects the request with a 400 "Param Incorrect" error whose '
                'reason is "The reasoning_content in the thinking mode must be passed back to '
                'the API." Every assistant message with tool calls has to carry its full '
                "reasoning_content.",
                chunks=8,
            ),
        ),
        Scripted(
            "Which host does a Token Plan key use?",
            Reply.text(
                "A Token Plan key (tp-...) uses a regional host: token-plan-cn, token-plan-sgp "
                "or token-plan-ams, under xiaomimimo.com/v1."
            ),
        ),
        Scripted(
            follow_up,
            Reply.text(
                "What status code does the service return when a Token Plan key and a "
                "pay-as-you-go host (or the other way round) are mixed?"
            ),
        ),
        Scripted(
            follow_up,
            Reply.text("You get a 401: the two kinds of key cannot be mixed.", chunks=4),
        ),
    ]


def llama_index_agents() -> list[Scripted]:
    """The agent run (2), chat_with_tools, predict_and_call, structured prediction (2)."""
    return [
        Scripted(
            "Do I need an umbrella in Beijing today?",
            Reply.tool_calls(
                ("get_weather", {"city": "Beijing"}),
                reasoning=_thought("An umbrella depends on rain: check Beijing's weather."),
            ),
        ),
        Scripted(
            "Light rain, 18 C",
            Reply.text(
                "Yes, take an umbrella: there is light rain in Beijing (18 C).",
                reasoning=_thought("Light rain, so yes."),
                chunks=4,
            ),
        ),
        Scripted(
            "What time is it in Paris?",
            Reply.tool_calls(
                ("get_local_time", {"city": "Paris"}),
                reasoning=_thought("Use get_local_time for Paris."),
            ),
        ),
        Scripted(
            "What's the weather in Paris?",
            Reply.tool_calls(
                ("get_weather", {"city": "Paris"}),
                reasoning=_thought("Use get_weather for Paris."),
            ),
        ),
        Scripted(
            "Give the key facts about Paris.",
            Reply.text(
                json.dumps({"name": "Paris", "country": "France", "population_millions": 2.1}),
                reasoning=_thought("Fill in the JSON object."),
            ),
        ),
        Scripted(
            "Key facts about Beijing?",
            Reply.text(
                json.dumps({"name": "Beijing", "country": "China", "population_millions": 21.5}),
                reasoning=_thought("Fill in the JSON object."),
            ),
        ),
    ]


def web_search_citations() -> list[Scripted]:
    """Four searched answers; the sources are the emulator's, generated from each request."""
    searched = [
        (
            "What is new in the latest Python release?",
            "The release notes [1] lead with interpreter speed-ups and clearer error messages; "
            "the changelog [2] and a summary article [3] list the library changes.",
        ),
        (
            "Summarise today's top technology headline",
            "Today's most-covered technology story is a chip maker's new AI accelerator, "
            "reported by all three sources.",
        ),
        (
            "Who won the most recent Formula 1 race?",
            "Both sources report the race result [1][2]; open them for the podium and timings.",
        ),
        (
            "What is the weather outlook for Beijing this week?",
            "A dry, sunny start to the week [1], then clouds and light rain from Thursday [2]; "
            "highs around 18 C [3].",
        ),
    ]
    return [
        Scripted(match, Reply.text(text, chunks=4).with_web_search()) for match, text in searched
    ]


def speech() -> list[Scripted]:
    """Only the recognition request: the speech replies are the emulator's generated tone."""
    return [
        Scripted(
            "Transcribe this clip.",
            Reply.text("Hello from MiMo! This sentence was spoken by a model."),
        )
    ]


def batch_rate_limits() -> list[Scripted]:
    """One label per review request: abatch (12), return_exceptions (3), gather (6)."""
    labels = [
        ("Arrived broken, and support never answered.", "negative", 4),
        ("Exactly what I needed, works perfectly.", "positive", 4),
        ("It's fine. Does the job, nothing special.", "neutral", 4),
        ("Best purchase this year!", "positive", 3),
        ("Stopped working after two days.", "negative", 3),
        ("Okay for the price.", "neutral", 3),
    ]
    return [
        Scripted(review, Reply.text(label)) for review, label, times in labels for _ in range(times)
    ]


SCRIPTS: dict[str, Callable[[], list[Scripted]]] = {
    "langchain_quickstart": langchain_quickstart,
    "langchain_tools_agents": langchain_tools_agents,
    "llama_index_rag": llama_index_rag,
    "llama_index_agents": llama_index_agents,
    "web_search_citations": web_search_citations,
    "speech": speech,
    "batch_rate_limits": batch_rate_limits,
}
"""Notebook name -> its scripted replies (matched by the request's last message)."""
