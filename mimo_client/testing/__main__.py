"""``python -m mimo_client.testing``: run the MiMo emulator until interrupted or terminated."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from ._server import RETIRED_MODELS, MiMoEmulator


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, serve, and return the exit status once SIGINT/SIGTERM arrives."""
    parser = argparse.ArgumentParser(
        prog="python -m mimo_client.testing", description="Run the loopback MiMo emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--api-key", default=None, help="accepted key (default: a random one)")
    parser.add_argument(
        "--retired-model",
        action="append",
        default=[],
        help="also answer 400 'Not supported model' for this model id (repeatable; the model "
        "table's retired ids always are)",
    )
    parser.add_argument(
        "--requests-per-minute", type=int, default=None, help="answer 429 past this many"
    )
    parser.add_argument(
        "--tokens-per-minute", type=int, default=None, help="answer 429 past this many tokens"
    )
    parser.add_argument(
        "--window-seconds",
        type=float,
        default=60.0,
        help="the rate limits' sliding window (default 60; less time-scales a test)",
    )
    args = parser.parse_args(argv)
    done = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    emulator = MiMoEmulator(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        retired_models=(*RETIRED_MODELS, *args.retired_model),
        requests_per_minute=args.requests_per_minute,
        tokens_per_minute=args.tokens_per_minute,
        window_seconds=args.window_seconds,
    )
    with emulator:
        key = "as given by --api-key" if args.api_key else emulator.api_key
        print(f"MiMo emulator serving {emulator.base_url} (api key: {key})", flush=True)
        while not done.wait(0.5):
            pass
    print("MiMo emulator stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
