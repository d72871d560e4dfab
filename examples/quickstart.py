"""Quickstart: MiMo through the shared core (the adapters' demos join as they land).

Live when MIMO_API_KEY is set; otherwise on the embedded loopback emulator, and it says so.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack

from mimo_client import MiMoClient, build_request

MODEL = os.environ.get("MIMO_MODEL", "mimo-v2.5-pro")
DIM, RESET = ("\033[2m", "\033[0m") if sys.stdout.isatty() else ("", "")


def main() -> None:
    with ExitStack() as stack:
        if os.environ.get("MIMO_API_KEY"):
            print(f"Live: talking to the MiMo service with model {MODEL}.")
            client = stack.enter_context(MiMoClient())
        else:
            from mimo_client.testing import MiMoEmulator

            emulator = stack.enter_context(MiMoEmulator())
            print(
                "No MIMO_API_KEY set: running on the embedded MiMo emulator at "
                f"{emulator.base_url} (its replies are generated, not a real model's)."
            )
            client = stack.enter_context(
                MiMoClient(api_key=emulator.api_key, base_url=emulator.base_url)
            )
        messages = [{"role": "user", "content": "In one sentence, what is a context window?"}]
        with client.stream(build_request(messages, model=MODEL)) as stream:
            for delta in stream.deltas():
                if delta.reasoning:
                    print(f"{DIM}{delta.reasoning}{RESET}", end="", flush=True)
                if delta.content:
                    print(delta.content, end="", flush=True)
        print()
        usage = stream.turn.usage
        if usage is not None:
            print(
                f"usage: {usage.input_tokens} in, {usage.output_tokens} out "
                f"({usage.reasoning_tokens} reasoning)"
            )


if __name__ == "__main__":
    main()
